# ruff: noqa: RUF001 -- Urdu letters are the data of this module
"""Synthetic Pakistani person records with known truth, for the record-linkage benchmark.

People come in families (siblings share a father's name, a family name, a town, a CNIC region
and sometimes a phone) and each person is reported one to five times, as the same victim
reaches Madad from a relative, a police FIR, a hospital and a newspaper. Each report varies
the way real ones do:

- romanised spelling variants (Muhammad / Mohd. / Md., Hussain / Husain), honorifics
  (Haji, Mst., Ch., Syeda), word order, a dropped "Muhammad";
- the script: romanised only, Urdu only, or both; Urdu written with Arabic code points,
  diacritics or zero-width characters;
- typos (a letter dropped, doubled, swapped or replaced);
- missing fields; an age instead of a date of birth, drifting by a year or two; a date with
  day and month swapped; a CNIC with one digit wrong or two digits transposed;
- a town and district written in English or Urdu, sometimes the district only.

`generate(n, seed)` is deterministic: the same n and seed give the same records.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.linkage.pk_names import (
    FAMILY,
    FEMALE,
    FEMALE_HONORIFICS,
    FEMALE_HONORIFICS_UR,
    MALE,
    MALE_HONORIFICS,
    MALE_HONORIFICS_UR,
    MUHAMMAD_ROMAN,
    MUHAMMAD_URDU,
    Name,
)

COLUMNS = [
    "record_id",
    "given_name",
    "family_name",
    "full_name_ur",
    "father_name",
    "sex",
    "date_of_birth",
    "age",
    "cnic",
    "phone",
    "address",
    "town",
    "district",
    "recorded_year",
]
GAZETTEER = Path(__file__).resolve().parents[2] / "src/madad/places/data/karachi.csv"
_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})
_ZW = ("\u200c", "\u200d", "\u200b")
_HARAKAT = ("\u064e", "\u064f", "\u0650", "\u0651")
_DIGITS_UR = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass
class Person:
    entity: int
    sex: str
    given: list[Name]  # one or two given names; a leading Muhammad is separate
    muhammad: bool
    family: Name
    father_given: list[Name]
    father_muhammad: bool
    born: dt.date
    cnic: str
    phones: list[str]
    town: tuple[str, str, str, str]  # town name, town name in Urdu, district, district Urdu


def _towns() -> list[tuple[str, str, str, str]]:
    rows = list(csv.DictReader(GAZETTEER.open(encoding="utf-8")))
    by_code = {row["code"]: row for row in rows}
    towns = []
    for row in rows:
        if row["level"] == "town":
            district = by_code[row["parent_code"]]
            towns.append((row["name"], row["name_ur"], district["name"], district["name_ur"]))
    return towns


def _weighted(rng: random.Random, spellings: tuple[str, ...]) -> str:
    """The first spelling half the time, another otherwise."""
    if len(spellings) == 1 or rng.random() < 0.55:
        return spellings[0]
    return rng.choice(spellings[1:])


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:
        return word[:i] + word[i + 1 :]
    if kind < 0.5:
        return word[:i] + word[i] + word[i:]
    if kind < 0.75:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    letter = rng.choice(_LETTERS)
    return word[:i] + (letter.upper() if word[i].isupper() else letter) + word[i + 1 :]


def _urdu_typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def _urdu_dress(rng: random.Random, text: str) -> str:
    """The same Urdu name as different keyboards and editors write it."""
    r = rng.random()
    if r < 0.15:
        text = text.translate(_ARABIC_FORMS)
    elif r < 0.2:
        i = rng.randrange(1, max(2, len(text)))
        text = text[:i] + rng.choice(_HARAKAT) + text[i:]
    elif r < 0.23:
        i = rng.randrange(1, max(2, len(text)))
        text = text[:i] + rng.choice(_ZW) + text[i:]
    return text


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.towns = _towns()
        self.region = {t[0]: f"42{self.rng.randrange(100, 600):03d}" for t in self.towns}

    # --- people ---------------------------------------------------------------------------
    def _given(self, sex: str) -> tuple[list[Name], bool]:
        rng = self.rng
        pool = MALE if sex == "male" else FEMALE
        names = [rng.choice(pool)]
        if rng.random() < 0.2:
            names.append(rng.choice(pool))
        muhammad = sex == "male" and rng.random() < 0.35
        return names, muhammad

    def family(self, first_entity: int) -> list[Person]:
        rng = self.rng
        family = rng.choice(FAMILY) if rng.random() < 0.8 else rng.choice(MALE)
        father_given, father_muhammad = self._given("male")
        town = rng.choice(self.towns)
        region = self.region[town[0]] if rng.random() < 0.9 else f"4{rng.randrange(1000, 9999)}"
        shared_phone = f"03{rng.randrange(0, 50):02d}{rng.randrange(0, 10**7):07d}"
        eldest = dt.date(rng.randrange(1945, 2012), rng.randrange(1, 13), rng.randrange(1, 29))
        size = rng.choices((1, 2, 3, 4, 5), weights=(45, 25, 15, 10, 5))[0]
        people = []
        born = eldest
        for k in range(size):
            sex = "male" if rng.random() < 0.55 else "female"
            given, muhammad = self._given(sex)
            if k:
                gap = 0 if rng.random() < 0.03 else rng.randrange(300, 1800)  # twins, rarely
                born = min(born + dt.timedelta(days=gap), dt.date(2024, 12, 31))
            cnic = f"{region}{rng.randrange(0, 10**7):07d}{1 if sex == 'male' else 2}"
            phones = [f"03{rng.randrange(0, 50):02d}{rng.randrange(0, 10**7):07d}"]
            if rng.random() < 0.15:
                phones.append(shared_phone)
            people.append(
                Person(
                    first_entity + k,
                    sex,
                    given,
                    muhammad,
                    family,
                    father_given,
                    father_muhammad,
                    born,
                    cnic,
                    phones,
                    town,
                )
            )
        return people

    # --- reports --------------------------------------------------------------------------
    def _roman_given(self, person_given: list[Name], muhammad: bool, sex: str, typo: bool) -> str:
        rng = self.rng
        words = [_weighted(rng, name[0]) for name in person_given]
        if typo:
            i = rng.randrange(len(words))
            words[i] = _typo(rng, words[i])
        if muhammad and rng.random() < 0.8:
            words.insert(0, _weighted(rng, MUHAMMAD_ROMAN))
        if rng.random() < 0.08:
            words.insert(0, rng.choice(MALE_HONORIFICS if sex == "male" else FEMALE_HONORIFICS))
        text = " ".join(words)
        r = rng.random()
        if r < 0.1:
            text = text.upper()
        elif r < 0.2:
            text = text.lower()
        return text

    def _urdu_full(
        self, given: list[Name], muhammad: bool, family: Name | None, sex: str, typo: bool
    ) -> str:
        rng = self.rng
        words = [name[1] for name in given]
        if typo:
            i = rng.randrange(len(words))
            words[i] = _urdu_typo(rng, words[i])
        if muhammad and rng.random() < 0.85:
            words.insert(0, MUHAMMAD_URDU)
        if family is not None:
            words.append(family[1])
        if rng.random() < 0.06:
            words.insert(
                0, rng.choice(MALE_HONORIFICS_UR if sex == "male" else FEMALE_HONORIFICS_UR)
            )
        return _urdu_dress(rng, " ".join(words))

    def report(self, person: Person, record_id: str) -> dict[str, str]:
        rng = self.rng
        year = rng.randrange(max(2008, person.born.year + 1), 2026)
        script = rng.random()
        roman, urdu = script < 0.8, script >= 0.45  # 45% romanised only, 20% Urdu only
        typo = rng.random() < 0.18
        given_name = family_name = full_name_ur = ""
        with_family = rng.random() < 0.9
        if roman:
            given_name = self._roman_given(
                person.given, person.muhammad, person.sex, typo and rng.random() < 0.6
            )
            if with_family:
                family_name = _weighted(rng, person.family[0])
                if typo and rng.random() < 0.4:
                    family_name = _typo(rng, family_name)
            if rng.random() < 0.04 and family_name:  # word order: family name first
                given_name, family_name = family_name, given_name
        if urdu:
            full_name_ur = self._urdu_full(
                person.given,
                person.muhammad,
                person.family if with_family else None,
                person.sex,
                typo and rng.random() < 0.4,
            )
        father_name = ""
        if rng.random() < 0.75:
            if roman and (not urdu or rng.random() < 0.7):
                father_name = self._roman_given(
                    person.father_given, person.father_muhammad, "male", rng.random() < 0.08
                )
                if rng.random() < 0.5:
                    father_name += " " + _weighted(rng, person.family[0])
            else:
                father_name = self._urdu_full(
                    person.father_given,
                    person.father_muhammad,
                    person.family if rng.random() < 0.5 else None,
                    "male",
                    rng.random() < 0.05,
                )
        sex = person.sex
        r = rng.random()
        if r < 0.1:
            sex = ""
        elif r < 0.105:
            sex = "female" if sex == "male" else "male"
        date_of_birth = age = ""
        r = rng.random()
        if r < 0.4:
            born = person.born
            if rng.random() < 0.03 and born.day <= 12:
                born = born.replace(month=born.day, day=born.month)
            date_of_birth = born.isoformat()
        elif r < 0.85:
            true_age = year - person.born.year
            drift = rng.choices((0, 1, -1, 2, -2), weights=(65, 12, 12, 6, 5))[0]
            age = str(max(0, true_age + drift))
        cnic = ""
        if rng.random() < 0.5 and person.born.year <= year - 18:
            cnic = person.cnic
            r = rng.random()
            if r < 0.05:
                i = rng.randrange(13)
                cnic = cnic[:i] + str((int(cnic[i]) + rng.randrange(1, 10)) % 10) + cnic[i + 1 :]
            elif r < 0.07:
                i = rng.randrange(12)
                cnic = cnic[:i] + cnic[i + 1] + cnic[i] + cnic[i + 2 :]
            r = rng.random()
            if r < 0.6:
                cnic = f"{cnic[:5]}-{cnic[5:12]}-{cnic[12]}"
            elif r < 0.65:
                cnic = cnic.translate(_DIGITS_UR)
        phone = ""
        if rng.random() < 0.4:
            phone = rng.choice(person.phones)
            if rng.random() < 0.5:
                phone = f"{phone[:4]}-{phone[4:]}"
            elif rng.random() < 0.3:
                phone = "+92 " + phone[1:]
        town = district = ""
        r = rng.random()
        place = person.town
        if rng.random() < 0.04:
            place = rng.choice(self.towns)  # moved, or reported where the incident happened
        in_urdu = urdu and not roman
        if r < 0.6:
            town = (
                place[1]
                if in_urdu
                else (place[0] if rng.random() < 0.6 else place[0].removesuffix(" Town"))
            )
            district = place[3] if in_urdu else place[2]
        elif r < 0.75:
            district = place[3] if in_urdu else place[2]
        return {
            "record_id": record_id,
            "given_name": given_name,
            "family_name": family_name,
            "full_name_ur": full_name_ur,
            "father_name": father_name,
            "sex": sex,
            "date_of_birth": date_of_birth,
            "age": age,
            "cnic": cnic,
            "phone": phone,
            "address": "",
            "town": town,
            "district": district,
            "recorded_year": str(year),
        }


def generate(n: int, seed: int = 7) -> Iterator[tuple[dict[str, str], int]]:
    """n records, each with the id of the person it is about."""
    gen = Generator(seed)
    rng = gen.rng
    made = 0
    entity = 0
    while made < n:
        for person in gen.family(entity):
            entity = person.entity + 1
            copies = rng.choices((1, 2, 3, 4, 5), weights=(50, 28, 12, 6, 4))[0]
            for _ in range(copies):
                if made >= n:
                    return
                made += 1
                yield gen.report(person, f"r{made:07d}"), person.entity


def write(n: int, path: Path, seed: int = 7) -> None:
    """The records as CSV (the `madad import persons` columns and `recorded_year`), and the
    truth beside them in `<path>.truth` (one entity id per line, in record order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    truth_path = Path(f"{path}.truth")
    with (
        tmp.open("w", newline="", encoding="utf-8") as out,
        truth_path.open("w", encoding="utf-8") as truth,
    ):
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for record, entity in generate(n, seed):
            writer.writerow(record)
            truth.write(f"{entity}\n")
    tmp.replace(path)


def dataset(n: int, directory: Path, seed: int = 7) -> Path:
    """The CSV of n records, generated once and then reused."""
    path = directory / f"persons_{n}_{seed}.csv"
    if not path.exists():
        write(n, path, seed)
    return path
