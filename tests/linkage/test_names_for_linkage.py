"""Name normalisation as record linkage needs it: honorifics of official records, romanised
variants, and the two scripts meeting in one key space (people.names)."""

from __future__ import annotations

import pytest

from madad.core.names import name_tokens


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mst. Rukhsana Bibi", "Rukhsana"),  # FIRs write women's names with Mussammat
        ("مسماۃ رخسانہ خاتون", "Rukhsana"),
        ("Ch. Aslam", "Chaudhry Aslam"),
        ("Syeda Fatima", "Syed Fatima"),
        ("Muhammad Ali urf Billa", "Muhammad Ali Billa"),
        ("Azhar", "اظہر"),  # romanised "zh" is z + h
        ("Mazhar", "مظہر"),
        ("Nighat", "نگہت"),  # a medial گہ is "gh"
        ("Hussain", "حسین"),
        ("Qureshi", "قریشی"),
        ("Mohd. Yousuf", "محمد یوسف"),
        ("Yusuf", "یوسف"),
        ("Zia-ud-Din", "ضیاءالدین"),
        ("Abdul Rehman", "عبدالرحمن"),
    ],
)
def test_both_spellings_meet_in_one_key_space(one: str, other: str) -> None:
    assert name_tokens(one) == name_tokens(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ahmed", "Hamid"),
        ("Rukhsana", "Rehana"),
        ("Zubair", "Zafar"),
    ],
)
def test_different_names_stay_apart(one: str, other: str) -> None:
    assert name_tokens(one) != name_tokens(other)


def test_the_arabic_code_points_of_a_keyboard_do_not_matter() -> None:
    assert name_tokens("نگهت قريشي") == name_tokens("نگہت قریشی")
