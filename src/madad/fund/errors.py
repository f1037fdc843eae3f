"""What the fund's services answer when they refuse an action for a reason other than bad
input (bad input is a ValidationError by field)."""

from __future__ import annotations


class FundRefused(Exception):
    """An action the books do not allow: money that is not there, assistance that is not
    approved, an entry already reversed, a role that may not change the fund.

    `code` is stable and machine-readable; `message` says what is wrong and what to do.
    """

    CONFLICTS = frozenset(
        {
            "insufficient_funds",
            "not_approved",
            "already_paid",
            "already_reversed",
            "not_reversible",
            "stale",
            "receipt_confirmed",
        }
    )

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def is_conflict(self) -> bool:
        return self.code in self.CONFLICTS
