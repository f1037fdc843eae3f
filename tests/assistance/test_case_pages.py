"""The panels of assistance, referrals and claims on the case's page: the case's caseworker and
a coordinator see them; another caseworker, a partner and an outsider get 404; finance and
administrators, who see no case, get 404 too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["caseworker", "coordinator"])
def test_those_who_see_the_case_see_its_panels(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], case: Case, who: str
) -> None:
    response = signed_in(request.getfixturevalue(who)).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    for anchor in ('id="assistance"', 'id="referrals"', 'id="claims"'):
        assert anchor in response.content.decode()


@pytest.mark.parametrize(
    "who", ["other_caseworker", "partner_user", "outsider", "finance", "administrator"]
)
def test_everybody_else_gets_404(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], case: Case, who: str
) -> None:
    response = signed_in(request.getfixturevalue(who)).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 404


def test_the_stop_gap_page_of_a_case_s_assistance_is_gone(case: Case) -> None:
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("assistance:case", args=[case.pk])


def test_the_case_page_shows_the_three_panels_to_its_caseworker(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    page = signed_in(caseworker).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for anchor in ('id="assistance"', 'id="referrals"', 'id="claims"'):
        assert anchor in page
    assert "Request assistance" in page  # the plan is agreed: help can be requested


def test_a_coordinator_sees_the_panels_but_finance_has_no_case_page(
    signed_in: Callable[[User], Client],
    client: Client,
    coordinator: User,
    finance: User,
    case: Case,
) -> None:
    page = signed_in(coordinator).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="assistance"' in page
    client.logout()
    assert signed_in(finance).get(reverse("cases:detail", args=[case.pk])).status_code == 404
