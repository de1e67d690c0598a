"""The label scheme `claims-v1` (DESIGN.md section 3): values, keys, definitions, examples."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClaimType:
    """One value of `claim_type`, with the key that gives it and how the UI explains it."""

    value: str
    label: str
    key: str
    definition: str
    examples: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """A label scheme: the claim types and the help text for the date-bound field."""

    name: str
    claim_types: tuple[ClaimType, ...]
    date_bound_applies_to: str
    date_bound_definition: str
    torn_test: str

    def claim_type(self, value: str) -> ClaimType:
        """The claim type called `value`; KeyError if the scheme has none."""
        for claim_type in self.claim_types:
            if claim_type.value == value:
                return claim_type
        raise KeyError(value)

    @property
    def values(self) -> tuple[str, ...]:
        """The allowed `claim_type` values, in display order."""
        return tuple(c.value for c in self.claim_types)


CLAIMS_V1 = Scheme(
    name="claims-v1",
    claim_types=(
        ClaimType(
            "factual",
            "Factual claim",
            "1",
            "Asserts something public evidence could prove or disprove, true or not: an event, "
            "a number, a ranking, a cause, what a rule says, what someone said. If any part is "
            "checkable, it is factual. A false statement is still factual.",
            (
                "Pakistan had acquired MI-35 gunship helicopters from Russia during 2014.",
                "Defence sources said Friday that Russia offered training.",
            ),
        ),
        ClaimType(
            "opinion",
            "Opinion",
            "2",
            "A judgement, value, belief, recommendation (“should”) or unattributed speculation "
            "that evidence cannot settle. Loaded words alone do not make a factual sentence an "
            "opinion.",
            ("There is a lot of potential to enhance their bilateral cooperation.",),
        ),
        ClaimType(
            "not_claim",
            "Not a claim",
            "3",
            "Asserts nothing checkable and states no view: a question, a topic headline, a call "
            "to action, a caption credit, a personal experience no public source can check.",
            ("Also read: Pakistan, Russia sign landmark defence cooperation agreement",),
        ),
    ),
    date_bound_applies_to="factual",
    date_bound_definition=(
        "For factual claims only: the claim's truth can change over time while the sentence "
        "stays the same (“X is the largest supplier”, “talks are under way”, records, office "
        "holders, running totals). Not date-bound when a fixed past time is explicit "
        "(“in 2014”) or the claim is timeless. The as-of date is when the claim holds; it "
        "defaults to the article's publication date."
    ),
    torn_test=(
        "When torn: could a fact-checker, with public sources, rate this true or false? "
        "Reported speech (“X said Y”) is factual: that X said it is checkable."
    ),
)

SCHEMES = {CLAIMS_V1.name: CLAIMS_V1}
