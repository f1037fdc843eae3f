"""/api/v1/evidence, asked by the owner, a colleague with another role and outsiders."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent
from madad.evidence.models import CustodyEntry, EvidenceFile
from madad.evidence.services import evidence_upload
from madad.incidents.models import Incident
from tests.api.helpers import assert_error_shape
from tests.evidence.factories import (
    GPS_IFD,
    PDF_BYTES,
    jpeg_bytes,
    make_incident,
    make_person,
    make_testimony,
    stored_files,
    upload,
)
from tests.responses import streamed_body

pytestmark = pytest.mark.django_db

URL = "/api/v1/evidence"
Bearer = Callable[[User], dict[str, str]]


@pytest.fixture
def evidence(incident: Incident, documenter: User) -> EvidenceFile:
    return evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(jpeg_bytes(), "Zainab.jpg")
    )


def test_the_owner_uploads_through_the_api(
    client: Client, bearer: Bearer, documenter: User, incident: Incident, media_root: Path
) -> None:
    content = jpeg_bytes()
    response = client.post(
        URL,
        {"incident": incident.pk, "description": "Shutter", "file": upload(content, "Zainab.jpg")},
        headers=bearer(documenter),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["original_name"] == "Zainab.jpg" and body["description"] == "Shutter"
    assert body["content_type"] == "image/jpeg" and body["exportable"] is True
    assert len(stored_files(media_root)) == 1


def test_an_api_upload_may_attach_to_a_testimony(
    client: Client, bearer: Bearer, documenter: User, incident: Incident, relief_org: Organisation
) -> None:
    testimony = make_testimony(
        person=make_person(organisation=relief_org), user=documenter, incident=incident
    )
    response = client.post(
        URL,
        {"incident": incident.pk, "testimony": testimony.pk, "file": upload(jpeg_bytes())},
        headers=bearer(documenter),
    )
    assert response.status_code == 201, response.content
    assert response.json()["testimony"] == testimony.pk


def test_an_api_upload_of_a_refused_type_is_a_422_and_stores_nothing(
    client: Client, bearer: Bearer, documenter: User, incident: Incident, media_root: Path
) -> None:
    response = client.post(
        URL,
        {"incident": incident.pk, "file": upload(b"\x7fELF\x02\x01\x01", "x.jpg")},
        headers=bearer(documenter),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "This type of file is not accepted" in error["fields"]["file"][0]
    assert not EvidenceFile.objects.exists()
    assert stored_files(media_root) == []


def test_an_api_upload_over_the_limit_is_a_422_and_stores_nothing(
    settings: Settings,
    client: Client,
    bearer: Bearer,
    documenter: User,
    incident: Incident,
    media_root: Path,
) -> None:
    settings.MADAD_EVIDENCE_MAX_MB = 1
    response = client.post(
        URL,
        {"incident": incident.pk, "file": upload(b"a" * (1024 * 1024 + 1), "x.txt")},
        headers=bearer(documenter),
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "larger than the limit" in error["fields"]["file"][0]
    assert stored_files(media_root) == []


def test_an_api_upload_without_a_file_is_a_422(
    client: Client, bearer: Bearer, documenter: User, incident: Incident
) -> None:
    response = client.post(URL, {"incident": incident.pk}, headers=bearer(documenter))
    assert_error_shape(response, 422, "invalid")


def test_an_api_upload_to_another_organisations_incident_is_refused(
    client: Client,
    bearer: Bearer,
    documenter: User,
    outsider: User,
    other_relief_org: Organisation,
    media_root: Path,
) -> None:
    theirs = make_incident(organisation=other_relief_org, user=outsider)
    response = client.post(
        URL, {"incident": theirs.pk, "file": upload(jpeg_bytes())}, headers=bearer(documenter)
    )
    error = assert_error_shape(response, 422, "invalid")
    assert "incident" in error["fields"]
    assert stored_files(media_root) == []


def test_a_verifier_cannot_upload_through_the_api(
    client: Client, bearer: Bearer, make_user: Callable[..., User], incident: Incident
) -> None:
    response = client.post(
        URL,
        {"incident": incident.pk, "file": upload(jpeg_bytes())},
        headers=bearer(make_user(Role.VERIFIER)),
    )
    assert_error_shape(response, 403, "forbidden")
    assert not EvidenceFile.objects.exists()


def test_the_owner_lists_and_reads_a_file_and_the_read_is_recorded(
    client: Client, bearer: Bearer, documenter: User, evidence: EvidenceFile
) -> None:
    headers = bearer(documenter)
    listed = client.get(URL, {"incident": evidence.incident_id}, headers=headers).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == evidence.pk
    assert "original_name" not in listed["items"][0]
    body = client.get(f"{URL}/{evidence.pk}", headers=headers).json()
    assert body["original_name"] == "Zainab.jpg"
    assert CustodyEntry.objects.filter(evidence=evidence, action="viewed").count() == 1
    assert AuditEvent.objects.filter(action="evidence.details.viewed").count() == 1


def test_the_owner_downloads_and_an_altered_file_is_a_409(
    client: Client, bearer: Bearer, documenter: User, evidence: EvidenceFile, media_root: Path
) -> None:
    headers = bearer(documenter)
    response = client.get(f"{URL}/{evidence.pk}/download", headers=headers)
    assert response.status_code == 200
    assert streamed_body(response) == jpeg_bytes()
    assert "Zainab" not in response["Content-Disposition"]
    (media_root / evidence.storage_name).write_bytes(b"changed")
    response = client.get(f"{URL}/{evidence.pk}/download", headers=headers)
    assert_error_shape(response, 409, "integrity_failed")
    assert AuditEvent.objects.filter(action="evidence.integrity.failed").count() == 1


def test_the_owner_exports_a_copy_without_gps_and_a_pdf_is_refused(
    client: Client, bearer: Bearer, documenter: User, evidence: EvidenceFile, incident: Incident
) -> None:
    headers = bearer(documenter)
    response = client.post(f"{URL}/{evidence.pk}/export", headers=headers)
    assert response.status_code == 200
    with Image.open(io.BytesIO(streamed_body(response))) as image:
        assert image.getexif().get_ifd(GPS_IFD) == {}
    pdf = evidence_upload(
        incident=incident, uploaded_by=documenter, file=upload(PDF_BYTES, "s.pdf")
    )
    assert_error_shape(
        client.post(f"{URL}/{pdf.pk}/export", headers=headers), 422, "not_exportable"
    )


def test_a_verifier_reads_but_cannot_export(
    client: Client, bearer: Bearer, make_user: Callable[..., User], evidence: EvidenceFile
) -> None:
    headers = bearer(make_user(Role.VERIFIER))
    assert client.get(f"{URL}/{evidence.pk}", headers=headers).status_code == 200
    assert_error_shape(
        client.post(f"{URL}/{evidence.pk}/export", headers=headers), 403, "forbidden"
    )


def test_the_custody_log_lists_the_files_history(
    client: Client, bearer: Bearer, documenter: User, evidence: EvidenceFile
) -> None:
    headers = bearer(documenter)
    streamed_body(client.get(f"{URL}/{evidence.pk}/download", headers=headers))
    body = client.get(f"{URL}/{evidence.pk}/custody", headers=headers).json()
    assert [item["action"] for item in body["items"]] == ["downloaded", "uploaded"]
    assert all(item["by"] == documenter.pk for item in body["items"])


@pytest.mark.parametrize("who", ["caseworker", "outsider", "partner_user"])
def test_others_find_nothing(
    client: Client,
    bearer: Bearer,
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
    headers = bearer(user)
    assert client.get(URL, headers=headers).json()["count"] == 0
    for method, path in (
        ("get", ""),
        ("get", "/download"),
        ("post", "/export"),
        ("get", "/custody"),
    ):
        response = getattr(client, method)(f"{URL}/{evidence.pk}{path}", headers=headers)
        assert_error_shape(response, 404, "not_found")
    assert CustodyEntry.objects.filter(evidence=evidence).count() == 1  # only "uploaded"


def test_numbers_too_large_for_the_database_are_a_404_or_a_422(
    client: Client, bearer: Bearer, documenter: User
) -> None:
    headers = bearer(documenter)
    huge = 10**30
    assert_error_shape(client.get(f"{URL}/{huge}", headers=headers), 404, "not_found")
    assert_error_shape(client.get(URL, {"incident": huge}, headers=headers), 422, "invalid")
    assert_error_shape(client.get(URL, {"offset": huge}, headers=headers), 422, "invalid")
