"""Read a TimeML (TIMEX3) corpus into sentence records, and map its values to our resolutions.

A TimeML ``.tml`` file holds one news article: its creation date (``<DCT>``) and its body
(``<TEXT>``) with ``<TIMEX3 type=... value=...>`` tags around the temporal expressions (and
``<EVENT>``/``<SIGNAL>`` tags, which are dropped). `read_document` strips the tags, keeps the
character range of every TIMEX3 inside the body, and cuts the body into sentences with the
project's own segmenter, so each `Timex3Record` is one sentence with the DCT as its reference.

TimeML and ``docs/conventions/temporal.md`` resolve differently, so `resolution` maps a TIMEX3
value to the date our convention would give, or None where the value is not one calendar day,
month or year (weeks, seasons, quarters, decades, ``PRESENT_REF``, durations, sets). The bench
scores resolution only where the gold has a date. `exclusion` names the TIMEX3 classes that the
convention does not mark (or does not resolve), so that the bench can leave them out and count
them. No corpus text is kept here: the corpus stays outside the repository.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.segment import sentence_spans

# Granularity of a resolved gold value.
DAY, MONTH, YEAR = "day", "month", "year"


@dataclass(frozen=True)
class GoldTimex:
    """One TIMEX3 of a sentence: its range in the sentence, type, TimeML value and text."""

    start: int
    end: int
    type: str
    value: str
    text: str


@dataclass(frozen=True)
class Timex3Record:
    """One sentence of a TimeML document, with the document's creation date as reference."""

    document: str
    text: str
    reference: dt.date | None
    timexes: list[GoldTimex]


_DAY_VALUE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_PART_OF_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})T(?:MO|AF|EV|NI|DT)")
_MONTH_VALUE = re.compile(r"(\d{4})-(\d{2})")
_YEAR_VALUE = re.compile(r"\d{4}")


def resolution(timex: GoldTimex) -> tuple[dt.date, str] | None:
    """The date and granularity our convention gives a TIMEX3 value, or None.

    A DATE ``YYYY-MM-DD`` is a day, ``YYYY-MM`` a month, ``YYYY`` a year (a month or a year as
    its first day, as `temporal_spans` writes them). A TIME with a part of day (``...TEV``, *Monday
    evening*) is the day, as TEMPORAL.md resolves *Monday afternoon*; a clock time is None, as
    TEMPORAL.md leaves clock times unresolved. Everything else (weeks ``2013-W12``, seasons
    ``1999-SU``, quarters, decades ``199``, ``PRESENT_REF``, ``XXXX-..``, DURATION, SET) is None.
    """
    value = timex.value
    if timex.type == "TIME":
        part = _PART_OF_DAY.fullmatch(value)
        return (dt.date.fromisoformat(part.group(1)), DAY) if part else None
    if timex.type != "DATE":
        return None
    try:
        if _DAY_VALUE.fullmatch(value):
            return dt.date.fromisoformat(value), DAY
        if month := _MONTH_VALUE.fullmatch(value):
            return dt.date(int(month.group(1)), int(month.group(2)), 1), MONTH
        if _YEAR_VALUE.fullmatch(value):
            return dt.date(int(value), 1, 1), YEAR
    except ValueError:
        return None
    return None


# Classes of TIMEX3 that docs/conventions/temporal.md does not mark ("Not marked"), by the text
# of the TIMEX3 and the word after it. Each is named in the bench output with its count.
_COMPOUND = re.compile(
    r"(?:\S+-)+(?:year|month|week|day|hour|minute|second|decade|quarter|night)s?(?:-old)?"
    r"|(?:\S+-)+(?:old|long|term)",
    re.IGNORECASE,
)
# A premodifying compound after a determiner or a count (*a 90-day stint*, *three 10-year
# sentences*, *the next three-minute stretch*, *a weeklong manhunt*): its last word.
_LONG = re.compile(r"(?:hour|day|week|month|year|decade)long")
_FUNCTION_WORDS = set("of in on at for and or to from by with than as".split())
_PREMODIFYING_ADJECTIVES = {
    "annual",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "hourly",
    "current",
    "recent",
    "future",
    "then current",
    "former",
}
_BARE_PERIOD = re.compile(r"the (?:full |whole |entire )?(?:year|month|week|quarter|period|day)")
_VAGUE_ADVERBS = {
    "earlier",
    "later",
    "previously",
    "once",
    "then",
    "long",
    "so far",
    "still",
    "already",
    "former",
    "formerly",
    "eventually",
}
NOT_MARKED = {
    "premodifying compound (five-year term, 32-year-old, decades-long, short-term)": "compound",
    "premodifying adjective (annual meeting, current conditions, recent sale)": "adjective",
    "bare the year / the quarter / the day (docs: not marked except after a sub-period)": "bare",
    "vague relational adverb (earlier, later, once, then, previously)": "adverb",
    "year inside a proper name (WWDC 2005, Vision 2025)": "name",
    "event named as a time (Black Monday, since the Joint Strike Fighter program)": "event",
}
# Classes TEMPORAL.md marks but resolves to null where TimeML gives a date: the gold date is
# not scored for resolution.
NOT_RESOLVED = {
    "anaphoric expression (the same day, a year earlier, a day after X, the previous year: "
    "null)": "anaphor",
    "fiscal period (fiscal 1990, the fiscal year: null)": "fiscal",
    "ago with weeks or years (two weeks ago: null; a year ago: the year, not TimeML's day)": "ago",
    "relative period or duration (the past year, in five years: null)": "relative",
    "end of an unnamed year or month (by the end of the year, year-end: null)": "unnamed",
    "a week or the weekend (this week, last week, the weekend: null, not a day, month or year)": (
        "week"
    ),
    "a time the story anchors, naming no day (in the morning, at the time, by mid-afternoon, "
    "a second straight day: null)": "story",
}
# Gold values that contradict their own text (a named exclusion, listed by `--errors` on dev so
# that each can be checked by reading it; counted only on the held-out set).
GOLD_ERRORS = {
    "TimeML value naming another month or year than its text, or another granularity (Sept. "
    "27, 1989 valued 1989-11-27; a bare 1992 valued as a day; Sept. 30 as a month)": "gold",
    "weekday or deictic day valued from another date than the article's (Tuesday valued eight "
    "or more days from the creation date, last/next Tuesday fourteen or more; now, today, "
    "yesterday, tomorrow valued another day than the creation date gives them: a wrong creation "
    "date or a story's own anchor; no reading of TEMPORAL.md gives it)": "anchor",
}
# Predictions of a class TEMPORAL.md marks and TimeML does not (counted, left out of precision).
NOT_IN_TIMEML = {
    "sets TimeML leaves unmarked (a rate's $1.76 a year, 10,000 units annually)": "set",
    "deictic adverbs TimeML marks inconsistently (now, currently, recently, soon, the "
    "foreseeable future)": "deictic",
    "possessive deictics TimeML leaves unmarked (last year's sales, today's world; rule 8)": (
        "possessive"
    ),
    "wire datelines TimeML leaves unmarked (WASHINGTON, August 11 (Xinhua) --; rule 9)": (
        "dateline"
    ),
    "offset durations the gold leaves unmarked (five days before the game; TEMPORAL.md marks "
    "the duration)": "offset",
}
_DEICTIC_ADVERBS = re.compile(
    r"now|currently|presently|recently|soon|nowadays|at present|these days"
    r"|the (?:(?:near|distant|foreseeable|immediate) )?future|the past"
)
_POSSESSIVE_DEICTIC = re.compile(
    r"(?:today|tonight|yesterday|tomorrow|(?:last|this|next|the current) "
    r"(?:year|month|week|quarter))"
)
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[^\S\n]*[A-Z][A-Z .'-]*,[^\S\n]*$")
_RATE = re.compile(r"(?:an?|per) (?:year|month|week|day|night|hour)", re.IGNORECASE)
_SET_ADVERBS = {"annually", "quarterly", "biannually", "yearly", "monthly", "weekly", "daily"}
_DURATION_LEADS = {
    "for",
    "in",
    "within",
    "over",
    "about",
    "than",
    "nearly",
    "almost",
    "after",
    "before",
    "only",
    "just",
    "least",
}


def prediction_exclusion(text: str, start: int, end: int) -> str | None:
    """The `NOT_IN_TIMEML` class of a predicted span ``text[start:end]``, or None."""
    span = " ".join(text[start:end].lower().split())
    previous = text[:start].split()[-1:] or [""]
    if _RATE.fullmatch(span) and previous[0].lower() not in _DURATION_LEADS:
        return "set"
    if span in _SET_ADVERBS:
        return "set"
    if _DEICTIC_ADVERBS.fullmatch(span):
        return "deictic"
    if _POSSESSIVE_DEICTIC.fullmatch(span) and text[end : end + 2] in {"'s", "’s"}:
        return "possessive"
    if _DATELINE_BEFORE.search(text[:start]) and text[end:].lstrip().startswith("("):
        return "dateline"
    following = text[end:].split(maxsplit=1)
    if _OFFSET.fullmatch(span) and following and following[0].lower() in _OFFSET_WORDS:
        return "offset"
    return None


_OFFSET = re.compile(r"(?:\S+ )?\S+ (?:hours?|days?|weeks?|months?|years?)")
_OFFSET_WORDS = {"before", "after", "prior", "earlier", "later"}


_ANAPHOR = re.compile(
    r"\b(?:earlier|later|same|previous|preceding|following|prior|that|then|the next)\b",
    re.IGNORECASE,
)
_FISCAL = re.compile(r"\b(?:fiscal|financial year|FY)", re.IGNORECASE)


_CALENDAR_WORD = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|Christmas|Easter|Eid|Ramadan|Ramazan|Muharram|Ashura|"
    r"Thanksgiving|New Year|Independence)\b"
)
_NAMED_YEAR_ONLY = re.compile(r"(?:1[6-9]|20)\d\d")
_NAME_BEFORE = re.compile(r"(?:[A-Z]{2,}\w*|[A-Z]\w+ [A-Z]\w+)$")
_TIME_WORDS = set(
    "day days year years month months week weeks weekend quarter quarters period time times "
    "morning afternoon evening night decade decades century season".split()
)
_RELATIVE_WORDS = set(
    "last this next earlier later early late more most recent coming past previous following "
    "same that these those".split()
)


def exclusion(timex: GoldTimex, following: str, before: str = "") -> str | None:
    """The `NOT_MARKED` class of a TIMEX3, given the word after it and the text before it, or
    None if it is marked. A bare year right after an acronym or two capitalised words (*WWDC
    2005*, *Paris Air Show 2015*) is part of a name; a phrase of capitalised words, the last
    one maybe lowercase, with no digit, time unit or relative word (*Black Monday*, *the Joint
    Strike Fighter program*) names an event."""
    if (
        _NAMED_YEAR_ONLY.fullmatch(timex.text)
        and _NAME_BEFORE.search(before.rstrip(" "))
        and not _CALENDAR_WORD.match(before.split()[-1])
    ):
        return "name"
    if _event_name(timex.text):
        return "event"
    text = " ".join(timex.text.lower().split())
    if _COMPOUND.fullmatch(text):
        return "compound"
    last = text.split()[-1]
    noun = following[:1].islower() and following not in _FUNCTION_WORDS
    if (_COMPOUND.fullmatch(last) or _LONG.fullmatch(last)) and noun:
        return "compound"
    if text in _PREMODIFYING_ADJECTIVES and following[:1].islower():
        return "adjective"
    if _BARE_PERIOD.fullmatch(text):
        return "bare"
    if text in _VAGUE_ADVERBS:
        return "adverb"
    return None


_AGO = re.compile(r"\b(?:weeks?|fortnights?|years?)\b.*\bago\b", re.IGNORECASE)
_BARE_DURATION = re.compile(r"(?:the )?(?:minutes|hours|days|weeks|months|years|decades)")
_WEEK = re.compile(r"\bweek(?:end)?\b", re.IGNORECASE)
_WEEKDAY_ONLY = re.compile(
    r"(?:(?:last|this|next|on)\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)
_WEEKDAY_NUMBERS = {
    name: number
    for number, name in enumerate(
        "monday tuesday wednesday thursday friday saturday sunday".split()
    )
}
_RELATIVE = re.compile(
    r"\b(?:past|next|last|coming|previous|recent)\b.*\b(?:years?|months?|weeks?|decades?|"
    r"quarters?)\b|^(?:\S+ )?\S+ (?:years|months|weeks|days)$",
    re.IGNORECASE,
)
_STORY_TIME = re.compile(
    r"(?:(?:in|at|during|by|for|on|through|until)\s+)?(?:(?:the|that)\s+(?:(?:early|late)\s+)?"
    r"(?:morning|afternoon|evening|night|time)|mid-?\s?(?:morning|afternoon))"
    r"|.*\b(?:consecutive|straight|successive) (?:day|night|week|month|year)",
    re.IGNORECASE,
)
_UNNAMED = re.compile(r"\bthe (?:year|month)\b|\byear(?:-| |'s |’s )end\b", re.IGNORECASE)


def resolution_exclusion(
    timex: GoldTimex, following: str = "", reference: dt.date | None = None
) -> str | None:
    """The `NOT_RESOLVED` or `GOLD_ERRORS` class of a dated TIMEX3, given the word after it and
    the article's reference date, or None if our convention resolves it and TimeML's value
    agrees with its text and its reference."""
    if _FISCAL.search(timex.text):
        return "fiscal"
    if _contradicts_text(timex):
        return "gold"
    if _from_another_anchor(timex, reference):
        return "anchor"
    if following.lower() in {"earlier", "later"}:
        return "anaphor"  # TimeML leaves *earlier* out of *a year earlier*
    words = timex.text.lower().split()
    offset = following.lower() in _OFFSET_WORDS or words[-1] in _OFFSET_WORDS
    if offset and _OFFSET.fullmatch(" ".join(w for w in words if w not in _OFFSET_WORDS)):
        return "anaphor"  # *a day after X*, *two months before X*: the duration, null
    if _BARE_DURATION.fullmatch(timex.text.lower()):
        return "relative"
    if _WEEK.search(timex.text):
        return "week"
    if _AGO.search(timex.text):
        return "ago"
    if _UNNAMED.search(timex.text):
        return "unnamed"
    if _RELATIVE.search(timex.text) and not re.search(
        r"(?<!the )\b(?:last|next|this) (?:year|month)$", timex.text
    ):
        return "relative"
    if _ANAPHOR.search(timex.text):
        return "anaphor"
    if _STORY_TIME.fullmatch(timex.text.strip()):
        return "story"
    return None


_NAMED_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?(?:\s+(\d{1,2})\b)?"
)
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)
}
_NAMED_YEAR = re.compile(r"(?<![\d-])(1[6-9]\d\d|20\d\d)(?![\d-])")
_YEAR_ONLY = re.compile(r"(?:\d{4}|(?:last|this|next) year)", re.IGNORECASE)


def _event_name(text: str) -> bool:
    """Whether a TIMEX3's text names an event rather than a time (see `exclusion`)."""
    words = text.split()
    if words[:1] in (["the"], ["The"]):
        words = words[1:]
    if len(words) < 2 or any(ch.isdigit() for ch in text) or _CALENDAR_WORD.match(words[0]):
        return False
    if any(w.lower() in _TIME_WORDS | _RELATIVE_WORDS for w in words):
        return False
    return all(w[:1].isupper() for w in words[:-1])


def _contradicts_text(timex: GoldTimex) -> bool:
    """Whether a dated TIMEX3's value contradicts its own words: another month or year than the
    one it names (*July last year* valued June, *Tuesday* valued a Wednesday), a day for a text
    that names only a year (*1992* valued 1992-05-10), or a month for a text that names a day
    (*Sept. 30* valued 1989-09)."""
    value = timex.value.split("T")[0]
    parts = value.split("-")
    if not _YEAR_VALUE.fullmatch(parts[0]):
        return False
    weekday = _WEEKDAY_ONLY.fullmatch(timex.text.strip())
    if weekday and _DAY_VALUE.fullmatch(value):
        named = _WEEKDAY_NUMBERS[weekday.group(1).lower()]
        return dt.date.fromisoformat(value).weekday() != named
    named_year = _NAMED_YEAR.search(timex.text)
    if named_year and named_year.group(1) != parts[0]:
        return True
    if _YEAR_ONLY.fullmatch(timex.text.strip()) and len(parts) > 1:
        return True
    month = _NAMED_MONTH.search(timex.text)
    if month is None or len(parts) < 2 or not parts[1].isdigit() or "-" in timex.text:
        return False
    if _MONTH_NUMBERS[month.group(1)[:3].lower()] != int(parts[1]):
        return True
    return bool(month.group(2)) and len(parts) == 2


# Deictic words and the day TEMPORAL.md gives them, in days from the publication date.
_DEICTIC_DAYS = {"today": 0, "now": 0, "right now": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_DEICTIC = re.compile(
    r"(today|(?:right )?now|tonight|yesterday|tomorrow)(?:\s+(?:morning|afternoon|evening|night))?",
    re.IGNORECASE,
)


def _from_another_anchor(timex: GoldTimex, reference: dt.date | None) -> bool:
    """Whether a weekday or a deictic day is valued where TEMPORAL.md cannot reach from the
    reference: a bare or *this* weekday more than seven days from it (the last one or the next
    one), *last/next Tuesday* more than thirteen; *today*, *now*, *yesterday*, *tomorrow* on
    another day than their offset from it."""
    value = timex.value.split("T")[0]
    if reference is None or not _DAY_VALUE.fullmatch(value):
        return False
    text = timex.text.strip()
    gap = (dt.date.fromisoformat(value) - reference).days
    if _WEEKDAY_ONLY.fullmatch(text):
        return abs(gap) > (13 if text.lower().startswith(("last", "next")) else 7)
    deictic = _DEICTIC.fullmatch(text)
    return deictic is not None and gap != _DEICTIC_DAYS[deictic.group(1).lower()]


def read_document(path: Path) -> list[Timex3Record]:
    """The sentences of one ``.tml`` file with their TIMEX3s (ranges relative to the sentence)."""
    root = ET.parse(path).getroot()
    reference = _creation_date(root)
    body = root.find("TEXT")
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    pieces: list[str] = []
    timexes: list[GoldTimex] = []

    def walk(element: ET.Element) -> None:
        start = sum(map(len, pieces))
        pieces.append(element.text or "")
        for child in element:
            walk(child)
            pieces.append(child.tail or "")
        if element.tag == "TIMEX3":
            inner = "".join(element.itertext())
            kind, value = element.get("type", ""), element.get("value", "")
            timexes.append(GoldTimex(start, start + len(inner), kind, value, inner))

    walk(body)
    text = "".join(pieces)
    return list(_sentences(path.stem, text, reference, timexes))


def _creation_date(root: ET.Element) -> dt.date | None:
    """The document creation time as a date (TimeML writes it as a TIMEX3 inside ``<DCT>``)."""
    timex = root.find("DCT/TIMEX3")
    value = (timex.get("value") or "") if timex is not None else ""
    found = _DAY_VALUE.match(value)
    return dt.date.fromisoformat(found.group(0)) if found else None


def _sentences(
    document: str, text: str, reference: dt.date | None, timexes: list[GoldTimex]
) -> list[Timex3Record]:
    """Cut ``text`` into sentences; a TIMEX3 cut by a sentence boundary joins the two."""
    spans = sentence_spans(text)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and any(
            t.start < merged[-1][1] < t.end or t.start < start < t.end for t in timexes
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    records = []
    for start, end in merged:
        inside = [
            GoldTimex(t.start - start, t.end - start, t.type, t.value, t.text)
            for t in timexes
            if start <= t.start and t.end <= end
        ]
        records.append(Timex3Record(document, text[start:end], reference, inside))
    return records


def read_corpus(directory: Path) -> list[Timex3Record]:
    """Every ``.tml`` file under ``directory``, in path order."""
    return read_documents(sorted(directory.rglob("*.tml")), read_document)


def read_documents(
    paths: Iterable[Path], read: Callable[[Path], list[Timex3Record]]
) -> list[Timex3Record]:
    """The sentences of each document in ``paths``, in that order, read by ``read``."""
    return [record for path in paths for record in read(path)]
