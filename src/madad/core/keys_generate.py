"""`madad keys generate`: new secrets, printed as environment lines, before Django starts."""

from __future__ import annotations

import argparse

from madad.core import secret_keys


def parser() -> argparse.ArgumentParser:
    made = argparse.ArgumentParser(
        prog="madad keys generate",
        description=(
            "Print a new MADAD_SECRET_KEY, MADAD_FIELD_KEYS and MADAD_BLIND_INDEX_KEY as "
            "NAME=value lines for an environment file (the same on every machine). Works in "
            "any mode and without any secret set; writes nothing."
        ),
    )
    made.add_argument(
        "--field-key",
        action="store_true",
        help="Print one new field-encryption key only (to rotate: put it first in "
        "MADAD_FIELD_KEYS, then run `madad keys rotate`).",
    )
    return made


def text(*, field_key: bool) -> str:
    if field_key:
        return secret_keys.new_field_key() + "\n"
    return secret_keys.environment_lines(secret_keys.generate())


def main(argv: list[str]) -> int:
    options = parser().parse_args(argv)
    print(text(field_key=options.field_key), end="")
    return 0
