"""/api/v1/grants: the grantee's narrow view and the coordinators' grants, asked as the owner,
a colleague with another role, an outsider and the grantee at every stage of a grant."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.sharing import services
from madad.sharing.models import Grant
from tests.api.helpers import assert_error_shape
from tests.sharing.conftest import World, withdraw

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
URL = "/api/v1/grants"


def test_the_grantee_lists_the_grant_in_force_and_reads_what_it_opens(
    client: Client, bearer: Bearer, world: World, make_grant: Callable[..., Grant]
) -> None:
    grant = make_grant()
    headers = bearer(world.delegate)
    listed = client.get(URL, headers=headers)
    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["items"]] == [grant.pk]
    detail = client.get(f"{URL}/{grant.pk}", headers=headers).json()
    assert "left_out" not in detail and "version" not in detail
    assert all("consent_in_force" not in item for item in detail["items"])
    testimony = grant.records.get(kind="testimony")
    response = client.get(f"{URL}/records/{testimony.pk}", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert body["transcript"].startswith("They came at night")
    assert set(body) == {"id", "grant", "kind", "date", "language", "transcript"}
    incident = client.get(f"{URL}/records/{grant.records.get(kind='incident').pk}", headers=headers)
    assert incident.status_code == 200
    assert "description" not in incident.json() and "title" not in incident.json()
    assert b"Zarina" not in response.content + incident.content
    assert (
        AuditEvent.objects.filter(action="grant.record.viewed", actor=world.delegate).count() == 2
    )


@pytest.mark.parametrize("stage", ["pending", "revoked", "expired", "consent_withdrawn"])
def test_outside_its_time_the_grantee_gets_404(
    client: Client, bearer: Bearer, world: World, make_grant: Callable[..., Grant], stage: str
) -> None:
    grant = make_grant(approve=stage != "pending")
    record = grant.records.get(kind="testimony")
    if stage == "revoked":
        services.grant_revoke(grant=grant, actor=world.approver, reason="Visit called off")
    elif stage == "expired":
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        Grant.objects.filter(pk=grant.pk).update(valid_from=yesterday, valid_until=yesterday)
    elif stage == "consent_withdrawn":
        withdraw(world)
    headers = bearer(world.delegate)
    answer = client.get(f"{URL}/records/{record.pk}", headers=headers)
    assert_error_shape(answer, 404, "not_found")
    if stage != "consent_withdrawn":
        assert client.get(f"{URL}/{grant.pk}", headers=headers).status_code == 404
        assert client.get(URL, headers=headers).json()["items"] == []


def test_the_owner_sees_consent_per_record_and_revokes_colleagues_and_outsiders_do_not(
    client: Client,
    bearer: Bearer,
    world: World,
    make_grant: Callable[..., Grant],
    outsider: User,
) -> None:
    grant = make_grant()
    owner = client.get(f"{URL}/{grant.pk}", headers=bearer(world.coordinator)).json()
    assert owner["left_out"] == 0
    assert {item["consent_in_force"] for item in owner["items"]} == {True}
    # the owner reads records through their own endpoints, not as a grantee
    record = grant.records.get(kind="testimony")
    assert (
        client.get(f"{URL}/records/{record.pk}", headers=bearer(world.coordinator)).status_code
        == 404
    )
    for stranger in (world.caseworker, outsider):
        assert client.get(f"{URL}/{grant.pk}", headers=bearer(stranger)).status_code == 404
        assert client.get(URL, headers=bearer(stranger)).json()["items"] == []
        refused = client.post(
            f"{URL}/{grant.pk}/revoke",
            {"reason": "no"},
            content_type="application/json",
            headers=bearer(stranger),
        )
        assert refused.status_code == 404
    # the grantee sees the grant but may not revoke it
    as_grantee = client.post(
        f"{URL}/{grant.pk}/revoke",
        {"reason": "no"},
        content_type="application/json",
        headers=bearer(world.delegate),
    )
    assert as_grantee.status_code == 403
    stale = client.post(
        f"{URL}/{grant.pk}/revoke",
        {"reason": "Visit cancelled", "version": grant.version + 5},
        content_type="application/json",
        headers=bearer(world.coordinator),
    )
    assert stale.status_code == 409
    revoked = client.post(
        f"{URL}/{grant.pk}/revoke",
        {"reason": "Visit cancelled", "version": grant.version},
        content_type="application/json",
        headers=bearer(world.coordinator),
    )
    assert revoked.status_code == 200
    assert revoked.json()["status"] == "revoked"
    blank = client.post(
        f"{URL}/{grant.pk}/revoke",
        {"reason": "   "},
        content_type="application/json",
        headers=bearer(world.coordinator),
    )
    assert blank.status_code == 422


def test_an_evidence_files_own_kind_does_not_hide_the_records_kind(
    client: Client, bearer: Bearer, world: World, make_grant: Callable[..., Grant]
) -> None:
    """Found by review: the evidence's own kind ("image") overwrote the record's ("evidence")."""
    from madad.evidence.services import evidence_upload
    from tests.evidence.factories import jpeg_bytes, upload

    photo = evidence_upload(
        incident=world.incident,
        testimony=world.testimony,
        file=upload(jpeg_bytes()),
        uploaded_by=world.documenter,
    )
    grant = make_grant(evidence=[photo])
    record = grant.records.get(kind="evidence")
    body = client.get(f"{URL}/records/{record.pk}", headers=bearer(world.delegate)).json()
    assert body["kind"] == "evidence"
    assert body["evidence_kind"] == photo.kind
    assert body["uploaded_at"] == timezone.localdate().isoformat()
