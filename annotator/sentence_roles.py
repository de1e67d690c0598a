"""Give every line of an article a role, so annotators see only the body by default.

Scraped news pages carry more than the story: a title, a byline and a dateline, photo captions
(often printed twice), "Also read:" links and the site's trailing teasers. They stay in the
stored text, because sentence offsets must point into the original, and are marked instead.
The rules are deliberately conservative: a line only leaves `body` when it clearly matches,
because a body sentence hidden from annotators is a silent loss, while a stray caption shown
to them costs one click.

Pure: text in, spans out. Also home of the metadata-line parsers (byline, publication date),
so that the reader that fills `byline`/`published` and the roles that mark those lines agree.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from annotator.written_dates import DayOrder, read_date

ROLES: tuple[str, ...] = ("body", "title", "meta", "caption", "related", "boilerplate")

# A dateline ("Published November 21, 2014 03:27pm") is short; a longer line is prose.
MAX_DATELINE_CHARS = 60
# Captions are a line or two; a longer line is a body paragraph even if it starts with "Photo".
MAX_CAPTION_CHARS = 300
# A section word ("Opinion") only starts trailing boilerplate when a teaser date follows soon.
TEASER_WINDOW_LINES = 6

_BYLINE = re.compile(r"(?:written\s+by|by)\s+(?P<name>\S.*)", re.IGNORECASE)
_NAME_PARTICLE = re.compile(
    r"and|of|the|de|del|della|da|dos|van|von|der|den|bin|bint|ibn|al|el|la|le|du|for|at|in", re.I
)
_NOT_NAME_START = re.compile(
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday)[.,]?",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(r"(?:first\s+)?published\b\s*(?:on\b)?\s*:?\s*(?P<raw>.*)", re.IGNORECASE)
_UPDATED = re.compile(r"(?:last\s+)?(?:updated|posted)\b\s*(?:on\b)?\s*:?\s*(?P<raw>.*)", re.I)

_CAPTION_LEAD = re.compile(
    r"file\s+(?:photo|image|picture)\b"
    r"|(?:photo|photos|image|picture|pic)\s*(?::|\b(?:by|from|courtesy|shows|credit)\b)"
    r"|in\s+this\s+(?:file\s+)?(?:photo|image|picture)\b"
    r"|this\s+(?:file\s+)?(?:photo|image|picture)\s+(?:shows|taken)\b",
    re.IGNORECASE,
)
# Only trusted right under the title, where a lone "A view of ..." line is a caption.
_WEAK_CAPTION_LEAD = re.compile(r"an?\s+(?:general\s+|aerial\s+|partial\s+)?view\s+of\b", re.I)
_AGENCIES = (
    r"(?:AFP|AP|Reuters|EPA|APP|PPI|INP|NNI|Xinhua|Anadolu|Bloomberg|Getty\s+Images"
    r"|White\s+Star|Online|File|Dawn|DawnNewsTV)"
)
_CREDIT_END = re.compile(
    r"(?:"
    r"[.)\]]\s*[—–]+\s*[A-Z][\w&'’. -]{0,40}(?:/[\w&'’. -]{1,40})?"  # .—AFP  (L).—AFP
    r"|\s[—–-]{1,2}\s*" + _AGENCIES + r"(?:/[\w .]{1,40})?"  # " — Reuters", " - AFP/File"
    r"|[—–]\s*(?:File\s+)?Photos?\s+(?:by|courtesy(?:\s+of)?)\s+[^—–]{1,60}"  # — Photo by X
    r"|\(\s*(?:File\s+)?(?:Photos?|Image|Picture)\s*(?::|by|courtesy(?:\s+of)?|credit:?)"
    r"\s*[^()]{1,60}\)"  # (Photo: AP)
    r")\s*$"
)
_RELATED = re.compile(
    r"(?:also\s+read|read\s+(?:more|also|next)|related(?:\s+(?:stories|articles|news))?"
    r"|see\s+also|also\s+see|more\s+on\s+this)\s*[:—–]\s*\S",
    re.IGNORECASE,
)
_ABOUT_AUTHOR = re.compile(r"about\s+the\s+(?:author|writer|columnist)s?\s*:?", re.IGNORECASE)
_SECTION_WORDS = frozenset(
    {
        "opinion",
        "editorial",
        "editorials",
        "columns",
        "latest",
        "latest news",
        "more from",
        "more stories",
        "most popular",
        "most read",
        "trending",
        "recommended",
        "read next",
        "related stories",
        "you may also like",
    }
)
_MAX_TAIL_MARKER_CHARS = 30  # longer than any section word or "About the author"
_TEASER_DATE = re.compile(
    r"(?:(?:updated|published)\s+)?"
    r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4})"
    r"(?:\s+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Block:
    """A span of `text` (one line, or a run of lines of one paragraph) that has one role."""

    start: int
    end: int
    role: str


class _Line(NamedTuple):
    start: int
    end: int
    paragraph: int
    content: str  # stripped, for matching only; offsets are the line's own


def parse_byline(line: str) -> str | None:
    """The name in a byline line ("Written by X", "By X"), or None when the line is prose."""
    match = _BYLINE.fullmatch(line.strip())
    if match is None:
        return None
    name = match["name"].strip()
    return name if _looks_like_name(name) else None


def _looks_like_name(name: str) -> bool:
    """Names are short and capitalised; "By the end of 2014," and "By Monday, the talks" are not."""
    words = name.replace(",", " ").split()
    if not words or len(name) > 80 or len(words) > 10:
        return False
    first = words[0]
    if not first[:1].isupper() or _NOT_NAME_START.fullmatch(first):
        return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    """A capitalised word, a particle ("van", "al-Masri"), or punctuation such as `|`."""
    if word[:1].isupper() or not word[:1].isalpha():
        return True
    return bool(_NAME_PARTICLE.fullmatch(re.split(r"[-'’]", word)[0]))


def parse_published(line: str) -> tuple[str, datetime.date | None] | None:
    """(raw date, parsed date or None) for a `Published ...` line; None for any other line."""
    match = _PUBLISHED.fullmatch(line.strip())
    if match is None:
        return None
    raw = match["raw"].strip()
    if not raw or len(raw) > MAX_DATELINE_CHARS:
        return None
    return raw, parse_date(raw)


def parse_date(raw: str, day_order: DayOrder | None = None) -> datetime.date | None:
    """The calendar day written in `raw`, or None (see `annotator.written_dates`)."""
    return read_date(raw, day_order).day


def text_blocks(text: str, *, title_in_text: bool) -> list[Block]:
    """Ordered blocks covering every non-blank line; a paragraph is split where roles change."""
    lines = _split_lines(text)
    roles = line_roles([line.content for line in lines], title_in_text=title_in_text)
    blocks: list[Block] = []
    run_start = 0
    for index, (line, role) in enumerate(zip(lines, roles, strict=True)):
        after = index + 1
        if after == len(lines) or roles[after] != role or lines[after].paragraph != line.paragraph:
            blocks.append(Block(lines[run_start].start, line.end, role))
            run_start = after
    return blocks


def role_at(blocks: Sequence[Block], offset: int) -> str:
    """Role of the block containing `offset`; "body" in gaps, so nothing is hidden by accident."""
    index = bisect_right(blocks, offset, key=lambda block: block.start) - 1
    if index >= 0 and offset < blocks[index].end:
        return blocks[index].role
    return "body"


def span_role(blocks: Sequence[Block], start: int, end: int) -> str:
    """Role of a sentence `text[start:end]`: its first block's, but `body` when any body block
    overlaps it. A soft wrap can join a caption or meta line to the body line after it
    (`...(L).—AFP` then `the talks went on.`); labelling the whole sentence by its start would
    hide that body text from annotators."""
    first = bisect_right(blocks, start, key=lambda block: block.start) - 1
    last = bisect_left(blocks, end, key=lambda block: block.start)
    overlapping = (block for block in blocks[max(first, 0) : last] if block.end > start)
    if any(block.role == "body" for block in overlapping):
        return "body"
    return role_at(blocks, start)


def _split_lines(text: str) -> list[_Line]:
    """The non-blank lines with their offsets and paragraph number (blank lines separate)."""
    lines: list[_Line] = []
    paragraph = 0
    position = 0
    after_blank = False
    for raw in text.split("\n"):
        content = raw.strip()
        if not content:
            after_blank = True
        else:
            if after_blank and lines:
                paragraph += 1
            after_blank = False
            lines.append(_Line(position, position + len(raw), paragraph, content))
        position += len(raw) + 1
    return lines


def line_roles(lines: Sequence[str], *, title_in_text: bool) -> list[str]:
    """The role of each non-blank line (stripped), in order: the rules of this module."""
    roles = ["body"] * len(lines)
    first = 0
    if title_in_text and lines:
        roles[0] = "title"
        first = 1
    tail = _boilerplate_start(lines, first)
    roles[tail:] = ["boilerplate"] * (len(lines) - tail)
    body_start = _mark_header(lines, roles, first, tail)
    _mark_body(lines, roles, body_start, tail)
    return roles


def _boilerplate_start(lines: Sequence[str], first: int) -> int:
    """Index where the site's trailing boilerplate begins (`len(lines)` when there is none)."""
    for index in range(first, len(lines)):
        line = lines[index]
        if len(line) > _MAX_TAIL_MARKER_CHARS:
            continue
        if _ABOUT_AUTHOR.fullmatch(line):
            return index
        if _is_section_word(line) and _teaser_date_follows(lines, index):
            return index
    return len(lines)


def _is_section_word(line: str) -> bool:
    """A line that is only a site-navigation word, such as `Opinion` or `Editorial`."""
    return line.rstrip(":").strip().lower() in _SECTION_WORDS


def _teaser_date_follows(lines: Sequence[str], index: int) -> bool:
    """True when a teaser date (`Updated 19 Mar, 2024`) follows within a few lines."""
    window = lines[index + 1 : index + 1 + TEASER_WINDOW_LINES]
    return any(_TEASER_DATE.fullmatch(line) for line in window)


def _mark_header(lines: Sequence[str], roles: list[str], first: int, tail: int) -> int:
    """Mark the metadata/caption lines right under the title; return where the body starts."""
    index = first
    while index < tail:
        role = _header_role(lines[index])
        if role is None:
            break
        roles[index] = role
        index += 1
    return index


def _header_role(line: str) -> str | None:
    """Role of a line in the header zone, or None when the line is the first body line."""
    if parse_byline(line) is not None or _is_dateline(line):
        return "meta"
    if _is_caption(line) or (_WEAK_CAPTION_LEAD.match(line) and len(line) <= MAX_CAPTION_CHARS):
        return "caption"
    if _RELATED.match(line):
        return "related"
    return None


def _is_dateline(line: str) -> bool:
    """`Published <anything short>`, or `Updated`/`Posted` followed by something with a digit."""
    if parse_published(line) is not None:
        return True
    match = _UPDATED.fullmatch(line)
    if match is None:
        return False
    raw = match["raw"]
    return 0 < len(raw) <= MAX_DATELINE_CHARS and any(char.isdigit() for char in raw)


def _is_caption(line: str) -> bool:
    """A short line that starts like a photo caption or ends with a photo/agency credit."""
    if len(line) > MAX_CAPTION_CHARS:
        return False
    return bool(_CAPTION_LEAD.match(line) or _CREDIT_END.search(line))


def _mark_body(lines: Sequence[str], roles: list[str], start: int, tail: int) -> None:
    """Mark related-link and caption lines among the body lines."""
    for index in range(start, tail):
        line = lines[index]
        repeated_caption = index > 0 and roles[index - 1] == "caption" and lines[index - 1] == line
        if _RELATED.match(line):
            roles[index] = "related"
        elif repeated_caption or _is_caption(line):
            roles[index] = "caption"
