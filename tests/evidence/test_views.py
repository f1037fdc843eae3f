"""The evidence pages, each asked by the owner (a documenter of the organisation), colleagues
with other roles, and outsiders (another relief organisation, a partner)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import evidence_upload
from madad.incidents.models import Incident
from tests.evidence.factories import (
    GPS_IFD,
    PDF_BYTES,
    jpeg_bytes,
    make_person,
    make_testimony,
    stored_files,
    upload,
)
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]


@pytest.fixture
def evidence(incident: Incident, documenter: User) -> EvidenceFile:
    return evidence_upload(
        incident=incident,
        uploaded_by=documenter,
        file=upload(jpeg_bytes(), "Zainab_at_the_shop.jpg"),
        description="Photo of the shop shutter",
    )


def _url(name: str, *args: int) -> str:
    return reverse(f"evidence:{name}", args=args)


# --- the files of an incident --------------------------------------------------------------
def test_the_owner_sees_the_incidents_files_and_an_upload_form(
    signed_in: SignedIn, documenter: User, incident: Incident, evidence: EvidenceFile
) -> None:
    response = signed_in(documenter).get(_url("incident", incident.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"File {evidence.pk}" in body
    assert 'enctype="multipart/form-data"' in body
    assert "Zainab" not in body  # original names only on the file's own page


def test_a_verifier_sees_the_files_but_no_upload_form(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    incident: Incident,
    evidence: EvidenceFile,
) -> None:
    response = signed_in(make_user(Role.VERIFIER)).get(_url("incident", incident.pk))
    assert response.status_code == 200
    assert f"File {evidence.pk}" in response.content.decode()
    assert "multipart/form-data" not in response.content.decode()


@pytest.mark.parametrize("who", ["caseworker", "outsider", "partner_user"])
def test_others_get_404_for_an_incidents_files(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    incident: Incident,
    evidence: EvidenceFile,
    who: str,
) -> None:
    user = {
        "caseworker": make_user(Role.CASEWORKER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    assert signed_in(user).get(_url("incident", incident.pk)).status_code == 404


def test_the_incident_section_template_lists_files_for_another_apps_page(
    documenter: User, incident: Incident, evidence: EvidenceFile
) -> None:
    request = RequestFactory().get("/incidents/1/")
    request.user = documenter
    html = Template('{% include "evidence/_incident_evidence.html" %}').render(
        Context({"incident": incident, "request": request})
    )
    assert f"File {evidence.pk}" in html
    assert _url("upload", incident.pk) in html


def test_the_incident_section_template_says_nothing_to_a_role_without_evidence(
    make_user: Callable[..., User], incident: Incident, evidence: EvidenceFile
) -> None:
    request = RequestFactory().get("/incidents/1/")
    request.user = make_user(Role.CASEWORKER)
    html = Template('{% include "evidence/_incident_evidence.html" %}').render(
        Context({"incident": incident, "request": request})
    )
    assert html.strip() == ""


# --- upload --------------------------------------------------------------------------------
def test_the_owner_uploads_a_file_and_lands_on_its_page(
    signed_in: SignedIn, documenter: User, incident: Incident, media_root: Path
) -> None:
    response = signed_in(documenter).post(
        _url("upload", incident.pk),
        {"file": upload(jpeg_bytes(), "IMG_0001.jpg"), "description": "Shutter"},
    )
    evidence = EvidenceFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("detail", evidence.pk)
    assert "IMG_0001" not in response["Location"]
    assert len(stored_files(media_root)) == 1


def test_an_upload_returns_to_a_safe_next_page_only(
    signed_in: SignedIn, documenter: User, incident: Incident
) -> None:
    client = signed_in(documenter)
    response = client.post(
        _url("upload", incident.pk), {"file": upload(jpeg_bytes()), "next": "/incidents/7/"}
    )
    assert response["Location"] == "/incidents/7/"
    response = client.post(
        _url("upload", incident.pk),
        {"file": upload(jpeg_bytes()), "next": "https://elsewhere.example/"},
    )
    assert response["Location"].startswith("/evidence/")


def test_an_upload_of_a_refused_type_shows_why_and_stores_nothing(
    signed_in: SignedIn, documenter: User, incident: Incident, media_root: Path
) -> None:
    response = signed_in(documenter).post(
        _url("upload", incident.pk), {"file": upload(b"MZ\x90\x00 a program", "photo.jpg")}
    )
    assert response.status_code == 422
    assert "This type of file is not accepted" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_an_upload_over_the_limit_shows_why_and_stores_nothing(
    settings: Settings, signed_in: SignedIn, documenter: User, incident: Incident, media_root: Path
) -> None:
    settings.MADAD_EVIDENCE_MAX_MB = 1
    response = signed_in(documenter).post(
        _url("upload", incident.pk), {"file": upload(b"a" * (1024 * 1024 + 10), "big.txt")}
    )
    assert response.status_code == 422
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["verifier", "outsider", "partner_user"])
def test_others_cannot_upload(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    incident: Incident,
    media_root: Path,
    who: str,
) -> None:
    user = {
        "verifier": make_user(Role.VERIFIER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    response = signed_in(user).post(_url("upload", incident.pk), {"file": upload(jpeg_bytes())})
    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


# --- one file's page -----------------------------------------------------------------------
def test_the_owner_sees_the_original_name_and_the_view_is_recorded(
    signed_in: SignedIn, documenter: User, evidence: EvidenceFile
) -> None:
    response = signed_in(documenter).get(_url("detail", evidence.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zainab_at_the_shop.jpg" in body and evidence.sha256 in body
    assert (
        CustodyEntry.objects.filter(evidence=evidence, action="viewed", by=documenter).count() == 1
    )
    details = AuditEvent.objects.get(action="evidence.details.viewed")
    assert details.fields == ["description", "original_name"]
    assert AuditEvent.objects.filter(action="evidence.viewed").count() == 1


def test_a_verifier_sees_the_file_but_no_export_button(
    signed_in: SignedIn, make_user: Callable[..., User], evidence: EvidenceFile
) -> None:
    response = signed_in(make_user(Role.VERIFIER)).get(_url("detail", evidence.pk))
    assert response.status_code == 200
    assert _url("download", evidence.pk) in response.content.decode()
    assert _url("export", evidence.pk) not in response.content.decode()


@pytest.mark.parametrize("who", ["caseworker", "outsider", "partner_user"])
def test_others_get_404_for_a_file_and_the_attempt_is_audited(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    evidence: EvidenceFile,
    who: str,
) -> None:
    user = {
        "caseworker": make_user(Role.CASEWORKER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    assert signed_in(user).get(_url("detail", evidence.pk)).status_code == 404
    assert AuditEvent.objects.filter(action="access.denied", actor=user).count() == 1
    assert not CustodyEntry.objects.filter(action="viewed").exists()


# --- download ------------------------------------------------------------------------------
def test_the_owner_downloads_the_original_under_a_neutral_name(
    signed_in: SignedIn, documenter: User, evidence: EvidenceFile
) -> None:
    response = signed_in(documenter).post(_url("download", evidence.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="madad-evidence-{evidence.pk}.jpg"'
    )
    assert response["Content-Type"] == "image/jpeg"
    assert streamed_body(response) == jpeg_bytes()
    assert CustodyEntry.objects.filter(evidence=evidence, action="downloaded").count() == 1


def test_a_verifier_may_download(
    signed_in: SignedIn, make_user: Callable[..., User], evidence: EvidenceFile
) -> None:
    response = signed_in(make_user(Role.VERIFIER)).post(_url("download", evidence.pk))
    assert response.status_code == 200
    assert streamed_body(response) == jpeg_bytes()


def test_a_download_is_not_a_link_anyone_can_prefetch(
    signed_in: SignedIn, documenter: User, evidence: EvidenceFile
) -> None:
    assert signed_in(documenter).get(_url("download", evidence.pk)).status_code == 405


def test_an_altered_file_is_refused_on_download_with_a_clear_message(
    signed_in: SignedIn, documenter: User, evidence: EvidenceFile, media_root: Path
) -> None:
    (media_root / evidence.storage_name).write_bytes(b"\xff\xd8\xff tampered")
    response = signed_in(documenter).post(_url("download", evidence.pk))
    assert response.status_code == 409
    assert "has changed since it was uploaded" in response.content.decode()
    assert AuditEvent.objects.filter(action="evidence.integrity.failed").count() == 1


@pytest.mark.parametrize("who", ["caseworker", "outsider", "partner_user"])
def test_others_cannot_download(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    evidence: EvidenceFile,
    who: str,
) -> None:
    user = {
        "caseworker": make_user(Role.CASEWORKER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    assert signed_in(user).post(_url("download", evidence.pk)).status_code == 404
    assert not CustodyEntry.objects.filter(action="downloaded").exists()


# --- export copy ---------------------------------------------------------------------------
def test_the_owner_gets_a_copy_without_gps(
    signed_in: SignedIn, documenter: User, evidence: EvidenceFile
) -> None:
    response = signed_in(documenter).post(_url("export", evidence.pk))
    assert response.status_code == 200
    assert f'filename="madad-evidence-{evidence.pk}.jpg"' in response["Content-Disposition"]
    with Image.open(io.BytesIO(streamed_body(response))) as image:
        assert image.getexif().get_ifd(GPS_IFD) == {}


def test_a_pdf_copy_is_refused_with_a_reason(
    signed_in: SignedIn, documenter: User, incident: Incident
) -> None:
    pdf = evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(PDF_BYTES, "s.pdf")
    )
    response = signed_in(documenter).post(_url("export", pdf.pk))
    assert response.status_code == 422
    assert "cannot yet remove the hidden metadata" in response.content.decode()


@pytest.mark.parametrize("who", ["verifier", "outsider", "partner_user"])
def test_others_cannot_make_a_copy(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    evidence: EvidenceFile,
    who: str,
) -> None:
    user = {
        "verifier": make_user(Role.VERIFIER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    assert signed_in(user).post(_url("export", evidence.pk)).status_code == 404
    assert not CustodyEntry.objects.filter(action="exported").exists()


# --- custody log ---------------------------------------------------------------------------
def test_the_custody_log_shows_who_did_what(
    signed_in: SignedIn,
    documenter: User,
    make_user: Callable[..., User],
    evidence: EvidenceFile,
) -> None:
    verifier = make_user(Role.VERIFIER, full_name="Verifier Person")
    streamed_body(signed_in(verifier).post(_url("download", evidence.pk)))
    response = signed_in(documenter).get(_url("custody", evidence.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Uploaded" in body and "Downloaded" in body and "Verifier Person" in body


@pytest.mark.parametrize("who", ["caseworker", "outsider", "partner_user"])
def test_others_get_404_for_the_custody_log(
    signed_in: SignedIn,
    make_user: Callable[..., User],
    outsider: User,
    partner_user: User,
    evidence: EvidenceFile,
    who: str,
) -> None:
    user = {
        "caseworker": make_user(Role.CASEWORKER),
        "outsider": outsider,
        "partner_user": partner_user,
    }[who]
    assert signed_in(user).get(_url("custody", evidence.pk)).status_code == 404


# --- numbers and sizes that must not break anything ----------------------------------------
def test_a_number_too_large_for_the_database_is_a_404_not_an_error(
    signed_in: SignedIn, documenter: User
) -> None:
    client = signed_in(documenter)
    huge = 10**30
    assert client.get(f"/evidence/{huge}/").status_code == 404
    assert client.get(f"/evidence/incident/{huge}/").status_code == 404


def test_an_unknown_or_huge_testimony_in_the_upload_form_is_a_form_error(
    signed_in: SignedIn, documenter: User, incident: Incident, media_root: Path
) -> None:
    for value in (str(10**30), "999999"):
        response = signed_in(documenter).post(
            _url("upload", incident.pk), {"file": upload(jpeg_bytes()), "testimony": value}
        )
        assert response.status_code == 422
        assert "Select a valid choice" in response.content.decode()
    assert stored_files(media_root) == []


def test_a_file_larger_than_memory_uploads_is_streamed_and_hashed(
    signed_in: SignedIn, documenter: User, incident: Incident, media_root: Path
) -> None:
    # past FILE_UPLOAD_MAX_MEMORY_SIZE Django spools the upload to a temporary file
    content = b"A long typed statement.\n" * 200_000
    response = signed_in(documenter).post(
        _url("upload", incident.pk), {"file": upload(content, "long.txt")}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert evidence.size == len(content)
    assert (media_root / evidence.storage_name).read_bytes() == content
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()


def test_the_incidents_own_page_shows_its_files_and_testimonies(
    signed_in: SignedIn,
    documenter: User,
    incident: Incident,
    evidence: EvidenceFile,
    relief_org: Organisation,
) -> None:
    testimony = make_testimony(
        person=make_person(organisation=relief_org), user=documenter, incident=incident
    )
    response = signed_in(documenter).get(reverse("incidents:detail", args=[incident.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"File {evidence.pk}" in body and f"Testimony {testimony.pk}" in body
    assert _url("upload", incident.pk) in body
