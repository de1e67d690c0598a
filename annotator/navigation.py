"""Which article and which sentence an annotator sees next (pure: plain values in and out).

The annotate page shows one article and one position in its body at a time; position
`len(body)` is the article's summary (past its last sentence). These rules decide where a
returning annotator resumes, where "Next article" goes, and where "Unlabelled" jumps.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from typing import Protocol


class Article(Protocol):
    """What the rules need to know of an article in the annotator's list."""

    @property
    def id(self) -> int: ...

    @property
    def finished(self) -> bool: ...


def next_unfinished(articles: Sequence[Article], after: int) -> int:
    """The first unfinished article after `after` (wrapping round), else `after` itself."""
    unfinished = [a.id for a in articles if not a.finished]
    later = [i for i in unfinished if i > after]
    return (later or unfinished or [after])[0]


def resume_article(articles: Sequence[Article], last: int | None) -> int:
    """Where a returning annotator continues: the article of their latest label (`last`)
    while it is unfinished, else the next unfinished one, else the first article."""
    if not articles:
        raise ValueError("there is no article to resume")
    by_id = {a.id: a for a in articles}
    if last in by_id and not by_id[last].finished:
        return last
    chosen = next_unfinished(articles, last if last is not None else -1)
    return chosen if chosen in by_id else articles[0].id


def wants_another_article(articles: Sequence[Article], current: int) -> bool:
    """True when every listed article but the current one is finished: before moving on,
    the annotator should be handed one more article (if the project has one left)."""
    return all(a.finished or a.id == current for a in articles)


def unlabelled_positions(body: Sequence[int], labelled: Container[int]) -> list[int]:
    """The positions of the body sentences (by id, in order) that have no label yet."""
    return [i for i, sentence_id in enumerate(body) if sentence_id not in labelled]


def first_unlabelled(body: Sequence[int], labelled: Container[int]) -> int:
    """The position of the first body sentence without a label; `len(body)` (the article's
    summary) when every one has a label, and so also where an opened article starts."""
    return next((i for i, sentence_id in enumerate(body) if sentence_id not in labelled), len(body))


def after_answer(body: Sequence[int], labelled: Container[int], position: int) -> int:
    """Where an answer at `position` moves on to: the next sentence after it still without a
    label, else the article's summary (`len(body)`), which shows what is left, if anything.
    Relabelling an earlier sentence so returns to where the work stopped."""
    later = (i for i in range(position + 1, len(body)) if body[i] not in labelled)
    return next(later, len(body))


def article_window(count: int, at: int, before: int, after: int) -> range:
    """The positions of the articles listed around position `at`: up to `before` earlier
    ones, and `after` from `at` on (so a list of thousands stays a short selector)."""
    return range(max(0, at - before), min(count, at + after))
