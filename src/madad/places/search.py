"""Finding places by name, in English or Urdu, whatever the case, diacritics or spelling.

A place keeps `search_text`: every word of both its names, folded (lower case, no accents or
Urdu diacritics, Arabic letter variants unified), and each word's consonant skeleton marked
with "~" (people.names.skeleton), so that "Gulistan-e-Johar" finds "Gulistan-e-Jauhar" and
"ناظم" finds "Nazimabad". A query word matches the start of a word, so typing is enough.
"""

from __future__ import annotations

import re

from django.db.models import Q

from madad.core.names import normalise_urdu, skeleton

_WORD = re.compile(r"[a-z0-9]+|[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]+")
_SKELETON_MARK = "~"


def folded_words(text: str) -> list[str]:
    """The words of a place name, folded; single Latin letters (the "e" of "Gulshan-e-Iqbal")
    are left out."""
    words = _WORD.findall(normalise_urdu(text).casefold())
    return [w for w in words if len(w) > 1 or w.isdigit()]


def _skeleton(word: str) -> str:
    return "" if word.isdigit() else skeleton(word)


def place_search_text(name: str, name_ur: str) -> str:
    """What `search_text` holds for a place with these names."""
    words: set[str] = set()
    for word in folded_words(name) + folded_words(name_ur):
        words.add(word)
        shape = _skeleton(word)
        if shape:
            words.add(_SKELETON_MARK + shape)
    return " " + " ".join(sorted(words)) + " " if words else ""


def place_query(text: str) -> Q | None:
    """A filter for places whose names match every word of `text`, or None when the text has
    no word to search for."""
    words = folded_words(text)[:8]
    if not words:
        return None
    query = Q()
    for word in words:
        match = Q(search_text__contains=" " + word)
        shape = _skeleton(word)
        if len(shape) >= 2 and shape != word:
            match |= Q(search_text__contains=f" {_SKELETON_MARK}{shape}")
        query &= match
    return query
