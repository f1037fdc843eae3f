"""Field by field comparison of candidate pairs, as levels.

Level 0 always means "unknown on one side": it counts neither for nor against. Higher levels
mean closer agreement. The names are compared word by word (Jaro-Winkler on the canonical
words, each word against its best partner; weak words such as Muhammad do not count):
in the script both records share when they share one, and on the consonant skeletons across
scripts when they do not. Words of one skeleton count as spelling variants (Munir, Muneer);
so do Hasan and Hussain, which the skeleton cannot tell apart: the other fields must.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz.distance import JaroWinkler

from madad.linkage.matching.features import Features, NameForm

_jw = JaroWinkler.normalized_similarity


# The comparisons and their number of levels (level 0 is "unknown"); what each level means
# for people reading the evidence is said in madad.linkage.evidence.
COMPARISONS: tuple[tuple[str, int], ...] = (
    # unknown, nothing in common, partly (each has a word the other lacks), one within the
    # other (words added or left out), spelling variants, the same words
    ("name", 6),
    ("father_name", 6),
    ("cnic", 4),  # unknown, different, one digit apart (or two swapped), the same
    ("birth", 6),  # unknown, > 5 years apart, 3-5 years, 1-2 years, same year, same date
    ("sex", 3),  # unknown, different, the same
    ("place", 4),  # unknown, different districts, the same district, the same town
    ("phone", 3),  # unknown, different, the same
    ("household", 3),  # unknown, different, the same
)
NAMES = tuple(name for name, _ in COMPARISONS)
SIZES = tuple(size for _, size in COMPARISONS)


MATCHED = 0.8  # a word with a partner at least this alike (Jaro-Winkler) is matched
SOUND_ALIKE = 0.95  # two words with one consonant skeleton ("Munir", "Muneer")


def _forms_level(f: NameForm, g: NameForm, cross_script: bool) -> int:
    """5 the same words; 4 every strong word has a close partner (spelling variants);
    3 the words of one side are all in the other (a name with words added or left out);
    2 some strong words agree, but each side has one the other lacks (siblings, or heavy
    typos); 1 no strong word in common."""
    if cross_script:
        if f.sorted_tokens == g.sorted_tokens:
            return 5
        a, b = f.tokens, g.tokens
    else:
        if f.sorted_words == g.sorted_words:
            return 5
        a, b = f.words, g.words
    best_a, best_b = _best_partners(a, f.tokens, b, g.tokens, cross_script)
    matched_a, unmatched_a = _agreeing(f.strong, best_a)
    matched_b, unmatched_b = _agreeing(g.strong, best_b)
    if not (matched_a or matched_b):
        return 1 if (unmatched_a or unmatched_b) else 3
    if unmatched_a == 0 and unmatched_b == 0:
        return 4
    if unmatched_a == 0 or unmatched_b == 0:
        return 3
    return 2


def _best_partners(
    a: Sequence[str], ta: Sequence[str], b: Sequence[str], tb: Sequence[str], cross_script: bool
) -> tuple[list[float], list[float]]:
    """How alike each word of `a` is to its closest word of `b`, and the other way round; two
    words with the same consonant skeleton count as alike (as the same across scripts)."""
    jw = _jw
    best_a: list[float] = []
    best_b = [0.0] * len(b)
    for x, kx in zip(a, ta, strict=True):
        best = 0.0
        for k, y in enumerate(b):
            sim = jw(x, y)
            if kx == tb[k]:
                sim = 1.0 if cross_script else max(sim, SOUND_ALIKE)
            if sim > best:
                best = sim
            if sim > best_b[k]:
                best_b[k] = sim
        best_a.append(best)
    return best_a, best_b


def _agreeing(strong: Sequence[bool], best: Sequence[float]) -> tuple[int, int]:
    """(strong words with a close partner, strong words without one)."""
    matched = unmatched = 0
    for is_strong, similarity in zip(strong, best, strict=True):
        if is_strong:
            if similarity >= MATCHED:
                matched += 1
            else:
                unmatched += 1
    return matched, unmatched


def name_level(x: tuple[NameForm, ...], y: tuple[NameForm, ...]) -> int:
    """The best level over the two names' forms (0 when either has none): in the script both
    records share when they share one, on consonant skeletons across scripts otherwise."""
    if not x or not y:
        return 0
    if x is y:
        return 5
    shared = {f.urdu for f in x} & {f.urdu for f in y}
    best = 0
    for f in x:
        for g in y:
            if shared and (f.urdu != g.urdu):
                continue
            level = _forms_level(f, g, cross_script=not shared)
            if level > best:
                best = level
                if best == 5:
                    return 5
    return best


def name_levels(features: Features, left: np.ndarray, right: np.ndarray, which: str) -> np.ndarray:
    forms = features.names if which == "name" else features.fathers
    out = np.empty(len(left), dtype=np.int8)
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        out[k] = name_level(forms[i], forms[j])
    return out


def _equal_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 unknown, 1 different, 2 the same."""
    known = (a >= 0) & (b >= 0)
    return np.where(known, np.where(a == b, 2, 1), 0).astype(np.int8)


def _cnic_one_apart(features: Features, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """One digit changed, or two neighbours swapped."""
    a, b = features.cnic[left], features.cnic[right]
    out = np.zeros(len(left), dtype=bool)
    differing = np.zeros(len(left), dtype=np.int8)
    first = np.full(len(left), -1, dtype=np.int8)
    second = np.full(len(left), -1, dtype=np.int8)
    x, y = a.copy(), b.copy()
    digits_a, digits_b = [], []
    for position in range(13):
        da, db = x % 10, y % 10
        digits_a.append(da)
        digits_b.append(db)
        diff = da != db
        second = np.where(diff & (first >= 0) & (second < 0), position, second)
        first = np.where(diff & (first < 0), position, first)
        differing += diff
        x //= 10
        y //= 10
    out |= differing == 1
    two = (differing == 2) & (second == first + 1)
    if two.any():
        da, db = np.stack(digits_a, axis=1), np.stack(digits_b, axis=1)
        idx = np.flatnonzero(two)
        f, s = first[idx].astype(np.int64), second[idx].astype(np.int64)
        swapped = (da[idx, f] == db[idx, s]) & (da[idx, s] == db[idx, f])
        out[idx] = swapped
    return out


def levels(
    features: Features,
    left: np.ndarray,
    right: np.ndarray,
    sims: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """An (n_pairs, n_comparisons) int8 array of levels."""
    if sims is None:
        sims = (
            name_levels(features, left, right, "name"),
            name_levels(features, left, right, "father"),
        )
    out = np.zeros((len(left), len(COMPARISONS)), dtype=np.int8)
    out[:, 0], out[:, 1] = sims

    ca, cb = features.cnic[left], features.cnic[right]
    known = (ca >= 0) & (cb >= 0)
    cnic = np.where(known, 1, 0).astype(np.int8)
    if known.any():
        idx = np.flatnonzero(known)
        near = _cnic_one_apart(features, left[idx], right[idx])
        cnic[idx] = np.where(ca[idx] == cb[idx], 3, np.where(near, 2, 1))
    out[:, 2] = cnic

    ya, yb = features.birth_year[left].astype(np.int32), features.birth_year[right].astype(np.int32)
    da, db = features.dob[left], features.dob[right]
    gap = np.abs(ya - yb)
    birth = np.select([gap == 0, gap <= 2, gap <= 5], [4, 3, 2], 1).astype(np.int8)
    birth = np.where((da >= 0) & (da == db), 5, birth)
    out[:, 3] = np.where((ya >= 0) & (yb >= 0), birth, 0)

    sa, sb = features.sex[left], features.sex[right]
    out[:, 4] = np.where((sa > 0) & (sb > 0), np.where(sa == sb, 2, 1), 0)

    ta, tb = features.town[left], features.town[right]
    xa, xb = features.district[left], features.district[right]
    place = np.where((xa >= 0) & (xb >= 0), np.where(xa == xb, 2, 1), 0)
    place = np.where((ta >= 0) & (tb >= 0) & (ta == tb), 3, place)
    # a town without a district on one side: compare towns only
    place = np.where((place == 0) & (ta >= 0) & (tb >= 0), 1, place)
    out[:, 5] = place

    out[:, 6] = _equal_levels(features.phone[left], features.phone[right])
    out[:, 7] = _equal_levels(features.household[left], features.household[right])
    return out
