"""The public portal with 100,000 verified incidents, on a temporary SQLite database.

Generates the incidents (bulk_create, the fast path), with their types, one to three victims
each and one or two sources, over the shipped Karachi gazetteer; then times the dashboard's
queries, the public pages and the map's payload, each several times, and prints p50 and p95.
Figures are measured with the cache off (every request computes), and once with it on.

    python -m bench.public [--incidents N] [--runs N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TYPE_WEIGHTS = {
    "targeted-killing": 34,
    "extortion-demand": 20,
    "kidnapping-for-ransom": 9,
    "indiscriminate-firing": 10,
    "threat-or-intimidation": 8,
    "arson": 5,
    "bomb-or-grenade-attack": 4,
    "enforced-disappearance": 3,
    "property-seizure": 5,
    "other": 2,
}
ACT_TYPES = [
    "killed",
    "injured",
    "abducted",
    "extorted",
    "threatened",
    "displaced",
    "property_destroyed",
]
SOURCE_KINDS = ["witness", "family", "police_fir", "hospital", "news", "partner", "social_media"]


def _setup(database: Path) -> None:
    os.environ["MADAD_SQLITE_PATH"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
    os.environ["MADAD_PUBLIC_RATE_LIMIT"] = "0"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(n: int, seed: int = 2008) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from madad.accounts.models import Organisation, User
    from madad.incidents.models import Act, Incident, IncidentType, Source
    from madad.people.models import Person
    from madad.places.models import Place

    rng = random.Random(seed)
    started = time.perf_counter()
    organisation = Organisation.objects.create(name="Bench relief", kind="relief")
    user = User.objects.create_user(
        email="bench@bench.madad",
        password=None,
        full_name="Bench",
        organisation=organisation,
        role="documenter",
    )
    places = list(Place.objects.filter(level__in=["neighbourhood", "town"]))
    types = {t.code: t.pk for t in IncidentType.objects.all()}
    codes = [c for c in TYPE_WEIGHTS if c in types]
    weights = [TYPE_WEIGHTS[c] for c in codes]
    first, span = dt.date(2008, 1, 1), (dt.date(2014, 12, 31) - dt.date(2008, 1, 1)).days
    now = timezone.now()
    with transaction.atomic():
        incidents = []
        for _ in range(n):
            precision = rng.choices(["day", "month", "year"], [90, 8, 2])[0]
            start = first + dt.timedelta(days=rng.randrange(span + 1))
            start = start.replace(day=1) if precision != "day" else start
            start = start.replace(month=1) if precision == "year" else start
            incidents.append(
                Incident(
                    organisation=organisation,
                    title="bench",
                    start_date=start,
                    start_precision=precision,
                    place=rng.choice(places),
                    location_precision=rng.choices(
                        ["neighbourhood", "exact", "town", "district"], [70, 10, 15, 5]
                    )[0],
                    public_summary="A shopkeeper was shot near his shop in the evening.",
                    status="verified",
                    confidentiality="internal",
                    created_by=user,
                    updated_by=user,
                    verified_at=now,
                )
            )
        Incident.objects.bulk_create(incidents, batch_size=5000)
        through = Incident.types.through
        through.objects.bulk_create(
            [
                through(incident_id=i.pk, incidenttype_id=types[code])
                for i in incidents
                for code in {
                    rng.choices(codes, weights)[0] for _ in range(rng.choice([1, 1, 1, 2]))
                }
            ],
            batch_size=5000,
        )
        victims = [rng.choices([1, 2, 3], [78, 17, 5])[0] for _ in incidents]
        persons = Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    sex=rng.choices(["male", "female", "unknown"], [70, 27, 3])[0],
                    age=rng.choice([None, *range(5, 80)]),
                )
                for _ in range(sum(victims))
            ],
            batch_size=5000,
        )
        people = iter(persons)
        Act.objects.bulk_create(
            [
                Act(incident=i, victim=next(people), act_type=rng.choice(ACT_TYPES))
                for i, count in zip(incidents, victims, strict=True)
                for _ in range(count)
            ],
            batch_size=5000,
        )
        Source.objects.bulk_create(
            [
                Source(incident=i, kind=rng.choice(SOURCE_KINDS), reliability="B", credibility=2)
                for i in incidents
                for _ in range(rng.choice([1, 1, 2]))
            ],
            batch_size=5000,
        )
    return {"incidents": n, "victims": sum(victims), "seconds": time.perf_counter() - started}


def _times(runs: int, call: Callable[[], Any]) -> list[float]:
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def _measure(runs: int) -> list[tuple[str, list[float], str]]:
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from madad.public.selectors import PublicFilters, public_incidents
    from madad.public.selectors.figures import dashboard_figures, map_points

    setup_test_environment()
    client = Client()
    rows: list[tuple[str, list[float], str]] = []

    def page(url: str) -> Callable[[], Any]:
        def get() -> Any:
            response = client.get(url, headers={"accept-encoding": "gzip"})
            assert response.status_code == 200, (url, response.status_code)
            return response

        return get

    with override_settings(MADAD_PUBLIC_CACHE_SECONDS=0):
        rows.append(
            (
                "dashboard queries, all incidents",
                _times(runs, lambda: dashboard_figures(public_incidents())),
                "ms",
            )
        )
        filtered = PublicFilters(
            types=("targeted-killing",),
            district="khi.central",
            date_from=dt.date(2010, 1, 1),
            date_to=dt.date(2012, 12, 31),
        )
        rows.append(
            (
                "dashboard queries, type+district+dates",
                _times(runs, lambda: dashboard_figures(public_incidents(filters=filtered))),
                "ms",
            )
        )
        rows.append(
            ("map points queries", _times(runs, lambda: map_points(public_incidents())), "ms")
        )
        rows.append(("GET /public/ (no cache)", _times(runs, page("/public/")), "ms"))
        rows.append(
            (
                "GET /public/map/points.json (no cache)",
                _times(runs, page("/public/map/points.json")),
                "ms",
            )
        )
        rows.append(
            ("GET /public/incidents/ page 1", _times(runs, page("/public/incidents/")), "ms")
        )
        rows.append(
            (
                "GET /public/incidents/ page 2000",
                _times(runs, page("/public/incidents/?page=2000")),
                "ms",
            )
        )
    cache.clear()
    rows.append(("GET /public/ (cached)", _times(runs, page("/public/")), "ms"))
    rows.append(
        (
            "GET /public/map/points.json (cached)",
            _times(runs, page("/public/map/points.json")),
            "ms",
        )
    )
    raw = client.get("/public/map/points.json").content
    rows.append(("map payload, JSON", [len(raw) / 1024], "KiB"))
    rows.append(("map payload, gzip", [len(gzip.compress(raw)) / 1024], "KiB"))
    dashboard = client.get("/public/", headers={"accept-encoding": "gzip"}).content
    rows.append(("dashboard page, gzip", [len(dashboard) / 1024], "KiB"))
    started = time.perf_counter()
    response = client.get("/public/data/incidents.csv")
    size = sum(len(chunk) for chunk in response.streaming_content)
    rows.append(
        (
            "open data CSV, all incidents",
            [(time.perf_counter() - started) * 1000],
            f"ms ({size / 1048576:.1f} MiB)",
        )
    )
    return rows


def _print(rows: list[tuple[str, list[float], str]], generated: dict[str, Any]) -> None:
    print(
        f"{generated['incidents']:,} verified incidents, {generated['victims']:,} victims, "
        f"generated in {generated['seconds']:.0f} s (SQLite)"
    )
    width = max(len(name) for name, *_rest in rows)
    print(f"{'measure'.ljust(width)}  {'p50':>9}  {'p95':>9}  {'runs':>4}  unit")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 9}  {'-' * 4}  ----")
    for name, values, unit in rows:
        p50, p95 = _percentile(values, 50), _percentile(values, 95)
        print(f"{name.ljust(width)}  {p50:9.1f}  {p95:9.1f}  {len(values):4d}  {unit}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.public", description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="madad-bench-public-") as tmp:
        _setup(Path(tmp) / "bench.sqlite3")
        generated = _generate(args.incidents)
        _print(_measure(args.runs), generated)
    return 0


if __name__ == "__main__":
    sys.exit(main())
