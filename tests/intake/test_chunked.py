"""A body sent with Transfer-Encoding: chunked (as Collect may send one) reaches Django whole
when the server has de-chunked it (gunicorn sets wsgi.input_terminated), and a body beyond the
limit is refused before Django reads it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pytest_django import Settings

from madad.intake.models import Device, IntakeItem
from madad.wsgi import application
from tests.intake.collect import build_instance, multipart

pytestmark = pytest.mark.django_db(transaction=True)


def _call(environ: dict[str, Any]) -> tuple[str, bytes]:
    status: list[str] = []

    def start_response(line: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        status.append(line)

    body = b"".join(application(environ, start_response))
    return status[0], body


def _environ(path: str, body: bytes, content_type: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.input_terminated": True,
        "wsgi.errors": io.StringIO(),
        "HTTP_TRANSFER_ENCODING": "chunked",
        "CONTENT_TYPE": content_type,
        "REMOTE_ADDR": "127.0.0.1",
    }


def _plain_submission(device: Device) -> tuple[bytes, str]:
    version = device.forms.get(form_id="household_needs").current
    assert version is not None
    instance = build_instance(version.xml, [("head_name", "Chunked Test Head")])
    return multipart(instance.xml, [])


def test_a_chunked_submission_arrives_whole(device: tuple[Device, str], settings: Settings) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    version = device[0].forms.get(form_id="household_needs").current
    assert version is not None
    # an unencrypted copy of the form, so that the XML can go as it is
    version.encrypted = False
    version.save(update_fields=["encrypted"])
    body, content_type = _plain_submission(device[0])
    status, answer = _call(_environ(f"/intake/d/{device[1]}/submission", body, content_type))
    assert status.startswith("201"), answer
    assert IntakeItem.objects.filter(status=IntakeItem.Status.NEW).count() == 1


def test_a_chunked_body_beyond_the_limit_is_refused(
    device: tuple[Device, str], settings: Settings
) -> None:
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.MADAD_INTAKE_MAX_BYTES = 10_000
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    status, _ = _call(
        _environ(f"/intake/d/{device[1]}/submission", b"x" * 20_000, "multipart/form-data; b=1")
    )
    assert status.startswith("413")
    assert IntakeItem.objects.count() == 0
