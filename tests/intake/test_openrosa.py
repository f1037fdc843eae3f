"""The OpenRosa server against the Collect stand-in, over real HTTP (live_server)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from madad.accounts.models import Organisation, User
from madad.core.models import AuditEvent
from madad.intake import devices
from madad.intake.models import Device, Form, FormVersion, IntakeAttachment, IntakeItem
from tests.intake.collect import Collect, build_instance, encrypt_instance, multipart, public_key_of

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = bytes(range(256)) * 800  # 200 kB that no compressor shrinks much
AUDIO = b"ID3" + bytes(reversed(range(256))) * 40


def _collect(live_server: LiveServer, token: str) -> Collect:
    return Collect(devices.server_url(live_server.url, token))


def _incident(form_xml: str, *, files: bool = True, **extra: Any) -> Any:
    answers: list[tuple[str, Any]] = [
        ("incident_date", "2026-11-30"),
        ("date_precision", "day"),
        ("district", "khi.central"),
        ("town", ""),
        ("neighbourhood", ""),
        ("location", ""),
        ("types", "targeted_killing"),
        ("title", "Shots fired at a shop (fictitious)"),
        ("description", "A fictitious account for a test."),
        (
            "victim",
            [
                [
                    ("victim_name", "Zarmina Test"),
                    ("act", "injured"),
                    ("sex", "female"),
                    ("age", "34"),
                ]
            ],
        ),
        ("source", "witness"),
        ("photo", "photo.jpg" if files else ""),
        ("audio", "audio.mp3" if files else ""),
    ]
    return build_instance(
        form_xml,
        answers,
        files={"photo.jpg": PHOTO, "audio.mp3": AUDIO} if files else {},
        **extra,
    )


def _incident_form(collect: Collect) -> tuple[Any, str]:
    listed = {f.form_id: f for f in collect.form_list()}["incident_report"]
    return listed, collect.download(listed)


def test_head_and_headers(live_server: LiveServer, device: tuple[Device, str]) -> None:
    answer = _collect(live_server, device[1]).head_submission()
    assert answer.status == 204
    assert answer.headers["X-OpenRosa-Version"] == "1.0"
    assert int(answer.headers["X-OpenRosa-Accept-Content-Length"]) > 0


def test_form_list_download_and_manifest(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    listed = {f.form_id: f for f in collect.form_list()}
    assert set(listed) == {"incident_report", "household_needs"}
    for form in listed.values():
        xml = collect.download(form)  # checks the md5 listed
        assert public_key_of(xml) is not None, "the shipped forms are encrypted on the phone"
        media = collect.media(form)  # checks each media file's md5
        assert b"khi." in media["neighbourhoods.csv"]
    assert "Urdu (ur)" in collect.download(listed["incident_report"])


def test_encrypted_submission_is_decrypted_into_the_inbox(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    instance = _incident(form_xml)
    answers = collect.submit(form_xml, instance)
    assert [a.status for a in answers] == [201]
    assert "received" in answers[0].message
    item = IntakeItem.objects.get()
    assert item.status == IntakeItem.Status.NEW
    assert item.encrypted and item.device == device[0]
    assert item.payload == instance.xml.decode()
    stored = {a.name: a for a in item.attachments.all()}
    assert set(stored) == {"photo.jpg", "audio.mp3"}
    assert stored["photo.jpg"].sha256 == hashlib.sha256(PHOTO).hexdigest()
    with storages["default"].open(stored["audio.mp3"].storage_name, "rb") as f:
        assert f.read() == AUDIO
    event = AuditEvent.objects.filter(action="intake.submission.received").get()
    assert event.organisation_id == device[0].organisation_id


def test_split_posts_are_merged_by_instance_id(
    live_server: LiveServer, device: tuple[Device, str], settings: Settings
) -> None:
    settings.MADAD_INTAKE_MAX_BYTES = 212_000  # the photo and the audio cannot go together
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    answers = collect.submit(form_xml, _incident(form_xml))
    assert [a.status for a in answers] == [201, 201]
    item = IntakeItem.objects.get()
    assert item.status == IntakeItem.Status.NEW
    assert item.attachments.count() == 2


def test_first_part_alone_waits_for_the_rest(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    instance = _incident(form_xml)
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(instance, key)
    first = [(n, d) for n, d in files.items() if n == "photo.jpg.enc"]
    body, content_type = multipart(envelope, first, incomplete=True)
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 201
    item = IntakeItem.objects.get()
    assert item.status == IntakeItem.Status.INCOMPLETE
    assert sorted(item.expected_files) == ["audio.mp3.enc", "submission.xml.enc"]
    rest = [(n, d) for n, d in files.items() if n != "photo.jpg.enc"]
    body, content_type = multipart(envelope, rest)
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 201
    item.refresh_from_db()
    assert item.status == IntakeItem.Status.NEW
    assert item.payload == instance.xml.decode()


def test_the_same_submission_twice_is_stored_once(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(_incident(form_xml), key)
    body, content_type = multipart(envelope, list(files.items()))
    first = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    again = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert (first.status, again.status) == (201, 201)
    assert "already" in again.message
    assert IntakeItem.objects.count() == 1
    assert IntakeAttachment.objects.count() == 2


def test_same_instance_id_with_other_xml_is_a_conflict(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    first = _incident(form_xml, files=False, instance_id="uuid:same")
    assert collect.submit(form_xml, first)[0].status == 201
    other = build_instance(form_xml, [("title", "something else")], instance_id="uuid:same")
    answer = collect.submit(form_xml, other)[0]
    assert answer.status == 409
    assert IntakeItem.objects.count() == 1


def _nothing_stored() -> None:
    assert IntakeItem.objects.count() == 0
    assert IntakeAttachment.objects.count() == 0
    storage = storages["default"]
    folders = storage.listdir("intake")[0] if storage.exists("intake") else []
    assert not any(storage.listdir(f"intake/{folder}")[1] for folder in folders)


def test_unencrypted_submission_to_an_encrypted_form_is_refused(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    answer = collect.submit(form_xml, _incident(form_xml), encrypt=False)[0]
    assert answer.status == 400
    assert "encrypted" in answer.message
    _nothing_stored()


def test_a_wrong_signature_is_refused_and_nothing_kept(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(_incident(form_xml), key, tamper=True)
    body, content_type = multipart(envelope, list(files.items()))
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 400
    assert "signature" in answer.message
    _nothing_stored()


def test_another_key_is_refused(live_server: LiveServer, device: tuple[Device, str]) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    envelope, files = encrypt_instance(_incident(form_xml), stranger)
    body, content_type = multipart(envelope, list(files.items()))
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 400
    assert "another key" in answer.message
    _nothing_stored()


def test_revoked_device_is_stopped_at_its_next_request(
    live_server: LiveServer, device: tuple[Device, str], coordinator: User
) -> None:
    collect = _collect(live_server, device[1])
    assert collect.head_submission().status == 204
    devices.device_revoke(device=device[0], by=coordinator)
    assert collect.head_submission().status == 403
    answer = collect.request("GET", "/formList")
    assert answer.status == 403
    assert "no longer" in answer.message
    assert _collect(live_server, "not-a-token").head_submission().status == 403


def test_wrong_form_closed_form_and_unknown_version(
    live_server: LiveServer, device: tuple[Device, str], coordinator: User
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    unknown = build_instance(form_xml.replace('id="incident_report"', 'id="nope"'), [])
    assert collect.submit(form_xml, unknown, encrypt=False)[0].status == 404
    old = build_instance(form_xml.replace('version="', 'version="0'), [("title", "x")])
    answer = collect.submit(form_xml, old)[0]
    assert answer.status == 400 and "version" in answer.message
    Form.objects.filter(form_id="incident_report").update(state=Form.State.CLOSED)
    answer = collect.submit(form_xml, _incident(form_xml, files=False))[0]
    assert answer.status == 409 and "closed" in answer.message
    assert "incident_report" not in {f.form_id for f in collect.form_list()}
    _nothing_stored()


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<data id="incident_report">&b;</data>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<data id="incident_report">&e;</data>',
        b"<data id='incident_report'><unclosed></data>",
        b"\xff\xfe not xml",
    ],
)
def test_hostile_or_malformed_xml_is_refused(
    live_server: LiveServer, device: tuple[Device, str], xml: bytes
) -> None:
    collect = _collect(live_server, device[1])
    body, content_type = multipart(xml, [])
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 400
    assert "XML" in answer.message
    _nothing_stored()


def test_oversize_submission_is_refused(
    live_server: LiveServer, device: tuple[Device, str], settings: Settings
) -> None:
    settings.MADAD_INTAKE_MAX_BYTES = 100_000
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    instance = _incident(form_xml)
    instance.files["photo.jpg"] = PHOTO * 6  # 1.2 MB: beyond the limit and its allowance
    answer = collect.submit(form_xml, instance, split=False)[0]
    assert answer.status == 413
    _nothing_stored()


def test_missing_xml_part_and_unnamed_files_are_refused(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    answer = collect.request(
        "POST", "/submission", b"x=1", {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert answer.status == 400
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(_incident(form_xml), key)
    body, content_type = multipart(envelope, [*files.items(), ("extra.jpg", b"x")])
    answer = collect.request("POST", "/submission", body, {"Content-Type": content_type})
    assert answer.status == 400
    _nothing_stored()


def test_unencrypted_form_takes_plain_submissions_with_files(
    live_server: LiveServer, relief_org: Organisation, coordinator: User
) -> None:
    from madad.intake import fieldforms, xlsform

    plain = xlsform.shipped(xlsform.INCIDENT_FORM, version_prefix="1", public_key=None)
    version = fieldforms.form_add(
        organisation=relief_org, data=plain.xlsform, added_by=coordinator, media=plain.media
    )
    assert not version.encrypted
    new = devices.device_create(organisation=relief_org, name="Plain phone", created_by=None)
    collect = _collect(live_server, new.token)
    _, form_xml = _incident_form(collect)
    instance = _incident(form_xml)
    assert [a.status for a in collect.submit(form_xml, instance)] == [201]
    item = IntakeItem.objects.get()
    assert (item.status, item.encrypted) == (IntakeItem.Status.NEW, False)
    assert item.payload == instance.xml.decode()
    assert item.attachments.count() == 2


def test_device_made_with_the_command_lists_and_submits_both_forms(
    live_server: LiveServer, shipped_forms: list[FormVersion]
) -> None:
    out = io.StringIO()
    call_command(
        "intake", "devices", "create", "--name", "Cmd phone", "--url", live_server.url, stdout=out
    )
    url = out.getvalue().strip().splitlines()[-1]
    assert url.startswith(f"{live_server.url}/intake/d/")
    collect = Collect(url)
    forms = {f.form_id: f for f in collect.form_list()}
    _, incident_xml = _incident_form(collect)
    assert [a.status for a in collect.submit(incident_xml, _incident(incident_xml))] == [201]
    household_xml = collect.download(forms["household_needs"])
    household = build_instance(
        household_xml,
        [
            ("head_name", "Test Household Head"),
            ("district", "khi.central"),
            ("member", [[("member_name", "Test Child"), ("relation", "son"), ("age", "9")]]),
            ("what_hit", "killed"),
            ("needs", "school_fees food"),
        ],
    )
    assert [a.status for a in collect.submit(household_xml, household)] == [201]
    assert IntakeItem.objects.filter(status=IntakeItem.Status.NEW).count() == 2
    out = io.StringIO()
    call_command("intake", "devices", "revoke", "Cmd phone", stdout=out)
    assert collect.head_submission().status == 403


def test_other_organisations_device_cannot_reach_these_forms(
    live_server: LiveServer,
    device: tuple[Device, str],
    other_relief_org: Organisation,
    new_device: Callable[..., devices.NewDevice],
) -> None:
    from madad.intake import fieldforms, xlsform

    plain = xlsform.shipped(xlsform.HOUSEHOLD_FORM, version_prefix="1", public_key=None)
    fieldforms.form_add(organisation=other_relief_org, data=plain.xlsform, added_by=None)
    theirs = devices.device_create(organisation=other_relief_org, name="Theirs", created_by=None)
    listed = {f.form_id for f in _collect(live_server, theirs.token).form_list()}
    assert listed == {"household_needs"}
    ours_form = FormVersion.objects.get(
        form__organisation=device[0].organisation, form__form_id="incident_report"
    )
    answer = _collect(live_server, theirs.token).request(
        "GET", f"/forms/incident_report/{ours_form.version}/form.xml"
    )
    assert answer.status == 404


def test_a_new_version_does_not_break_submissions_of_the_old_one(
    live_server: LiveServer, device: tuple[Device, str], relief_org: Organisation
) -> None:
    from madad.intake import fieldforms, xlsform

    collect = _collect(live_server, device[1])
    listed, old_xml = _incident_form(collect)
    newer = xlsform.shipped(xlsform.INCIDENT_FORM, version_prefix="209912312359", public_key=None)
    fieldforms.form_add(organisation=relief_org, data=newer.xlsform, added_by=None, encrypt=True)
    relisted, new_xml = _incident_form(collect)
    assert relisted.version != listed.version
    # a phone that has not updated yet still sends the old version, and it is taken
    assert [a.status for a in collect.submit(old_xml, _incident(old_xml))] == [201]
    assert [a.status for a in collect.submit(new_xml, _incident(new_xml))] == [201]
    versions = set(IntakeItem.objects.values_list("form_version__version", flat=True))
    assert versions == {listed.version, relisted.version}


# --- findings of the review (each failed before its fix) ----------------------------------------


def _post(collect: Collect, xml: bytes, files: list[tuple[str, bytes]]) -> Any:
    body, content_type = multipart(xml, files)
    return collect.request("POST", "/submission", body, {"Content-Type": content_type})


def test_deeply_nested_xml_is_refused_on_receipt(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    deep = "<a>" * 200 + "x" + "</a>" * 200
    instance = build_instance(form_xml, [("title", "deep")])
    nested = instance.xml.replace(b"<title>deep</title>", f"<title>{deep}</title>".encode())
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(
        type(instance)(instance.form_id, instance.version, instance.instance_id, nested), key
    )
    answer = _post(collect, envelope, list(files.items()))
    assert answer.status == 400
    _nothing_stored()


def test_xml_in_another_encoding_is_refused_not_a_500(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    xml = (
        b'<?xml version="1.0" encoding="ISO-8859-1"?>'
        b'<household_needs id="household_needs" version="1"><head_name>Jos\xe9</head_name>'
        b"<meta><instanceID>uuid:latin</instanceID></meta></household_needs>"
    )
    answer = _post(collect, xml, [])
    assert answer.status == 400
    assert "UTF-8" in answer.message
    _nothing_stored()


def test_encrypted_file_names_that_collide_are_refused(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    key = public_key_of(form_xml)
    assert key is not None
    instance = _incident(form_xml, files=False)
    instance.files = {"x.enc": b"one", "x": b"two"}
    envelope, files = encrypt_instance(instance, key)
    answer = _post(collect, envelope, list(files.items()))
    assert answer.status == 400
    assert "twice" in answer.message
    _nothing_stored()


def test_a_request_at_the_advertised_size_is_taken(
    live_server: LiveServer, device: tuple[Device, str], settings: Settings
) -> None:
    collect = _collect(live_server, device[1])
    _, form_xml = _incident_form(collect)
    key = public_key_of(form_xml)
    assert key is not None
    envelope, files = encrypt_instance(_incident(form_xml), key)
    # the XML and the files fill the advertised limit exactly; the multipart framing is on top
    settings.MADAD_INTAKE_MAX_BYTES = len(envelope) + sum(len(d) for d in files.values())
    answer = _post(collect, envelope, list(files.items()))
    assert answer.status == 201


def test_a_closed_forms_files_are_not_served(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    listed, _ = _incident_form(collect)
    Form.objects.filter(form_id="incident_report").update(state=Form.State.CLOSED)
    assert collect.request("GET", listed.download_url).status == 404
    assert listed.manifest_url is not None
    assert collect.request("GET", listed.manifest_url).status == 404


def test_every_answer_carries_the_openrosa_headers(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    answer = _collect(live_server, device[1]).request("GET", "/submission")
    assert answer.status == 405
    assert answer.headers["X-OpenRosa-Version"] == "1.0"


def test_an_envelope_missing_its_parts_is_refused_not_a_500(
    live_server: LiveServer, device: tuple[Device, str]
) -> None:
    collect = _collect(live_server, device[1])
    envelope = (
        b'<data xmlns="http://opendatakit.org/submissions" encrypted="yes" id="incident_report">'
        b"<base64EncryptedKey>AAAA</base64EncryptedKey></data>"
    )
    answer = _post(collect, envelope, [])
    assert answer.status == 400
    assert "lacks" in answer.message
    _nothing_stored()
