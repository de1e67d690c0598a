"""Where the annotate page goes next: resuming, the next article, the first unlabelled
sentence (annotator.navigation, pure)."""

from __future__ import annotations

import pytest

from annotator.navigation import (
    after_answer,
    article_window,
    first_unlabelled,
    next_unfinished,
    resume_article,
    unlabelled_positions,
    wants_another_article,
)
from annotator.services.records import ArticleSummary


def _summaries(*done: tuple[int, int]) -> list[ArticleSummary]:
    """Articles with ids 1, 2, ... from (body sentences, sentences done) pairs."""
    return [
        ArticleSummary(id=i + 1, title=f"A{i}", n_body=n, n_done=d) for i, (n, d) in enumerate(done)
    ]


def test_resume_opens_the_article_of_the_latest_label_while_it_is_unfinished() -> None:
    articles = _summaries((5, 0), (5, 2), (5, 0))
    assert resume_article(articles, 2) == 2
    assert resume_article(articles, None) == 1


def test_resume_after_a_finished_article_moves_to_the_next_unfinished_one() -> None:
    articles = _summaries((5, 0), (5, 5), (5, 0))
    assert resume_article(articles, 2) == 3
    assert resume_article(_summaries((5, 5), (5, 5)), 2) == 2
    assert resume_article(_summaries((5, 5), (5, 5)), None) == 1


def test_resume_after_the_last_unfinished_article_wraps_round_to_the_first_unfinished() -> None:
    assert resume_article(_summaries((5, 1), (5, 5), (5, 5)), 3) == 1


def test_resume_from_an_article_no_longer_listed_goes_to_the_next_unfinished_one() -> None:
    articles = _summaries((5, 5), (5, 0), (5, 0))
    assert resume_article(articles, 99) == 2  # wraps round: nothing listed after 99
    assert resume_article(_summaries((5, 5), (5, 5)), 99) == 1  # all done: the first article


def test_resume_with_no_articles_is_refused() -> None:
    with pytest.raises(ValueError, match="no article"):
        resume_article([], None)


def test_next_unfinished_takes_the_next_later_unfinished_article_and_wraps_round() -> None:
    articles = _summaries((5, 0), (5, 5), (5, 0), (5, 1))
    assert next_unfinished(articles, 1) == 3
    assert next_unfinished(articles, 3) == 4
    assert next_unfinished(articles, 4) == 1  # wraps round


def test_next_unfinished_stays_put_when_every_article_is_finished() -> None:
    assert next_unfinished(_summaries((5, 5), (3, 3)), 2) == 2
    assert next_unfinished([], 7) == 7


def test_another_article_is_wanted_only_when_every_other_listed_article_is_finished() -> None:
    assert wants_another_article(_summaries((5, 5), (5, 2)), current=2)
    assert not wants_another_article(_summaries((5, 4), (5, 5)), current=2)
    assert wants_another_article([], current=1)


def test_an_article_opens_at_its_first_unlabelled_sentence() -> None:
    assert first_unlabelled([10, 11, 12, 13], {10, 11}) == 2
    assert first_unlabelled([10, 11, 12, 13], {10, 12}) == 1  # a gap before later labels
    assert first_unlabelled([10, 11, 12], set()) == 0


def test_an_article_with_every_sentence_labelled_opens_at_its_summary() -> None:
    assert first_unlabelled([10, 11, 12], {10, 11, 12}) == 3
    assert unlabelled_positions([10, 11, 12], {10, 11, 12}) == []


def test_an_article_with_no_body_sentences_opens_at_its_summary() -> None:
    assert first_unlabelled([], set()) == 0
    assert unlabelled_positions([], {1}) == []


def test_the_last_sentence_left_is_the_one_to_jump_to() -> None:
    assert first_unlabelled([10, 11, 12], {10, 11}) == 2
    assert unlabelled_positions([10, 11, 12], {10, 11}) == [2]


def test_a_skipped_sentence_counts_as_done() -> None:
    # A skip is stored as a label (skipped=True), so its sentence id is among the labelled.
    labels = {10: "factual", 11: "skipped"}
    assert first_unlabelled([10, 11, 12], labels) == 2
    assert unlabelled_positions([10, 11, 12, 13], labels) == [2, 3]


def test_labels_of_other_articles_do_not_count() -> None:
    assert first_unlabelled([10, 11], {1, 2, 3}) == 0


def test_the_article_window_lists_a_bounded_stretch_around_the_current_article() -> None:
    assert article_window(100, 50, 20, 30) == range(30, 80)
    assert article_window(100, 5, 20, 30) == range(0, 35)
    assert article_window(10, 9, 20, 30) == range(0, 10)
    assert article_window(1, 0, 20, 30) == range(0, 1)


def test_an_answer_moves_on_to_the_next_unlabelled_sentence() -> None:
    assert after_answer([1, 2, 3, 4], {1}, 0) == 1
    assert after_answer([1, 2, 3, 4], {1, 2, 3}, 0) == 3  # relabelling goes back


def test_the_last_answer_left_moves_on_to_the_summary_not_to_a_labelled_sentence() -> None:
    assert after_answer([1, 2, 3, 4], {1, 2, 3, 4}, 1) == 4
    assert after_answer([1, 2, 3, 4], {2, 3, 4}, 3) == 4  # 1 is left: the summary says
