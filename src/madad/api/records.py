"""The records an API request names, found the same way by every app: a record its path names
is 404 when the caller may not see it and 403 when they may not change it; a record its body
names is refused on that field (422)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import Model
from django.utils.functional import Promise

from madad import access
from madad.accounts.models import User
from madad.core.http import AuthedRequest
from madad.core.refusals import NotAllowed, NotVisible, invalid

M = TypeVar("M", bound=Model)


class PathRecords(Generic[M]):
    """The records of one kind that API paths name by number.

    `may_see` says whether records of this kind exist at all for a user (404 for everything
    when not); `may_not_change` is the message of the 403 when the caller may see a record
    but not change it."""

    def __init__(
        self,
        model: type[M],
        *,
        may_not_change: str | Promise,
        may_see: Callable[[User], bool] | None = None,
    ) -> None:
        self.model = model
        self.may_see = may_see
        self.may_not_change = may_not_change

    def caller(self, request: AuthedRequest) -> User:
        """The caller, if records of this kind exist for them at all; 404 otherwise."""
        if self.may_see is not None and not self.may_see(request.user):
            raise NotVisible()
        return request.user

    def visible(self, request: AuthedRequest, pk: int, **where: Any) -> M:
        return access.get_visible_or_404(self.caller(request), self.model, pk=pk, **where)

    def changeable(self, request: AuthedRequest, pk: int) -> M:
        record = self.visible(request, pk)
        if not access.can_change(request.user, record):
            raise NotAllowed(str(self.may_not_change))
        return record


def named(user: User, model: type[M], pk: int, field: str, message: str) -> M:
    """The record a request body names in `field`, or a refusal of that field if the caller may
    not see it."""
    found = access.visible_to(user, model).filter(pk=pk).first()
    if found is None:
        raise invalid(field, message)
    return found
