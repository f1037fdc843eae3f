"""Records → feature columns for matching.

A record is a mapping with any of: given_name, family_name, full_name_ur, aliases,
father_name, sex, date_of_birth (ISO date or date), age, age_year (the year the age was
given; this year if absent), cnic, phone, place (a gazetteer code), town, district (names in
either script, used when there is no place code), household (an id). Missing or empty values
are simply unknown: they count neither for nor against a match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from madad.core.names import (
    ABD,
    MUHAMMAD,
    SYED,
    UDDIN,
    ULLAH,
    canonical_words,
    normalise_urdu,
    skeleton,
    split_aliases,
)

# Tokens so common, or so much a title, that agreeing on them says little about identity.
WEAK_WORDS = frozenset({MUHAMMAD, SYED, ABD, ULLAH, UDDIN})
_URDU = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
_DIGITS = re.compile(r"\d")
_EASTERN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# Words that say what kind of place it is, not which one.
_PLACE_NOISE = frozenset(
    {"town", "district", "karachi", "city", "tn", "ٹاون", "ضلع", "کراچی", "شہر"}
)


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way a name was written: its canonical words in one script, and their skeletons
    (the key space both scripts share)."""

    urdu: bool
    words: tuple[str, ...]
    tokens: tuple[str, ...]
    weights: tuple[float, ...]  # of the words: weak words count a quarter
    sorted_words: tuple[str, ...] = ()
    sorted_tokens: tuple[str, ...] = ()
    strong: tuple[bool, ...] = ()


@lru_cache(maxsize=1 << 18)
def _skeleton(word: str) -> str:
    return skeleton(word)


@lru_cache(maxsize=1 << 20)
def _words(text: str) -> tuple[tuple[str, ...], bool]:
    """A text's canonical words, and whether it is in Urdu script: the script most of its
    letters are in (canonical words can be script-neutral: "muhammad" for محمد)."""
    urdu_letters = len(_URDU.findall(text))
    return tuple(canonical_words(text)), urdu_letters * 2 > sum(ch.isalpha() for ch in text)


def _form(words: tuple[str, ...], urdu: bool) -> NameForm:
    tokens = tuple(_skeleton(w) for w in words)
    weights = tuple(0.25 if w in WEAK_WORDS else 1.0 for w in words)
    return NameForm(
        urdu,
        words,
        tokens,
        weights,
        tuple(sorted(words)),
        tuple(sorted(tokens)),
        tuple(w not in WEAK_WORDS for w in words),
    )


_INTERNED: dict[tuple[NameForm, ...], tuple[NameForm, ...]] = {}


def name_forms(*texts: str, joined: int = 0) -> tuple[NameForm, ...]:
    """The forms of a name given as several texts (romanised name, Urdu name, aliases), one
    form per text; the first `joined` texts are parts of one name (given and family name).
    Equal results are one object, so that comparing a name with itself is a quick `is`."""
    forms: list[NameForm] = []
    parts: list[str] = []
    script = False
    for k, text in enumerate(texts):
        if not text:
            continue
        words, urdu = _words(text)
        if k < joined:
            parts.extend(words)
            script = urdu
            continue
        if words:
            forms.append(_form(words, urdu))
    if parts:
        forms.insert(0, _form(tuple(parts), script))
    key = tuple(forms)
    found = _INTERNED.get(key)
    if found is None:
        if len(_INTERNED) > 1 << 21:
            _INTERNED.clear()
        found = _INTERNED[key] = key
    return found


def forget_names() -> None:
    """Empties the caches of names seen. They speed up one large run; in a long-lived process
    (the web server's duplicate check) decrypted names must not stay in memory after use."""
    _words.cache_clear()
    _skeleton.cache_clear()
    _INTERNED.clear()


def strong_tokens(forms: Iterable[NameForm]) -> frozenset[str]:
    return frozenset(
        t for f in forms for t, w in zip(f.tokens, f.weights, strict=True) if w == 1.0 and t
    )


def all_tokens(forms: Iterable[NameForm]) -> frozenset[str]:
    return frozenset(t for f in forms for t in f.tokens if t)


def digits(value: Any) -> str:
    return "".join(_DIGITS.findall(str(value or "").translate(_EASTERN)))


def cnic_digits(value: Any) -> str:
    found = digits(value)
    return found if len(found) == 13 else ""


def phone_digits(value: Any) -> str:
    """Pakistani numbers in one form (92 and ten digits); others as typed, if long enough."""
    found = digits(value)
    if found.startswith("0092"):
        found = found[2:]
    elif found.startswith("0") and len(found) == 11:
        found = "92" + found[1:]
    elif found.startswith("3") and len(found) == 10:
        found = "92" + found
    return found if 10 <= len(found) <= 15 else ""


def _place_folded(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+|[\u0600-\u06FF]+", normalise_urdu(text or "").casefold())
    return [w for w in words if w not in _PLACE_NOISE and len(w) > 1]


@lru_cache(maxsize=4096)
def place_words(text: str) -> str:
    """A place name as a key both scripts share: "Lyari Town", "لیاری ٹاؤن" → "lr"."""
    return " ".join(sorted({skeleton(w) for w in _place_folded(text)} - {""}))


@lru_cache(maxsize=4096)
def _place_lookup_keys(text: str) -> tuple[str, ...]:
    """The keys a gazetteer is searched with: the folded words first (exact), then their
    skeletons (so that "SITE" stays apart from "South" when the words are known)."""
    folded = " ".join(sorted(set(_place_folded(text))))
    shape = place_words(text)
    return tuple(k for k in (f"f:{folded}" if folded else "", f"s:{shape}" if shape else "") if k)


def _gazetteer_code(gazetteer: Mapping[str, str], text: str) -> str:
    for key in _place_lookup_keys(text):
        if key in gazetteer:
            return gazetteer[key]
    return ""


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_SEX = {"male": 1, "m": 1, "female": 2, "f": 2, "other": 3}


@dataclass
class Features:
    """Column-wise features of n records; arrays are indexed by record position."""

    n: int
    names: list[tuple[NameForm, ...]]
    fathers: list[tuple[NameForm, ...]]
    pool: list[tuple[NameForm, ...]]  # every distinct name, once; name_id/father_id index it
    name_id: np.ndarray  # int32
    father_id: np.ndarray
    name_key: list[str]  # the name's strong tokens, for term frequencies and blocking
    name_tf: np.ndarray  # share of records with the same name_key
    father_tf: np.ndarray
    birth_year: np.ndarray  # int16, -1 unknown
    dob: np.ndarray  # int32 days since 1970, -1 unknown
    cnic: np.ndarray  # int64, -1 unknown
    cnic_text: list[str]
    phone: np.ndarray  # int64, -1 unknown
    sex: np.ndarray  # int8, 0 unknown
    town: np.ndarray  # int32 code, -1 unknown
    district: np.ndarray
    household: np.ndarray  # int64, -1 unknown
    district_key: list[str]  # the district as text (a gazetteer code or its words), for keys


class Codes:
    """Small integer codes for strings (places), stable within one run."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        if not value:
            return -1
        return self.codes.setdefault(value, len(self.codes))


_EPOCH = dt.date(1970, 1, 1)
LARGE = 100_000


def prepare(
    records: Iterable[Mapping[str, Any]],
    *,
    today: dt.date | None = None,
    places: Codes | None = None,
    gazetteer: Mapping[str, str] | None = None,
) -> Features:
    """Features of the records, in their order. `gazetteer` maps place names (as
    `place_words` gives them, in either script) to gazetteer codes, for records that name
    their town and district instead of giving a code."""
    this_year = (today or dt.date.today()).year
    places = places or Codes()
    names, fathers, name_key, father_key = [], [], [], []
    pool_ids: dict[int, int] = {}  # names are interned: one object per distinct name
    birth_year, dob, cnic, cnic_text, phone, sex, town, district, household = (
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
        [],
    )
    district_key: list[str] = []
    for record in records:
        get = record.get
        forms = name_forms(
            get("given_name") or "",
            get("family_name") or "",
            get("full_name_ur") or "",
            *split_aliases(get("aliases") or ""),
            joined=2,
        )
        names.append(forms)
        name_key.append(" ".join(sorted(strong_tokens(forms))))
        father = name_forms(get("father_name") or "")
        fathers.append(father)
        father_key.append(" ".join(sorted(strong_tokens(father))))
        born = _date(get("date_of_birth"))
        if born is not None:
            dob.append((born - _EPOCH).days)
            birth_year.append(born.year)
        else:
            dob.append(-1)
            age = _int(get("age"))
            year = _int(get("age_year")) or this_year
            birth_year.append(year - age if age is not None and 0 <= age <= 130 else -1)
        number = cnic_digits(get("cnic"))
        cnic_text.append(number)
        cnic.append(int(number) if number else -1)
        tel = phone_digits(get("phone"))
        phone.append(int(tel) if tel else -1)
        sex.append(_SEX.get(str(get("sex") or "").casefold(), 0))
        code = get("place") or ""
        if not code and gazetteer:
            code = _gazetteer_code(gazetteer, get("town") or "") or _gazetteer_code(
                gazetteer, get("district") or ""
            )
        if code:
            parts = str(code).split(".")
            area = ".".join(parts[:2]) if len(parts) >= 2 else ""
            town.append(places(".".join(parts[:3])) if len(parts) >= 3 else -1)
        else:
            town_words, district_words = (
                place_words(get("town") or ""),
                place_words(get("district") or ""),
            )
            area = "d:" + district_words if district_words else ""
            town.append(places("t:" + town_words) if town_words else -1)
        district.append(places(area))
        district_key.append(area)
        home = get("household")
        household.append(hash(("household", home)) if home not in (None, "") else -1)
    n = len(names)
    if n > LARGE:  # the caches hold every text seen; a large set is prepared once
        _words.cache_clear()
        _INTERNED.clear()
    name_id, father_id = (
        [pool_ids.setdefault(id(forms), len(pool_ids)) for forms in column]
        for column in (names, fathers)
    )
    pool: list[tuple[NameForm, ...]] = [()] * len(pool_ids)
    for column in (names, fathers):
        for forms in column:
            pool[pool_ids[id(forms)]] = forms
    return Features(
        n=n,
        names=names,
        fathers=fathers,
        name_key=name_key,
        pool=pool,
        name_id=np.array(name_id, dtype=np.int32).reshape(n),
        father_id=np.array(father_id, dtype=np.int32).reshape(n),
        name_tf=_term_frequencies(name_key),
        father_tf=_term_frequencies(father_key),
        birth_year=np.array(birth_year, dtype=np.int16).reshape(n),
        dob=np.array(dob, dtype=np.int32).reshape(n),
        cnic=np.array(cnic, dtype=np.int64).reshape(n),
        cnic_text=cnic_text,
        phone=np.array(phone, dtype=np.int64).reshape(n),
        sex=np.array(sex, dtype=np.int8).reshape(n),
        town=np.array(town, dtype=np.int32).reshape(n),
        district=np.array(district, dtype=np.int32).reshape(n),
        household=np.array(household, dtype=np.int64).reshape(n),
        district_key=district_key,
    )


def _term_frequencies(keys: list[str]) -> np.ndarray:
    counts: dict[str, int] = {}
    for key in keys:
        if key:
            counts[key] = counts.get(key, 0) + 1
    total = max(1, sum(counts.values()))
    return np.array([counts.get(k, 0) / total if k else 0.0 for k in keys], dtype=np.float64)


def gazetteer_names(rows: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """A `gazetteer` for prepare() from gazetteer rows (code, name, name_ur): both names of
    every place, the larger place winning when two share a name."""
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["code"].count(".")):
        for name in (row.get("name", ""), row.get("name_ur", "")):
            for key in _place_lookup_keys(name):
                found.setdefault(key, row["code"])
    return found
