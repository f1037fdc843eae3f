import os
import tempfile
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "madad.settings")
_django = get_wsgi_application()

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
_SPOOL_IN_MEMORY = 1024 * 1024


def _chunked_body_measured(environ: Environ) -> bool:
    """Django reads a request body only as far as its Content-Length, so a body sent with
    `Transfer-Encoding: chunked` (ODK Collect may send one) would arrive empty. When the server
    has already de-chunked it (gunicorn says so with `wsgi.input_terminated`), it is read here
    into a spooled file, up to the largest body Madad takes, and given its length. False when
    it is larger than that."""
    from django.conf import settings

    limit = max(settings.MADAD_INTAKE_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    stream = environ["wsgi.input"]
    while chunk := stream.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            spool.close()
            return False
        spool.write(chunk)
    spool.seek(0)
    environ["wsgi.input"] = spool
    environ["CONTENT_LENGTH"] = str(size)
    return True


def application(environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    terminated = environ.get("wsgi.input_terminated")
    if (
        chunked
        and not environ.get("CONTENT_LENGTH")
        and terminated
        and not _chunked_body_measured(environ)
    ):
        start_response("413 Content Too Large", [("Content-Type", "text/plain")])
        return [b"The request is larger than this server takes.\n"]
    return _django(environ, start_response)
