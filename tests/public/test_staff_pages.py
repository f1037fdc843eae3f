# ruff: noqa: RUF001 -- Urdu text ends its sentences with the Urdu full stop
"""Staff pages for public texts, asked by three people: the writer (a documenter), a colleague
with another role (a verifier who approves, a caseworker who may not see them), and an
outsider from another organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.public import services
from madad.public.models import ClaimCheck, FactSheet, Status
from tests.public.conftest import FACTSHEET

pytestmark = pytest.mark.django_db

FORM = {**FACTSHEET, "incident_numbers": ""}


def test_the_writer_drafts_and_submits_a_fact_sheet(
    signed_in: Callable[[User], Client], documenter: User
) -> None:
    client = signed_in(documenter)
    assert client.get("/publications/factsheets/new/").status_code == 200
    response = client.post("/publications/factsheets/new/", {**FORM, "submit": "1"})
    sheet = FactSheet.objects.get()
    assert response["Location"] == f"/publications/factsheets/{sheet.pk}/"
    assert sheet.status == Status.SUBMITTED and sheet.created_by == documenter
    page = client.get(f"/publications/factsheets/{sheet.pk}/").content.decode()
    assert "Approve and publish" not in page


def test_a_form_with_a_bad_figure_shows_the_problem_and_saves_nothing(
    signed_in: Callable[[User], Client], documenter: User
) -> None:
    response = signed_in(documenter).post(
        "/publications/factsheets/new/",
        {**FORM, "body_en": "{{count:incidents district=atlantis}}"},
    )
    assert response.status_code == 422
    assert "unknown district “atlantis”" in response.content.decode()
    assert not FactSheet.objects.exists()


def test_the_verifier_publishes_what_the_documenter_submitted(
    signed_in: Callable[[User], Client], documenter: User, verifier: User, sheet: FactSheet
) -> None:
    services.factsheet_submit(factsheet=sheet, by=documenter)
    client = signed_in(verifier)
    page = client.get(f"/publications/factsheets/{sheet.pk}/").content.decode()
    assert "Approve and publish" in page
    assert "Edit" not in page.split("workflow-actions")[1].split("</div>")[0]
    client.post(f"/publications/factsheets/{sheet.pk}/approve/")
    sheet.refresh_from_db()
    assert sheet.status == Status.PUBLISHED and sheet.approved_by == verifier


def test_the_writer_cannot_approve_through_the_page_either(
    signed_in: Callable[[User], Client], coordinator: User
) -> None:
    sheet = services.factsheet_write(
        by=coordinator,
        organisation=coordinator.organisation,
        values={k: v for k, v in FORM.items() if k != "incident_numbers"},
    )
    services.factsheet_submit(factsheet=sheet, by=coordinator)
    client = signed_in(coordinator)
    page = client.get(f"/publications/factsheets/{sheet.pk}/").content.decode()
    assert "a second person must approve it" in page
    response = client.post(f"/publications/factsheets/{sheet.pk}/approve/", follow=True)
    assert "A second person must approve it" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == Status.SUBMITTED


def test_the_approver_returns_it_with_a_reason(
    signed_in: Callable[[User], Client], documenter: User, verifier: User, sheet: FactSheet
) -> None:
    services.factsheet_submit(factsheet=sheet, by=documenter)
    signed_in(verifier).post(
        f"/publications/factsheets/{sheet.pk}/return/", {"reason": "Cite the 2012 figure."}
    )
    sheet.refresh_from_db()
    assert sheet.status == Status.DRAFT and sheet.returned_reason == "Cite the 2012 figure."


def test_a_caseworker_does_not_see_public_texts(
    signed_in: Callable[[User], Client], caseworker: User, sheet: FactSheet
) -> None:
    client = signed_in(caseworker)
    assert client.get("/publications/").status_code == 404
    assert client.get(f"/publications/factsheets/{sheet.pk}/").status_code == 404
    assert client.get("/publications/factsheets/new/").status_code == 404


def test_an_outsider_gets_404_for_another_organisations_texts(
    signed_in: Callable[[User], Client], outsider: User, sheet: FactSheet
) -> None:
    client = signed_in(outsider)
    assert client.get("/publications/").status_code == 200
    assert client.get(f"/publications/factsheets/{sheet.pk}/").status_code == 404
    assert client.get(f"/publications/factsheets/{sheet.pk}/edit/").status_code == 404
    assert client.post(f"/publications/factsheets/{sheet.pk}/approve/").status_code == 404


def test_the_writer_drafts_a_claim_check_with_its_supporting_fact_sheets(
    signed_in: Callable[[User], Client], documenter: User, verifier: User, sheet: FactSheet
) -> None:
    services.factsheet_submit(factsheet=sheet, by=documenter)
    services.factsheet_approve(factsheet=sheet, approver=verifier)
    client = signed_in(documenter)
    response = client.post(
        "/publications/claims/new/",
        {
            "claim_en": "It never happens here.",
            "claim_ur": "یہاں ایسا کبھی نہیں ہوتا۔",
            "claimant": "",
            "claim_date": "2014-03-01",
            "claim_url": "",
            "rating": "false",
            "explanation_en": "It does: {{count:incidents}}.",
            "explanation_ur": "ہوتا ہے: {{count:incidents}}۔",
            "incident_numbers": "",
            "factsheets": [sheet.pk],
            "save": "1",
        },
    )
    check = ClaimCheck.objects.get()
    assert response.status_code == 302
    assert list(check.factsheets.all()) == [sheet]
    assert check.status == Status.DRAFT


def test_the_menu_offers_public_texts_to_those_who_work_on_them(
    signed_in: Callable[[User], Client], documenter: User
) -> None:
    page = signed_in(documenter).get("/").content.decode()
    assert 'href="/publications/"' in page


def test_two_approvers_on_the_same_page_cannot_both_decide(
    signed_in: Callable[[User], Client],
    documenter: User,
    verifier: User,
    make_user: Callable[..., User],
    sheet: FactSheet,
) -> None:
    sheet = services.factsheet_submit(factsheet=sheet, by=documenter)
    first, second = Client(), Client()
    first.force_login(verifier)
    second.force_login(make_user("verifier"))
    for client in (first, second):
        page = client.get(f"/publications/factsheets/{sheet.pk}/").content.decode()
        assert f'name="version" value="{sheet.version}"' in page
    first.post(f"/publications/factsheets/{sheet.pk}/approve/", {"version": sheet.version})
    response = second.post(
        f"/publications/factsheets/{sheet.pk}/return/",
        {"version": sheet.version, "reason": "Not yet."},
        follow=True,
    )
    assert "Somebody else changed this record" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == Status.PUBLISHED and sheet.approved_by == verifier
