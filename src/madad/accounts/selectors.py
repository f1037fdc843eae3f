"""Reads about users."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from madad.accounts.models import RoleRequest, User


def users_with_standing(users: QuerySet[User]) -> QuerySet[User]:
    """The users, each with what the users page and `madad users list` show beside them:
    `has_two_factor` (an authenticator app is set up) and `role_waiting` (the role asked for
    them and waiting for a second person's approval, or None)."""
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    waiting = RoleRequest.objects.filter(user=OuterRef("pk"), status=RoleRequest.Status.PENDING)
    return users.select_related("organisation").annotate(
        has_two_factor=Exists(totp), role_waiting=Subquery(waiting.values("role")[:1])
    )
