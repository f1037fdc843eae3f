"""Shared fixtures. Every view test asks three people: the owner of a record, a colleague in
the same organisation with another role, and an outsider from another organisation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.utils import translation
from pytest_django import DjangoDbBlocker, Settings
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core import append_only
from tests.factories import OrganisationFactory, UserFactory, enrol_totp

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language. A request in Urdu leaves Urdu active in the
    thread that served it (the test's own, with Django's test client), and a later test's
    messages would come out in Urdu."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Settings) -> None:
    # Argon2 is the production hasher (tested in tests/accounts); tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _files_in_a_temporary_directory(
    settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Evidence files (uploads, the demo's) never land in the real var/files during tests.
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("files"))


@pytest.fixture(scope="session")
def intake_key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The organisation's intake key (madad.intake.encryption), made once per run."""
    from madad.intake import encryption

    path = tmp_path_factory.mktemp("intake-key") / "intake-key.pem"
    encryption.generate_key(path)
    return path


@pytest.fixture(autouse=True)
def _intake_key(settings: Settings, intake_key_file: Path) -> None:
    # never var/intake-key.pem: the demo and the shipped forms would make one there
    settings.MADAD_INTAKE_KEY_FILE = intake_key_file


@pytest.fixture(autouse=True)
def _append_only_guards(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every database test runs with the append-only triggers in place.

    A transactional test ends with a flush of every table, which those triggers rightly
    refuse: they are lifted for that flush (this teardown runs before the flush because the
    database fixture is requested here first) and put back by the next test. In an ordinary
    test they are (re)installed inside its transaction, which rolls back with it.
    """
    marker = request.node.get_closest_marker("django_db")
    names = request.fixturenames
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if not (transactional or marker is not None or "db" in names):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    for alias in connections:
        for guard in append_only.registered():
            guard.install(connections[alias])
    yield
    if transactional:
        for alias in connections:
            for guard in append_only.registered():
                guard.remove(connections[alias])


@pytest.fixture
def relief_org(db: None) -> Organisation:
    return OrganisationFactory.create(kind=Organisation.Kind.RELIEF)


@pytest.fixture
def other_relief_org(db: None) -> Organisation:
    return OrganisationFactory.create(kind=Organisation.Kind.RELIEF)


@pytest.fixture
def partner_org(db: None) -> Organisation:
    return OrganisationFactory.create(kind=Organisation.Kind.LEGAL_AID)


@pytest.fixture
def make_user(db: None, relief_org: Organisation) -> Callable[..., User]:
    """A user with two-factor enrolled (settings require it) unless totp=False."""

    def make(
        role: str = Role.DOCUMENTER,
        organisation: Organisation | None = None,
        totp: bool = True,
        **extra: Any,
    ) -> User:
        user = UserFactory.create(role=role, organisation=organisation or relief_org, **extra)
        if totp:
            enrol_totp(user)
        return user

    return make


# --- One user per role of the relief organisation (the owner's colleagues), the outsider and
# the partner: the three people every view is asked as (STYLE.md 5). Defined here once.
@pytest.fixture
def documenter(make_user: Callable[..., User]) -> User:
    return make_user(Role.DOCUMENTER)


@pytest.fixture
def verifier(make_user: Callable[..., User]) -> User:
    return make_user(Role.VERIFIER)


@pytest.fixture
def caseworker(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASEWORKER)


@pytest.fixture
def coordinator(make_user: Callable[..., User]) -> User:
    return make_user(Role.COORDINATOR)


@pytest.fixture
def finance(make_user: Callable[..., User]) -> User:
    return make_user(Role.FINANCE)


@pytest.fixture
def outsider(make_user: Callable[..., User], other_relief_org: Organisation) -> User:
    """A coordinator of another relief organisation: sees everything of their own
    organisation and nothing of ours (records of other organisations answer 404). A test that
    needs the outsider to hold another role makes one with `make_user(role, other_relief_org)`."""
    return make_user(Role.COORDINATOR, organisation=other_relief_org)


@pytest.fixture
def partner_user(make_user: Callable[..., User], partner_org: Organisation) -> User:
    """A user of a partner organisation (legal aid): sees only what is referred to it."""
    return make_user(Role.PARTNER, organisation=partner_org)


@pytest.fixture
def bearer(client: Client) -> Callable[[User], dict[str, str]]:
    """Headers carrying a token for the user, issued by POST /api/v1/auth/token as a client
    gets it (once per user: a two-factor code is accepted only once)."""
    from tests.api.helpers import issue_token

    issued: dict[int, dict[str, str]] = {}

    def issue(user: User) -> dict[str, str]:
        if user.pk not in issued:
            issued[user.pk] = issue_token(client, user)
        return issued[user.pk]

    return issue


@pytest.fixture
def signed_in(client: Client) -> Callable[[User], Client]:
    """A test client signed in as the given user (two-factor already passed)."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


def has_totp(user: User) -> bool:
    return bool(Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists())


# --- Browser tests: Debian's Chromium driven by Playwright ------------------------------------
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = __import__("pathlib").Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the test thread; Django then
    # refuses database calls there, although they are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def browser_page(chromium: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server; screenshots go to
    test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def browser_sign_in(browser_page: Page) -> Callable[..., Page]:
    """Signs a user in through the real sign-in form, answering the two-factor step."""
    from tests.factories import PASSWORD, current_totp_code

    def sign_in(user: User, totp_secret: str | None = None) -> Page:
        page = browser_page
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", PASSWORD)
        # "main": the header's language switch is a form with a submit button too
        page.click("main form button[type=submit]")
        if totp_secret:
            page.wait_for_selector("input[name=code]")
            page.fill("input[name=code]", current_totp_code(totp_secret))
            page.click("main form button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/" not in url)
        return page

    return sign_in


def _reseed_reference_data() -> None:
    """Data migrations seed reference data — incident types, Karachi's gazetteer — that a
    transactional test's closing flush removes; put it back for the tests that follow."""
    from importlib import import_module

    from django.apps import apps

    from madad.incidents.models import IncidentType
    from madad.places.models import Place

    if not IncidentType.objects.exists():
        import_module("madad.incidents.migrations.0002_incident_types").seed(apps, None)
    if not Place.objects.exists():
        import_module("madad.places.migrations.0003_karachi").load_karachi(apps, None)


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    # trylast: runs after pytest has torn down every fixture of `item`, the flush included.
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in names
        or "live_server" in names
        or bool(marker and marker.kwargs.get("transaction"))
    )
    # a test skipped before its fixtures ran (a PostgreSQL test on SQLite) flushed nothing,
    # and may come before any test has created the test database
    ran = bool(getattr(item, "funcargs", None))
    if transactional and ran and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _reseed_reference_data()


@pytest.fixture(scope="session", autouse=True)
def _end_stray_postgresql_sessions(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """Dropping the PostgreSQL test database fails while any session still uses it: a worker
    process or thread a test started may not have closed its connection yet. End those
    sessions (never this one) before the database is dropped."""
    yield
    with django_db_blocker.unblock():
        for alias in connections:
            connection = connections[alias]
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
