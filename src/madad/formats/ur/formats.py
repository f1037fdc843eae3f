"""Urdu: the day, the month's Urdu name, the year (4 مارچ 2026); day first in short dates; a
24-hour clock, since Django's Urdu a.m./p.m. word reads "evening" at 1 p.m."""

from madad.formats.common import *  # noqa: F403 (Django reads the module's names)

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
