from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madad.assistance.models import DisbursementMethod, Kind
from madad.assistance.services import IN_KIND_MAX, PURPOSE_MAX, REASON_MAX, REFERENCE_MAX

# Amounts are typed as text and checked by the service (assistance.services.clean_amount), so
# that "12,500" and "12500.50" are read exactly as Decimals and every refusal says the same.
_AMOUNT = {"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}


class AssistanceRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    amount = forms.CharField(
        label=_("Amount (PKR)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_AMOUNT),
        help_text=_("In rupees, for example 15000 or 15000.50."),
    )
    in_kind = forms.CharField(
        label=_("Or help in kind"),
        required=False,
        max_length=IN_KIND_MAX,
        help_text=_("What is given, for example “ration pack for a family of six”."),
    )
    purpose = forms.CharField(
        label=_("Why it is needed"),
        required=False,
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept encrypted. Finance does not see it."),
    )


class VersionForm(forms.Form):
    """The version of the item the user saw: an action on an item that changed since fails
    with a clear conflict instead of acting on something the user never saw."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class CancelForm(VersionForm):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DisburseForm(VersionForm):
    method = forms.ChoiceField(label=_("Method"), choices=DisbursementMethod.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=REFERENCE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
        help_text=_("Delivery note, receipt or voucher number. Kept encrypted."),
    )


class LimitForm(forms.Form):
    max_amount = forms.CharField(
        label=_("Limit (PKR)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_AMOUNT),
        help_text=_(
            "Leave empty for no limit: then a coordinator approves every amount of this kind."
        ),
    )
