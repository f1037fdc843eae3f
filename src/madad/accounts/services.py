"""Writes about organisations and users. Each function is one use case and one transaction.

Nobody chooses a password for somebody else: an administrator invites a user, who sets their
own password with a single-use link (madad.accounts.invitations) and enrols two-factor sign-in
at their first sign-in. A role that opens personal data takes effect only when a second person
approves it (madad.accounts.role_requests).
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from madad.access.accounts import may_decide_roles
from madad.accounts import invitations, revocation, role_requests
from madad.accounts.models import Organisation, RoleRequest, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.refusals import Conflict, Errors, NotAllowed, invalid
from madad.core.validation import text


def organisation_create(*, name: str, kind: str, name_ur: str = "") -> Organisation:
    """Creates an organisation with a unique, non-empty name and a known kind; raises Invalid
    (by field) and writes nothing otherwise."""
    errors = Errors()
    name = text(name, "name", errors, max_length=200, required=True)
    name_ur = text(name_ur, "name_ur", errors, max_length=200)
    if "name" not in errors and Organisation.objects.filter(name__iexact=name).exists():
        errors.add("name", _("There is already an organisation with this name."))
    if kind not in Organisation.Kind.values:
        errors.add(
            "kind",
            _("The kind must be one of: %(kinds)s.")
            % {"kinds": ", ".join(Organisation.Kind.values)},
        )
    errors.raise_if()
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, name_ur=name_ur)
        audit_record(
            action="organisation.created",
            obj=organisation,
            organisation=organisation,
            fields=["name", "name_ur", "kind"],
        )
    return organisation


@dataclass(frozen=True)
class Invited:
    """A new account and its invitation link's token, shown once to whoever invited."""

    user: User
    token: str
    role_request: RoleRequest | None


def _check_new_user(
    *, email: str, full_name: str, organisation: Organisation, role: str, errors: Errors
) -> tuple[str, str]:
    email = (email or "").strip().lower()
    full_name = text(full_name, "full_name", errors, max_length=200, required=True)
    try:
        validate_email(email)
    except ValidationError:
        errors.add("email", _("Enter a valid email address."))
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors.add("email", _("There is already a user with this email address."))
    role_requests.check_role(role=role, organisation=organisation, errors=errors)
    return email, full_name


def user_invite(
    *,
    email: str,
    full_name: str,
    organisation: Organisation,
    role: str,
    invited_by: User | None,
) -> Invited:
    """Creates an active account without a password, and its invitation link. The email
    address is unique (stored in lower case); a partner organisation's users always get the
    partner role and the relief organisation's never do; an administrator invites users to
    their own organisation only. A role that needs a second person's approval is requested,
    not given: the account has no role until it is approved. `invited_by` None is the server's
    operator (`madad users create`). Raises Invalid (by field) and writes nothing otherwise."""
    errors = Errors()
    email, full_name = _check_new_user(
        email=email, full_name=full_name, organisation=organisation, role=role, errors=errors
    )
    if invited_by is not None and invited_by.organisation_id != organisation.pk:
        errors.add("organisation", _("Administrators add users to their own organisation only."))
    errors.raise_if()
    waits = role_requests.needs_second_person(role)
    with transaction.atomic():
        user = _create(
            email=email, full_name=full_name, organisation=organisation, role="" if waits else role
        )
        audit_record(
            action="user.created",
            actor=invited_by,
            obj=user,
            organisation=organisation,
            fields=["email", "full_name", "role"],
        )
        request = (
            role_requests.role_request_create(user=user, role=role, requested_by=invited_by)
            if waits
            else None
        )
        token = invitations.invitation_create(user=user, invited_by=invited_by)
    return Invited(user=user, token=token, role_request=request)


def administrator_bootstrap(*, email: str, full_name: str, organisation: Organisation) -> Invited:
    """The first administrator of an organisation, invited from the command line: allowed
    only while the organisation has no administrator (nobody could approve the role yet).
    Every later administrator is invited and approved like any other privileged user."""
    errors = Errors()
    email, full_name = _check_new_user(
        email=email,
        full_name=full_name,
        organisation=organisation,
        role=Role.ADMINISTRATOR,
        errors=errors,
    )
    errors.raise_if()
    with transaction.atomic():
        # one bootstrap at a time per organisation (PostgreSQL; SQLite writes one at a time)
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        administrators = User.objects.filter(organisation=organisation)
        if (
            administrators.filter(role=Role.ADMINISTRATOR).exists()
            or RoleRequest.objects.filter(
                user__organisation=organisation, role=Role.ADMINISTRATOR
            ).exists()
        ):
            raise Conflict(
                _(
                    "%(organisation)s already has an administrator: invite further users "
                    "from the Users page, or with `madad users create` without "
                    "--first-administrator."
                )
                % {"organisation": organisation.name},
                code="administrator_exists",
            )
        user = _create(
            email=email, full_name=full_name, organisation=organisation, role=Role.ADMINISTRATOR
        )
        audit_record(
            action="user.created",
            obj=user,
            organisation=organisation,
            fields=["email", "full_name", "role"],
        )
        token = invitations.invitation_create(user=user, invited_by=None)
    return Invited(user=user, token=token, role_request=None)


def _create(*, email: str, full_name: str, organisation: Organisation, role: str) -> User:
    # no usable password until the invited user sets one
    return User.objects.create_user(
        email=email, password=None, full_name=full_name, organisation=organisation, role=role
    )


def _audit_change(user: User, action: str, actor: User | None, fields: list[str]) -> None:
    audit_record(
        action=action, actor=actor, obj=user, organisation=user.organisation, fields=fields
    )


def user_deactivate(*, user: User, deactivated_by: User) -> None:
    """Ends the user's access: they cannot sign in, their open sessions stop working (the
    authentication backend refuses inactive users) and their API tokens are revoked (a
    reactivation brings none back). Nobody can deactivate themselves, so an organisation
    keeps at least the administrator doing it."""
    if user.pk == deactivated_by.pk:
        raise NotAllowed(_("You cannot deactivate your own account."), code="self")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        _audit_change(user, "user.deactivated", deactivated_by, ["is_active"])
        revocation.api_tokens_revoke_all(user=user, actor=deactivated_by)
    user.is_active = False


def user_reactivate(*, user: User, reactivated_by: User) -> None:
    """Gives a deactivated user their access back, with a clean failure count."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=True, failed_signins=0, locked_until=None)
        _audit_change(user, "user.reactivated", reactivated_by, ["is_active"])
    user.is_active = True


def user_unlock(*, user: User, unlocked_by: User | None) -> None:
    """Lifts a lockout and clears the failure count; the next sign-in starts afresh."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_signins=0, locked_until=None)
        _audit_change(user, "user.unlocked", unlocked_by, ["failed_signins", "locked_until"])
    user.failed_signins, user.locked_until = 0, None


@dataclass(frozen=True)
class TwoFactorReset:
    """What a two-factor reset removed and ended."""

    had_two_factor: bool
    sessions_ended: int
    tokens_revoked: int


def user_two_factor_reset(
    *, user: User, approved_by: User, reset_by: User | None = None
) -> TwoFactorReset:
    """For a user who lost their phone: removes their two-factor authenticators (the app's
    secret and the recovery codes), ends their sessions and revokes their API tokens, so that
    their next sign-in with the password leads to setting up two-factor sign-in again. Only
    with a second person's approval, as a role request (madad.accounts.role_requests): an
    active administrator or coordinator of the user's organisation, neither the user nor the
    one resetting. Audited twice: the reset (`reset_by`, None for the server's operator at
    the console) and the approval (its approver as the actor). Refused (NotAllowed), nothing
    changes."""
    if approved_by.pk == user.pk or (reset_by is not None and approved_by.pk == reset_by.pk):
        raise NotAllowed(
            _(
                "A second person must approve: %(email)s cannot approve a reset of their own "
                "two-factor sign-in, nor one they make."
            )
            % {"email": approved_by.email},
            code="own_two_factor_reset",
        )
    if not may_decide_roles(approved_by) or approved_by.organisation_id != user.organisation_id:
        raise NotAllowed(
            _(
                "%(email)s cannot approve it: only an active administrator or coordinator of "
                "%(organisation)s can."
            )
            % {"email": approved_by.email, "organisation": user.organisation.name},
            code="two_factor_reset_approver",
        )
    with transaction.atomic():
        removed, _kinds = Authenticator.objects.filter(user=user).delete()
        _audit_change(user, "user.two_factor.reset", reset_by, ["authenticators"])
        _audit_change(user, "user.two_factor.reset_approved", approved_by, ["authenticators"])
        sessions = revocation.sessions_end(user=user)
        tokens = revocation.api_tokens_revoke_all(user=user, actor=reset_by)
    return TwoFactorReset(
        had_two_factor=bool(removed), sessions_ended=sessions, tokens_revoked=tokens
    )


def user_invitation_renew(*, user: User, renewed_by: User | None) -> str:
    """A new invitation link for a user who has not yet set a password (the old link stops
    working). Never for an account already in use: that would let whoever renews it choose
    its password."""
    user.refresh_from_db(fields=["password"])
    if user.has_usable_password():
        raise Conflict(
            _("%(name)s has already set a password.") % {"name": user.full_name},
            code="invitation_accepted",
        )
    if renewed_by is not None and renewed_by.organisation_id != user.organisation_id:
        raise invalid("organisation", _("Administrators add users to their own organisation only."))
    with transaction.atomic():
        return invitations.invitation_create(user=user, invited_by=renewed_by)
