"""What an app server needs before it can answer pages, checked by `/healthz`.

A server that answers the health check must be able to answer pages: its database, its
collected static files (in production every page names them through the manifest, and a
server without it answers 500 on every page) and its compiled Urdu catalogue (without it the
Urdu site comes out in English). Each is checked as this process sees it, since a process
loads the manifest and the catalogues once.
"""

from __future__ import annotations

from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.db import DatabaseError, connection
from django.utils import translation

# One of Madad's own messages (neither Django nor allauth has it) and the Urdu it must read.
CATALOGUE_PROBE = "My day"


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "database: not reachable"
    return None


def static_problem() -> str | None:
    storage = staticfiles_storage
    if isinstance(storage, ManifestFilesMixin) and not storage.hashed_files:
        return "static files: no manifest; run `madad collectstatic --no-input` and restart"
    return None


def translations_problem() -> str | None:
    with translation.override("ur"):
        if translation.gettext(CATALOGUE_PROBE) == CATALOGUE_PROBE:
            return "translations: not compiled; run `madad i18n compile` and restart"
    return None


def problems() -> list[str]:
    found = (database_problem(), static_problem(), translations_problem())
    return [problem for problem in found if problem]
