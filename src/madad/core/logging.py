"""A logging filter that keeps personal data out of logs.

Madad's code never logs sensitive values; this is the second line: any digits run that looks
like a CNIC or phone number is masked — in the message, and in the traceback and stack that a
handler would print after it — and request objects attached by Django are dropped so that
handlers cannot print POST bodies. A field device's token, carried in its server URL, is masked
too.
"""

from __future__ import annotations

import logging
import re

# Ten or more digits (any script: \d matches Urdu digits too), possibly broken up by the spaces,
# dashes and brackets people type into phone numbers and national IDs.
_NUMBERS = re.compile(r"(?<!\d)(\d[\d \u00a0\-\u2010-\u2015()]{8,}\d)(?!\d)")
# A field device's token is its credential and travels in its server URL (as ODK Collect
# needs it): /intake/d/<token>/...
_DEVICE_TOKENS = re.compile(r"(/intake/d/)[^/\s?#\"']+")
# ...and in the arguments Django's errors print ('token': '...')
_TOKEN_ARGUMENTS = re.compile(r"""(['"]?token['"]?\s*[:=]\s*['"]?)[A-Za-z0-9_\-]{8,}""")
_TRACEBACKS = logging.Formatter()


def redact(text: str) -> str:
    text = _TOKEN_ARGUMENTS.sub(r"\1[token]", _DEVICE_TOKENS.sub(r"\1[token]", text))
    return _NUMBERS.sub("[number]", text)


class RedactSensitive(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        message = record.getMessage()
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            # formatters print exc_text as it is when it is set, so set it already masked
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
