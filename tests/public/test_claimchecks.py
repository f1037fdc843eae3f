# ruff: noqa: RUF001 -- Urdu text ends its sentences with the Urdu full stop
"""Claim checks: a circulating claim, its rating and explanation in English and Urdu, the
verified incidents and fact sheets behind it, and schema.org ClaimReview JSON-LD on its page."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client

from madad.accounts.models import User
from madad.core.refusals import Invalid, NotAllowed
from madad.public import services
from madad.public.models import ClaimCheck, FactSheet, Status
from tests.incidents.factories import Gazetteer
from tests.public.factories import incident

pytestmark = pytest.mark.django_db


def claim(by: User, **values: Any) -> ClaimCheck:
    data: dict[str, Any] = {
        "claim_en": "Nobody was kidnapped in 2013 </script><script>alert(1)</script>",
        "claim_ur": "2013 میں کوئی اغوا نہیں ہوا۔",
        "claimant": "Posts on social media",
        "claim_date": dt.date(2014, 2, 10),
        "claim_url": "https://social.example/post/1",
        "rating": "false",
        "explanation_en": "We verified {{count:incidents}} incidents.",
        "explanation_ur": "ہم نے {{count:incidents}} واقعات کی تصدیق کی۔",
    }
    data.update(values)
    return services.claimcheck_write(by=by, organisation=by.organisation, values=data)


def publish(check: ClaimCheck, writer: User, approver: User) -> ClaimCheck:
    services.claimcheck_submit(claimcheck=check, by=writer)
    return services.claimcheck_publish(claimcheck=check, approver=approver)


def _json_ld(page: str) -> dict[str, Any]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(found) == 1
    data = json.loads(found[0])
    assert isinstance(data, dict), data
    return data


def test_a_claim_check_needs_a_known_rating(documenter: User) -> None:
    with pytest.raises(Invalid) as refused:
        claim(documenter, rating="pants-on-fire")
    assert list(refused.value.fields) == ["rating"]


def test_a_claim_check_is_published_by_a_second_person_only(
    documenter: User, coordinator: User, verifier: User
) -> None:
    check = claim(coordinator)
    services.claimcheck_submit(claimcheck=check, by=coordinator)
    with pytest.raises(NotAllowed, match="second person"):
        services.claimcheck_publish(claimcheck=check, approver=coordinator)
    assert services.claimcheck_publish(claimcheck=check, approver=verifier).is_published


def test_both_languages_are_needed_before_submitting(documenter: User) -> None:
    check = claim(documenter, explanation_ur="")
    with pytest.raises(Invalid, match="Both languages"):
        services.claimcheck_submit(claimcheck=check, by=documenter)


def test_the_page_carries_claimreview_json_ld_that_cannot_break_out_of_its_script(
    client: Client, documenter: User, verifier: User, places: Gazetteer
) -> None:
    behind = incident(documenter, places.orchard)
    check = services.claimcheck_write(
        by=documenter,
        organisation=documenter.organisation,
        incident_ids=[behind.pk],
        values={
            "claim_en": "Nobody was kidnapped </script><script>alert(1)</script>",
            "claim_ur": "کوئی اغوا نہیں ہوا",
            "rating": "false",
            "claimant": "Posts on social media",
            "claim_date": dt.date(2014, 2, 10),
            "explanation_en": "We verified {{count:incidents}}.",
            "explanation_ur": "ہم نے {{count:incidents}} کی تصدیق کی۔",
        },
    )
    check = publish(check, documenter, verifier)
    page = client.get(f"/public/claims/{check.slug}/").content.decode()
    assert "<script>alert(1)" not in page
    data = _json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == "ClaimReview"
    assert data["claimReviewed"].startswith("Nobody was kidnapped </script>")
    assert data["reviewRating"] == {
        "@type": "Rating",
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "False",
        "ratingValue": 1,
    }
    assert data["itemReviewed"]["@type"] == "Claim"
    assert data["itemReviewed"]["datePublished"] == "2014-02-10"
    assert data["url"].endswith(f"/public/claims/{check.slug}/")
    assert data["author"]["name"] == documenter.organisation.name
    assert f"/public/incidents/{behind.pk}/" in page
    assert 'data-figure="count:incidents">1</a>' in page


def test_an_unproven_claim_has_no_number_on_the_rating_scale(
    client: Client, documenter: User, verifier: User
) -> None:
    check = publish(claim(documenter, rating="unproven"), documenter, verifier)
    data = _json_ld(client.get(f"/public/claims/{check.slug}/").content.decode())
    assert "ratingValue" not in data["reviewRating"]
    assert data["reviewRating"]["alternateName"] == "Unproven"


def test_in_urdu_the_review_is_in_urdu(client: Client, documenter: User, verifier: User) -> None:
    check = publish(claim(documenter), documenter, verifier)
    client.get("/public/language/?language=ur")
    data = _json_ld(client.get(f"/public/claims/{check.slug}/").content.decode())
    assert data["inLanguage"] == "ur"
    assert data["claimReviewed"] == "2013 میں کوئی اغوا نہیں ہوا۔"


def test_only_published_fact_sheets_may_support_a_claim_check(
    documenter: User, verifier: User
) -> None:
    draft = services.factsheet_write(
        by=documenter, organisation=documenter.organisation, values={"title_en": "Draft"}
    )
    with pytest.raises(Invalid) as refused:
        services.claimcheck_write(
            by=documenter,
            organisation=documenter.organisation,
            values={"claim_en": "x", "rating": "true"},
            factsheet_ids=[draft.pk],
        )
    assert "published fact sheets" in refused.value.fields["factsheets"][0]
    assert FactSheet.objects.get().status == Status.DRAFT


def test_the_list_shows_published_claim_checks_with_their_rating(
    client: Client, documenter: User, verifier: User
) -> None:
    publish(claim(documenter, claim_en="Shown claim"), documenter, verifier)
    claim(documenter, claim_en="Draft claim")
    page = client.get("/public/claims/").content.decode()
    assert "Shown claim" in page and "Draft claim" not in page
    assert 'class="rating rating-false"' in page
