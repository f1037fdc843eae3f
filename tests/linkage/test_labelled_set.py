"""A small labelled set (600 synthetic records of 390-odd people, in both scripts, with the
variation of real reports) and an F1 floor for the matcher on it: a change that makes the
matcher worse fails here before the benchmark sees it."""

from __future__ import annotations

import csv
from itertools import combinations
from pathlib import Path

import pytest

from madad.linkage.matching import link
from madad.linkage.matching.features import gazetteer_names, prepare
from madad.linkage.matching.model import default_parameters

DATA = Path(__file__).with_name("data") / "labelled_persons.csv"
GAZETTEER = Path(__file__).resolve().parents[2] / "src/madad/places/data/karachi.csv"
F1_FLOOR = 0.85  # 0.86 when written (precision 0.98, recall 0.77)


def _records() -> tuple[list[dict[str, str]], list[str]]:
    with DATA.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    truth = [row.pop("person") for row in rows]
    for row in rows:
        row["age_year"] = row.pop("recorded_year")
    return rows, truth


def test_the_matcher_keeps_its_f1_on_the_labelled_set() -> None:
    records, truth = _records()
    with GAZETTEER.open(encoding="utf-8") as rows:
        gazetteer = gazetteer_names(csv.DictReader(rows))
    result = link(
        prepare(records, gazetteer=gazetteer),
        params=default_parameters(),
        train=False,
        threshold=0.5,
        workers=1,
    )
    found = {(int(a), int(b)) for a, b in zip(result.left, result.right, strict=True)}
    true = {(a, b) for a, b in combinations(range(len(truth)), 2) if truth[a] == truth[b]}
    precision = len(found & true) / len(found)
    recall = len(found & true) / len(true)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= F1_FLOOR, (precision, recall, f1)
    assert precision >= 0.9


def test_forked_workers_find_exactly_what_one_process_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The names compared in several forked processes (small chunks here, so that there are
    many) give the very same pairs and probabilities as in one."""
    import multiprocessing
    from multiprocessing.context import BaseContext

    from madad.linkage.matching import engine

    records, _truth = _records()
    one = link(prepare(records), params=default_parameters(), train=False, workers=1)
    monkeypatch.setattr(engine, "CHUNK", 97)
    contexts: list[str] = []
    get_context = multiprocessing.get_context  # the module the engine asks for its workers

    def spy(method: str) -> BaseContext:
        contexts.append(method)
        return get_context(method)

    monkeypatch.setattr(multiprocessing, "get_context", spy)
    two = link(prepare(records), params=default_parameters(), train=False, workers=2)
    assert contexts == ["fork", "fork"]  # names, then fathers' names: in forked workers
    assert one.candidates == two.candidates
    assert one.left.tolist() == two.left.tolist() and one.right.tolist() == two.right.tolist()
    assert one.probability.tolist() == two.probability.tolist()
