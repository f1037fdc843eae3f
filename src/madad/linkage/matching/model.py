"""The Fellegi-Sunter model: a match probability from field-by-field agreement levels.

For each comparison c and level l, m[c][l] is the probability of that level when the two
records are of one person, u[c][l] when they are of two different people; a pair's evidence is
the sum over its comparisons of log2(m/u) (its match weight), and with the prior share of
matches λ among the candidate pairs it gives a calibrated probability. Level 0 ("unknown")
contributes nothing.

Parameters are estimated from the data alone, with no labels:

- u from pairs of records drawn at random (almost all of different people), floored so that
  a level never seen by chance (two CNICs that agree) keeps a finite weight;
- m and λ by expectation maximisation over the candidate pairs, u held fixed (as splink does);
- at scoring time an exact name agreement is weighed by how common that name is (term
  frequency: agreeing on "Muhammad Ali" says less than agreeing on a rare name). Because u
  was estimated over candidate pairs, not random ones, the adjustment is relative: the
  weight moves by log2(mean frequency of exact agreements / this name's frequency), within
  ±TF_LIMIT bits.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from madad.linkage.matching.compare import NAMES, SIZES

NAME_EXACT = SIZES[0] - 1
FATHER_EXACT = SIZES[1] - 1
TF_LIMIT = 6.0


def _initial_m() -> list[list[float]]:
    m = []
    for size in SIZES:
        known = size - 1
        weights = [2.0**k for k in range(known)]
        total = sum(weights)
        m.append([0.0, *(w / total for w in weights)])
    return m


@dataclass
class Parameters:
    m: list[list[float]] = field(default_factory=_initial_m)
    u: list[list[float]] = field(
        default_factory=lambda: [[0.0] + [1.0 / (s - 1)] * (s - 1) for s in SIZES]
    )
    prior: float = 0.05  # λ: the share of matches among candidate pairs
    iterations: int = 0
    converged: bool = False
    # the mean term frequency of exactly agreeing names (and fathers' names) among candidates
    tf_mean: list[float] = field(default_factory=lambda: [0.0, 0.0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "comparisons": list(NAMES),
            "m": self.m,
            "u": self.u,
            "prior": self.prior,
            "iterations": self.iterations,
            "converged": self.converged,
            "tf_mean": self.tf_mean,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Parameters:
        if list(data.get("comparisons", [])) != list(NAMES):
            return cls()  # trained on other comparisons: start again from the defaults
        return cls(
            m=data["m"],
            u=data["u"],
            prior=data["prior"],
            iterations=data.get("iterations", 0),
            converged=data.get("converged", False),
            tf_mean=list(data.get("tf_mean", [0.0, 0.0])),
        )

    def weight_tables(self) -> list[np.ndarray]:
        """log2(m/u) per comparison and level; 0 for level 0."""
        tables = []
        for c in range(len(SIZES)):
            w = [0.0]
            for level in range(1, SIZES[c]):
                m = max(self.m[c][level], 1e-6)
                u = max(self.u[c][level], 1e-9)
                w.append(math.log2(m / u))
            tables.append(np.array(w, dtype=np.float64))
        return tables


def estimate_u(levels: np.ndarray) -> list[list[float]]:
    """u from the levels of random pairs: how often each level occurs by chance."""
    u = []
    for c, size in enumerate(SIZES):
        column = levels[:, c]
        counts = np.bincount(column, minlength=size).astype(np.float64)
        known = counts[1:].sum()
        floor = 0.5 / max(known, 1.0)
        values = [
            max(counts[level], 0.5) / max(known, 1.0) if known else 1.0 / (size - 1)
            for level in range(1, size)
        ]
        values = [max(v, floor) for v in values]
        total = sum(values)
        u.append([0.0, *(v / total for v in values)])
    return u


def seeded(levels: np.ndarray, u: list[list[float]] | None = None) -> Parameters:
    """A starting point for EM near the right answer. Left alone, EM over blocked pairs can
    settle on a wrong split (siblings, who share a father's name, a family name, a town and an
    age, look like one class); starting from m measured on pairs that are almost surely
    matches (the same CNIC; the same phone and name; the same name, father's name and birth
    year) and u measured on all candidates (mostly non-matches) avoids that."""
    name, father, cnic, birth, phone = (
        levels[:, 0],
        levels[:, 1],
        levels[:, 2],
        levels[:, 3],
        levels[:, 6],
    )
    sure = (cnic == 3) | ((phone == 2) & (name >= 4)) | ((name >= 4) & (father >= 4) & (birth >= 4))
    m: list[list[float]] = []
    start_u: list[list[float]] = []
    for c, size in enumerate(SIZES):
        for rows, out in ((levels[sure, c], m), (levels[:, c], start_u)):
            counts = np.bincount(rows, minlength=size).astype(np.float64)[:size]
            counts[0] = 0.0
            counts[1:] += 1.0
            out.append((counts / counts.sum()).tolist())
    prior = float(min(max(sure.mean() * 1.5, 0.01), 0.5)) if len(levels) else 0.05
    return Parameters(m=m, u=u or start_u, prior=prior)


def _patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    radix = np.array([int(np.prod(SIZES[c + 1 :])) for c in range(len(SIZES))], dtype=np.int64)
    codes = np.zeros(len(levels), dtype=np.int64)
    for c in range(len(SIZES)):  # column by column: no (pairs x comparisons) int64 matrix
        codes += levels[:, c].astype(np.int64) * radix[c]
    unique, counts = np.unique(codes, return_counts=True)
    decoded = np.zeros((len(unique), len(SIZES)), dtype=np.int64)
    rest = unique.copy()
    for c in range(len(SIZES)):
        decoded[:, c] = rest // radix[c]
        rest = rest % radix[c]
    return decoded, counts.astype(np.float64)


def expectation_maximisation(
    levels: np.ndarray,
    params: Parameters,
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-5,
    fixed_u: bool = True,
    fixed_m: frozenset[int] = frozenset(),
) -> Parameters:
    """m (but not for the comparisons in `fixed_m`; and u unless fixed) and λ by EM over the
    level patterns of the pairs given."""
    patterns, counts = _patterns(levels)
    m = [np.array(row, dtype=np.float64) for row in params.m]
    u = [np.array(row, dtype=np.float64) for row in params.u]
    prior = min(max(params.prior, 1e-4), 0.9)
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 -- reported below
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for c in range(len(SIZES)):
            lv = patterns[:, c]
            known = lv > 0
            log_m[known] += np.log(np.maximum(m[c][lv[known]], 1e-12))
            log_u[known] += np.log(np.maximum(u[c][lv[known]], 1e-12))
        a = math.log(prior) + log_m
        b = math.log(1 - prior) + log_u
        top = np.maximum(a, b)
        resp = np.exp(a - top) / (np.exp(a - top) + np.exp(b - top))
        weighted = resp * counts
        new_prior = float(weighted.sum() / counts.sum())
        change = abs(new_prior - prior)
        for c, size in enumerate(SIZES):
            lv = patterns[:, c]
            if c not in fixed_m:
                sums = np.bincount(lv, weights=weighted, minlength=size)
                sums[0] = 0.0
                if sums.sum() > 0:
                    new = np.maximum(sums / sums.sum(), 1e-6)
                    new[0] = 0.0
                    new /= new.sum()
                    change = max(change, float(np.abs(new - m[c]).max()))
                    m[c] = new
            if not fixed_u:
                sums = np.bincount(lv, weights=(1 - resp) * counts, minlength=size)
                sums[0] = 0.0
                if sums.sum() > 0:
                    new = np.maximum(sums / sums.sum(), 1e-9)
                    new[0] = 0.0
                    u[c] = new / new.sum()
        prior = min(max(new_prior, 1e-6), 0.999)
        if change < tolerance:
            converged = True
            break
    return Parameters(
        m=[row.tolist() for row in m],
        u=[row.tolist() for row in u],
        prior=prior,
        iterations=iteration,
        converged=converged,
        tf_mean=list(params.tf_mean),
    )


# The training sessions: pairs blocked on one field, where matches are common, estimate m for
# every other field (u fixed from random pairs, so that what the block forces to agree does
# not pass for evidence); as splink trains.
NAME, FATHER, CNIC, BIRTH = 0, 1, 2, 3
SESSIONS: tuple[tuple[int, int], ...] = ((CNIC, 3), (BIRTH, 5), (NAME, NAME_EXACT))


def train(
    levels: np.ndarray, random_levels: np.ndarray, *, total_pairs: float, recall: float = 0.95
) -> Parameters:
    """Parameters from candidate pairs and random pairs (see the module's docstring)."""
    u = estimate_u(random_levels)
    start = seeded(levels, u)
    m = [list(row) for row in start.m]
    done: set[int] = set()
    for column, level in SESSIONS:
        subset = levels[levels[:, column] == level]
        if len(subset) < 50:
            continue
        session = expectation_maximisation(
            subset, Parameters(m=m, u=u, prior=0.5), fixed_m=frozenset({column})
        )
        for c in range(len(SIZES)):
            if c != column and c not in done:
                m[c] = session.m[c]
        done |= {c for c in range(len(SIZES)) if c != column}
    params = Parameters(m=m, u=u, prior=start.prior)
    params.prior = _prior(levels, params, total_pairs=total_pairs, recall=recall)
    params.tf_mean = [u[NAME][NAME_EXACT], u[FATHER][FATHER_EXACT]]
    params.converged = True
    return params


def _prior(levels: np.ndarray, params: Parameters, *, total_pairs: float, recall: float) -> float:
    """λ, the probability that two records drawn at random are of one person: the expected
    number of matches among the candidates (found as a fixed point), over the blocking's
    recall, over all pairs."""
    patterns, counts = _patterns(levels)
    tables = params.weight_tables()
    weight = np.zeros(len(patterns))
    for c, table in enumerate(tables):
        weight += table[patterns[:, c]]
    prior = 1e-6
    for _ in range(50):
        odds = prior / (1 - prior) * np.exp2(weight)
        expected = float((counts * odds / (1 + odds)).sum()) / recall
        new = min(max(expected / max(total_pairs, 1.0), 1e-12), 0.5)
        if abs(new - prior) <= 1e-3 * prior:
            return new
        prior = new
    return prior


def exact_tf(
    levels: np.ndarray, name_tf: np.ndarray | None, father_tf: np.ndarray | None
) -> list[float]:
    """The mean term frequency of exact name (and father's name) agreements: the reference
    the adjustment in match_weights is relative to."""
    means = []
    for c, exact, tf in ((0, NAME_EXACT, name_tf), (1, FATHER_EXACT, father_tf)):
        if tf is None:
            means.append(0.0)
            continue
        hit = (levels[:, c] == exact) & (tf > 0)
        means.append(float(tf[hit].mean()) if hit.any() else 0.0)
    return means


def match_weights(
    levels: np.ndarray,
    params: Parameters,
    *,
    name_tf: np.ndarray | None = None,
    father_tf: np.ndarray | None = None,
) -> np.ndarray:
    """Each pair's match weight (bits) without the prior; per-comparison weights in columns."""
    tables = params.weight_tables()
    weights = np.zeros(levels.shape, dtype=np.float64)
    for c, table in enumerate(tables):
        weights[:, c] = table[levels[:, c]]
    for c, exact, tf in ((0, NAME_EXACT, name_tf), (1, FATHER_EXACT, father_tf)):
        mean = params.tf_mean[c] if c < len(params.tf_mean) else 0.0
        if tf is None or mean <= 0:
            continue
        hit = (levels[:, c] == exact) & (tf > 0)
        if hit.any():
            shift = np.clip(np.log2(mean / tf[hit]), -TF_LIMIT, TF_LIMIT)
            weights[hit, c] += shift
    return weights


def probability(total_weight: np.ndarray, params: Parameters) -> np.ndarray:
    prior_weight = math.log2(params.prior / (1 - params.prior))
    return 1.0 / (1.0 + np.exp2(-(total_weight + prior_weight)))


def describe(params: Parameters) -> list[dict[str, Any]]:
    """m, u and the weight of each level of each comparison."""
    tables = params.weight_tables()
    return [
        {
            "comparison": name,
            "levels": [
                {
                    "level": level,
                    "m": params.m[c][level],
                    "u": params.u[c][level],
                    "weight": float(tables[c][level]),
                }
                for level in range(1, SIZES[c])
            ],
        }
        for c, name in enumerate(NAMES)
    ]


DEFAULTS = Path(__file__).with_name("default_parameters.json")


@lru_cache(maxsize=1)
def default_parameters() -> Parameters:
    """Parameters trained on the synthetic benchmark data (bench/linkage/defaults.py), for
    scoring before an organisation's own data has trained any."""
    return Parameters.from_dict(json.loads(DEFAULTS.read_text(encoding="utf-8")))
