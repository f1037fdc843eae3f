"""What every staff URL and every API operation should answer, written down once per operation.

Read by tests/test_permission_matrix.py, which asks each operation as every role of the
organisation that owns the records ("own"), as every role of another organisation ("other")
and anonymously. The groups of roles below are copied from the access policy
(madad/access/roles.py) on purpose, not imported: the matrix checks the code against what was
decided, so a capability granted by mistake there shows up here as a failing cell.

An expectation is made by one of four words:

- `page(roles)`: a page with no record in its URL. The roles named may use it (`ok`); every
  other role is refused (`refused`, 403); another organisation's user of a named role gets the
  page of their own organisation (so `ok` too).
- `record(roles)`: a URL naming a record of the owner organisation. The roles named may use it;
  other roles are refused (`refused`, 404 by default: records one may not see do not exist);
  another organisation's users always get 404.
- `anyone(ok)`: the same answer for every signed-in user (their own account's pages).
- `public(ok)`: the same answer for everybody, signed in or not.

Answers are a status code or one of these outcomes:

- LOGIN: a redirect to the sign-in page (an anonymous visitor of a staff page).
- MOVED: a redirect elsewhere (an action done, or a page that sends a signed-in user on).
- EMPTY: 200 with no record in it (an API list for a role that may see none of them).
- ACCEPTED: the request got past every access check and was judged on its content: 2xx,
  a redirect after success, 409 (the record's state refuses it) or 422 (the empty or
  minimal body the matrix sends is invalid). Used for writes by the roles that may write.

A write (POST, PATCH, PUT, DELETE) is sent with an empty form (HTML) or the smallest body the
OpenAPI schema accepts (API), so a refused role must be refused before the content is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from madad.accounts.roles import Role

LOGIN: Final = "login"
MOVED: Final = "moved"
EMPTY: Final = "empty"
ACCEPTED: Final = "accepted"
UNAUTHENTICATED: Final = 401

Outcome = int | str

ADMINISTRATOR = Role.ADMINISTRATOR.value
COORDINATOR = Role.COORDINATOR.value
DOCUMENTER = Role.DOCUMENTER.value
VERIFIER = Role.VERIFIER.value
CASEWORKER = Role.CASEWORKER.value
FINANCE = Role.FINANCE.value
AUDITOR = Role.AUDITOR.value
PARTNER = Role.PARTNER.value
EVERY_ROLE = frozenset(Role.values)
RELIEF_ROLES = EVERY_ROLE - {PARTNER}


def _roles(*names: str) -> frozenset[str]:
    return frozenset(names)


# --- Capabilities, as madad/access/roles.py grants them --------------------------------------
USERS_MANAGE = _roles(ADMINISTRATOR)
# issue 18 part 4: a role that opens personal data takes effect when a second person approves it
ROLE_APPROVE = _roles(ADMINISTRATOR, COORDINATOR)
AUDIT_VIEW = _roles(ADMINISTRATOR, AUDITOR)
AUDIT_EXPORT = _roles(AUDITOR)
# issue 16: the instance's backups, an administrator's (of a relief organisation)
BACKUP_MANAGE = _roles(ADMINISTRATOR)
PERSON_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER, CASEWORKER)
PERSON_EDIT = _roles(COORDINATOR, DOCUMENTER, CASEWORKER)
# issue 18 part 1: the gazetteer is the deployment's reference data; only administrators change it
PLACE_EDIT = _roles(ADMINISTRATOR)
INCIDENT_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER, CASEWORKER)
INCIDENT_EDIT = _roles(DOCUMENTER)
INCIDENT_VERIFY = _roles(VERIFIER)
INCIDENT_EXPORT = _roles(COORDINATOR)
TESTIMONY_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER, CASEWORKER)
TESTIMONY_EDIT = _roles(DOCUMENTER, CASEWORKER)
CONSENT_RECORD = _roles(COORDINATOR, DOCUMENTER, CASEWORKER)
EVIDENCE_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER)
EVIDENCE_UPLOAD = _roles(DOCUMENTER)
EVIDENCE_EXPORT = _roles(COORDINATOR, DOCUMENTER)
HOUSEHOLD_VIEW = _roles(COORDINATOR, CASEWORKER)
HOUSEHOLD_EDIT = _roles(COORDINATOR, CASEWORKER)
# the caseworker sees the cases assigned to them: the matrix's case is assigned to its caseworker
CASE_VIEW = _roles(COORDINATOR, CASEWORKER)
CASE_EDIT = _roles(COORDINATOR, CASEWORKER)
CASE_APPROVE = _roles(COORDINATOR)
ASSISTANCE_REQUEST = _roles(COORDINATOR, CASEWORKER)
ASSISTANCE_APPROVE = _roles(COORDINATOR, CASEWORKER)
ASSISTANCE_LIMITS = _roles(ADMINISTRATOR)
DISBURSEMENT_RECORD = _roles(FINANCE)
# an assistance item: those who see its case, and finance once it is approved
ASSISTANCE_VIEW = _roles(COORDINATOR, CASEWORKER, FINANCE)
REFERRAL_SEND = _roles(COORDINATOR, CASEWORKER)
REFERRAL_VIEW = _roles(COORDINATOR, CASEWORKER, PARTNER)
REFERRAL_RESPOND = _roles(PARTNER)
CLAIM_VIEW = _roles(COORDINATOR, CASEWORKER)
CLAIM_EDIT = _roles(COORDINATOR, CASEWORKER)
PUBLICATION_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER)
FACTSHEET_WRITE = _roles(COORDINATOR, DOCUMENTER)
FUND_VIEW = _roles(FINANCE, AUDITOR, COORDINATOR)
FUND_EDIT = _roles(FINANCE)
FUND_REPORT = _roles(FINANCE, AUDITOR, COORDINATOR)
FUND_DONOR_VIEW = _roles(FINANCE, AUDITOR)
LINKAGE_REVIEW = _roles(DOCUMENTER, VERIFIER)
# issue 15: coordinators give grants (a second one approves); a partner organisation's users
# read what a grant in force names them for (the matrix's partner is named in none)
GRANT_MANAGE = _roles(COORDINATOR)
GRANTEE = _roles(PARTNER)
MEETING_VIEW = _roles(COORDINATOR, CASEWORKER)
# issue 13: coordinators set up field intake (the forms phones fetch, the phones themselves)
INTAKE_MANAGE = _roles(COORDINATOR)
# who records a person checks first whether they are recorded already (person.edit + view)
DUPLICATE_CHECK = _roles(COORDINATOR, DOCUMENTER, CASEWORKER)
# grading a source is part of recording it; verifying is a second person's
SOURCE_GRADE = INCIDENT_EDIT
# the coordinator gives a case to a caseworker
CASE_ASSIGN = CASE_APPROVE
PERPETRATOR_VIEW = _roles(COORDINATOR, DOCUMENTER, VERIFIER)
# issue 13: the intake inbox — documenters and coordinators review what came in; a documenter
# makes an incident report an incident, a coordinator a household form a household
INTAKE_REVIEW = _roles(DOCUMENTER, COORDINATOR)
INTAKE_TO_INCIDENT = INTAKE_REVIEW & INCIDENT_EDIT
INTAKE_TO_HOUSEHOLD = INTAKE_REVIEW & HOUSEHOLD_EDIT
NOBODY: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Expect:
    roles: frozenset[str]  # who may, in their own organisation
    ok: Outcome  # their answer
    refused: Outcome  # the answer to every other role
    other: Outcome | None  # a permitted role of another organisation (None: the same as `ok`)
    anonymous: Outcome
    # roles of the owner organisation that see the record but may not do this: they are told
    # so (403) rather than told it does not exist
    seen_by: frozenset[str] = frozenset()
    # the operation names no record (a new one): `seen_by` roles of any organisation get 403
    seen_anywhere: bool = False

    def answer(self, role: str | None, *, own: bool) -> Outcome:
        if role is None:
            return self.anonymous
        if role in self.roles:
            return self.ok if own or self.other is None else self.other
        if (own or self.seen_anywhere) and role in self.seen_by:
            return 403
        return self.refused


def page(
    roles: frozenset[str], ok: Outcome = 200, *, refused: Outcome = 404, anonymous: Outcome = LOGIN
) -> Expect:
    return Expect(roles, ok, refused, None, anonymous)


def record(
    roles: frozenset[str],
    ok: Outcome = 200,
    *,
    refused: Outcome = 404,
    seen_by: frozenset[str] = frozenset(),
    anonymous: Outcome = LOGIN,
) -> Expect:
    return Expect(roles, ok, refused, 404, anonymous, seen_by - roles)


def anyone(ok: Outcome = 200, *, anonymous: Outcome = LOGIN) -> Expect:
    return Expect(EVERY_ROLE, ok, ok, None, anonymous)


def public(ok: Outcome = 200) -> Expect:
    return Expect(EVERY_ROLE, ok, ok, None, ok)


def view(roles: frozenset[str]) -> dict[str, Expect]:
    """A record's page: GET only."""
    return {"GET": record(roles)}


def form(
    roles: frozenset[str], *, on_record: bool = True, seen_by: frozenset[str] = frozenset()
) -> dict[str, Expect]:
    """A form: GET shows it, POST (empty) is judged on its content once access is granted."""
    if on_record:
        return {
            "GET": record(roles, seen_by=seen_by),
            "POST": record(roles, ACCEPTED, seen_by=seen_by),
        }
    return {"GET": page(roles), "POST": page(roles, ACCEPTED)}


def action(
    roles: frozenset[str], *, on_record: bool = True, seen_by: frozenset[str] = frozenset()
) -> dict[str, Expect]:
    """A POST-only action."""
    if on_record:
        return {"POST": record(roles, ACCEPTED, seen_by=seen_by)}
    return {"POST": page(roles, ACCEPTED)}


# --- Staff pages, by URL name ----------------------------------------------------------------
HTML: dict[str, dict[str, Expect]] = {
    "home": {"GET": anyone(anonymous=MOVED)},  # the public site
    "healthz": {"GET": public()},
    "favicon": {"GET": public(MOVED)},
    "set_language": {"POST": public(MOVED)},
    # the signed-in user's own account (allauth): the same for every role
    "account_login": {"GET": Expect(EVERY_ROLE, MOVED, MOVED, None, 200)},
    "account_logout": {"GET": anyone()},
    "account_inactive": {"GET": public()},
    "account_reauthenticate": {"GET": anyone()},
    "account_change_password": {"GET": anyone()},
    "mfa_index": {"GET": anyone()},
    "mfa_authenticate": {"GET": anyone(MOVED)},
    "mfa_reauthenticate": {"GET": anyone()},
    # two-factor is enrolled already: activation sends the user on
    "mfa_activate_totp": {"GET": anyone(MOVED)},
    "mfa_deactivate_totp": {"GET": anyone(MOVED)},
    # recovery codes are not offered (settings.MFA_SUPPORTED_TYPES)
    "mfa_view_recovery_codes": {"GET": anyone(404)},
    "mfa_generate_recovery_codes": {"GET": anyone(MOVED)},
    "mfa_download_recovery_codes": {"GET": anyone(404)},
    # the audit trail
    "audit:list": {"GET": page(AUDIT_VIEW)},
    "audit:export": {"GET": page(AUDIT_EXPORT)},
    "audit:verify": {"POST": page(AUDIT_VIEW, ACCEPTED)},
    "audit:verify_status": {"GET": page(AUDIT_VIEW)},
    "backup:status": {"GET": page(BACKUP_MANAGE)},
    "backup:request": {"POST": page(BACKUP_MANAGE, ACCEPTED)},
    # users of the organisation
    "accounts:users": {"GET": page(USERS_MANAGE)},
    "accounts:create": form(USERS_MANAGE, on_record=False),
    "accounts:unlock": action(USERS_MANAGE),
    "accounts:deactivate": action(USERS_MANAGE),
    "accounts:reactivate": action(USERS_MANAGE),
    "accounts:invitation": action(USERS_MANAGE),
    "accounts:role": form(USERS_MANAGE),
    "accounts:role_requests": {"GET": page(ROLE_APPROVE)},
    "accounts:role_request_approve": action(ROLE_APPROVE),
    "accounts:role_request_refuse": action(ROLE_APPROVE),
    # an invitation link with a token nobody was sent
    "account_invitation": {"GET": public(404)},
    # people
    "people:list": {"GET": page(PERSON_VIEW)},
    "people:search": action(PERSON_VIEW, on_record=False),  # POST: names stay out of URLs
    "people:create": form(PERSON_EDIT, on_record=False),
    "people:detail": view(PERSON_VIEW),
    "people:edit": form(PERSON_EDIT),
    # the gazetteer: shared by every organisation, so a place is nobody's record
    "places:list": {"GET": page(EVERY_ROLE)},
    "places:autocomplete": {"GET": page(EVERY_ROLE)},
    "places:detail": {"GET": page(EVERY_ROLE)},
    # proposed by one administrator of the deployment, applied when a second one approves
    "places:edit": {
        "GET": page(PLACE_EDIT, refused=403),
        "POST": page(PLACE_EDIT, ACCEPTED, refused=403),
    },
    "places:change_approve": {"POST": page(PLACE_EDIT, ACCEPTED)},
    "places:change_reject": {"POST": page(PLACE_EDIT, ACCEPTED)},
    # incidents
    # the search is a POST, so that names stay out of URLs and logs
    "incidents:list": {"GET": page(INCIDENT_VIEW), "POST": page(INCIDENT_VIEW, ACCEPTED)},
    "incidents:create": form(INCIDENT_EDIT, on_record=False),
    "incidents:row": {"GET": page(INCIDENT_EDIT)},
    "incidents:export": {"GET": page(INCIDENT_EXPORT)},
    "incidents:detail": view(INCIDENT_VIEW),
    "incidents:edit": form(INCIDENT_EDIT),
    "incidents:verification": action(INCIDENT_VERIFY),
    "incidents:perpetrator_add": action(INCIDENT_EDIT),
    "incidents:source_grade": action(SOURCE_GRADE),
    "incidents:relate": action(INCIDENT_EDIT),
    # testimonies and consent
    "testimonies:person": view(TESTIMONY_VIEW),
    "testimonies:record": form(TESTIMONY_EDIT),
    "testimonies:person_consent": action(CONSENT_RECORD),
    "testimonies:incident": view(TESTIMONY_VIEW),
    "testimonies:detail": view(TESTIMONY_VIEW),
    "testimonies:testimony_consent": action(CONSENT_RECORD),
    # evidence
    "evidence:incident": view(EVIDENCE_VIEW),
    "evidence:upload": form(EVIDENCE_UPLOAD),
    "evidence:detail": view(EVIDENCE_VIEW),
    "evidence:download": action(EVIDENCE_VIEW),  # POST: every download is audited
    "evidence:export": action(EVIDENCE_EXPORT),
    "evidence:custody": view(EVIDENCE_VIEW),
    # households
    "households:list": {"GET": page(HOUSEHOLD_VIEW)},
    "households:create": form(HOUSEHOLD_EDIT, on_record=False),
    "households:detail": view(HOUSEHOLD_VIEW),
    "households:edit": form(HOUSEHOLD_EDIT),
    "households:member_add": action(HOUSEHOLD_EDIT),
    "households:member_update": action(HOUSEHOLD_EDIT),
    "households:member_remove": action(HOUSEHOLD_EDIT),
    # cases
    "cases:list": {"GET": page(CASE_VIEW)},
    "cases:my_day": {"GET": page(CASE_VIEW)},
    "cases:teams": {"GET": page(CASE_APPROVE)},
    "cases:team_members": action(CASE_APPROVE),
    "cases:open": form(CASE_EDIT),
    "cases:detail": view(CASE_VIEW),
    "cases:edit": form(CASE_EDIT),
    "cases:transition": action(CASE_EDIT),
    "cases:approval_request": action(CASE_EDIT),
    "cases:approval_decide": action(CASE_APPROVE),
    "cases:approval_withdraw": action(CASE_EDIT),
    "cases:reopen": action(CASE_EDIT),
    # the page takes the form from caseworkers too; the service refuses them (tests/cases)
    "cases:assign": action(CASE_EDIT),
    "cases:note_add": action(CASE_EDIT),
    "cases:task_add": action(CASE_EDIT),
    "cases:task_done": action(CASE_EDIT),
    "cases:assessment": form(CASE_EDIT),
    # assistance
    "assistance:approvals": {"GET": page(ASSISTANCE_APPROVE)},
    "assistance:disbursements": {"GET": page(DISBURSEMENT_RECORD)},
    "assistance:limits": form(ASSISTANCE_LIMITS, on_record=False),
    "assistance:request": action(ASSISTANCE_REQUEST),
    "assistance:detail": view(ASSISTANCE_VIEW),
    "assistance:approve": action(ASSISTANCE_APPROVE),
    "assistance:cancel": action(ASSISTANCE_REQUEST),
    "assistance:hand_over": action(DISBURSEMENT_RECORD),
    "assistance:confirm_receipt": action(CASE_EDIT),
    # referrals (the partner organisation's user is "own" for the referral sent to it)
    "referrals:list": {"GET": page(REFERRAL_VIEW)},
    "referrals:send": action(REFERRAL_SEND),
    "referrals:detail": view(REFERRAL_VIEW),
    "referrals:respond": action(REFERRAL_RESPOND),
    "referrals:withdraw": action(REFERRAL_SEND),
    # claims
    "claims:list": {"GET": page(CLAIM_VIEW)},
    "claims:file": action(CLAIM_EDIT),
    "claims:detail": view(CLAIM_VIEW),
    "claims:status": action(CLAIM_EDIT),
    "claims:next_action": action(CLAIM_EDIT),
    "claims:upload": action(CLAIM_EDIT),
    "claims:document": view(CLAIM_VIEW),
    # the relief fund: every organisation keeps its own books
    "fund:overview": {"GET": page(FUND_VIEW)},
    "fund:donations": {"GET": page(FUND_VIEW)},
    "fund:donation_create": form(FUND_EDIT, on_record=False),
    "fund:donation": view(FUND_VIEW),
    "fund:receipt": view(FUND_DONOR_VIEW),
    "fund:donors": {"GET": page(FUND_DONOR_VIEW)},
    "fund:donor_create": form(FUND_EDIT, on_record=False),
    "fund:donor": view(FUND_DONOR_VIEW),
    "fund:donor_naming": action(FUND_EDIT),
    "fund:rates": {"GET": page(FUND_VIEW), "POST": page(FUND_EDIT, ACCEPTED)},
    "fund:conversions": {"GET": page(FUND_VIEW), "POST": page(FUND_EDIT, ACCEPTED)},
    "fund:setup": {"GET": page(FUND_VIEW)},  # reading the accounts; changing them is fund.edit
    "fund:earmark_create": action(FUND_EDIT, on_record=False),
    "fund:account_open": action(FUND_EDIT, on_record=False),
    "fund:disbursements": {"GET": page(FUND_VIEW)},
    "fund:disburse": form(FUND_EDIT),
    "fund:entries": {"GET": page(FUND_VIEW)},
    "fund:entry": view(FUND_VIEW),
    "fund:entry_reverse": action(FUND_EDIT),
    "fund:reports": {"GET": page(FUND_REPORT)},
    "fund:report": {"GET": page(FUND_REPORT)},
    "fund:report_csv": {"GET": page(FUND_REPORT)},
    # public texts, written and approved by staff
    "publications:list": {"GET": page(PUBLICATION_VIEW)},
    "publications:create": form(FACTSHEET_WRITE, on_record=False),
    "publications:detail": view(PUBLICATION_VIEW),
    "publications:edit": form(FACTSHEET_WRITE),
    "publications:action": action(FACTSHEET_WRITE, seen_by=PUBLICATION_VIEW),
    # record linkage
    "linkage:queue": {"GET": page(LINKAGE_REVIEW)},
    "linkage:pair": form(LINKAGE_REVIEW),
    "linkage:incident_queue": {"GET": page(LINKAGE_REVIEW)},
    "linkage:incident_pair": form(LINKAGE_REVIEW),
    "linkage:merges": {"GET": page(LINKAGE_REVIEW)},
    "linkage:merge_undo": action(LINKAGE_REVIEW),
    "linkage:run_start": action(LINKAGE_REVIEW, on_record=False),
    "linkage:run": view(LINKAGE_REVIEW),
    "linkage:check_person": action(DUPLICATE_CHECK, on_record=False),
    "linkage:check_incident": action(INCIDENT_EDIT, on_record=False),
    # intake: the inbox (the matrix's item is a field report of an incident, with a photo);
    # a reviewer whose role does not make the record asked for is told so (403)
    "intake:inbox": {"GET": page(INTAKE_REVIEW)},
    "intake:item": view(INTAKE_REVIEW),
    "intake:file": view(INTAKE_REVIEW),
    "intake:incident": action(INTAKE_TO_INCIDENT, seen_by=INTAKE_REVIEW),
    "intake:attach": action(INTAKE_TO_INCIDENT, seen_by=INTAKE_REVIEW),
    "intake:household": action(INTAKE_TO_HOUSEHOLD, seen_by=INTAKE_REVIEW),
    "intake:reject": action(INTAKE_REVIEW),
    # sharing: the coordinators' grants (a grantee sees a grant in force at /shared/ instead)
    "sharing:list": {"GET": page(GRANT_MANAGE, refused=403)},
    "sharing:new": {
        "GET": page(GRANT_MANAGE, refused=403),
        "POST": page(GRANT_MANAGE, ACCEPTED, refused=403),
    },
    "sharing:detail": view(GRANT_MANAGE),
    "sharing:approve": action(GRANT_MANAGE),
    "sharing:refuse": action(GRANT_MANAGE),
    "sharing:revoke": action(GRANT_MANAGE),
    # meeting requests: the grant's coordinators and the family's caseworker (the matrix's
    # caseworker holds no case of the family asked about)
    "sharing:meetings": {"GET": page(MEETING_VIEW, refused=403)},
    "sharing:meeting": view(GRANT_MANAGE),
    "sharing:meeting_answer": action(GRANT_MANAGE),
    # the grantee's area: the matrix's partner is named in no grant, so nobody sees a record;
    # the coordinators who gave the grant are told they may not ask for a meeting themselves
    "shared:list": {"GET": page(GRANTEE, refused=403)},
    "shared:grant": {"GET": record(NOBODY, seen_by=GRANT_MANAGE)},
    "shared:record": {"GET": record(NOBODY, seen_by=GRANT_MANAGE)},
    "shared:download": view(NOBODY),
    "shared:meeting_request": action(NOBODY, seen_by=GRANT_MANAGE),
    # field intake's set-up (#13): refused lists and forms (403) to other roles, as sharing's;
    # a form, version or device of the organisation is found by its coordinators only
    "intake_setup:index": {"GET": page(INTAKE_MANAGE, MOVED, refused=403)},
    "intake_setup:forms": {
        "GET": page(INTAKE_MANAGE, refused=403),
        "POST": page(INTAKE_MANAGE, ACCEPTED, refused=403),
    },
    "intake_setup:forms_ship": {"POST": page(INTAKE_MANAGE, ACCEPTED, refused=403)},
    "intake_setup:form": view(INTAKE_MANAGE),
    "intake_setup:form_state": action(INTAKE_MANAGE),
    "intake_setup:form_xlsform": view(INTAKE_MANAGE),
    "intake_setup:devices": {"GET": page(INTAKE_MANAGE, refused=403)},
    "intake_setup:device_new": {
        "GET": page(INTAKE_MANAGE, refused=403),
        "POST": page(INTAKE_MANAGE, ACCEPTED, refused=403),
    },
    "intake_setup:device": view(INTAKE_MANAGE),
    "intake_setup:device_revoke": form(INTAKE_MANAGE),
}


# --- The API, by "METHOD /path" as its OpenAPI document lists them --------------------------
def api_list(roles: frozenset[str], *, refused: Outcome = EMPTY) -> Expect:
    """A list: the records the caller may see, none for a role that may see none."""
    return Expect(roles, 200, refused, None, UNAUTHENTICATED)


def api_page(roles: frozenset[str], ok: Outcome = 200, *, refused: Outcome = 403) -> Expect:
    return Expect(roles, ok, refused, None, UNAUTHENTICATED)


def api_record(roles: frozenset[str], *, refused: Outcome = 404) -> Expect:
    return Expect(roles, 200, refused, 404, UNAUTHENTICATED)


def api_create(
    roles: frozenset[str],
    *,
    refused: Outcome = 403,
    names_a_record: bool = False,
    seen_by: frozenset[str] = frozenset(),
) -> Expect:
    """A new record. When the body names a record of the owner organisation (the household of
    a new case), another organisation's users are told it does not exist."""
    other = 404 if names_a_record else None
    return Expect(roles, ACCEPTED, refused, other, UNAUTHENTICATED, seen_by - roles, True)


def api_change(
    roles: frozenset[str], *, refused: Outcome = 404, seen_by: frozenset[str] = frozenset()
) -> Expect:
    return Expect(roles, ACCEPTED, refused, 404, UNAUTHENTICATED, seen_by - roles)


_A = "/api/v1"
API: dict[str, Expect] = {
    # the token itself: the matrix's minimal body names no account
    f"POST {_A}/auth/token": Expect(EVERY_ROLE, 401, 401, None, 401),  # a body naming nobody
    f"DELETE {_A}/auth/token": api_page(EVERY_ROLE, 204),
    f"GET {_A}/auth/me": api_page(EVERY_ROLE),
    f"GET {_A}/persons": api_list(PERSON_VIEW),
    f"POST {_A}/persons": api_create(PERSON_EDIT),
    f"POST {_A}/persons/search": api_create(PERSON_VIEW, refused=EMPTY),
    f"GET {_A}/persons/{{person_id}}": api_record(PERSON_VIEW),
    f"PATCH {_A}/persons/{{person_id}}": api_change(PERSON_EDIT, seen_by=PERSON_VIEW),
    f"GET {_A}/places": api_page(EVERY_ROLE),
    f"GET {_A}/places/{{place_id}}": api_page(EVERY_ROLE),
    f"GET {_A}/incidents": api_list(INCIDENT_VIEW, refused=404),
    f"POST {_A}/incidents": api_create(INCIDENT_EDIT, refused=404, seen_by=INCIDENT_VIEW),
    f"POST {_A}/incidents/search": api_create(INCIDENT_VIEW, refused=404),
    f"GET {_A}/incidents/types": api_page(INCIDENT_VIEW, refused=404),
    f"GET {_A}/incidents/{{incident_id}}": api_record(INCIDENT_VIEW),
    f"PATCH {_A}/incidents/{{incident_id}}": api_change(INCIDENT_EDIT, seen_by=INCIDENT_VIEW),
    f"POST {_A}/incidents/{{incident_id}}/acts": api_change(INCIDENT_EDIT, seen_by=INCIDENT_VIEW),
    f"POST {_A}/incidents/{{incident_id}}/sources": api_change(
        INCIDENT_EDIT, seen_by=INCIDENT_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/sources/{{source_id}}/grading": api_change(
        SOURCE_GRADE, seen_by=INCIDENT_VIEW
    ),
    f"GET {_A}/incidents/{{incident_id}}/acts/{{act_id}}/involvements": api_record(
        PERPETRATOR_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/acts/{{act_id}}/involvements": api_change(
        INCIDENT_EDIT, seen_by=PERPETRATOR_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/relations": api_change(
        INCIDENT_EDIT, seen_by=INCIDENT_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/submit": api_change(INCIDENT_EDIT, seen_by=INCIDENT_VIEW),
    f"POST {_A}/incidents/{{incident_id}}/verify": api_change(
        INCIDENT_VERIFY, seen_by=INCIDENT_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/dispute": api_change(
        INCIDENT_VERIFY, seen_by=INCIDENT_VIEW
    ),
    f"POST {_A}/incidents/{{incident_id}}/reject": api_change(
        INCIDENT_VERIFY, seen_by=INCIDENT_VIEW
    ),
    f"GET {_A}/testimonies": api_list(TESTIMONY_VIEW),
    f"POST {_A}/testimonies": api_create(TESTIMONY_EDIT),
    f"GET {_A}/testimonies/{{testimony_id}}": api_record(TESTIMONY_VIEW),
    # asked about the owner's person (tests/test_permission_matrix.py QUERIES)
    f"GET {_A}/testimonies/consent": api_record(PERSON_VIEW),
    # the person it names does not exist for those who may not record consent: a field error
    f"POST {_A}/testimonies/consent": api_create(CONSENT_RECORD, refused=422),
    f"GET {_A}/testimonies/consent/covers": api_record(PERSON_VIEW),
    f"GET {_A}/evidence": api_list(EVIDENCE_VIEW),
    f"POST {_A}/evidence": api_create(EVIDENCE_UPLOAD),
    f"GET {_A}/evidence/{{evidence_id}}": api_record(EVIDENCE_VIEW),
    f"GET {_A}/evidence/{{evidence_id}}/download": api_record(EVIDENCE_VIEW),
    f"POST {_A}/evidence/{{evidence_id}}/export": api_change(
        EVIDENCE_EXPORT, seen_by=EVIDENCE_VIEW
    ),
    f"GET {_A}/evidence/{{evidence_id}}/custody": api_record(EVIDENCE_VIEW),
    f"GET {_A}/linkage/pairs": api_list(LINKAGE_REVIEW, refused=403),
    f"GET {_A}/linkage/pairs/{{pair_id}}": api_record(LINKAGE_REVIEW, refused=403),
    f"POST {_A}/linkage/pairs/{{pair_id}}/decision": api_change(LINKAGE_REVIEW, refused=403),
    f"POST {_A}/linkage/merges/{{merge_id}}/undo": api_change(LINKAGE_REVIEW, refused=403),
    f"POST {_A}/linkage/runs": api_create(LINKAGE_REVIEW),
    f"GET {_A}/linkage/runs/{{run_id}}": api_record(LINKAGE_REVIEW, refused=403),
    f"POST {_A}/linkage/check/person": api_create(DUPLICATE_CHECK),
    f"GET {_A}/households": api_list(HOUSEHOLD_VIEW, refused=404),
    f"POST {_A}/households": api_create(HOUSEHOLD_EDIT, refused=404),
    f"GET {_A}/households/{{household_id}}": api_record(HOUSEHOLD_VIEW),
    f"PATCH {_A}/households/{{household_id}}": api_change(HOUSEHOLD_EDIT),
    f"POST {_A}/households/{{household_id}}/members": api_change(HOUSEHOLD_EDIT),
    f"PATCH {_A}/households/{{household_id}}/members/{{member_id}}": api_change(HOUSEHOLD_EDIT),
    f"DELETE {_A}/households/{{household_id}}/members/{{member_id}}": api_change(HOUSEHOLD_EDIT),
    f"GET {_A}/cases": api_list(CASE_VIEW, refused=404),
    f"POST {_A}/cases": api_create(CASE_EDIT, refused=404, names_a_record=True),
    f"GET {_A}/cases/{{case_id}}": api_record(CASE_VIEW),
    f"PATCH {_A}/cases/{{case_id}}": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/transitions": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/reopen": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/assign": api_change(CASE_ASSIGN, seen_by=CASE_VIEW),
    f"POST {_A}/cases/{{case_id}}/approvals": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/approvals/{{approval_id}}/decision": api_change(CASE_APPROVE),
    f"POST {_A}/cases/{{case_id}}/approvals/{{approval_id}}/withdraw": api_change(CASE_EDIT),
    f"GET {_A}/cases/{{case_id}}/notes": api_record(CASE_VIEW),
    f"POST {_A}/cases/{{case_id}}/notes": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/tasks": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/tasks/{{task_id}}/done": api_change(CASE_EDIT),
    f"POST {_A}/cases/{{case_id}}/assessments": api_change(CASE_EDIT),
    f"GET {_A}/assessments": api_list(CASE_VIEW, refused=404),
    f"GET {_A}/assessments/{{assessment_id}}": api_record(CASE_VIEW),
    f"GET {_A}/assistance": api_list(ASSISTANCE_VIEW),
    # the body names a case: who may not see it is told it does not exist
    f"POST {_A}/assistance": api_create(ASSISTANCE_REQUEST, refused=404, names_a_record=True),
    f"GET {_A}/assistance/approvals": api_list(ASSISTANCE_APPROVE),
    f"GET {_A}/assistance/limits": api_list(ASSISTANCE_REQUEST | ASSISTANCE_LIMITS, refused=404),
    f"PUT {_A}/assistance/limits/{{kind}}": api_create(ASSISTANCE_LIMITS),
    f"GET {_A}/assistance/{{assistance_id}}": api_record(ASSISTANCE_VIEW),
    f"POST {_A}/assistance/{{assistance_id}}/approve": api_change(
        ASSISTANCE_APPROVE, seen_by=ASSISTANCE_VIEW
    ),
    f"POST {_A}/assistance/{{assistance_id}}/cancel": api_change(
        ASSISTANCE_REQUEST, seen_by=ASSISTANCE_VIEW
    ),
    # the matrix's item is money, which is paid from the fund and never handed over: refused
    # (403) to everybody who sees it
    f"POST {_A}/assistance/{{assistance_id}}/hand-over": Expect(
        ASSISTANCE_VIEW, 403, 404, 404, UNAUTHENTICATED
    ),
    f"POST {_A}/assistance/{{assistance_id}}/confirm-receipt": api_change(
        CASE_EDIT, seen_by=ASSISTANCE_VIEW
    ),
    f"GET {_A}/referrals": api_list(REFERRAL_VIEW),
    f"POST {_A}/referrals": api_create(REFERRAL_SEND, refused=404, names_a_record=True),
    f"GET {_A}/referrals/{{referral_id}}": api_record(REFERRAL_VIEW),
    f"POST {_A}/referrals/{{referral_id}}/respond": api_change(
        REFERRAL_RESPOND, seen_by=REFERRAL_VIEW
    ),
    f"POST {_A}/referrals/{{referral_id}}/withdraw": api_change(
        REFERRAL_SEND, seen_by=REFERRAL_VIEW
    ),
    f"GET {_A}/claims": api_list(CLAIM_VIEW),
    f"POST {_A}/claims": api_create(CLAIM_EDIT, refused=404, names_a_record=True),
    f"GET {_A}/claims/{{claim_id}}": api_record(CLAIM_VIEW),
    f"POST {_A}/claims/{{claim_id}}/status": api_change(CLAIM_EDIT),
    f"GET {_A}/fund/balances": api_page(FUND_VIEW),
    f"GET {_A}/fund/earmarks": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/earmarks": api_create(FUND_EDIT),
    f"GET {_A}/fund/accounts": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/accounts": api_create(FUND_EDIT),
    f"GET {_A}/fund/donations": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/donations": api_create(FUND_EDIT),
    f"GET {_A}/fund/donations/{{donation_id}}": api_record(FUND_VIEW, refused=403),
    f"POST {_A}/fund/donors": api_create(FUND_EDIT),
    # coordinators read a donor without its name and contact (access/fund.py)
    f"GET {_A}/fund/donors/{{donor_id}}": api_record(FUND_VIEW, refused=403),
    f"GET {_A}/fund/rates": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/rates": api_create(FUND_EDIT),
    f"GET {_A}/fund/conversions": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/conversions": api_create(FUND_EDIT),
    f"GET {_A}/fund/disbursements": api_list(FUND_VIEW, refused=403),
    f"POST {_A}/fund/disbursements": api_create(FUND_EDIT),
    f"GET {_A}/fund/entries": api_list(FUND_VIEW, refused=403),
    f"GET {_A}/fund/entries/{{entry_id}}": api_record(FUND_VIEW, refused=403),
    f"POST {_A}/fund/entries/{{entry_id}}/reverse": api_change(FUND_EDIT, refused=403),
    f"GET {_A}/fund/reports/{{name}}": api_page(FUND_REPORT),
    # sharing: the partner's user of the matrix is named in no grant
    f"GET {_A}/grants": api_list(GRANT_MANAGE),
    f"GET {_A}/grants/{{grant_id}}": api_record(GRANT_MANAGE),
    f"GET {_A}/grants/records/{{record_id}}": api_record(NOBODY),
    f"POST {_A}/grants/{{grant_id}}/revoke": api_change(GRANT_MANAGE),
}


# --- Findings --------------------------------------------------------------------------------
# Cells where the code disagrees with the policy above: ("METHOD url-name" or "METHOD /api/…",
# "role-own|role-other|anonymous") → what is wrong. Each is a finding for the area that owns
# the view, not an expectation: the matrix tolerates it while it lasts and fails once it is
# fixed, so that it is taken off this list.
def _finding(operation: str, who: str, what: str) -> dict[tuple[str, str], str]:
    return {(operation, label): what for label in who.split()}


def _everybody_but(*labels: str) -> str:
    everybody = [f"{role}-{where}" for role in Role.values for where in ("own", "other")]
    return " ".join(label for label in everybody if label not in labels)


FINDINGS: dict[tuple[str, str], str] = {}
