"""The reference data that migrations seed is there for every test, even after a transactional
test flushed the database."""

from __future__ import annotations

import pytest

from madad.incidents.models import IncidentType
from madad.places.models import Place


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_sees_the_seeded_data() -> None:
    assert IncidentType.objects.filter(code="targeted-killing").exists()
    assert Place.objects.filter(level=Place.Level.DISTRICT).count() == 7


@pytest.mark.django_db
def test_the_next_test_still_sees_it() -> None:
    assert IncidentType.objects.count() >= 10
    assert Place.objects.filter(code__startswith="khi").exists()
