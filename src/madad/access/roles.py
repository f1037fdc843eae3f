"""What each role may do. The access policy (madad.access) is the only reader of this table.

A capability is a short code; a role is a set of capabilities. Adding a capability to a role here
is the whole change needed to grant it everywhere: views, API, exports.
"""

from __future__ import annotations

from madad.accounts.roles import Role


class Capability:
    USERS_MANAGE = "users.manage"
    # the instance's backups and restore drills (madad.backup): their state, and running one
    BACKUP_MANAGE = "backup.manage"
    AUDIT_VIEW = "audit.view"
    AUDIT_EXPORT = "audit.export"
    PERSON_VIEW = "person.view"
    PERSON_IDENTITY_VIEW = "person.identity.view"
    PERSON_EDIT = "person.edit"
    PERSON_EXPORT = "person.export"
    # the gazetteer, reference data of the deployment: administrators only, and a change
    # takes effect when a second one approves it (madad.places.services)
    PLACE_EDIT = "place.edit"
    INCIDENT_VIEW = "incident.view"
    INCIDENT_EDIT = "incident.edit"
    INCIDENT_VERIFY = "incident.verify"
    INCIDENT_EXPORT = "incident.export"  # the authorised internal export
    # the restricted narrative: an incident's description and each act's consequences
    INCIDENT_DESCRIPTION_VIEW = "incident.description.view"
    PERPETRATOR_VIEW = "perpetrator.view"
    SOURCE_VIEW = "source.view"
    TESTIMONY_VIEW = "testimony.view"
    TESTIMONY_EDIT = "testimony.edit"
    CONSENT_RECORD = "consent.record"
    EVIDENCE_VIEW = "evidence.view"
    EVIDENCE_UPLOAD = "evidence.upload"
    # a copy of an evidence file that leaves the organisation, metadata stripped
    EVIDENCE_EXPORT = "evidence.export"
    # families and assistance
    HOUSEHOLD_VIEW = "household.view"
    HOUSEHOLD_EDIT = "household.edit"
    CASE_VIEW_ALL = "case.view_all"  # every case of the organisation
    CASE_VIEW_ASSIGNED = "case.view_assigned"  # the cases assigned to the user (or team)
    CASE_EDIT = "case.edit"
    CASE_APPROVE = "case.approve"  # agree plans, close cases, approve over-limit assistance
    ASSISTANCE_REQUEST = "assistance.request"
    ASSISTANCE_APPROVE = "assistance.approve"
    ASSISTANCE_LIMITS = "assistance.limits"
    DISBURSEMENT_VIEW = "disbursement.view"  # method and reference of a disbursement
    DISBURSEMENT_RECORD = "disbursement.record"
    REFERRAL_SEND = "referral.send"
    REFERRAL_RESPOND = "referral.respond"  # partner users, for referrals sent to them
    CLAIM_VIEW = "claim.view"
    CLAIM_EDIT = "claim.edit"
    # the public site (madad.public): fact sheets and claim checks, written by one person and
    # published only by another
    PUBLICATION_VIEW = "publication.view"
    FACTSHEET_WRITE = "factsheet.write"
    FACTSHEET_APPROVE = "factsheet.approve"
    CLAIMCHECK_WRITE = "claimcheck.write"
    CLAIMCHECK_PUBLISH = "claimcheck.publish"
    # the relief fund (madad.fund): finance officers change it; auditors and coordinators read
    FUND_VIEW = "fund.view"
    FUND_EDIT = "fund.edit"
    FUND_REPORT = "fund.report"  # reports and their CSV exports
    FUND_DONOR_VIEW = "fund.donor.view"  # donors' names and contacts
    # record linkage (madad.linkage): the review queue of possible duplicates, merges, undo
    LINKAGE_REVIEW = "linkage.review"
    # sharing (madad.sharing): coordinators grant other organisations time-limited access to
    # chosen records (a second coordinator approves); the grantee's named users read them
    GRANT_MANAGE = "grant.manage"
    GRANT_READ = "grant.read"
    # intake (madad.intake): documenters and coordinators review what came in from devices
    # and the public; coordinators add field forms and give (and revoke) devices
    INTAKE_REVIEW = "intake.review"
    INTAKE_MANAGE = "intake.manage"


_C = Capability

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        {_C.USERS_MANAGE, _C.AUDIT_VIEW, _C.PLACE_EDIT, _C.ASSISTANCE_LIMITS, _C.BACKUP_MANAGE}
    ),
    Role.COORDINATOR: frozenset(
        {
            _C.PERSON_VIEW,
            _C.PERSON_IDENTITY_VIEW,
            _C.PERSON_EDIT,
            _C.PERSON_EXPORT,
            _C.INCIDENT_VIEW,
            _C.INCIDENT_DESCRIPTION_VIEW,
            _C.INCIDENT_EXPORT,
            _C.PERPETRATOR_VIEW,
            _C.SOURCE_VIEW,
            _C.TESTIMONY_VIEW,
            _C.CONSENT_RECORD,
            _C.EVIDENCE_VIEW,
            _C.EVIDENCE_EXPORT,
            _C.HOUSEHOLD_VIEW,
            _C.HOUSEHOLD_EDIT,
            _C.CASE_VIEW_ALL,
            _C.CASE_EDIT,
            _C.CASE_APPROVE,
            _C.ASSISTANCE_REQUEST,
            _C.ASSISTANCE_APPROVE,
            _C.REFERRAL_SEND,
            _C.CLAIM_VIEW,
            _C.CLAIM_EDIT,
        }
    ),
    Role.DOCUMENTER: frozenset(
        {
            _C.PERSON_VIEW,
            _C.PERSON_IDENTITY_VIEW,
            _C.PERSON_EDIT,
            _C.INCIDENT_VIEW,
            _C.INCIDENT_DESCRIPTION_VIEW,
            _C.INCIDENT_EDIT,
            _C.PERPETRATOR_VIEW,
            _C.SOURCE_VIEW,
            _C.TESTIMONY_VIEW,
            _C.TESTIMONY_EDIT,
            _C.CONSENT_RECORD,
            _C.EVIDENCE_VIEW,
            _C.EVIDENCE_UPLOAD,
            _C.EVIDENCE_EXPORT,
        }
    ),
    Role.VERIFIER: frozenset(
        {
            _C.PERSON_VIEW,
            _C.PERSON_IDENTITY_VIEW,
            _C.INCIDENT_VIEW,
            _C.INCIDENT_DESCRIPTION_VIEW,
            _C.INCIDENT_VERIFY,
            _C.PERPETRATOR_VIEW,
            _C.SOURCE_VIEW,
            _C.TESTIMONY_VIEW,
            _C.EVIDENCE_VIEW,
        }
    ),
    Role.CASEWORKER: frozenset(
        {
            _C.PERSON_VIEW,
            _C.PERSON_IDENTITY_VIEW,
            _C.PERSON_EDIT,
            _C.INCIDENT_VIEW,
            _C.TESTIMONY_VIEW,
            _C.TESTIMONY_EDIT,
            _C.CONSENT_RECORD,
            _C.HOUSEHOLD_VIEW,
            _C.HOUSEHOLD_EDIT,
            _C.CASE_VIEW_ASSIGNED,
            _C.CASE_EDIT,
            _C.ASSISTANCE_REQUEST,
            _C.ASSISTANCE_APPROVE,
            _C.DISBURSEMENT_VIEW,
            _C.REFERRAL_SEND,
            _C.CLAIM_VIEW,
            _C.CLAIM_EDIT,
        }
    ),
    Role.FINANCE: frozenset({_C.DISBURSEMENT_VIEW, _C.DISBURSEMENT_RECORD}),
    Role.AUDITOR: frozenset({_C.AUDIT_VIEW, _C.AUDIT_EXPORT}),
    Role.PARTNER: frozenset({_C.REFERRAL_RESPOND}),
}

# Public texts: documenters draft them, verifiers (who check facts) publish them, coordinators
# do both, never for their own text (madad.public.services).
_PUBLICATION: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            _C.PUBLICATION_VIEW,
            _C.FACTSHEET_WRITE,
            _C.FACTSHEET_APPROVE,
            _C.CLAIMCHECK_WRITE,
            _C.CLAIMCHECK_PUBLISH,
        }
    ),
    Role.DOCUMENTER: frozenset({_C.PUBLICATION_VIEW, _C.FACTSHEET_WRITE, _C.CLAIMCHECK_WRITE}),
    Role.VERIFIER: frozenset({_C.PUBLICATION_VIEW, _C.FACTSHEET_APPROVE, _C.CLAIMCHECK_PUBLISH}),
}
for _role, _extra in _PUBLICATION.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _extra


# The relief fund: finance officers keep the books; auditors check them (donors included, to
# verify receipts); coordinators read the figures but not who gave.
_FUND: dict[str, frozenset[str]] = {
    Role.FINANCE: frozenset({_C.FUND_VIEW, _C.FUND_EDIT, _C.FUND_REPORT, _C.FUND_DONOR_VIEW}),
    Role.AUDITOR: frozenset({_C.FUND_VIEW, _C.FUND_REPORT, _C.FUND_DONOR_VIEW}),
    Role.COORDINATOR: frozenset({_C.FUND_VIEW, _C.FUND_REPORT}),
}
for _role, _extra in _FUND.items():
    CAPABILITIES[_role] = CAPABILITIES[_role] | _extra


# Record linkage: documenters and verifiers review possible duplicates and merge them.
for _role in (Role.DOCUMENTER, Role.VERIFIER):
    CAPABILITIES[_role] = CAPABILITIES[_role] | {_C.LINKAGE_REVIEW}


# Sharing: coordinators give and approve grants; users of a partner organisation read what a
# grant in force opens to them by name (madad.access.sharing).
CAPABILITIES[Role.COORDINATOR] = CAPABILITIES[Role.COORDINATOR] | {_C.GRANT_MANAGE}
CAPABILITIES[Role.PARTNER] = CAPABILITIES[Role.PARTNER] | {_C.GRANT_READ}


# Intake: what arrives from the field and the public waits for a documenter (or coordinator);
# coordinators decide which forms go to which devices (madad.access.intake).
for _role in (Role.DOCUMENTER, Role.COORDINATOR):
    CAPABILITIES[_role] = CAPABILITIES[_role] | {_C.INTAKE_REVIEW}
CAPABILITIES[Role.COORDINATOR] = CAPABILITIES[Role.COORDINATOR] | {_C.INTAKE_MANAGE}


def capabilities_of(role: str) -> frozenset[str]:
    return CAPABILITIES.get(role, frozenset())
