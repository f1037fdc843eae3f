"""Sensitive values are encrypted at rest, found again through blind indexes, survive key
rotation, and refuse to be read when tampered with."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from pytest_django import Settings

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.core import crypto, secret_keys
from madad.core.crypto import DecryptionError
from madad.core.fields import sensitive_field_names
from madad.core.models import AuditEvent
from madad.people.identity import normalise_phone
from madad.people.models import Person
from madad.people.services import person_find_by_cnic
from tests.core.conftest import PLAINTEXTS, raw_row
from tests.factories import current_totp_code

pytestmark = pytest.mark.django_db

ENCRYPTED = sensitive_field_names(Person)
OLD_KEY, NEW_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _urdu(digits: str) -> str:
    """The number as typed on an Urdu keyboard (Extended Arabic-Indic digits)."""
    return digits.translate(
        str.maketrans("0123456789", "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9")
    )


def _stored(person: Person) -> dict[str, Any]:
    return raw_row(Person, person.pk)


# --- At rest --------------------------------------------------------------------------------


def test_no_identity_value_is_stored_in_plain_text(make_person: Callable[..., Person]) -> None:
    person = make_person()
    row = " | ".join(str(value) for value in _stored(person).values())
    leaked = [text for text in PLAINTEXTS if text in row]
    assert leaked == []
    assert row.count(crypto.PREFIX) == len(ENCRYPTED)


def test_a_cnic_typed_any_way_is_stored_neither_as_digits_nor_dashed(
    make_person: Callable[..., Person],
) -> None:
    person = make_person(cnic=_urdu("42101 7654321 9"))
    row = " | ".join(str(value) for value in _stored(person).values())
    for form in ("4210176543219", "42101-7654321-9", _urdu("42101")):
        assert form not in row


def test_every_identity_field_reads_back_as_it_was_written(
    make_person: Callable[..., Person],
) -> None:
    person = Person.objects.get(pk=make_person().pk)
    assert (person.given_name, person.full_name_ur, person.cnic, person.phone) == (
        "Farhan",
        "فرحان قریشی",
        "4210112345671",
        "923007654321",
    )
    assert person.address == "House 12, Street 4, Lyari Town"


def test_equal_plaintexts_give_different_ciphertexts(make_person: Callable[..., Person]) -> None:
    first, second = make_person(), make_person(cnic="35202-1111111-1")
    assert _stored(first)["given_name"] != _stored(second)["given_name"]
    assert crypto.encrypt("Farhan") != crypto.encrypt("Farhan")


def test_empty_values_stay_empty(make_person: Callable[..., Person]) -> None:
    person = make_person(aliases="", cnic="", phone="")
    stored = _stored(person)
    assert (stored["aliases"], stored["cnic"], stored["cnic_index"]) == ("", "", "")


# --- Blind indexes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "42101-1234567-1",
        "4210112345671",
        "42101 1234567 1",
        " 42101\u20101234567\u20101 ",
        _urdu("42101-1234567-1"),
    ],
)
def test_a_person_is_found_by_their_cnic_however_it_is_typed(
    typed: str, make_person: Callable[..., Person], relief_org: Organisation
) -> None:
    person = make_person()
    make_person(cnic="42101-1234567-2")
    assert person_find_by_cnic(organisation=relief_org, cnic=typed) == person


def test_a_cnic_search_stays_within_the_organisation(
    make_person: Callable[..., Person],
    relief_org: Organisation,
    other_relief_org: Organisation,
) -> None:
    make_person(organisation=other_relief_org)
    assert person_find_by_cnic(organisation=relief_org, cnic="42101-1234567-1") is None


@pytest.mark.parametrize(
    "typed", ["0300-7654321", "+92 300 7654321", "00923007654321", _urdu("03007654321")]
)
def test_a_person_is_found_by_their_phone_however_it_is_typed(
    typed: str, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    make_person(phone="0300-7654320")
    digest = crypto.blind_index(normalise_phone(typed), purpose="phone")
    assert list(Person.objects.filter(phone_index=digest)) == [person]


def test_the_blind_index_is_keyed_and_separated_by_purpose(settings: Settings) -> None:
    cnic = crypto.blind_index("4210112345671", purpose="cnic")
    assert cnic != crypto.blind_index("4210112345671", purpose="phone")
    settings.BLIND_INDEX_KEY = "another key"
    assert cnic != crypto.blind_index("4210112345671", purpose="cnic")


# --- Keys and rotation ----------------------------------------------------------------------


def test_a_value_encrypted_under_an_old_key_still_reads_when_a_new_key_comes_first(
    settings: Settings, make_person: Callable[..., Person]
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    person = make_person()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert Person.objects.get(pk=person.pk).cnic == "4210112345671"
    assert not crypto.is_current(_stored(person)["cnic"])
    assert crypto.is_current(crypto.encrypt("new"))


def test_without_its_key_a_value_cannot_be_read(
    settings: Settings, make_person: Callable[..., Person]
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    person = make_person()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


def test_rotation_re_encrypts_everything_so_that_the_old_key_can_be_removed(
    settings: Settings, make_person: Callable[..., Person]
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    people = [make_person(), make_person(cnic="35202-1111111-1", aliases="")]
    before = {p.pk: _stored(p) for p in people}
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = io.StringIO()
    call_command("keys", "rotate", "--batch-size", "1", stdout=out)
    assert "Re-encrypted 19 values; 0 were already under the current key." in out.getvalue()

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    for person in people:
        after = _stored(person)
        for name in ENCRYPTED:
            if before[person.pk][name]:
                assert after[name] != before[person.pk][name]
                assert crypto.is_current(after[name])
        assert after["cnic_index"] == before[person.pk]["cnic_index"]
    reread = Person.objects.get(pk=people[1].pk)
    assert (reread.given_name, reread.cnic, reread.aliases) == ("Farhan", "3520211111111", "")


def test_a_second_rotation_finds_nothing_to_do(
    settings: Settings, make_person: Callable[..., Person]
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    make_person()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("keys", "rotate", stdout=io.StringIO())
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "Re-encrypted 0 values; 10 were already under the current key." in out.getvalue()


def test_rotation_keeps_two_factor_sign_in_working_after_the_old_key_is_removed(
    settings: Settings, make_user: Callable[..., User]
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    user = make_user(Role.CASEWORKER, totp=False)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("keys", "rotate", stdout=io.StringIO())

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(current_totp_code(secret))
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(recovery).generate_codes() == codes


def test_rotation_is_audited() -> None:
    call_command("keys", "rotate", stdout=io.StringIO())
    assert AuditEvent.objects.filter(action="keys.rotated").count() == 1


def test_a_generated_field_key_is_a_usable_fernet_key() -> None:
    out = io.StringIO()
    call_command("keys", "generate", "--field-key", stdout=out)
    key = out.getvalue().strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


def test_generated_secrets_are_environment_lines_production_accepts() -> None:
    out = io.StringIO()
    call_command("keys", "generate", stdout=out)
    values = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    keys = values["MADAD_FIELD_KEYS"].split(",")
    assert (
        secret_keys.problems(
            secret_key=values["MADAD_SECRET_KEY"],
            field_keys=keys,
            blind_index_key=values["MADAD_BLIND_INDEX_KEY"],
        )
        == []
    )
    assert Fernet(keys[0].encode()).decrypt(Fernet(keys[0].encode()).encrypt(b"x")) == b"x"


# --- Tampering ------------------------------------------------------------------------------


def _overwrite(person: Person, column: str, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE people_person SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, person.pk],
        )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda s: s[:-8] + ("A" if s[-8] != "A" else "B") + s[-7:],  # one character of the MAC
        lambda s: s[:40] + ("A" if s[40] != "A" else "B") + s[41:],  # one character of the body
        lambda s: s[: len(crypto.PREFIX) + 20],  # truncated
        lambda s: s[:-4] + "é" + s[-3:],  # no longer ASCII
        lambda s: s.removeprefix(crypto.PREFIX),  # not marked as ciphertext
    ],
    ids=["mac", "body", "truncated", "not-ascii", "unmarked"],
)
def test_a_tampered_ciphertext_refuses_to_decrypt(
    tamper: Callable[[str], str], make_person: Callable[..., Person]
) -> None:
    person = make_person()
    _overwrite(person, "cnic", tamper(_stored(person)["cnic"]))
    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


# --- Queries --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "endswith",
        "in",
        "gt",
        "lt",
        "regex",
        "range",
    ],
)
def test_filtering_an_encrypted_field_is_refused(lookup: str) -> None:
    value: Any = ["a", "b"] if lookup in ("in", "range") else "4210112345671"
    with pytest.raises(FieldError):
        Person.objects.filter(**{f"cnic__{lookup}": value})


def test_equality_with_a_value_is_refused(make_person: Callable[..., Person]) -> None:
    make_person()
    with pytest.raises(FieldError):
        list(Person.objects.filter(cnic="4210112345671"))


def test_emptiness_and_null_can_be_queried(make_person: Callable[..., Person]) -> None:
    with_cnic, without = make_person(), make_person(cnic="")
    assert list(Person.objects.filter(cnic="")) == [without]
    assert list(Person.objects.exclude(cnic="")) == [with_cnic]
    assert Person.objects.filter(cnic__isnull=False).count() == 2


# --- Two-factor secrets ---------------------------------------------------------------------


def test_a_totp_secret_is_stored_encrypted_and_still_verifies_codes(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.DOCUMENTER, totp=False)
    secret = generate_totp_secret()
    authenticator = TOTP.activate(user, secret).instance
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (stored,) = cursor.fetchone()
    assert secret not in str(stored)
    assert crypto.PREFIX in str(stored)
    fresh = Authenticator.objects.get(pk=authenticator.pk)
    assert crypto.decrypt(fresh.data["secret"]) == secret
    assert TOTP(fresh).validate_code(current_totp_code(secret))


def test_a_recovery_code_seed_is_stored_encrypted(make_user: Callable[..., User]) -> None:
    user = make_user(Role.DOCUMENTER, totp=False)
    authenticator = RecoveryCodes.activate(user).instance
    seed = crypto.decrypt(authenticator.data["seed"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM mfa_authenticator WHERE id = %s", [authenticator.pk])
        (stored,) = cursor.fetchone()
    assert seed not in str(stored)
