"""What the person and incident forms show while a record is being typed: "possible duplicate
of ..." (the check itself is linkage.checks). Staff views of people, incidents and linkage use
it; it reads the posted form and the signed-in user, so it sits with the interfaces."""

from __future__ import annotations

from typing import Any

from madad import access
from madad.access.roles import Capability
from madad.accounts.models import User
from madad.core.http import AuthedRequest
from madad.linkage.checks import NAMES, match_candidates
from madad.linkage.evidence import lines
from madad.linkage.forms import IncidentCheckForm
from madad.people.models import Person

DUPLICATES_CHECKED = "duplicates_checked"  # posted once the user has looked at the duplicates


def identity_names(user: User, persons: list[Person]) -> dict[int, dict[str, Any]]:
    """Names for display, each read audited; none for a role without identity access."""
    if not access.can(user, Capability.PERSON_IDENTITY_VIEW):
        return {}
    return {p.pk: access.reveal(user, p, wanted=NAMES) for p in persons}


def person_check_rows(
    request: AuthedRequest, data: dict[str, Any], exclude: int | None = None
) -> list[dict[str, Any]]:
    """The possible duplicates of the person described by `data` (the person form's cleaned
    fields), as the check shows them: candidate, names (audited reads) and the evidence."""
    found = match_candidates(
        organisation_id=request.user.organisation_id,
        data=data,
        exclude_person_id=exclude,
    )
    names = identity_names(request.user, [c.person for c in found])
    return [
        {
            "candidate": c,
            "names": names.get(c.person.pk),
            "lines": [ln for ln in lines(c.evidence) if ln.direction != "neutral"],
        }
        for c in found
    ]


def incident_check_data(post: Any) -> dict[str, Any]:
    """What the incident duplicate check reads from a posted incident form: dates, place,
    types and the existing persons named as victims; fields that do not validate are left
    out."""
    form = IncidentCheckForm(post)
    form.is_valid()
    data = dict(getattr(form, "cleaned_data", {}))
    data["victims"] = {
        int(value)
        for key, value in post.items()
        if key.startswith("acts-") and key.endswith("-victim_id") and value.isdigit()
    }
    return data
