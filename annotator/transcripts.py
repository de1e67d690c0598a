"""Transcripts of debates and interviews (pure): file bytes -> one draft whose turns have speakers,
and a draft's turns -> sentences with their speaker.

Two forms are read:

- `.txt`: the first line is the title; then each turn starts with a `SPEAKER:` line
  (`QUELLANE: Four thousand families wait.`); a line without that prefix continues the turn
  before it, and blank lines are skipped. The text is stored exactly as in the file, so offsets
  point back to the source: the `SPEAKER:` prefix is a sentence of its own (role `meta`),
  never part of a body sentence.
- `.jsonl`: one `{"speaker": ..., "text": ...}` object a line (other keys are ignored). The
  stored text is the turns' texts joined by blank lines (one paragraph a turn, no names in
  it); the title is the file's name without its extension, unless one is given.

A speaker's name has at most `MAX_SPEAKER_WORDS` words and `MAX_SPEAKER_CHARS` characters,
each word capitalised (or in a script without case) but for particles such as `de` or `van`
(`OKONJO`, `Paula Okonjo`, `SEN. MARLOW`, `Ines van der Berg`), so a sentence such as
"Here is the thing: ..." or a time ("10:30") does not start a turn by mistake; a line that
opens with one capitalised word and a colon ("Look: ...") does.

A sentence that is only a stage direction in brackets, `(APPLAUSE)` or `[CROSSTALK]`, gets the
role `meta`: nobody claimed anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from annotator.errors import ImportRejected
from annotator.readers import (
    ArticleDraft,
    Turn,
    decode_text,
    has_visible_text,
    json_type,
    load_json,
    normalise_newlines,
)
from annotator.segment import sentence_spans
from annotator.storable import storable_problem

MAX_SPEAKER_CHARS = 40
MAX_SPEAKER_WORDS = 5
TRANSCRIPT_EXTENSIONS = (".txt", ".jsonl")

# The start of a line, up to its first colon (followed by a space or the end of the line).
_PREFIX = re.compile(r"[ \t]*(?P<name>[^:\n]*?)[ \t]*:(?=[ \t]|$)")
_NAME_PUNCTUATION = frozenset(" .'’&()-")
_NAME_PARTICLES = frozenset("de da del della di du van von der den la le al bin ibn dos".split())
_STAGE_DIRECTION = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")

# (start, end, role, speaker) of one sentence: what the import stores.
SentenceRow = tuple[int, int, str, str | None]


def read_transcript(name: str, data: bytes, title: str | None = None) -> ArticleDraft:
    """The one draft of a `.txt` or `.jsonl` transcript; `title` is for `.jsonl` only."""
    extension = PurePosixPath(name).suffix.lower()
    if extension == ".txt":
        if title is not None:
            raise ImportRejected(
                "a .txt transcript's first line is its title; --title is for .jsonl", file=name
            )
        return _txt_transcript(name, decode_text(data, name))
    if extension == ".jsonl":
        return _jsonl_transcript(name, decode_text(data, name), title)
    kind = f"{extension!r} files" if extension else "files without an extension"
    supported = ", ".join(TRANSCRIPT_EXTENSIONS)
    raise ImportRejected(f"{kind} cannot be transcripts; use one of {supported}", file=name)


# ---- .txt --------------------------------------------------------------------------------


def _lines(text: str) -> Iterator[tuple[int, int, str]]:
    """(1-based number, offset, line) of every line of `text`."""
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        yield number, offset, line
        offset += len(line) + 1


def speaker_prefix(line: str) -> tuple[str, int] | None:
    """(speaker, length of the `SPEAKER:` prefix) when `line` starts a turn, else None;
    ValueError when the prefix names nobody (`: text`)."""
    match = _PREFIX.match(line)
    if match is None:
        return None
    speaker = match["name"]
    if not speaker:
        raise ValueError("empty speaker name before ':'")
    if (
        len(speaker) > MAX_SPEAKER_CHARS
        or len(speaker.split()) > MAX_SPEAKER_WORDS
        or not _is_name(speaker)
    ):
        return None
    return speaker, match.end()


def _is_name(speaker: str) -> bool:
    """Letters, digits, spaces and `. ' ’ & ( ) -`, starting with a letter, each word
    capitalised (or in a script without case: Arabic, Chinese) but for particles (`de`, `van`)."""
    if not speaker[0].isalpha() or not all(c.isalnum() or c in _NAME_PUNCTUATION for c in speaker):
        return False
    words = speaker.split()
    return not words[0][0].islower() and all(
        not word[0].islower() or word in _NAME_PARTICLES for word in words[1:]
    )


def _txt_transcript(name: str, text: str) -> ArticleDraft:
    """Title on the first non-blank line; `SPEAKER:` lines start turns, other lines continue."""
    lines = iter(_lines(text))
    title = ""
    for _, _, line in lines:
        if line.strip():
            title = line.strip()
            break
    turns: list[Turn] = []
    for number, offset, line in lines:
        if not line.strip():
            continue
        try:
            found = speaker_prefix(line)
        except ValueError as problem:
            raise ImportRejected(str(problem), file=name, line=number) from None
        if found is not None:
            speaker, length = found
            turns.append(
                Turn(speaker, offset + length, offset + len(line), (offset, offset + length))
            )
        elif not turns:
            message = "text before the first speaker: a turn starts with 'SPEAKER: text'"
            raise ImportRejected(message, file=name, line=number)
        else:
            turns[-1] = Turn(
                turns[-1].speaker, turns[-1].start, offset + len(line), turns[-1].prefix
            )
    if not turns:
        raise ImportRejected(
            "holds no turns: after the title line, 'SPEAKER: text' lines", file=name
        )
    _check_turns_have_words(name, text, turns)
    return _draft(name, text, title, turns, title_in_text=True)


def _check_turns_have_words(name: str, text: str, turns: list[Turn]) -> None:
    """A `SPEAKER:` with nothing said after it is a mistake in the file, not a turn."""
    for turn in turns:
        if not has_visible_text(text[turn.start : turn.end]):
            line = text.count("\n", 0, turn.start) + 1
            message = f"{turn.speaker!r} says nothing: a turn needs text after 'SPEAKER:'"
            raise ImportRejected(message, file=name, line=line)


# ---- .jsonl ------------------------------------------------------------------------------


def _jsonl_transcript(name: str, text: str, title: str | None) -> ArticleDraft:
    """One `{"speaker": ..., "text": ...}` object a line; the text is the turns joined by
    blank lines."""
    said: list[tuple[str, str]] = []
    for number, _, line in _lines(text):
        if line.strip():
            said.append(_jsonl_turn(line, name, number))
    if not said:
        raise ImportRejected("holds no turns", file=name)
    turns: list[Turn] = []
    pieces: list[str] = []
    offset = 0
    for speaker, words in said:
        turns.append(Turn(speaker, offset, offset + len(words)))
        pieces.append(words)
        offset += len(words) + 2
    chosen = " ".join((title or "").split()) or PurePosixPath(name).stem
    problem = storable_problem(chosen)
    if problem is not None:
        raise ImportRejected(f"the title {problem}", file=name)
    return _draft(name, "\n\n".join(pieces) + "\n", chosen, turns, title_in_text=False)


def _jsonl_turn(line: str, name: str, number: int) -> tuple[str, str]:
    """(speaker, text) of one line, each checked: a string, not empty, storable."""
    value = load_json(line, name, number)
    if not isinstance(value, dict):
        message = f"expected a JSON object, got {json_type(value)}"
        raise ImportRejected(message, file=name, line=number)
    found: list[str] = []
    for field in ("speaker", "text"):
        if field not in value:
            raise ImportRejected(f"missing field {field!r}", file=name, line=number)
        item = value[field]
        if not isinstance(item, str):
            message = f"field {field!r} must be a string, got {json_type(item)}"
            raise ImportRejected(message, file=name, line=number)
        problem = storable_problem(item)
        if problem is not None:
            raise ImportRejected(f"field {field!r} {problem}", file=name, line=number)
        if not has_visible_text(item):
            raise ImportRejected(f"empty {field!r}", file=name, line=number)
        found.append(item)
    speaker, words = found
    return " ".join(speaker.split()), normalise_newlines(words).strip()


def _draft(
    name: str, text: str, title: str, turns: list[Turn], *, title_in_text: bool
) -> ArticleDraft:
    return ArticleDraft(
        text=text,
        title=title,
        title_in_text=title_in_text,
        byline=None,
        published=None,
        published_raw=None,
        source=None,
        url=None,
        external_id=None,
        origin=name,
        turns=tuple(turns),
    )


# ---- sentences ---------------------------------------------------------------------------


def transcript_sentences(draft: ArticleDraft) -> list[SentenceRow]:
    """The sentences of a transcript: the title line's (role `title`), then for each turn its
    `SPEAKER:` prefix (`meta`) and its sentences (`body`, or `meta` for a stage direction),
    each with the turn's speaker."""
    text = draft.text
    rows: list[SentenceRow] = []
    first = draft.turns[0].prefix or (draft.turns[0].start, draft.turns[0].start)
    if draft.title_in_text:
        rows += [(s, e, "title", None) for s, e in _spans(text, 0, first[0])]
    for turn in draft.turns:
        if turn.prefix is not None:
            rows += [(s, e, "meta", turn.speaker) for s, e in _spans(text, *turn.prefix)]
        for start, end in _spans(text, turn.start, turn.end):
            role = "meta" if _STAGE_DIRECTION.fullmatch(text[start:end]) else "body"
            rows.append((start, end, role, turn.speaker))
    return rows


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The sentences of `text[start:end]`, as offsets into `text`."""
    return [(start + s, start + e) for s, e in sentence_spans(text[start:end])]
