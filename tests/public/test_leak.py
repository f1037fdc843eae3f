"""Nothing personal leaves through the public site.

The database is filled with the demo data and with records carrying unique markers: persons
with names in both scripts, CNICs, phones and addresses, testimonies, alleged perpetrators,
named sources, exact coordinates, titles and restricted narratives, and incidents that are not
verified or are confidential. Then every public page (found by following every link from the
start page, in English and in Urdu) and every export is fetched, and none of those values may
appear in any of them.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import deque
from typing import Any

import pytest
from django.test import Client
from pytest_django import Settings

from madad.accounts.demo import demo_email, load_users
from madad.accounts.models import User
from madad.accounts.roles import Role
from madad.core.demo import DemoContext
from madad.demo import load_all
from madad.incidents.demo import TYPES as DEMO_TYPES
from madad.incidents.models import Act, Incident, Involvement, Source
from madad.people.models import Person
from madad.public import services
from madad.testimonies import models as testimonies
from tests.incidents.factories import Gazetteer
from tests.public.factories import alleged_perpetrator, incident, incident_type, person
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/public/data/incidents.csv",
    "/public/data/incidents.json",
    "/public/data/incidents.geojson",
    "/public/data/incidents.hxl.csv",
    "/public/map/points.json",
]
MAX_PAGES = 700


@pytest.fixture
def filled(settings: Settings, places: Gazetteer) -> dict[str, Any]:
    """The demo (at a small scale) plus records with unique markers."""
    settings.MADAD_PUBLIC_RATE_LIMIT = 0
    for code in DEMO_TYPES:  # seeded by a migration; a live-server test's flush may take them
        incident_type(code)
    relief, partner = load_users(password="demo password for tests")
    users = {role: User.objects.get(email=demo_email(role)) for role in Role.values}
    load_all(DemoContext(relief=relief, partner=partner, users=users, scale=0.05))
    documenter = users[Role.DOCUMENTER]
    marked = incident(
        documenter,
        places.orchard,
        title="TITLE-LEAK Zarghuna Qazilbash shot",
        public_summary="A trader was shot in the evening.",
        description="DESCRIPTION-LEAK the family named the gang",
        latitude="24.98765",
        longitude="67.12345",
        victims=[
            (
                "killed",
                {
                    "given_name": "Zarghuna",
                    "family_name": "Qazilbash",
                    "full_name_ur": "زرغونہ قزلباش",
                    "father_name": "Feroz Qazilbash",
                    "aliases": "Zari Q.",
                    "cnic": "9999912345671",
                    "phone": "03991234567",
                    "address": "House 77, Street LEAKLANE",
                    "sex": "female",
                    "age": 33,
                },
            )
        ],
    )
    marked.acts.update(method="METHOD-LEAK", consequences="CONSEQUENCE-LEAK")
    alleged_perpetrator(marked, "PERPETRATOR-LEAK the Blue Gang")
    Involvement.objects.create(
        act=marked.acts.get(),
        degree="ordered",
        person=person(
            documenter, given_name="Perwaiz", family_name="Gangwala", full_name_ur="پرویز گینگ والا"
        ),
    )
    Source.objects.create(
        incident=marked,
        kind="police_fir",
        reliability="A",
        credibility=1,
        name="SOURCE-NAME-LEAK Rashida",
        notes="SOURCE-NOTES-LEAK",
        fir_number="FIR-LEAK-77/2012",
        police_station="LEAKPUR station",
        person=person(documenter, given_name="Rashida", family_name="Informant"),
    )
    Source.objects.create(
        incident=marked,
        kind="news",
        reliability="B",
        credibility=2,
        outlet="OUTLET-LEAK Daily",
        url="https://leak.example/story",
    )
    testimonies.Testimony.objects.create(
        organisation=documenter.organisation,
        person=marked.acts.get().victim,
        incident=marked,
        date=dt.date(2012, 5, 7),
        language="ur",
        transcript="TESTIMONY-LEAK میں نے سب دیکھا",
        recorded_by=documenter,
    )
    for status in ("reported", "under_review", "disputed", "rejected"):
        incident(
            documenter,
            places.harbour,
            status=status,
            title=f"UNVERIFIED-TITLE-LEAK-{status}",
            public_summary=f"UNVERIFIED-SUMMARY-LEAK-{status}",
        )
    incident(
        documenter,
        places.harbour,
        confidentiality="confidential",
        title="CONFIDENTIAL-TITLE-LEAK",
        public_summary="CONFIDENTIAL-SUMMARY-LEAK",
    )
    # a published fact sheet and claim check that cite the marked incident
    sheet = services.factsheet_write(
        by=documenter,
        organisation=documenter.organisation,
        incident_ids=[marked.pk],
        values={
            "title_en": "Leak check",
            "title_ur": "جانچ",
            "body_en": "{{count:incidents}}",
            "body_ur": "{{count:victims sex=female}}",
        },
    )
    services.factsheet_submit(factsheet=sheet, by=documenter)
    services.factsheet_approve(factsheet=sheet, approver=users[Role.VERIFIER])
    return {"marked": marked, "users": users}


def _person_secrets(found: dict[str, str]) -> None:
    for p in Person.objects.all():
        full = f"{p.given_name} {p.family_name}".strip()
        for label, value in [
            ("name", full if p.given_name and p.family_name else ""),
            ("urdu name", p.full_name_ur),
            ("father", p.father_name),
            ("alias", p.aliases),
            ("cnic", p.cnic),
            ("phone", p.phone),
            ("address", p.address),
        ]:
            if value and len(value) >= 6:
                found[value] = f"person #{p.pk} {label}"
        if p.cnic:
            found[f"{p.cnic[:5]}-{p.cnic[5:12]}-{p.cnic[12:]}"] = f"person #{p.pk} cnic"


def _incident_secrets(found: dict[str, str]) -> None:
    for s in Source.objects.all():
        for label in ("name", "notes", "fir_number", "police_station", "outlet", "url"):
            value = getattr(s, label)
            if value and len(value) >= 6:
                found[value] = f"source #{s.pk} {label}"
    for inv in Involvement.objects.all():
        if inv.described_group:
            found[inv.described_group] = f"alleged perpetrator #{inv.pk}"
    for a in Act.objects.exclude(consequences=""):
        found[a.consequences] = f"act #{a.pk} consequences"
    for i in Incident.objects.all():
        found[i.title] = f"incident #{i.pk} title"
        if i.description:
            found[i.description[:60]] = f"incident #{i.pk} description"
        unpublished = i.status != "verified" or i.confidentiality == "confidential"
        if unpublished and "LEAK" in i.public_summary:
            found[i.public_summary] = f"unpublished incident #{i.pk} summary"


def _secrets() -> dict[str, str]:
    """Every value that must never be public, read from the database as staff would."""
    found: dict[str, str] = {}
    _person_secrets(found)
    for t in testimonies.Testimony.objects.all():
        found[t.transcript[:40]] = f"testimony #{t.pk}"
    _incident_secrets(found)
    for u in User.objects.all():
        found[u.email] = f"staff email #{u.pk}"
        found[u.full_name] = f"staff name #{u.pk}"
    for value in ("24.98765", "67.12345", "METHOD-LEAK"):
        found[value] = "marked incident detail"
    return found


def _texts(response: Any) -> list[str]:
    body = streamed_body(response) if response.streaming else response.content
    text = body.decode("utf-8", errors="replace")
    texts = [text, html.unescape(text)]
    if "json" in response.get("Content-Type", ""):
        texts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return texts


def _crawl(client: Client) -> dict[str, list[str]]:
    """Every page reachable from the start page, with its text; links under /public/ only."""
    seen: dict[str, list[str]] = {}
    queue = deque(["/", "/public/", *EXPORTS])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        seen[url] = _texts(response)
        if response.get("Content-Type", "").startswith("text/html"):
            for href in re.findall(r'href="([^"#]+)"', seen[url][0]):
                link = html.unescape(href)
                if link.startswith("/public/") and "/language/" not in link and link not in seen:
                    queue.append(link)
    return seen


def _leaks(pages: dict[str, list[str]], secrets: dict[str, str]) -> list[str]:
    return [
        f"{what} ({value!r}) in {url}"
        for url, texts in pages.items()
        for value, what in secrets.items()
        if any(value in t for t in texts)
    ]


@pytest.mark.parametrize("language", ["en", "ur"])
def test_no_public_page_or_export_shows_anything_personal_or_unverified(
    filled: dict[str, Any], language: str
) -> None:
    client = Client()
    client.get(f"/public/language/?language={language}")
    secrets = {
        k: v
        for k, v in _secrets().items()
        if not (v.startswith("alleged perpetrator") and "LEAK" not in k)
    }
    pages = _crawl(client)
    assert len(pages) > 40, "the crawl should reach the whole public site"
    assert any(f"/public/incidents/{filled['marked'].pk}/" == url for url in pages)
    assert any(url.startswith("/public/factsheets/") and "?print=1" in url for url in pages)
    assert any(url.startswith("/public/claims/") and url != "/public/claims/" for url in pages)
    # the marked values really are in the database, so the search can find them
    assert "Zarghuna Qazilbash" in secrets and "زرغونہ قزلباش" in secrets
    assert _leaks(pages, secrets) == []


def test_every_fact_sheet_pdf_is_served(filled: dict[str, Any]) -> None:
    client = Client()
    for url in [
        u
        for u in _crawl(client)
        if u.startswith("/public/factsheets/") and u.count("/") == 4 and "?" not in u
    ]:
        response = client.get(url.rstrip("/") + ".pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_demos_alleged_perpetrators_are_not_public_either(filled: dict[str, Any]) -> None:
    secrets = {k: v for k, v in _secrets().items() if v.startswith("alleged perpetrator")}
    assert _leaks(_crawl(Client()), secrets) == []
