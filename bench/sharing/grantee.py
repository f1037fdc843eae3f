"""What a grantee's pages cost as a grant grows: the access policy decides at every request
whether each granted record's grant is in force and whether the consent of the people in it
holds (nothing is cached, so that expiry, revocation and withdrawal of consent take effect at
the very next request). This measures that price.

For each size N: N persons of one relief organisation, each with a testimony and consent to
viewing by a delegation; one grant over all N testimonies, approved; then, as the delegate:
the grants list (/shared/), the grant's page (/shared/<id>/), one record's page, and the
access policy's own question (which granted records may the delegate see), each asked
REPEAT times, with the median wall time and the number of SQL queries. Also the time to
create the grant (consent checked for every record). A temporary SQLite database.

    python -m bench.sharing [--sizes 50,200,1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _setup(database: Path) -> None:
    # demo mode: the delegate signs in without two-factor (the check is a middleware's, asked
    # once per request; the pages' own cost is what is measured)
    os.environ["MADAD_MODE"] = "demo"
    os.environ["MADAD_REQUIRE_MFA"] = "false"
    from bench.public.portal import _setup as setup

    setup(database)


def _world(size: int) -> dict[str, Any]:
    from django.utils import timezone

    from madad.accounts.models import Organisation, User
    from madad.people.models import Person
    from madad.testimonies.models import ConsentRecord, Testimony

    today = timezone.localdate()
    suffix = str(size)
    relief = Organisation.objects.create(name=f"Bench relief {suffix}", kind="relief")
    delegation = Organisation.objects.create(name=f"Bench delegation {suffix}", kind="delegation")

    def user(email: str, role: str, organisation: Organisation) -> User:
        return User.objects.create_user(
            email=f"{email}-{suffix}@bench.madad",
            password=None,
            full_name=email,
            organisation=organisation,
            role=role,
        )

    coordinator = user("coordinator", "coordinator", relief)
    approver = user("approver", "coordinator", relief)
    documenter = user("documenter", "documenter", relief)
    delegate = user("delegate", "partner", delegation)
    persons = Person.objects.bulk_create(
        [Person(organisation=relief, given_name=f"Bench {i}") for i in range(size)]
    )
    testimonies = Testimony.objects.bulk_create(
        [
            Testimony(
                organisation=relief,
                person=person,
                date=today - dt.timedelta(days=30),
                language="ur",
                transcript=f"Bench statement {person.pk}",
                recorded_by=documenter,
            )
            for person in persons
        ]
    )
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(
                organisation=relief,
                person=person,
                purpose="delegation_viewing",
                decision="given",
                date=today - dt.timedelta(days=20),
                recorded_by=documenter,
            )
            for person in persons
        ]
    )
    return {
        "coordinator": coordinator,
        "approver": approver,
        "delegate": delegate,
        "delegation": delegation,
        "testimonies": [t.pk for t in testimonies],
    }


def _measure(repeat: int, ask: Callable[[], object]) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            ask()
            times.append(time.perf_counter() - started)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def _run(size: int, repeat: int) -> list[tuple[str, int, float, int]]:
    from django.test import Client
    from django.utils import timezone

    from madad import access
    from madad.sharing import services
    from madad.sharing.models import GrantedRecord

    world = _world(size)
    today = timezone.localdate()
    started = time.perf_counter()
    grant = services.grant_create(
        actor=world["coordinator"],
        grantee=world["delegation"],
        users=[world["delegate"]],
        purpose="Bench",
        valid_from=today,
        valid_until=today + dt.timedelta(days=7),
        chosen=services.Chosen(testimonies=world["testimonies"]),
        share_transcripts=True,
        readers_enrolled_later=True,
    )
    created = (time.perf_counter() - started) * 1000
    services.grant_approve(grant=grant, actor=world["approver"])
    delegate = world["delegate"]
    client = Client()
    client.force_login(delegate)
    record = grant.records.order_by("pk").first()
    assert record is not None

    def page(url: str) -> Callable[[], object]:
        def ask() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return ask

    rows = [("create the grant", size, created, 0)]
    for label, ask in (
        ("policy: visible records", lambda: list(access.visible_to(delegate, GrantedRecord))),
        ("/shared/", page("/shared/")),
        ("/shared/<grant>/", page(f"/shared/{grant.pk}/")),
        ("/shared/records/<record>/", page(f"/shared/records/{record.pk}/")),
    ):
        milliseconds, queries = _measure(repeat, ask)
        rows.append((label, size, milliseconds, queries))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sharing")
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="madad-bench-sharing-") as var:
        os.environ["MADAD_VAR_DIR"] = var
        _setup(Path(var) / "madad.sqlite3")
        from django.test.utils import setup_test_environment

        setup_test_environment()
        print(f"{'what':32} {'records':>8} {'median ms':>10} {'queries':>8}")
        for size in sizes:
            for label, records, milliseconds, queries in _run(size, args.repeat):
                shown = "" if label == "create the grant" else str(queries)
                print(f"{label:32} {records:>8} {milliseconds:>10.1f} {shown:>8}", flush=True)
    return 0
