"""The rules user_create, user_deactivate and organisation_create guarantee."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from madad.accounts import services
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "river lantern quietly 4711"


def _create(organisation: Organisation, **changes) -> User:
    values = {
        "email": "Amina@Test.Madad ",
        "full_name": " Amina Baloch ",
        "role": Role.CASEWORKER,
        "password": PASSWORD,
        "organisation": organisation,
        **changes,
    }
    return services.user_create(**values)


def test_it_stores_the_email_address_in_lower_case(relief_org) -> None:
    user = _create(relief_org)
    assert user.email == "amina@test.madad"
    assert user.full_name == "Amina Baloch"


def test_it_refuses_a_second_account_with_the_same_address(relief_org) -> None:
    _create(relief_org)
    with pytest.raises(ValidationError) as refused:
        _create(relief_org, email="AMINA@test.madad")
    assert "email" in refused.value.message_dict
    assert User.objects.count() == 1


def test_partner_organisations_have_partner_users_only(partner_org, relief_org) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(partner_org, role=Role.CASEWORKER)
    assert "role" in refused.value.message_dict
    with pytest.raises(ValidationError):
        _create(relief_org, role=Role.PARTNER)
    assert _create(partner_org, role=Role.PARTNER).role == Role.PARTNER


def test_an_administrator_adds_users_to_their_own_organisation_only(
    make_user, relief_org, other_relief_org
) -> None:
    admin = make_user(Role.ADMINISTRATOR, organisation=relief_org)
    with pytest.raises(ValidationError) as refused:
        _create(other_relief_org, created_by=admin)
    assert "organisation" in refused.value.message_dict
    assert not User.objects.filter(email="amina@test.madad").exists()


def test_it_refuses_a_weak_password_and_writes_nothing(relief_org) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(relief_org, password="password")
    assert "password" in refused.value.message_dict
    assert not User.objects.exists()
    assert not AuditEvent.objects.filter(action="user.created").exists()


def test_it_reports_every_problem_at_once(relief_org) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(relief_org, email="nope", full_name="", role="boss", password="1")
    assert set(refused.value.message_dict) == {"email", "full_name", "role", "password"}


def test_it_audits_field_names_never_values(relief_org) -> None:
    user = _create(relief_org)
    event = AuditEvent.objects.get(action="user.created")
    assert event.object_id == str(user.pk)
    assert sorted(event.fields) == ["email", "full_name", "role"]


def test_nobody_deactivates_themselves(make_user) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError):
        services.user_deactivate(user=admin, deactivated_by=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_reactivating_clears_a_lockout(make_user) -> None:
    admin = make_user(Role.ADMINISTRATOR)
    user = make_user(Role.DOCUMENTER, is_active=False, failed_signins=9)
    services.user_reactivate(user=user, reactivated_by=admin)
    user.refresh_from_db()
    assert user.is_active and user.failed_signins == 0


def test_organisation_names_are_unique_whatever_the_case(db) -> None:
    services.organisation_create(name="Hope Trust", kind=Organisation.Kind.RELIEF)
    with pytest.raises(ValidationError) as refused:
        services.organisation_create(name="hope trust", kind=Organisation.Kind.NGO)
    assert "name" in refused.value.message_dict
    assert Organisation.objects.count() == 1


def test_an_organisation_needs_a_name_and_a_known_kind(db) -> None:
    with pytest.raises(ValidationError) as refused:
        services.organisation_create(name="  ", kind="club")
    assert set(refused.value.message_dict) == {"name", "kind"}
    assert not Organisation.objects.exists()


def test_signin_failures_from_several_requests_all_count(make_user) -> None:
    user = make_user(Role.DOCUMENTER)
    for _attempt in range(6):
        services.signin_failed(email=user.email.upper(), request=None)
    user.refresh_from_db()
    assert user.failed_signins == 6 and user.is_locked()
