"""Suggest whether a sentence's claim is date-bound, and the date it holds for.

DESIGN.md section 3: a claim is *date-bound* when its truth can change over time while the
sentence stays the same (present states, running totals, records, office holders, "under
way"); it is not when a fixed past time is explicit ("in 2014") or the claim is timeless. A
time expression is therefore no reason on its own: "Pakistan had acquired MI-35 helicopters
during 2014" names a time and is *not* date-bound.

`suggest` looks for cues of both kinds, in this order, and abstains when it finds neither:

1. words that say the claim is about now: *currently*, *so far*, *to date*, *under way*,
   *as of*, *still*, *now*, *for the past N years*, *since X* with a present perfect;
2. a completed event at an explicit past time (a past-tense verb and a time expression that
   lies before the publication date, *since X* excepted): not date-bound;
3. a present state: the present progressive (*is retiring*), the present perfect (*has
   fallen*), *is expected to*, *plans to*, *is back*, a present-tense record or office
   (*is the largest*, *is the chief executive*), an amount stated in the present (*is $42,900*);
4. a sentence whose verbs are all in the past tense: a completed event, not date-bound.

The as-of date is the publication date unless the sentence names the day the claim holds for
(*as of March 3*, *by the end of 2004*), and a month or a year is never turned into its first
day: *the end of 2014* gives 2014-12-31, a bare month or year gives no date of its own.

Pure: text and a date in, a suggestion out. It is shown to annotators, never stored.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from annotator.temporal import Span, temporal_spans

Suggestion = tuple[bool | None, dt.date | None]

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_NOW_CUES = re.compile(
    r"(?<![\w-])(?:currently|presently|at present|so far|thus far|to date|under ?way|"
    r"as of|as at|nowadays|these days|for now|at the moment)(?![\w-])",
    re.IGNORECASE,
)
_STILL = re.compile(r"(?<![\w-])(?:still|now|anymore|any longer|no longer)(?![\w-])", re.I)
_RUNNING = re.compile(
    r"(?<![\w-])(?:for|over|in|during) the (?:past|last|previous) (?:\w+ )?"
    r"(?:few |several |\d+ )?(?:years?|months?|decades?|weeks?|days?|quarters?|sessions?)\b",
    re.IGNORECASE,
)
_YET = re.compile(r"n['’]t\b[^.;]*\byet\b|\bnot\b[^.;]*\byet\b|\byet to\b", re.IGNORECASE)
_PRESENT_AUX = frozenset(
    "is are am isn't aren't 're has have hasn't haven't it's that's there's he's she's "
    "what's who's".split()
)
_MODALS = frozenset(
    "will would could should might must may can shall to won't wouldn't couldn't".split()
)
_PAST_IRREGULAR = frozenset(
    """was were had did said told rose fell sank shot took gave made came began left won lost
    grew drew threw struck sold bought brought thought fought caught taught held led met paid
    spent sent built felt kept meant saw went became stood ran fled broke spoke wrote chose
    knew froze slid sprang swung tore wore bore hung dug stuck got forgot overtook undertook
    withdrew drove rode shed sped""".split()
)
_NOT_PAST = frozenset(
    """need needs indeed speed proceed succeed exceed feed seed breed bleed hundred red bed
    embed naked wicked sacred kindred""".split()
)
_DETERMINERS = frozenset(
    "a an the its their his her our my your this that these those of for with very more most "
    "less newly".split()
)
_ING_ADJECTIVES = frozenset(
    """surprising interesting amazing striking encouraging disappointing worrying alarming
    troubling shocking compelling convincing misleading confusing exciting promising
    challenging demanding pressing outstanding willing thing nothing something anything
    everything king during""".split()
)
_PRESENT_STATE = re.compile(
    r"\b(?:seems?|appears?) to be\b"
    r"|\b(?:is|are|isn't|aren't|remains?|seems?)\s+(?:\w+ly\s+)?"
    r"(?:expected|believed|scheduled|poised|set|due|slated|planned|projected|forecast|"
    r"estimated|likely|unlikely|about|back|still|in talks|in limbo|open|closed|"
    r"valued|priced|worth|owned|based|ranked|one of|among|the (?:largest|biggest|"
    r"highest|lowest|smallest|most|best|worst|top|only|first|leading|main|chief|sole))\b"
    r"|\b(?:plans?|intends?|aims?|hopes?|wants?|continues?|remains?)\s+to\b"
    r"|\b(?:is|are)\s+(?:now\s+)?(?:about\s+|roughly\s+|nearly\s+|more than\s+|less than\s+)?"
    r"(?:[$€£]\s?\d|\d[\d,.]*\s*(?:%|percent|per cent|million|billion))"
    r"|\b(?:continues|remains|heads|chairs|leads|runs|owns|employs|ranks)\b"
    r"|\b(?:is|are)\s+(?:also\s+)?(?:an?|the)\s+(?:\w+\s+)?(?:member|part|home|host)\s+(?:of|to)\b"
    r"|\b(?:is|are)\s+(?:the\s+)?(?:current\s+|new\s+|acting\s+)?(?:\w+\s+)?(?:chief|president|chairman|chairwoman|head|governor|"
    r"director|minister|leader|secretary|spokesman|spokeswoman|ceo|owner|editor|"
    r"manager|captain|mayor|commissioner|premier|chancellor|ambassador)\b",
    re.IGNORECASE,
)
_RECORD = re.compile(
    r"\b(?:record|all-time|ever|highest|lowest|largest|biggest|smallest|strongest|weakest)\b",
    re.IGNORECASE,
)
_AS_OF_LEAD = re.compile(r"(?:\bas (?:of|at|on)|\bby|\bat)\s*$", re.IGNORECASE)
_PERIOD_END = re.compile(r"^(?:the )?(?:end|close) of |^end-", re.IGNORECASE)
_DAY_WORDS = re.compile(
    r"\b(?:today|tonight|yesterday|tomorrow|now|currently|presently|present|morning|"
    r"afternoon|evening|night|days? ago|christmas|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_DAY_NUMBER = re.compile(r"(?<![\d,.])(?:[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?![\d,])")
_MONTH_WORDS = re.compile(
    r"\b(?:month|jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I
)


def suggest(text: str, published: dt.date | None) -> Suggestion:
    """Whether the claim in ``text`` is date-bound (None: no suggestion) and its as-of date
    (None: nothing to suggest), for an article published on ``published`` (None if undated)."""
    spans = temporal_spans(text, published)
    return _date_bound(text, spans, published), suggested_as_of(text, spans, published)


def cues(text: str, published: dt.date | None) -> dict[str, bool]:
    """The cues `suggest` weighs, by name: what a model can learn from too (issue 21)."""
    return _cues(text, temporal_spans(text, published), published)


def _cues(text: str, spans: list[Span], published: dt.date | None) -> dict[str, bool]:
    words = [w.lower() for w in _WORD.findall(text)]
    present, perfect, past = _present_forms(words), _present_perfect(words), _past_forms(words)
    return {
        "now": bool(_NOW_CUES.search(text) or _RUNNING.search(text) or _YET.search(text)),
        "still": (present or perfect) and (bool(_STILL.search(text)) or (perfect and _since(text))),
        "progressive": _progressive(words),
        "explicit_past": past and _explicit_past(text, spans, published),
        "present_state": perfect or bool(_PRESENT_STATE.search(text)),
        "record": present and bool(_RECORD.search(text)),
        "past_only": past and not present,
        "time_expression": bool(spans),
    }


def _date_bound(text: str, spans: list[Span], published: dt.date | None) -> bool | None:
    found = _cues(text, spans, published)
    if found["now"] or found["still"] or found["progressive"]:
        return True
    if found["explicit_past"]:
        return False
    if found["present_state"] or found["record"]:
        return True
    if found["past_only"]:
        return False
    return None


def _present_forms(words: list[str]) -> bool:
    """A present-tense auxiliary that is not part of an infinitive or after a modal."""
    return any(
        w in _PRESENT_AUX and (i == 0 or words[i - 1] not in _MODALS) for i, w in enumerate(words)
    )


def _present_perfect(words: list[str]) -> bool:
    """*has fallen*, *have been pushing*, *has not yet*: has/have before a participle."""
    for i, w in enumerate(words[:-1]):
        if w in ("has", "have", "hasn't", "haven't", "they've", "we've", "you've", "i've") and (
            i == 0 or words[i - 1] not in _MODALS
        ):
            following = [x for x in words[i + 1 : i + 4] if not x.endswith("ly")]
            if following and (_participle(following[0]) or following[0] == "been"):
                return True
    return False


def _participle(word: str) -> bool:
    return (word.endswith(("ed", "en", "wn", "ne")) and word not in _NOT_PAST) or word in (
        _PAST_IRREGULAR | {"had", "been", "begun", "grown", "risen", "fallen", "sunk", "got"}
    )


def _progressive(words: list[str]) -> bool:
    """*is retiring*, *are stepping up*: a present form of *be* before an -ing verb."""
    for i, w in enumerate(words[:-1]):
        if w in ("is", "are", "am", "'re", "isn't", "aren't") and (
            i == 0 or words[i - 1] not in _MODALS
        ):
            following = [x for x in words[i + 1 : i + 3] if x not in ("not", "now", "still")]
            nxt = next((x for x in following if not x.endswith("ly")), "")
            if nxt == "going" and "to" in words[i + 2 : i + 4]:
                continue  # *is going to*: the future
            if nxt.endswith("ing") and len(nxt) > 4 and nxt not in _ING_ADJECTIVES:
                return True
    return False


def _past_forms(words: list[str]) -> bool:
    """A simple past or past perfect verb: *rose*, *said*, *had acquired*, *was*."""
    for i, w in enumerate(words):
        before = words[max(0, i - 2) : i]
        if any(b in _PRESENT_AUX or b in _MODALS or b in ("be", "been", "being") for b in before):
            continue
        if w in _PAST_IRREGULAR:
            return True
        adjective = i == 0 or words[i - 1] in _DETERMINERS  # *a fixed basket*
        if w.endswith("ed") and len(w) > 4 and w not in _NOT_PAST and not adjective:
            return True
    return False


def _since(text: str) -> bool:
    return re.search(r"\bsince\b", text, re.IGNORECASE) is not None


def _explicit_past(text: str, spans: list[Span], published: dt.date | None) -> bool:
    """A time expression that places the event before the publication date (not one that
    opens a running period, *since 2001*, nor one that is still to come)."""
    for start, end, day in spans:
        before = text[max(0, start - 12) : start].lower()
        if re.search(r"\b(?:since|until|till|through|next|from)\s*$", before):
            continue
        phrase = text[start:end].lower()
        if re.search(r"\b(?:yesterday|last|ago|earlier|previous|prior)\b", phrase):
            return True
        if day is None:
            continue
        if published is None or _period_end(day, phrase) < published:
            return True
        if _WEEKDAY.search(phrase):
            return True  # a weekday with a past-tense verb: the day of a completed event
    return False


def _granularity(day: dt.date, phrase: str) -> str:
    """Whether a resolved span names a day, a month or a year (temporal.py writes a month or a
    year as its first day, so the first of a month is read from the words)."""
    if day.day != 1 or _DAY_WORDS.search(phrase):
        return "day"
    if _DAY_NUMBER.search(re.sub(r"\b\d{4}\b", "", phrase)) and _MONTH_WORDS.search(phrase):
        return "day"
    if day.month != 1 or _MONTH_WORDS.search(phrase):
        return "month"
    return "year"


def _period_end(day: dt.date, phrase: str) -> dt.date:
    """The last day of the day, month or year a span names."""
    granularity = _granularity(day, phrase)
    if granularity == "year":
        return day.replace(month=12, day=31)
    if granularity == "month":
        return day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def suggested_as_of(text: str, spans: list[Span], published: dt.date | None) -> dt.date | None:
    """The day the sentence says its claim holds for, else the publication date.

    Only a day named as the claim's date counts (*as of March 3*, *by the end of 2004*, *at
    end-June*); *until March 3* or *in 2014* name other things (a deadline, an event's
    time). The end of a month or a year is its last day; a month or a year on its own gives
    no day, so the publication date stands."""
    for start, end, day in spans:
        if day is None or not _AS_OF_LEAD.search(text[max(0, start - 24) : start]):
            continue
        lead, phrase = text[max(0, start - 24) : start].lower().rstrip(), text[start:end]
        ends = _PERIOD_END.search(phrase) is not None
        if (_granularity(day, phrase) != "day" or lead.endswith("at")) and not ends:
            continue  # a month or a year on its own names no day; *at* + a day is an event's
        as_of = _period_end(day, phrase)  # the day, or the last day of the month or year
        if lead.endswith(("as of", "as at", "as on")) or published is None or as_of <= published:
            return as_of  # *by the end of 2014* after the publication date is a deadline
    return published
