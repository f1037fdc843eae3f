from __future__ import annotations

import os
import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.demo import load_all
from madad.sharing.demo import DELEGATE_EMAIL, SECOND_COORDINATOR_EMAIL


class Command(BaseCommand):
    help = (
        "Load the synthetic, clearly fictitious demo organisation, its users (one per role, "
        "<role>@demo.madad) and its records. Only in demo mode (MADAD_MODE=demo)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "The demo data can only be loaded in demo mode: set MADAD_MODE=demo. "
                "Production never has demo users."
            )
        password = os.environ.get("MADAD_DEMO_PASSWORD", "").strip() or secrets.token_urlsafe(12)
        relief, partner = load_users(password=password)
        users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
        context = DemoContext(relief=relief, partner=partner, users=users)
        load_all(context)
        added = ", ".join(context.report) or "nothing new"
        self.stdout.write(f"Demo data ready (added: {added}).")
        self.stdout.write("")
        # the address scripts/serve binds (make run serves right after this command)
        bind = os.environ.get("MADAD_BIND") or "127.0.0.1:8000"
        self.stdout.write(f"Sign in at http://{bind} with any of:")
        for role in Role.values:
            self.stdout.write(f"  {demo_email(role):28} password: {password}")
        # a second coordinator approves grants; the delegation's reader sees one at /shared/
        for email in (SECOND_COORDINATOR_EMAIL, DELEGATE_EMAIL):
            self.stdout.write(f"  {email:28} password: {password}")
        if not settings.REQUIRE_MFA:
            self.stdout.write("Two-factor sign-in is optional in demo mode.")
