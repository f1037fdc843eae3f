"""A logging filter that keeps personal data out of logs.

Madad's code never logs sensitive values; this is the second line: any digits run that looks
like a CNIC or phone number is masked, and request objects attached by Django are dropped so
that handlers cannot print POST bodies.
"""

from __future__ import annotations

import logging
import re

_NUMBERS = re.compile(r"(?<!\d)(\d[\d\- ]{8,}\d)(?!\d)")


class RedactSensitive(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        message = record.getMessage()
        masked = _NUMBERS.sub("[number]", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
