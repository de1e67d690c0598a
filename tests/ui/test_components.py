"""The sentence-in-context window and label descriptions shown on the annotate page."""

from __future__ import annotations

import dataclasses
import datetime as dt

from annotator.segment import sentence_spans
from annotator.services.records import ArticleInfo, SentenceInfo
from annotator.ui.components import (
    MAX_PARAGRAPH_SIDE,
    context_window,
    published_text,
)


def _article(text: str) -> ArticleInfo:
    sentences = tuple(
        SentenceInfo(i, i, s, e, "body", text[s:e]) for i, (s, e) in enumerate(sentence_spans(text))
    )
    return ArticleInfo(1, 1, "T", text, None, None, None, None, None, sentences)


def _texts(article: ArticleInfo, index: int) -> list[str]:
    return [s.text for s in context_window(article, article.sentences[index])]


def test_one_sentence_paragraphs_still_show_two_neighbours_each_side() -> None:
    article = _article("\n\n".join(f"Sentence number {n} is here." for n in range(7)))
    assert _texts(article, 3) == [f"Sentence number {n} is here." for n in range(1, 6)]


def test_the_whole_current_paragraph_is_shown() -> None:
    article = _article("Alpha one. Alpha two. Alpha three. Alpha four. Alpha five.\n\nBeta one.")
    assert _texts(article, 0) == [
        "Alpha one.",
        "Alpha two.",
        "Alpha three.",
        "Alpha four.",
        "Alpha five.",
    ]


def test_a_very_long_paragraph_is_cut_to_a_window_around_the_sentence() -> None:
    article = _article(" ".join(f"Item {n} was sold." for n in range(40)))
    window = _texts(article, 20)
    assert len(window) == 2 * MAX_PARAGRAPH_SIDE + 1
    assert window[MAX_PARAGRAPH_SIDE] == "Item 20 was sold."


def test_long_text_before_the_sentence_is_trimmed_so_it_stays_in_view() -> None:
    long = "This earlier sentence is very long and " + "goes on " * 80 + "forever."
    article = _article(f"{long} {long} The current one. After it.")
    assert _texts(article, 2)[:2] == ["The current one.", "After it."]


def test_temporal_spans_are_wrapped_in_a_titled_span_and_all_text_stays_escaped() -> None:
    from datetime import date

    from annotator.ui.components import marked_spans

    text = "<b>Talks</b> began on Monday & end by the end of 2014."
    spans = ((22, 28, date(2014, 11, 17)), (38, 53, None))
    assert marked_spans(text, spans) == (
        "&lt;b&gt;Talks&lt;/b&gt; began on "
        '<span class="ca-time" title="2014-11-17">Monday</span> &amp; end by '
        '<span class="ca-time" title="no calendar date">the end of 2014</span>.'
    )


def test_the_context_box_marks_spans_only_inside_the_current_sentence() -> None:
    from datetime import date

    from annotator.ui.components import context_html

    article = _article("It rained on Monday. It rained on Tuesday.")
    spans = ((13, 20, date(2014, 11, 18)),)  # "Tuesday" in the second sentence
    box = context_html(article, article.sentences[1], {}, spans)
    assert box.count('class="ca-time"') == 1
    assert (
        '<mark data-testid="ca-current" data-sentence="1">It rained on <span class="ca-time" '
        in box
    )
    assert "It rained on Monday." in box


def test_the_context_box_tells_skipped_sentences_from_labelled_ones() -> None:
    from datetime import UTC, datetime

    from annotator.services.records import LabelInfo
    from annotator.ui.components import context_html

    article = _article("It rained. It snowed. It cleared.")
    now = datetime.now(UTC)
    labels = {
        article.sentences[0].id: LabelInfo(0, "opinion", None, None, "", False, 1.0, now),
        article.sentences[1].id: LabelInfo(1, None, None, None, "why", True, 1.0, now),
    }
    box = context_html(article, article.sentences[2], labels)
    assert '<span class="ca-done" title="labelled">It rained.</span>' in box
    assert '<span class="ca-skipped" title="skipped">It snowed.</span>' in box


def test_the_header_shows_a_month_as_written_never_as_its_first_day() -> None:
    article = _article("A sentence.")
    month = dataclasses.replace(article, published_raw="Feb 2005")
    day = dataclasses.replace(article, published=dt.date(2005, 2, 10), published_raw="10/02/2005")
    assert published_text(month) == "Published Feb 2005 (as written)"
    assert published_text(day) == "Published 2005-02-10"
    assert published_text(article) == "Undated"


def test_a_long_text_is_shortened_after_a_word_and_a_short_one_kept_whole() -> None:
    from annotator.ui.components import shortened

    assert shortened("It rained.", 10) == "It rained."
    assert shortened("It rained all day in Lahore.", 20) == "It rained all day…"
    assert shortened("Supercalifragilistic expialidocious", 10) == "Supercali…"


def test_a_sentence_is_numbered_among_the_body_sentences_as_annotators_see_it() -> None:
    from dataclasses import replace

    from annotator.ui.components import body_number

    article = _article("Title here.\n\nIt rained. It snowed.")
    sentences = (replace(article.sentences[0], role="title"), *article.sentences[1:])
    titled = replace(article, sentences=sentences)
    assert [body_number(titled, s.id) for s in titled.sentences] == [None, 1, 2]
