"""Adding XLSForms: conversion with pyxform, versions, the organisation's key."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from madad.accounts.models import Organisation, User
from madad.core.refusals import Invalid
from madad.intake import encryption, fieldforms, xlsform
from madad.intake.models import Form, FormVersion

pytestmark = pytest.mark.django_db


def _book(settings_row: dict[str, str], survey: list[list[str]] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for row in survey or [["text", "what", "What happened?"]]:
        sheet.append(row)
    settings = book.create_sheet("settings")
    settings.append(list(settings_row))
    settings.append(list(settings_row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsform_becomes_a_versioned_form(relief_org: Organisation, coordinator: User) -> None:
    data = _book({"form_title": "Quick note", "form_id": "quick_note", "version": "1"})
    first = fieldforms.form_add(organisation=relief_org, data=data, added_by=coordinator)
    assert (first.form.form_id, first.version, first.encrypted) == ("quick_note", "1", False)
    assert 'id="quick_note"' in first.xml
    with pytest.raises(Invalid) as refused:
        fieldforms.form_add(organisation=relief_org, data=data, added_by=coordinator)
    assert "already here" in refused.value.fields["xlsform"][0]
    second = fieldforms.form_add(
        organisation=relief_org,
        data=_book({"form_title": "Quick note", "form_id": "quick_note", "version": "2"}),
        added_by=coordinator,
        encrypt=True,
    )
    assert second.encrypted
    assert encryption.public_key_base64() in second.xml
    assert Form.objects.count() == 1 and FormVersion.objects.count() == 2
    assert first.form.current == second


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 not really a zip", "not an XLSForm"),
        (b"", "not an XLSForm"),
    ],
)
def test_what_is_not_a_form_is_refused(relief_org: Organisation, data: bytes, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        fieldforms.form_add(organisation=relief_org, data=data, added_by=None)
    assert message in refused.value.fields["xlsform"][0]
    assert FormVersion.objects.count() == 0


def test_a_form_without_a_version_or_with_a_bad_question_is_refused(
    relief_org: Organisation,
) -> None:
    with pytest.raises(Invalid) as refused:
        fieldforms.form_add(
            organisation=relief_org,
            data=_book({"form_title": "No version", "form_id": "no_version"}),
            added_by=None,
        )
    assert "version" in refused.value.fields["xlsform"][0]
    with pytest.raises(Invalid):
        fieldforms.form_add(
            organisation=relief_org,
            data=_book(
                {"form_title": "Bad", "form_id": "bad", "version": "1"},
                survey=[["select_one nowhere", "q", "Choose"]],
            ),
            added_by=None,
        )
    assert FormVersion.objects.count() == 0


def test_a_form_carrying_another_key_is_refused(relief_org: Organisation) -> None:
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    der = stranger.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    data = _book(
        {
            "form_title": "Keyed",
            "form_id": "keyed",
            "version": "1",
            "public_key": base64.b64encode(der).decode(),
        }
    )
    with pytest.raises(Invalid) as refused:
        fieldforms.form_add(organisation=relief_org, data=data, added_by=None)
    assert "not the organisation's" in refused.value.fields["xlsform"][0]


def test_shipped_forms_follow_the_vocabularies(relief_org: Organisation) -> None:
    from madad.incidents.models import IncidentType

    first = fieldforms.forms_ship(organisation=relief_org, added_by=None)
    assert {v.form.form_id for v in first} == {xlsform.INCIDENT_FORM, xlsform.HOUSEHOLD_FORM}
    assert all(v.encrypted for v in first)
    assert fieldforms.forms_ship(organisation=relief_org, added_by=None) == []
    IncidentType.objects.create(code="demo_new_type", name="New demo type", name_ur="نئی قسم")
    again = fieldforms.forms_ship(organisation=relief_org, added_by=None)
    assert [v.form.form_id for v in again] == [xlsform.INCIDENT_FORM]
    assert "demo_new_type" in again[0].xml
    assert "label::Urdu" not in again[0].xml and 'lang="Urdu (ur)"' in again[0].xml


def test_a_version_that_cannot_be_in_an_address_is_refused(relief_org: Organisation) -> None:
    # a "/" in a version made the form list fail for every device, and the error named the token
    with pytest.raises(Invalid) as refused:
        fieldforms.form_add(
            organisation=relief_org,
            data=_book({"form_title": "Slash", "form_id": "slash", "version": "2026/1"}),
            added_by=None,
        )
    assert "version" in refused.value.fields["xlsform"][0]
    assert FormVersion.objects.count() == 0
