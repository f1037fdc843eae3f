"""The blind-indexed name keys of a person (people.models.PersonNameKey).

Kept free of models so that a data migration can build keys with its historical models.
"""

from __future__ import annotations

from madad.core.crypto import blind_index
from madad.core.names import name_keys, name_tokens, split_aliases

NAME = "name"
FATHER_NAME = "father_name"


def person_name_keys(
    *,
    given_name: str = "",
    family_name: str = "",
    full_name_ur: str = "",
    aliases: str = "",
    father_name: str = "",
) -> set[tuple[str, str]]:
    """(purpose, blind-index key) pairs for every search key of the person's names. The
    romanised name is taken whole (given then family name), the Urdu-script name whole, and
    each alias on its own; the father's name has a purpose of its own."""
    names = [
        f"{given_name or ''} {family_name or ''}",
        full_name_ur or "",
        *split_aliases(aliases or ""),
    ]
    keys = {(NAME, blind_index(key, purpose=NAME)) for text in names for key in name_keys(text)}
    keys |= {
        (FATHER_NAME, blind_index(key, purpose=FATHER_NAME)) for key in name_keys(father_name or "")
    }
    return keys


def query_keys(text: str, *, purpose: str = NAME) -> set[str]:
    """The keys a search for `text` must all find: one per token, in any order."""
    return {blind_index(token, purpose=purpose) for token in name_tokens(text)}
