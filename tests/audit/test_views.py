"""The audit trail in the browser: who may read it, filtering, paging, and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.models import AuditEvent
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:list")
EXPORT = reverse("audit:export")


@pytest.fixture
def auditor(make_user: Callable[..., User]) -> User:
    return make_user(Role.AUDITOR, email="auditor@relief.test")


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    """A documenter whose email the filters and the export are checked against."""
    return make_user(Role.DOCUMENTER, email="alice@relief.test")


@pytest.fixture
def trail(
    alice: User, relief_org: Organisation, other_relief_org: Organisation
) -> dict[str, AuditEvent]:
    """A few events of the relief organisation on known days, and one of another organisation."""

    def on(day: str, **kwargs: Any) -> AuditEvent:
        at = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
        with mock.patch("madad.core.audit.timezone.now", return_value=at):
            return audit_record(**kwargs)

    return {
        "created": on(
            "2024-01-10",
            action="person.created",
            actor=alice,
            object_type="people.person",
            object_id=7,
            fields=["cnic"],
        ),
        "updated": on(
            "2024-02-10",
            action="person.updated",
            actor=alice,
            object_type="people.person",
            object_id=7,
            fields=["phone"],
        ),
        "failed": on(
            "2024-03-10",
            action="auth.signin.failed",
            organisation=relief_org,
            object_type="accounts.user",
            actor_label="mallory@relief.test",
        ),
        "elsewhere": on(
            "2024-02-10",
            action="person.created",
            organisation=other_relief_org,
            object_type="people.person",
            object_id=99,
            actor_label="bob@elsewhere.test",
        ),
    }


def _shown(response: Any) -> list[AuditEvent]:
    return list(response.context["page"].object_list)


def _csv(response: Any) -> list[list[str]]:
    body = streamed_body(response).decode()
    return list(csv.reader(io.StringIO(body)))


# --- Who may read it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR])
def test_auditors_and_administrators_browse_their_organisations_trail(
    role: str,
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    trail: dict[str, AuditEvent],
) -> None:
    response = signed_in(make_user(role)).get(AUDIT)
    assert response.status_code == 200
    assert _shown(response) == [trail["failed"], trail["updated"], trail["created"]]
    assert b"person.updated" in response.content
    assert b"bob@elsewhere.test" not in response.content


@pytest.mark.parametrize(
    "role", [Role.DOCUMENTER, Role.CASEWORKER, Role.FINANCE, Role.COORDINATOR, Role.VERIFIER]
)
def test_colleagues_without_the_audit_capability_get_404(
    role: str,
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    trail: dict[str, AuditEvent],
) -> None:
    client = signed_in(make_user(role))
    assert client.get(AUDIT).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_a_partner_gets_404(
    make_user: Callable[..., User], partner_org: Organisation, signed_in: Callable[[User], Client]
) -> None:
    assert signed_in(make_user(Role.PARTNER, partner_org)).get(AUDIT).status_code == 404


def test_a_signed_out_visitor_is_sent_to_sign_in(
    client: Client, trail: dict[str, AuditEvent]
) -> None:
    for url in (AUDIT, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_an_auditor_of_another_organisation_never_sees_this_organisations_events(
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    signed_in: Callable[[User], Client],
    trail: dict[str, AuditEvent],
) -> None:
    client = signed_in(make_user(Role.AUDITOR, other_relief_org))
    assert _shown(client.get(AUDIT)) == [trail["elsewhere"]]
    assert _shown(client.get(AUDIT, {"actor": "alice@relief.test"})) == []
    rows = _csv(client.get(EXPORT))[1:]
    assert [row[3] for row in rows] == ["audit.exported", "person.created"]
    assert rows[1][0] == str(trail["elsewhere"].pk)


# --- Filtering ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"action": "person."}, ["updated", "created"]),
        ({"action": "auth"}, ["failed"]),
        ({"actor": "ALICE@relief"}, ["updated", "created"]),
        ({"object_type": "accounts.user"}, ["failed"]),
        ({"date_from": "2024-02-01"}, ["failed", "updated"]),
        ({"date_to": "2024-02-10"}, ["updated", "created"]),
        ({"date_from": "2024-02-10", "date_to": "2024-02-10"}, ["updated"]),
        ({"action": "person.", "date_from": "2024-02-01"}, ["updated"]),
    ],
)
def test_the_trail_can_be_filtered(
    filters: dict[str, str],
    expected: list[str],
    auditor: User,
    signed_in: Callable[[User], Client],
    trail: dict[str, AuditEvent],
) -> None:
    response = signed_in(auditor).get(AUDIT, filters)
    assert _shown(response) == [trail[name] for name in expected]


def test_days_are_the_days_of_the_configured_time_zone(
    auditor: User, signed_in: Callable[[User], Client], relief_org: Organisation, settings: Settings
) -> None:
    settings.TIME_ZONE = "Asia/Karachi"  # UTC+5
    at = dt.datetime.fromisoformat("2024-02-10T20:30:00+00:00")  # 01:30 on the 11th there
    with mock.patch("madad.core.audit.timezone.now", return_value=at):
        late = audit_record(action="test.late", organisation=relief_org)
    client = signed_in(auditor)
    assert _shown(client.get(AUDIT, {"date_to": "2024-02-10"})) == []
    assert _shown(client.get(AUDIT, {"date_from": "2024-02-11", "date_to": "2024-02-11"})) == [late]


def test_filters_keep_their_values(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(
        AUDIT, {"action": "person.", "actor": "alice", "date_from": "2024-02-01"}
    )
    assert b'value="person."' in response.content
    assert b'value="alice"' in response.content
    assert b'value="2024-02-01"' in response.content


def test_a_start_date_after_the_end_date_is_a_form_error_not_a_failure(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(AUDIT, {"date_from": "2024-03-01", "date_to": "2024-01-01"})
    assert response.status_code == 200
    assert "The start date is after the end date." in response.content.decode()


def test_a_date_that_is_no_date_is_a_form_error_not_a_failure(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(AUDIT, {"date_from": "yesterday-ish"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]


def test_an_htmx_request_gets_only_the_rows(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(AUDIT, {"action": "auth"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates if (t.name or "").startswith("audit/")] == [
        "audit/_rows.html"
    ]
    content = response.content.decode()
    assert "<form" not in content
    assert "<html" not in content
    assert "auth.signin.failed" in content
    assert "person.created" not in content


def test_an_htmx_request_with_a_bad_date_range_shows_the_error_with_the_rows(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(
        AUDIT, {"date_from": "2024-03-01", "date_to": "2024-01-01"}, HTTP_HX_REQUEST="true"
    )
    assert "The start date is after the end date." in response.content.decode()


# --- Paging ---------------------------------------------------------------------------------


def test_pages_keep_the_filters(
    auditor: User, signed_in: Callable[[User], Client], relief_org: Organisation
) -> None:
    for n in range(60):
        audit_record(action=f"test.page.n{n}", organisation=relief_org)
    audit_record(action="test.other", organisation=relief_org)
    client = signed_in(auditor)
    first = client.get(AUDIT, {"action": "test.page"})
    assert len(_shown(first)) == 50
    assert 'href="?action=test.page&amp;page=2"' in first.content.decode()
    second = client.get(AUDIT, {"action": "test.page", "page": "2"})
    assert [e.action for e in _shown(second)] == [f"test.page.n{n}" for n in range(9, -1, -1)]
    assert b'value="test.page"' in second.content


# --- Export ---------------------------------------------------------------------------------


def test_an_auditor_exports_the_trail_as_csv_and_the_export_is_itself_audited(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    assert header[:4] == ["id", "at", "actor", "action"]
    exported = AuditEvent.objects.get(action="audit.exported")
    assert (exported.actor, exported.organisation) == (auditor, auditor.organisation)
    by_id = {row[0]: row for row in rows}
    assert set(by_id) == {
        str(e.pk) for e in (trail["created"], trail["updated"], trail["failed"], exported)
    }
    created = by_id[str(trail["created"].pk)]
    assert created[2:7] == ["alice@relief.test", "person.created", "people.person", "7", "cnic"]
    assert created[-1] == trail["created"].hash


def test_the_export_honours_the_filters(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    rows = _csv(signed_in(auditor).get(EXPORT, {"action": "person.updated"}))[1:]
    assert [row[0] for row in rows] == [str(trail["updated"].pk)]


def test_an_export_with_invalid_filters_shows_the_errors_and_exports_nothing(
    auditor: User, signed_in: Callable[[User], Client], trail: dict[str, AuditEvent]
) -> None:
    response = signed_in(auditor).get(EXPORT, {"date_from": "2024-03-01", "date_to": "2024-01-01"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert b"The start date is after the end date." in response.content
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


def test_an_administrator_may_browse_but_not_export(
    make_user: Callable[..., User],
    signed_in: Callable[[User], Client],
    trail: dict[str, AuditEvent],
) -> None:
    client = signed_in(make_user(Role.ADMINISTRATOR))
    assert client.get(EXPORT).status_code == 404
    assert b"Export CSV" not in client.get(AUDIT).content
    assert not AuditEvent.objects.filter(action="audit.exported").exists()
