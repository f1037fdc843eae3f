"""splink (DuckDB) and recordlinkage on the same records as Madad's matcher.

Both get the records with the cleaning any user of them would do (lower case, punctuation
gone, CNIC and phone as digits, a birth year from the date of birth or the age, towns and
districts looked up in the gazetteer as Madad's matcher gets them) and a sensible
model for this data: Jaro-Winkler name levels, CNIC within one edit, birth year near, exact
phone, sex, town and district, and blocking rules of the same kinds as Madad's. What they do
not get is Madad's name normalisation (people.names): the romanised variants, honorifics and
the shared consonant-skeleton space that lets Urdu-script and romanised names meet.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np

_PUNCT = re.compile(r"[^\w\s]")
_SPACE = re.compile(r"\s+")
_EASTERN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def _text(value: str) -> str | None:
    value = unicodedata.normalize("NFKC", value or "").casefold()
    value = _SPACE.sub(" ", _PUNCT.sub(" ", value)).strip()
    return value or None


def _digits(value: str) -> str | None:
    found = re.sub(r"\D", "", (value or "").translate(_EASTERN))
    return found or None


def frame(records: Sequence[dict[str, str]], gazetteer: dict[str, str] | None = None) -> Any:
    """The records as a DataFrame, cleaned; towns and districts looked up in the same gazetteer
    Madad's matcher gets (in either script), as codes."""
    import pandas as pd

    from madad.linkage.matching.features import _gazetteer_code

    gazetteer = gazetteer or {}
    rows = []
    for i, r in enumerate(records):
        dob = r.get("date_of_birth") or None
        year = None
        if dob:
            year = int(dob[:4])
        elif r.get("age"):
            year = int(r.get("age_year") or r.get("recorded_year") or 2025) - int(r["age"])
        phone = _digits(r.get("phone", ""))
        if phone and phone.startswith("92"):
            phone = "0" + phone[2:]
        town = _gazetteer_code(gazetteer, r.get("town", "")) or _text(r.get("town", ""))
        district = _gazetteer_code(gazetteer, r.get("district", "")) or _text(r.get("district", ""))
        if town and district and not town.startswith(district + "."):
            town = None  # a town code names its district: "khi.south.lyari"
        if town and not district and "." in town:
            district = ".".join(town.split(".")[:2])
        rows.append(
            {
                "unique_id": i,
                "given_name": _text(r.get("given_name", "")),
                "family_name": _text(r.get("family_name", "")),
                "full_name_ur": _text(r.get("full_name_ur", "")),
                "father_name": _text(r.get("father_name", "")),
                "dob": dob,
                "birth_year": year,
                "cnic": _digits(r.get("cnic", "")),
                "phone": phone,
                "sex": r.get("sex") or None,
                "town": town,
                "district": district,
            }
        )
    df = pd.DataFrame(rows)
    df["birth_year"] = df["birth_year"].astype("Int64")
    return df


def run_splink(
    records: Sequence[dict[str, str]],
    *,
    threshold: float = 0.5,
    gazetteer: dict[str, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Trained as splink's documentation recommends: the prior from deterministic rules, u by
    random sampling, m by EM over two blocking rules; predicted at `threshold`."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    df = frame(records, gazetteer)
    db_api = DuckDBAPI()
    data = db_api.register(df)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.NameComparison("full_name_ur"),
            cl.NameComparison("father_name"),
            cl.ExactMatch("dob"),
            cl.AbsoluteDifferenceAtThresholds("birth_year", [0, 2, 5])
            if hasattr(cl, "AbsoluteDifferenceAtThresholds")
            else _birth_year_comparison(),
            cl.LevenshteinAtThresholds("cnic", [1, 2]),
            cl.ExactMatch("phone"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("town"),
            cl.ExactMatch("district"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("cnic"),
            "substr(l.cnic, 1, 9) = substr(r.cnic, 1, 9)",
            "substr(l.cnic, 6, 8) = substr(r.cnic, 6, 8)",
            block_on("phone"),
            block_on("given_name", "family_name"),
            block_on("full_name_ur"),
            block_on("given_name", "birth_year"),
            block_on("family_name", "father_name"),
            block_on("given_name", "father_name"),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(data, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("cnic"), block_on("phone", "given_name")], recall=0.5
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name"), max_pairs=2e6
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_year", "district"), max_pairs=2e6
    )
    pairs = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    return (
        pairs["unique_id_l"].to_numpy(dtype=np.int64),
        pairs["unique_id_r"].to_numpy(dtype=np.int64),
    )


def _birth_year_comparison() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="birth_year",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            cll.ExactMatchLevel("birth_year"),
            cll.AbsoluteDifferenceLevel("birth_year", 2),
            cll.AbsoluteDifferenceLevel("birth_year", 5),
            cll.ElseLevel(),
        ],
    )


def run_recordlinkage(
    records: Sequence[dict[str, str]],
    *,
    threshold: float = 0.5,
    gazetteer: dict[str, str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """recordlinkage's unsupervised ECM classifier on its comparison vectors, with blocking
    on the same kinds of keys (its Index unions several blocks)."""
    import pandas as pd
    import recordlinkage

    logging.getLogger("recordlinkage").setLevel(logging.ERROR)
    df = frame(records, gazetteer).set_index("unique_id")
    df["cnic_a"] = df["cnic"].str[:9]
    df["cnic_b"] = df["cnic"].str[5:13]
    candidates = None
    for keys in (
        ["cnic"],
        ["cnic_a"],
        ["cnic_b"],
        ["phone"],
        ["given_name", "family_name"],
        ["full_name_ur"],
        ["given_name", "birth_year"],
        ["family_name", "father_name"],
        ["given_name", "father_name"],
    ):
        indexer = recordlinkage.Index()
        indexer.block(left_on=keys)
        found = indexer.index(df.dropna(subset=keys))
        candidates = found if candidates is None else candidates.union(found)
    compare = recordlinkage.Compare()
    for column in ("given_name", "family_name", "full_name_ur", "father_name"):
        compare.string(column, column, method="jarowinkler", threshold=0.88, label=column)
    compare.exact("dob", "dob", label="dob")
    compare.numeric("birth_year", "birth_year", method="step", offset=2, label="birth_year")
    compare.string("cnic", "cnic", method="levenshtein", threshold=0.9, label="cnic")
    for column in ("phone", "sex", "town", "district"):
        compare.exact(column, column, label=column)
    features = compare.compute(candidates, df).fillna(0).astype(int)
    classifier = recordlinkage.ECMClassifier(binarize=None)
    matches = classifier.fit_predict(features)
    index = pd.MultiIndex.from_tuples(list(matches)) if len(matches) else matches
    left = np.array([a for a, _ in index], dtype=np.int64)
    right = np.array([b for _, b in index], dtype=np.int64)
    return left, right
