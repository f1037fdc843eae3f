"""Ending a user's access at once: their API tokens and their open sessions.

An account that locks, a user an administrator deactivates and a user whose two-factor sign-in
is reset lose their API tokens for good: unlocking or reactivating them brings no old token
back, a new one must be issued (with the password and a two-factor code). Both functions join
the caller's transaction.
"""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from madad.accounts.models import ApiToken, User
from madad.core.audit import audit_record


def api_tokens_revoke_all(*, user: User, actor: User | None, actor_label: str = "") -> int:
    """Revokes every token of the user not revoked yet, and returns how many. When there were
    any, one audit event names how many (object type accounts.apitoken, the count as its id,
    as a bulk change is recorded elsewhere in Madad); the event the caller records just before
    it names the user."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked:
        audit_record(
            action="auth.api_tokens.revoked",
            actor=actor,
            actor_label=actor_label,
            organisation=user.organisation,
            object_type=ApiToken._meta.label_lower,
            object_id=str(revoked),
        )
    return revoked


def sessions_end(*, user: User) -> int:
    """Deletes every unexpired session signed in as the user, and returns how many: their
    browsers are signed out at their next request. Sessions are kept in the database
    (Django's default engine, or cached_db); another engine stops here loudly rather than
    leave sessions open."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = store.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for session in sessions.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended
