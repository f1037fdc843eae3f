"""Unique names for the vocabularies (Django `TextChoices`) of every model.

The API's OpenAPI document names each enum after its class, and Madad's vocabularies are
named in the users' words where they live: `Incident.Status`, `Claim.Status`,
`assistance.Kind`, `JournalEntry.Kind`. Under one bare name the document kept only the last
of them, so a client following it sent values the server refused. Each class gets a qualified
name made of its app, its model and its own name (`IncidentStatus`, `ClaimStatus`,
`AssistanceKind`), once, when the apps are ready — before any API schema is built.
"""

from __future__ import annotations

import inspect
import sys

from django.apps import apps
from django.db import models


def _camel(label: str) -> str:
    return "".join(part.capitalize() for part in label.split("_"))


# every vocabulary by its qualified name, once qualify() has run
QUALIFIED: dict[str, type[models.Choices]] = {}


def qualify() -> dict[str, type[models.Choices]]:
    """Renames every choices class of Madad's models (once); returns them by their new name."""
    named = QUALIFIED
    for config in apps.get_app_configs():
        if not config.name.startswith("madad."):
            continue
        module = sys.modules.get(f"{config.name}.models")
        places: list[tuple[str, object]] = [("", module)] if module else []
        places += [(model.__name__, model) for model in config.get_models()]
        for outer, holder in places:
            for name, value in list(vars(holder).items()):
                if not (inspect.isclass(value) and issubclass(value, models.Choices)):
                    continue
                if value.__module__ != f"{config.name}.models" or value in named.values():
                    continue  # imported from elsewhere, or named already
                prefix = outer or _camel(config.label)
                unique = name if name.startswith(prefix) else f"{prefix}{name}"
                if named.get(unique, value) is not value:
                    unique = f"{_camel(config.label)}{unique}"
                value.__qualname__ = unique
                # pickle finds a class by module and qualified name: keep that lookup working
                setattr(sys.modules[value.__module__], unique, value)
                named[unique] = value
    return named
