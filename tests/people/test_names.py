# ruff: noqa: RUF001 -- Urdu letters are the subject of these tests
"""Name normalisation: both scripts, the romanised variants, and one key space for both."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from madad.core.names import (
    canonical_words,
    name_keys,
    name_tokens,
    normalise_roman,
    normalise_urdu,
    skeleton,
    split_aliases,
)

ZWNJ, ZWJ, ZWSP, LRM, RLM, BOM = "\u200c", "\u200d", "\u200b", "\u200e", "\u200f", "\ufeff"


# --- Urdu script ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("علي", "علی"),  # Arabic yeh
        ("مصطفى", "مصطفی"),  # alef maksura
        ("كامران", "کامران"),  # Arabic kaf
        ("فاطمه", "فاطمہ"),  # Arabic heh
        ("فاطمة", "فاطمہ"),  # teh marbuta
        ("فاطمۃ", "فاطمہ"),  # Urdu teh marbuta goal
    ],
)
def test_arabic_letter_variants_become_the_urdu_letter(typed: str, expected: str) -> None:
    assert normalise_urdu(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("أحمد", "احمد"),  # alef with hamza above
        ("إبراہیم", "ابراہیم"),  # alef with hamza below
        ("آصف", "اصف"),  # alef with madda
        ("داؤد", "داود"),  # waw with hamza
        ("عائشہ", "عایشہ"),  # yeh with hamza
        ("ضیاء", "ضیا"),  # standalone hamza
    ],
)
def test_hamza_forms_become_their_base_letter(typed: str, expected: str) -> None:
    assert normalise_urdu(typed) == expected


def test_diacritics_are_removed() -> None:
    assert normalise_urdu("مُحَمَّد") == "محمد"
    assert normalise_urdu("عیسیٰ") == "عیسی"  # superscript alef
    assert normalise_urdu("نورِ عالم") == "نور عالم"  # zer of the izafat
    assert normalise_urdu("اَللّٰہ") == "اللہ"


@pytest.mark.parametrize("invisible", [ZWNJ, ZWJ, ZWSP, LRM, RLM, BOM, "\u2066", "\u00ad"])
def test_zero_width_and_direction_characters_are_removed(invisible: str) -> None:
    assert normalise_urdu(f"مح{invisible}مد") == "محمد"


def test_tatweel_is_removed() -> None:
    assert normalise_urdu("محــــمد") == "محمد"


def test_presentation_forms_are_unfolded() -> None:
    assert normalise_urdu("\ufee3\ufea4\ufee4\ufeaa") == "محمد"  # م ح م د as glyph forms


def test_eastern_digits_and_arabic_punctuation_are_plain() -> None:
    assert normalise_urdu("سیکٹر ۱۱، اورنگی") == "سیکٹر 11 اورنگی"
    assert normalise_urdu("٤٢") == "42"


def test_do_chashmi_he_stays_a_letter_of_its_own() -> None:
    assert normalise_urdu("کھوکھر") == "کھوکھر"


# --- Romanised --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "spelling",
    [
        "Muhammad",
        "Mohammad",
        "Mohammed",
        "Muhammed",
        "Mohamed",
        "Mohamad",
        "Mohd",
        "Mohd.",
        "Md",
        "Md.",
        "MUHAMMAD",
        "muhammad",
    ],
)
def test_every_spelling_of_muhammad_is_one_word(spelling: str) -> None:
    assert normalise_roman(spelling) == "muhammad"


@pytest.mark.parametrize("spelling", ["Syed", "Sayed", "Saiyid", "Sayyid", "Sayyed", "SYED"])
def test_every_spelling_of_syed_is_one_word(spelling: str) -> None:
    assert normalise_roman(spelling) == "syed"


@pytest.mark.parametrize(
    "spelling",
    [
        "Nizamuddin",
        "Nizam-ud-din",
        "Nizam ud Din",
        "Nizam-ud-Deen",
        "Nizamuddeen",
        "Nizam Uddin",
        "Nizam al-Din",
    ],
)
def test_every_spelling_of_uddin_is_one_form(spelling: str) -> None:
    assert normalise_roman(spelling) == "nizam uddin"


@pytest.mark.parametrize(
    "spelling",
    [
        "Abdul Rehman",
        "Abdul-Rehman",
        "Abdulrehman",
        "Abd al-Rehman",
        "Abd-ul-Rehman",
        "Abdur Rehman",
        "Abdur-Rehman",
        "Abdurrehman",
        "Abd ur Rehman",
    ],
)
def test_every_spelling_of_abdul_is_abd_and_the_rest(spelling: str) -> None:
    assert normalise_roman(spelling) == "abd rehman"


@pytest.mark.parametrize("spelling", ["Abdullah", "Abdulla", "Abd Allah", "Abd-Allah", "Abdallah"])
def test_abdullah_is_abd_and_ullah(spelling: str) -> None:
    assert normalise_roman(spelling) == "abd ullah"


@pytest.mark.parametrize(
    "spelling", ["Rahmatullah", "Rahmat Ullah", "Rahmat-ullah", "Rahmat Allah"]
)
def test_ullah_is_a_word_of_its_own(spelling: str) -> None:
    assert normalise_roman(spelling) == "rahmat ullah"


def test_case_accents_and_punctuation_are_ignored() -> None:
    assert normalise_roman("  ÁLÎ,   (Khán)!! ") == "ali khan"


@pytest.mark.parametrize(
    "honorific",
    [
        "Mr",
        "Mrs.",
        "Dr.",
        "Haji",
        "Hafiz",
        "Sahib",
        "Sahab",
        "Janab",
        "Begum",
        "Bibi",
        "Maulana",
        "Marhoom",
        "Prof.",
    ],
)
def test_honorifics_are_dropped(honorific: str) -> None:
    assert normalise_roman(f"{honorific} Ayesha Khan") == "ayesha khan"
    assert normalise_roman(f"Ayesha Khan {honorific}") == "ayesha khan"


@pytest.mark.parametrize("kept", ["Sheikh", "Mian", "Malik", "Mirza", "Khan", "Chaudhry"])
def test_titles_that_are_also_family_names_are_kept(kept: str) -> None:
    assert kept.lower() in normalise_roman(f"{kept} Ayesha")


def test_relation_markers_and_connectors_are_dropped() -> None:
    assert normalise_roman("Ali s/o Ahmed") == "ali ahmed"
    assert normalise_roman("Amna d/o Karim") == "amna karim"
    assert normalise_roman("Muhammad bin Qasim") == "muhammad qasim"


def test_initials_and_the_izafat_are_dropped() -> None:
    assert normalise_roman("M. A. Jinnah") == "jinnah"
    assert normalise_roman("Noor-e-Alam") == "noor alam"


def test_urdu_words_are_not_part_of_the_romanised_form() -> None:
    assert normalise_roman("Ali علی") == "ali"


# --- One key space for both scripts -----------------------------------------------------------
SAME_PERSON = [
    [
        "Muhammad Ali",
        "محمد علی",
        "Mohd. Ali",
        "ali, Mohammed",
        "محمد علي",
        "مُحمّد علی",
        f"محمد{ZWNJ} علی{ZWSP}",
        "ALI MUHAMMAD",
        "Md Ali",
    ],
    ["Syed Abdul Rehman", "سید عبدالرحمن", "Sayyid Abd-ur-Rehman", "Abdurrehman Syed"],
    ["Ayesha Khan", "عائشہ خان", "Aisha Khan", "Mrs. Ayesha Khan"],
    ["Nizamuddin", "نظام الدین", "Nizam-ud-Din", "نظامالدین"],
    ["Abdullah", "عبداللہ", "عبد اللہ", "Abd Allah"],
    ["Ahsanullah Khokhar", "احسان اللہ کھوکھر", "Ahsan Ullah Khokhar"],
    ["Inam-ul-Haq", "انعام الحق", "Inam ul Haq"],
    ["Fatima Bibi", "فاطمہ بی بی", "Fatimah", "فاطمة"],
    ["Usman Ghani", "عثمان غنی", "Osman Ghani"],
    ["Tariq Siddiqui", "طارق صدیقی", "Tarik Siddiqi"],
    ["Zia-ud-Din Chaudhry", "ضیاءالدین چوہدری", "Ziauddin Chaudhary"],
    ["Shah Faisal", "شاہ فیصل", "Shah Faysal"],
    ["Qurat-ul-Ain", "قرۃ العین", "Qurrat ul Ain"],
    ["Waqas Yousuf", "وقاص یوسف", "Waqas Yusuf"],
    ["Bushra Akhtar", "بشریٰ اختر", "Bushra Akhter"],
]


@pytest.mark.parametrize("spellings", SAME_PERSON, ids=lambda s: s[0])
def test_one_person_spelt_many_ways_in_two_scripts_has_one_set_of_tokens(
    spellings: list[str],
) -> None:
    tokens = {tuple(name_tokens(spelling)) for spelling in spellings}
    assert len(tokens) == 1, dict(zip(spellings, map(name_tokens, spellings), strict=True))
    assert tokens != {()}


DIFFERENT_PEOPLE = [
    ("Muhammad", "Mahmood"),
    ("محمد", "محمود"),
    ("Ahmed", "Hamid"),
    ("احمد", "حامد"),
    ("Abdul Rehman", "Abid Rehman"),
    ("Syed", "Saeed"),
    ("سید", "سعید"),
    ("Ahsanullah", "Ahsan Ali"),
    ("Imran Khan", "Imran Khalid"),
    ("Ayesha", "Asia"),
    ("Bilal", "Iqbal"),
    ("Tariq", "Tahir"),
    ("Nizamuddin", "Nizam Din"),
    ("Rukhsana", "Rehana"),
]


@pytest.mark.parametrize(("one", "other"), DIFFERENT_PEOPLE)
def test_different_names_keep_different_tokens(one: str, other: str) -> None:
    assert name_tokens(one) != name_tokens(other)


def test_tokens_are_sorted_and_distinct() -> None:
    assert name_tokens("Ali Ali Muhammad") == ["'l", "muhammad"]


def test_a_word_starting_with_a_vowel_keeps_a_mark_for_it() -> None:
    assert skeleton("ahmed") == "'hmd" and skeleton("احمد") == "'hmd"
    assert skeleton("hamid") == "hmd" and skeleton("حامد") == "hmd"


@pytest.mark.parametrize(
    ("roman", "urdu"),
    [
        ("khalid", "خالد"),
        ("khokhar", "کھوکھر"),
        ("ghulam", "غلام"),
        ("shahid", "شاہد"),
        ("chaman", "چمن"),
        ("qasim", "قاسم"),
        ("kasim", "قاسم"),
        ("zafar", "ظفر"),
        ("sabir", "صابر"),
        ("tahir", "طاہر"),
        ("bhatti", "بھٹی"),
    ],
)
def test_letters_that_sound_alike_share_a_symbol(roman: str, urdu: str) -> None:
    assert skeleton(roman) == skeleton(urdu)


def test_a_final_h_is_silent_in_both_scripts() -> None:
    assert skeleton("fatimah") == skeleton("fatima") == skeleton("فاطمہ") == "ftm"


def test_a_name_of_nothing_but_honorifics_has_no_tokens() -> None:
    assert name_tokens("Mr. Haji Sahib") == []
    assert name_tokens("جناب حاجی صاحب") == []
    assert name_tokens("") == []


def test_keys_are_the_tokens_and_the_whole_name() -> None:
    assert name_keys("Muhammad Ali") == {"'l", "muhammad", "='l muhammad"}
    assert name_keys("محمد علی") == name_keys("Ali Mohd")
    assert name_keys("Ali") == {"'l"}


def test_canonical_words_keep_each_script() -> None:
    assert canonical_words("Mohd. Ali علی") == ["muhammad", "ali", "علی"]


def test_aliases_are_split_on_lines_and_commas() -> None:
    assert split_aliases("Mohd Ali\nM. Ali, علی؛ Ali Bhai\n\n") == [
        "Mohd Ali",
        "M. Ali",
        "علی",
        "Ali Bhai",
    ]


@given(st.text(max_size=60))
def test_any_text_gives_tokens_without_failing(text: str) -> None:
    tokens = name_tokens(text)
    assert tokens == sorted(set(tokens))
    assert all(token and " " not in token for token in tokens)


@given(
    st.lists(
        st.sampled_from(
            ["Muhammad", "Ali", "Khan", "علی", "احمد", "Syed", "Abdul", "Rehman", "Mohd", "فاطمہ"]
        ),
        min_size=1,
        max_size=5,
    ),
    st.randoms(),
)
def test_word_order_never_matters(words: list[str], rng: random.Random) -> None:
    shuffled = list(words)
    rng.shuffle(shuffled)
    assert name_tokens(" ".join(words)) == name_tokens(" ".join(shuffled))
