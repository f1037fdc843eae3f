"""Gunicorn's settings for a Madad app server: `gunicorn -c python:madad.gunicorn_config`.

Read from the environment, as Madad's own settings are:

- MADAD_BIND: the address to listen on (127.0.0.1:8000). Two servers on one host need two.
- MADAD_WEB_WORKERS: sync worker processes; by default 2 per core this process may use, plus
  one (gunicorn's own advice). Sync workers are the fast path on small machines.
- Each instance keeps its control socket beside its data, named for its address: gunicorn's
  default is one path per user, so two instances on one host would delete each other's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from gunicorn import glogging

from madad.core.logging import redact


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _workers() -> int:
    raw = os.environ.get("MADAD_WEB_WORKERS", "").strip()
    if not raw:
        return 2 * _cores() + 1
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"MADAD_WEB_WORKERS must be a whole number of at least 1; got {raw!r}.")
    return int(raw)


def _control_socket(address: str) -> str:
    var_dir = Path(
        os.environ.get("MADAD_VAR_DIR") or Path(__file__).resolve().parent.parent.parent / "var"
    )
    run = var_dir / "run"
    run.mkdir(mode=0o700, parents=True, exist_ok=True)
    return str(run / f"gunicorn-{re.sub(r'[^A-Za-z0-9.]+', '-', address).strip('-')}.ctl")


wsgi_app = "madad.wsgi:application"
bind = [os.environ.get("MADAD_BIND", "").strip() or "127.0.0.1:8000"]
workers = _workers()
control_socket = _control_socket(bind[0])
# Long enough for an evidence upload on a slow line to finish when the server is told to stop.
graceful_timeout = 30
accesslog = "-"
# Method, path without the query string (it may hold a search), status, size, time: no more.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class _RedactingLogger(glogging.Logger):  # type: ignore[misc]
    """Gunicorn's logger, with the path masked as Madad's own logs are (a field device's token
    travels in its URL)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        found: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        found["U"] = redact(str(found.get("U", "")))
        return found

    # its own messages ("Error handling request <method> <uri>") name the path too
    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().error(redact(msg % args if args else str(msg)), **kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().exception(redact(msg % args if args else str(msg)), **kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().warning(redact(msg % args if args else str(msg)), **kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().info(redact(msg % args if args else str(msg)), **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        super().debug(redact(msg % args if args else str(msg)), **kwargs)


logger_class = _RedactingLogger
