from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from madad.core import access
from madad.people.models import Person


def person_list(*, user: Any) -> QuerySet[Person]:
    return access.visible_to(user, Person).select_related("organisation")
