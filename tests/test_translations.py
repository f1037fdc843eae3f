"""Urdu is complete: the catalogue has every string translated, and no page a user can reach
shows an untranslated string — neither a marked string missing from the catalogue nor English
text that was never marked for translation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.translation import trans_real

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.demo import load_all

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ur" / "LC_MESSAGES" / "django.po"

# Latin-script words allowed inside Urdu text: acronyms Urdu writing keeps as they are.
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+")
_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_SKIP = {"script", "style", "code", "pre", "kbd", "samp", "svg", "option", "textarea"}


class _VisibleLatin(HTMLParser):
    """Collects Latin-script words from visible text, outside elements marked translate="no"
    (user data: names, email addresses, codes) and outside code and scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # for each open element: does it hide its text?
        self.words: list[str] = []

    def _hidden(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = dict(attrs)
        hides = (
            tag in _SKIP
            or attributes.get("translate") == "no"
            or attributes.get("lang") not in (None, "ur")
        )
        self.stack.append(hides)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._hidden():
            return
        for word in _LATIN_WORD.findall(data):
            if not _ACRONYM.match(word):
                self.words.append(word)


def latin_words(html: str) -> list[str]:
    parser = _VisibleLatin()
    parser.feed(html)
    return parser.words


class _Recorder:
    """Records every message looked up through Django's translation functions."""

    def __init__(self) -> None:
        self.keys: set[str | tuple[str, int]] = set()

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Django's private translation switch (django-stubs do not declare it)
        trans = vars(translation)["_trans"]
        gettext: Callable[[str], str] = trans.gettext
        ngettext: Callable[[str, str, int], str] = trans.ngettext
        pgettext: Callable[[str, str], str] = trans.pgettext
        npgettext: Callable[[str, str, str, int], str] = trans.npgettext

        def record_gettext(message: str) -> str:
            self.keys.add(message)
            return gettext(message)

        def record_ngettext(singular: str, plural: str, number: int) -> str:
            self.keys.add((singular, 0))
            return ngettext(singular, plural, number)

        def record_pgettext(context: str, message: str) -> str:
            self.keys.add(f"{context}\x04{message}")
            return pgettext(context, message)

        def record_npgettext(context: str, singular: str, plural: str, number: int) -> str:
            self.keys.add((f"{context}\x04{singular}", 0))
            return npgettext(context, singular, plural, number)

        monkeypatch.setattr(trans, "gettext", record_gettext)
        monkeypatch.setattr(trans, "ngettext", record_ngettext)
        monkeypatch.setattr(trans, "pgettext", record_pgettext)
        monkeypatch.setattr(trans, "npgettext", record_npgettext)

    def missing_in_urdu(self) -> list[str]:
        # the translation's private catalogue (django-stubs do not declare it)
        catalog: trans_real.TranslationCatalog = vars(trans_real.translation("ur"))["_catalog"]
        missing = []
        for key in self.keys:
            text = key[0] if isinstance(key, tuple) else key
            if not re.search(r"[A-Za-z]", text.split("\x04")[-1]):
                continue  # nothing to translate ("", "%(count)s", "—")
            if catalog.get(key) is None:
                missing.append(text.split("\x04")[-1])
        return sorted(missing)


def test_the_urdu_catalogue_has_no_untranslated_or_fuzzy_entries() -> None:
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 100


def test_the_latin_word_finder_sees_unmarked_english_and_ignores_user_data() -> None:
    html = (
        '<p>سلام <b>Welcome</b> CNIC</p><span translate="no">Fatima Ahmed</span>'
        '<code>person.identity.viewed</code><input value="Search"><p>Save</p>'
    )
    assert latin_words(html) == ["Welcome", "Save"]


def _same_site_links(html: str, base: str) -> Iterator[str]:
    for href in re.findall(r'href="([^"#]+)"', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


# not pages: the API, files, and links that switch the language or sign out
_NOT_PAGES = ("/api/", "/static/", "/accounts/logout", "/i18n/", "/healthz", "/public/language/")


def _crawl(client: Client, start: str, limit: int = 80, per_route: int = 2) -> dict[str, str]:
    """Visits same-site pages reachable by links from `start`; returns {url: html}."""
    seen_routes: dict[str, int] = {}
    pages: dict[str, str] = {}
    queue = [start]
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages or url.startswith(_NOT_PAGES):
            continue
        try:
            route = resolve(urlsplit(url).path).route
        except Resolver404:
            continue
        if seen_routes.get(route, 0) >= per_route:
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not content_type.startswith("text/html"):
            continue
        seen_routes[route] = seen_routes.get(route, 0) + 1
        html = response.content.decode()
        pages[url] = html
        queue.extend(link for link in _same_site_links(html, url) if link not in pages)
    return pages


@pytest.fixture
def demo_world(
    db: None, relief_org: Organisation, partner_org: Organisation, make_user: Callable[..., User]
) -> dict[str, Any]:
    users = {
        role: make_user(role, partner_org if role == Role.PARTNER else relief_org)
        for role in Role.values
    }
    load_all(DemoContext(relief=relief_org, partner=partner_org, users=users, scale=0.02))
    return users


@pytest.mark.parametrize("role", Role.values)
def test_no_page_a_user_reaches_shows_an_untranslated_string(
    role: str, demo_world: dict[str, Any], client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _Recorder()
    recorder.install(monkeypatch)
    client.force_login(demo_world[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    pages = _crawl(client, "/")
    assert pages, "the crawl reached no page"
    for url, html in pages.items():
        assert 'dir="rtl"' in html, url
        assert latin_words(html) == [], url
    assert recorder.missing_in_urdu() == []


def test_the_sign_in_page_is_in_urdu(
    client: Client, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorder = _Recorder()
    recorder.install(monkeypatch)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ur" dir="rtl"' in html
    assert latin_words(html) == []
    assert recorder.missing_in_urdu() == []
