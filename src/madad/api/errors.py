"""One error shape for every API error:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}

Errors raised inside an endpoint are shaped by the handlers installed here; errors Django
answers before an endpoint runs (unknown route, wrong method) are shaped by
`madad.api.middleware.ApiErrorShapeMiddleware`.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from madad.core.refusals import Invalid, Refused

logger = logging.getLogger("madad.api")


class BadRequest(Refused):
    status = 400
    default_code = "bad_request"
    default_message = gettext_lazy("The request could not be understood.")


class Unauthenticated(Refused):
    status = 401
    default_code = "unauthenticated"
    default_message = gettext_lazy("A valid bearer token is required.")


class Locked(Refused):
    status = 423
    default_code = "locked"
    default_message = gettext_lazy("This account is locked for a while. Try again later.")


class TooLarge(Refused):
    status = 413
    default_code = "too_large"
    default_message = gettext_lazy("The request is too large.")


class UnsupportedMediaType(Refused):
    status = 415
    default_code = "unsupported_media_type"
    default_message = gettext_lazy("Send the request body as application/json.")


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The body of every error response."""

    error: ErrorDetail


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an endpoint documents, all in the one error shape:
    `response={200: CaseOut, **errors(403, 404, 422)}`."""
    return dict.fromkeys(statuses, ErrorOut)


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


# What an error with only a status says: used for errors raised by django-ninja itself and for
# those the middleware reshapes.
STATUS_ERRORS: dict[int, tuple[str, Any]] = {
    400: ("bad_request", gettext_lazy("The request could not be understood.")),
    401: ("unauthenticated", gettext_lazy("A valid bearer token is required.")),
    403: ("forbidden", gettext_lazy("You may not do this.")),
    404: ("not_found", gettext_lazy("Not found.")),
    405: ("method_not_allowed", gettext_lazy("This method is not allowed here.")),
    413: ("too_large", gettext_lazy("The request is too large.")),
    415: ("unsupported_media_type", gettext_lazy("Send the request body as application/json.")),
    429: ("throttled", gettext_lazy("Too many requests. Wait a little and try again.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side. It has been logged.")),
}


def status_error(status: int) -> tuple[str, str]:
    code, message = STATUS_ERRORS.get(
        status,
        (
            "server_error" if status >= 500 else "error",
            STATUS_ERRORS[500][1] if status >= 500 else STATUS_ERRORS[400][1],
        ),
    )
    return code, str(message)


# --- Request bodies -------------------------------------------------------------------------
class _BadBody(Exception):
    """Raised by the parser; django-ninja wraps it in HttpError(400) with this as the cause."""

    def __init__(self, error: Refused) -> None:
        super().__init__(error.message)
        self.error = error


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _unstorable_text(data: Any) -> str | None:
    """The path of the first string that no database can store: one holding a NUL character
    (PostgreSQL refuses it) or a lone surrogate (not encodable as UTF-8)."""
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else str(key)
                if _bad_text(key):
                    return path or "__all__"
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}.{i}" if path else str(i), item) for i, item in enumerate(value))
        elif isinstance(value, str) and _bad_text(value):
            return path or "__all__"
    return None


def _bad_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class JsonBodyParser(Parser):
    """Reads JSON bodies only, and refuses text a database could not store."""

    def parse_body(self, request: HttpRequest) -> Any:
        if not _is_json(request.content_type or ""):
            raise _BadBody(UnsupportedMediaType())
        try:
            body = request.body
        except RequestDataTooBig:
            raise _BadBody(TooLarge()) from None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError
            raise _BadBody(
                BadRequest(_("The request body is not valid JSON."), code="malformed_json")
            ) from None
        if not isinstance(data, dict):
            # `null`, `[]` or `"text"` would otherwise be read as an empty object
            raise _BadBody(Invalid(fields={"__all__": [_("Send a JSON object.")]}))
        where = _unstorable_text(data)
        if where is not None:
            raise _BadBody(
                Invalid(
                    fields={
                        where: [_("Text may not contain NUL characters or unpaired surrogates.")]
                    }
                )
            )
        return data


# --- Validation messages --------------------------------------------------------------------
# pydantic's messages are English only; the common ones are said again here, translatably.
_VALIDATION_MESSAGES: dict[str, Any] = {
    "missing": gettext_lazy("This field is required."),
    "string_type": gettext_lazy("Enter text."),
    "string_unicode": gettext_lazy("Enter text."),
    "int_type": gettext_lazy("Enter a whole number."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_from_float": gettext_lazy("Enter a whole number."),
    "finite_number": gettext_lazy("Enter a whole number."),
    "bool_type": gettext_lazy("Enter true or false."),
    "bool_parsing": gettext_lazy("Enter true or false."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "greater_than_equal": gettext_lazy("Enter a number of at least %(ge)s."),
    "less_than_equal": gettext_lazy("Enter a number of at most %(le)s."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "string_pattern_mismatch": gettext_lazy("Enter a valid value."),
    "model_attributes_type": gettext_lazy("Send a JSON object."),
    "model_type": gettext_lazy("Send a JSON object."),
    "dict_type": gettext_lazy("Send a JSON object."),
    "date_format": gettext_lazy("Enter the date as YYYY-MM-DD."),
}


def _message(err: dict[str, Any]) -> str:
    template = _VALIDATION_MESSAGES.get(str(err.get("type", "")))
    if template is None:
        return str(err.get("msg") or _("Invalid value."))
    context = err.get("ctx") or {}
    try:
        return str(template) % {key: str(value) for key, value in context.items()}
    except (KeyError, ValueError, TypeError):
        return str(err.get("msg") or _("Invalid value."))


def _field_name(loc: list[Any]) -> str:
    # ninja locations look like ["body", "payload", "email"]; keep the part a client named
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "payload")]
    return ".".join(parts) or "__all__"


# --- The errors every operation can answer, documented once ---------------------------------
def _common_statuses(operation: dict[str, Any]) -> list[int]:
    """What any operation of this shape may answer whatever its endpoint says: 401 without a
    valid token, 422 for input its schema refuses (or a number the database cannot hold), 404
    for a record its path names that the caller may not see, and for a JSON body 400
    (unreadable), 413 (too large) and 415 (not JSON)."""
    statuses = []
    if operation.get("security"):
        statuses.append(401)
    parameters = operation.get("parameters", [])
    if any(parameter.get("in") == "path" for parameter in parameters):
        statuses.append(404)
    if "requestBody" in operation:
        statuses += [400, 413, 415]
    if parameters or "requestBody" in operation:
        statuses.append(422)
    if any(parameter.get("in") == "query" for parameter in parameters):
        statuses.append(414)  # answered by the web server, before Madad, for a long query
    return statuses


def document_common_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Adds the common error answers (in the one error shape) to every operation of an OpenAPI
    document that does not describe them itself."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        shape = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(shape.pop("$defs", {}))
        components["ErrorOut"] = shape
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            for status in _common_statuses(operation):
                if str(status) in documented:
                    continue
                if status == 414:
                    responses[status] = {"description": "The query string is too long."}
                else:
                    responses[status] = {
                        "description": status_error(status)[1],
                        "content": content,
                    }
    return schema


def _with_common_errors(api: NinjaAPI) -> None:
    build = api.get_openapi_schema

    def get_openapi_schema(
        *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        return document_common_errors(build(path_prefix=path_prefix, path_params=path_params))

    # the document is built on request, after every app's router is mounted
    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]


def _respond(
    api: NinjaAPI, request: HttpRequest, status: int, body: dict[str, Any]
) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _refused(api: NinjaAPI, request: HttpRequest, exc: Refused) -> HttpResponse:
    return _respond(api, request, exc.status, error_body(exc.code, exc.message, exc.fields))


def install(api: NinjaAPI) -> None:
    _with_common_errors(api)
    _install_refusals(api)
    _install_framework_errors(api)


def _install_refusals(api: NinjaAPI) -> None:
    """Refusals of Madad's services, and what the database cannot hold."""

    @api.exception_handler(Refused)
    def _refusal(request: HttpRequest, exc: Refused) -> HttpResponse:
        return _refused(api, request, exc)

    @api.exception_handler(DjangoValidationError)
    def _invalid_model(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return _refused(api, request, Refused.from_validation_error(exc))

    @api.exception_handler(RequestDataTooBig)
    def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return _refused(api, request, TooLarge())

    @api.exception_handler(OverflowError)
    def _out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # a number too large for the database, from a parameter whose schema set no bound
        return _refused(api, request, Invalid(fields={"__all__": [_("A number is out of range.")]}))

    @api.exception_handler(MultiPartParserError)
    def _unreadable_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        # e.g. "multipart/form-data" without a boundary: the body cannot be split into fields
        return _refused(
            api, request, BadRequest(_("The request body could not be read as a form."))
        )

    @api.exception_handler(Exception)
    def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Logged with its traceback (logs never carry personal data: see core.logging); the
        # client learns nothing of the cause.
        logger.error("Unhandled error answering %s %s", request.method, request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        code, message = status_error(500)
        return _respond(api, request, 500, error_body(code, message))


def _install_framework_errors(api: NinjaAPI) -> None:
    """Errors django-ninja and Django raise: input the schema refuses, no token, no route."""

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            fields.setdefault(_field_name(list(err.get("loc", []))), []).append(_message(err))
        body = error_body("invalid", _("The request has errors."), fields)
        return _respond(api, request, 422, body)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        code, message = status_error(401)
        return _respond(api, request, 401, error_body(code, message))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        code, message = status_error(404)
        return _respond(api, request, 404, error_body(code, message))

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, _BadBody):
            return _refused(api, request, exc.__cause__.error)
        if exc.status_code == 400 and exc.__cause__ is not None:
            # django-ninja could not read the body at all
            body = error_body("malformed_json", _("The request body is not valid JSON."))
            return _respond(api, request, 400, body)
        code, message = status_error(exc.status_code)
        return _respond(api, request, exc.status_code, error_body(code, message))
