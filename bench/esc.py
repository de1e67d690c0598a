"""Read the Event StoryLine Corpus (ESC, CAT XML) into the TIMEX3 bench's sentence records.

ESC v1.5 (Caselli and Vossen 2017, CC BY 3.0) is 258 English news articles of 2005-2013 from
the "+" half of ECB+, in 22 topic folders named by ECB+ topic number
(``annotated_data/v1.5/<topic>/<topic>_<n>ecbplus.xml.xml``). Like MEANTIME it is CAT XML: a
list of ``<token sentence=... t_id=...>`` elements and, under ``<Markables>``, markables that
point at their tokens with ``<token_anchor t_id=...>``. Its time markables are
``TIME_DATE``, ``TIME_OF_THE_DAY``, ``TIME_DURATION`` and ``TIME_REPETITION``, each with a
TIMEX3 ``value``; `read_document` gives them the TimeML types DATE, TIME (DATE when the value
is a bare day: *Saturday night* valued ``2012-07-07``), DURATION and SET, so that
`bench.timex3.resolution` reads them as it reads TimeML. Sentences are rebuilt from the tokens
with MEANTIME's `bench.meantime.detokenize`.

The document creation time is the time markable with ``DCT="TRUE"``; its value's date is the
reference (the date the other values were normalised from). A document whose creation time is
missing, has no day, or is valued a year its own dateline does not name is left out: its
relative dates could not be scored fairly.
The sentence holding the creation time is the dateline (*Published : May 03 , 2013*) and is
left out when it holds no other markable; a creation time written inside a sentence of the
story (*... early Monday .*) stays, as a time of that sentence.

ECB+ annotated a selection of sentences per document, and ESC added its markables to those and
to more; sentences with no markable of any kind (an event, a participant, a location or a time)
are unannotated, not empty of times, so only sentences holding a markable are kept (about a
third of the corpus; sentence 0, the article's URL, never holds one). Markables with no tokens
(implicit times, written with ``TAG_DESCRIPTOR``) are not in the text and are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bench.meantime import cat_tokens, detokenize
from bench.timex3 import GoldTimex, Timex3Record, read_documents

_TYPES = {
    "TIME_DATE": "DATE",
    "TIME_OF_THE_DAY": "TIME",
    "TIME_DURATION": "DURATION",
    "TIME_REPETITION": "SET",
}
_DAY = re.compile(r"(\d{4})[-:](\d{1,2})[-:](\d{1,2})")
_YEAR = re.compile(r"(?<![\d:])(?:19|20)\d\d(?!\d)")


def read_document(path: Path) -> list[Timex3Record]:
    """The annotated sentences of one ESC file with their time markables (an empty list for a
    document without a usable creation time)."""
    root = ET.parse(path).getroot()
    tokens, sentences = cat_tokens(root)
    texts = {
        sentence: join([tokens[t_id][1] for t_id in ids]) for sentence, ids in sentences.items()
    }
    markables = root.find("Markables")
    anchored = [
        (element, [a.get("t_id", "") for a in element.iter("token_anchor")])
        for element in ([] if markables is None else markables)
    ]
    anchored = [(element, anchors) for element, anchors in anchored if anchors]
    annotated = {tokens[t_id][0] for _, anchors in anchored for t_id in anchors}
    times = [e for e in ([] if markables is None else markables) if e.tag in _TYPES]
    creation = sorted(
        (e for e in times if e.get("DCT") == "TRUE"), key=lambda e: e.find("token_anchor") is None
    )
    reference = _creation_date(creation[0], tokens) if creation else None
    if reference is None:
        return []
    dateline = _dateline(creation[0], anchored, tokens)
    records = []
    for sentence in sorted(annotated - dateline):
        text, ranges = texts[sentence]
        where = dict(zip(sentences[sentence], ranges, strict=True))
        timexes = []
        for element, anchors in anchored:
            if element.tag not in _TYPES or tokens[anchors[0]][0] != sentence:
                continue
            start = min(where[a][0] for a in anchors)
            end = max(where[a][1] for a in anchors)
            timexes.append(_gold(element, start, end, text[start:end]))
        timexes.sort(key=lambda t: t.start)
        records.append(Timex3Record(path.name.split(".")[0], text, reference, timexes))
    return records


def join(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """The sentence ECB+'s tokens were cut from, and each token's character range in it.

    ECB+ also cuts inside words and numbers (*26 - year - old*, *1 : 30 a . m .*, *05 / 03 /
    2013*, *$2 . 6 million*, *2 , 000ft*, *bird ’ s*), which MEANTIME does not; those tokens are
    first glued back into words (`_glued`), and the words are written by MEANTIME's `detokenize`.
    """
    words: list[str] = []
    offsets: list[tuple[int, int]] = []  # (word, offset in it) of every token
    for index, token in enumerate(tokens):
        if words and _glued(tokens, index):
            offsets.append((len(words) - 1, len(words[-1])))
            words[-1] += token
        else:
            offsets.append((len(words), 0))
            words.append(token)
    text, ranges = detokenize(words)
    return text, [
        (ranges[word][0] + offset, ranges[word][0] + offset + len(token))
        for (word, offset), token in zip(offsets, tokens, strict=True)
    ]


_INFIX = {"-": str.isalnum, "/": str.isdigit, ":": str.isdigit, ".": str.isdigit}


def _glued(tokens: list[str], index: int) -> bool:
    """Whether ``tokens[index]`` was written against the token before it: an infix (a hyphen
    between word characters; a slash, colon or point between digits; a comma before a group of
    three digits; a point between single letters, *a.m.*, *U.S.*; an apostrophe before *s*)
    and the token after it, and a letter after a single letter and a point."""
    token, before = tokens[index], tokens[index - 1]
    after = tokens[index + 1] if index + 1 < len(tokens) else ""

    def infix(mark: str, left: str, right: str) -> bool:
        test = _INFIX.get(mark)
        if mark == ",":
            return left[-1:].isdigit() and re.match(r"\d{3}(?!\d)", right) is not None
        if mark in {"'", "’"}:
            return left[-1:].isalpha() and right == "s"
        if mark == "." and len(left) == 1 == len(right):
            return left.isalpha() and right.isalpha()
        return test is not None and test(left[-1:]) and test(right[:1])

    if infix(token, before, after):
        return True
    if index >= 2 and infix(before, tokens[index - 2], token):
        return True
    if before == "." and index >= 2 and len(token) == 1 == len(tokens[index - 2]):
        return token.isalpha() and tokens[index - 2].isalpha()
    return False


def _gold(element: ET.Element, start: int, end: int, text: str) -> GoldTimex:
    """A time markable as a TIMEX3 of TimeML's type (a time of day valued a bare day: DATE)."""
    value = element.get("value", "")
    kind = _TYPES[element.tag]
    if kind == "TIME" and "T" not in value:
        kind = "DATE"
    return GoldTimex(start, end, kind, value, text)


def _dateline(
    creation: ET.Element,
    anchored: list[tuple[ET.Element, list[str]]],
    tokens: dict[str, tuple[int, str]],
) -> set[int]:
    """The sentence of the creation time, when no other markable lies in it (a dateline), as a
    set of at most one sentence number."""
    anchors = [a.get("t_id", "") for a in creation.iter("token_anchor")]
    if not anchors:
        return set()
    sentence = tokens[anchors[0]][0]
    others = (e for e, ids in anchored if e is not creation and tokens[ids[0]][0] == sentence)
    return set() if any(True for _ in others) else {sentence}


def _creation_date(element: ET.Element, tokens: dict[str, tuple[int, str]]) -> dt.date | None:
    """The date in the creation time's value (``2013-05-03T16:56Z``, ``2009:02:03T...``, and
    one ``t_2013-09-09``), or None when it has none or its dateline names only other years
    (*April 10 , 2007* valued 2010-04-10)."""
    found = _DAY.search(element.get("value", ""))
    if found is None:
        return None
    try:
        day = dt.date(*map(int, found.groups()))
    except ValueError:
        return None
    written = " ".join(tokens[a.get("t_id", "")][1] for a in element.iter("token_anchor"))
    years = _YEAR.findall(written)
    if years and str(day.year) not in years:
        return None
    return _local_day(day, element.get("value", ""), written)


def _local_day(day: dt.date, value: str, written: str) -> dt.date:
    """The day the dateline names when a creation time given in UTC (``...T04:00Z``) fell on
    the next or previous day there: *05 / 02 / 07 , 9 : 00 PM PDT* is valued
    ``2007-05-03T04:00Z``, and the article's own date, from which its *today* and *now* were
    valued, is May 2."""
    numbers = {int(n) for n in re.findall(r"\d+", written)}
    if not value.endswith("Z") or day.day in numbers:
        return day
    for shift in (-1, 1):
        other = day + dt.timedelta(days=shift)
        if other.day in numbers:
            return other
    return day


def topic_number(folder: Path) -> int:
    """The ECB+ topic number a folder is named by."""
    return int(folder.name)


def split_files(directory: Path) -> dict[str, list[Path]]:
    """The fixed split by topic: folders with an odd topic number are dev, even ones held-out
    (11 topics each, 133 and 125 articles)."""
    halves: dict[str, list[Path]] = {"dev": [], "held-out": []}
    folders = [p for p in directory.iterdir() if p.is_dir() and p.name.isdigit()]
    for folder in sorted(folders, key=topic_number):
        half = "dev" if topic_number(folder) % 2 == 1 else "held-out"
        halves[half].extend(sorted(folder.glob("*.xml")))
    return halves


def read_split(directory: Path, half: str) -> list[Timex3Record]:
    """The sentences of one half (``dev`` or ``held-out``) of the corpus."""
    return read_documents(split_files(directory)[half], read_document)
