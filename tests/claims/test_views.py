"""The claim pages, asked by the caseworker, colleagues with other roles and an outsider."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from madad.accounts.models import User
from madad.cases.models import Case
from madad.claims.models import Claim
from madad.claims.services import claim_file
from madad.core.models import AuditEvent
from tests.assistance.factories import PDF, make_incident
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(case: Case, caseworker: User) -> Claim:
    return claim_file(
        case=case,
        filed_by=caseworker,
        scheme="Victims' compensation package",
        authority="Home Department",
        filed_on=timezone.localdate(),
        amount_claimed="300000",
        authority_reference="HD/COMP/55",
        incident=make_incident(case.organisation, caseworker),
        next_action_on=timezone.localdate() - dt.timedelta(days=1),
        next_action="Ask about the hearing",
    )


def test_the_caseworker_records_a_claim_from_the_case(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(
        reverse("claims:file", args=[case.pk]),
        {
            "scheme": "Compensation package",
            "authority": "DC East",
            "filed_on": timezone.localdate().isoformat(),
            "amount_claimed": "250,000",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get().authority == "DC East"


def test_a_bad_claim_shows_its_errors(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(
        reverse("claims:file", args=[case.pk]),
        {
            "scheme": "",
            "authority": "DC East",
            "filed_on": "2999-01-01",
            "amount_claimed": "0",
            "incident": "999999",
        },
    )
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Claim.objects.exists()


def test_a_form_the_page_cannot_read_answers_422(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(reverse("claims:file", args=[case.pk]), {})
    assert response.status_code == 422
    assert not Claim.objects.exists()


def test_the_caseworker_reads_the_claim_and_the_reference_read_is_audited(
    signed_in: Callable[[User], Client], caseworker: User, claim: Claim
) -> None:
    page = signed_in(caseworker).get(reverse("claims:detail", args=[claim.pk])).content.decode()
    assert "HD/COMP/55" in page
    assert "Change the status" in page
    assert AuditEvent.objects.filter(action="claim.reference.viewed", actor=caseworker).exists()


def test_a_coordinator_changes_the_status(
    signed_in: Callable[[User], Client], coordinator: User, claim: Claim
) -> None:
    response = signed_in(coordinator).post(
        reverse("claims:status", args=[claim.pk]),
        {
            "status": "approved",
            "amount_awarded": "250000",
            "version": claim.version,
            "note": "Cheque to follow",
        },
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, str(claim.amount_awarded)) == ("approved", "250000.00")


def test_a_status_change_with_errors_is_shown_on_the_page(
    signed_in: Callable[[User], Client], caseworker: User, claim: Claim
) -> None:
    response = signed_in(caseworker).post(
        reverse("claims:status", args=[claim.pk]), {"status": "approved", "version": claim.version}
    )
    assert response.status_code == 422
    assert "Enter the amount the authority awarded." in response.content.decode()


def test_a_status_change_on_a_claim_changed_meanwhile_answers_409(
    signed_in: Callable[[User], Client], caseworker: User, claim: Claim
) -> None:
    response = signed_in(caseworker).post(
        reverse("claims:status", args=[claim.pk]),
        {"status": "rejected", "version": claim.version + 1},
    )
    assert response.status_code == 409
    assert "changed by somebody else" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == "filed"


def test_a_recorded_claim_leads_back_to_the_case_page(
    signed_in: Callable[[User], Client], caseworker: User, case: Case
) -> None:
    response = signed_in(caseworker).post(
        reverse("claims:file", args=[case.pk]),
        {
            "scheme": "Compensation package",
            "authority": "DC East",
            "filed_on": timezone.localdate().isoformat(),
            "amount_claimed": "1000",
        },
    )
    assert response["Location"] == reverse("cases:detail", args=[case.pk]) + "#claims"


def test_a_document_is_uploaded_and_downloaded_on_the_claim(
    signed_in: Callable[[User], Client], caseworker: User, claim: Claim
) -> None:
    client = signed_in(caseworker)
    response = client.post(
        reverse("claims:upload", args=[claim.pk]),
        {"file": SimpleUploadedFile("certificate.pdf", PDF), "description": "Certificate"},
    )
    assert response.status_code == 302
    document = claim.documents.get()
    download = client.get(reverse("claims:document", args=[claim.pk, document.pk]))
    assert download.status_code == 200
    assert streamed_body(download) == PDF
    assert "certificate" not in download["Content-Disposition"]


def test_the_day_lists_claims_needing_action(
    signed_in: Callable[[User], Client], caseworker: User, claim: Claim
) -> None:
    page = signed_in(caseworker).get(reverse("cases:my_day")).content.decode()
    assert reverse("claims:detail", args=[claim.pk]) in page
    assert "Ask about the hearing" in page


@pytest.mark.parametrize(
    "who", ["outsider", "other_caseworker", "partner_user", "finance", "administrator"]
)
def test_others_get_404(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], claim: Claim, who: str
) -> None:
    client = signed_in(request.getfixturevalue(who))
    assert client.get(reverse("claims:detail", args=[claim.pk])).status_code == 404
    assert (
        client.post(
            reverse("claims:status", args=[claim.pk]),
            {"status": "rejected", "version": claim.version},
        ).status_code
        == 404
    )
    assert client.post(reverse("claims:file", args=[claim.case_id]), {}).status_code == 404
    assert Claim.objects.get(pk=claim.pk).status == "filed"


@pytest.mark.parametrize("who", ["partner_user", "finance", "administrator"])
def test_the_claims_list_is_not_there_for_roles_without_claims(
    request: pytest.FixtureRequest, signed_in: Callable[[User], Client], who: str
) -> None:
    assert signed_in(request.getfixturevalue(who)).get(reverse("claims:list")).status_code == 404


def test_the_list_shows_a_coordinator_the_claims_due(
    signed_in: Callable[[User], Client], coordinator: User, claim: Claim
) -> None:
    page = signed_in(coordinator).get(reverse("claims:list") + "?due=1").content.decode()
    assert reverse("claims:detail", args=[claim.pk]) in page


@pytest.mark.parametrize("who", ["outsider", "other_caseworker", "partner_user", "finance"])
def test_others_cannot_download_a_claims_document(
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    caseworker: User,
    claim: Claim,
    who: str,
) -> None:
    from madad.claims.services import claim_attach_document

    document = claim_attach_document(
        claim=claim, uploaded_by=caseworker, file=SimpleUploadedFile("a.pdf", PDF)
    )
    url = reverse("claims:document", args=[claim.pk, document.pk])
    assert signed_in(request.getfixturevalue(who)).get(url).status_code == 404
    assert not document.custody.filter(action="downloaded").exists()
