"""Model fields whose values are encrypted at rest (see core.crypto).

Only equality with NULL can be queried on them; any other lookup is refused, because it would
silently compare ciphertexts. Exact lookups go through a blind-index column instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

from madad.core import crypto

if TYPE_CHECKING:
    _Text = models.TextField[str, str]
    _Exact = Exact[Any]
else:
    _Text = models.TextField
    _Exact = Exact


class EncryptedTextField(_Text):
    """Text stored as a Fernet ciphertext. Empty strings stay empty (nothing to hide)."""

    sensitive = True
    description = "Encrypted text"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in ("isnull", "exact"):
            raise FieldError(f"An encrypted field cannot be filtered with '{lookup_name}'.")
        if lookup_name == "exact":
            return _EmptyOnlyExact
        return super().get_lookup(lookup_name)


class _EmptyOnlyExact(_Exact):
    """`field=""` works (it is stored as ""); equality with anything else is meaningless."""

    def get_db_prep_lookup(self, value: Any, connection: Any) -> Any:
        if value not in ("", None):
            raise FieldError("An encrypted field can only be compared with an empty value.")
        return ("%s", [value])


def sensitive_field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.get_fields() if getattr(f, "sensitive", False)]
