from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils import timezone

from madad.accounts import selectors, services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.refusals import Refused


def refusal(refused: Refused) -> CommandError:
    """One readable line per problem, named by the field it concerns."""
    lines = [
        f"{field}: {message}" for field, messages in refused.fields.items() for message in messages
    ] or [refused.message]
    return CommandError("\n".join(lines))


def site_address() -> str:
    """Where users reach Madad: MADAD_SITE_URL, else the first allowed host (https in
    production), else the development server's address."""
    configured = os.environ.get("MADAD_SITE_URL", "").strip().rstrip("/")
    if configured:
        return configured
    if settings.PRODUCTION:
        return f"https://{settings.ALLOWED_HOSTS[0]}"
    return f"http://{os.environ.get('MADAD_BIND') or '127.0.0.1:8000'}"


class Command(BaseCommand):
    help = (
        "User accounts. `madad users create` invites a user and prints their invitation link "
        "(with --first-administrator: the first administrator of a new organisation); "
        "`madad users unlock EMAIL` lifts a sign-in lockout; "
        "`madad users reset-two-factor EMAIL --approved-by EMAIL` removes the two-factor "
        "sign-in of a user who lost their phone (a second person approves); "
        "`madad users list [--organisation NAME]` shows every user's role, whether they are "
        "active, locked or have two-factor sign-in, and when they last signed in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help="Invite a user: prints a single-use link with which they set their own "
            "password. A role that opens personal data waits for an administrator's or a "
            "coordinator's approval on the Role requests page.",
        )
        create.add_argument("--email", required=True)
        create.add_argument("--name", required=True, help="The user's full name.")
        create.add_argument("--role", choices=Role.values)
        create.add_argument(
            "--first-administrator",
            action="store_true",
            help="The organisation's first administrator, with the role at once: only while "
            "the organisation has no administrator.",
        )
        create.add_argument(
            "--organisation",
            required=True,
            help="The organisation's name, as given to `madad organisations create`.",
        )
        unlock = sub.add_parser("unlock", help="Let a locked-out user sign in again.")
        unlock.add_argument("email")
        reset = sub.add_parser(
            "reset-two-factor",
            help="For a user who lost their phone: removes their authenticator app and "
            "recovery codes, signs them out everywhere and revokes their API tokens; they set "
            "up two-factor sign-in again at their next sign-in.",
        )
        reset.add_argument("email")
        reset.add_argument(
            "--approved-by",
            required=True,
            metavar="EMAIL",
            help="The second person who approves the reset: an active administrator or "
            "coordinator of the user's organisation, not the user.",
        )

        listing = sub.add_parser(
            "list",
            help="One line per user, by organisation then email: email, name, organisation, "
            "role (and a role waiting for approval), active or inactive, locked until when "
            "locked, two-factor sign-in set up or not, date of the last sign-in.",
        )
        listing.add_argument("--organisation", help="Only this organisation's users.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "list":
            self._list(options["organisation"])
        elif options["action"] == "reset-two-factor":
            self._reset_two_factor(options["email"], options["approved_by"])
        else:
            self._unlock(options["email"])

    def _create(self, options: dict[str, Any]) -> None:
        organisation = self._organisation(options["organisation"].strip())
        first = options["first_administrator"]
        if first == bool(options["role"]):
            raise CommandError("Give either --role or --first-administrator.")
        try:
            if first:
                invited = services.administrator_bootstrap(
                    email=options["email"], full_name=options["name"], organisation=organisation
                )
            else:
                invited = services.user_invite(
                    email=options["email"],
                    full_name=options["name"],
                    role=options["role"],
                    organisation=organisation,
                    invited_by=None,
                )
        except Refused as refused:
            raise refusal(refused) from None
        user, link = (
            invited.user,
            site_address() + reverse("account_invitation", args=[invited.token]),
        )
        self.stdout.write(f"Invited {user.email} to {organisation.name}.")
        if invited.role_request is not None:
            self.stdout.write(
                f"The role {invited.role_request.role} takes effect when an administrator or a "
                "coordinator of the organisation approves it (Users > Role requests)."
            )
        self.stdout.write(
            "Give them this link in person; it works once and expires in "
            f"{settings.INVITATION_HOURS} hours. With it they choose their own password, then "
            f"set up two-factor sign-in at their first sign-in:\n{link}"
        )

    @staticmethod
    def _organisation(name: str) -> Organisation:
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"There is no organisation called {name!r} (known: {known}). "
                "Create it first with `madad organisations create`."
            )
        return organisation

    @staticmethod
    def _user(email: str) -> User:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user with the email address {email!r}.")
        return user

    def _unlock(self, email: str) -> None:
        user = self._user(email)
        services.user_unlock(user=user, unlocked_by=None)
        self.stdout.write(f"{user.email} can sign in again.")

    def _reset_two_factor(self, email: str, approved_by: str) -> None:
        user, approver = self._user(email), self._user(approved_by)
        try:
            done = services.user_two_factor_reset(user=user, approved_by=approver)
        except Refused as refused:
            raise refusal(refused) from None
        removed = (
            "removed the authenticator app and recovery codes"
            if done.had_two_factor
            else "no two-factor sign-in was set up"
        )
        self.stdout.write(
            f"Reset two-factor sign-in of {user.email} (approved by {approver.email}): "
            f"{removed}, ended {_count(done.sessions_ended, 'session')}, revoked "
            f"{_count(done.tokens_revoked, 'API token')}."
        )
        self.stdout.write(
            f"{user.email} will be asked to set up two-factor sign-in again at their next "
            "sign-in (with their password)."
        )
        if user.is_locked():
            self.stdout.write(
                f"The account is locked until {user.locked_until:%Y-%m-%d %H:%M %Z}: "
                "`madad users unlock` lifts the lock."
            )

    def _list(self, organisation_name: str | None) -> None:
        users = User.objects.all()
        if organisation_name is not None:
            users = users.filter(organisation=self._organisation(organisation_name.strip()))
        rows = [
            _user_row(user)
            for user in selectors.users_with_standing(users).order_by("organisation__name", "email")
        ]
        if not rows:
            self.stdout.write("No users.")
            return
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )


def _user_row(user: User) -> list[str]:
    """What `madad users list` shows of a user: no secret, nothing personal beyond the name
    and the address."""
    role = user.role or "no role"
    waiting: str | None = getattr(user, "role_waiting", None)
    if waiting:
        role += f" (requested: {waiting})"
    locked = (
        f"locked until {timezone.localtime(user.locked_until):%Y-%m-%d %H:%M %Z}"
        if user.locked_until is not None and user.is_locked()
        else ""
    )
    last = f"{timezone.localtime(user.last_login):%Y-%m-%d}" if user.last_login else "never"
    return [
        user.email,
        user.full_name,
        user.organisation.name,
        role,
        "active" if user.is_active else "inactive",
        locked,
        "two-factor: " + ("yes" if getattr(user, "has_two_factor", False) else "no"),
        f"last sign-in {last}",
    ]


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"
