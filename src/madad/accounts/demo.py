"""Demo organisations and one user per role: <role>@demo.madad. Only for demo mode."""

from __future__ import annotations

from django.db import transaction

from madad.accounts import services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role

RELIEF_NAME = "Madad Relief Trust (demo)"
PARTNER_NAME = "Sahara Legal Aid (demo partner)"


def demo_email(role: str) -> str:
    return f"{role}@demo.madad"


def load_users(*, password: str) -> tuple[Organisation, Organisation]:
    """Creates what is missing and (re)sets every demo user's password; safe to run again."""
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
                services.user_create(
                    email=demo_email(role),
                    full_name=f"Demo {Role(role).label}",
                    organisation=organisation,
                    role=role,
                    password=password,
                    check_password=False,
                )
            else:
                user.set_password(password)
                user.failed_signins, user.locked_until = 0, None
                user.save(update_fields=["password", "failed_signins", "locked_until"])
    return relief, partner
