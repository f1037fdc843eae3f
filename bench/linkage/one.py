"""One matcher on one data set, in a process of its own: `python -m bench.linkage.one TOOL
FILE.csv`. Prints one JSON line: precision, recall, F1, pairs predicted, seconds of wall and
CPU time spent linking (reading the file excluded)."""

from __future__ import annotations

import csv
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

from bench.linkage.evaluate import scores
from bench.linkage.generate import GAZETTEER


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _gazetteer() -> dict[str, str]:
    from madad.linkage.matching.features import gazetteer_names

    with GAZETTEER.open(encoding="utf-8") as rows:
        return gazetteer_names(csv.DictReader(rows))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def run(tool: str, path: Path) -> dict[str, float]:
    truth = np.loadtxt(f"{path}.truth", dtype=np.int64)
    if tool == "madad":
        from madad.linkage.matching import link
        from madad.linkage.matching.features import prepare

        gazetteer = _gazetteer()
        with path.open(encoding="utf-8", newline="") as file:
            started, cpu = time.perf_counter(), _cpu()
            records = ({**row, "age_year": row["recorded_year"]} for row in csv.DictReader(file))
            result = link(prepare(records, gazetteer=gazetteer), threshold=0.5)
            left, right = result.left, result.right
            extra = {"candidates": result.candidates}
    else:
        from bench.linkage import competitors

        rows = _rows(path)
        started, cpu = time.perf_counter(), _cpu()
        runner = competitors.run_splink if tool == "splink" else competitors.run_recordlinkage
        left, right = runner(rows, gazetteer=_gazetteer())
        extra = {}
    wall, cpu = time.perf_counter() - started, _cpu() - cpu
    return {**scores(left, right, truth), "wall_s": wall, "cpu_s": cpu, **extra}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], Path(sys.argv[2]))), flush=True)
