from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def two_factor_required() -> bool:
    """Whether every user must have two-factor sign-in (settings.REQUIRE_MFA)."""
    return bool(settings.REQUIRE_MFA)
