"""Runs every benchmark: each package bench/<name>/ with a __main__.py, one after the other,
each in its own process (each sets up Django its own way, on its own temporary database).

    python -m bench            # all of them
    python -m bench public     # only the named ones
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def benchmarks() -> list[str]:
    return sorted(p.parent.name for p in HERE.glob("*/__main__.py"))


def main(argv: list[str]) -> int:
    names = argv or benchmarks()
    unknown = sorted(set(names) - set(benchmarks()))
    if unknown:
        print(f"No such benchmark: {', '.join(unknown)}. Known: {', '.join(benchmarks())}.")
        return 2
    failed = []
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", f"bench.{name}"], cwd=HERE.parent)  # noqa: S603
        print(
            f"=== bench.{name}: {'ok' if code == 0 else f'failed ({code})'} in "
            f"{time.perf_counter() - started:.0f} s ===",
            flush=True,
        )
        if code:
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
