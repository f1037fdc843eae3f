"""Forms of the coordinators' grant pages: a new grant, and the reason and version that go with
a decision on one.

Records are offered by number, date and a label that names nobody: a testimony by its date and
language, an incident by its start date and place, an evidence file by its upload date and
kind, a case by the month it was opened and its status. Never a person's name, never an
incident's (encrypted) title: a choice list is no place to decrypt identities.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from madad import access
from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.core.forms import choose_from
from madad.evidence.models import EvidenceFile
from madad.incidents.forms import PlaceChoiceField, TypeChoiceField
from madad.incidents.models import Incident, IncidentType
from madad.places.models import Place
from madad.sharing.services import (
    PURPOSE_MAX_CHARS,
    REASON_MAX_CHARS,
    IncidentFilter,
    grantee_organisations,
)
from madad.testimonies.forms import RecordChoiceField
from madad.testimonies.models import Testimony

_DATE = {"type": "date"}


def _day(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _data(value: str) -> SafeString:
    """A name as it was typed: never translated, in the direction of its own script."""
    return format_html('<span translate="no" dir="auto">{}</span>', value)


def testimony_label(testimony: Testimony) -> str:
    return str(
        _("Testimony #%(id)s, %(date)s, %(language)s")
        % {
            "id": testimony.pk,
            "date": _day(testimony.date),
            "language": testimony.get_language_display(),
        }
    )


def incident_label(incident: Incident) -> SafeString:
    place = incident.place
    name = place.name_ur if get_language() == "ur" and place.name_ur else place.name
    return mark_safe(  # noqa: S308 - the template is escaped and each value is escaped
        conditional_escape(_("Incident #%(id)s, %(date)s, %(place)s"))
        % {"id": incident.pk, "date": escape(_day(incident.start_date)), "place": _data(name)}
    )


def evidence_label(evidence: EvidenceFile) -> str:
    return str(
        _("Evidence file #%(id)s, %(date)s, %(kind)s")
        % {
            "id": evidence.pk,
            "date": _day(evidence.uploaded_at),
            "kind": evidence.get_kind_display(),
        }
    )


def case_label(case: Case) -> str:
    return str(
        _("Case #%(id)s, opened %(month)s, %(status)s")
        % {
            "id": case.pk,
            "month": date_format(timezone.localtime(case.opened_at), "YEAR_MONTH_FORMAT"),
            "status": case.get_status_display(),
        }
    )


def _reader_label(user: User) -> SafeString:
    return _data(f"{user.full_name} ({user.organisation.name})")


class GrantForm(forms.Form):
    """A new grant. The rules (readers of the chosen organisation with two-factor sign-in,
    dates, a purpose, at least one record) are the service's; the form offers the choices."""

    grantee = RecordChoiceField(
        label=_("Shared with"),
        queryset=Organisation.objects.none(),
        help_text=_("A human-rights organisation or a visiting delegation."),
    )
    users = forms.TypedMultipleChoiceField(
        label=_("People who may read"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only people of the organisation chosen, with two-factor sign-in."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=PURPOSE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why they may read these records. The readers see it too."),
    )
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs=_DATE))
    valid_until = forms.DateField(
        label=_("Until"),
        widget=forms.DateInput(attrs=_DATE),
        help_text=_("A grant may run for a year at the most."),
    )
    share_transcripts = forms.BooleanField(label=_("Share testimony texts"), required=False)
    share_descriptions = forms.BooleanField(
        label=_("Share incident descriptions and evidence descriptions"), required=False
    )
    downloads_allowed = forms.BooleanField(label=_("Allow downloads"), required=False, initial=True)
    testimonies = forms.TypedMultipleChoiceField(
        label=_("Testimonies"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    incidents = forms.TypedMultipleChoiceField(
        label=_("Incidents"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.TypedMultipleChoiceField(
        label=_("Evidence files"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    cases = forms.TypedMultipleChoiceField(
        label=_("Case summaries"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only the case's status, the months it was opened and closed, and counts of "
            "assistance, referrals and claims; never names, notes, the plan or amounts."
        ),
    )

    filter_date_from = forms.DateField(
        label=_("Incidents from"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    filter_date_to = forms.DateField(
        label=_("Incidents until"), required=False, widget=forms.DateInput(attrs=_DATE)
    )
    filter_place = PlaceChoiceField(
        label=_("In the district or town"), queryset=Place.objects.none(), required=False
    )
    filter_types = TypeChoiceField(
        label=_("Of the types"),
        queryset=IncidentType.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    filter_with_testimonies = forms.BooleanField(
        label=_("With the testimonies about them"), required=False, initial=True
    )

    RECORD_FIELDS = ("testimonies", "incidents", "evidence", "cases")
    FILTER_FIELDS = ("filter_date_from", "filter_date_to", "filter_place")
    SWITCHES = ("share_transcripts", "share_descriptions", "downloads_allowed")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grantees = grantee_organisations()
        cast(RecordChoiceField, self.fields["grantee"]).queryset = grantees
        readers = (
            User.objects.filter(organisation__in=grantees, is_active=True)
            .select_related("organisation")
            .order_by("organisation__name", "full_name", "pk")
        )
        self._choose("users", [(u.pk, _reader_label(u)) for u in readers])
        own = {"organisation_id": user.organisation_id}
        testimonies = access.visible_to(user, Testimony).filter(**own).order_by("-date", "-pk")
        incidents = (
            access.visible_to(user, Incident)
            .filter(**own)
            .select_related("place")
            .order_by("-start_date", "-pk")
        )
        evidence = access.visible_to(user, EvidenceFile).filter(**own).order_by("-uploaded_at")
        cases = access.visible_to(user, Case).filter(**own).order_by("-opened_at", "-pk")
        self._choose("testimonies", [(t.pk, testimony_label(t)) for t in testimonies])
        self._choose("incidents", [(i.pk, incident_label(i)) for i in incidents])
        self._choose("evidence", [(e.pk, evidence_label(e)) for e in evidence])
        self._choose("cases", [(c.pk, case_label(c)) for c in cases])
        places = Place.objects.filter(level__in=[Place.Level.DISTRICT, Place.Level.TOWN])
        choose_from(self, "filter_place", places.order_by("level", "name"))
        choose_from(self, "filter_types", IncidentType.objects.filter(active=True))

    def incident_filter(self) -> IncidentFilter | None:
        """The filter the coordinator set, if any part of it (after is_valid())."""
        data = self.cleaned_data
        chosen = IncidentFilter(
            date_from=data.get("filter_date_from"),
            date_to=data.get("filter_date_to"),
            place=data.get("filter_place"),
            types=list(data.get("filter_types") or []),
            with_testimonies=bool(data.get("filter_with_testimonies")),
        )
        return chosen if chosen else None

    def _choose(self, name: str, choices: list[tuple[int, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def clean_users(self) -> list[User]:
        ids = self.cleaned_data["users"]
        return list(User.objects.filter(pk__in=ids).select_related("organisation"))

    def record_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.RECORD_FIELDS]

    def switch_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.SWITCHES]


class GrantDecisionForm(forms.Form):
    """The version of the grant the coordinator read (a decision on an older one is refused)
    and, to refuse or revoke, the reason, which the service requires."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
