"""Forms for registering and changing households. They check the shape of the input; the
services check the rules and the views put the services' errors back on the fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from madad.accounts.models import User
from madad.core.forms import choose_from
from madad.households.models import Member
from madad.incidents.labels import place_label
from madad.incidents.models import Act
from madad.people.forms import person_named
from madad.people.models import Person, Sex
from madad.places.models import Place

_AUTO = {"dir": "auto"}  # user text may be Urdu or English whatever the page's language
_MONEY = {"inputmode": "decimal", "autocomplete": "off"}


if TYPE_CHECKING:  # generic for the type checker only (no django_stubs_ext at run time)
    _PlaceField = forms.ModelChoiceField[Place]
    _ActsField = forms.ModelMultipleChoiceField[Act]
    _FormSet = forms.BaseFormSet["MemberForm"]
else:
    _PlaceField = forms.ModelChoiceField
    _ActsField = forms.ModelMultipleChoiceField
    _FormSet = forms.BaseFormSet


class PlaceChoiceField(_PlaceField):
    def label_from_instance(self, obj: Place) -> str:
        return place_label(obj)


def places() -> Any:
    return Place.objects.exclude(level=Place.Level.CITY).select_related("parent").order_by("name")


class HouseholdForm(forms.Form):
    address = forms.CharField(
        label=_("Address (kept encrypted)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, **_AUTO}),
    )
    place = PlaceChoiceField(
        label=_("Area"), queryset=Place.objects.none(), required=False, empty_label="—"
    )
    monthly_income_before = forms.DecimalField(
        label=_("Monthly income before (PKR)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs=_MONEY),
    )
    monthly_income_after = forms.DecimalField(
        label=_("Monthly income now (PKR)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs=_MONEY),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "place", places())

    def service_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in ("address", "place", "monthly_income_before", "monthly_income_after")
            if name in self.fields
        }


class HouseholdCreateForm(HouseholdForm):
    link_member_acts = forms.BooleanField(
        label=_("Link what happened to these members in recorded incidents"),
        required=False,
        initial=True,
    )


class ActChoiceField(_ActsField):
    def label_from_instance(self, obj: Act) -> str:
        return _("%(type)s · incident %(id)s, %(when)s") % {
            "type": obj.get_act_type_display(),
            "id": obj.incident_id,
            "when": obj.incident.when,
        }


class HouseholdEditForm(HouseholdForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    acts = ActChoiceField(
        label=_("What affected the household"),
        queryset=Act.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, acts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if acts is None:
            del self.fields["acts"]
        else:
            choose_from(self, "acts", acts)


class MemberForm(forms.Form):
    """One member: an existing person (by record number) or a new person described here."""

    person_id = forms.IntegerField(
        label=_("Existing person (record number)"), required=False, min_value=1, max_value=2**62
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
    dependant = forms.BooleanField(label=_("Dependant"), required=False)
    schooling = forms.ChoiceField(
        label=_("Schooling"),
        choices=Member.Schooling.choices,
        initial=Member.Schooling.NOT_APPLICABLE,
    )

    NEW_PERSON = ("given_name", "family_name", "full_name_ur", "sex", "age")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.person: Person | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.person = person_named(
            self,
            self.user,
            data,
            "person_id",
            _("Give the member's name, or the record number of a person already recorded."),
        )
        return data

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        member = {name: data.get(name) for name in ("relation", "dependant", "schooling")}
        if self.person is not None:
            member["person"] = self.person
        else:
            member["new_person"] = {name: data.get(name) for name in self.NEW_PERSON}
        return member


class MemberFormSetBase(_FormSet):
    def changed_forms(self) -> list[MemberForm]:
        return [f for f in self.forms if f.has_changed()]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.changed_forms():
            raise ValidationError(_("Add at least one member of the household."))


MemberFormSet = cast(
    "type[MemberFormSetBase]",
    forms.formset_factory(
        MemberForm,
        formset=MemberFormSetBase,
        extra=2,
        max_num=30,
        validate_max=True,
        absolute_max=30,
    ),
)


class MemberUpdateForm(forms.Form):
    relation = forms.ChoiceField(label=_("Relation to the head"), choices=Member.Relation.choices)
    dependant = forms.BooleanField(label=_("Dependant"), required=False)
    schooling = forms.ChoiceField(label=_("Schooling"), choices=Member.Schooling.choices)


class HouseholdFilterForm(forms.Form):
    place = PlaceChoiceField(
        label=_("Area"), queryset=Place.objects.none(), required=False, empty_label=_("Any")
    )
    active = forms.NullBooleanField(
        label=_("Case"),
        required=False,
        widget=forms.Select(
            choices=[
                ("unknown", _("Any")),
                ("true", _("With an active case")),
                ("false", _("Without an active case")),
            ]
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "place", places())
