"""Deployment checks of Madad's own keys (`madad check --deploy`).

A key that cannot work fails at the first encryption, after the service is up and taking
testimonies; a short blind-index key makes the CNIC, phone and name indexes guessable. Both
are refused here, naming the variable, before anything is stored. Production mode refuses
them earlier still, at start-up, by the same rules (madad.core.secret_keys).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from madad.core import secret_keys

HINT = "Generate new secrets with: madad keys generate"


@register(Tags.security, deploy=True)
def field_keys_are_fernet_keys(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    return [
        Error(problem, hint=HINT, id="madad.E001")
        for problem in secret_keys.field_key_problems(keys)
    ]


@register(Tags.security, deploy=True)
def blind_index_key_is_long(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    problem = secret_keys.blind_index_key_problem(str(getattr(settings, "BLIND_INDEX_KEY", "")))
    return [] if problem is None else [Error(problem, hint=HINT, id="madad.E002")]
