"""Writes about access grants: create (one coordinator), approve or refuse (another), revoke,
end when their time is up; a grantee's downloads and meeting requests, and the family's answer
through their caseworker.

Every write is one transaction, audited; bad input raises a `Refused` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madad import access
from madad.access.sharing import (
    consent_covers_record,
    ids_in_force,
    is_grantee,
    may_manage_grants,
)
from madad.accounts.models import Organisation, User
from madad.cases.models import Case
from madad.core import validation
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, Invalid, NotAllowed, NotVisible
from madad.core.versioned import update_versioned
from madad.evidence.models import EvidenceFile
from madad.incidents.models import Incident, IncidentType
from madad.incidents.selectors import incident_list
from madad.places.models import Place
from madad.sharing.models import (
    Grant,
    GrantChange,
    GrantDownload,
    GrantedRecord,
    MeetingRequest,
)
from madad.testimonies.models import ConsentPurpose, Testimony

PURPOSE_MAX_CHARS = 2_000
REASON_MAX_CHARS = 2_000
MESSAGE_MAX_CHARS = 2_000
# The longest a grant may run: access that outlives its visit is access forgotten.
LONGEST = dt.timedelta(days=366)

# Which consent a grant to each kind of organisation rests on: a human-rights organisation is
# named in the consent it receives; a visiting delegation is covered by consent to viewing by
# a delegation. Other organisations receive referrals, not grants.
_PURPOSE_FOR_KIND = {
    Organisation.Kind.HUMAN_RIGHTS: ConsentPurpose.HUMAN_RIGHTS_SHARING,
    Organisation.Kind.DELEGATION: ConsentPurpose.DELEGATION_VIEWING,
}


def grantee_organisations() -> QuerySet[Organisation]:
    """Organisations a grant may be given to. A directory, not anybody's records."""
    return Organisation.objects.filter(kind__in=list(_PURPOSE_FOR_KIND)).order_by("name")


def consent_purpose_for(grantee: Organisation) -> str | None:
    """The consent purpose a grant to this organisation rests on; None: it cannot have one."""
    for kind, purpose in _PURPOSE_FOR_KIND.items():
        if grantee.kind == kind:
            return purpose.value
    return None


def has_two_factor(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


def _change(grant: Grant, *, by: User, from_status: str, note: str = "") -> None:
    GrantChange.objects.create(
        grant=grant, from_status=from_status, to_status=grant.status, by=by, note=note
    )


@dataclass
class IncidentFilter:
    """Incidents chosen by what they are rather than one by one: those of the organisation
    that overlap the dates, happened at or below the place and are of one of the types (each
    part optional, at least one given), with their testimonies if asked. The filter is kept
    with the grant (Grant.selection); the records it matched are the grant's, consent-checked
    like any other."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: Place | None = None
    types: list[IncidentType] = field(default_factory=list)
    with_testimonies: bool = True

    def __bool__(self) -> bool:
        return bool(self.date_from or self.date_to or self.place or self.types)

    def saved(self) -> dict[str, object]:
        """What Grant.selection keeps: codes and dates, readable without this code."""
        return {
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
            "place": self.place.code if self.place else None,
            "types": sorted(kind.code for kind in self.types),
            "with_testimonies": self.with_testimonies,
        }


# The most records one filter may add: a grant is read record by record by people outside the
# organisation; thousands at once is a mistake, not a visit.
MAX_FILTERED = 500


@dataclass
class Chosen:
    """The records a coordinator picked for a grant, by kind, and perhaps a filter."""

    testimonies: list[int] = field(default_factory=list)
    incidents: list[int] = field(default_factory=list)
    evidence: list[int] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)
    by_filter: IncidentFilter | None = None

    def __len__(self) -> int:
        return len(self.testimonies) + len(self.incidents) + len(self.evidence) + len(self.cases)


def _filtered(actor: User, chosen: Chosen, errors: Errors) -> tuple[list[int], list[int]]:
    """The incidents (and their testimonies) the chosen filter matches, or what is wrong."""
    wanted = chosen.by_filter
    if not wanted:
        return [], []
    if wanted.date_from and wanted.date_to and wanted.date_to < wanted.date_from:
        errors.add("filter_date_to", _("The end of the period must not be before its start."))
        return [], []
    filters = {
        "date_from": wanted.date_from,
        "date_to": wanted.date_to,
        "place": wanted.place,
        "types": [kind.pk for kind in wanted.types],
    }
    matched = incident_list(user=actor, filters=filters).filter(
        organisation_id=actor.organisation_id
    )
    # confidential incidents never leave the organisation (access.sharing)
    matched = matched.exclude(confidentiality=Incident.Confidentiality.CONFIDENTIAL)
    incidents = list(matched.values_list("pk", flat=True)[: MAX_FILTERED + 1])
    if not incidents:
        errors.add("filter_date_from", _("No incident of your organisation matches the filter."))
    elif len(incidents) > MAX_FILTERED:
        errors.add(
            "filter_date_from",
            _("The filter matches more than %(max)s incidents: narrow it.") % {"max": MAX_FILTERED},
        )
    testimonies: list[int] = []
    if wanted.with_testimonies and incidents and len(incidents) <= MAX_FILTERED:
        testimonies = list(
            access.visible_to(actor, Testimony)
            .filter(organisation_id=actor.organisation_id, incident_id__in=incidents)
            .values_list("pk", flat=True)
        )
    return incidents, testimonies


def _pick(
    actor: User,
    model: type[Testimony] | type[Incident] | type[EvidenceFile] | type[Case],
    ids: Iterable[int],
) -> list[int]:
    """The ids, each a record of the actor's organisation that they may see; any other answers
    as if it did not exist."""
    wanted = sorted(set(ids))
    found = set(
        access.visible_to(actor, model)
        .filter(pk__in=wanted, organisation_id=actor.organisation_id)
        .values_list("pk", flat=True)
    )
    if len(found) != len(wanted):
        raise NotVisible(
            _("One of the chosen records does not exist or is not your organisation's."),
            code="record_not_found",
        )
    return wanted


def _check_readers(
    grantee: Organisation, people: list[User], errors: Errors, *, two_factor: bool
) -> None:
    if not people:
        errors.add("users", _("Name at least one person of the organisation who may read."))
    for user in people:
        if user.organisation_id != grantee.pk or not user.is_active or not is_grantee(user):
            errors.add(
                "users",
                _("%(user)s is not an active reader of the organisation chosen.")
                % {"user": user.email},
            )
        elif two_factor and not has_two_factor(user):
            errors.add(
                "users",
                _("%(user)s must set up two-factor sign-in before being named.")
                % {"user": user.email},
            )


def _check_dates(
    valid_from: dt.date | str | None, valid_until: dt.date | str | None, errors: Errors
) -> tuple[dt.date, dt.date]:
    start = validation.date(valid_from, "valid_from", errors, required=True)
    end = validation.date(valid_until, "valid_until", errors, required=True)
    if start is None or end is None:
        return timezone.localdate(), timezone.localdate()
    if end < start:
        errors.add("valid_until", _("The end date must not be before the start date."))
    elif end < timezone.localdate():
        errors.add("valid_until", _("The end date has passed."))
    elif end - start > LONGEST:
        errors.add("valid_until", _("A grant may run for a year at the most."))
    return start, end


def _refuse_confidential(testimonies: list[int], incidents: list[int], evidence: list[int]) -> None:
    """Confidential incidents, and the testimonies and files about them, do not leave the
    organisation: a grant naming one is refused (the access policy never shows them either)."""
    secret = Incident.Confidentiality.CONFIDENTIAL
    named = (
        Incident.objects.filter(pk__in=incidents, confidentiality=secret).exists()
        or Testimony.objects.filter(pk__in=testimonies, incident__confidentiality=secret).exists()
        or EvidenceFile.objects.filter(pk__in=evidence, incident__confidentiality=secret).exists()
    )
    if named:
        raise Invalid(
            fields={
                "records": [
                    _(
                        "Confidential incidents, and the testimonies and files about them, do not "
                        "leave the organisation: leave them out."
                    )
                ]
            },
            code="confidential",
        )


def grant_create(
    *,
    actor: User,
    grantee: Organisation,
    users: Iterable[User],
    purpose: str,
    valid_from: dt.date | str | None,
    valid_until: dt.date | str | None,
    chosen: Chosen,
    share_transcripts: bool = False,
    share_descriptions: bool = False,
    downloads_allowed: bool = True,
    readers_enrolled_later: bool = False,
) -> Grant:
    """A grant waiting for a second coordinator's approval. Records whose consent does not
    cover this grantee are left out and counted, never named; a grant with none left is
    refused. Readers must have two-factor sign-in set up where it is required
    (settings.REQUIRE_MFA); only the demo, whose accounts set it up at their first sign-in,
    names them before (`readers_enrolled_later`)."""
    if not may_manage_grants(actor):
        raise NotAllowed(_("Your role cannot give access to other organisations."))
    errors = Errors()
    consent_purpose = consent_purpose_for(grantee)
    if grantee.pk == actor.organisation_id or consent_purpose is None:
        errors.add("grantee", _("Choose a human-rights organisation or a visiting delegation."))
    people = list(users)
    _check_readers(
        grantee, people, errors, two_factor=settings.REQUIRE_MFA and not readers_enrolled_later
    )
    text = validation.text(
        purpose, "purpose", errors, max_length=PURPOSE_MAX_CHARS, required=True, multiline=True
    )
    start, end = _check_dates(valid_from, valid_until, errors)
    if not len(chosen) and not chosen.by_filter:
        errors.add("records", _("Choose at least one testimony, incident, evidence file or case."))
    by_incidents, by_testimonies = _filtered(actor, chosen, errors)
    errors.raise_if()
    testimonies = sorted(set(_pick(actor, Testimony, chosen.testimonies)) | set(by_testimonies))
    incidents = sorted(set(_pick(actor, Incident, chosen.incidents)) | set(by_incidents))
    evidence = _pick(actor, EvidenceFile, chosen.evidence)
    _refuse_confidential(testimonies, incidents, evidence)
    cases = _pick(actor, Case, chosen.cases)

    with transaction.atomic():
        grant = Grant.objects.create(
            organisation_id=actor.organisation_id,
            grantee=grantee,
            purpose=text,
            consent_purpose=consent_purpose or "",
            valid_from=start,
            valid_until=end,
            share_transcripts=bool(share_transcripts),
            share_descriptions=bool(share_descriptions),
            downloads_allowed=bool(downloads_allowed),
            selection=chosen.by_filter.saved() if chosen.by_filter else {},
            created_by=actor,
        )
        grant.users.set(people)
        candidates = (
            [GrantedRecord(grant=grant, kind="testimony", testimony_id=pk) for pk in testimonies]
            + [GrantedRecord(grant=grant, kind="incident", incident_id=pk) for pk in incidents]
            + [GrantedRecord(grant=grant, kind="evidence", evidence_id=pk) for pk in evidence]
            + [GrantedRecord(grant=grant, kind="case", case_id=pk) for pk in cases]
        )
        GrantedRecord.objects.bulk_create(candidates)
        # the access policy's rule of consent, asked once for all of them; the rest go
        kept = ids_in_force(grant)
        grant.records.exclude(pk__in=kept).delete()
        if not kept:
            raise Conflict(
                _(
                    "None of the chosen records is covered by the consent of the people in it "
                    "for this organisation. Nothing was saved."
                ),
                code="no_consent",
            )
        grant.left_out = len(candidates) - len(kept)
        grant.save(update_fields=["left_out"])
        _change(grant, by=actor, from_status="")
        audit_record(
            action="grant.created",
            actor=actor,
            obj=grant,
            fields=["grantee", "users", "purpose", "valid_from", "valid_until", "records"],
        )
    return grant


def _decide(grant: Grant, *, actor: User, to: str, version: int | None, note: str = "") -> Grant:
    if not (may_manage_grants(actor) and access.can_change(actor, grant)):
        raise NotAllowed(_("Your role cannot decide on grants."))
    if grant.status != Grant.Status.PENDING:
        raise Conflict(_("This grant has been decided already."), code="already_decided")
    if grant.created_by_id == actor.pk:
        raise NotAllowed(
            _("A grant is approved or refused by a second person, never by the one who made it."),
            code="four_eyes",
        )
    now = timezone.now()
    with transaction.atomic():
        update_versioned(
            grant,
            expected_version=version,
            where=None,
            status=to,
            decided_by=actor,
            decided_at=now,
            end_reason=note,
            ended_at=now if to == Grant.Status.REFUSED else None,
        )
        _change(grant, by=actor, from_status=Grant.Status.PENDING, note=note)
        audit_record(action=f"grant.{to}", actor=actor, obj=grant)
    return grant


def grant_approve(*, grant: Grant, actor: User, version: int | None = None) -> Grant:
    if grant.valid_until < timezone.localdate():
        raise Conflict(_("This grant's end date has passed: make a new one."), code="expired")
    return _decide(grant, actor=actor, to=Grant.Status.APPROVED, version=version)


def grant_refuse(*, grant: Grant, actor: User, reason: str, version: int | None = None) -> Grant:
    errors = Errors()
    text = validation.text(
        reason, "reason", errors, max_length=REASON_MAX_CHARS, required=True, multiline=True
    )
    errors.raise_if()
    return _decide(grant, actor=actor, to=Grant.Status.REFUSED, version=version, note=text)


def grant_revoke(*, grant: Grant, actor: User, reason: str, version: int | None = None) -> Grant:
    """Ends a grant now: from the next request its grantees find nothing."""
    if not (may_manage_grants(actor) and access.can_change(actor, grant)):
        raise NotAllowed(_("Your role cannot revoke grants."))
    errors = Errors()
    text = validation.text(
        reason, "reason", errors, max_length=REASON_MAX_CHARS, required=True, multiline=True
    )
    errors.raise_if()
    if grant.status not in (Grant.Status.PENDING, Grant.Status.APPROVED):
        raise Conflict(_("This grant has ended already."), code="ended")
    before = grant.status
    with transaction.atomic():
        update_versioned(
            grant,
            expected_version=version,
            status=Grant.Status.REVOKED,
            ended_at=timezone.now(),
            end_reason=text,
        )
        _change(grant, by=actor, from_status=before, note=text)
        audit_record(action="grant.revoked", actor=actor, obj=grant)
    return grant


def grants_close_expired(*, today: dt.date | None = None) -> list[Grant]:
    """Ends every approved grant whose last day has passed (the daily task). Access already
    stops at the end date; this records it and shows the coordinators which ended."""
    day = today or timezone.localdate()
    ended = []
    for grant in Grant.objects.filter(status=Grant.Status.APPROVED, valid_until__lt=day):
        with transaction.atomic():
            update_versioned(
                grant,
                where=None,
                status=Grant.Status.EXPIRED,
                ended_at=timezone.now(),
                end_reason=_("Its last day passed."),
            )
            GrantChange.objects.create(
                grant=grant,
                from_status=Grant.Status.APPROVED,
                to_status=Grant.Status.EXPIRED,
                by=grant.decided_by or grant.created_by,
                note="expired",
            )
            audit_record(action="grant.expired", obj=grant, organisation=grant.organisation)
        ended.append(grant)
    return ended


# --- The grantee's side ----------------------------------------------------------------------
def download_record(*, granted: GrantedRecord, user: User) -> GrantDownload:
    """Records one download by a grantee, with the identifier to stamp into the file."""
    access.get_visible_or_404(user, GrantedRecord, pk=granted.pk)
    if not is_grantee(user):
        raise NotAllowed(_("Only the grant's readers download its records."))
    if not granted.grant.downloads_allowed:
        raise NotAllowed(_("This grant does not allow downloads."), code="downloads_off")
    with transaction.atomic():
        download = GrantDownload.objects.create(granted_record=granted, user=user)
        audit_record(
            action="grant.record.downloaded",
            actor=user,
            organisation=granted.grant.organisation,
            obj=granted,
            fields=[f"download.{download.identifier.hex}"],
        )
    return download


def meeting_request(*, granted: GrantedRecord, user: User, message: str) -> MeetingRequest:
    """A grantee asks to meet the people of a granted incident."""
    access.get_visible_or_404(user, GrantedRecord, pk=granted.pk)
    if not is_grantee(user):
        raise NotAllowed(_("Only the grant's readers ask for meetings."))
    errors = Errors()
    if granted.kind != GrantedRecord.Kind.INCIDENT:
        errors.add("granted_record", _("Meetings are asked about an incident."))
    text = validation.text(
        message, "message", errors, max_length=MESSAGE_MAX_CHARS, required=True, multiline=True
    )
    errors.raise_if()
    if MeetingRequest.objects.filter(
        granted_record=granted, status=MeetingRequest.Status.ASKED
    ).exists():
        raise Conflict(
            _("A request to meet this family is already waiting for their answer."),
            code="already_asked",
        )
    try:
        with transaction.atomic():
            meeting = MeetingRequest.objects.create(
                granted_record=granted, requested_by=user, message=text
            )
            audit_record(
                action="meeting.requested",
                actor=user,
                organisation=granted.grant.organisation,
                obj=meeting,
                fields=["message"],
            )
    except IntegrityError as exc:  # a second request at the same moment (one waits at a time)
        raise Conflict(
            _("A request to meet this family is already waiting for their answer."),
            code="already_asked",
        ) from exc
    return meeting


def meeting_answer(
    *,
    meeting: MeetingRequest,
    actor: User,
    family_agrees: bool,
    meeting_at: dt.datetime | None = None,
    meeting_place: str = "",
    version: int | None = None,
) -> MeetingRequest:
    """The caseworker records the family's answer; a meeting is set only with their consent,
    at the time and place the caseworker sets."""
    if not access.can_change(actor, meeting):
        access.get_visible_or_404(actor, MeetingRequest, pk=meeting.pk)
        raise NotAllowed(_("Only the family's caseworker answers for the family."))
    errors = Errors()
    place = ""
    if family_agrees:
        if meeting_at is None:
            errors.add("meeting_at", _("Set the time of the meeting."))
        elif meeting_at < timezone.now():
            errors.add("meeting_at", _("The meeting time has passed."))
        place = validation.text(
            meeting_place, "meeting_place", errors, max_length=500, required=True
        )
    errors.raise_if()
    if meeting.status != MeetingRequest.Status.ASKED:
        raise Conflict(_("This request has been answered already."), code="already_answered")
    granted = meeting.granted_record
    if family_agrees and not (
        granted.grant.in_force_on(timezone.localdate())
        and consent_covers_record(granted.grant, granted)
    ):
        raise Conflict(
            _(
                "The grant has ended, or the family's consent no longer covers it: no meeting "
                "can be arranged through it."
            ),
            code="grant_not_in_force",
        )
    with transaction.atomic():
        update_versioned(
            meeting,
            expected_version=version,
            where=None,
            status=MeetingRequest.Status.ARRANGED
            if family_agrees
            else MeetingRequest.Status.DECLINED,
            answered_by=actor,
            answered_at=timezone.now(),
            meeting_at=meeting_at if family_agrees else None,
            meeting_place=place,
        )
        audit_record(
            action="meeting.arranged" if family_agrees else "meeting.declined",
            actor=actor,
            obj=meeting,
            fields=["meeting_at", "meeting_place"] if family_agrees else [],
        )
    return meeting
