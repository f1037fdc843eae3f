from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from madad.accounts.roles import Role
from tests.test_translations import _crawl, _Recorder, demo_world, latin_words  # noqa: F401


@pytest.mark.parametrize("role", Role.values)
def test_scan(role: str, demo_world: dict[str, Any], client: Any,
              monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = _Recorder()
    recorder.install(monkeypatch)
    client.force_login(demo_world[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    pages = _crawl(client, "/")
    with open(f"/tmp/i18n/scan-{role}.txt", "w") as out:
        for url, html in pages.items():
            words = latin_words(html)
            if words:
                out.write(f"{url}\t{sorted(set(words))[:30]}\n")
        out.write(f"MISSING {recorder.missing_in_urdu()}\n")
        out.write(f"PAGES {len(pages)}\n")
