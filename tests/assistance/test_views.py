"""The assistance pages, asked by the case's caseworker, colleagues with other roles and an
outsider from another organisation."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import Organisation, User
from madad.assistance.models import Assistance, Limit
from madad.assistance.services import assistance_approve, assistance_disburse
from madad.cases.models import Case
from madad.core.models import AuditEvent
from tests.assistance.factories import make_assistance

pytestmark = pytest.mark.django_db


@pytest.fixture
def requested(case: Case, caseworker: User) -> Assistance:
    return make_assistance(
        case=case, requested_by=caseworker, amount="12000", purpose="School uniform and fees"
    )


def test_the_caseworker_requests_assistance_from_the_case_page(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(
        reverse("assistance:request", args=[case.pk]),
        {"kind": "school_fees", "amount": "12,000.50", "purpose": "Fees for two children"},
    )
    item = Assistance.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:detail", args=[case.pk]))
    assert (item.amount, item.requested_by) == (Decimal("12000.50"), caseworker)


def test_a_request_with_bad_input_shows_the_errors_and_writes_nothing(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(
        reverse("assistance:request", args=[case.pk]), {"kind": "cash_grant", "amount": "-3"}
    )
    assert response.status_code == 422
    assert "An amount cannot be negative." in response.content.decode()
    assert not Assistance.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "partner_user"])
def test_others_cannot_request_on_the_case(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], case: Case, who: str
) -> None:
    user = request.getfixturevalue(who)
    response = signed_in(user).post(
        reverse("assistance:request", args=[case.pk]), {"kind": "food", "amount": "100"}
    )
    assert response.status_code == 404
    assert not Assistance.objects.exists()


def test_the_case_panel_shows_the_caseworker_their_request_and_the_two_person_rule(
    signed_in: Callable[[User], Client],
    caseworker: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    response = signed_in(caseworker).get(reverse("cases:detail", args=[requested.case_id]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Rs 12,000.00" in page
    assert "somebody else must approve it" in page
    assert f"Approve {requested.pk}" not in page


def test_the_coordinator_approves_from_the_case_page(
    signed_in: Callable[[User], Client],
    coordinator: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    client = signed_in(coordinator)
    page = client.get(reverse("cases:detail", args=[requested.case_id])).content.decode()
    assert f"Approve {requested.pk}" in page
    response = client.post(
        reverse("assistance:approve", args=[requested.pk]),
        {"version": requested.version, "back": "case"},
    )
    assert response.status_code == 302
    requested.refresh_from_db()
    assert (requested.status, requested.approved_by) == ("approved", coordinator)


def test_an_approval_of_a_stale_page_is_a_clear_conflict(
    signed_in: Callable[[User], Client],
    coordinator: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    Assistance.objects.filter(pk=requested.pk).update(version=2)
    response = signed_in(coordinator).post(
        reverse("assistance:approve", args=[requested.pk]), {"version": 1}, follow=True
    )
    assert "changed by somebody else" in response.content.decode()
    assert Assistance.objects.get(pk=requested.pk).status == "requested"


def test_the_requester_posting_an_approval_is_told_the_two_person_rule(
    signed_in: Callable[[User], Client],
    caseworker: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    response = signed_in(caseworker).post(
        reverse("assistance:approve", args=[requested.pk]), {"version": 1}, follow=True
    )
    assert "two-person rule" in response.content.decode()
    assert Assistance.objects.get(pk=requested.pk).status == "requested"


@pytest.mark.parametrize(
    "who", ["outsider", "other_caseworker", "partner_user", "finance", "administrator"]
)
def test_others_get_404_for_a_requested_item(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    requested: Assistance,
    who: str,
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("assistance:detail", args=[requested.pk])).status_code == 404
    assert (
        client.post(reverse("assistance:approve", args=[requested.pk]), {"version": 1}).status_code
        == 404
    )
    assert Assistance.objects.get(pk=requested.pk).status == "requested"


def test_the_disbursement_details_show_to_finance_and_the_caseworker_only(
    signed_in: Callable[[User], Client],
    client: Client,
    caseworker: User,
    coordinator: User,
    finance: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    assistance_approve(assistance=requested, approver=coordinator)
    assistance_disburse(
        assistance=requested, disbursed_by=finance, method="cheque", reference="CHQ-004417"
    )
    url = reverse("assistance:detail", args=[requested.pk])
    for user, sees in ((caseworker, True), (finance, True), (coordinator, False)):
        page = signed_in(user).get(url).content.decode()
        assert ("CHQ-004417" in page) is sees, user.role
        client.logout()
    readers = set(
        AuditEvent.objects.filter(action="assistance.disbursement.viewed").values_list(
            "actor__role", flat=True
        )
    )
    assert readers == {"caseworker", "finance"}


def test_finance_does_not_see_why_the_family_needs_it(
    signed_in: Callable[[User], Client],
    coordinator: User,
    finance: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    assistance_approve(assistance=requested, approver=coordinator)
    page = (
        signed_in(finance).get(reverse("assistance:detail", args=[requested.pk])).content.decode()
    )
    assert "Pay from the fund" in page
    assert "School uniform" not in page


def test_finance_records_the_hand_over_of_help_in_kind_on_the_page(
    signed_in: Callable[[User], Client],
    caseworker: User,
    coordinator: User,
    finance: User,
    case: Case,
) -> None:
    item = assistance_approve(
        assistance=make_assistance(
            case=case,
            requested_by=caseworker,
            amount=None,
            kind="food",
            in_kind="Ration pack for six",
        ),
        approver=coordinator,
    )
    client = signed_in(finance)
    assert (
        reverse("assistance:detail", args=[item.pk])
        in client.get(reverse("assistance:disbursements")).content.decode()
    )
    response = client.post(
        reverse("assistance:hand_over", args=[item.pk]),
        {"version": item.version, "method": "goods_delivered", "reference": "DN-12"},
    )
    assert response.status_code == 302
    assert Assistance.objects.get(pk=item.pk).status == "disbursed"


def test_money_is_paid_from_the_fund_not_recorded_here(
    signed_in: Callable[[User], Client],
    coordinator: User,
    finance: User,
    requested: Assistance,
    limits: dict[str, Limit],
) -> None:
    assistance_approve(assistance=requested, approver=coordinator)
    client = signed_in(finance)
    page = client.get(reverse("assistance:detail", args=[requested.pk])).content.decode()
    assert reverse("fund:disburse", args=[requested.pk]) in page
    assert "Record the hand-over" not in page
    response = client.post(
        reverse("assistance:hand_over", args=[requested.pk]),
        {"version": requested.version + 1, "method": "cash", "reference": "V-1"},
        follow=True,
    )
    assert "pay it from the fund" in response.content.decode()
    assert Assistance.objects.get(pk=requested.pk).status == "approved"


def test_the_approvals_page_lists_what_the_user_may_approve(
    signed_in: Callable[[User], Client],
    caseworker: User,
    coordinator: User,
    case: Case,
    limits: dict[str, Limit],
) -> None:
    mine = make_assistance(case=case, requested_by=coordinator, amount="100")
    big = make_assistance(case=case, requested_by=coordinator, amount="99999")
    theirs = make_assistance(case=case, requested_by=caseworker, amount="100")
    page = signed_in(caseworker).get(reverse("assistance:approvals")).content.decode()
    assert f"Approve {mine.pk}" in page  # a colleague's request, within the limit
    assert f"Approve {big.pk}" not in page  # over the limit: for a coordinator
    assert f"Approve {theirs.pk}" not in page  # their own


@pytest.mark.parametrize("who", ["finance", "partner_user", "administrator"])
def test_the_approvals_page_is_not_there_for_roles_that_cannot_approve(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], who: str
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("assistance:approvals")).status_code == 404


def test_the_administrator_sets_a_limit(
    signed_in: Callable[[User], Client], administrator: User, relief_org: Organisation
) -> None:
    client = signed_in(administrator)
    assert client.get(reverse("assistance:limits")).status_code == 200
    response = client.post(
        reverse("assistance:limits"), {"kind": "rent", "rent-max_amount": "30000"}
    )
    assert response.status_code == 302
    assert str(Limit.objects.get(organisation=relief_org, kind="rent").max_amount) == "30000.00"
    assert AuditEvent.objects.filter(action="assistance.limit.changed").exists()


def test_a_bad_limit_is_refused(signed_in: Callable[[User], Client], administrator: User) -> None:
    response = signed_in(administrator).post(
        reverse("assistance:limits"), {"kind": "rent", "rent-max_amount": "-1"}
    )
    assert response.status_code == 422
    assert "An amount cannot be negative." in response.content.decode()
    assert not Limit.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "caseworker", "finance", "partner_user"])
def test_only_administrators_change_limits(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], who: str
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("assistance:limits")).status_code == 404
    assert (
        client.post(
            reverse("assistance:limits"), {"kind": "rent", "rent-max_amount": "1"}
        ).status_code
        == 404
    )
    assert not Limit.objects.exists()


def test_an_outsider_administrator_sees_only_their_own_limits(
    signed_in: Callable[[User], Client],
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    limits: dict[str, Limit],
) -> None:
    outsider_admin = make_user("administrator", organisation=other_relief_org)
    page = signed_in(outsider_admin).get(reverse("assistance:limits")).content.decode()
    assert "Rs 25,000.00" not in page
