"""Linking a whole set of records, and scoring one record against a few candidates."""

from __future__ import annotations

import datetime as dt
import gc
import multiprocessing
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from madad.linkage.matching import blocking, compare, model
from madad.linkage.matching.features import Features, prepare

RANDOM_PAIRS = 200_000
CHUNK = 100_000
# Up to this many records, names are compared in one forked process per core (_fork_workers).
FORK_UP_TO = 300_000
SCORE_CHUNK = 2_000_000
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


# What forked workers compare: set in the parent just before the fork, so that the workers
# read it from the memory they share with the parent instead of receiving it pickled.
_SHARED: tuple[list[Any], np.ndarray, np.ndarray] | None = None


def _levels_range(bounds: tuple[int, int]) -> np.ndarray:
    """Name levels of the distinct name pairs lo..hi of _SHARED (in a forked worker, or here)."""
    if _SHARED is None:
        raise RuntimeError("_levels_range runs only inside _name_levels")
    pool, first, second = _SHARED
    lo, hi = bounds
    out = np.empty(hi - lo, dtype=np.int8)
    level = compare.name_level
    for k, (i, j) in enumerate(zip(first[lo:hi].tolist(), second[lo:hi].tolist(), strict=True)):
        out[k] = level(pool[i], pool[j])
    return out


def _fork_workers(features: Features, workers: int) -> int:
    """How many processes compare names: `workers`, but one where there is no fork (each
    worker would need the names pickled) or where the records are so many that the workers'
    copies of the name objects they touch would break the memory bound. A forked worker shares
    the parent's memory until it writes to it, and reading a Python object writes its
    reference count: each worker ends up with private copies of the pages it read."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return workers if features.n <= FORK_UP_TO else 1


def _name_levels(
    features: Features,
    left: np.ndarray,
    right: np.ndarray,
    workers: int,
    progress: Progress | None,
    span: tuple[float, float],
) -> tuple[np.ndarray, np.ndarray]:
    """The name and father's-name levels of the pairs, each distinct pair of names compared
    once (common names recur), in `workers` forked processes where that pays (_fork_workers)."""
    global _SHARED
    out = []
    halves = ((span[0], (span[0] + span[1]) / 2), ((span[0] + span[1]) / 2, span[1]))
    workers = _fork_workers(features, workers)
    for ids, (begin, end) in zip((features.name_id, features.father_id), halves, strict=True):
        a, b = ids[left], ids[right]
        codes = (np.minimum(a, b).astype(np.int64) << 32) | np.maximum(a, b).astype(np.int64)
        del a, b
        unique, inverse = np.unique(codes, return_inverse=True)
        del codes
        first, second = (unique >> 32).astype(np.int32), (unique & 0xFFFFFFFF).astype(np.int32)
        del unique
        levels = np.empty(len(first), dtype=np.int8)
        bounds = [(lo, min(lo + CHUNK, len(first))) for lo in range(0, len(first), CHUNK)]
        _SHARED = (features.pool, first, second)
        try:
            if workers > 1 and len(bounds) > 1:
                gc.freeze()  # the workers' garbage collector leaves the parent's objects alone
                try:
                    with multiprocessing.get_context("fork").Pool(workers) as processes:
                        done = processes.imap(_levels_range, bounds)
                        for k, ((lo, hi), chunk) in enumerate(zip(bounds, done, strict=True)):
                            levels[lo:hi] = chunk
                            if progress:
                                progress("compare", begin + (end - begin) * (k + 1) / len(bounds))
                finally:
                    gc.unfreeze()
            else:
                for k, (lo, hi) in enumerate(bounds):
                    levels[lo:hi] = _levels_range((lo, hi))
                    if progress:
                        progress("compare", begin + (end - begin) * (k + 1) / len(bounds))
        finally:
            _SHARED = None
        out.append(levels[inverse.reshape(-1)])
        del inverse, levels, first, second
    return out[0], out[1]


def _random_pairs(n: int, size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    left = rng.integers(0, n, size=size)
    right = rng.integers(0, n, size=size)
    keep = left != right
    return left[keep], right[keep]


def link(
    records: Sequence[Mapping[str, Any]] | Features,
    *,
    threshold: float = 0.5,
    params: model.Parameters | None = None,
    train: bool = True,
    workers: int | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    seed: int = 1,
) -> LinkResult:
    """Scores every candidate pair of the records and keeps those at or above `threshold`.

    With `train` (and at least MIN_TRAIN_RECORDS records), u is estimated from random pairs
    and m and λ by EM; otherwise `params` (by default those trained on the synthetic benchmark
    data) are used as they are. Names are compared in `workers` processes (by default one
    per core) where that pays: see _fork_workers.
    """
    workers = workers or os.cpu_count() or 1
    features = records if isinstance(records, Features) else prepare(records, today=today)
    if progress:
        progress("prepare", 0.1)
    left, right = blocking.candidate_pairs(features)
    if progress:
        progress("block", 0.2)
    names, fathers = _name_levels(features, left, right, workers, progress, (0.2, 0.8))
    levels = np.empty((len(left), len(compare.NAMES)), dtype=np.int8)
    for lo in range(0, len(left), SCORE_CHUNK):
        hi = lo + SCORE_CHUNK
        levels[lo:hi] = compare.levels(
            features, left[lo:hi], right[lo:hi], (names[lo:hi], fathers[lo:hi])
        )
    del names, fathers
    params = params or model.default_parameters()
    # too few records to estimate anything from: score with the parameters given
    train = train and features.n >= MIN_TRAIN_RECORDS
    if train and len(levels):
        rl, rr = _random_pairs(features.n, RANDOM_PAIRS, seed)
        random_levels = compare.levels(
            features, rl, rr, _name_levels(features, rl, rr, workers, None, (0, 0))
        )
        params = model.train(levels, random_levels, total_pairs=features.n * (features.n - 1) / 2)
    if progress:
        progress("score", 0.9)
    # Term frequencies only with parameters trained on these very records: frequencies in
    # another (or a tiny) population are not comparable with the ones the model learnt.
    # Scored a chunk at a time: a float per comparison per pair would not fit at 1M records.
    kept: list[np.ndarray] = []
    totals: list[np.ndarray] = []
    for lo in range(0, len(left), SCORE_CHUNK):
        a, b = left[lo : lo + SCORE_CHUNK], right[lo : lo + SCORE_CHUNK]
        weights = model.match_weights(
            levels[lo : lo + SCORE_CHUNK],
            params,
            name_tf=np.maximum(features.name_tf[a], features.name_tf[b]) if train else None,
            father_tf=np.maximum(features.father_tf[a], features.father_tf[b]) if train else None,
        )
        total = weights.sum(axis=1)
        hit = np.flatnonzero(model.probability(total, params) >= threshold)
        kept.append(hit + lo)
        totals.append(total[hit])
    keep = np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)
    total = np.concatenate(totals) if totals else np.zeros(0)
    a, b = left[keep], right[keep]
    weights = model.match_weights(
        levels[keep],
        params,
        name_tf=np.maximum(features.name_tf[a], features.name_tf[b]) if train else None,
        father_tf=np.maximum(features.father_tf[a], features.father_tf[b]) if train else None,
    )
    prior_weight = float(np.log2(params.prior / (1 - params.prior)))
    return LinkResult(
        left=a,
        right=b,
        probability=model.probability(total, params),
        weight=total + prior_weight,
        levels=levels[keep],
        weights=weights,
        params=params,
        candidates=len(left),
        stats={"records": features.n},
    )


def score_against(
    record: Mapping[str, Any],
    candidates: Sequence[Mapping[str, Any]],
    params: model.Parameters,
    *,
    name_tf: Callable[[str], float] | None = None,
    today: dt.date | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
        tf = np.array(
            [
                max(name_tf(features.name_key[0]), name_tf(features.name_key[j]))
                for j in right.tolist()
            ],
            dtype=np.float64,
        )
    weights = model.match_weights(levels, params, name_tf=tf)
    return model.probability(weights.sum(axis=1), params), levels, weights
