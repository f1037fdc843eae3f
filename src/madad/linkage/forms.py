from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from madad.incidents.models import DatePrecision, IncidentType
from madad.linkage.models import Decision, LinkageRun
from madad.places.models import Place


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.MERGED, _("Merge: they are the same person")),
            (Decision.NOT_SAME, _("Not the same person")),
        ],
    )
    keep = forms.ChoiceField(
        label=_("Keep the record"),
        required=False,
        initial="a",
        choices=[("a", _("First")), ("b", _("Second"))],
    )


class IncidentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Decision.SAME_EVENT, _("The same event")),
            (Decision.NOT_SAME, _("Not the same event")),
            (Decision.PENDING, _("Reopen")),
        ],
    )


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Look for duplicates among"), choices=LinkageRun.Kind.choices)


class IncidentCheckForm(forms.Form):
    """The parts of the incident form the duplicate check needs; the rest is ignored."""

    start_date = forms.DateField(required=False)
    start_precision = forms.ChoiceField(required=False, choices=DatePrecision.choices)
    end_date = forms.DateField(required=False)
    place = forms.ModelChoiceField(required=False, queryset=Place.objects.all())
    types = forms.ModelMultipleChoiceField(required=False, queryset=IncidentType.objects.all())
