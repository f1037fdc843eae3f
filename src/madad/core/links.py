"""The foreign keys every app declares the same way, written once.

A link is protected by default (deleting the target is refused while it is referenced) and has no
reverse accessor (`related_name="+"`) unless one is named. A nullable link is also optional in
forms (`null=True, blank=True`); there is no nullable link that forms must fill in.

Core imports no app at run time: the user model is `settings.AUTH_USER_MODEL` and the
organisation is named by string; the imports below only give the links their types.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from madad.accounts.models import Organisation, User

M = TypeVar("M", bound=models.Model)
OnDelete = Callable[..., None]


def _options(
    verbose_name: StrOrPromise | None,
    related_name: str,
    on_delete: OnDelete,
    null: bool,
) -> dict[str, Any]:
    options: dict[str, Any] = {"on_delete": on_delete, "related_name": related_name}
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    if null:
        options.update(null=True, blank=True)
    return options


@overload
def link(
    to: type[M],
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[False] = False,
) -> models.ForeignKey[M, M]: ...
@overload
def link(
    to: type[M],
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[True],
) -> models.ForeignKey[M | None, M | None]: ...
@overload
def link(
    to: str,
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
) -> models.ForeignKey[Any, Any]: ...
def link(
    to: type[models.Model] | str,
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
) -> models.ForeignKey[Any, Any]:
    """A foreign key to `to` (a model, or "app.Model" where importing it would be circular)."""
    return models.ForeignKey(to, **_options(verbose_name, related_name, on_delete, null))


@overload
def user_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[False] = False,
) -> models.ForeignKey[User, User]: ...
@overload
def user_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[True],
) -> models.ForeignKey[User | None, User | None]: ...
def user_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
) -> models.ForeignKey[Any, Any]:
    """A foreign key to the user who did something ("recorded by", "decided by", ...)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, **_options(verbose_name, related_name, on_delete, null)
    )


@overload
def organisation_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[False] = False,
) -> models.ForeignKey[Organisation, Organisation]: ...
@overload
def organisation_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: Literal[True],
) -> models.ForeignKey[Organisation | None, Organisation | None]: ...
def organisation_link(
    verbose_name: StrOrPromise | None = None,
    *,
    related_name: str = "+",
    on_delete: OnDelete = models.PROTECT,
    null: bool = False,
) -> models.ForeignKey[Any, Any]:
    """A foreign key to an organisation (the owner of a record, a partner, a recipient)."""
    return models.ForeignKey(
        "accounts.Organisation", **_options(verbose_name, related_name, on_delete, null)
    )
