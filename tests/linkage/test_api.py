"""/api/v1/linkage, asked by the owner, a colleague who does not review, and an outsider."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.linkage.models import Decision, LinkageRun, MergeRecord, PersonPair
from madad.people.models import Person
from tests.api.helpers import assert_error_shape

pytestmark = pytest.mark.django_db

Bearer = Callable[[User], dict[str, str]]
API = "/api/v1/linkage"


def test_the_owner_lists_the_pairs_waiting(
    client: Client, bearer: Bearer, documenter: User, pair: PersonPair
) -> None:
    response = client.get(f"{API}/pairs", headers=bearer(documenter))
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [pair.pk]
    assert body["items"][0]["evidence"]["levels"]["cnic"] == 2


def test_a_colleague_whose_role_does_not_review_is_refused(
    client: Client,
    bearer: Bearer,
    caseworker: User,
    pair: PersonPair,
) -> None:
    assert_error_shape(client.get(f"{API}/pairs", headers=bearer(caseworker)), 403, "forbidden")


def test_an_outsider_sees_none_of_ours(
    client: Client, bearer: Bearer, outsider: User, pair: PersonPair
) -> None:
    headers = bearer(outsider)
    assert client.get(f"{API}/pairs", headers=headers).json()["items"] == []
    assert_error_shape(client.get(f"{API}/pairs/{pair.pk}", headers=headers), 404)
    response = client.post(
        f"{API}/pairs/{pair.pk}/decision",
        {"decision": "merged"},
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(response, 404)
    assert Person.objects.filter(pk=pair.person_a_id).exists()


def test_merge_and_undo_through_the_api(
    client: Client, bearer: Bearer, documenter: User, pair: PersonPair
) -> None:
    headers = bearer(documenter)
    merged = client.post(
        f"{API}/pairs/{pair.pk}/decision",
        {"decision": "merged", "keep": "a"},
        content_type="application/json",
        headers=headers,
    )
    assert merged.status_code == 201
    merge = MergeRecord.objects.get()
    assert merged.json() == {
        "id": merge.pk,
        "kept_person_id": pair.person_a_id,
        "merged_person_id": pair.person_b_id,
        "undone": False,
    }
    again = client.post(
        f"{API}/pairs/{pair.pk}/decision",
        {"decision": "not_same"},
        content_type="application/json",
        headers=headers,
    )
    assert_error_shape(again, 409, "refused")
    undone = client.post(f"{API}/merges/{merge.pk}/undo", headers=headers)
    assert undone.status_code == 200 and undone.json()["undone"] is True
    assert Person.objects.filter(pk=pair.person_b_id).exists()
    pair.refresh_from_db()
    assert pair.status == Decision.PENDING


def test_an_unknown_decision_is_a_field_error(
    client: Client, bearer: Bearer, documenter: User, pair: PersonPair
) -> None:
    response = client.post(
        f"{API}/pairs/{pair.pk}/decision",
        {"decision": "burn"},
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert_error_shape(response, 422)


def test_a_run_is_accepted_and_its_progress_read(
    client: Client, bearer: Bearer, documenter: User
) -> None:
    headers = bearer(documenter)
    response = client.post(
        f"{API}/runs", {"kind": "incidents"}, content_type="application/json", headers=headers
    )
    assert response.status_code == 202
    run = LinkageRun.objects.get()
    assert response.json()["id"] == run.pk and run.kind == "incidents"
    assert client.get(f"{API}/runs/{run.pk}", headers=headers).json()["status"] == "queued"


def test_the_check_finds_the_person_in_the_other_script(
    client: Client,
    bearer: Bearer,
    documenter: User,
    ali_roman: Person,
) -> None:
    response = client.post(
        f"{API}/check/person",
        {
            "full_name_ur": "محمد علی خان",
            "father_name": "محمد اسلم خان",
            "cnic": "42101-1234567-1",
            "sex": "male",
        },
        content_type="application/json",
        headers=bearer(documenter),
    )
    assert response.status_code == 200
    found = response.json()
    assert found[0]["person_id"] == ali_roman.pk and found[0]["probability"] > 0.5


def test_the_check_is_refused_to_a_role_that_records_no_persons(
    client: Client,
    bearer: Bearer,
    verifier: User,
) -> None:
    response = client.post(
        f"{API}/check/person",
        {"given_name": "Ali"},
        content_type="application/json",
        headers=bearer(verifier),
    )
    assert_error_shape(response, 403, "forbidden")
