"""The coordinators' pages for field forms and devices (/intake/setup/): an XLSForm added, a
broken one refused with nothing kept, Madad's forms shipped, a form closed and opened, a device
made with its server URL and QR code shown once, a device revoked; asked as the coordinator
(owner), a documenter (another role: 403 on the lists, 404 on a form or device) and a
coordinator of another organisation (404 on this organisation's forms and devices)."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from madad.accounts.models import Organisation, User
from madad.accounts.roles import Role
from madad.intake import devices, encryption, setup_views, xlsform
from madad.intake.models import Device, Form, FormVersion

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMS = reverse("intake_setup:forms")
SHIP = reverse("intake_setup:forms_ship")
DEVICES = reverse("intake_setup:devices")
DEVICE_NEW = reverse("intake_setup:device_new")


def _xlsform(
    *, form_id: str | None = "water_points", version: str | None = "1", title: str = "Water points"
) -> bytes:
    """A small XLSForm, as a coordinator would make one in a spreadsheet."""
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["text", "place_name", "Name of the place"])
    survey.append(["integer", "families", "Families using it"])
    given = {"form_title": title, "form_id": form_id, "version": version}
    row = {name: value for name, value in given.items() if value is not None}
    if len(row) > 1:
        settings = book.create_sheet("settings")
        settings.append(list(row))
        settings.append(list(row.values()))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client: Client, data: bytes, *, encrypt: bool = False, name: str = "form.xlsx") -> Any:
    post: dict[str, Any] = {"xlsform": SimpleUploadedFile(name, data, content_type=XLSX)}
    if encrypt:
        post["encrypt"] = "on"
    return client.post(FORMS, post)


def _messages(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- Field forms ------------------------------------------------------------------------------
def test_a_coordinator_adds_an_xlsform_and_finds_it_listed_with_its_version(
    coordinator: User, signed_in: Callable[[User], Client], relief_org: Organisation
) -> None:
    client = signed_in(coordinator)
    data = _xlsform()
    response = _upload(client, data)
    form = Form.objects.get(organisation=relief_org, form_id="water_points")
    assert response.status_code == 302
    assert response["Location"] == reverse("intake_setup:form", args=[form.pk])
    version = FormVersion.objects.get(form=form)
    assert (version.version, version.encrypted, version.created_by) == ("1", False, coordinator)
    assert bytes(version.xlsform) == data

    page = client.get(response["Location"])
    assert "Version 1 of “Water points” was added" in " ".join(_messages(page))
    listing = client.get(FORMS).content.decode()
    assert "Water points" in listing and "water_points" in listing
    xlsform_url = reverse("intake_setup:form_xlsform", args=[form.pk, version.pk])
    assert xlsform_url in page.content.decode()
    download = client.get(xlsform_url)
    assert download.status_code == 200
    assert download["Content-Type"] == XLSX
    assert download["Content-Disposition"] == 'attachment; filename="water_points-1.xlsx"'
    assert download.content == data


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"PK\x03\x04 not really a workbook \x00\xff", "This is not an XLSForm (.xlsx) file"),
        (_xlsform(form_id=None, version=None), "The form needs a version"),
        (_xlsform(form_id="water points", version="1"), "The form id (settings sheet, form_id)"),
    ],
    ids=["random-bytes", "no-id-nor-version", "bad-form-id"],
)
@pytest.mark.parametrize("encrypt", [False, True], ids=["plain", "encrypted"])
def test_a_file_that_is_not_a_usable_xlsform_is_refused_and_nothing_is_kept(
    coordinator: User, signed_in: Callable[[User], Client], data: bytes, error: str, encrypt: bool
) -> None:
    response = _upload(signed_in(coordinator), data, encrypt=encrypt)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert 'class="field-error"' in response.content.decode()
    assert not Form.objects.exists()
    assert not FormVersion.objects.exists()


def test_an_upload_without_a_file_is_refused(
    coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(coordinator).post(FORMS, {})
    assert response.status_code == 422
    assert not Form.objects.exists()


def test_the_same_version_twice_is_refused_and_a_higher_one_is_added(
    coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(coordinator)
    assert _upload(client, _xlsform()).status_code == 302
    again = _upload(client, _xlsform(title="Water points, renamed"))
    assert again.status_code == 422
    assert "Version 1 of this form is already here" in again.content.decode()
    form = Form.objects.get()
    assert form.title == "Water points"
    assert form.versions.count() == 1

    assert _upload(client, _xlsform(version="2", title="Water points (2)")).status_code == 302
    form.refresh_from_db()
    assert form.title == "Water points (2)"
    assert [v.version for v in form.versions.all()] == ["2", "1"]
    assert '<code translate="no" dir="ltr">2</code>' in client.get(FORMS).content.decode()


def test_the_encrypt_box_adds_the_organisations_public_key(
    coordinator: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(coordinator)
    page = client.get(FORMS).content.decode()
    assert re.search(r'<input type="checkbox" name="encrypt"[^>]* checked', page)
    assert _upload(client, _xlsform(), encrypt=True).status_code == 302
    version = FormVersion.objects.get()
    assert version.encrypted
    assert f'base64RsaPublicKey="{encryption.public_key_base64()}"' in version.xml


def test_shipping_adds_madads_two_forms_encrypted_then_says_they_are_up_to_date(
    coordinator: User, signed_in: Callable[[User], Client], relief_org: Organisation
) -> None:
    client = signed_in(coordinator)
    first = client.post(SHIP, follow=True)
    assert first.redirect_chain == [(FORMS, 302)]
    said = " ".join(_messages(first))
    assert said.startswith("Added: ")
    assert "Incident report, version " in said and "Household needs assessment, version " in said
    forms = Form.objects.filter(organisation=relief_org)
    assert sorted(forms.values_list("form_id", flat=True)) == [
        xlsform.HOUSEHOLD_FORM,
        xlsform.INCIDENT_FORM,
    ]
    assert all(v.encrypted for v in FormVersion.objects.all())

    second = client.post(SHIP, follow=True)
    assert _messages(second) == ["Madad's forms are up to date: nothing was added."]
    assert FormVersion.objects.count() == 2
    listing = second.content.decode()
    assert "Incident report" in listing and "Household needs assessment" in listing


def test_a_form_is_closed_and_opened_again(
    coordinator: User, signed_in: Callable[[User], Client], shipped_forms: list[FormVersion]
) -> None:
    client = signed_in(coordinator)
    form = shipped_forms[0].form
    state_url = reverse("intake_setup:form_state", args=[form.pk])
    closed = client.post(state_url, {"state": "closed"}, follow=True)
    assert closed.redirect_chain == [(reverse("intake_setup:form", args=[form.pk]), 302)]
    assert "is closed" in " ".join(_messages(closed))
    form.refresh_from_db()
    assert form.state == Form.State.CLOSED

    twice = client.post(state_url, {"state": "closed", "back": "list"}, follow=True)
    assert twice.redirect_chain == [(FORMS, 302)]
    assert _messages(twice) == ["The form is already in that state."]

    opened = client.post(state_url, {"state": "open", "back": "list"}, follow=True)
    assert "is open" in " ".join(_messages(opened))
    form.refresh_from_db()
    assert form.state == Form.State.OPEN

    nonsense = client.post(state_url, {"state": "deleted"})
    assert nonsense.status_code == 422
    form.refresh_from_db()
    assert form.state == Form.State.OPEN


def test_a_closed_form_is_not_offered_to_a_new_device(
    coordinator: User, signed_in: Callable[[User], Client], shipped_forms: list[FormVersion]
) -> None:
    client = signed_in(coordinator)
    closed, kept = shipped_forms[0].form, shipped_forms[1].form
    client.post(reverse("intake_setup:form_state", args=[closed.pk]), {"state": "closed"})
    page = client.get(DEVICE_NEW).content.decode()
    assert f'name="forms" value="{kept.pk}"' in page
    assert f'name="forms" value="{closed.pk}"' not in page


# --- Field devices ----------------------------------------------------------------------------
def _token_in(html: str) -> str:
    found = re.search(r"http://testserver/intake/d/([A-Za-z0-9_-]+)", html)
    assert found is not None, "no server URL on the page"
    return found.group(1)


def test_a_new_device_shows_its_server_url_and_qr_code_once(
    coordinator: User,
    documenter: User,
    signed_in: Callable[[User], Client],
    shipped_forms: list[FormVersion],
) -> None:
    client = signed_in(coordinator)
    incident_form = shipped_forms[0].form
    response = client.post(
        DEVICE_NEW,
        {"name": "Lyari phone", "forms": [incident_form.pk], "holder": documenter.pk},
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    token = _token_in(html)
    device = Device.objects.get(name="Lyari phone")
    assert device.token_sha256 == hashlib.sha256(token.encode()).hexdigest()
    assert device.holder == documenter
    assert list(device.forms.all()) == [incident_form]
    url = devices.server_url("http://testserver/", token)
    assert url in html
    # the QR code is the one Collect scans: its settings name this server URL
    assert str(setup_views._qr_code(devices.collect_settings(url=url, device=device))) in html
    assert "<?xml" not in html
    assert "shown only now, and never again" in html

    # never again: not on the device's pages, not in the session, not in a message
    for page in (DEVICES, reverse("intake_setup:device", args=[device.pk]), FORMS):
        assert token not in client.get(page).content.decode()
    assert token not in repr(dict(client.session.items()))
    assert token not in response.get("Location", "")


def test_a_device_gets_every_open_form_ticked_at_first(
    coordinator: User, signed_in: Callable[[User], Client], shipped_forms: list[FormVersion]
) -> None:
    page = signed_in(coordinator).get(DEVICE_NEW).content.decode()
    for version in shipped_forms:
        assert re.search(rf'name="forms" value="{version.form.pk}"[^>]*checked', page)


@pytest.mark.parametrize(
    ("post", "error"),
    [
        ({"name": "Phone", "forms": []}, "Choose at least one form"),
        ({"name": "", "forms": ["first"]}, "This field is required."),
        ({"name": "Field phone 1", "forms": ["first"]}, "A device with this name exists"),
    ],
    ids=["no-form", "no-name", "name-taken"],
)
def test_a_device_form_with_errors_shows_them_and_makes_nothing(
    coordinator: User,
    signed_in: Callable[[User], Client],
    new_device: Callable[..., devices.NewDevice],
    shipped_forms: list[FormVersion],
    post: dict[str, Any],
    error: str,
) -> None:
    new_device()  # "Field phone 1"
    data = {**post, "forms": [shipped_forms[0].form.pk for _ in post["forms"]]}
    response = signed_in(coordinator).post(DEVICE_NEW, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert error in html
    assert "/intake/d/" not in html
    assert Device.objects.count() == 1


def test_a_device_cannot_be_held_by_somebody_of_another_organisation(
    coordinator: User,
    outsider: User,
    signed_in: Callable[[User], Client],
    shipped_forms: list[FormVersion],
) -> None:
    response = signed_in(coordinator).post(
        DEVICE_NEW,
        {"name": "Phone", "forms": [shipped_forms[0].form.pk], "holder": outsider.pk},
    )
    assert response.status_code == 422
    assert not Device.objects.exists()


def test_revoking_a_device_asks_first_then_stops_it(
    coordinator: User, signed_in: Callable[[User], Client], device: tuple[Device, str]
) -> None:
    phone, token = device
    client = signed_in(coordinator)
    revoke_url = reverse("intake_setup:device_revoke", args=[phone.pk])
    device_page = client.get(reverse("intake_setup:device", args=[phone.pk])).content.decode()
    assert revoke_url in device_page
    confirm = client.get(revoke_url)
    assert confirm.status_code == 200
    assert "Yes, revoke it" in confirm.content.decode()
    phone.refresh_from_db()
    assert phone.active

    done = client.post(revoke_url, follow=True)
    assert done.redirect_chain == [(DEVICES, 302)]
    assert "is revoked" in " ".join(_messages(done))
    phone.refresh_from_db()
    assert phone.revoked_at is not None and phone.revoked_by == coordinator
    assert devices.device_for_token(token) is None
    assert "Revoked" in done.content.decode()

    again = client.post(revoke_url, follow=True)
    assert _messages(again) == ["This device was already revoked."]


# --- Who may ----------------------------------------------------------------------------------
def _our_records(
    shipped_forms: list[FormVersion], device: tuple[Device, str]
) -> dict[str, tuple[str, str]]:
    version = shipped_forms[0]
    form = version.form
    phone = device[0]
    return {
        "form": ("get", reverse("intake_setup:form", args=[form.pk])),
        "form_state": ("post", reverse("intake_setup:form_state", args=[form.pk])),
        "form_xlsform": (
            "get",
            reverse("intake_setup:form_xlsform", args=[form.pk, version.pk]),
        ),
        "device": ("get", reverse("intake_setup:device", args=[phone.pk])),
        "device_revoke_get": ("get", reverse("intake_setup:device_revoke", args=[phone.pk])),
        "device_revoke": ("post", reverse("intake_setup:device_revoke", args=[phone.pk])),
    }


def _unchanged(shipped_forms: list[FormVersion], device: tuple[Device, str]) -> None:
    assert Form.objects.filter(state=Form.State.OPEN).count() == len(shipped_forms)
    assert FormVersion.objects.count() == len(shipped_forms)
    assert Device.objects.get(pk=device[0].pk).active
    assert Device.objects.count() == 1


def test_a_documenter_is_refused_the_lists_and_finds_no_form_or_device(
    documenter: User,
    signed_in: Callable[[User], Client],
    shipped_forms: list[FormVersion],
    device: tuple[Device, str],
) -> None:
    client = signed_in(documenter)
    for method, url in [
        ("get", reverse("intake_setup:index")),
        ("get", FORMS),
        ("post", FORMS),
        ("post", SHIP),
        ("get", DEVICES),
        ("get", DEVICE_NEW),
        ("post", DEVICE_NEW),
    ]:
        assert getattr(client, method)(url, {"state": "closed"}).status_code == 403, url
    for name, (method, url) in _our_records(shipped_forms, device).items():
        assert getattr(client, method)(url, {"state": "closed"}).status_code == 404, name
    _unchanged(shipped_forms, device)


def test_another_organisations_coordinator_finds_none_of_this_organisations_forms_or_devices(
    outsider: User,
    signed_in: Callable[[User], Client],
    shipped_forms: list[FormVersion],
    device: tuple[Device, str],
) -> None:
    client = signed_in(outsider)
    for name, (method, url) in _our_records(shipped_forms, device).items():
        assert getattr(client, method)(url, {"state": "closed"}).status_code == 404, name
    # their own lists: empty of ours
    listing = client.get(FORMS)
    assert listing.status_code == 200
    assert "incident_report" not in listing.content.decode()
    assert device[0].name not in client.get(DEVICES).content.decode()
    # and they cannot put our forms on a device of theirs
    ours = shipped_forms[0].form.pk
    made = client.post(DEVICE_NEW, {"name": "Their phone", "forms": [ours]})
    assert made.status_code == 422
    assert "/intake/d/" not in made.content.decode()
    _unchanged(shipped_forms, device)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    for url in (FORMS, DEVICES, DEVICE_NEW):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_menu_leads_coordinators_here_and_marks_only_this_entry(
    make_user: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    coordinator = make_user(Role.COORDINATOR)
    response = signed_in(coordinator).get(DEVICES)
    menu = response.context["menu"]
    index = reverse("intake_setup:index")
    assert [item["url"] for item in menu if item["active"]] == [index]
    assert any(item["label"] == "Field forms and devices" for item in menu)
    assert signed_in(coordinator).get(index)["Location"] == FORMS


def test_the_menu_has_no_entry_for_a_documenter(
    documenter: User, signed_in: Callable[[User], Client]
) -> None:
    menu = signed_in(documenter).get(reverse("home")).context["menu"]
    assert reverse("intake_setup:index") not in [item["url"] for item in menu]
