"""Synthetic news-like articles for benchmarks (generated on demand, never committed)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

SUBJECTS = (
    "The finance ministry",
    "Defence sources",
    "The provincial government",
    "Opposition leaders",
    "The central bank",
    "Police officials",
    "The election commission",
    "Senior diplomats",
    "Local traders",
    "The World Bank",
    "Health authorities",
    "The Supreme Court",
)
VERBS = (
    "said on Monday that",
    "announced that",
    "confirmed that",
    "warned that",
    "reported that",
    "told reporters that",
    "claimed that",
    "denied that",
)
CLAUSES = (
    "inflation rose to 11.4 per cent in October",
    "talks with the IMF are under way",
    "the new policy will take effect by the end of 2014",
    "exports fell by Rs. 3.2 billion",
    "the U.S. delegation arrived in Islamabad",
    "prices should be controlled more strictly",
    "the project had been delayed for three years",
    "a committee was formed to review the law",
    "at least 27 people were injured in the blast",
    "the dam is the largest in the region",
)
TAILS = ("", " last week", " this year", " according to officials", " despite protests")


def sentence(rng: random.Random) -> str:
    """One news-like sentence."""
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}{rng.choice(TAILS)}."


def article_text(rng: random.Random, n_sentences: int, index: int) -> str:
    """An article in the seed format: title, publication line, paragraphs of 1-4 sentences."""
    day = dt.date(2014, 1, 1) + dt.timedelta(days=index % 3650)
    lines = [
        f"Report {index}: {rng.choice(CLAUSES).capitalize()}",
        "",
        f"Published {day:%B} {day.day}, {day.year}",
        "",
    ]
    left = n_sentences
    while left > 0:
        size = min(left, rng.randint(1, 4))
        lines += [" ".join(sentence(rng) for _ in range(size)), ""]
        left -= size
    return "\n".join(lines)


def articles(n_sentences: int, per_article: int = 40, seed: int = 7) -> Iterator[str]:
    """Articles whose body sentences add up to `n_sentences`."""
    rng = random.Random(seed)
    index = 0
    while n_sentences > 0:
        size = min(per_article, n_sentences)
        yield article_text(rng, size, index)
        n_sentences -= size
        index += 1
