"""Template filters shared by every app."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def notranslate(value: Any) -> SafeString:
    """Wraps user data (a name, an email address) so that neither a browser's translator nor
    Madad's Urdu completeness test treats it as text to translate. Escapes the value."""
    return format_html('<span translate="no">{}</span>', value)
