"""Forms of the fund's staff pages: they parse what was typed; the services decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.assistance.models import DisbursementMethod
from madad.assistance.models import Kind as AssistanceKind
from madad.core.forms import choose_from
from madad.fund.currencies import currency_choices
from madad.fund.models import Account, Channel, Donor, Earmark, JournalEntry

DATE = forms.DateInput(attrs={"type": "date"})


def _amount(label: Any, **extra: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=18, decimal_places=3, min_value=0, **extra)


if TYPE_CHECKING:  # generic for the type checker only (no django_stubs_ext at run time)
    _EarmarkField = forms.ModelChoiceField[Earmark]
    _AccountField = forms.ModelChoiceField[Account]
else:
    _EarmarkField = _AccountField = forms.ModelChoiceField


class EarmarkChoice(_EarmarkField):
    def label_from_instance(self, obj: Earmark) -> str:
        return obj.label


class AccountChoice(_AccountField):
    def label_from_instance(self, obj: Account) -> str:
        return f"{obj.label} ({obj.currency})"


def _money(queryset: QuerySet[Account], currency: str | None = None) -> QuerySet[Account]:
    queryset = queryset.filter(kind__in=Account.MONEY_KINDS)
    return queryset.filter(currency=currency) if currency else queryset


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("The donor is"), choices=Donor.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(
        label=_("Contact (email, phone or address)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    named_in_public = forms.BooleanField(
        label=_("The donor asked to be named in the public account"),
        required=False,
        help_text=_("Donors are anonymous in public unless they ask to be named."),
    )


class DonationForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE, initial=timezone.localdate)
    amount = _amount(_("Amount given"))
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices, initial="USD")
    fee = _amount(
        _("Fees deducted"),
        required=False,
        help_text=_("Bank or transfer charges taken from the amount."),
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    earmark = EarmarkChoice(label=_("Earmark"), queryset=Earmark.objects.none())
    account = AccountChoice(label=_("Received into"), queryset=Account.objects.none())
    rate = forms.DecimalField(
        label=_("Exchange rate"),
        required=False,
        max_digits=20,
        decimal_places=10,
        help_text=_(
            "Rupees for one unit of the currency. Leave empty to use the stored rate of the day."
        ),
    )
    rate_source = forms.CharField(label=_("Source of the rate"), max_length=100, required=False)
    # a new donor, unless the donation comes from a recorded donor or nobody is named
    donor_name = forms.CharField(
        label=_("Donor's name"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for an anonymous donation."),
    )
    donor_kind = forms.ChoiceField(
        label=_("The donor is"), choices=Donor.Kind.choices, required=False
    )
    donor_contact = forms.CharField(label=_("Donor's contact"), max_length=500, required=False)
    donor_named_in_public = forms.BooleanField(
        label=_("The donor asked to be named in the public account"), required=False
    )

    def __init__(
        self,
        *args: Any,
        earmarks: QuerySet[Earmark],
        accounts: QuerySet[Account],
        with_new_donor: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "earmark", earmarks)
        choose_from(self, "account", _money(accounts))
        if not with_new_donor:
            for name in ("donor_name", "donor_kind", "donor_contact", "donor_named_in_public"):
                del self.fields[name]


class RateForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    rate = forms.DecimalField(label=_("Rupees for one unit"), max_digits=20, decimal_places=10)
    source = forms.CharField(
        label=_("Source"),
        max_length=100,
        help_text=_("For example the State Bank's rate, or the bank's rate on the day."),
    )


class ConversionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    earmark = EarmarkChoice(label=_("Earmark"), queryset=Earmark.objects.none())
    from_account = AccountChoice(label=_("From account"), queryset=Account.objects.none())
    to_account = AccountChoice(label=_("To account"), queryset=Account.objects.none())
    amount = _amount(_("Amount converted"))
    rate = forms.DecimalField(
        label=_("Rate"),
        max_digits=20,
        decimal_places=10,
        help_text=_("Units of the target currency for one unit converted, as the bank applied it."),
    )
    rate_source = forms.CharField(label=_("Source of the rate"), max_length=100, required=False)

    def __init__(
        self, *args: Any, earmarks: QuerySet[Earmark], accounts: QuerySet[Account], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "earmark", earmarks)
        choose_from(self, "from_account", _money(accounts))
        choose_from(self, "to_account", _money(accounts))


class DisbursementForm(forms.Form):
    earmark = EarmarkChoice(label=_("Paid from the money of"), queryset=Earmark.objects.none())
    account = AccountChoice(label=_("Paid from account"), queryset=Account.objects.none())
    method = forms.ChoiceField(label=_("Method"), choices=DisbursementMethod.choices)
    reference = forms.CharField(label=_("Transaction, cheque or voucher number"), max_length=200)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=timezone.localdate)

    def __init__(
        self,
        *args: Any,
        earmarks: QuerySet[Earmark],
        accounts: QuerySet[Account],
        currency: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "earmark", earmarks)
        choose_from(self, "account", _money(accounts, currency))


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this entry reversed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EarmarkForm(forms.Form):
    name = forms.CharField(label=_("Programme"), max_length=100)
    name_ur = forms.CharField(label=_("Name in Urdu"), max_length=100, required=False)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Letters, digits and hyphens; made from the name if empty."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Assistance it pays for"),
        choices=AssistanceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )


class AccountForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Account.Kind.BANK, Account.Kind.BANK.label),
            (Account.Kind.CASH, Account.Kind.CASH.label),
        ],
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("For example the bank and the account's last digits."),
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=currency_choices)


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DATE, required=False)
    date_to = forms.DateField(label=_("To"), widget=DATE, required=False)


class DonationFilterForm(PeriodForm):
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    currency = forms.ChoiceField(
        label=_("Currency"), required=False, choices=[("", _("Any")), *currency_choices()]
    )


class EntryFilterForm(PeriodForm):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *JournalEntry.Kind.choices]
    )
