"""Deployment check of the backups (`madad check --deploy`): production needs the keys its
backups are encrypted to, and each must be an age public key."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from madad.backup import keys
from madad.core.refusals import Invalid


@register(Tags.security, deploy=True)
def backup_recipients_are_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.PRODUCTION:
        return []
    try:
        keys.recipients()
    except Invalid as refusal:
        return [
            Error(
                refusal.message,
                hint="madad backup keygen --out office-key.txt prints a public key.",
                id="madad.E010",
            )
        ]
    return []
