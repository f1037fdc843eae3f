from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from madad.accounts import services
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
        "`madad users unlock EMAIL` lifts a sign-in lockout."
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

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
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

    def _unlock(self, email: str) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user with the email address {email!r}.")
        services.user_unlock(user=user, unlocked_by=None)
        self.stdout.write(f"{user.email} can sign in again.")
