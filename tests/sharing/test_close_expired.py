"""`madad sharing close-expired`, the daily task: it ends the approved grants whose last day
has passed, records each end, and says what it did."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.sharing.models import Grant, GrantChange
from tests.sharing.conftest import World

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = StringIO()
    call_command("sharing", "close-expired", stdout=out)
    return out.getvalue()


def _past(grant: Grant) -> Grant:
    """The grant as if its time had run out yesterday."""
    today = timezone.localdate()
    Grant.objects.filter(pk=grant.pk).update(
        valid_from=today - dt.timedelta(days=20), valid_until=today - dt.timedelta(days=1)
    )
    grant.refresh_from_db()
    return grant


def test_it_ends_a_grant_whose_last_day_has_passed(
    world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = _past(make_grant())
    printed = _run()
    grant.refresh_from_db()
    assert grant.status == Grant.Status.EXPIRED and grant.ended_at is not None
    change = GrantChange.objects.get(grant=grant, to_status=Grant.Status.EXPIRED)
    assert change.from_status == Grant.Status.APPROVED
    assert AuditEvent.objects.filter(action="grant.expired", object_id=str(grant.pk)).count() == 1
    last_day = grant.valid_until.isoformat()
    assert f"#{grant.pk}" in printed and world.delegation.name in printed
    assert last_day in printed
    assert printed.strip().endswith("1 grant ended.")


def test_it_leaves_a_grant_in_force_alone(world: World, make_grant: Callable[..., Grant]) -> None:
    in_force = make_grant()
    ended = _past(make_grant())
    printed = _run()
    in_force.refresh_from_db()
    assert in_force.status == Grant.Status.APPROVED
    assert not GrantChange.objects.filter(grant=in_force, to_status="expired").exists()
    assert f"#{in_force.pk} " not in printed and f"#{ended.pk} " in printed


def test_a_second_run_finds_nothing_to_end(world: World, make_grant: Callable[..., Grant]) -> None:
    _past(make_grant())
    _run()
    assert _run().strip() == "0 grants ended."
    assert AuditEvent.objects.filter(action="grant.expired").count() == 1


def test_the_coordinators_are_told_on_the_grants_page_which_grants_ended(
    world: World, make_grant: Callable[..., Grant], signed_in: Callable[[User], Client]
) -> None:
    grant = make_grant()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Grant.objects.filter(pk=grant.pk).update(valid_from=yesterday, valid_until=yesterday)
    call_command("sharing", "close-expired", stdout=StringIO())
    page = signed_in(world.coordinator).get(reverse("sharing:list")).content.decode()
    told = page[page.index("Ended in the last two weeks") :]
    assert f"#{grant.pk}" in told.split("</div>")[0]


def test_a_grant_waiting_for_approval_is_shown_to_the_other_coordinator_only(
    world: World, make_grant: Callable[..., Grant], signed_in: Callable[[User], Client]
) -> None:
    make_grant(approve=False)
    assert (
        "Waiting for your approval"
        in signed_in(world.approver).get(reverse("sharing:list")).content.decode()
    )
    assert (
        "Waiting for your approval"
        not in signed_in(world.coordinator).get(reverse("sharing:list")).content.decode()
    )
