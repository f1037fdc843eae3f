from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client


@pytest.fixture
def client_factory() -> Callable[[], Client]:
    """A new browser each call: no cookies shared with the others."""
    return Client
