# ruff: noqa: RUF001, RUF002, RUF003 -- Urdu letters are the subject of this module
"""Name normalisation, shared by person search and record linkage.

The same person reaches Madad spelt many ways in two scripts: "Muhammad Ali", "Mohd. Ali",
"ALI, Mohammed", "محمد علی", "مُحمّد علي". Everything here maps a name into one space where
those agree:

1. **Urdu script** (`normalise_urdu`): Arabic and Urdu code points for the same letter become the
   Urdu one (ي ى → ی, ك → ک, ه ۃ ة → ہ), hamza carriers become their base letter (أ إ آ → ا,
   ؤ → و, ئ → ی, ۂ → ہ), a standalone hamza (ء) goes, and so do diacritics (harakat, shadda,
   superscript alef, Quranic marks), tatweel and zero-width or direction characters. Eastern
   digits become ASCII ones.
2. **Romanised** (`normalise_roman`): lower case, accents and punctuation gone; Muhammad's many
   spellings and abbreviations (Mohammad, Mohammed, Muhammed, Mohd, Md, ...) become
   "muhammad"; Syed/Sayed/Saiyid/Sayyid become "syed"; Abdul/Abdur/Abd al-/Abd-ul become "abd"
   followed by the rest of the name; -uddin/ud-din/uddeen become "uddin" and -ullah/ullah/
   Allah become "ullah" as words of their own; honorifics and connectors are dropped.
3. **One key space** (`name_tokens`): every word, in either script, becomes a *consonant
   skeleton*: short vowels are not written in Urdu, so vowels are dropped on both sides;
   letters that sound alike map to one symbol (س ص ث and s → s; ز ذ ض ظ and z → z;
   ت ط ٹ and t → t; ق ک and q k c → k; خ کھ and kh → K; غ گھ and gh → G; ش and sh → x).
   A word that starts with a vowel (alif, ain, or a, e, i, o, u) keeps an apostrophe for it, so
   that "Ahmed" (احمد, 'hmd) stays apart from "Hamid" (حامد, hmd). Doubled letters collapse,
   and a final h (the silent h of "Fatimah", the ہ of "فاطمہ") is dropped. Tokens are sorted,
   so word order does not matter.

Choices, and why:

- **Dropped** as honorifics or titles, never part of who someone is: Mr, Mrs, Ms, Miss, Dr,
  Prof, Engr, Haji/Alhaj, Hafiz, Qari, Maulana, Maulvi, Mufti, Allama, Janab, Sahib/Sahab,
  Mohtaram/Mohtarma, Begum, Bibi, Mst/Mussammat (as in FIRs), Khatoon, Marhoom/Marhooma
  ("the late"), Ustad, and military ranks; connectors bin, binte, ibn, walad, s/o, d/o, w/o
  and urf (a nickname follows); single letters (initials, the izafat "e" of "Noor-e-Alam").
  The same words in Urdu script are dropped too. "Ch." is Chaudhry; Syeda is Syed.
- **Kept**, because they are also family names or given names: Sheikh, Mian, Malik, Mirza,
  Khan, Chaudhry, Syed, Shaheed (a title for the killed, but also the given name Shahid).
- **Known names** whose spellings a skeleton cannot join, or would join with another name,
  have a token of their own: Muhammad (else it would be Mahmood's m-h-m-d), Syed, Chaudhry,
  Qurat; so do the parts "abd", "ullah" and "uddin".
- **Romanised "zh"** is z + h, as in Azhar (اظہر) and Nuzhat (نزہت), not the rare ژ; and a
  medial گہ is the "gh" of Nighat (نگہت).
- **Not merged**: p/b, j/z, f/ph; Hasan and Husain do share a skeleton (h-s-n), as do Naveed
  and Nadia, and Shahid and Shaheed, because the skeleton cannot see the vowels Urdu does not
  write. Search narrows by requiring every typed token; linkage scores the full names after.

`name_keys` adds one key for the whole name (its sorted tokens) to the per-word tokens, for
blocking in record linkage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# --- Urdu script ---------------------------------------------------------------------------
_INVISIBLE = {
    **dict.fromkeys(range(0x200B, 0x2010), None),  # ZWSP, ZWNJ, ZWJ, LRM, RLM
    **dict.fromkeys(range(0x202A, 0x202F), None),  # bidi embeddings and overrides
    **dict.fromkeys(range(0x2060, 0x2065), None),  # word joiner, invisible operators
    **dict.fromkeys(range(0x2066, 0x206A), None),  # bidi isolates
    0xFEFF: None,  # BOM / zero-width no-break space
    0x00AD: None,  # soft hyphen
    0x061C: None,  # Arabic letter mark
    0x0640: None,  # tatweel (kashida)
    0x0621: None,  # standalone hamza: "ضیاء" and "ضیا" are one name
    0x0674: None,  # high hamza
}

_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ۍ": "ی",
        "ێ": "ی",
        "ٸ": "ی",
        "ك": "ک",
        "ڪ": "ک",
        "ه": "ہ",
        "ۃ": "ہ",
        "ة": "ہ",
        "ە": "ہ",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "٠": "0",
        "١": "1",
        "٢": "2",
        "٣": "3",
        "٤": "4",
        "٥": "5",
        "٦": "6",
        "٧": "7",
        "٨": "8",
        "٩": "9",
        "۰": "0",
        "۱": "1",
        "۲": "2",
        "۳": "3",
        "۴": "4",
        "۵": "5",
        "۶": "6",
        "۷": "7",
        "۸": "8",
        "۹": "9",
        "،": " ",
        "؛": " ",
        "؟": " ",
        "۔": " ",
        "٪": " ",
        "٫": " ",
        "٬": " ",
    }
)

_SPACES = re.compile(r"\s+")


def _strip_marks(text: str) -> str:
    """Decompose, then drop every combining mark: harakat, shadda, superscript alef, Quranic
    marks, and the hamza or madda that sits on أ إ آ ؤ ئ ۂ ۓ (leaving their base letter), as
    well as accents on Latin letters."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)


def normalise_urdu(text: str) -> str:
    """Urdu-script text in one canonical spelling (letters, not words, are changed).

    Presentation forms and ligatures are unfolded (NFKC), invisible characters and tatweel
    removed, diacritics stripped, Arabic letter variants unified with the Urdu ones, Eastern
    digits made ASCII and Arabic punctuation made space. Latin text passes through with its
    accents removed.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_INVISIBLE)
    text = _strip_marks(text)
    text = text.translate(_INVISIBLE).translate(_LETTERS)
    return _SPACES.sub(" ", text).strip()


# --- Words in canonical form --------------------------------------------------------------
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")
_WORD = re.compile(r"[a-z]+|[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]+")
_RELATION = re.compile(r"\b[sdwrh]\s*/\s*o\b|\b(?:son|daughter|wife|widow)\s+of\b")

MUHAMMAD = "muhammad"
SYED = "syed"
ABD = "abd"
ULLAH = "ullah"
UDDIN = "uddin"

# Names whose spellings a skeleton cannot bring together (or would confuse with another name:
# Muhammad and Mahmood share m-h-m-d), each with its romanised and Urdu-script forms. Their
# canonical word is used as the token itself.
_KNOWN_NAMES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    MUHAMMAD: (
        frozenset(
            {
                "muhammad",
                "mohammad",
                "mohammed",
                "muhammed",
                "mohamed",
                "mohamad",
                "muhamad",
                "muhamed",
                "mohammod",
                "muhammod",
                "mohammud",
                "muhammadh",
                "mahomed",
                "mohd",
                "muhd",
                "mhd",
                "md",
                "mohmd",
                "mohamd",
                "mohummad",
                "mohummed",
            }
        ),
        frozenset({"محمد"}),
    ),
    SYED: (
        frozenset(
            {
                "syed",
                "sayed",
                "sayyed",
                "sayyid",
                "saiyid",
                "saiyed",
                "sayid",
                "syyed",
                "seyyed",
                "sayad",
                "syd",
                # the feminine form (Syeda) is the same lineage title
                "syeda",
                "sayeda",
                "sayyeda",
                "sayyida",
                "saiyida",
                "seyyeda",
            }
        ),
        frozenset({"سید", "سیّد", "سیدہ"}),
    ),
    "chaudhry": (
        frozenset(
            {
                "chaudhry",
                "chaudhary",
                "chaudhri",
                "chaudhari",
                "choudhry",
                "choudhary",
                "chowdhury",
                "chowdhry",
                "chaudry",
                "chaudri",
                "choudri",
                "chaudary",
                "chodhry",
                "ch",  # "Ch." is only ever Chaudhry
            }
        ),
        frozenset({"چوہدری", "چودھری", "چودہری", "چوھدری"}),
    ),
    "qurat": (
        frozenset({"qurat", "qurrat", "qurrah", "qurra"}),
        frozenset({"قرۃ", "قرة", "قرت", "قرہ"}),
    ),
}
_VERBATIM = frozenset({*_KNOWN_NAMES, ABD, ULLAH, UDDIN})
_HONORIFICS_ROMAN = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mister",
        "dr",
        "doctor",
        "prof",
        "professor",
        "engr",
        "engineer",
        "haji",
        "hajji",
        "alhaj",
        "alhajj",
        "haj",
        "hafiz",
        "hafiza",
        "qari",
        "maulana",
        "molana",
        "moulana",
        "maulvi",
        "molvi",
        "moulvi",
        "mufti",
        "allama",
        "janab",
        "jnab",
        "sahib",
        "sahab",
        "saheb",
        "sb",
        "sahiba",
        "mohtaram",
        "mohtarma",
        "muhtaram",
        "muhtarma",
        "begum",
        "begam",
        "bibi",
        "mst",
        "mussammat",
        "musammat",
        "mussamat",
        "mosammat",
        "khatoon",
        "khatun",
        "marhoom",
        "marhum",
        "marhooma",
        "marhuma",
        "late",
        "ustad",
        "ustaad",
        "capt",
        "captain",
        "col",
        "colonel",
        "maj",
        "major",
        "gen",
        "general",
        "brig",
        "brigadier",
        "lt",
        "sgt",
        "retd",
        "rtd",
        "adv",
        "advocate",
    }
)
# "urf" introduces a nickname ("Muhammad Ali urf Billa"): both names stay, the word goes
_CONNECTORS_ROMAN = frozenset({"bin", "binte", "bint", "binti", "ibn", "walad", "wald", "urf"})
# "al-" and its assimilated forms, and the "-ud-" of "Nizam-ud-din", written as words
_ARTICLES_ROMAN = frozenset(
    {
        "al",
        "ul",
        "el",
        "ur",
        "ar",
        "er",
        "us",
        "as",
        "es",
        "uz",
        "az",
        "ez",
        "ud",
        "ad",
        "ed",
        "un",
        "an",
        "en",
        "ut",
        "at",
        "ush",
        "ash",
        "esh",
        "ir",
        "is",
        "iz",
        "id",
    }
)
_DIN_ROMAN = frozenset({"din", "deen", "dean", "dien", "dden", "ddin", "ddeen"})
_UDDIN_ROMAN = re.compile(
    r"^(?P<stem>[a-z]{2,}?)?(?:uddin|uddeen|uddien|udin|udeen|eddin|eddine|eddeen|aldin|"
    r"aldeen|uldin|uldeen|addin|addeen)$"
)
_ULLAH_ROMAN = re.compile(r"^(?P<stem>[a-z]{2,}?)?(?:ullah|ulla|ullha|allah|ulah)$")
_ALLAH_PREFIX_ROMAN = re.compile(r"^allah(?P<rest>[a-z]{2,})$")
_ABDALLA_ROMAN = re.compile(r"^abd(?:alla|ala|ela|ella|ulla)$")
_ABD_ALONE_ROMAN = re.compile(
    r"^abd(?:ush|ash|ul|ur|us|ut|ud|un|uz|al|ar|as|at|ad|an|az|el|er|es|ed|u|a|e|o)?$"
)

_HONORIFICS_URDU = frozenset(
    normalise_urdu(w)
    for w in (
        "جناب",
        "محترم",
        "محترمہ",
        "مسٹر",
        "مسز",
        "ڈاکٹر",
        "پروفیسر",
        "انجینئر",
        "حاجی",
        "الحاج",
        "حافظ",
        "حافظہ",
        "قاری",
        "مولانا",
        "مولوی",
        "مفتی",
        "علامہ",
        "صاحب",
        "صاحبہ",
        "بیگم",
        "بی",
        "بیبی",
        "مرحوم",
        "مرحومہ",
        "استاد",
        "کیپٹن",
        "کرنل",
        "میجر",
        "جنرل",
        "بریگیڈیئر",
        "ایڈووکیٹ",
        "مسماۃ",
        "مسمات",
        "خاتون",
    )
)
_CONNECTORS_URDU = frozenset(normalise_urdu(w) for w in ("بن", "بنت", "ولد", "زوجہ", "دختر", "عرف"))
_ARTICLE_URDU = "ال"
_ALLAH_URDU = normalise_urdu("اللہ")
_UDDIN_URDU = normalise_urdu("الدین")
_ABD_URDU = normalise_urdu("عبد")
# Urdu names that begin with the letters of the article but are not "al-" + a word
_AL_WORDS_URDU = frozenset(
    normalise_urdu(w)
    for w in (
        "الطاف",
        "الیاس",
        "الماس",
        "الفت",
        "الہی",
        "الٰہی",
        "الہام",
        "الیاسہ",
    )
)


_KNOWN_ROMAN = {form: name for name, (roman, _) in _KNOWN_NAMES.items() for form in roman}
_KNOWN_URDU = {
    normalise_urdu(form): name for name, (_, urdu) in _KNOWN_NAMES.items() for form in urdu
}
_ABD_WITH_ARTICLE = ("ul", "al", "el")  # "abdulaziz": the article before a vowel or anything
_ABD_LINKS = ("u", "a", "e", "o")  # "abdurrahman", "abdussalam": the doubled letter follows


def _is_urdu(word: str) -> bool:
    return bool(_ARABIC_SCRIPT.match(word))


def _prepare(text: str) -> list[str]:
    """Normalised words of either script, relation markers (s/o, d/o, w/o) removed."""
    text = normalise_urdu(text).casefold()
    text = _RELATION.sub(" ", text)
    return _WORD.findall(text)


def _roman_word(word: str) -> list[str]:
    """One romanised word in canonical form: possibly split, possibly dropped."""
    if word in _KNOWN_ROMAN:
        return [_KNOWN_ROMAN[word]]
    if word in _HONORIFICS_ROMAN or word in _CONNECTORS_ROMAN or len(word) < 2:
        return []
    if _ABDALLA_ROMAN.match(word):
        return [ABD, ULLAH]
    match = _ULLAH_ROMAN.match(word)
    if match:
        stem = match.group("stem")
        return [*(_roman_word(stem) if stem else []), ULLAH]
    match = _ALLAH_PREFIX_ROMAN.match(word)
    if match:
        return [ULLAH, *_roman_word(match.group("rest"))]
    match = _UDDIN_ROMAN.match(word)
    if match:
        stem = match.group("stem")
        return [*(_roman_word(stem) if stem else []), UDDIN]
    if _ABD_ALONE_ROMAN.match(word):
        return [ABD]
    if word.startswith(ABD):
        return [ABD, *_roman_word(_after_abd(word[len(ABD) :]))]
    return [word]


def _after_abd(tail: str) -> str:
    """The name after "abd" in one word: "ulaziz" → "aziz", "urrahman" → "rahman",
    "ushshakoor" → "shakoor", "rehman" → "rehman"."""
    for article in _ABD_WITH_ARTICLE:
        if tail.startswith(article) and len(tail) - len(article) >= 3:
            return tail[len(article) :]
    for link in _ABD_LINKS:
        rest = tail[len(link) :]
        if tail.startswith(link) and len(rest) >= 3 and rest[0] not in "aeiou":
            for size in (2, 1):  # the assimilated article: "rr" of "urrahman", "shsh"
                if rest[:size] == rest[size : 2 * size]:
                    return rest[size:]
            return rest
    return tail


def _urdu_word(word: str) -> list[str]:
    """One Urdu-script word in canonical form: possibly split, possibly dropped."""
    if word in _HONORIFICS_URDU or word in _CONNECTORS_URDU or len(word) < 2:
        return []
    if word in _KNOWN_URDU:
        return [_KNOWN_URDU[word]]
    if word == _ALLAH_URDU:
        return [ULLAH]
    if word == _UDDIN_URDU:
        return [UDDIN]
    if word == _ABD_URDU:
        return [ABD]
    if word.endswith(_ALLAH_URDU) and len(word) > len(_ALLAH_URDU) + 1:
        return [*_urdu_word(word[: -len(_ALLAH_URDU)]), ULLAH]
    if word.startswith(_ALLAH_URDU) and len(word) > len(_ALLAH_URDU) + 1:
        return [ULLAH, *_urdu_word(word[len(_ALLAH_URDU) :])]
    if word.endswith(_UDDIN_URDU) and len(word) > len(_UDDIN_URDU) + 1:
        return [*_urdu_word(word[: -len(_UDDIN_URDU)]), UDDIN]
    if word.startswith(_ABD_URDU) and len(word) > len(_ABD_URDU) + 1:
        rest = word[len(_ABD_URDU) :]
        if rest.startswith(_ARTICLE_URDU) and len(rest) > 3:
            rest = rest[len(_ARTICLE_URDU) :]
        return [ABD, *_urdu_word(rest)]
    if word.startswith(_ARTICLE_URDU) and len(word) > 3 and word not in _AL_WORDS_URDU:
        # "الحق" of "انعام الحق", written apart as in "Inam ul Haq"
        return _urdu_word(word[len(_ARTICLE_URDU) :])
    return [word]


def canonical_words(text: str) -> list[str]:
    """The words of a name in canonical form, in the order written, in their own script."""
    words = _prepare(text)
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if _is_urdu(word):
            if word == _ARTICLE_URDU:  # "عبد ال رحمن"
                i += 1
                continue
            out.extend(_urdu_word(word))
        elif word in _ARTICLES_ROMAN:
            if nxt in _DIN_ROMAN:  # "ud din", "al deen"
                out.append(UDDIN)
                i += 2
                continue
            # otherwise the "ul" of "Inam ul Haq" or the "al" of "Abd al Rahman": not a name
        else:
            out.extend(_roman_word(word))
        i += 1
    return out


def normalise_roman(text: str) -> str:
    """A romanised name in canonical spelling: "Mohd. Abd-ul-Rehman (Haji)" →
    "muhammad abd rehman". Words in Urdu script are left out."""
    return " ".join(w for w in canonical_words(text) if not _is_urdu(w))


# --- The shared key space: consonant skeletons -------------------------------------------
_URDU_SOUNDS = {
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ٹ": "t",
    "ث": "s",
    "ج": "j",
    "چ": "c",
    "ح": "h",
    "خ": "K",
    "د": "d",
    "ڈ": "d",
    "ذ": "z",
    "ر": "r",
    "ڑ": "r",
    "ز": "z",
    "ژ": "z",
    "س": "s",
    "ش": "x",
    "ص": "s",
    "ض": "z",
    "ط": "t",
    "ظ": "z",
    "غ": "G",
    "ف": "f",
    "ق": "k",
    "ک": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ں": "n",
    "ہ": "h",
    "ھ": "h",
    # letters of Sindhi, Pashto and Balochi names written in Urdu text
    "ٻ": "b",
    "ڀ": "b",
    "ٺ": "t",
    "ٽ": "t",
    "ټ": "t",
    "ڄ": "j",
    "ڃ": "n",
    "ڇ": "c",
    "ڊ": "d",
    "ڌ": "d",
    "ڍ": "d",
    "ڏ": "d",
    "ډ": "d",
    "ړ": "r",
    "ڙ": "r",
    "ږ": "z",
    "ښ": "x",
    "ڦ": "p",
    "ڳ": "g",
    "ڱ": "n",
    "ګ": "g",
    "ڻ": "n",
    "ڼ": "n",
    "ځ": "z",
    "څ": "s",
}
_URDU_VOWELS = frozenset("اعویے")
_URDU_FINAL_H = frozenset("ہحھ")


def _collapse(symbols: list[str]) -> str:
    out: list[str] = []
    for symbol in symbols:
        if not out or out[-1] != symbol:
            out.append(symbol)
    return "".join(out)


_URDU_INITIAL = {"ا": "'", "ع": "'", "و": "w", "ی": "y", "ے": "y"}
_URDU_ASPIRATED = {"k": "K", "g": "G", "c": "c"}  # کھ is "kh", گھ is "gh", چھ is "ch"


def _urdu_symbol(word: str, i: int, symbols: list[str]) -> bool:
    """Handles the letter at `i` when its sound depends on its neighbours (an initial letter,
    aspiration, the "gh" of a medial ہ after گ); False when it is an ordinary letter."""
    ch = word[i]
    if i == 0 and ch in _URDU_INITIAL:
        symbols.append(_URDU_INITIAL[ch])
        return True
    if ch in _URDU_VOWELS:
        return True
    if ch == "ھ" and symbols and symbols[-1] in _URDU_ASPIRATED:
        symbols[-1] = _URDU_ASPIRATED[symbols[-1]]
        return True
    if ch == "ہ" and 0 < i < len(word) - 1 and word[i - 1] == "گ":
        # "نگہت" is romanised "Nighat": گ before a medial ہ is the "gh" of the Roman side
        symbols[-1] = "G"
        return True
    return False


def _urdu_skeleton(word: str) -> str:
    symbols: list[str] = []
    for i, ch in enumerate(word):
        if _urdu_symbol(word, i, symbols):
            continue
        sound = _URDU_SOUNDS.get(ch)
        if sound:
            symbols.append(sound)
    if len(symbols) > 1 and symbols[-1] == "h" and word[-1] in _URDU_FINAL_H:
        symbols.pop()
    return _collapse(symbols)


_ROMAN_DIGRAPHS = (("chh", "c"), ("sh", "x"), ("kh", "K"), ("gh", "G"), ("ch", "c"), ("ck", "k"))
_ROMAN_SOUNDS = {"q": "k", "c": "k", "x": "ks"}


def _roman_skeleton(word: str) -> str:
    symbols: list[str] = []
    i = 0
    while i < len(word):
        for digraph, sound in _ROMAN_DIGRAPHS:
            if word.startswith(digraph, i):
                symbols.append(sound)
                i += len(digraph)
                break
        else:
            ch = word[i]
            first = i == 0
            if ch in "aeiou":
                if first:
                    symbols.append("'")
            elif ch == "y":
                if first:
                    symbols.append("y")
            elif ch in "wv":
                if first:
                    symbols.append("w")
            else:
                symbols.append(_ROMAN_SOUNDS.get(ch, ch))
            i += 1
    if len(symbols) > 1 and symbols[-1] == "h" and word.endswith("h"):
        symbols.pop()
    return _collapse(symbols)


def skeleton(word: str) -> str:
    """The consonant skeleton of one canonical word, in either script ("" if none)."""
    if word in _VERBATIM:
        return word
    if _is_urdu(word):
        return _urdu_skeleton(word)
    return _roman_skeleton(word)


def name_tokens(text: str) -> list[str]:
    """The name's canonical tokens in the shared (Roman skeleton) space, sorted and distinct:
    "Muhammad Ali", "ali, Mohd." and "محمد علی" all give ["'l", "mhmd"]."""
    tokens = {skeleton(word) for word in canonical_words(text)}
    tokens.discard("")
    return sorted(tokens)


def name_keys(text: str) -> set[str]:
    """Search and blocking keys of a name: each token, and "=" + all tokens for the whole name
    (when it has more than one)."""
    tokens = name_tokens(text)
    keys = set(tokens)
    if len(tokens) > 1:
        keys.add("=" + " ".join(tokens))
    return keys


def split_aliases(text: str) -> list[str]:
    """Aliases are written one per line (or separated by commas or semicolons)."""
    return [part.strip() for part in re.split(r"[\n\r;,،؛]+", text or "") if part.strip()]


def names_tokens(texts: Iterable[str]) -> set[str]:
    """The union of the tokens of several names (a person's name, Urdu name and aliases)."""
    tokens: set[str] = set()
    for text in texts:
        tokens.update(name_tokens(text))
    return tokens
