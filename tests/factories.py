"""Test data from factories, never static fixtures."""

from __future__ import annotations

import base64
import secrets

import factory
from allauth.mfa.models import Authenticator

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core import crypto

PASSWORD = "correct horse battery staple"


def _set_password(user: User, create: bool, extracted: str | None, **kwargs: object) -> None:
    """UserFactory's `password`: the one given (password=...) or PASSWORD."""
    user.set_password(extracted or PASSWORD)
    if create:
        user.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test Organisation {n}")
    kind = Organisation.Kind.RELIEF


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@test.madad")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.DOCUMENTER

    password = factory.PostGeneration(_set_password)


def enrol_totp(user: User) -> str:
    """Gives the user a TOTP authenticator and returns its base32 secret."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": crypto.encrypt(secret)}
    )
    return secret


def current_totp_code(secret: str) -> str:
    """The code an authenticator app would show now for this secret."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(__import__("time").time()) // 30
    code: str = format_hotp_value(hotp_value(secret, counter))  # allauth is untyped
    return code
