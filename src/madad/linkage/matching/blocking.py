"""Blocking: the pairs worth comparing, without comparing all n² of them.

Each record gets keys; records sharing a key form a block, and pairs within a block are
candidates. The keys are chosen for recall across scripts and spellings (people.names puts
both scripts into one space of consonant skeletons) while keeping blocks small:

- the CNIC, whole, and in three parts of which any two agree when one digit is wrong
  (region + serial start, region + serial end, serial start + end);
- the phone number;
- the whole set of name tokens; each pair of name tokens (so a dropped, added or misspelt word
  still leaves a pair); each strong name token with each strong token of the father's name
  (siblings and typos in one's own name); each strong name token with the birth year (in two
  overlapping two-year windows) and the district.

A block larger than `cap` is not compared all-to-all: its records are sorted by birth year and
each is compared with its `window` neighbours only (a sorted neighbourhood), which keeps common
names ("Muhammad Ali") from exploding the count while still pairing people of the same age.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

import numpy as np

from madad.linkage.matching.features import Features, all_tokens, strong_tokens

CAP = 30
WINDOW = 5
COMPACT_AT = 10_000_000


def record_keys(
    features: Features, i: int, rarity: dict[str, int] | None = None
) -> Iterator[tuple[object, ...]]:
    """The blocking keys of record i (hashable tuples). With `rarity` (how many records have
    each token), the keys that pair a name token with something else use only the record's
    two rarest tokens: they are the ones that keep such blocks small."""
    cnic = features.cnic_text[i]
    if cnic:
        yield ("c", cnic)
        yield ("c1", cnic[:5], cnic[5:9])
        yield ("c2", cnic[:5], cnic[9:])
        yield ("c3", cnic[5:9], cnic[9:])
    phone = int(features.phone[i])
    if phone >= 0:
        yield ("p", phone)
    forms = features.names[i]
    tokens = sorted(all_tokens(forms))
    if tokens:
        yield ("n", *tokens)
    strong = sorted(strong_tokens(forms))
    if strong and len(strong) != len(tokens):
        yield ("ns", *strong)
    for a, b in combinations(strong, 2):
        yield ("nn", a, b)
    if rarity is not None and len(strong) > 2:
        strong = sorted(strong, key=lambda t: (rarity.get(t, 0), t))[:2]
    father = sorted(strong_tokens(features.fathers[i]))
    if rarity is not None and len(father) > 1:
        father = sorted(father, key=lambda t: (rarity.get(t, 0), t))[:1]
    for a in strong:
        for b in father:
            yield ("nf", a, b)
    year = int(features.birth_year[i])
    district = features.district_key[i]
    if year >= 0:
        for a in strong:
            yield ("ny", a, year // 2, district)
            yield ("ny", a, (year + 1) // 2 + 100000, district)


def token_rarity(features: Features) -> dict[str, int]:
    """How many records have each strong name token (in any of their names)."""
    counts: dict[str, int] = {}
    for forms in (*features.names, *features.fathers):
        for token in strong_tokens(forms):
            counts[token] = counts.get(token, 0) + 1
    return counts


def key_arrays(
    features: Features, start: int = 0, stop: int | None = None, *, chunk: int = 50_000
) -> tuple[np.ndarray, np.ndarray]:
    """(key hash, record index) for every key of records start..stop, built a chunk of
    records at a time so that no list of millions of Python ints is ever held."""
    stop = features.n if stop is None else stop
    rarity = token_rarity(features)
    hash_parts: list[np.ndarray] = []
    owner_parts: list[np.ndarray] = []
    for lo in range(start, stop, chunk):
        hashes: list[int] = []
        owners: list[int] = []
        for i in range(lo, min(stop, lo + chunk)):
            for key in record_keys(features, i, rarity):
                hashes.append(hash(key))
                owners.append(i)
        hash_parts.append(np.array(hashes, dtype=np.int64))
        owner_parts.append(np.array(owners, dtype=np.int32))
    if not hash_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
    return np.concatenate(hash_parts), np.concatenate(owner_parts)


def pairs_from_keys(
    hashes: np.ndarray,
    owners: np.ndarray,
    order_by: np.ndarray,
    *,
    cap: int = CAP,
    window: int = WINDOW,
) -> np.ndarray:
    """Distinct candidate pairs (i < j) as one int64 array of i * 2**32 + j."""
    if len(hashes) == 0:
        return np.zeros(0, dtype=np.int64)
    secondary = order_by[owners]
    order = np.lexsort((owners, secondary, hashes))
    del secondary
    keys, recs = hashes[order], owners[order]
    del order, hashes, owners
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [len(keys)]))).astype(np.int32)
    del boundaries, starts
    size_of = np.repeat(sizes, sizes)
    found: list[np.ndarray] = []
    held = folded = 0
    positions = np.flatnonzero(size_of > 1).astype(np.int32)
    limit = min(max(cap, window + 1), int(sizes.max()))
    for step in range(1, limit):
        positions = positions[positions + step < len(keys)]
        if len(positions) == 0:
            break
        same = keys[positions + step] == keys[positions]
        small = size_of[positions] <= cap
        use = same & (small | (step <= window))
        if use.any():
            a, b = recs[positions[use]], recs[positions[use] + step]
            lo, hi = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
            keep = lo != hi
            found.append((lo[keep] << 32) | hi[keep])
            held += int(keep.sum())
            if held > max(COMPACT_AT, 2 * folded):  # one pair, many keys: fold duplicates
                found = [_distinct(found)]
                held = folded = len(found[0])
        # a position stays while its block can still pair it further on
        positions = positions[same & (small | (step < window))]
    del keys, recs, size_of, positions
    if not found:
        return np.zeros(0, dtype=np.int64)
    return _distinct(found)


def _distinct(parts: list[np.ndarray]) -> np.ndarray:
    """The distinct values of the parts, sorted; the parts list is emptied on the way (sorting
    in place: np.unique would hold two more copies of tens of millions of pairs)."""
    values = np.concatenate(parts)
    parts.clear()
    values.sort()
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def candidate_pairs(
    features: Features, *, cap: int = CAP, window: int = WINDOW
) -> tuple[np.ndarray, np.ndarray]:
    """The candidate pairs (i, j), i < j, of the records."""
    order_by = np.where(features.birth_year < 0, 10_000, features.birth_year).astype(np.int16)
    # the key arrays are handed over, not kept here: pairs_from_keys frees them once sorted
    codes = pairs_from_keys(*key_arrays(features), order_by, cap=cap, window=window)
    return (codes >> 32).astype(np.int32), (codes & 0xFFFFFFFF).astype(np.int32)
