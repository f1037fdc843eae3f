"""The blind-indexed search keys of an incident's working title (models.IncidentTitleKey).

The title may name people, so it is encrypted; a search compares keyed hashes of its words
instead. A word is taken as its canonical token (core.names: case, diacritics, script and
common spelling variants folded, "Mohd" finds "Muhammad"); a run of digits as itself. Kept free
of models, so that a data migration can build keys with its historical models.
"""

from __future__ import annotations

import re

from madad.core.crypto import blind_index
from madad.core.names import name_tokens
from madad.core.validation import ascii_digits

PURPOSE = "incident_title"
_DIGITS = re.compile(r"[0-9]+")


def title_tokens(text: str) -> set[str]:
    tokens = set(name_tokens(text))
    tokens.update("#" + digits for digits in _DIGITS.findall(ascii_digits(text)))
    return tokens


def title_keys(text: str) -> set[str]:
    """The keys stored for a title."""
    return {blind_index(token, purpose=PURPOSE) for token in title_tokens(text)}
