"""The record-linkage benchmark: Madad's matcher, splink (DuckDB) and recordlinkage on the
same synthetic Pakistani person records with known truth, side by side.

    python -m bench.linkage                       # 10k, 100k and 1M records; the entry check
    python -m bench.linkage --sizes 10000         # only these sizes
    python -m bench.linkage --without-competitors # Madad's matcher only

Each tool runs on each size in a process of its own, watched from here: wall time, CPU time
(all processes) and peak memory (the proportional set size of the process and its children,
so that pages shared by forked workers count once). At 1M records the three tools together
take about ten minutes on two cores and recordlinkage needs about 8 GB of memory. Data sets
are generated once into var/bench/linkage/ and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from bench.linkage.generate import dataset
from bench.linkage.memory import PeakSampler

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "var" / "bench" / "linkage"
SIZES = (10_000, 100_000, 1_000_000)
TIMEOUT_S = 3600


def _measure(args: list[str], timeout: float = TIMEOUT_S) -> dict[str, object]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            [str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]
        ),
    }
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with PeakSampler(process.pid) as sampler:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return {"error": f"timed out after {timeout:.0f} s"}
    if process.returncode:
        return {"error": (err.strip().splitlines() or ["failed"])[-1][:200]}
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    result["peak_mib"] = sampler.peak
    result["process_s"] = time.perf_counter() - started
    return result


def _machine() -> str:
    cores = os.cpu_count()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    try:
        load = f", load average {os.getloadavg()[0]:.1f} at start"
    except OSError:
        load = ""
    return f"{platform.processor() or platform.machine()}, {cores} cores{memory}{load}"


def _row(size: int, tool: str, r: dict[str, object]) -> str:
    if "error" in r:
        return f"| {size:>9,} | {tool:<13} | {r['error']} |"
    return (
        f"| {size:>9,} | {tool:<13} | {r['precision']:.3f} | {r['recall']:.3f} | "
        f"{r['f1']:.3f} | {r['wall_s']:8.1f} | {r['cpu_s']:8.1f} | {r['peak_mib']:8.0f} |"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.linkage")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES))
    parser.add_argument(
        "--without-competitors",
        action="store_true",
        help="run Madad's matcher only, not splink and recordlinkage",
    )
    parser.add_argument(
        "--entry-persons",
        type=int,
        default=1_000_000,
        help="persons stored for the entry-time check (0: skip it)",
    )
    options = parser.parse_args(argv)
    sizes = [int(s) for s in options.sizes.split(",") if s]
    print(f"Machine: {_machine()}", flush=True)
    lines = [
        "| records | matcher | precision | recall | F1 | wall s | CPU s | peak MiB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    results: dict[str, object] = {}
    for size in sizes:
        started = time.perf_counter()
        path = dataset(size, DATA)
        print(
            f"{size:,} records: data ready in {time.perf_counter() - started:.0f} s ({path.name})",
            flush=True,
        )
        tools = ["madad"]
        if not options.without_competitors:
            tools += ["splink", "recordlinkage"]
        for tool in tools:
            result = _measure(["bench.linkage.one", tool, str(path)])
            results[f"{tool}@{size}"] = result
            lines.append(_row(size, tool, result))
            print(lines[-1], flush=True)
    if options.entry_persons:
        entry = _measure(["bench.linkage.entry", str(options.entry_persons)])
        results["entry"] = entry
    print("\nRecord linkage, pairwise precision / recall / F1 against the known truth")
    print("\n".join(lines))
    if options.entry_persons:
        entry = results["entry"]
        if "error" in entry:  # type: ignore[operator]
            print(f"\nEntry-time duplicate check: {entry['error']}")  # type: ignore[index]
        else:
            print(
                f"\nEntry-time duplicate check with {options.entry_persons:,} persons stored "
                f"(SQLite, {entry['queries']} checks): p50 {entry['p50_ms']:.1f} ms, "  # type: ignore[index]
                f"p95 {entry['p95_ms']:.1f} ms, max {entry['max_ms']:.1f} ms; "  # type: ignore[index]
                f"set-up {entry['setup_s']:.0f} s"
            )  # type: ignore[index]
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0
