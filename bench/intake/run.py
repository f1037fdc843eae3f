"""Field intake under load: N submissions of the shipped *Incident report* form, each with a
200 kB photo, encrypted on the "phone" as ODK Collect does (tests/intake/collect.py), sent by
C concurrent clients to Madad served by gunicorn as production runs it, on 127.0.0.1.

The submissions are built and encrypted before the clock starts, so that the figures are the
server's: receiving, decrypting, checking the signature and storing. At the end, some are sent
again (Collect retries after a lost answer): they must be stored once. Then every item must be
in the inbox, complete, with a photo whose SHA-256 is the one sent.

    python -m bench.intake [--submissions N] [--clients C] [--workers W] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.intake.collect import Collect, build_instance, encrypt_instance, multipart, public_key_of

ROOT = Path(__file__).resolve().parents[2]
PHOTO_BYTES = 200 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _madad(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "madad.manage", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"madad {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


_SETUP = (
    "from madad.accounts.models import Organisation as O; "
    "O.objects.get_or_create(name='Bench relief organisation (fictitious)', kind='relief')"
)
_CHECK = """
import json
from madad.intake.models import IntakeItem, IntakeAttachment
items = IntakeItem.objects.all()
print(json.dumps({
    "items": items.count(),
    "new": items.filter(status="new").count(),
    "instance_ids": items.values("instance_id").distinct().count(),
    "attachments": IntakeAttachment.objects.count(),
    "photos": dict(IntakeAttachment.objects.values_list("item__instance_id", "sha256")),
}))
"""


def _wait_for(url: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (127.0.0.1 only)
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench.intake")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: default)")
    parser.add_argument("--resend", type=int, default=50)
    parser.add_argument("--postgres", default="", help="an empty PostgreSQL database URL")
    args = parser.parse_args(argv)

    var = Path(tempfile.mkdtemp(prefix="madad-bench-intake-"))
    port = _free_port()
    env = {
        **os.environ,
        "MADAD_MODE": "development",
        "MADAD_VAR_DIR": str(var),
        "MADAD_BIND": f"127.0.0.1:{port}",
    }
    env.pop("MADAD_SQLITE_PATH", None)
    env.pop("DATABASE_URL", None)
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    if args.workers:
        env["MADAD_WEB_WORKERS"] = str(args.workers)
    print(f"  database: {'PostgreSQL' if args.postgres else 'SQLite'}; var {var}", flush=True)
    _madad(env, "migrate", "--no-input", "-v", "0")
    _madad(env, "shell", "-c", _SETUP)
    _madad(env, "intake", "forms", "ship")
    base = f"http://127.0.0.1:{port}"
    url = _madad(env, "intake", "devices", "create", "--name", "bench", "--url", base)
    url = url.strip().splitlines()[-1]

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:madad.gunicorn_config"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(f"{url}/formList")
        return _run(args, url, env)
    except SystemExit:
        server.terminate()
        _, errors = server.communicate(timeout=30)
        print(errors.decode(errors="replace")[-3000:], flush=True)
        raise
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=30)


def _run(args: argparse.Namespace, url: str, env: dict[str, str]) -> int:
    collect = Collect(url)
    form = {f.form_id: f for f in collect.form_list()}["incident_report"]
    form_xml = collect.download(form)
    key = public_key_of(form_xml)
    assert key is not None
    rng = random.Random(20261208)
    print(f"  building and encrypting {args.submissions} submissions...", flush=True)
    bodies: list[tuple[bytes, str]] = []
    expected: dict[str, str] = {}
    import hashlib

    for n in range(args.submissions):
        photo = rng.randbytes(PHOTO_BYTES)
        instance = build_instance(
            form_xml,
            [
                ("incident_date", "2026-11-30"),
                ("date_precision", "day"),
                ("district", "khi.central"),
                ("types", "targeted_killing"),
                ("title", f"Benchmark report {n} (fictitious)"),
                ("victim", [[("victim_name", f"Test Person {n}"), ("act", "injured")]]),
                ("photo", "photo.jpg"),
            ],
            files={"photo.jpg": photo},
        )
        expected[instance.instance_id] = hashlib.sha256(photo).hexdigest()
        envelope, files = encrypt_instance(instance, key)
        bodies.append(multipart(envelope, list(files.items())))

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def send(body: tuple[bytes, str]) -> None:
        client = Collect(url)
        started = time.perf_counter()
        answer = client.request("POST", "/submission", body[0], {"Content-Type": body[1]})
        took = time.perf_counter() - started
        with lock:
            latencies.append(took)
            statuses[answer.status] = statuses.get(answer.status, 0) + 1

    print(f"  sending with {args.clients} clients...", flush=True)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        list(pool.map(send, bodies))
    wall = time.perf_counter() - started
    again = rng.sample(bodies, min(args.resend, len(bodies)))
    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        list(pool.map(send, again))

    ordered = sorted(latencies[: len(bodies)])
    p50 = statistics.median(ordered)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(
        f"  {len(bodies)} submissions of {PHOTO_BYTES // 1024} kB photos in {wall:.1f} s "
        f"({len(bodies) / wall:.1f}/s); answer time p50 {p50 * 1000:.0f} ms, "
        f"p95 {p95 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms; statuses {statuses}",
        flush=True,
    )
    found = json.loads(_madad(env, "shell", "-c", _CHECK).strip().splitlines()[-1])
    problems = []
    if found["items"] != len(bodies) or found["instance_ids"] != len(bodies):
        problems.append(f"{found['items']} items for {len(bodies)} submissions")
    if found["new"] != len(bodies):
        problems.append(f"only {found['new']} complete in the inbox")
    if found["attachments"] != len(bodies):
        problems.append(f"{found['attachments']} photos for {len(bodies)} submissions")
    if found["photos"] != expected:
        problems.append("a stored photo is not the one sent")
    if set(statuses) != {201}:
        problems.append(f"answers other than 201: {statuses}")
    if problems:
        print("  FAILED: " + "; ".join(problems), flush=True)
        return 1
    print(
        f"  none lost, none duplicated ({args.resend} sent twice), every photo as sent",
        flush=True,
    )
    return 0
