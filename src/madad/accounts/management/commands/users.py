from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from madad.accounts import services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role

PASSWORD_VARIABLE = "MADAD_NEW_USER_PASSWORD"  # noqa: S105 (a variable name, not a password)


def refusal(error: ValidationError) -> CommandError:
    """One readable line per problem, named by the field it concerns."""
    if hasattr(error, "error_dict"):
        lines = [
            f"{field}: {message}"
            for field, problems in error.message_dict.items()
            for message in problems
        ]
    else:
        lines = list(error.messages)
    return CommandError("\n".join(lines))


class Command(BaseCommand):
    help = (
        "User accounts. `madad users create` adds a user (the first administrator of a new "
        "install, for example); `madad users unlock EMAIL` lifts a sign-in lockout."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser(
            "create",
            help=f"Add a user. The password comes from {PASSWORD_VARIABLE}, or is asked for "
            "twice when that is not set.",
        )
        create.add_argument("--email", required=True)
        create.add_argument("--name", required=True, help="The user's full name.")
        create.add_argument("--role", required=True, choices=Role.values)
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
        name = options["organisation"].strip()
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            known = ", ".join(Organisation.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(
                f"There is no organisation called {name!r} (known: {known}). "
                "Create it first with `madad organisations create`."
            )
        password = self._password()
        try:
            user = services.user_create(
                email=options["email"],
                full_name=options["name"],
                role=options["role"],
                organisation=organisation,
                password=password,
            )
        except ValidationError as error:
            raise refusal(error) from None
        self.stdout.write(
            f"Created {user.email} ({user.role}) in {organisation.name}. Two-factor sign-in "
            "is set up at the first sign-in."
        )

    def _password(self) -> str:
        from_environment = os.environ.get(PASSWORD_VARIABLE)
        if from_environment:
            return from_environment
        if not sys.stdin.isatty():
            raise CommandError(
                f"No password: set {PASSWORD_VARIABLE}, or run this in a terminal to type it."
            )
        first = getpass.getpass("Password: ")
        second = getpass.getpass("Password again: ")
        if first != second:
            raise CommandError("The two passwords are not the same; nothing was created.")
        return first

    def _unlock(self, email: str) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"There is no user with the email address {email!r}.")
        services.user_unlock(user=user, unlocked_by=None)
        self.stdout.write(f"{user.email} can sign in again.")
