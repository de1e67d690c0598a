"""Read the English MEANTIME corpus (NewsReader, CAT XML) into the TIMEX3 bench's sentence records.

MEANTIME's English section is 120 Wikinews articles in four topic folders (``corpus_airbus``,
``corpus_apple``, ``corpus_gm``, ``corpus_stock``), annotated with TIMEX3 (TimeML types and
values) in the CAT stand-off format: the text is a list of ``<token sentence=... t_id=...>``
elements, and each ``<TIMEX3 type=... value=...>`` under ``<Markables>`` points at its tokens
with ``<token_anchor t_id=...>``. The original spacing is not kept, so `detokenize` rebuilds
each sentence as a reader would see it (no space before closing punctuation and clitics such as
*'s*, none after opening brackets and currency signs, ````/''`` as straight quotes), and every
TIMEX3 gets the character range of its tokens in that sentence.

The TIMEX3 whose ``functionInDocument`` is ``CREATION_TIME`` is the document creation date
(the reference, as ``<DCT>`` is in TimeML). It is the article's dateline, a line of its own
under the title, so the sentence holding it is left out: the bench scores the article's text,
not its metadata. TIMEX3s with no tokens (MEANTIME's implicit times, written as
``TAG_DESCRIPTOR``) are not in the text and are skipped. Sentences are MEANTIME's own.

MEANTIME annotates only the start of each article: the title, the dateline and the first
sentences (no markable of any kind lies past sentence 5 in the 120 files). Sentences after the
last one holding a markable (an entity, event, value, signal or time) are unannotated, not
empty of times, so they are left out.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.timex3 import GoldTimex, Timex3Record, read_documents

# Tokens written against the token before them, and tokens the next token is written against.
_NO_SPACE_BEFORE = {",", ".", "%", ")", "]", ":", ";", "!", "?", "...", "''", "”", "’"}
_CLITIC = re.compile(r"'(?:s|re|ve|ll|d|m)|n't|'", re.IGNORECASE)
_NO_SPACE_AFTER = {"(", "[", "$", "US$", "CA$", "£", "€", "#", "``", "“", "`"}
_QUOTES = {"``": '"', "''": '"', "“": '"', "”": '"'}
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence the tokens were cut from, and each token's character range in it.

    A straight double quote opens and closes in turn: the first of a pair is written against
    the next token, the second against the one before it.
    """
    text = ""
    ranges: list[tuple[int, int]] = []
    glue_next = True
    open_quote = False
    for token in tokens:
        if token == '"':
            glue, glue_next = (True, False) if open_quote else (glue_next, True)
            open_quote = not open_quote
        else:
            glue = glue_next or token in _NO_SPACE_BEFORE or bool(_CLITIC.fullmatch(token))
            glue_next = token in _NO_SPACE_AFTER
        written = _QUOTES.get(token, token)
        if not glue:
            text += " "
        ranges.append((len(text), len(text) + len(written)))
        text += written
    return text, ranges


def cat_tokens(root: ET.Element) -> tuple[dict[str, tuple[int, str]], dict[int, list[str]]]:
    """A CAT XML document's tokens (``t_id`` → sentence number and text) and each sentence's
    token ids, in document order (MEANTIME and ESC share the layout)."""
    tokens = {
        token.get("t_id", ""): (int(token.get("sentence", "0")), token.text or "")
        for token in root.iter("token")
    }
    sentences: dict[int, list[str]] = {}
    for t_id, (sentence, _) in tokens.items():
        sentences.setdefault(sentence, []).append(t_id)
    return tokens, sentences


def read_document(path: Path) -> list[Timex3Record]:
    """The sentences of one MEANTIME file with their TIMEX3s, the dateline's sentence left out."""
    root = ET.parse(path).getroot()
    tokens, sentences = cat_tokens(root)
    reference: dt.date | None = None
    dateline: set[int] = set()
    anchored: list[tuple[ET.Element, list[str]]] = []
    for timex in root.iter("TIMEX3"):
        anchors = [a.get("t_id", "") for a in timex.iter("token_anchor")]
        if not anchors:
            continue
        if timex.get("functionInDocument") == "CREATION_TIME":
            day = _DAY.fullmatch(timex.get("value", ""))
            reference = dt.date.fromisoformat(day.group(0)) if day else None
            dateline.add(tokens[anchors[0]][0])
            continue
        anchored.append((timex, anchors))
    texts = {
        sentence: detokenize([tokens[t_id][1] for t_id in ids])
        for sentence, ids in sentences.items()
    }
    if reference is None and (written := _dateline_date(texts.get(1, ("", []))[0])):
        reference = written
        dateline.add(1)
    annotated = _last_annotated_sentence(root, tokens)
    records = []
    for sentence in sorted(sentences):
        if sentence in dateline or sentence > annotated:
            continue
        ids = sentences[sentence]
        text, ranges = texts[sentence]
        where = dict(zip(ids, ranges, strict=True))
        timexes = []
        for timex, anchors in anchored:
            if tokens[anchors[0]][0] != sentence:
                continue
            start = min(where[a][0] for a in anchors)
            end = max(where[a][1] for a in anchors)
            kind, value = timex.get("type", ""), timex.get("value", "")
            timexes.append(GoldTimex(start, end, kind, value, text[start:end]))
        timexes.sort(key=lambda t: t.start)
        records.append(Timex3Record(path.stem, text, reference, timexes))
    return records


def _last_annotated_sentence(root: ET.Element, tokens: dict[str, tuple[int, str]]) -> int:
    """The number of the last sentence that any markable's tokens lie in."""
    markables = root.find("Markables")
    anchors = [] if markables is None else list(markables.iter("token_anchor"))
    return max((tokens[a.get("t_id", "")][0] for a in anchors), default=-1)


def _dateline_date(line: str) -> dt.date | None:
    """The date of a dateline written *Month DD, YYYY*, for the three articles whose creation
    time is not tagged as one (or is valued ``03-02-2009``), or None."""
    try:
        return dt.datetime.strptime(line, "%B %d, %Y").date()
    except ValueError:
        return None


def split_files(directory: Path) -> dict[str, list[Path]]:
    """The fixed split by document: in each topic folder, files in name order, the 1st, 3rd,
    5th... are dev and the 2nd, 4th, 6th... held-out (15 and 15 of each topic's 30)."""
    halves: dict[str, list[Path]] = {"dev": [], "held-out": []}
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        for position, path in enumerate(sorted(folder.glob("*.xml"))):
            halves["dev" if position % 2 == 0 else "held-out"].append(path)
    return halves


def read_split(directory: Path, half: str) -> list[Timex3Record]:
    """The sentences of one half (``dev`` or ``held-out``) of the corpus."""
    return read_documents(split_files(directory)[half], read_document)
