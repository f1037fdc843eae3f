"""Demo organisations and one user per role: <role>@demo.madad. Only for demo mode."""

from __future__ import annotations

from django.db import transaction

from madad.accounts import services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record

RELIEF_NAME = "Madad Relief Trust (demo)"
PARTNER_NAME = "Sahara Legal Aid (demo partner)"


def demo_email(role: str) -> str:
    return f"{role}@demo.madad"


def load_users(*, password: str) -> tuple[Organisation, Organisation]:
    """Creates what is missing and (re)sets every demo user's role and password; safe to run
    again. Demo mode only: no invitation, no second person."""
    with transaction.atomic():
        relief = Organisation.objects.filter(
            name=RELIEF_NAME
        ).first() or services.organisation_create(
            name=RELIEF_NAME, name_ur="مدد ریلیف ٹرسٹ (ڈیمو)", kind=Organisation.Kind.RELIEF
        )
        partner = Organisation.objects.filter(
            name=PARTNER_NAME
        ).first() or services.organisation_create(
            name=PARTNER_NAME, name_ur="سہارا لیگل ایڈ (ڈیمو)", kind=Organisation.Kind.LEGAL_AID
        )
        for role in Role.values:
            organisation = partner if role == Role.PARTNER else relief
            user = User.objects.filter(email=demo_email(role)).first()
            if user is None:
                # demo accounts only: no invitation and no second person; one known password
                user = User.objects.create_user(
                    email=demo_email(role),
                    full_name=f"Demo {Role(role).label}",
                    organisation=organisation,
                    role=role,
                )
                audit_record(
                    action="user.created",
                    obj=user,
                    organisation=organisation,
                    fields=["email", "full_name", "role"],
                )
            user.role = role
            user.set_password(password)
            user.failed_signins, user.locked_until = 0, None
            user.save(update_fields=["role", "password", "failed_signins", "locked_until"])
    return relief, partner
