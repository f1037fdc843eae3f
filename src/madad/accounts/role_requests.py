"""The two-person rule for privileged roles.

A role that opens personal data (identities, testimonies, incident narratives, cases, donors)
or that may approve such roles takes effect only when a second person of the organisation (an
administrator or a coordinator, never the one who asked nor the user concerned) approves it.
Until then the user keeps the role they had (none, when newly invited). Which roles need it is
read from the access policy's capabilities, not listed here.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madad.access.accounts import may_decide_roles
from madad.access.roles import CAPABILITIES, Capability, capabilities_of
from madad.accounts.models import Organisation, RoleRequest, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, Stale

# Capabilities that open personal data.
PERSONAL_DATA = frozenset(
    {
        Capability.PERSON_IDENTITY_VIEW,
        Capability.TESTIMONY_VIEW,
        Capability.INCIDENT_DESCRIPTION_VIEW,
        Capability.FUND_DONOR_VIEW,
    }
    | {c for caps in CAPABILITIES.values() for c in caps if c.startswith("case.view_")}
)


def needs_second_person(role: str) -> bool:
    """A role that opens personal data, or that manages users (an administrator approves
    roles: one who could make another administrator alone could approve their own grants)."""
    capabilities = capabilities_of(role)
    return bool(capabilities & PERSONAL_DATA) or Capability.USERS_MANAGE in capabilities


def check_role(*, role: str, organisation: Organisation, errors: Errors) -> None:
    if role not in Role.values:
        errors.add(
            "role", _("The role must be one of: %(roles)s.") % {"roles": ", ".join(Role.values)}
        )
    elif organisation.is_partner != (role == Role.PARTNER):
        errors.add("role", _("Partner organisations have partner users, and only they do."))


def role_request_create(*, user: User, role: str, requested_by: User | None) -> RoleRequest:
    """Records the request (the caller's transaction), audited; the role is not given."""
    request = RoleRequest.objects.create(user=user, role=role, requested_by=requested_by)
    audit_record(
        action="user.role.requested",
        actor=requested_by,
        obj=user,
        organisation=user.organisation,
        fields=["role"],
    )
    return request


def role_change(*, user: User, role: str, changed_by: User) -> RoleRequest | None:
    """Changes a user's role. A role that needs a second person is requested (returned) and the
    user keeps their current role until it is approved; any other role (fewer rights) is given
    at once. One request waits per user at a time."""
    errors = Errors()
    check_role(role=role, organisation=user.organisation, errors=errors)
    if role == user.role:
        errors.add("role", _("The user already has this role."))
    errors.raise_if()
    if user.organisation_id != changed_by.organisation_id or user.pk == changed_by.pk:
        raise NotAllowed(_("You may not change this user's role."), code="role_change_refused")
    with transaction.atomic():
        if RoleRequest.objects.filter(user=user, status=RoleRequest.Status.PENDING).exists():
            raise Conflict(
                _("A role change for this user is waiting for approval already."),
                code="role_request_pending",
            )
        if needs_second_person(role):
            return role_request_create(user=user, role=role, requested_by=changed_by)
        User.objects.filter(pk=user.pk).update(role=role)
        audit_record(
            action="user.role.changed",
            actor=changed_by,
            obj=user,
            organisation=user.organisation,
            fields=["role"],
        )
    user.role = role
    return None


def _decide(*, request: RoleRequest, decider: User, status: str) -> None:
    if not may_decide_roles(decider) or decider.organisation_id != request.user.organisation_id:
        raise NotAllowed(code="role_request_decider")
    if decider.pk == request.requested_by_id:
        raise NotAllowed(
            _("A second person must decide: you asked for this role yourself."),
            code="own_role_request",
        )
    if decider.pk == request.user_id:
        raise NotAllowed(_("Somebody else must decide on your own role."), code="own_role_request")
    decided = RoleRequest.objects.filter(pk=request.pk, status=RoleRequest.Status.PENDING).update(
        status=status, decided_by=decider, decided_at=timezone.now()
    )
    if not decided:
        raise Stale(_("This request was decided already."))
    request.refresh_from_db()


def role_request_approve(*, request: RoleRequest, approver: User) -> None:
    """Gives the user the role asked for: only a second person of the organisation (an
    administrator or a coordinator, neither the one who asked nor the user), only while the
    request waits. Audited."""
    with transaction.atomic():
        _decide(request=request, decider=approver, status=RoleRequest.Status.APPROVED)
        User.objects.filter(pk=request.user_id).update(role=request.role)
        audit_record(
            action="user.role.approved",
            actor=approver,
            obj=request.user,
            organisation=request.user.organisation,
            fields=["role"],
        )
    request.user.role = request.role


def role_request_refuse(*, request: RoleRequest, refuser: User) -> None:
    """Refuses the request: the user keeps their role. The same people may refuse as may
    approve. Audited."""
    with transaction.atomic():
        _decide(request=request, decider=refuser, status=RoleRequest.Status.REFUSED)
        audit_record(
            action="user.role.refused",
            actor=refuser,
            obj=request.user,
            organisation=request.user.organisation,
            fields=["role"],
        )
