from django import template
from django.conf import settings

from madad.accounts.roles import Role

register = template.Library()


@register.simple_tag
def two_factor_required() -> bool:
    """Whether every user must have two-factor sign-in (settings.REQUIRE_MFA)."""
    return bool(settings.REQUIRE_MFA)


@register.filter
def role_label(value: str) -> str:
    """A role's name in the user's language ("" for none)."""
    return str(Role(value).label) if value in Role.values else ""
