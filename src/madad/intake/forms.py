"""Forms of the intake inbox. The incident proposal is the incident form itself (with its
victims and sources), filled in from the submission; the services check the rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from madad.core.forms import choose_from
from madad.households.models import Member
from madad.incidents.forms import IncidentForm, PlaceChoiceField, places
from madad.incidents.models import Act, LocationPrecision, Source
from madad.intake.models import IntakeAttachment, IntakeItem
from madad.intake.reading import Proposal, name_fields
from madad.people.models import Sex
from madad.places.models import Place

if TYPE_CHECKING:
    _AttachmentsField = forms.ModelMultipleChoiceField[IntakeAttachment]
    _FormSet = forms.BaseFormSet[forms.Form]
else:
    _AttachmentsField = forms.ModelMultipleChoiceField
    _FormSet = forms.BaseFormSet

_AUTO = {"dir": "auto"}
_ANY: list[tuple[str, Any]] = [("", _("Any"))]


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_ANY + IntakeItem.Status.choices
    )
    source = forms.ChoiceField(
        label=pgettext_lazy("where an intake item came from", "From"),
        required=False,
        choices=_ANY + IntakeItem.Source.choices,
    )


class AttachmentChoiceField(_AttachmentsField):
    def label_from_instance(self, obj: IntakeAttachment) -> str:
        return obj.name


def _offer_files(form: forms.Form, item: IntakeItem) -> None:
    field = cast(AttachmentChoiceField, form.fields["attachments"])
    field.queryset = IntakeAttachment.objects.filter(item=item, evidence__isnull=True).order_by(
        "name"
    )


class ItemIncidentForm(IncidentForm):
    """The incident form, and which of the item's files become its evidence."""

    attachments = AttachmentChoiceField(
        label=_("Files to keep as evidence"),
        required=False,
        queryset=IntakeAttachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, item: IntakeItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_files(self, item)

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("attachments", None)
        return data


class AttachForm(forms.Form):
    """Add the item to a record Madad holds, named by its number."""

    record = forms.IntegerField(label=_("Incident number"), min_value=1)
    attachments = AttachmentChoiceField(
        label=_("Files to keep as evidence"),
        required=False,
        queryset=IntakeAttachment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, item: IntakeItem, household: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _offer_files(self, item)
        if household:
            self.fields["record"].label = _("Household number")
            del self.fields["attachments"]


class HouseholdForm(forms.Form):
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )
    place = PlaceChoiceField(label=_("Area"), required=False, queryset=Place.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "place", places())


class MemberForm(forms.Form):
    """One member: a person already recorded (by record number) or a new person."""

    person_id = forms.IntegerField(
        label=_("Existing person (record number)"), required=False, min_value=1
    )
    given_name = forms.CharField(
        label=_("Given name"), required=False, max_length=200, widget=forms.TextInput(_AUTO)
    )
    family_name = forms.CharField(
        label=_("Family name"), required=False, max_length=200, widget=forms.TextInput(_AUTO)
    )
    full_name_ur = forms.CharField(
        label=_("Name in Urdu script"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"lang": "ur", "dir": "rtl"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=130)
    relation = forms.ChoiceField(
        label=_("Relation to the head"), choices=[("", "—"), *Member.Relation.choices]
    )


class _RowFormSet(_FormSet):
    def changed_forms(self) -> list[Any]:
        return [f for f in self.forms if f.has_changed()]


MemberFormSet = forms.formset_factory(
    MemberForm, formset=_RowFormSet, extra=1, max_num=50, absolute_max=50
)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, **_AUTO}),
        help_text=_("Kept with the item, encrypted. Nothing the item holds is deleted."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


# --- a proposal as the forms' first values ---------------------------------------------------
def _valid(value: str, choices: list[str], default: str = "") -> str:
    return value if value in choices else default


def incident_initial(proposal: Proposal, item: IntakeItem) -> dict[str, Any]:
    place = proposal.place
    precision: str
    if proposal.latitude is not None:
        precision = LocationPrecision.EXACT
    elif place is not None and place.level in LocationPrecision.values:
        precision = place.level
    else:
        precision = LocationPrecision.NEIGHBOURHOOD
    return {
        "title": proposal.title,
        "start_date": proposal.start_date,
        "start_precision": proposal.precision,
        "place": place.pk if place is not None else None,
        "location_precision": precision,
        "latitude": proposal.latitude,
        "longitude": proposal.longitude,
        "types": [t.pk for t in proposal.types],
        "description": proposal.description,
        "version": item.version,
        "attachments": list(
            IntakeAttachment.objects.filter(item=item, evidence__isnull=True).values_list(
                "pk", flat=True
            )
        ),
    }


def victims_initial(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            **name_fields(victim["name"]),
            "act_type": _valid(victim["act"], Act.Type.values),
            "sex": _valid(victim["sex"], Sex.values, Sex.UNKNOWN),
            "age": victim["age"],
            "deceased": victim["act"] == Act.Type.KILLED,
        }
        for victim in proposal.victims
    ]


def sources_initial(proposal: Proposal, item: IntakeItem) -> list[dict[str, Any]]:
    kind = _valid(proposal.source_kind, Source.Kind.values)
    if not kind:
        return []
    return [{"kind": kind, "received_on": item.received_at.date()}]


def household_initial(proposal: Proposal, item: IntakeItem) -> dict[str, Any]:
    return {
        "address": proposal.address,
        "place": proposal.place.pk if proposal.place is not None else None,
        "version": item.version,
    }


def members_initial(proposal: Proposal) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    head = proposal.head_name
    if head:
        rows.append({**name_fields(head), "relation": Member.Relation.HEAD, "sex": Sex.UNKNOWN})
    for member in proposal.members:
        if head and " ".join(member["name"].split()) == " ".join(head.split()):
            continue  # the head, listed again among the members
        rows.append(
            {
                **name_fields(member["name"]),
                "relation": _valid(member["relation"], Member.Relation.values),
                "sex": _valid(member["sex"], Sex.values, Sex.UNKNOWN),
                "age": member["age"],
            }
        )
    return rows
