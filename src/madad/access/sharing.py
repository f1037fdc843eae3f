"""Who sees access grants, the records they open and the meetings asked through them.

- A grant belongs to the relief organisation that gave it. Its coordinators (``grant.manage``)
  see, create, approve (never their own), revoke and audit its grants.
- A grantee is a user of the receiving organisation, named in the grant, whose role carries
  ``grant.read``. They see a grant only while it is in force: approved, not revoked, and today
  between its dates. Before, after, or once revoked, it and everything it opened answer 404,
  from the very next request: nothing here is cached.
- A granted record is shown to the grantee only while the recorded consent of the people in
  it covers the grant's purpose (and, for sharing with a human-rights organisation, that
  organisation by name): a testimony's giver; every victim of an incident (an incident with
  no recorded victim has nobody to consent and is not shared); an evidence file follows its
  testimony, or else its incident; a case, every person of its household (its head and each
  member; a household with no person has nobody to consent and is not shared). A withdrawal
  of consent removes the record from every grant at once. The rule of consent is
  testimonies.models.decision_in_force, written here as SQL (with_consent_in_force) so that a
  grant of any size is one query. Nothing about a confidential incident is ever shown.
- The grantee reads only the fields the grant allows for each kind (`granted_fields`); never
  a name, an identity number, a phone number, an address, a source or an alleged
  perpetrator. People are shown by a pseudonym given within the grant. Of a case the grantee
  reads a summary: its status and the months it was opened and closed, with counts the grantee
  area computes from its id (assistance by kind, referrals and claims by status); never its
  plan, notes, tasks, risk, caseworker, members, amounts or exact dates.
- A meeting request is seen by the grantee users of its grant (while in force), by the
  grant's coordinators, and by the caseworkers who see a case of a family it concerns.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from madad.access.base import Rules, can, in_relief_org, is_staff_user
from madad.access.cases import case_visibility
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.cases.models import Case
from madad.households.models import Member
from madad.incidents.models import Act, Incident
from madad.sharing.models import Grant, GrantedRecord
from madad.testimonies.models import PURPOSES_WITH_RECIPIENT, ConsentDecision, ConsentRecord


def may_manage_grants(user: Any) -> bool:
    return is_staff_user(user) and in_relief_org(user) and can(user, Capability.GRANT_MANAGE)


def is_grantee(user: Any) -> bool:
    return is_staff_user(user) and not in_relief_org(user) and can(user, Capability.GRANT_READ)


def grants_in_force(user: User, queryset: QuerySet[Grant] | None = None) -> QuerySet[Grant]:
    """The grants this grantee may use today."""
    grants = Grant.objects.all() if queryset is None else queryset
    if not is_grantee(user):
        return grants.none()
    today = timezone.localdate()
    return grants.filter(
        status=Grant.Status.APPROVED,
        valid_from__lte=today,
        valid_until__gte=today,
        grantee_id=user.organisation_id,
        users=user,
    )


# --- Consent ---------------------------------------------------------------------------------
# The rule is testimonies.models.decision_in_force (the latest decision made on or before today
# wins; a purpose that names its recipient counts only decisions about that recipient), written
# as subqueries so that which of any number of granted records may be shown is one query.
# tests/sharing/test_consent_rule.py checks that both agree.
def _latest(person: Any, purpose: Any, grantee: Any, testimony: Any = None) -> Subquery:
    """The decision in force today of `person` for `purpose` (about all their records and,
    with `testimony`, about that testimony too); the person, the grant's purpose and its
    grantee are outer references at the caller's depth."""
    decisions = ConsentRecord.objects.filter(
        person_id=person, purpose=purpose, date__lte=timezone.localdate()
    ).filter(~Q(purpose__in=list(PURPOSES_WITH_RECIPIENT)) | Q(recipient_id=grantee))
    if testimony is None:
        decisions = decisions.filter(testimony__isnull=True)
    else:
        decisions = decisions.filter(Q(testimony__isnull=True) | Q(testimony_id=testimony))
    return Subquery(decisions.order_by("-date", "-recorded_at", "-id").values("decision")[:1])


def _refusing(people: QuerySet[Any], person_field: str) -> QuerySet[Any]:
    """The rows of `people` (a subquery inside the granted records' query) whose person's
    decision in force is not "given"."""
    latest = _latest(
        OuterRef(person_field),
        OuterRef(OuterRef("grant__consent_purpose")),
        OuterRef(OuterRef("grant__grantee_id")),
    )
    # no decision at all (NULL) refuses too: exclude(latest="given") would let it through
    refusing: QuerySet[Any] = people.alias(latest=latest).filter(
        Q(latest__isnull=True) | ~Q(latest=ConsentDecision.GIVEN)
    )
    return refusing


def _all_victims_consent(incident_field: str) -> Q:
    """The incident has at least one victim, and every victim consents."""
    victims = Act.objects.filter(incident_id=OuterRef(incident_field))
    return Q(Exists(victims)) & ~Q(Exists(_refusing(victims, "victim_id")))


def with_consent_in_force(records: QuerySet[GrantedRecord]) -> QuerySet[GrantedRecord]:
    """The granted records that may be shown today: none of them about a confidential incident,
    and their people consent, today, to their grant's kind of sharing:
    a testimony's giver (about all their records or that testimony); every victim of an
    incident (none recorded: nobody to consent, not shared); an evidence file, its testimony's
    giver, or else its incident's victims; a case, its household's head and every member who
    is a person record (at least one)."""
    purpose, grantee = OuterRef("grant__consent_purpose"), OuterRef("grant__grantee_id")
    members = Member.objects.filter(household_id=OuterRef("case__household_id"))
    given = ConsentDecision.GIVEN
    annotated = records.alias(
        testimony_consent=_latest(
            OuterRef("testimony__person_id"), purpose, grantee, OuterRef("testimony_id")
        ),
        evidence_consent=_latest(
            OuterRef("evidence__testimony__person_id"),
            purpose,
            grantee,
            OuterRef("evidence__testimony_id"),
        ),
        head_consent=_latest(OuterRef("case__household__head_id"), purpose, grantee),
    )
    family = (
        (Q(case__household__head__isnull=True) | Q(head_consent=given))
        & (Q(case__household__head__isnull=False) | Q(Exists(members)))
        & ~Q(Exists(_refusing(members, "person_id")))
    )
    covered = (
        Q(kind=GrantedRecord.Kind.TESTIMONY, testimony_consent=given)
        | (Q(kind=GrantedRecord.Kind.INCIDENT) & _all_victims_consent("incident_id"))
        | Q(
            kind=GrantedRecord.Kind.EVIDENCE,
            evidence__testimony__isnull=False,
            evidence_consent=given,
        )
        | (
            Q(kind=GrantedRecord.Kind.EVIDENCE, evidence__testimony__isnull=True)
            & _all_victims_consent("evidence__incident_id")
        )
        | (Q(kind=GrantedRecord.Kind.CASE, case__isnull=False) & family)
    )
    return annotated.filter(covered).filter(_not_confidential())


def _not_confidential() -> Q:
    """Confidential incidents never leave the organisation (access.incidents), nor do the
    testimonies and files about them: a grant made before an incident was marked confidential
    stops showing it from the next request."""
    secret = Incident.Confidentiality.CONFIDENTIAL
    return (
        ~Q(incident__confidentiality=secret)
        & ~Q(testimony__incident__confidentiality=secret)
        & ~Q(evidence__incident__confidentiality=secret)
    )


def household_people(case_ids: list[int]) -> dict[int, list[int]]:
    """Case id → the ids of the people of its household: the head first, then each member who
    is a person record, in the order they were added (each once)."""
    cases = Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "household_id", "household__head_id"
    )
    people: dict[int, list[int]] = {}
    households: dict[int, list[int]] = {}
    for case_id, household_id, head_id in cases:
        people[case_id] = [head_id] if head_id else []
        households.setdefault(household_id, []).append(case_id)
    members = Member.objects.filter(household_id__in=list(households)).order_by("pk")
    for household_id, person_id in members.values_list("household_id", "person_id"):
        for case_id in households[household_id]:
            if person_id not in people[case_id]:
                people[case_id].append(person_id)
    return people


def consent_covers_record(grant: Grant, record: GrantedRecord) -> bool:
    """Whether the people in this (saved) record consent, today, to its grant's sharing."""
    return with_consent_in_force(GrantedRecord.objects.filter(pk=record.pk)).exists()


def ids_in_force(grant: Grant) -> set[int]:
    """The ids of the grant's records whose consent holds today (whatever the grant's state)."""
    return set(with_consent_in_force(grant.records.all()).values_list("pk", flat=True))


# --- Fields ----------------------------------------------------------------------------------
_ALWAYS: dict[str, frozenset[str]] = {
    GrantedRecord.Kind.TESTIMONY: frozenset({"date", "language"}),
    GrantedRecord.Kind.INCIDENT: frozenset(
        {"start_date", "start_precision", "types", "place", "status", "public_summary"}
    ),
    GrantedRecord.Kind.EVIDENCE: frozenset({"kind", "content_type", "size", "uploaded_at"}),
    # a case's summary: its counts are read by the grantee area from its id alone
    GrantedRecord.Kind.CASE: frozenset({"status", "opened_at", "closed_at"}),
}
# Fields a grant may add, each with the grant's switch; these are the sensitive ones, and a
# read of them is audited.
_OPTIONAL: dict[str, dict[str, str]] = {
    GrantedRecord.Kind.TESTIMONY: {"transcript": "share_transcripts"},
    GrantedRecord.Kind.INCIDENT: {"description": "share_descriptions"},
    GrantedRecord.Kind.EVIDENCE: {"description": "share_descriptions"},
    GrantedRecord.Kind.CASE: {},
}


def granted_fields(grant: Grant, kind: str) -> frozenset[str]:
    """The fields of a record of `kind` that this grant opens."""
    optional = {name for name, switch in _OPTIONAL[kind].items() if getattr(grant, switch)}
    return _ALWAYS[kind] | optional


# --- Rules -----------------------------------------------------------------------------------
class GrantRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_manage_grants(user):
            return queryset.filter(organisation_id=user.organisation_id)
        return grants_in_force(user, queryset)

    def can_change(self, user: User, obj: Any) -> bool:
        return may_manage_grants(user) and obj.organisation_id == user.organisation_id


class GrantedRecordRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if may_manage_grants(user):
            return queryset.filter(grant__organisation_id=user.organisation_id)
        if not is_grantee(user):
            return queryset.none()
        in_force = queryset.filter(grant__in=grants_in_force(user).values("pk"))
        return with_consent_in_force(in_force)

    def fields_of(self, user: User, obj: Any, fields: frozenset[str]) -> frozenset[str]:
        return granted_fields(obj.grant, obj.kind)


def _families_cases(user: User) -> Q | None:
    """Meeting requests about an incident whose victims belong to a household with a case this
    user sees."""
    condition = case_visibility(user)
    if condition is None:
        return None
    households = Case.objects.filter(condition).values("household_id")
    return Q(
        granted_record__incident__acts__victim__household_memberships__household__in=households
    )


class MeetingRequestRules(Rules):
    def visible(self, user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if is_grantee(user):
            return queryset.filter(
                granted_record__in=GrantedRecordRules().visible(user, GrantedRecord.objects.all()),
                requested_by__organisation_id=user.organisation_id,
            )
        if not (is_staff_user(user) and in_relief_org(user)):
            return queryset.none()
        own = Q(granted_record__grant__organisation_id=user.organisation_id)
        allowed = Q(pk__in=[])
        if may_manage_grants(user):
            allowed |= own
        families = _families_cases(user)
        if families is not None:
            allowed |= own & families
        return queryset.filter(allowed).distinct()

    def can_change(self, user: User, obj: Any) -> bool:
        """Answering for the family: their caseworker (or a coordinator of the grant)."""
        if not (is_staff_user(user) and in_relief_org(user)):
            return False
        if not (can(user, Capability.CASE_EDIT) or may_manage_grants(user)):
            return False
        return self.visible(user, type(obj)._default_manager.filter(pk=obj.pk)).exists()


RULES: dict[str, Rules] = {
    "sharing.grant": GrantRules(
        public_fields=frozenset(
            {
                "id",
                "organisation",
                "grantee",
                "users",
                "purpose",
                "consent_purpose",
                "valid_from",
                "valid_until",
                "share_transcripts",
                "share_descriptions",
                "downloads_allowed",
                "status",
                "left_out",
                "created_by",
                "created_at",
                "decided_by",
                "decided_at",
                "ended_at",
                "end_reason",
            }
        )
    ),
    "sharing.grantedrecord": GrantedRecordRules(),
    "sharing.meetingrequest": MeetingRequestRules(
        public_fields=frozenset(
            {
                "id",
                "granted_record",
                "requested_by",
                "requested_at",
                "message",
                "status",
                "answered_at",
                "meeting_at",
                "meeting_place",
            }
        ),
    ),
}


def may_see_meeting_requests(user: Any) -> bool:
    """Relief staff who may answer for a family (caseworkers) or manage grants (coordinators)
    see the meeting requests about their organisation's granted incidents."""
    return (
        is_staff_user(user)
        and in_relief_org(user)
        and (can(user, Capability.CASE_EDIT) or can(user, Capability.GRANT_MANAGE))
    )
