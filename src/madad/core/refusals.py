"""The one way a service says no.

A service refuses by raising a `Refused`; its kind decides the answer, once for every
interface: the API maps it in `madad.api.errors`, HTML views with `madad.core.forms.form_errors`.

| kind         | when                                               | HTTP |
|--------------|----------------------------------------------------|------|
| `Invalid`    | the input is wrong (by field, where there is one)  | 422  |
| `NotAllowed` | this user may not do this                          | 403  |
| `NotVisible` | the record does not exist for this user            | 404  |
| `Conflict`   | the record's state does not allow it, or it moved  | 409  |

`code` is stable and machine-readable (clients branch on it); `message` says, translated, what
is wrong and what to do instead. Django's own `ValidationError` (model `full_clean`) is read as
`Invalid` by both handlers, through `Refused.from_validation_error`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Fields = dict[str, list[str]]

# A key of `fields` for problems that belong to no one field (Django's own name for it).
WHOLE = NON_FIELD_ERRORS


class Refused(Exception):
    """An action a service will not carry out. Nothing was written."""

    status: ClassVar[int] = 422
    default_code: ClassVar[str] = "invalid"
    default_message: ClassVar[str | Promise] = gettext_lazy("The request has errors.")

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.message = str(message if message is not None else self.default_message)
        self.code = code or self.default_code
        self.fields: Fields = {
            name: [str(m) for m in messages] for name, messages in (fields or {}).items()
        }
        super().__init__(self.message)

    @staticmethod
    def from_validation_error(exc: ValidationError) -> Invalid:
        if hasattr(exc, "error_dict"):
            fields = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        else:
            fields = {WHOLE: [str(m) for m in exc.messages]}
        return Invalid(fields=fields)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, fields={sorted(self.fields)!r})"


class Invalid(Refused):
    """The input is wrong; `fields` names where."""


class NotAllowed(Refused):
    """The user may not do this (their role, or the four-eyes rule)."""

    status = 403
    default_code = "forbidden"
    default_message = gettext_lazy("You may not do this.")


class NotVisible(Refused):
    """The record does not exist for this user (records of other organisations included)."""

    status = 404
    default_code = "not_found"
    default_message = gettext_lazy("Not found.")


class Conflict(Refused):
    """The record's current state does not allow this, or it changed meanwhile."""

    status = 409
    default_code = "conflict"
    default_message = gettext_lazy("This cannot be done in the record's current state.")


class Stale(Conflict):
    """The record changed since the caller read it (its version moved on)."""

    default_code = "stale"
    default_message = gettext_lazy(
        "Somebody else changed this record after you opened it. Nothing was saved: reload it "
        "to see the current version, then try again."
    )


class Errors:
    """Collects every problem with an input, so that a service reports them all at once and
    writes nothing: `errors.add(field, message)`, then `errors.raise_if()`."""

    def __init__(self) -> None:
        self.fields: Fields = {}

    def add(self, field: str, message: str) -> None:
        self.fields.setdefault(field, []).append(str(message))

    def update(self, other: Mapping[str, Iterable[str]], *, prefix: str = "") -> None:
        for name, messages in other.items():
            for message in messages:
                self.add(f"{prefix}{name}", message)

    def __contains__(self, field: object) -> bool:
        return field in self.fields

    def __bool__(self) -> bool:
        return bool(self.fields)

    def raise_if(self) -> None:
        if self.fields:
            raise Invalid(fields=self.fields)


def invalid(field: str, message: str) -> Invalid:
    """A refusal of one field's value."""
    return Invalid(fields={field: [message]})


def not_allowed(message: str | None = None, *, code: str | None = None) -> NotAllowed:
    return NotAllowed(message if message is not None else _("You may not do this."), code=code)
