import re
import pytest
from django.conf import settings
from madad.accounts.roles import Role
from madad.fund import demo
from madad.core.demo import DemoContext
from madad.fund.models import Donation, JournalEntry, Donor
from tests.fund.factories import approved_assistance
from tests.test_translations import _Recorder, latin_words, _crawl

pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("role", [Role.FINANCE, Role.AUDITOR, Role.COORDINATOR])
def test_latin(relief_org, partner_org, make_user, client, monkeypatch, role):
    users = {r: make_user(r, partner_org if r == Role.PARTNER else relief_org) for r in Role.values}
    for _ in range(3):
        approved_assistance(relief_org, amount="5000", kind="school_fees")
    demo.load(DemoContext(relief=relief_org, partner=partner_org, users=users, scale=0.3))
    rec = _Recorder(); rec.install(monkeypatch)
    client.force_login(users[role])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    pages = _crawl(client, "/fund/", limit=200, per_route=2)
    known = set()
    for key in rec.keys:
        text = key[0] if isinstance(key, tuple) else key
        known |= set(re.findall(r"[A-Za-z][A-Za-z'’-]+", str(text)))
    problems = {}
    for url, html in pages.items():
        if not url.startswith("/fund"): continue
        assert 'dir="rtl"' in html, url
        bad = [w for w in latin_words(html) if w not in known]
        if bad: problems[url] = bad
    print(sorted(u for u in pages if u.startswith("/fund")))
    print(problems)
    assert not problems
