"""Roles: which lines of an article are body, and which are title, meta, captions and the rest."""

from __future__ import annotations

import datetime
from itertools import pairwise
from pathlib import Path

import pytest

from annotator.sentence_roles import (
    ROLES,
    Block,
    parse_byline,
    parse_date,
    parse_published,
    role_at,
    span_role,
    text_blocks,
)

SEEDS = Path(__file__).parent.parent / "seeds"
FRONTIER_POST = (SEEDS / "000_b44e9500121a4328.txt").read_text(encoding="utf-8")
DAWN = (SEEDS / "004_27ddbea68a68097d.txt").read_text(encoding="utf-8")
DAWN_CAPTION = (
    "Photo from Nov 20, 2014, shows Prime Minister Nawaz Sharif (R) with Russian Defence "
    "Minister General Sergey Kuzhugetovich Shoy (L).—AFP"
)


def roles_by_line(text: str, *, title_in_text: bool = True) -> list[tuple[str, str]]:
    """(role, first 40 characters) of every non-blank line, the role as role_at reports it."""
    blocks = text_blocks(text, title_in_text=title_in_text)
    result = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            result.append((role_at(blocks, offset), line.strip()[:40]))
        offset += len(line) + 1
    return result


def roles_of(text: str, *, title_in_text: bool = True) -> list[str]:
    return [role for role, _ in roles_by_line(text, title_in_text=title_in_text)]


# ---- the seeds ---------------------------------------------------------------------------


def test_frontier_post_seed_roles() -> None:
    assert roles_by_line(FRONTIER_POST) == [
        ("title", "Pak-Russia alliance against terrorism"),
        ("meta", "Written by The Frontier Post"),
        ("body", "The ninth round of bilateral meeting of "),
        ("body", "Pakistan Russia bilateral relations rema"),
        ("boilerplate", "About the author"),
        ("boilerplate", "The Frontier Post"),
    ]


def test_dawn_seed_roles_up_to_the_teasers() -> None:
    news = roles_by_line(DAWN)[:14]
    assert news == [
        ("title", "Russia to provide counter-terrorism trai"),
        ("meta", "Published November 21, 2014"),
        ("caption", "Photo from Nov 20, 2014, shows Prime Min"),
        ("caption", "Photo from Nov 20, 2014, shows Prime Min"),
        ("body", "ISLAMABAD: Russia has accepted Pakistan’"),
        ("body", "Highly-placed defence sources told Dawn."),
        ("body", "The development follows the signing of w"),
        ("body", "A defence ministry statement said the pa"),
        ("related", "Also read: Pakistan, Russia sign landmar"),
        ("body", "Sources told Dawn.com today that Pakista"),
        ("body", "Russia will also extend cooperation to P"),
        ("body", "Russia has long been the largest supplie"),
        ("body", "In June, Russia's ITAR-TASS news agency "),
        ("boilerplate", "Opinion"),
    ]


def test_dawn_seed_everything_from_opinion_to_the_end_is_boilerplate() -> None:
    lines = roles_by_line(DAWN)
    tail = lines[13:]
    assert tail[0] == ("boilerplate", "Opinion")
    assert tail[-1] == ("boilerplate", "DOG-BITE is an old problem in Pakistan. ")
    assert len(tail) == 26
    assert {role for role, _ in tail} == {"boilerplate"}


def test_dawn_meta_and_caption_paragraph_is_split_into_line_blocks() -> None:
    blocks = text_blocks(DAWN, title_in_text=True)
    published = DAWN.index("Published")
    caption = DAWN.index("Photo from")
    assert role_at(blocks, published) == "meta"
    assert role_at(blocks, caption) == "caption"
    assert role_at(blocks, DAWN.index("Photo from", caption + 1)) == "caption"
    meta_block = next(block for block in blocks if block.role == "meta")
    assert DAWN[meta_block.start : meta_block.end] == "Published November 21, 2014"


# ---- blocks ------------------------------------------------------------------------------


def test_blocks_are_ordered_and_cover_every_non_blank_line() -> None:
    for text in (DAWN, FRONTIER_POST):
        blocks = text_blocks(text, title_in_text=True)
        assert blocks == sorted(blocks, key=lambda block: block.start)
        assert all(a.end < b.start for a, b in pairwise(blocks))
        covered = "".join(text[block.start : block.end] for block in blocks)
        assert "".join(covered.split()) == "".join(text.split())
        assert {block.role for block in blocks} <= set(ROLES)


def test_a_uniform_paragraph_is_one_block() -> None:
    text = "Title\n\nFirst line of a soft-wrapped\nparagraph that goes on.\n\nNext."
    assert text_blocks(text, title_in_text=True) == [
        Block(0, 5, "title"),
        Block(7, text.index(".") + 1, "body"),
        Block(text.index("Next."), len(text), "body"),
    ]


def test_role_at_between_blocks_is_body() -> None:
    blocks = [Block(0, 5, "title"), Block(7, 20, "caption")]
    assert [role_at(blocks, offset) for offset in (0, 4, 5, 6, 7, 19, 20, 99)] == [
        "title",
        "title",
        "body",
        "body",
        "caption",
        "caption",
        "body",
        "body",
    ]
    assert role_at([], 0) == "body"


def test_span_role_is_body_when_a_sentence_runs_from_a_caption_into_a_body_line() -> None:
    # Found by tests/test_properties.py: the soft wrap joins the two lines into one sentence.
    text = "Title\n\nPhoto from Nov 20, 2014, shows a man (L).—AFP\nthe talks went on."
    blocks = text_blocks(text, title_in_text=True)
    assert [block.role for block in blocks] == ["title", "caption", "body"]
    assert span_role(blocks, text.index("Photo"), len(text)) == "body"


def test_span_role_within_non_body_blocks_is_the_first_block_role() -> None:
    blocks = [Block(0, 5, "title"), Block(7, 20, "caption"), Block(21, 30, "body")]
    assert span_role(blocks, 7, 20) == "caption"
    assert span_role(blocks, 0, 20) == "title"
    assert span_role(blocks, 7, 22) == "body"
    assert span_role(blocks, 22, 30) == "body"
    assert span_role([], 0, 3) == "body"


def test_without_title_in_text_the_first_line_is_body() -> None:
    assert roles_of("ISLAMABAD: Talks began.\n\nThey ended.", title_in_text=False) == [
        "body",
        "body",
    ]


def test_without_title_in_text_a_leading_byline_is_meta() -> None:
    assert roles_of("By Jane Doe\n\nTalks began.", title_in_text=False) == ["meta", "body"]


def test_leading_blank_lines_do_not_move_the_title() -> None:
    assert roles_of("\n\n  Title\n\nBody.") == ["title", "body"]


def test_empty_text_has_no_blocks() -> None:
    assert text_blocks("", title_in_text=True) == []
    assert text_blocks("\n \n", title_in_text=True) == []


# ---- meta --------------------------------------------------------------------------------


def test_byline_and_dateline_under_the_title_are_meta() -> None:
    text = "Title\n\nBy Jane Doe\nPublished Nov. 21, 2014\nUpdated Nov 22, 2014 10:15am\n\nBody."
    assert roles_of(text) == ["title", "meta", "meta", "meta", "body"]


def test_metadata_lines_after_the_body_starts_are_body() -> None:
    text = "Title\n\nBody first.\n\nBy Jane Doe\n\nPublished November 21, 2014"
    assert roles_of(text) == ["title", "body", "body", "body"]


def test_body_starting_with_by_the_end_of_stays_body() -> None:
    text = "Title\n\nBy the end of 2014, NATO forces will have left Afghanistan."
    assert roles_of(text) == ["title", "body"]


def test_updated_prose_line_under_the_title_stays_body() -> None:
    assert roles_of("Title\n\nUpdated figures show a sharp rise in exports.") == ["title", "body"]


# ---- captions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "caption",
    [
        DAWN_CAPTION,
        "Photo: AP",
        "File photo of the parliament building in Islamabad.",
        "Students attend a class in Karachi.—AFP",
        "Soldiers stand guard at the border. — Reuters",
        "Protesters march on Constitution Avenue.—Photo by Tanveer Shahzad/White Star",
        "Fishermen mend their nets at Keamari. — Photo by Fahim Siddiqi/White Star",
        "The new terminal at Islamabad airport (Photo: AP)",
        "In this photo, rescuers search the rubble.",
    ],
)
def test_caption_lines_in_the_body_are_captions(caption: str) -> None:
    assert roles_of(f"Title\n\nISLAMABAD: Talks began.\n\n{caption}\n\nThey ended.") == [
        "title",
        "body",
        "caption",
        "body",
    ]


def test_a_view_of_line_under_the_title_is_a_caption() -> None:
    text = "Title\nPublished 2014-11-21\nA view of the Margalla Hills.\n\nBody."
    assert roles_of(text) == ["title", "meta", "caption", "body"]


def test_a_view_of_sentence_in_the_body_stays_body() -> None:
    text = "Title\n\nTalks began.\n\nA view of the matter held by many is that talks failed."
    assert roles_of(text) == ["title", "body", "body"]


def test_a_repeated_caption_line_is_a_caption() -> None:
    caption = "Students attend a class in Karachi.—AFP"
    text = f"Title\n\nTalks began.\n{caption}\n{caption}\n\nThey ended."
    assert roles_of(text) == ["title", "body", "caption", "caption", "body"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "The ministry released a photo of the meeting on Friday.",
        "Photos of the victims were shared widely on social media, police said.",
        "Photography exhibitions drew large crowds in Lahore this year.",
        "He said the agreement was a milestone — and Reuters agreed.",
        "A defence ministry statement said the pact came at a critical juncture.",
        "Photo by photo, "
        + "the exhibition traces forty years of the city's history in detail. " * 5,
    ],
)
def test_body_paragraphs_that_mention_photos_or_credits_stay_body(paragraph: str) -> None:
    assert roles_of(f"Title\n\nTalks began.\n\n{paragraph}\n\nThey ended.") == [
        "title",
        "body",
        "body",
        "body",
    ]


# ---- related -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Also read: Pakistan, Russia sign landmark defence cooperation agreement",
        "Read more: Russia lifts arms embargo",
        "READ MORE: Russia lifts arms embargo",
        "Related: Russia lifts arms embargo",
        "See also: Russia lifts arms embargo",
    ],
)
def test_related_link_lines_are_related(line: str) -> None:
    assert roles_of(f"Title\n\nTalks began.\n\n{line}\n\nThey ended.") == [
        "title",
        "body",
        "related",
        "body",
    ]


def test_related_words_inside_prose_stay_body() -> None:
    text = "Title\n\nRelated to this, officials said talks would resume.\n\nRead the report."
    assert roles_of(text) == ["title", "body", "body"]


# ---- boilerplate -------------------------------------------------------------------------


def test_about_the_author_starts_boilerplate_to_the_end() -> None:
    text = "Title\n\nBody.\n\nAbout the author\n\nJane Doe writes on defence.\n\nMore text."
    assert roles_of(text) == ["title", "body", "boilerplate", "boilerplate", "boilerplate"]


def test_editorial_teaser_block_is_boilerplate() -> None:
    text = (
        "Title\n\nBody.\n\nEditorial\n\nIn disarray\n19 Mar, 2024\n\nIn disarray\n\n"
        "IT is clear that there is bad blood..."
    )
    assert roles_of(text) == ["title", "body"] + ["boilerplate"] * 5


def test_section_word_without_teaser_dates_stays_body() -> None:
    text = "Title\n\nOpinion\n\nThe readers were divided.\n\nEditorial\n\nThey still are."
    assert roles_of(text) == ["title", "body", "body", "body", "body"]


def test_section_word_with_a_date_far_below_stays_body() -> None:
    body = "\n\n".join(f"Paragraph {n}." for n in range(8))
    text = f"Title\n\nOpinion\n\n{body}\n\n19 Mar, 2024"
    assert set(roles_of(text)[1:]) == {"body"}


# ---- parsers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Written by The Frontier Post", "The Frontier Post"),
        ("By Jane Doe", "Jane Doe"),
        ("BY JANE DOE", "JANE DOE"),
        ("By The Associated Press", "The Associated Press"),
        ("By Ahmed al-Masri and Jane van Dyke", "Ahmed al-Masri and Jane van Dyke"),
        ("By Baqir Sajjad Syed | Dawn", "Baqir Sajjad Syed | Dawn"),
        ("  By Jane Doe  ", "Jane Doe"),
    ],
)
def test_parse_byline_reads_names(line: str, name: str) -> None:
    assert parse_byline(line) == name


@pytest.mark.parametrize(
    "line",
    [
        "By the end of 2014, NATO forces will have left.",
        "By Monday, the talks had collapsed.",
        "By March",
        "By 2015 exports had doubled.",
        "By",
        "Bylines are rare here.",
        "Written by hand, the letter was delivered on Monday.",
        "The report was written by Jane Doe.",
    ],
)
def test_parse_byline_refuses_prose(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "raw", "date"),
    [
        ("Published November 21, 2014", "November 21, 2014", datetime.date(2014, 11, 21)),
        ("Published Nov 21, 2014", "Nov 21, 2014", datetime.date(2014, 11, 21)),
        ("Published Nov. 21, 2014", "Nov. 21, 2014", datetime.date(2014, 11, 21)),
        ("Published 21 November 2014", "21 November 2014", datetime.date(2014, 11, 21)),
        ("Published 2014-11-21", "2014-11-21", datetime.date(2014, 11, 21)),
        ("Published: Sept. 3rd, 2014", "Sept. 3rd, 2014", datetime.date(2014, 9, 3)),
        (
            "Published November 21, 2014 03:27pm",
            "November 21, 2014 03:27pm",
            datetime.date(2014, 11, 21),
        ),
        ("Published yesterday", "yesterday", None),
        ("Published 31 February 2014", "31 February 2014", None),
        ("Published 01/02/2014", "01/02/2014", None),
    ],
)
def test_parse_published(line: str, raw: str, date: datetime.date | None) -> None:
    assert parse_published(line) == (raw, date)


@pytest.mark.parametrize(
    "line",
    [
        "Updated 19 Mar, 2024",
        "November 21, 2014",
        "Photo from Nov 20, 2014",
        "Published",
        "Published reports say that the two countries have been negotiating since the spring.",
    ],
)
def test_parse_published_refuses_other_lines(line: str) -> None:
    assert parse_published(line) is None


def test_parse_date_reads_iso_datetimes() -> None:
    assert parse_date("2014-11-21T10:00:00Z") == datetime.date(2014, 11, 21)
    assert parse_date("") is None
