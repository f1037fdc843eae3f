"""The access policy on its own: capabilities, visible records, readable fields, reveals, changes
and exports, for every role, and for nobody signed in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404

from madad import access
from madad.access.people import PERSON_IDENTITY_FIELDS
from madad.access.roles import CAPABILITIES, Capability
from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core.audit import audit_record
from madad.core.models import AuditEvent
from madad.people.models import Person

pytestmark = pytest.mark.django_db

ALL_CAPABILITIES = sorted({c for caps in CAPABILITIES.values() for c in caps})
PERSON_READERS = {Role.COORDINATOR, Role.DOCUMENTER, Role.VERIFIER, Role.CASEWORKER}
PERSON_EDITORS = {Role.COORDINATOR, Role.DOCUMENTER, Role.CASEWORKER}
AUDIT_READERS = {Role.ADMINISTRATOR, Role.AUDITOR}
PERSON_PUBLIC_FIELDS = {"id", "sex", "age", "deceased", "occupation", "created_at", "version"}


@pytest.fixture
def user_in_role(
    make_user: Callable[..., User], relief_org: Organisation, partner_org: Organisation
) -> Callable[..., User]:
    """A user of the relief organisation, or of the partner organisation for the partner role."""

    def make(role: str, **extra: Any) -> User:
        organisation = partner_org if role == Role.PARTNER else relief_org
        return make_user(role, organisation, **extra)

    return make


def _denials() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied"))


# --- can() ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_a_user_can_do_exactly_what_their_role_carries(
    role: str, user_in_role: Callable[..., User]
) -> None:
    user = user_in_role(role)
    granted = {c for c in ALL_CAPABILITIES if access.can(user, c)}
    assert granted == CAPABILITIES[role]


def test_a_documenter_may_edit_persons_but_not_read_the_audit_trail(
    user_in_role: Callable[..., User],
) -> None:
    documenter = user_in_role(Role.DOCUMENTER)
    assert access.can(documenter, Capability.PERSON_EDIT)
    assert not access.can(documenter, Capability.AUDIT_VIEW)


def test_nobody_signed_out_or_deactivated_can_do_anything(
    user_in_role: Callable[..., User],
) -> None:
    deactivated = user_in_role(Role.AUDITOR, is_active=False)
    for user in (None, AnonymousUser(), deactivated):
        assert not any(access.can(user, c) for c in ALL_CAPABILITIES)


def test_an_unknown_role_carries_nothing(user_in_role: Callable[..., User]) -> None:
    user = user_in_role(Role.DOCUMENTER)
    user.role = "superhero"
    assert not any(access.can(user, c) for c in ALL_CAPABILITIES)


# --- visible_to() ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_administrators_see_their_colleagues_and_everybody_sees_themselves(
    role: str,
    user_in_role: Callable[..., User],
    make_user: Callable[..., User],
    relief_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    user = user_in_role(role)
    colleague = make_user(Role.CASEWORKER, relief_org)
    outsider = make_user(Role.CASEWORKER, other_relief_org)
    visible = set(access.visible_to(user, User))
    assert user in visible
    assert outsider not in visible
    assert (colleague in visible) == (role == Role.ADMINISTRATOR)


@pytest.mark.parametrize("role", Role.values)
def test_everybody_sees_their_own_organisation_and_no_other(
    role: str, user_in_role: Callable[..., User], other_relief_org: Organisation
) -> None:
    user = user_in_role(role)
    assert list(access.visible_to(user, Organisation)) == [user.organisation]


@pytest.mark.parametrize("role", Role.values)
def test_only_auditors_and_administrators_see_the_audit_trail_of_their_organisation(
    role: str,
    user_in_role: Callable[..., User],
    relief_org: Organisation,
    partner_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    user = user_in_role(role)
    own = audit_record(action="test.own", organisation=user.organisation)
    audit_record(action="test.other", organisation=other_relief_org)
    audit_record(action="test.system")  # no organisation: nobody's to read
    visible = list(access.visible_to(user, AuditEvent))
    assert visible == ([own] if role in AUDIT_READERS else [])


@pytest.mark.parametrize("role", Role.values)
def test_only_relief_staff_who_work_with_persons_see_their_organisations_persons(
    role: str,
    user_in_role: Callable[..., User],
    make_person: Callable[..., Person],
    other_relief_org: Organisation,
) -> None:
    user = user_in_role(role)
    own = make_person()
    make_person(organisation=other_relief_org)
    visible = list(access.visible_to(user, Person))
    assert visible == ([own] if role in PERSON_READERS else [])


def test_a_person_reader_in_a_partner_organisation_sees_no_persons(
    make_user: Callable[..., User],
    partner_org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    make_person(organisation=partner_org)  # even persons recorded under its own name
    misplaced = make_user(Role.DOCUMENTER, partner_org)
    assert not access.visible_to(misplaced, Person).exists()


@pytest.mark.parametrize("model", [User, Organisation, AuditEvent, Person])
def test_nobody_signed_out_or_deactivated_sees_any_record(
    model: type[models.Model],
    user_in_role: Callable[..., User],
    make_person: Callable[..., Person],
    relief_org: Organisation,
) -> None:
    deactivated = user_in_role(Role.ADMINISTRATOR, is_active=False)
    make_person()
    audit_record(action="test.event", organisation=relief_org)
    assert model._default_manager.exists()
    for user in (None, AnonymousUser(), deactivated):
        assert not access.visible_to(user, model).exists()


@pytest.mark.parametrize("role", Role.values)
def test_a_model_without_rules_is_visible_to_nobody(
    role: str, user_in_role: Callable[..., User]
) -> None:
    user = user_in_role(role)
    assert ContentType.objects.exists()
    assert not access.visible_to(user, ContentType).exists()
    assert access.readable_fields(user, ContentType) == frozenset()
    content_type = ContentType.objects.first()
    assert content_type is not None
    assert not access.can_change(user, content_type)


# --- get_visible_or_404() -------------------------------------------------------------------


def test_a_record_of_the_users_organisation_is_returned(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    documenter = user_in_role(Role.DOCUMENTER)
    assert access.get_visible_or_404(documenter, Person, pk=person.pk) == person
    assert _denials() == []


def test_another_organisations_record_answers_404_and_the_attempt_is_audited(
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    person = make_person()
    outsider = make_user(Role.DOCUMENTER, other_relief_org)
    with pytest.raises(Http404):
        access.get_visible_or_404(outsider, Person, pk=person.pk)
    [denial] = _denials()
    assert (denial.actor, denial.organisation, denial.object_type, denial.object_id) == (
        outsider,
        other_relief_org,
        "people.person",
        str(person.pk),
    )


def test_a_record_that_does_not_exist_answers_the_same_404_without_an_audit_event(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    documenter = user_in_role(Role.DOCUMENTER)
    missing = make_person().pk + 1000
    for lookup in (missing, "not-a-number"):
        with pytest.raises(Http404):
            access.get_visible_or_404(documenter, Person, pk=lookup)
    assert _denials() == []


def test_a_signed_out_visitor_gets_404_and_the_attempt_is_audited_without_an_actor(
    make_person: Callable[..., Person],
) -> None:
    person = make_person()
    with pytest.raises(Http404):
        access.get_visible_or_404(AnonymousUser(), Person, pk=person.pk)
    [denial] = _denials()
    assert denial.actor is None
    assert denial.object_id == str(person.pk)


# --- readable_fields() ----------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_identity_fields_are_readable_only_with_the_identity_capability(
    role: str, user_in_role: Callable[..., User]
) -> None:
    user = user_in_role(role)
    fields = access.readable_fields(user, Person)
    assert fields >= PERSON_PUBLIC_FIELDS
    if Capability.PERSON_IDENTITY_VIEW in CAPABILITIES[role]:
        assert fields == PERSON_PUBLIC_FIELDS | set(PERSON_IDENTITY_FIELDS)
    else:
        assert fields == PERSON_PUBLIC_FIELDS


def test_nobody_signed_out_or_deactivated_may_read_any_field(
    user_in_role: Callable[..., User],
) -> None:
    deactivated = user_in_role(Role.DOCUMENTER, is_active=False)
    for user in (None, AnonymousUser(), deactivated):
        assert access.readable_fields(user, Person) == frozenset()


def test_every_encrypted_field_of_a_person_is_a_restricted_field() -> None:
    encrypted = {f.name for f in Person._meta.get_fields() if getattr(f, "sensitive", False)}
    assert encrypted <= set(PERSON_IDENTITY_FIELDS)


# --- reveal() -------------------------------------------------------------------------------


def test_reveal_gives_a_documenter_the_identity_and_audits_the_field_names(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    documenter = user_in_role(Role.DOCUMENTER)
    shown = access.reveal(documenter, person)
    assert set(shown) == PERSON_PUBLIC_FIELDS | set(PERSON_IDENTITY_FIELDS)
    assert shown["cnic"] == "4210112345671"
    assert shown["full_name_ur"] == "فرحان قریشی"
    [event] = AuditEvent.objects.filter(action="person.identity.viewed")
    assert (event.actor, event.object_id) == (documenter, str(person.pk))
    assert event.fields == sorted(PERSON_IDENTITY_FIELDS)


def test_reveal_of_only_public_fields_is_not_audited(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    documenter = user_in_role(Role.DOCUMENTER)
    assert access.reveal(documenter, person, wanted=["sex", "age"]) == {"sex": "male", "age": 40}
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


def test_reveal_audits_exactly_the_sensitive_fields_read(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    caseworker = user_in_role(Role.CASEWORKER)
    shown = access.reveal(caseworker, person, wanted=["phone", "sex"])
    assert shown == {"phone": "923007654321", "sex": "male"}
    [event] = AuditEvent.objects.filter(action="person.identity.viewed")
    assert event.fields == ["phone"]


def test_reveal_leaves_out_fields_the_role_may_not_read_and_audits_nothing(
    monkeypatch: pytest.MonkeyPatch,
    user_in_role: Callable[..., User],
    make_person: Callable[..., Person],
) -> None:
    # a role that may list persons but not read who they are
    monkeypatch.setitem(CAPABILITIES, Role.FINANCE, frozenset({Capability.PERSON_VIEW}))
    person = make_person()
    finance = user_in_role(Role.FINANCE)
    shown = access.reveal(finance, person, wanted=["cnic", "given_name", "age"])
    assert shown == {"age": 40}
    assert set(access.reveal(finance, person)) == PERSON_PUBLIC_FIELDS
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()


def test_reveal_of_another_organisations_person_answers_404_and_reads_nothing(
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    make_person: Callable[..., Person],
) -> None:
    person = make_person()
    outsider = make_user(Role.DOCUMENTER, other_relief_org)  # holds the identity capability
    with pytest.raises(Http404):
        access.reveal(outsider, person)
    assert not AuditEvent.objects.filter(action="person.identity.viewed").exists()
    [denial] = _denials()
    assert denial.actor == outsider


# --- can_change() ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_only_person_editors_may_change_a_person_of_their_organisation(
    role: str, user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    user = user_in_role(role)
    assert access.can_change(user, make_person()) == (role in PERSON_EDITORS)


def test_nobody_may_change_another_organisations_person(
    make_user: Callable[..., User],
    other_relief_org: Organisation,
    make_person: Callable[..., Person],
    user_in_role: Callable[..., User],
) -> None:
    person = make_person(organisation=other_relief_org)
    for role in PERSON_EDITORS:
        assert not access.can_change(user_in_role(role), person)


def test_a_deactivated_editor_may_change_nothing(
    user_in_role: Callable[..., User], make_person: Callable[..., Person]
) -> None:
    assert not access.can_change(user_in_role(Role.DOCUMENTER, is_active=False), make_person())
    assert not access.can_change(AnonymousUser(), make_person())


def test_an_administrator_may_change_users_of_their_organisation_only(
    make_user: Callable[..., User],
    relief_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    administrator = make_user(Role.ADMINISTRATOR, relief_org)
    colleague = make_user(Role.CASEWORKER, relief_org)
    outsider = make_user(Role.CASEWORKER, other_relief_org)
    assert access.can_change(administrator, colleague)
    assert not access.can_change(administrator, outsider)
    assert not access.can_change(colleague, colleague)


def test_nobody_may_change_an_organisation_or_an_audit_event(
    user_in_role: Callable[..., User], relief_org: Organisation
) -> None:
    event = audit_record(action="test.event", organisation=relief_org)
    for role in Role.values:
        user = user_in_role(role)
        assert not access.can_change(user, user.organisation)
        assert not access.can_change(user, event)


# --- can_export() ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("what", "exporters"),
    [
        ("audit", {Role.AUDITOR}),
        ("persons", {Role.COORDINATOR}),
        ("incidents", {Role.COORDINATOR}),
    ],
)
def test_only_the_named_roles_may_export(
    what: str, exporters: set[str], user_in_role: Callable[..., User]
) -> None:
    allowed = {role for role in Role.values if access.can_export(user_in_role(role), what)}
    assert allowed == exporters


@pytest.mark.parametrize("what", ["testimonies", "audits", "person", "", "anything"])
def test_an_export_without_a_rule_is_refused_to_everybody(
    what: str, user_in_role: Callable[..., User]
) -> None:
    assert not any(access.can_export(user_in_role(role), what) for role in Role.values)


def test_nobody_signed_out_or_deactivated_may_export(user_in_role: Callable[..., User]) -> None:
    deactivated = user_in_role(Role.AUDITOR, is_active=False)
    for user in (None, AnonymousUser(), deactivated):
        assert not access.can_export(user, "audit")
