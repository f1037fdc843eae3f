"""Backup, drill and restore of a large instance, each in its own process, with its wall time
and peak memory (the process's maximum resident set).

The instance is the public benchmark's (bench.public): N verified incidents with their types,
one to three victims each and one or two sources, plus 10,000 persons with encrypted names and
CNICs, and G gigabytes of evidence files (random bytes, 16 MiB each) on a temporary SQLite
database. With --postgres URL (an empty database), the SQLite backup is also restored into
PostgreSQL and backed up from there.

    python -m bench.backup [--incidents N] [--evidence-gb G] [--postgres URL]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyrage import x25519

ROOT = Path(__file__).resolve().parents[2]
CHUNK = 16 << 20
_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _environment(var: Path, recipient: str, database_url: str = "") -> dict[str, str]:
    env = {
        **os.environ,
        "MADAD_MODE": "development",
        "MADAD_VAR_DIR": str(var),
        "MADAD_BACKUP_RECIPIENTS": recipient,
    }
    env.pop("DATABASE_URL", None)
    env.pop("MADAD_SQLITE_PATH", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _timed(label: str, env: dict[str, str], *args: str) -> tuple[str, float, float]:
    """Runs `madad ARGS` and returns (label, seconds, peak resident MiB). It is started from a
    small Python process that reports its child's peak: a child forked from this large process
    would inherit its high-water mark of memory."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _MEASURE, sys.executable, "-m", "madad.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    peak = int(done.stderr.strip().splitlines()[-1]) / 1024
    print(f"  {label}: {seconds:.1f} s, peak {peak:.0f} MiB", flush=True)
    return label, seconds, peak


def _generate(var: Path, incidents: int, evidence_gb: float) -> dict[str, int]:
    os.environ["MADAD_VAR_DIR"] = str(var)
    from bench.public.portal import _generate as generate_incidents
    from bench.public.portal import _setup

    _setup(var / "madad.sqlite3")
    from django.db import transaction

    from madad.accounts.models import Organisation
    from madad.people.models import Person

    generated = generate_incidents(incidents)
    organisation = Organisation.objects.get()
    with transaction.atomic():
        Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    given_name=f"Benchname {n}",
                    family_name="Fictitious",
                    cnic=f"99999{n:08d}",
                )
                for n in range(10_000)
            ],
            batch_size=2000,
        )
    files = var / "files" / "evidence"
    files.mkdir(parents=True, exist_ok=True)
    count = int(evidence_gb * (1 << 30)) // CHUNK
    for n in range(count):
        (files / f"bench-{n:04d}.bin").write_bytes(os.urandom(CHUNK))
    size = (var / "madad.sqlite3").stat().st_size
    return {"incidents": generated["incidents"], "database_bytes": size, "files": count}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup", description=__doc__)
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--evidence-gb", type=float, default=1.0)
    parser.add_argument("--postgres", default="", help="an empty PostgreSQL database's URL")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="madad-bench-backup-") as tmp:
        root = Path(tmp)
        identity = x25519.Identity.generate()
        (root / "identity.txt").write_text(f"{identity}\n")
        recipient = str(identity.to_public())
        source = root / "source"
        started = time.perf_counter()
        made = _generate(source, args.incidents, args.evidence_gb)
        print(
            f"Generated {made['incidents']:,} incidents ({made['database_bytes'] / 2**20:.0f} "
            f"MiB of SQLite) and {made['files']} evidence files of 16 MiB in "
            f"{time.perf_counter() - started:.0f} s.",
            flush=True,
        )
        env = _environment(source, recipient)
        # the database the benchmark's Django holds open is the one backed up: let it go
        from django.db import connections

        connections.close_all()
        rows = []
        rows.append(_timed("backup (SQLite)", env, "backup", "create"))
        (backup,) = (source / "backups").glob("madad-backup-*.tar.age")
        print(f"  backup file: {backup.stat().st_size / 2**20:.0f} MiB", flush=True)
        identity_file = str(root / "identity.txt")
        rows.append(
            _timed("drill", env, "backup", "drill", str(backup), "--identity", identity_file)
        )
        restored = {**env, "MADAD_VAR_DIR": str(_new_machine(root / "restored", source))}
        rows.append(
            _timed(
                "restore into SQLite",
                restored,
                "backup",
                "restore",
                str(backup),
                "--identity",
                identity_file,
            )
        )
        if args.postgres:
            pg_var = _new_machine(root / "pg", source)
            on_pg = {**env, "MADAD_VAR_DIR": str(pg_var), "DATABASE_URL": args.postgres}
            rows.append(
                _timed(
                    "restore into PostgreSQL",
                    on_pg,
                    "backup",
                    "restore",
                    str(backup),
                    "--identity",
                    identity_file,
                )
            )
            # the first backup on PostgreSQL builds the SQLite schema (Madad's migrations) once
            rows.append(_timed("first backup (PostgreSQL)", on_pg, "backup", "create"))
            rows.append(_timed("backup (PostgreSQL)", on_pg, "backup", "create"))
        print("\n| step | seconds | peak MiB |\n|---|---:|---:|")
        for label, seconds, peak in rows:
            print(f"| {label} | {seconds:.1f} | {peak:.0f} |")
    return 0


def _new_machine(var: Path, source: Path) -> Path:
    """An empty var/ holding only the development keys of `source` (what an operator sets on
    a new machine: the same field and blind-index keys)."""
    var.mkdir(mode=0o700)
    shutil.copy(source / "dev-secrets.json", var / "dev-secrets.json")
    return var
