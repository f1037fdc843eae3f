# ruff: noqa: RUF001 -- Urdu text ends its sentences with the Urdu full stop
"""Fact sheets: written in English and Urdu, figures live from the public selector, published
only by a second person, printable and downloadable as PDF."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from madad.accounts.models import User
from madad.core.models import AuditEvent
from madad.core.refusals import Conflict, Invalid, NotAllowed, Stale
from madad.public import services
from madad.public.models import FactSheet, Status
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident

pytestmark = pytest.mark.django_db

BODY_EN = (
    "Verified killings: {{count:incidents type=targeted-killing}}.\n\n- Women: "
    "{{count:victims sex=female}}"
)
BODY_UR = "تصدیق شدہ ٹارگٹ کلنگ: {{count:incidents type=targeted-killing}}۔"


def write(by: User, **values: Any) -> FactSheet:
    data = {
        "title_en": "Killings",
        "title_ur": "ٹارگٹ کلنگ",
        "body_en": BODY_EN,
        "body_ur": BODY_UR,
    }
    data.update(values)
    return services.factsheet_write(by=by, organisation=by.organisation, values=data)


def publish(sheet: FactSheet, writer: User, approver: User) -> FactSheet:
    services.factsheet_submit(factsheet=sheet, by=writer)
    return services.factsheet_approve(factsheet=sheet, approver=approver)


def test_a_figure_placeholder_that_does_not_parse_is_refused_with_a_clear_message(
    documenter: User,
) -> None:
    with pytest.raises(Invalid) as refused:
        write(documenter, body_en="{{count:incidents type=no-such-type}}")
    assert "unknown incident type “no-such-type”" in str(refused.value.fields["body_en"])
    with pytest.raises(Invalid):
        write(documenter, body_ur="{{count:incidents sex=female}}")
    with pytest.raises(Invalid):
        write(documenter, body_en="{{count:people}}")
    with pytest.raises(Invalid):
        write(documenter, body_en="an unclosed {{count:incidents")
    assert not FactSheet.objects.exists()


def test_both_languages_are_needed_before_a_fact_sheet_can_be_submitted(documenter: User) -> None:
    sheet = write(documenter, body_ur="")
    with pytest.raises(Invalid, match="Both languages"):
        services.factsheet_submit(factsheet=sheet, by=documenter)
    sheet.refresh_from_db()
    assert sheet.status == Status.DRAFT


def test_a_second_person_approves_publication(documenter: User, verifier: User) -> None:
    sheet = publish(write(documenter), documenter, verifier)
    assert sheet.status == Status.PUBLISHED and sheet.approved_by == verifier
    actions = list(
        AuditEvent.objects.filter(object_type="public.factsheet")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["factsheet.created", "factsheet.submitted", "factsheet.published"]


def test_the_author_may_not_approve_their_own_fact_sheet(coordinator: User) -> None:
    sheet = write(coordinator)
    services.factsheet_submit(factsheet=sheet, by=coordinator)
    with pytest.raises(NotAllowed, match="second person"):
        services.factsheet_approve(factsheet=sheet, approver=coordinator)
    sheet.refresh_from_db()
    assert sheet.status == Status.SUBMITTED


def test_the_last_editor_may_not_approve_it_either(
    documenter: User, coordinator: User, verifier: User
) -> None:
    sheet = write(documenter)
    sheet = services.factsheet_write(
        by=coordinator,
        organisation=coordinator.organisation,
        factsheet=sheet,
        values={"title_en": "Killings, edited"},
    )
    services.factsheet_submit(factsheet=sheet, by=documenter)
    with pytest.raises(NotAllowed, match="second person"):
        services.factsheet_approve(factsheet=sheet, approver=coordinator)
    assert services.factsheet_approve(factsheet=sheet, approver=verifier).is_published


def test_the_database_refuses_self_approval_too(documenter: User) -> None:
    sheet = write(documenter)
    with pytest.raises(IntegrityError), transaction.atomic():
        FactSheet.objects.filter(pk=sheet.pk).update(approved_by=documenter)


def test_someone_without_the_approve_capability_may_not_publish(
    documenter: User, caseworker: User, make_user: Callable[..., User]
) -> None:
    sheet = write(documenter)
    services.factsheet_submit(factsheet=sheet, by=documenter)
    another_writer = make_user("documenter")
    for user in (caseworker, another_writer):
        with pytest.raises(NotAllowed):
            services.factsheet_approve(factsheet=sheet, approver=user)


def test_a_published_fact_sheet_is_withdrawn_before_it_is_edited(
    documenter: User, verifier: User
) -> None:
    sheet = publish(write(documenter), documenter, verifier)
    with pytest.raises(Conflict, match="withdrawn first"):
        services.factsheet_write(
            by=documenter,
            organisation=documenter.organisation,
            factsheet=sheet,
            values={"title_en": "Changed"},
        )
    services.factsheet_withdraw(factsheet=sheet, by=verifier)
    edited = services.factsheet_write(
        by=documenter,
        organisation=documenter.organisation,
        factsheet=sheet,
        values={"title_en": "Changed"},
    )
    assert edited.status == Status.DRAFT and edited.approved_by is None


def test_a_stale_edit_is_refused(documenter: User) -> None:
    sheet = write(documenter)
    services.factsheet_write(
        by=documenter,
        organisation=documenter.organisation,
        factsheet=sheet,
        values={"title_en": "First"},
        expected_version=sheet.version,
    )
    with pytest.raises(Stale):
        services.factsheet_write(
            by=documenter,
            organisation=documenter.organisation,
            factsheet=sheet,
            values={"title_en": "Second"},
            expected_version=sheet.version,
        )


def test_only_public_incidents_may_be_linked(documenter: User, places: Gazetteer) -> None:
    hidden = incident(documenter, places.orchard, status="under_review")
    with pytest.raises(Invalid) as refused:
        services.factsheet_write(
            by=documenter,
            organisation=documenter.organisation,
            values={"title_en": "X"},
            incident_ids=[hidden.pk],
        )
    assert str(hidden.pk) in refused.value.fields["incidents"][0]
    assert not FactSheet.objects.exists()


def test_the_public_page_shows_the_live_figure_and_links_to_the_incidents_behind_it(
    client: Client, documenter: User, verifier: User, places: Gazetteer
) -> None:
    shown = incident(documenter, places.orchard)
    incident(documenter, places.harbour)
    sheet = publish(
        services.factsheet_write(
            by=documenter,
            organisation=documenter.organisation,
            incident_ids=[shown.pk],
            values={
                "title_en": "Killings",
                "title_ur": "ٹارگٹ کلنگ",
                "body_en": BODY_EN,
                "body_ur": BODY_UR,
            },
        ),
        documenter,
        verifier,
    )
    page = client.get(f"/public/factsheets/{sheet.slug}/").content.decode()
    figure = re.search(
        r'<a class="figure" href="([^"]+)" data-figure="count:incidents '
        r'type=targeted-killing">(\d+)</a>',
        page,
    )
    assert figure is not None and figure[2] == "2"
    assert figure[1] == "/public/incidents/?type=targeted-killing"
    assert 'data-figure="count:victims sex=female">0</a>' in page  # zero singles nobody out
    assert f"/public/incidents/{shown.pk}/" in page
    incident(documenter, places.harbour)
    from django.core.cache import cache

    cache.clear()
    again = client.get(f"/public/factsheets/{sheet.slug}/").content.decode()
    assert 'type=targeted-killing">3</a>' in again


def test_a_draft_or_withdrawn_fact_sheet_is_not_public(
    client: Client, documenter: User, verifier: User
) -> None:
    draft = write(documenter)
    assert client.get(f"/public/factsheets/{draft.slug}/").status_code == 404
    published = publish(write(documenter, title_en="Other"), documenter, verifier)
    assert client.get(f"/public/factsheets/{published.slug}/").status_code == 200
    services.factsheet_withdraw(factsheet=published, by=verifier)
    assert client.get(f"/public/factsheets/{published.slug}/").status_code == 404


def test_the_printable_page_and_the_pdf_in_urdu(
    client: Client, documenter: User, verifier: User, places: Gazetteer
) -> None:
    incident(documenter, places.orchard)
    sheet = publish(write(documenter), documenter, verifier)
    printable = client.get(f"/public/factsheets/{sheet.slug}/?print=1").content.decode()
    assert "<h1>Killings</h1>" in printable and "public/print.css" in printable
    client.get("/public/language/?language=ur")
    response = client.get(f"/public/factsheets/{sheet.slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'attachment; filename="{sheet.slug}-ur.pdf"'
    assert any(b"Nastaliq-Urdu" in s or b"Naskh-Arabic" in s for s in _streams(response.content)), (
        "no Urdu font in the PDF"
    )


def _streams(pdf: bytes) -> list[bytes]:
    """The PDF's streams, inflated (font names sit in compressed object streams)."""
    found = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            found.append(zlib.decompress(match[1]))
        except zlib.error:
            found.append(match[1])
    return found


def test_a_fact_sheets_text_has_headings_lists_and_nothing_else_as_markup(documenter: User) -> None:
    from madad.public.placeholders import render_text

    html = render_text(
        "Intro <b>bold?</b>\n\n## By year\n- 2010: {{count:incidents year=2010}}"
        "\n- 2011\nAfter the list"
    )
    assert html == (
        "<p>Intro &lt;b&gt;bold?&lt;/b&gt;</p>\n<h2>By year</h2>\n<ul><li>2010: "
        '<a class="figure" href="/public/incidents/?year=2010" '
        'data-figure="count:incidents year=2010">0</a></li><li>2011</li></ul>\n'
        "<p>After the list</p>"
    )


def test_two_approvers_deciding_at_once_cannot_both_win(
    documenter: User, verifier: User, make_user: Callable[..., User]
) -> None:
    """Both opened the submitted text; the first publishes it, the second, who would have
    returned it, is told it moved on (409, Stale) and changes nothing."""
    sheet = write(documenter)
    sheet = services.factsheet_submit(factsheet=sheet, by=documenter)
    other_verifier = make_user("verifier")
    seen = sheet.version
    services.factsheet_approve(factsheet=sheet, approver=verifier, expected_version=seen)
    with pytest.raises(Stale) as refused:
        services.factsheet_return(
            factsheet=sheet, by=other_verifier, reason="Not yet.", expected_version=seen
        )
    assert refused.value.status == 409
    sheet.refresh_from_db()
    assert sheet.status == Status.PUBLISHED and sheet.approved_by == verifier
    assert sheet.returned_reason == ""


def test_the_status_change_itself_is_compare_and_swap(
    documenter: User,
    verifier: User,
    make_user: Callable[..., User],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second decision read the text before the first was written (the race the version
    check closes): its UPDATE finds the version moved on, so exactly one decision is stored."""
    sheet = services.factsheet_submit(factsheet=write(documenter), by=documenter)
    read_before_the_first_decision = FactSheet.objects.get(pk=sheet.pk)
    services.factsheet_approve(factsheet=sheet, approver=verifier)
    monkeypatch.setattr(
        services, "_current", lambda obj, expected_version=None: read_before_the_first_decision
    )
    with pytest.raises(Stale):
        services.factsheet_approve(factsheet=sheet, approver=make_user("verifier"))
    sheet.refresh_from_db()
    assert (
        sheet.approved_by == verifier
        and sheet.version == read_before_the_first_decision.version + 1
    )
