"""schema.org ClaimReview for a published claim check, as JSON-LD for search engines and
fact-checking aggregators. A data block, not a script: the content security policy allows it."""

from __future__ import annotations

import json
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from madad.public.models import ClaimCheck, Rating

# 1 (worst) to 5 (best); "unproven" has no place on that scale and carries only its name.
RATING_VALUES = {Rating.FALSE: 1, Rating.MISLEADING: 2, Rating.MOSTLY_TRUE: 4, Rating.TRUE: 5}
RATING_NAMES_EN = {
    Rating.TRUE: "True",
    Rating.MOSTLY_TRUE: "Mostly true",
    Rating.MISLEADING: "Misleading",
    Rating.FALSE: "False",
    Rating.UNPROVEN: "Unproven",
}


def claim_review(check: ClaimCheck, *, url: str, language: str, publisher: str) -> dict[str, Any]:
    urdu = language.startswith("ur")
    rating: dict[str, Any] = {
        "@type": "Rating",
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": str(Rating(check.rating).label)
        if urdu
        else RATING_NAMES_EN[Rating(check.rating)],
    }
    if check.rating in RATING_VALUES:
        rating["ratingValue"] = RATING_VALUES[Rating(check.rating)]
    claim: dict[str, Any] = {"@type": "Claim"}
    if check.claimant:
        claim["author"] = {"@type": "Organization", "name": check.claimant}
    if check.claim_date:
        claim["datePublished"] = check.claim_date.isoformat()
    if check.claim_url:
        claim["appearance"] = [{"@type": "CreativeWork", "url": check.claim_url}]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "inLanguage": "ur" if urdu else "en",
        "datePublished": check.approved_at.date().isoformat() if check.approved_at else None,
        "author": {"@type": "Organization", "name": publisher},
        "claimReviewed": check.claim_ur if urdu and check.claim_ur else check.claim_en,
        "itemReviewed": claim,
        "reviewRating": rating,
    }


def as_script(data: dict[str, Any]) -> SafeString:
    """The <script type="application/ld+json"> element, with "<", ">" and "&" escaped so that
    no text in it can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
