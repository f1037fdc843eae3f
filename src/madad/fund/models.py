"""The relief fund: donations in, assistance out, and the double-entry ledger between them.

Every money event (a donation, a currency conversion, a disbursement, a reversal) is one
`JournalEntry` with balanced `JournalLine`s: in the fund currency the lines of an entry sum to
zero, and they do so for each earmark separately, so the money of a programme never leaks into
another. Lines carry a signed amount (debit positive, credit negative) in their own currency and
its value in the fund currency (`base_amount`). Entries and lines are append-only: the database
refuses to update or delete them (core.append_only); a mistake is corrected by a reversal.

Money is never a float: Decimal columns with an ISO 4217 code beside them (fund.currencies).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Round
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.core import append_only
from madad.core.fields import EncryptedTextField
from madad.core.links import link, organisation_link, user_link
from madad.core.versioned import Versioned


def _amount(label: Any, **extra: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=18, decimal_places=3, **extra)


def _rate(label: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=20, decimal_places=10)


class Earmark(models.Model):
    """Where donated money may go: the general fund or a programme (education, medical ...).

    A programme pays only the assistance kinds listed in `kinds`; the general fund pays any.
    The row is also the lock that serialises spending from the earmark.
    """

    organisation = organisation_link(_("organisation"), related_name="fund_earmarks")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    name_ur = models.CharField(_("name in Urdu"), max_length=100, blank=True)
    is_general = models.BooleanField(_("general fund"), default=False)
    kinds = models.JSONField(_("assistance kinds it pays"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["-is_general", "name", "id"]
        verbose_name = _("earmark")
        verbose_name_plural = _("earmarks")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="fund_earmark_code_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_general=True),
                name="fund_one_general_earmark",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        from django.utils.translation import get_language

        if self.name_ur and (get_language() or "").startswith("ur"):
            return self.name_ur
        return self.name

    def pays(self, kind: str) -> bool:
        return self.is_general or kind in (self.kinds or [])


class Account(models.Model):
    """An account of the ledger. Bank and cash accounts hold one currency each; income and
    expense accounts record values in any currency with their fund-currency value."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        CASH = "cash", _("Cash")
        DONATIONS = "donations", _("Donations income")
        ASSISTANCE = "assistance", _("Assistance expense")
        EXCHANGE = "exchange", _("Exchange gains and losses")
        ADMINISTRATION = "administration", _("Administration (fees)")

    MONEY_KINDS = (Kind.BANK, Kind.CASH)
    INCOME_KINDS = (Kind.DONATIONS, Kind.EXCHANGE)
    EXPENSE_KINDS = (Kind.ASSISTANCE, Kind.ADMINISTRATION)

    organisation = organisation_link(_("organisation"), related_name="fund_accounts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    earmark = link(Earmark, _("earmark"), null=True)
    assistance_kind = models.CharField(_("assistance kind"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="fund_account_name_unique"
            ),
            models.CheckConstraint(
                condition=(Q(kind__in=["bank", "cash"]) & ~Q(currency=""))
                | (~Q(kind__in=["bank", "cash"]) & Q(currency="")),
                name="fund_money_accounts_have_a_currency",
            ),
            models.CheckConstraint(
                condition=(Q(kind="donations") & Q(earmark__isnull=False))
                | (~Q(kind="donations") & Q(earmark__isnull=True)),
                name="fund_donations_account_per_earmark",
            ),
            models.CheckConstraint(
                condition=(Q(kind="assistance") & ~Q(assistance_kind=""))
                | (~Q(kind="assistance") & Q(assistance_kind="")),
                name="fund_assistance_account_per_kind",
            ),
            models.UniqueConstraint(
                fields=["organisation", "earmark"],
                condition=Q(kind="donations"),
                name="fund_one_donations_account_per_earmark",
            ),
            models.UniqueConstraint(
                fields=["organisation", "assistance_kind"],
                condition=Q(kind="assistance"),
                name="fund_one_expense_account_per_kind",
            ),
            models.UniqueConstraint(
                fields=["organisation", "kind"],
                condition=Q(kind__in=["exchange", "administration"]),
                name="fund_one_exchange_and_admin_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def holds_money(self) -> bool:
        return self.kind in self.MONEY_KINDS

    @property
    def is_system(self) -> bool:
        return self.name.startswith("system:")

    @property
    def label(self) -> str:
        """The account's name in the reader's language (income and expense accounts are
        named by what they are; bank and cash accounts by the name given to them)."""
        from madad.assistance.models import Kind as AssistanceKind

        if self.kind == self.Kind.DONATIONS and self.earmark is not None:
            return str(_("Donations: %(earmark)s") % {"earmark": self.earmark.name})
        if self.kind == self.Kind.ASSISTANCE:
            kind = dict(AssistanceKind.choices).get(self.assistance_kind, self.assistance_kind)
            return str(_("Assistance: %(kind)s") % {"kind": kind})
        if self.is_system:
            return str(self.get_kind_display())
        return self.name


class JournalEntry(models.Model):
    """One money event. Append-only: never updated, never deleted."""

    class Kind(models.TextChoices):
        DONATION = "donation", _("Donation")
        CONVERSION = "conversion", _("Currency conversion")
        DISBURSEMENT = "disbursement", _("Disbursement")
        REVERSAL = "reversal", _("Reversal")

    organisation = organisation_link(_("organisation"), related_name="fund_entries")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    posted_by = user_link(_("posted by"))
    posted_at = models.DateTimeField(_("posted"), default=timezone.now)
    # a reversal names the entry it undoes; an entry is reversed at most once
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        indexes = [models.Index(fields=["organisation", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="reversal") & Q(reverses__isnull=False) & ~Q(reason=""))
                | (~Q(kind="reversal") & Q(reverses__isnull=True)),
                name="fund_reversal_names_entry_and_reason",
            ),
            models.CheckConstraint(
                condition=~Q(reverses=F("id")), name="fund_entry_does_not_reverse_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"Entry #{self.pk}"


class JournalLine(models.Model):
    """One side of an entry: debit if positive, credit if negative. Append-only."""

    entry = link(JournalEntry, related_name="lines")
    account = link(Account, _("account"), related_name="lines")
    earmark = link(Earmark, _("earmark"), related_name="lines")
    currency = models.CharField(_("currency"), max_length=3)
    amount = _amount(_("amount"))
    base_amount = _amount(_("value in the fund currency"))

    class Meta:
        ordering = ["entry_id", "id"]
        indexes = [
            models.Index(fields=["account", "earmark"]),
            models.Index(fields=["earmark", "currency"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(amount=0) | ~Q(base_amount=0), name="fund_line_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, base_amount__gte=0)
                | Q(amount__lte=0, base_amount__lte=0),
                name="fund_line_value_has_the_amount_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"Line #{self.pk}"


class Donor(Versioned):
    """A person or an organisation that gives. Named in public only if they opted in."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    organisation = organisation_link(_("organisation"), related_name="donors")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PERSON)
    name = EncryptedTextField(_("name"))
    contact = EncryptedTextField(_("contact (email, phone or address)"), blank=True)
    named_in_public = models.BooleanField(
        _("agrees to be named in the public account"),
        default=False,
        help_text=_(
            "Leave unticked unless the donor asked to be named. Donors are anonymous "
            "in public by default."
        ),
    )
    created_by = user_link(_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("donor")
        verbose_name_plural = _("donors")

    def __str__(self) -> str:
        return f"Donor #{self.pk}"


class Channel(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CARD_ONLINE = "card_online", _("Card, online")
    REMITTANCE = "remittance", _("Remittance service")
    MOBILE_WALLET = "mobile_wallet", _("Mobile wallet")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    OTHER = "other", _("Other")


class Donation(models.Model):
    organisation = organisation_link(_("organisation"), related_name="donations")
    donor = link(Donor, _("donor"), related_name="donations", null=True)
    receipt_number = models.CharField(_("receipt number"), max_length=30)
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    currency = models.CharField(_("currency"), max_length=3)
    amount = _amount(_("amount"))
    fee = _amount(_("fees"), default=0)
    net = _amount(_("net amount"))
    earmark = link(Earmark, _("earmark"), related_name="donations")
    account = link(Account, _("received into"), related_name="donations")
    rate = _rate(_("exchange rate"))
    rate_date = models.DateField(_("rate date"))
    rate_source = models.CharField(_("rate source"), max_length=100)
    base_amount = _amount(_("amount in the fund currency"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="donation")
    recorded_by = user_link(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-received_on", "-id"]
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        indexes = [models.Index(fields=["organisation", "received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "receipt_number"], name="fund_receipt_number_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_donation_positive"),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(fee__lt=F("amount")),
                name="fund_donation_fee_below_amount",
            ),
            # compared in thousandths: SQLite keeps decimals as binary floating point, in
            # which 0.3 - 0.1 is not 0.2
            models.CheckConstraint(
                condition=Exact(Round((F("amount") - F("fee") - F("net")) * 1000), 0),
                name="fund_donation_net_is_amount_less_fee",
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fund_donation_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.receipt_number


class ReceiptSequence(models.Model):
    """The last receipt number given in a year: receipts are numbered without gaps."""

    organisation = organisation_link(on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="fund_one_receipt_sequence_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"Receipts {self.year}"


class ExchangeRate(models.Model):
    """How many fund-currency units one unit of `currency` was worth on `date`, and who said
    so. Rates once recorded are not changed: donations and conversions keep the rate used."""

    organisation = organisation_link(_("organisation"), related_name="exchange_rates")
    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    rate = _rate(_("rate"))
    source = models.CharField(_("source"), max_length=100)
    recorded_by = user_link(null=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-date", "currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "currency", "date"], name="fund_one_rate_a_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fund_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}"


class Conversion(models.Model):
    """Money of one earmark moved from an account in one currency to an account in another at
    a stated rate; the difference from the money's carrying value is an exchange gain or
    loss."""

    organisation = organisation_link(_("organisation"), related_name="fund_conversions")
    date = models.DateField(_("date"))
    earmark = link(Earmark, _("earmark"))
    from_account = link(Account, _("from account"))
    to_account = link(Account, _("to account"))
    amount_from = _amount(_("amount converted"))
    amount_to = _amount(_("amount received"))
    rate = _rate(_("rate"))
    rate_source = models.CharField(_("rate source"), max_length=100)
    gain = _amount(_("exchange gain (loss if negative)"))
    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="conversion")
    recorded_by = user_link()
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("currency conversion")
        verbose_name_plural = _("currency conversions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_account=F("to_account")),
                name="fund_conversion_between_two_accounts",
            ),
            models.CheckConstraint(
                condition=Q(amount_from__gt=0, amount_to__gt=0, rate__gt=0),
                name="fund_conversion_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"Conversion #{self.pk}"


class Disbursement(models.Model):
    """Approved assistance paid from the fund. An assistance item is paid at most once unless
    the payment was reversed."""

    organisation = organisation_link(_("organisation"), related_name="fund_disbursements")
    assistance = link("assistance.Assistance", _("assistance"), related_name="fund_disbursements")
    account = link(Account, _("paid from"))
    earmark = link(Earmark, _("earmark"))
    amount = _amount(_("amount"))
    paid_on = models.DateField(_("paid on"))
    entry = models.OneToOneField(
        JournalEntry, on_delete=models.PROTECT, related_name="disbursement"
    )
    made_by = user_link(_("paid by"))
    made_at = models.DateTimeField(_("recorded"), default=timezone.now)
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)

    class Meta:
        ordering = ["-paid_on", "-id"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [
            models.UniqueConstraint(
                fields=["assistance"],
                condition=Q(reversed_at__isnull=True),
                name="fund_assistance_paid_once",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_disbursement_positive"),
        ]

    def __str__(self) -> str:
        return f"Disbursement #{self.pk}"


# TRUNCATE is left to the database owner: tests empty their tables with it.
for _table in ("fund_journalentry", "fund_journalline"):
    append_only.protect(
        _table, message="ledger entries are append-only: correct them with a reversal"
    )
