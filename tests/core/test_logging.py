"""Logs never carry national ID or phone numbers, nor the requests Django attaches to records."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import RequestFactory

from madad.core.logging import RedactSensitive


def _record(msg: str, *args: Any, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("madad.test", logging.WARNING, __file__, 1, msg, args or None, None)
    record.__dict__.update(extra)
    return record


def _filtered(msg: str, *args: Any) -> str:
    record = _record(msg, *args)
    assert RedactSensitive().filter(record) is True  # masks, never swallows
    return record.getMessage()


@pytest.mark.parametrize(
    "number",
    [
        "42101-1234567-1",
        "4210112345671",
        "42101 1234567 1",
        "42101\u20101234567\u20101",
        "\u06f4\u06f2\u06f1\u06f0\u06f1\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f1",
        "0300-1234567",
        "03001234567",
        "923001234567",
        "0300 123 4567",
        "(0300) 1234567",
        "+92 300 1234567",
    ],
)
def test_national_id_and_phone_numbers_are_masked(number: str) -> None:
    masked = _filtered(f"lookup for {number} failed")
    assert masked.startswith("lookup for ")
    assert masked.endswith("[number] failed")
    assert not any(c.isdigit() for c in masked)


def test_numbers_passed_as_arguments_are_masked_too() -> None:
    assert _filtered("person %s has phone %s", 42, "0300-1234567") == "person 42 has phone [number]"


@pytest.mark.parametrize(
    "message",
    [
        "Person #42 saved",
        "GET /people/1234/ 404",
        "took 1234567 microseconds",
        "version 2.3.4",
    ],
)
def test_short_numbers_are_left_alone(message: str) -> None:
    assert _filtered(message) == message


def test_a_request_attached_to_the_record_is_dropped() -> None:
    request = RequestFactory().post("/people/new/", {"cnic": "42101-1234567-1"})
    record = _record("Bad Request: %s", "/people/new/", request=request, status_code=400)
    RedactSensitive().filter(record)
    assert getattr(record, "request", "absent") is None
    assert record.getMessage() == "Bad Request: /people/new/"


def test_a_traceback_is_masked_before_any_handler_prints_it() -> None:
    try:
        raise ValueError("no person with CNIC 42101-1234567-1")
    except ValueError:
        record = _record("import failed")
        record.exc_info = sys.exc_info()
    RedactSensitive().filter(record)
    printed = logging.Formatter().format(record)
    assert "ValueError: no person with CNIC [number]" in printed
    assert "1234567" not in printed


def test_a_stack_is_masked() -> None:
    record = _record("here", stack_info='File "x.py", in f\n    find("42101-1234567-1")')
    RedactSensitive().filter(record)
    assert record.stack_info is not None
    assert "1234567" not in record.stack_info


def test_settings_put_the_filter_on_every_handler_of_the_root_logger() -> None:
    config: dict[str, Any] = settings.LOGGING
    assert config["filters"]["redact"]["()"] == "madad.core.logging.RedactSensitive"
    for name in config["root"]["handlers"]:
        assert "redact" in config["handlers"][name]["filters"]


@pytest.fixture
def root_output() -> Iterator[io.StringIO]:
    """What the configured root handler writes, captured."""
    [handler] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSensitive) for f in h.filters)
    ]
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


@pytest.mark.parametrize("logger", ["madad.people", "django.request", "some.library"])
def test_what_reaches_the_root_handler_from_any_logger_is_masked(
    logger: str, root_output: io.StringIO
) -> None:
    logging.getLogger(logger).error("could not match %s", "42101-1234567-1")
    output = root_output.getvalue()
    assert "could not match [number]" in output
    assert "1234567" not in output


def test_a_device_token_in_a_path_is_masked() -> None:
    from madad.core.logging import redact

    token = "Zx9_k-2bQ"
    line = f'127.0.0.1 "POST /intake/d/{token}/submission" 201'
    assert token not in redact(line)
    assert "/intake/d/[token]/submission" in redact(line)


def test_gunicorn_access_lines_mask_a_device_token() -> None:
    from types import SimpleNamespace

    from madad.gunicorn_config import logger_class

    logger = logger_class.__new__(logger_class)
    response = SimpleNamespace(status="201 Created", sent=0, headers=[])
    request = SimpleNamespace(
        headers=[],
        uri="/intake/d/secret-token/submission",
        path="/intake/d/secret-token/submission",
        query="",
        method="POST",
        version=(1, 1),
    )
    environ = {
        "RAW_URI": request.uri,
        "PATH_INFO": request.path,
        "REQUEST_METHOD": "POST",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "REMOTE_ADDR": "127.0.0.1",
    }
    import datetime as dt

    atoms = logger.atoms(response, request, environ, dt.timedelta(milliseconds=5))
    assert "secret-token" not in atoms["U"]


def test_a_token_in_an_errors_arguments_is_masked() -> None:
    from madad.core.logging import redact

    line = (
        "Reverse for 'form' with keyword arguments '{'token': 'KoxqvomkFjLu-dZHr5hNNT0', 'v': '1'}'"
    )
    assert "KoxqvomkFjLu" not in redact(line)


def test_gunicorn_error_lines_mask_a_device_token(caplog: Any) -> None:
    import logging

    from madad.gunicorn_config import logger_class

    logger = logger_class.__new__(logger_class)
    logger.error_log = logging.getLogger("gunicorn.error.test")
    with caplog.at_level(logging.ERROR, logger="gunicorn.error.test"):
        logger.error("Error handling request %s %s", "POST", "/intake/d/secret-token-1/submission")
    assert "secret-token-1" not in caplog.text
    assert "/intake/d/[token]/submission" in caplog.text
