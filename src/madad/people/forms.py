from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from madad import access
from madad.accounts.models import User
from madad.people.models import Person, Sex

_URDU = {"lang": "ur", "dir": "rtl"}


class PersonSearchForm(forms.Form):
    """Sent by POST only: names, CNICs and phone numbers never go into a URL."""

    q = forms.CharField(
        label=_("Name, CNIC or phone number"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    father_name = forms.CharField(
        label=_("Father's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class PersonFilterForm(forms.Form):
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=[("", _("Any")), *Sex.choices])
    deceased = forms.NullBooleanField(
        label=_("Deceased"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )


class PersonForm(forms.Form):
    given_name = forms.CharField(label=_("Given name (romanised)"), max_length=200, required=False)
    family_name = forms.CharField(
        label=_("Family name (romanised)"), max_length=200, required=False
    )
    full_name_ur = forms.CharField(
        label=_("Full name in Urdu script"),
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs=_URDU),
    )
    aliases = forms.CharField(
        label=_("Aliases"),
        max_length=1000,
        required=False,
        help_text=_("Other names or spellings, one per line, in either script."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    father_name = forms.CharField(label=_("Father's name"), max_length=200, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    age = forms.IntegerField(
        label=_("Age in years"),
        required=False,
        min_value=0,
        max_value=130,
        help_text=_("When the date of birth is not known."),
    )
    cnic = forms.CharField(
        label=_("CNIC"),
        max_length=20,
        required=False,
        help_text=_("13 digits, written #####-#######-#."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=100, required=False)
    mother_tongue = forms.CharField(label=_("Mother tongue"), max_length=50, required=False)
    deceased = forms.BooleanField(label=_("Deceased"), required=False)

    def __init__(self, *args: Any, readable: frozenset[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if readable is not None:
            # a field the user may not read is not offered: saving it blank would erase it
            for name in list(self.fields):
                if name not in readable and name != "version":
                    del self.fields[name]

    def person_data(self) -> dict[str, object]:
        data = {name: self.cleaned_data[name] for name in self.fields if name != "version"}
        if "date_of_birth" in data and data["date_of_birth"] is None:
            data["date_of_birth"] = ""
        return data


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def person_named(
    form: forms.BaseForm, user: User, data: dict[str, Any], field: str, unnamed: str | Promise
) -> Person | None:
    """The person recorded already that a form names by record number in `field`, if it does;
    else the form must give a new person's name (`unnamed` says so otherwise). Puts its errors
    on the form."""
    named = any(data.get(n) for n in ("given_name", "family_name", "full_name_ur"))
    if not data.get(field):
        if not named:
            form.add_error("given_name", str(unnamed))
        return None
    person = access.visible_to(user, Person).filter(pk=data[field]).first()
    if person is None:
        form.add_error(field, _("No person with this record number."))
    elif named:
        form.add_error(field, _("Give a record number or a new person's name, not both."))
    return person
