"""Forms of the staff pages. They turn posted text into typed values; the rules themselves are
checked by the services, whose errors the views put back on these forms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madad import access
from madad.accounts.models import User
from madad.core.forms import choose_from
from madad.core.refusals import Errors
from madad.incidents import validation
from madad.incidents.labels import place_label
from madad.incidents.models import (
    Act,
    DatePrecision,
    Incident,
    IncidentRelation,
    IncidentType,
    Involvement,
    LocationPrecision,
    Source,
)
from madad.people.forms import person_named
from madad.people.models import Person, Sex
from madad.places.models import Place

_DATE = {"type": "date"}
_AUTO = {"dir": "auto"}  # user text may be Urdu or English whatever the page's language
_BLANK: list[tuple[str, Any]] = [("", "—")]


if TYPE_CHECKING:  # generic for the type checker only (no django_stubs_ext at run time)
    _PlaceField = forms.ModelChoiceField[Place]
    _TypeField = forms.ModelChoiceField[IncidentType]
    _TypesField = forms.ModelMultipleChoiceField[IncidentType]
    _ActField = forms.ModelChoiceField[Act]
    _FormSet = forms.BaseFormSet[forms.Form]
else:
    _PlaceField = _TypeField = _ActField = forms.ModelChoiceField
    _TypesField = forms.ModelMultipleChoiceField
    _FormSet = forms.BaseFormSet


class PlaceChoiceField(_PlaceField):
    def label_from_instance(self, obj: Place) -> str:
        return place_label(obj)


class TypeChoiceField(_TypesField):
    def label_from_instance(self, obj: IncidentType) -> str:
        return obj.label


class OneTypeChoiceField(_TypeField):
    def label_from_instance(self, obj: IncidentType) -> str:
        return obj.label


class ActChoiceField(_ActField):
    """Acts named by their victim and what happened (`labels`, by act id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels: dict[int, str] = {}

    def label_from_instance(self, obj: Act) -> str:
        return self.labels.get(obj.pk, f"#{obj.pk}")


def add_rule_errors(form: forms.Form, errors: Errors) -> None:
    """The services' own checks, run on the form too, so that every problem shows at once."""
    for name, messages in errors.fields.items():
        if name in form.fields and name not in form.errors:
            for message in messages:
                form.add_error(name, message)


def places() -> Any:
    return Place.objects.exclude(level=Place.Level.CITY).select_related("parent").order_by("name")


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(_AUTO))
    start_date = forms.DateField(
        label=_("Date (or start date)"), widget=forms.DateInput(attrs=_DATE)
    )
    start_precision = forms.ChoiceField(
        label=_("Known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("Only if it lasted more than a day."),
    )
    end_precision = forms.ChoiceField(
        label=_("End known to the"), choices=DatePrecision.choices, initial=DatePrecision.DAY
    )
    place = PlaceChoiceField(label=_("Place"), queryset=Place.objects.none())
    location_precision = forms.ChoiceField(
        label=_("Location precision"),
        choices=LocationPrecision.choices,
        initial=LocationPrecision.NEIGHBOURHOOD,
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        min_value=-180,
        max_value=180,
    )
    types = TypeChoiceField(
        label=_("Type of incident"),
        queryset=IncidentType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **_AUTO}),
        help_text=_("No names, no addresses: this text may be published once verified."),
    )
    description = forms.CharField(
        label=_("Description (restricted)"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, **_AUTO}),
        help_text=_("What happened, in full. Encrypted; every reading is recorded."),
    )
    confidentiality = forms.ChoiceField(
        label=_("Confidentiality"),
        choices=Incident.Confidentiality.choices,
        initial=Incident.Confidentiality.INTERNAL,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, incident: Incident | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "place", places())
        types = IncidentType.objects.filter(active=True)
        if incident is not None and incident.pk:  # a retired type stays on what it describes
            types = (
                IncidentType.objects.filter(
                    pk__in=list(incident.types.values_list("pk", flat=True))
                )
                | types
            )
        choose_from(self, "types", types.distinct().order_by("position", "name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        checked = {k: v for k, v in data.items() if k not in self.errors and k != "version"}
        add_rule_errors(self, validation.incident_fields(checked, partial=True)[1])
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ActForm(forms.Form):
    """One victim and what happened to them: an existing person (by record number) or a new
    person described here."""

    victim_id = forms.IntegerField(
        label=_("Existing person (record number)"), required=False, min_value=1
    )
    given_name = forms.CharField(label=_("Given name"), required=False, max_length=200)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=200)
    full_name_ur = forms.CharField(
        label=_("Name in Urdu script"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    deceased = forms.BooleanField(label=_("Deceased"), required=False)
    act_type = forms.ChoiceField(label=_("What happened"), choices=_BLANK + Act.Type.choices)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs=_DATE))
    method = forms.CharField(
        label=_("Method"), required=False, max_length=200, widget=forms.TextInput(_AUTO)
    )
    consequences = forms.CharField(
        label=_("Consequences (restricted)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )

    _PERSON_FIELDS = ("given_name", "family_name", "full_name_ur", "sex", "age", "deceased")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.victim: Person | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.victim = person_named(
            self,
            self.user,
            data,
            "victim_id",
            _("Give the victim's name, or the record number of a person already recorded."),
        )
        add_rule_errors(self, validation.act_fields(data)[1])
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        act = {name: data.get(name) for name in ("act_type", "date", "method", "consequences")}
        if self.victim is not None:
            act["victim"] = self.victim
        else:
            act["new_victim"] = {name: data.get(name) for name in self._PERSON_FIELDS}
        return act


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of source"), choices=_BLANK + Source.Kind.choices)
    name = forms.CharField(
        label=_("Name of the source (restricted)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(_AUTO),
    )
    reliability = forms.ChoiceField(
        label=_("Reliability"),
        required=False,
        choices=[("", _("Not graded yet")), *Source.Reliability.choices],
    )
    credibility = forms.TypedChoiceField(
        label=_("Credibility"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Not graded yet")), *Source.Credibility.choices],
    )
    fir_number = forms.CharField(label=_("FIR number"), required=False, max_length=50)
    police_station = forms.CharField(label=_("Police station"), required=False, max_length=120)
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=120)
    url = forms.URLField(label=_("Link"), required=False, max_length=200, assume_scheme="https")
    received_on = forms.DateField(
        label=_("Received"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    notes = forms.CharField(
        label=_("Notes (restricted)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_rule_errors(self, validation.source_fields(data)[1])
        return data

    def service_data(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class _RowFormSet(_FormSet):
    def changed_forms(self) -> list[Any]:
        return [f for f in self.forms if f.has_changed()]


ActFormSet = forms.formset_factory(
    ActForm, formset=_RowFormSet, extra=1, max_num=50, absolute_max=50
)
SourceFormSet = forms.formset_factory(
    SourceForm, formset=_RowFormSet, extra=1, max_num=50, absolute_max=50
)


class InvolvementForm(forms.Form):
    act = ActChoiceField(label=_("Act"), queryset=Act.objects.none())
    person_id = forms.IntegerField(label=_("Person (record number)"), required=False, min_value=1)
    described_group = forms.CharField(
        label=_("Or a description"),
        required=False,
        max_length=500,
        widget=forms.TextInput(_AUTO),
        help_text=_('Describe, do not label: for example "two unidentified men on a motorcycle".'),
    )
    degree = forms.ChoiceField(label=_("Involvement"), choices=Involvement.Degree.choices)
    allegation_status = forms.ChoiceField(
        label=_("Allegation"),
        choices=Involvement.Allegation.choices,
        initial=Involvement.Allegation.ALLEGED,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, user: User, incident: Incident, act_labels: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = cast(ActChoiceField, self.fields["act"])
        field.queryset = access.visible_to(user, Act).filter(incident=incident).order_by("id")
        field.labels = act_labels
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("person_id"):
            self.person = access.visible_to(self.user, Person).filter(pk=data["person_id"]).first()
            if self.person is None:
                self.add_error("person_id", _("No person with this record number."))
        elif not (data.get("described_group") or "").strip():
            self.add_error("described_group", _("Give a person's record number or a description."))
        return data


class GradeForm(forms.Form):
    reliability = forms.ChoiceField(label=_("Reliability"), choices=Source.Reliability.choices)
    credibility = forms.TypedChoiceField(
        label=_("Credibility"), coerce=int, choices=Source.Credibility.choices
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class RelateForm(forms.Form):
    other = forms.IntegerField(label=_("Incident number"), min_value=1)
    kind = forms.ChoiceField(label=_("Relation"), choices=IncidentRelation.Kind.choices)


class VerificationForm(forms.Form):
    ACTIONS = ("submit", "verify", "dispute", "reject")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class IncidentFilterForm(forms.Form):
    """The list's filters and its text search. The search words may name people, so they are
    only read from a POSTed form (`filters_from_query` drops them from a query string)."""

    q = forms.CharField(
        label=_("Search titles and summaries"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", **_AUTO}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs=_DATE))
    type = OneTypeChoiceField(
        label=_("Type"), required=False, queryset=IncidentType.objects.none(), empty_label=_("Any")
    )
    district = PlaceChoiceField(
        label=_("District"), required=False, queryset=Place.objects.none(), empty_label=_("Any")
    )
    town = PlaceChoiceField(
        label=_("Town"), required=False, queryset=Place.objects.none(), empty_label=_("Any")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *Incident.Status.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "type", IncidentType.objects.order_by("position"))
        for name, level in (("district", Place.Level.DISTRICT), ("town", Place.Level.TOWN)):
            choose_from(
                self,
                name,
                Place.objects.filter(level=level).select_related("parent").order_by("name"),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(_("The start date is after the end date."))
        return data


def filters_from_query(query: Any) -> IncidentFilterForm:
    """The filter form bound to a query string, without its search words (they would be in
    the URL, the browser's history and the access logs)."""
    if not query:
        return IncidentFilterForm()
    data = query.copy()
    data.pop("q", None)
    return IncidentFilterForm(data)
