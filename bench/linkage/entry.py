"""The duplicate check at entry with many persons stored: `python -m bench.linkage.entry N [DB]`.

Stores N - 200 synthetic persons in a temporary SQLite database the way Madad stores them
(identity fields encrypted, blind-indexed CNIC, phone and name keys, the linkage match keys),
by the fast bulk path rather than one service call each; then times
madad.linkage.checks.match_candidates for the 200 records left out, spread over the data
(after 20 warm-up checks),
as the person form calls it. Prints one JSON line.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

QUERIES, WARM_UP = 200, 20


def _setup(database: Path) -> None:
    os.environ["MADAD_SQLITE_PATH"] = str(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _store(rows: list[dict[str, str]]) -> int:
    from django.db import connection, transaction
    from django.utils import timezone

    from madad.accounts.models import Organisation
    from madad.core import crypto
    from madad.core.crypto import blind_index
    from madad.linkage.keys import PURPOSE
    from madad.linkage.matching import blocking
    from madad.linkage.matching.features import cnic_digits, phone_digits, prepare
    from madad.linkage.models import PersonMatchKey
    from madad.people.models import Person, PersonNameKey
    from madad.people.name_index import person_name_keys

    organisation = Organisation.objects.create(name="Bench relief", kind="relief")
    encrypt = lru_cache(maxsize=None)(crypto.encrypt)  # equal values, one ciphertext: speed
    fields = [f for f in Person._meta.concrete_fields if f.name != "id"]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(Person._meta.db_table)
    now = timezone.now()
    persons = []
    for row in rows:
        cnic, phone = cnic_digits(row["cnic"]), phone_digits(row["phone"])
        age = int(row["age"]) if row["age"] else None
        values = {
            "organisation": organisation.pk,
            "given_name": row["given_name"],
            "family_name": row["family_name"],
            "full_name_ur": row["full_name_ur"],
            "father_name": row["father_name"],
            "aliases": "",
            "sex": row["sex"] or "unknown",
            "date_of_birth": row["date_of_birth"],
            "age": age,
            "cnic": cnic,
            "cnic_index": blind_index(cnic, purpose="cnic") if cnic else "",
            "phone": phone,
            "phone_index": blind_index(phone, purpose="phone") if phone else "",
            "address": "",
            "occupation": "",
            "mother_tongue": "",
            "deceased": False,
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        persons.append(
            [
                encrypt(values[f.name])
                if getattr(f, "sensitive", False) and values[f.name]
                else f.get_db_prep_save(values[f.name], connection)
                for f in fields
            ]
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            persons,
        )
    ids = list(Person.objects.order_by("id").values_list("id", flat=True))
    features = prepare(rows)
    name_keys, match_keys = [], []
    for i, (person_id, row) in enumerate(zip(ids, rows, strict=True)):
        for purpose, key in person_name_keys(
            given_name=row["given_name"],
            family_name=row["family_name"],
            full_name_ur=row["full_name_ur"],
            father_name=row["father_name"],
        ):
            name_keys.append((person_id, purpose, key))
        for key in {
            blind_index(repr(k), purpose=PURPOSE) for k in blocking.record_keys(features, i)
        }:
            match_keys.append((organisation.pk, person_id, key))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {PersonNameKey._meta.db_table} (person_id, purpose, key) "  # noqa: S608
            "VALUES (%s, %s, %s)",
            name_keys,
        )
        cursor.executemany(
            f"INSERT INTO {PersonMatchKey._meta.db_table} "  # noqa: S608
            "(organisation_id, person_id, key) VALUES (%s, %s, %s)",
            match_keys,
        )
    return organisation.pk


def main(n: int, keep: Path | None = None) -> dict[str, float]:
    """With `keep`, the database is that file, kept afterwards and reused when it exists
    (for profiling the check without storing a million persons again)."""
    from bench.linkage.generate import dataset
    from bench.linkage.run import DATA

    path = dataset(n, DATA)
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    # probes spread over the file: records of one person are written next to each other, so
    # the last rows would have their duplicates among the probes, not among the stored
    step = len(rows) // QUERIES
    probes = rows[::step][:QUERIES]
    stored = [row for k, row in enumerate(rows) if k % step or k // step >= QUERIES]
    with tempfile.TemporaryDirectory() as directory:
        database = keep or Path(directory) / "entry.sqlite3"
        reuse = database.exists()
        started = time.perf_counter()
        _setup(database)
        if reuse:
            from madad.accounts.models import Organisation

            organisation_id = Organisation.objects.get(name="Bench relief").pk
        else:
            organisation_id = _store(stored)
        setup = time.perf_counter() - started
        del rows, stored
        return _time_checks(organisation_id, probes) | {"setup_s": setup}


def _time_checks(organisation_id: int, probes: list[dict[str, str]]) -> dict[str, float]:
    from madad.linkage.checks import match_candidates

    timings, found = [], 0
    for k, row in enumerate(probes[:WARM_UP] + probes):
        data = {**row, "age": int(row["age"]) if row["age"] else None}
        begun = time.perf_counter()
        candidates = match_candidates(organisation_id=organisation_id, data=data)
        elapsed = (time.perf_counter() - begun) * 1000
        if k >= WARM_UP:
            timings.append(elapsed)
            found += bool(candidates)
    timings.sort()
    return {
        "queries": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": timings[int(0.95 * (len(timings) - 1))],
        "max_ms": timings[-1],
        "with_candidates": found,
    }


if __name__ == "__main__":
    print(
        json.dumps(main(int(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)),
        flush=True,
    )
