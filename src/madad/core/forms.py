from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madad.core.refusals import WHOLE, Refused


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action"), required=False, max_length=100)
    actor = forms.CharField(label=_("Actor"), required=False, max_length=254)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


# An HTML form sent back with errors answers with the refusal's status: 422 for invalid input
# (also when the form itself finds it), 403, 404 or 409 for the other refusals. Browsers show
# the page all the same; tests and tools can tell a refusal from a success.
INVALID_FORM_STATUS = 422


def form_errors(form: forms.BaseForm, refusal: Refused | ValidationError) -> int:
    """Puts a service's refusal on the form that led to it: each message on its field where the
    form has that field, on the form as a whole otherwise. Returns the status to answer with."""
    if isinstance(refusal, ValidationError):
        refusal = Refused.from_validation_error(refusal)
    messages = refusal.fields or {WHOLE: [refusal.message]}
    for name, texts in messages.items():
        field = name if name in form.fields else None
        for text in texts:
            form.add_error(field, text)
    return refusal.status
