"""Forms of the public site (filters, the report form) and of the staff pages for public texts."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from madad.incidents.models import Act, IncidentType
from madad.intake.services import CONTACT_MAX, WHAT_MAX, WHERE_MAX
from madad.places.models import Place
from madad.public.models import ClaimCheck, FactSheet, Rating, Status
from madad.public.selectors import PublicFilters
from madad.public.selectors.incidents import type_table
from madad.public.selectors.places import Gazetteer


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class _OneOrMany(forms.Select):
    """A single select whose value may also come several times in a link (type=a&type=b)."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)


class PublicFilterForm(forms.Form):
    """Filters of the dashboard, map and incident list. Invalid values are reported and
    ignored: a public page never fails on a hand-edited link."""

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput)
    type = forms.MultipleChoiceField(label=_("Type of incident"), required=False, widget=_OneOrMany)
    district = forms.ChoiceField(label=_("District"), required=False)
    town = forms.ChoiceField(label=_("Town"), required=False)
    place = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    year = forms.IntegerField(
        required=False, min_value=1900, max_value=2100, widget=forms.HiddenInput
    )
    act = forms.ChoiceField(label=_("What happened to a victim"), required=False)

    def __init__(self, data: Any = None, *, gazetteer: Gazetteer, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.gazetteer = gazetteer
        choices: dict[str, list[tuple[str, Any]]] = {
            "type": [("", _("All types")), *[(t.code, t.label) for t in type_table().values()]],
            "district": [
                ("", _("All districts")),
                *[(p.code, p.label) for p in gazetteer.districts],
            ],
            "town": [("", _("All towns")), *[(p.code, p.label) for p in gazetteer.towns]],
            "act": [("", _("Anything")), *Act.Type.choices],
        }
        for name, options in choices.items():
            field: Any = self.fields[name]
            field.choices = options

    def clean_type(self) -> list[str]:
        return [t for t in self.cleaned_data.get("type") or [] if t]

    def clean_place(self) -> str:
        code = self.cleaned_data.get("place") or ""
        if code and code not in self.gazetteer.by_code:
            raise ValidationError(_("There is no such place."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> PublicFilters:
        """The valid filters (invalid ones are left out and shown as errors)."""
        if self.data:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if self.errors.get("date_to") and "date_to" in data:
            data = {**data, "date_to": None}
        return PublicFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year"),
            types=tuple(data.get("type") or ()),
            district=data.get("district") or "",
            town=data.get("town") or "",
            place=data.get("place") or "",
            act=data.get("act") or "",
        )


# --- Staff ----------------------------------------------------------------------------------
def parse_incident_numbers(text: str) -> list[int]:
    """ "12, 45 and 311" → [12, 45, 311]."""
    numbers = re.findall(r"\d+", text or "")
    if (text or "").strip() and not numbers:
        raise ValidationError(_("Write the incident numbers, separated by commas."))
    return sorted({int(n) for n in numbers})


class _TextForm(forms.ModelForm[Any]):
    incident_numbers = forms.CharField(
        label=_("Verified incidents behind it"),
        required=False,
        help_text=_("Numbers of public incidents, separated by commas."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            ids = self.instance.incidents.values_list("id", flat=True)
            self.initial["incident_numbers"] = ", ".join(str(i) for i in sorted(ids))
            self.initial["version"] = self.instance.version

    def clean_incident_numbers(self) -> list[int]:
        return parse_incident_numbers(self.cleaned_data.get("incident_numbers", ""))


class FactSheetForm(_TextForm):
    class Meta:
        model = FactSheet
        fields = list(FactSheet.WRITTEN)
        widgets = {
            "title_ur": forms.TextInput(attrs={"dir": "rtl", "lang": "ur"}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_ur": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ur"}),
            "body_en": forms.Textarea(attrs={"rows": 14}),
            "body_ur": forms.Textarea(attrs={"rows": 14, "dir": "rtl", "lang": "ur"}),
        }
        help_texts = {
            "body_en": _(
                "Blank lines between paragraphs; “## ” starts a heading, “- ” a list "
                "item. Live figures are written as shown under the form."
            ),
        }


class ClaimCheckForm(_TextForm):
    claim_url = forms.URLField(
        label=_("link to the claim"), required=False, assume_scheme="https", max_length=200
    )
    factsheets = forms.ModelMultipleChoiceField(
        label=_("Fact sheets that support the rating"),
        required=False,
        queryset=FactSheet.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ClaimCheck
        fields = list(ClaimCheck.WRITTEN)
        widgets = {
            "claim_en": forms.Textarea(attrs={"rows": 3}),
            "claim_ur": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ur"}),
            "claim_date": DateInput,
            "rating": forms.Select(choices=[("", "---------"), *Rating.choices]),
            "explanation_en": forms.Textarea(attrs={"rows": 10}),
            "explanation_ur": forms.Textarea(attrs={"rows": 10, "dir": "rtl", "lang": "ur"}),
        }

    def __init__(self, *args: Any, organisation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["factsheets"]
        field.queryset = FactSheet.objects.filter(
            organisation=organisation, status=Status.PUBLISHED
        ).order_by("title_en")
        # the title in the language of the page (both are required to publish)
        field.label_from_instance = lambda s: s.title_ur if get_language() == "ur" else s.title_en
        if self.instance.pk and not self.is_bound:
            self.initial["factsheets"] = list(self.instance.factsheets.values_list("id", flat=True))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


# --- the public report form -------------------------------------------------------------------
# The intake service checks the answers and says what is wrong with them; these forms only
# show the fields and hand the answers on, so a place or type not in the lists reaches the
# service and gets its message.
class _AnyChoice(forms.ChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


class _AnyChoices(forms.MultipleChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True


def report_places() -> list[tuple[Any, Any]]:
    """Districts, each with its towns, as grouped choices; names in the page's language."""
    urdu = (get_language() or "").startswith("ur")
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in Place.objects.filter(level__in=[Place.Level.DISTRICT, Place.Level.TOWN])
        .order_by("name")
        .values("id", "name", "name_ur", "level", "parent_id")
    ]

    def label(row: dict[str, Any]) -> str:
        return str(row["name_ur"] if urdu and row["name_ur"] else row["name"])

    districts = [r for r in rows if r["level"] == Place.Level.DISTRICT]
    towns: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        if row["level"] == Place.Level.TOWN:
            towns.setdefault(row["parent_id"], []).append(row)
    choices: list[tuple[Any, Any]] = [("", gettext("Not sure, or somewhere else"))]
    for district in districts:
        name = label(district)
        options = [
            (district["id"], gettext("%(district)s (the whole district)") % {"district": name})
        ]
        options += [(town["id"], label(town)) for town in towns.get(district["id"], [])]
        choices.append((name, options))
    return choices


class ReportForm(forms.Form):
    what = forms.CharField(
        label=_("What happened?"),
        required=False,
        strip=False,
        help_text=_(
            "In your own words: what happened, to whom, and what you saw or heard. You do not "
            "have to give anybody's name."
        ),
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": WHAT_MAX, "required": True}),
    )
    when = forms.CharField(
        label=_("When did it happen?"),
        required=False,
        help_text=_("Leave it empty if you do not know."),
        widget=DateInput,
    )
    place = _AnyChoice(
        label=_("Where did it happen?"),
        required=False,
        widget=forms.Select(attrs={"translate": "no"}),
    )
    where = forms.CharField(
        label=_("Where exactly?"),
        required=False,
        help_text=_("For example a street, a market or a landmark nearby. Optional."),
        widget=forms.TextInput(attrs={"maxlength": WHERE_MAX}),
    )
    types = _AnyChoices(
        label=_("What kind of incident was it?"),
        required=False,
        help_text=_("Choose any that fit, or none."),
        widget=forms.CheckboxSelectMultiple,
    )
    contact = forms.CharField(
        label=_("How can we reach you? (optional)"),
        required=False,
        help_text=_(
            "Leave this empty to stay anonymous. Only write a phone number or an email address "
            "if you want a person from the organisation to contact you, and only one that is "
            "safe for you."
        ),
        widget=forms.TextInput(attrs={"maxlength": CONTACT_MAX, "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        place: Any = self.fields["place"]
        place.choices = report_places()
        types: Any = self.fields["types"]
        types.choices = [
            (t.code, t.label)
            for t in IncidentType.objects.filter(active=True).order_by("position", "name")
        ]
        self.fields["when"].widget.attrs["max"] = timezone.localdate().isoformat()

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data.get(name) for name in ("what", "when", "place", "where", "types", "contact")
        }


class ReportAddForm(forms.Form):
    receipt = forms.CharField(
        label=_("Your receipt code"),
        required=False,
        help_text=_(
            "The code you were shown when you sent your report: four groups of four letters "
            "and digits."
        ),
        widget=forms.TextInput(
            attrs={
                "maxlength": 40,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "dir": "ltr",
                "required": True,
            }
        ),
    )
    what = forms.CharField(
        label=_("What would you like to add?"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": WHAT_MAX, "required": True}),
    )
