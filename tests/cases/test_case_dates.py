"""A case's dates on its page, day first in English and in Urdu word order (madad/formats/)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from madad.accounts.models import User
from madad.cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown", "not_shown"),
    [("en", "4 Mar 2026", "Mar. 4, 2026"), ("ur", "4 مارچ 2026", "مارچ 4, 2026")],
)
def test_the_next_follow_up_is_written_day_first(
    case: Case,
    caseworker: User,
    signed_in: Callable[[User], Client],
    language: str,
    shown: str,
    not_shown: str,
) -> None:
    Case.objects.filter(pk=case.pk).update(next_follow_up=datetime.date(2026, 3, 4))
    client = signed_in(caseworker)
    client.cookies["django_language"] = language
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert page.status_code == 200
    assert shown in page.content.decode()
    assert not_shown not in page.content.decode()
