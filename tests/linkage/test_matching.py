"""The matcher on plain records: name levels across scripts, blocking, the trained model."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from madad.linkage.matching import link, score_against
from madad.linkage.matching.blocking import candidate_pairs
from madad.linkage.matching.compare import levels, name_level
from madad.linkage.matching.features import name_forms, prepare
from madad.linkage.matching.model import (
    Parameters,
    default_parameters,
    expectation_maximisation,
    train,
)

TODAY = dt.date(2025, 6, 1)


def _level(a: str, b: str) -> int:
    return name_level(name_forms(a), name_forms(b))


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Muhammad Ali Khan", "Mohd. Ali Khan", 5),  # romanised variants are one name
        ("Muhammad Ali Khan", "محمد علی خان", 5),  # across scripts, on consonant skeletons
        ("Munir Yasir Aziz", "Muneer Yaser Azeez", 4),  # the same names spelt otherwise
        ("Nadeem Ahmed", "Nadeem", 3),  # a name left out
        ("Safia Qureshi", "Mahwish Qureshi", 2),  # sisters: each has a name the other lacks
        ("Imran Baig", "Zainab Latif", 1),
        ("Imran", "", 0),  # unknown on one side
    ],
)
def test_names_are_graded_by_how_they_agree(a: str, b: str, expected: int) -> None:
    assert _level(a, b) == expected


def test_names_of_one_sound_but_different_letters_are_variants_not_the_same() -> None:
    # the skeleton cannot tell Hasan from Hussain: the other fields must
    assert _level("Hasan", "Hussain") == _level("Hussain", "Husain") == 4


def test_a_cnic_one_digit_off_is_its_own_level() -> None:
    features = prepare(
        [
            {"cnic": "42101-1234567-1"},
            {"cnic": "4210112345571"},
            {"cnic": "4210112345671"},
            {"cnic": "4210199999991"},
        ],
        today=TODAY,
    )
    grid = levels(features, np.array([0, 0, 0]), np.array([1, 2, 3]))
    assert grid[:, 2].tolist() == [2, 3, 1]


def test_two_swapped_cnic_digits_count_as_one_slip() -> None:
    features = prepare([{"cnic": "4210112345671"}, {"cnic": "4210112345761"}], today=TODAY)
    assert levels(features, np.array([0]), np.array([1]))[0, 2] == 2


def test_an_age_is_turned_into_a_birth_year_at_the_time_it_was_given() -> None:
    features = prepare(
        [{"age": 40, "age_year": 2020}, {"date_of_birth": "1980-02-01"}], today=TODAY
    )
    assert features.birth_year.tolist() == [1980, 1980]


def test_blocking_pairs_records_across_scripts_and_with_a_mistyped_cnic() -> None:
    records = [
        {"given_name": "Imran", "family_name": "Baig"},
        {"full_name_ur": "عمران بیگ"},
        {"given_name": "Zainab", "cnic": "42101-1234567-2"},
        {"given_name": "Saima", "cnic": "42101-1234557-2"},
        {"given_name": "Farhan"},
    ]
    left, right = candidate_pairs(prepare(records, today=TODAY))
    assert set(zip(left.tolist(), right.tolist(), strict=True)) == {(0, 1), (2, 3)}


def _family_records() -> list[dict[str, object]]:
    """Three men reported several times each, and a brother of one of them."""
    base: list[dict[str, object]] = [
        {
            "given_name": "Muhammad Imran",
            "family_name": "Baig",
            "father_name": "Aslam Baig",
            "sex": "male",
            "date_of_birth": "1980-03-02",
            "cnic": "4210112345671",
            "town": "Lyari Town",
            "district": "Karachi South",
        },
        {
            "full_name_ur": "محمد عمران بیگ",
            "father_name": "اسلم بیگ",
            "sex": "male",
            "age": 44,
            "age_year": 2024,
            "district": "کراچی جنوبی",
        },
        {"given_name": "Imraan", "family_name": "Baig", "cnic": "4210112345771", "sex": "male"},
        {
            "given_name": "Kamran",
            "family_name": "Baig",
            "father_name": "Aslam Baig",
            "sex": "male",
            "date_of_birth": "1984-07-09",
            "cnic": "4210176543211",
            "town": "Lyari Town",
            "district": "Karachi South",
        },
        {
            "given_name": "Zubair",
            "family_name": "Qureshi",
            "father_name": "Nazir Ahmed",
            "sex": "male",
            "phone": "03331234567",
            "age": 30,
            "age_year": 2020,
        },
        {
            "full_name_ur": "زبیر قریشی",
            "father_name": "نذیر احمد",
            "phone": "0333-1234567",
            "sex": "male",
        },
    ]
    return base


def test_the_default_model_links_the_reports_of_one_man_but_not_his_brother() -> None:
    params = default_parameters()
    result = link(_family_records(), params=params, train=False, threshold=0.5, today=TODAY)
    found = set(zip(result.left.tolist(), result.right.tolist(), strict=True))
    assert {(0, 1), (0, 2), (4, 5)} <= found
    assert not any(3 in pair for pair in found)


def test_scoring_one_record_against_candidates_ranks_the_true_one_first() -> None:
    records = _family_records()
    params = default_parameters()
    probability, grid, weights = score_against(
        records[1], [records[3], records[0]], params, today=TODAY
    )
    assert probability[1] > 0.5 > probability[0]
    assert grid.shape == (2, 8) and weights.shape == (2, 8)


def test_em_recovers_m_from_pairs_where_it_is_plain() -> None:
    rng = np.random.default_rng(3)
    matches = np.zeros((400, 8), dtype=np.int8)
    matches[:, 0] = 5
    matches[:, 3] = rng.choice([4, 5], size=400)
    non = np.zeros((1600, 8), dtype=np.int8)
    non[:, 0] = rng.choice([1, 2], size=1600)
    non[:, 3] = rng.choice([1, 2], size=1600)
    grid = np.concatenate([matches, non])
    fitted = expectation_maximisation(grid, Parameters(), fixed_u=False)
    assert fitted.prior == pytest.approx(0.2, abs=0.02)
    assert fitted.m[0][5] > 0.95


def test_training_needs_no_labels_and_weights_agreement_above_disagreement() -> None:
    records = _family_records() * 30
    features = prepare(records, today=TODAY)
    left, right = candidate_pairs(features)
    grid = levels(features, left, right)
    rng = np.random.default_rng(1)
    rl, rr = rng.integers(0, features.n, 2000), rng.integers(0, features.n, 2000)
    keep = rl != rr
    params = train(grid, levels(features, rl[keep], rr[keep]), total_pairs=features.n**2 / 2)
    tables = params.weight_tables()
    assert tables[2][3] > 0 > tables[2][1]  # CNIC: the same for, different against
    assert 0 < params.prior < 1
