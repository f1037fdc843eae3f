"""Case teams: caseworkers who cover each other's cases (MADAD_CASE_VISIBILITY=team)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from madad.accounts.models import Organisation, User
from madad.cases.models import Team
from madad.core import validation as check
from madad.core.audit import audit_record
from madad.core.refusals import Errors, invalid


def team_create(*, organisation: Organisation, name: str, created_by: User) -> Team:
    """A team of the organisation, its name unique there."""
    errs = Errors()
    name = check.text(name, "name", errs, max_length=100, required=True)
    errs.raise_if()
    try:
        with transaction.atomic():
            team = Team.objects.create(organisation=organisation, name=name)
            audit_record(action="case.team.created", actor=created_by, obj=team, fields=["name"])
    except IntegrityError:
        raise invalid("name", _("A team with this name exists already.")) from None
    return team


def team_members_set(*, team: Team, members: list[User], changed_by: User) -> Team:
    """Sets who is in the team: active users of the team's organisation only."""
    if any(m.organisation_id != team.organisation_id or not m.is_active for m in members):
        raise invalid("members", _("Choose active colleagues of your organisation."))
    with transaction.atomic():
        team.members.set(members)
        audit_record(
            action="case.team.members.changed", actor=changed_by, obj=team, fields=["members"]
        )
    return team
