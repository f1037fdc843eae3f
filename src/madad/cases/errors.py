"""What the case services answer when they refuse an action for a reason other than bad input
(bad input is a ValidationError by field)."""

from __future__ import annotations

from django.utils.translation import gettext as _


class CaseRefused(Exception):
    """An action the case's state, the four-eyes rule or a concurrent change does not allow.

    `code` is stable and machine-readable; `message` says what to do instead.
    """

    # code → whether it is a conflict with the current state (True) or a matter of who asks
    CONFLICTS = frozenset(
        {
            "invalid_transition",
            "approval_needed",
            "pending_exists",
            "already_decided",
            "stale",
            "active_case_exists",
            "closed",
            "already_done",
        }
    )

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message

    @property
    def is_conflict(self) -> bool:
        return self.code in self.CONFLICTS


def stale() -> CaseRefused:
    return CaseRefused(
        "stale",
        _(
            "Somebody else changed this case after you opened it. Nothing was saved: reload it "
            "to see the current version, then try again."
        ),
    )


def closed() -> CaseRefused:
    return CaseRefused("closed", _("The case is closed. Reopen it first."))
