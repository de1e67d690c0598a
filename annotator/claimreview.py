"""schema.org ClaimReview (pure): one checked claim -> a JSON-LD object.

Ratings use one scale for every claim: `false` 1, `mostly-false` 2, `mixed` 3, `mostly-true` 4,
`true` 5 (worstRating 1, bestRating 5). An `unverifiable` verdict has no place on that scale:
its ratingValue is -1, and its alternateName says "Unverifiable".

The claim's author (`itemReviewed.author`) is the person who said it when the sentence comes
from a transcript, else the article's source (an organisation).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RATINGS = {"false": 1, "mostly-false": 2, "mixed": 3, "mostly-true": 4, "true": 5}
NAMES = {
    "true": "True",
    "mostly-true": "Mostly true",
    "mixed": "Mixed",
    "mostly-false": "Mostly false",
    "false": "False",
    "unverifiable": "Unverifiable",
}
NO_RATING = -1


@dataclass(frozen=True)
class CheckedClaim:
    """What a ClaimReview says about one claim, as stored."""

    sentence_id: int
    claim: str
    verdict: str
    checked_at: dt.datetime
    as_of: dt.date | None
    article_published: dt.date | None
    article_url: str | None
    article_source: str | None
    speaker: str | None = None  # who said it, in a transcript


def claim_review(claim: CheckedClaim, organisation: str, review_url: str = "") -> dict[str, object]:
    """The ClaimReview object; `review_url` may hold `{sentence_id}` for the review's page."""
    item: dict[str, object] = {"@type": "Claim"}
    if claim.article_published is not None:
        item["datePublished"] = claim.article_published.isoformat()
    if claim.article_url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.article_url}
    if claim.speaker:
        item["author"] = {"@type": "Person", "name": claim.speaker}
    elif claim.article_source:
        item["author"] = {"@type": "Organization", "name": claim.article_source}
    review: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": claim.claim,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS.get(claim.verdict, NO_RATING),
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": NAMES[claim.verdict],
        },
        "itemReviewed": item,
        "datePublished": claim.checked_at.astimezone(dt.UTC).date().isoformat(),
        "author": {"@type": "Organization", "name": organisation},
    }
    if claim.as_of is not None:
        review["temporalCoverage"] = claim.as_of.isoformat()
    if review_url:
        review["url"] = review_url.replace("{sentence_id}", str(claim.sentence_id))
    return review
