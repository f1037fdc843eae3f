"""Stops set-up early, with a clear message, on a Python older than Madad supports."""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 (this runs before the venv exists)
    sys.exit(f"Madad needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
