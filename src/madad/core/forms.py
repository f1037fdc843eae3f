from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from madad.core.refusals import WHOLE, Refused

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


def choose_from(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    """Offers `queryset` in the form's model choice field `name` (chosen per request)."""
    cast("forms.ModelChoiceField[Any]", form.fields[name]).queryset = queryset
