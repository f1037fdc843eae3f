"""Linking a whole set of records, and scoring one record against a few candidates."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from madad.linkage.matching import blocking, compare, model
from madad.linkage.matching.features import Features, prepare

RANDOM_PAIRS = 200_000
CHUNK = 200_000
MIN_TRAIN_RECORDS = 2_000

Progress = Callable[[str, float], None]


@dataclass
class LinkResult:
    left: np.ndarray  # record positions, left < right
    right: np.ndarray
    probability: np.ndarray
    weight: np.ndarray  # total match weight, bits (prior included)
    levels: np.ndarray  # (pairs, comparisons)
    weights: np.ndarray  # (pairs, comparisons): each comparison's weight, bits
    params: model.Parameters
    candidates: int = 0
    stats: dict[str, Any] = field(default_factory=dict)

    def above(self, threshold: float) -> np.ndarray:
        return np.flatnonzero(self.probability >= threshold)


_SHARED: dict[str, Any] = {}


def _levels_chunk(bounds: tuple[int, int]) -> np.ndarray:
    pool, first, second = _SHARED["pool"], _SHARED["first"], _SHARED["second"]
    lo, hi = bounds
    out = np.empty(hi - lo, dtype=np.int8)
    level = compare.name_level
    for k, (i, j) in enumerate(zip(first[lo:hi].tolist(), second[lo:hi].tolist(),
                                   strict=True)):
        out[k] = level(pool[i], pool[j])
    return out


def _name_levels(features: Features, left: np.ndarray, right: np.ndarray, workers: int,
                 progress: Progress | None, span: tuple[float, float]) -> tuple[
                     np.ndarray, np.ndarray]:
    """The name and father's-name levels of the pairs, each distinct pair of names compared
    once (common names recur), in `workers` processes."""
    jobs = []
    for ids in (features.name_id, features.father_id):
        a, b = ids[left].astype(np.int64), ids[right].astype(np.int64)
        codes = (np.minimum(a, b) << 32) | np.maximum(a, b)
        unique, inverse = np.unique(codes, return_inverse=True)
        jobs.append((unique, inverse))
    first = np.concatenate([u >> 32 for u, _ in jobs])
    second = np.concatenate([u & 0xFFFFFFFF for u, _ in jobs])
    n = len(first)
    bounds = [(lo, min(n, lo + CHUNK)) for lo in range(0, n, CHUNK)]
    levels = np.empty(n, dtype=np.int8)
    _SHARED.update(pool=features.pool, first=first, second=second)
    try:
        if workers > 1 and len(bounds) > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap(_levels_chunk, bounds)
                for k, ((lo, hi), out) in enumerate(zip(bounds, results, strict=True)):
                    levels[lo:hi] = out
                    if progress:
                        progress("compare", span[0] + (span[1] - span[0]) * (k + 1) / len(bounds))
        else:
            for k, (lo, hi) in enumerate(bounds):
                levels[lo:hi] = _levels_chunk((lo, hi))
                if progress:
                    progress("compare", span[0] + (span[1] - span[0]) * (k + 1) / len(bounds))
    finally:
        _SHARED.clear()
    split = len(jobs[0][0])
    return levels[:split][jobs[0][1]], levels[split:][jobs[1][1]]


def _random_pairs(n: int, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    left = rng.integers(0, n, size=size)
    right = rng.integers(0, n, size=size)
    keep = left != right
    return left[keep], right[keep]


def link(records: Sequence[Mapping[str, Any]] | Features, *, threshold: float = 0.5,
         params: model.Parameters | None = None, train: bool = True,
         workers: int | None = None, today: dt.date | None = None,
         progress: Progress | None = None, seed: int = 1) -> LinkResult:
    """Scores every candidate pair of the records and keeps those at or above `threshold`.

    With `train` (and at least MIN_TRAIN_RECORDS records), u is estimated from random pairs
    and m and λ by EM; otherwise `params` (by default those trained on the synthetic benchmark
    data) are used as they are.
    """
    workers = workers or min(2, os.cpu_count() or 1)
    features = records if isinstance(records, Features) else prepare(records, today=today)
    if progress:
        progress("prepare", 0.1)
    left, right = blocking.candidate_pairs(features)
    if progress:
        progress("block", 0.2)
    sims = _name_levels(features, left, right, workers, progress, (0.2, 0.8))
    levels = compare.levels(features, left, right, sims)
    params = params or model.default_parameters()
    # too few records to estimate anything from: score with the parameters given
    train = train and features.n >= MIN_TRAIN_RECORDS
    if train and len(levels):
        rl, rr = _random_pairs(features.n, RANDOM_PAIRS, seed)
        random_levels = compare.levels(features, rl, rr)
        params = model.train(levels, random_levels,
                             total_pairs=features.n * (features.n - 1) / 2)
    if progress:
        progress("score", 0.9)
    # Term frequencies only with parameters trained on these very records: frequencies in
    # another (or a tiny) population are not comparable with the ones the model learnt.
    name_tf = np.maximum(features.name_tf[left], features.name_tf[right]) if train else None
    father_tf = (np.maximum(features.father_tf[left], features.father_tf[right]) if train
                 else None)
    weights = model.match_weights(levels, params, name_tf=name_tf, father_tf=father_tf)
    total = weights.sum(axis=1)
    prob = model.probability(total, params)
    keep = np.flatnonzero(prob >= threshold)
    prior_weight = float(np.log2(params.prior / (1 - params.prior)))
    return LinkResult(left=left[keep], right=right[keep], probability=prob[keep],
                      weight=total[keep] + prior_weight, levels=levels[keep],
                      weights=weights[keep], params=params,
                      candidates=len(left), stats={"records": features.n})


def score_against(record: Mapping[str, Any], candidates: Sequence[Mapping[str, Any]],
                  params: model.Parameters, *, name_tf: Callable[[str], float] | None = None,
                  today: dt.date | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(probability, levels, per-comparison weights) of `record` against each candidate,
    with trained parameters. `name_tf` gives a name key's frequency (0 if unknown)."""
    if not candidates:
        empty = np.zeros(0)
        return empty, np.zeros((0, len(compare.NAMES)), dtype=np.int8), empty
    features = prepare([record, *candidates], today=today)
    right = np.arange(1, features.n, dtype=np.int64)
    left = np.zeros(len(right), dtype=np.int64)
    levels = compare.levels(features, left, right)
    tf = None
    if name_tf is not None:
        tf = np.array([max(name_tf(features.name_key[0]), name_tf(features.name_key[j]))
                       for j in right.tolist()], dtype=np.float64)
    weights = model.match_weights(levels, params, name_tf=tf)
    return model.probability(weights.sum(axis=1), params), levels, weights
