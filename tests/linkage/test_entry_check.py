"""The duplicate check on saving: a new person or incident that may already be recorded is
shown with its possible duplicates, and saved only once the user says it is another one.
Without script as well: the server checks, not only the form's live check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django import Settings

from madad.accounts.models import User
from madad.incidents.models import Incident
from madad.people.models import Person
from tests.incidents.factories import Gazetteer, incident_type, record_incident
from tests.incidents.test_incident_form import _data as incident_form_data

pytestmark = pytest.mark.django_db

SignedIn = Callable[[User], Client]
PERSON_URL = "/people/new/"
INCIDENT_URL = "/incidents/new/"
ALI_IN_URDU = {
    "full_name_ur": "محمد علی خان",
    "father_name": "محمد اسلم خان",
    "sex": "male",
    "cnic": "42101-1234567-1",
}


def test_a_possible_duplicate_person_is_shown_and_nothing_is_saved(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
) -> None:
    response = signed_in(documenter).post(PERSON_URL, ALI_IN_URDU)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Possible duplicate of person #{ali_roman.pk}" in html
    assert 'name="duplicates_checked"' in html
    assert Person.objects.count() == 1
    # the entered values are still in the form, for the user to correct or confirm
    assert "محمد علی خان" in html


def test_saved_once_the_user_says_it_is_someone_else(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
) -> None:
    response = signed_in(documenter).post(PERSON_URL, {**ALI_IN_URDU, "duplicates_checked": "1"})
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_somebody_new_is_saved_at_once(
    signed_in: SignedIn, documenter: User, ali_roman: Person
) -> None:
    response = signed_in(documenter).post(
        PERSON_URL, {"given_name": "Zainab", "family_name": "Latif", "sex": "female"}
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_an_invalid_form_is_refused_before_any_check(
    signed_in: SignedIn, documenter: User, ali_roman: Person
) -> None:
    response = signed_in(documenter).post(PERSON_URL, {**ALI_IN_URDU, "cnic": "12"})
    assert response.status_code == 422
    assert "Possible duplicate" not in response.content.decode()
    assert Person.objects.count() == 1


def test_another_organisations_persons_are_never_offered(
    signed_in: SignedIn,
    outsider: User,
    ali_roman: Person,
) -> None:
    response = signed_in(outsider).post(
        PERSON_URL,
        {
            "given_name": "Mohd. Ali",
            "family_name": "Khan",
            "sex": "male",
            "cnic": "42101-1234567-1",
        },
    )
    assert response.status_code == 302
    assert Person.objects.filter(organisation=outsider.organisation).count() == 1


def test_a_possible_duplicate_incident_is_shown_and_nothing_is_saved(
    signed_in: SignedIn,
    documenter: User,
    places: Gazetteer,
) -> None:
    reported = record_incident(by=documenter, place=places.orchard, start_date=dt.date(2012, 5, 6))
    data = incident_form_data(places, start_date="2012-05-07")
    client = signed_in(documenter)
    response = client.post(INCIDENT_URL, data)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Possible duplicate of incident #{reported.pk}" in html
    assert Incident.objects.count() == 1

    response = client.post(INCIDENT_URL, {**data, "duplicates_checked": "1"})
    assert response.status_code == 302
    assert Incident.objects.count() == 2


def test_an_incident_elsewhere_and_later_is_saved_at_once(
    signed_in: SignedIn,
    documenter: User,
    places: Gazetteer,
) -> None:
    record_incident(by=documenter, place=places.orchard, start_date=dt.date(2012, 5, 6))
    data = incident_form_data(
        places,
        start_date="2013-09-20",
        place=places.harbour.pk,
        types=[incident_type("extortion-demand").pk],
    )
    response = signed_in(documenter).post(INCIDENT_URL, data)
    assert response.status_code == 302
    assert Incident.objects.count() == 2


def test_another_organisations_incidents_are_never_offered(
    signed_in: SignedIn,
    documenter: User,
    outsider: User,
    places: Gazetteer,
) -> None:
    record_incident(by=documenter, place=places.orchard, start_date=dt.date(2012, 5, 6))
    response = signed_in(outsider).post(
        INCIDENT_URL, incident_form_data(places, start_date="2012-05-06")
    )
    assert response.status_code == 302
    assert Incident.objects.filter(organisation=outsider.organisation).count() == 1


def test_the_question_is_asked_in_urdu_too(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
    settings: Settings,
) -> None:
    client = signed_in(documenter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    html = client.post(PERSON_URL, ALI_IN_URDU).content.decode()
    assert "ممکنہ دہرا ریکارڈ" in html
    assert "میں نے ممکنہ دہرے ریکارڈ دیکھ لیے ہیں: یہ کوئی اور شخص ہے" in html


def test_a_person_saved_today_is_found_across_scripts_at_once(
    signed_in: SignedIn,
    documenter: User,
) -> None:
    """No batch run in between: saving a person stores the keys the check looks up, so the
    same man typed in the other script, without any number, is found."""
    client = signed_in(documenter)
    assert (
        client.post(
            PERSON_URL,
            {
                "given_name": "Mohd. Ali",
                "family_name": "Khan",
                "father_name": "Muhammad Aslam Khan",
                "sex": "male",
                "date_of_birth": "1985-05-01",
            },
        ).status_code
        == 302
    )
    response = client.post(
        PERSON_URL,
        {
            "full_name_ur": "محمد علی خان",
            "father_name": "محمد اسلم خان",
            "sex": "male",
            "date_of_birth": "1985-05-01",
        },
    )
    assert response.status_code == 409
    first = Person.objects.get()
    assert f"Possible duplicate of person #{first.pk}" in response.content.decode()


def test_a_changed_name_moves_the_keys(
    signed_in: SignedIn, documenter: User, ali_roman: Person
) -> None:
    from madad.linkage.models import PersonMatchKey
    from madad.people.services import person_update

    before = set(PersonMatchKey.objects.filter(person=ali_roman).values_list("key", flat=True))
    assert before
    person_update(
        person=ali_roman,
        updated_by=documenter,
        expected_version=ali_roman.version,
        given_name="Imran",
        family_name="Siddiqui",
    )
    after = set(PersonMatchKey.objects.filter(person=ali_roman).values_list("key", flat=True))
    assert after and after != before


def test_no_typed_name_stays_in_the_matchers_caches(
    signed_in: SignedIn,
    documenter: User,
    ali_roman: Person,
) -> None:
    """The web process forgets the names it normalised, after a check that found nobody, a
    check that found someone, and a save."""
    from madad.linkage.matching import features

    def cached() -> int:
        return (
            features._words.cache_info().currsize
            + features._skeleton.cache_info().currsize
            + len(features._INTERNED)
        )

    client = signed_in(documenter)
    for data in (
        {"given_name": "Zainab", "family_name": "Latif", "sex": "female"},
        ALI_IN_URDU,
        {**ALI_IN_URDU, "duplicates_checked": "1"},
    ):
        client.post(PERSON_URL, data)
        assert cached() == 0
