from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.claims.models import Claim
from madad.claims.services import NOTE_MAX, REFERENCE_MAX, TEXT_MAX
from madad.testimonies.forms import RECORD_ID_MAX

_DATE = forms.DateInput(attrs={"type": "date"})
_AMOUNT = {"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}


class ClaimFileForm(forms.Form):
    scheme = forms.CharField(
        label=_("Scheme"),
        max_length=TEXT_MAX,
        help_text=_("The government compensation scheme or package."),
    )
    authority = forms.CharField(
        label=_("Authority"),
        max_length=TEXT_MAX,
        help_text=_("The office the claim was filed with."),
    )
    authority_reference = forms.CharField(
        label=_("Authority's file number"),
        required=False,
        max_length=REFERENCE_MAX,
        help_text=_("Kept encrypted."),
    )
    filed_on = forms.DateField(label=_("Filed on"), widget=_DATE)
    amount_claimed = forms.CharField(
        label=_("Amount claimed (PKR)"), max_length=20, widget=forms.TextInput(attrs=_AMOUNT)
    )
    incident = forms.IntegerField(
        label=_("Incident number"),
        required=False,
        min_value=1,
        max_value=RECORD_ID_MAX,
        help_text=_(
            "The incident the claim is for. Its documents are kept as evidence of that incident."
        ),
    )
    next_action_on = forms.DateField(label=_("Next action on"), required=False, widget=_DATE)
    next_action = forms.CharField(label=_("What to do next"), required=False, max_length=TEXT_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["filed_on"].initial = timezone.localdate


class ClaimStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    amount_awarded = forms.CharField(
        label=_("Amount awarded (PKR)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs=_AMOUNT),
        help_text=_("Needed when the claim is approved."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_action_on = forms.DateField(label=_("Next action on"), required=False, widget=_DATE)
    next_action = forms.CharField(label=_("What to do next"), required=False, max_length=TEXT_MAX)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, moves: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Claim.Status.choices)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (status, labels[status]) for status in (moves or [])
        ]


class NextActionForm(forms.Form):
    next_action_on = forms.DateField(label=_("Next action on"), required=False, widget=_DATE)
    next_action = forms.CharField(label=_("What to do next"), required=False, max_length=TEXT_MAX)
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class ClaimDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_(
            "A PDF or an image of the document. It is kept as "
            "evidence of the claim's incident, with its SHA-256."
        ),
    )
    description = forms.CharField(
        label=_("What it is"),
        required=False,
        max_length=2000,
        help_text=_("For example “FIR copy” or “death certificate”. Kept encrypted."),
    )
