from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madad.testimonies.models import ConsentDecision, ConsentPurpose, Language
from madad.testimonies.selectors import consent_recipients
from madad.testimonies.services import TRANSCRIPT_MAX_CHARS

RECORD_ID_MAX = 2**63 - 1  # the largest number a database key can hold


class RecordChoiceField(forms.ModelChoiceField[Any]):
    """A choice of record whose submitted number may be anything: one too large for the
    database (SQLite raises OverflowError on it) is an invalid choice, not a server error."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip().isdigit() and int(value) > RECORD_ID_MAX:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class TestimonyForm(forms.Form):
    incident = forms.IntegerField(
        label=_("Incident number"),
        required=False,
        min_value=1,
        max_value=RECORD_ID_MAX,
        help_text=_("The number of the incident the statement is about, if it is about one."),
    )
    date = forms.DateField(label=_("Date given"), widget=forms.DateInput(attrs={"type": "date"}))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    transcript = forms.CharField(
        label=_("Transcript"),
        max_length=TRANSCRIPT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Kept encrypted. Every reading of it is recorded."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate


class _RecipientChoice(RecordChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # the kind tells a referral partner from a human-rights organisation
        return f"{obj.name} ({obj.get_kind_display()})"


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    decision = forms.ChoiceField(label=_("Decision"), choices=ConsentDecision.choices)
    recipient = _RecipientChoice(
        label=_("Organisation"),
        queryset=consent_recipients(),
        required=False,
        empty_label=_("— only for sharing with a human-rights organisation or a referral —"),
        help_text=_(
            "Consent to share or to refer covers only the organisation named here: a "
            "human-rights organisation for sharing, any partner for a referral."
        ),
    )
    date = forms.DateField(
        label=_("Date of the decision"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        field = self.fields["recipient"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = consent_recipients()
