"""Reading the test client's answers."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.http.response import HttpResponseBase


def streamed_body(response: HttpResponseBase) -> bytes:
    """The whole body of a streamed answer (a file download, an export), read to its end."""
    assert isinstance(response, StreamingHttpResponse), f"not streamed: {type(response).__name__}"
    return b"".join(response)
