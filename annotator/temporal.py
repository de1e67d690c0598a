"""Find the temporal expressions in news text and resolve them against the publication date.

The standard is ``docs/conventions/temporal.md``: what is marked, where a span starts and
ends, and which expressions resolve to a calendar day, month or year. The approach, in three
steps:

1. **Candidates.** One compiled regular expression, built below from small named pieces, finds
   the longest expression at each place: a point in time (dates, months, years, weekdays,
   deictics such as *last year*, fiscal and Islamic periods), optionally behind a sub-period
   (*the end of*, *the early hours of*, *mid-*), or a duration, set, anaphor, clock time or vague
   adverb. Leading prepositions are never part of a pattern, so they are never in a span.
   No repetition is nested in another, so one attempt costs at most the words it covers, and
   the pattern is only tried where a word that can open an expression starts (a second, small
   regex finds those): the whole scan is linear in the length of the text.
2. **Filters.** Context the pattern cannot see decides the ambiguous cases: *May* and *March*
   (verb, noun, name) need a date context; a bare year is a name after a capitalised word
   (*Vision 2025*), a count before a noun (*2000 troops*), a phone number between numbers;
   weekdays in newspaper names, *daily* as an adjective, compounds (*now-defunct*) are dropped.
3. **Resolution.** Plain date arithmetic on the named groups of the match. Weekdays, months and
   dates without a year look backwards or forwards by the tense of their clause (a future cue
   such as *will*, *would*, *is due*, *is expected* to the left, else to the right; a future
   seen from the past, *was due to*, *planned to*, gives the next weekday but the nearest
   month).

Decisions where the convention is silent are listed in ``tests/data/temporal/README.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable

Span = tuple[int, int, dt.date | None]


def temporal_spans(text: str, reference: dt.date | None) -> list[Span]:
    """Return the sorted, non-overlapping temporal expressions of ``text`` with their dates."""
    spans: list[Span] = []
    end = 0
    for opener in _OPENER.finditer(text):
        start = opener.start()
        if start < end:
            continue
        match = (_DIGIT_PATTERN if text[start].isdigit() else _PATTERN).match(text, start)
        if match is not None and _accepted(match, text):
            found = _coordinated_day(
                match, text, (start, match.end(), _resolve(match, text, reference))
            )
            spans.extend(found)
            end = found[-1][1]
    return spans


_AND_DAY = re.compile(
    r"[^\S\n]+(?:and|or)[^\S\n]+(\d{1,2})(?:,?[^\S\n]+((?:1[6-9]|20)\d\d))?"
    r"(?![\w/.,:-]\w|[\d%]|[^\S\n]+(?!(?:in|at|on|and|or|to|for|with|the|when|by|from|"
    r"after|before|during|respectively)\b)[a-z])"
)


def _coordinated_day(match: re.Match[str], text: str, first: Span) -> list[Span]:
    """*April 24 and 25*: the second day of the same month is a span of its own (rule 4), dated
    in the first one's month and year; a year after it (*May 5 and 6, 2019*) dates both. A
    number followed by a lowercase word is a count (*on May 2 and 40 people*), not a day.
    Returns the first span, redated if need be, and the second; or just the first."""
    if match.group("md_d") is None or match.group("md_y") or match.group("md_rel"):
        return [first]
    found = _AND_DAY.match(text, match.end())
    if found is None:
        return [first]
    day, year = int(found.group(1)), found.group(2)
    if year:
        month = _MONTHS[match.group("md_m")]
        first_day = int(match.group("md_d").rstrip("stndrh"))
        return [
            (first[0], first[1], _date(int(year), month, first_day)),
            (found.start(1), found.end(2), _date(int(year), month, day)),
        ]
    value = None if first[2] is None else _date(first[2].year, first[2].month, day)
    return [first, (found.start(1), found.end(1), value)]


# --- Vocabulary -----------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "January Jan",
            "February Feb",
            "March Mar",
            "April Apr",
            "May",
            "June Jun",
            "July Jul",
            "August Aug",
            "September Sept Sep",
            "October Oct",
            "November Nov",
            "December Dec",
        ),
        start=1,
    )
    for name in names.split()
}
_WEEKDAYS = {name: i for i, name in enumerate(calendar.day_name)}
_SMALL = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_NUMBER_WORDS = {word: i for i, word in enumerate(_SMALL, start=1)} | {
    word: 10 * i for i, word in enumerate(_TENS, start=2)
}
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()


def _alt(words: list[str] | str) -> str:
    """An alternation of words, longest first, so that a word never wins over its extension."""
    items = words.split("|") if isinstance(words, str) else words
    return "(?:" + "|".join(sorted(items, key=len, reverse=True)) + ")"


def _cap(words: str) -> str:
    """Like ``_alt`` but each word may also start with a capital (at the start of a sentence)."""
    return _alt([f"[{w[0].upper()}{w[0]}]{w[1:]}" for w in words.split("|")])


_Trie = dict[str, "_Trie"]


def _trie(words: set[str]) -> str:
    """A regex matching exactly ``words``, as a character trie."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: _Trie) -> str:
    branches = [re.escape(char) + _trie_node(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    group = f"(?:{'|'.join(branches)})" if len(branches) > 1 else branches[0]
    return f"(?:{group})?" if "" in node else group


# --- Pattern pieces -------------------------------------------------------------------------

_W = r"[^\S\n]+"  # space inside an expression; a line break always ends one
_MONTH = _alt(list(_MONTHS)) + "(?![a-z])"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\w)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?!\w)"
_WEEKDAY = _alt(list(_WEEKDAYS)) + r"(?!\w)"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_DECADE_WORDS = "twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties"
# A year said in words, as in broadcast transcripts: *nineteen ninety-six*, *nineteen oh five*.
_SPELLED_YEAR = (
    rf"[Nn]ineteen{_W}(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    rf"(?:-(?:{_ONES}))?|{_TEENS}|hundred|oh{_W}(?:{_ONES}))(?![\w-])"
)
# *two thousand* is a count unless it follows *the year*.
_YEAR_2000 = rf"two{_W}thousand(?:{_W}(?:and{_W})?(?:{_TEENS}|{_ONES}))?(?![\w-])"
_PART = r"(?:morning|afternoon|evening|night)"
_UNIT = (
    r"(?:seconds|(?:minute|hour|day|night|week|fortnight|month|year|decade)s?|century|centuries)"
    r"(?!\w)"
)
_NUMBER_WORD = _trie(
    {
        word
        for w in [f"{t}-{s}" for t in _TENS for s in _SMALL[:9]] + _SMALL + _TENS + ["hundred"]
        for word in (w, w.capitalize())
    }
)
_COUNT = (
    rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+|{_W}[13]/[24]|½)?|{_NUMBER_WORD}(?:{_W}and{_W}a{_W}half)?"
    rf"|{_cap('a few|a couple of|several|many|few').replace(' ', _W)}|a{_W}(?:hundred|dozen))"
)
_NUMBER = rf"(?:{_COUNT}|{_cap('some|an|a')}|[Hh]alf{_W}an?)"
_MODIFIER = _cap(
    "nearly|almost|about|around|roughly|approximately|some|just|only|exactly|barely|merely|"
    "at least|at most|more than|less than|fewer than|close to|up to|another|a further|a full"
).replace(" ", _W)
_DEICTIC_YEAR = rf"{_W}(?:last|this|next){_W}year(?!\w)"
_ISLAMIC = (
    r"(?:Ramazan|Ramadan|Ramzan|Muharram|Safar|Rajab|Shaban|Shawwal|Zilhaj|Zil\s?Hajj|"
    r"Dhul[\s-]Hijjah|Rabiul\s?Awwal|Rabi-ul-Awwal|Ashura|Youm-e-Ashur|Shab-e-Barat|"
    r"Shab-e-Miraj|Chehlum|Lailatul\s?Qadr|"
    r"Eid(?:(?:-ul-|-al-|[^\S\n]al-|[^\S\n]ul[^\S\n]|ul[^\S\n]|ul-|ul)(?:Fitr|Azha|Adha|Zuha)"
    r"|[^\S\n](?:Milad-un-Nabi|Miladun[^\S\n]Nabi))?)(?![\w-])"
)
_FY = r"FY[^\S\n]?['’]?(?:\d{4}|\d{2})(?:[-–/](?:\d{4}|\d{2}))?(?!\w)"
_MONTH_RANGE = rf"{_MONTH}[-–]{_MONTH}"
_YEARS = rf"{_YEAR}(?:[-–/](?:\d{{4}}|\d{{2}}))?(?!\w)"
_FISCAL_ADJECTIVE = _cap(
    "current|outgoing|last|next|previous|new|coming|this|ongoing|same|following|upcoming|"
    "preceding|present"
)
_SUBPERIOD_HEADS = _alt(
    [
        "end",
        "beginning",
        "start",
        "middle",
        "close",
        "turn",
        "outset",
        "rest",
        "remainder",
        "eve",
        "summer",
        "winter",
        "fall",
        "spring",
        "autumn",
        "night",
        "morning",
        "afternoon",
        "evening",
        "month",
        "holy month",
        "first half",
        "second half",
        "latter half",
        "early hours",
        "wee hours",
        "small hours",
        "early part",
        "latter part",
        "first day",
        "last day",
        "first days",
        "last days",
        "final days",
    ]
    + [f"{o} {u}" for o in [*_ORDINAL_WORDS[:4], "last", "final"] for u in ("week", "quarter")]
).replace(" ", _W)
_SUBPERIOD = (
    rf"(?P<sub>(?:[Tt]he{_W})?(?:very{_W})?(?:{_SUBPERIOD_HEADS}|"
    rf"(?:first|last|final){_W}(?:{_COUNT}{_W})?(?:months|weeks|days|years)){_W}of{_W}"
    rf"|(?P<sub_week>(?:[Tt]he{_W})?week{_W}end(?:ed|ing){_W}))"
)
_EDGE = rf"(?:{_cap('early|late|mid')}{_W}|{_cap('mid|end|early|late')}-)"

_POINT_CORES = [
    # fiscal and financial periods
    rf"(?P<fiscal>{_FY}|(?:[Tt]he{_W})?(?:{_FISCAL_ADJECTIVE}{_W})?(?:fiscal|financial){_W}year"
    rf"(?:{_W}{_YEARS})?|[Ff]iscal{_W}{_YEARS}"
    rf"|(?:[Tt]he{_W}{_MONTH_RANGE}{_W}(?:quarter|period)|{_MONTH_RANGE})"
    rf"(?:{_W}(?:{_FY}|{_YEAR}))?"
    rf"|(?:[Tt]he{_W})?(?:{_alt([*_ORDINAL_WORDS[:4], 'final', 'last'])}){_W}quarter(?!\w)"
    rf"|Q[1-4](?:{_W}?(?:{_FY}|{_YEAR}))?(?!\w))",
    # calendar dates
    r"(?P<iso_y>(?:1[6-9]|20)\d\d)-(?P<iso_m>1[0-2]|0[1-9])-(?P<iso_d>3[01]|[12]\d|0[1-9])(?!\d)",
    r"(?P<num_d>3[01]|[12]\d|0?[1-9])(?P<sep>[-/.])(?P<num_m>1[0-2]|0?[1-9])(?P=sep)"
    rf"(?P<num_y>{_YEAR})",
    rf"(?:(?P<md_wd>{_WEEKDAY}),?{_W}|(?P<md_dir>{_cap('last|next|this|coming')}){_W})?"
    rf"(?P<md_m>{_MONTH})\.?{_W}(?P<md_d>{_DAY})"
    rf"(?:,?{_W}(?P<md_y>{_YEAR}))?(?P<md_rel>{_DEICTIC_YEAR})?",
    rf"(?:(?P<dm_wd>{_WEEKDAY}),?{_W})?(?:(?P<dm_the>[Tt]he){_W})?(?P<dm_d>{_DAY})"
    rf"(?:{_W}(?P<dm_of>of))?{_W}(?P<dm_m>{_MONTH})(?:\.?,?{_W}(?P<dm_y>{_YEAR}))?"
    rf"(?P<dm_rel>{_DEICTIC_YEAR})?",
    rf"(?P<islamic>(?:(?:[Tt]he{_W})?{_DAY}(?:{_W}of)?{_W})?{_ISLAMIC}(?:{_W}\d{{1,2}}(?!\w))?)",
    rf"(?P<my_m>{_MONTH})\.?,?{_W}(?P<my_y>{_YEAR}|{_SPELLED_YEAR})",
    # decades and centuries
    rf"(?P<decade>(?:[Tt]he{_W})?(?:(?:early|mid|late)(?:-|{_W}))?(?:1[6-9]|20)\d0s(?!\w)"
    rf"|[Tt]he{_W}(?:(?:early|mid|late)(?:-|{_W}))?['’]?\d0s(?!\w)"
    # the second of two coordinated decades: *the 70s and 80s*
    rf"|(?<=0s[^\S\n]and[^\S\n])['’]?\d0s(?!\w)|(?<=0s[^\S\n]or[^\S\n])['’]?\d0s(?!\w)"
    rf"|[Tt]he{_W}(?:(?:early|mid|late)(?:-|{_W}))?(?:nineteen{_W})?(?:{_DECADE_WORDS})(?!\w))",
    rf"(?P<century>(?:[Tt]he{_W})?(?:(?:1\d|2[01]|[1-9])(?:st|nd|rd|th)|"
    rf"{_alt([*_ORDINAL_WORDS, 'twenty-first', 'last', 'this', 'next', 'previous', 'past'])})"
    rf"{_W}century(?![\w-]))",
    # years
    rf"(?P<yr_range>{_YEAR}[-–/](?:\d{{4}}|\d{{2}})(?!\w))",
    rf"(?:[Tt]he{_W}year{_W})?(?P<yr>{_YEAR})(?!{_W}{_UNIT})",
    rf"(?:[Tt]he{_W}year{_W})?(?P<yr_words>{_SPELLED_YEAR})|[Tt]he{_W}year{_W}(?P<yr_2k>{_YEAR_2000})",
    # seasons: with *this/last/next* or *the* (*this past spring*, *the early summer*); the
    # summer of 1999 is a sub-period of its year
    rf"(?P<season>(?:[Tt]he{_W}(?:(?:early|late){_W})?|(?:early|late){_W})?"
    rf"(?:summer|winter|spring|autumn)(?!\w)"
    rf"|{_cap('this|last|next|coming')}(?:{_W}past)?{_W}fall(?!\w))",
    # *year-end*, *year's end*: the end of an unnamed year
    rf"(?P<year_end>(?:[Tt]he{_W})?year(?:-|{_W}|['’]s{_W})end)(?!\w)",
    # months, weekdays, holidays
    rf"(?:(?P<mo_dir>{_cap('last|next|this|coming')}){_W})?(?P<mo>{_MONTH})"
    rf"(?P<mo_rel>{_DEICTIC_YEAR})?",
    rf"(?:(?P<wd_dir>{_cap('last|next|this|coming')}){_W})?(?P<wd>{_WEEKDAY})"
    rf"(?:{_W}(?P<wd_part>{_PART})(?!\w))?",
    rf"(?P<xmas>Christmas)(?:{_W}(?P<xmas_kind>Day|Eve))?(?:,?{_W}(?P<xmas_y>{_YEAR}))?",
    # deictics
    rf"(?:{_cap('earlier|later|early|late')}{_W})?(?P<rp_word>{_cap('today|tonight')})(?!\w)",
    rf"(?P<rp_yt>{_cap('yesterday|tomorrow')})(?:{_W}{_PART})?(?!\w)",
    rf"(?P<rp_dby>[Tt]he{_W}day{_W}(?:before{_W}yesterday|after{_W}tomorrow))(?!\w)",
    rf"(?:{_cap('earlier|later|early|late')}{_W})?(?:(?P<rp_dir>{_cap('last|this|next|current')})"
    rf"|[Tt]he{_W}(?P<rp_current>current))(?:{_W}past)?{_W}(?P<rp_unit>year|month|week|weekend|"
    rf"decade|century|summer|winter|spring|autumn|morning|afternoon|evening|night|quarter)(?!\w)",
    rf"(?P<rp_weekend>[Tt]he{_W}weekend)(?!\w)",
    rf"(?P<to_date>[Tt]he{_W}(?:year|month){_W}to{_W}date)(?!\w)",
    rf"(?P<rp_bare>the{_W}(?:year|month|week))(?![\w-])",
]
_SPAN_UNIT = rf"(?:{_UNIT}|quarters?(?!\w))"
_SET = (
    rf"(?P<set>{_cap('every|each')}{_W}(?:(?:other|single){_W})?(?:(?:{_COUNT}){_W})?"
    rf"(?:{_SPAN_UNIT}|{_WEEKDAY}|{_PART}s?(?!\w))"
    rf"|(?:{_cap('once|twice|thrice')}|{_COUNT}{_W}times){_W}"
    rf"(?:(?:a|an|per|every|each){_W}{_UNIT}|daily|weekly|monthly|yearly|annually)"
    rf"|(?:an?{_W})?(?:annual|yearly|daily|weekly|monthly|quarterly|fortnightly){_W}basis"
    rf"|{_cap('annually|biannually|biennially')}|per{_W}(?:annum|year|day|month|week)"
    rf"|(?P<set_adverb>daily|weekly|monthly|yearly|fortnightly|quarterly|hourly))(?!\w)"
)
_ANAPHOR = (
    rf"(?P<anaphor>(?:[Tt]he{_W})?same{_W}(?:day|night|morning|afternoon|evening|week|month|"
    rf"year|period)(?:{_W}(?:of{_W})?last{_W}year)?"
    rf"|{_cap('that')}{_W}(?:day|night|morning|afternoon|evening|week|month|year|quarter|period)"
    rf"|[Tt]he{_W}(?:next|following){_W}(?:morning|afternoon|evening|night)"
    rf"|(?:[Tt]he{_W})?(?:(?:comparable|corresponding){_W})?(?:latest|year-ago|year-earlier|"
    rf"prior-year|year[^\S\n]earlier){_W}(?:quarter|period|year|month|week))(?!\w)"
)
_SPAN_DIRECTIONS = _cap(
    "past|last|next|coming|previous|following|preceding|first|final|remaining|recent"
)
_RELATIVE_SPAN = (
    rf"(?P<span>(?P<span_the>[Tt]he{_W})?(?P<span_dir>{_SPAN_DIRECTIONS})"
    rf"{_W}(?:(?P<span_count>{_COUNT}){_W})?(?:more{_W})?(?P<span_unit>{_SPAN_UNIT}))"
)
_DURATION = (
    rf"(?P<duration>(?:(?P<dur_mod>{_MODIFIER}){_W})?(?P<dur_num>{_NUMBER}){_W}"
    rf"(?:(?:more|additional|extra|full|consecutive|straight|successive|long){_W})?"
    rf"(?P<dur_unit>{_UNIT}|(?:(?<=consecutive[^\S\n])|(?<=successive[^\S\n])|"
    rf"(?<=straight[^\S\n]))quarters(?!\w))"
    rf"(?:{_W}and{_W}a{_W}half)?(?:{_W}(?P<dur_dir>ago|earlier|later)(?!\w))?)"
)
_BARE = (
    rf"(?P<bare>{_cap('minutes|hours|days|weeks|months|years|decades|centuries')}(?!\w)"
    rf"(?:{_W}(?P<bare_dir>ago|earlier|later)(?!\w))?)"
)
_CLOCK = (
    rf"(?P<clock>(?:{_cap('around|about|approximately|roughly|nearly|almost|exactly|just')}{_W})?"
    rf"(?:(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?(?:{_W})?(?:[ap]\.m\.|[ap]m|[AP]M)"
    rf"|(?P<hhmm>(?:[01]?\d|2[0-3]):[0-5]\d)(?:{_W}?(?P<zone>hrs|hours|GMT|UTC|PST|PKT))?"
    rf"|(?:[01]\d|2[0-3])[0-5]\d{_W}?(?:hrs|hours|GMT|UTC|PST|PKT)"
    rf"|{_cap('midnight|noon|midday')}))(?!\w)"
)
_VAGUE = (
    rf"(?P<vague>{_cap('currently|presently|recently|nowadays|now|soon')}|[Aa]t{_W}present"
    rf"|[Tt]hese{_W}days|[Tt]he{_W}(?P<vague_the>past|(?:(?:near|distant|foreseeable|immediate)"
    rf"{_W})?future|(?:short|near|long|medium){_W}term))(?!\w)"
)
# Times a story anchors, not the calendar (TEMPORAL.md's anaphoric expressions and parts of days;
# all null): *earlier in the day*, *at the time*, *for the time being*, *a later date*, *in the
# morning*, *in the days following*, *the weeks ahead*, *over the years*, *for a while*, *for
# some time*, *a second straight day*, *mid-afternoon*. Those after `story_lead` need a
# preposition before them (`_story_plausible`): *spend the night*, *the time has come*, *some
# time next year* are not marked.
_STORY = (
    rf"(?P<story>{_cap('earlier|later')}{_W}(?:in{_W}the|that){_W}(?:day|week|month|year|"
    rf"morning|afternoon|evening|night|season)"
    rf"|[Aa]{_W}later{_W}(?:date|time)"
    rf"|[Aa]{_W}(?:{_alt(_ORDINAL_WORDS[1:10])}){_W}(?:consecutive|straight|successive){_W}"
    rf"(?:day|night|week|month|year)"
    rf"|{_cap('mid')}-?(?:morning|afternoon)"
    rf"|(?P<story_lead>[Tt]he{_W}(?:(?:early|late){_W})?(?:morning|afternoon|evening|night)"
    rf"|(?:[Tt]he|[Tt]hat){_W}time(?:{_W}being)?"
    rf"|[Tt]he{_W}(?:days|weeks|months|years|decades)(?:{_W}(?:ahead|to{_W}come))?"
    rf"|a{_W}while|some{_W}time))(?!\w)"
)
# Groups of the alternatives that can start with a digit.
_DIGIT_GROUPS = ("iso_y", "num_d", "dm_d", "islamic", "decade", "century", "yr_range", "yr")


def _compile(digit: bool) -> re.Pattern[str]:
    """The whole pattern. For text that starts with a digit, the alternatives that cannot are
    disabled with ``(?!)`` (their groups stay, so every match has the same group names): a failed
    attempt then costs a fraction of exploring them all."""

    def only(piece: str, starts_with_digit: bool) -> str:
        return piece if starts_with_digit or not digit else "(?!)" + piece

    cores = [only(c, any(f"(?P<{g}>" in c for g in _DIGIT_GROUPS)) for c in _POINT_CORES]
    point = (
        rf"(?P<point>(?:{only(_SUBPERIOD, False)})?(?P<edge>{only(_EDGE, False)})?"
        rf"(?:{'|'.join(cores)}))"
    )
    families = [point, _SET, only(_ANAPHOR, False), only(_RELATIVE_SPAN, False), _DURATION]
    families += [only(_BARE, False), _CLOCK, only(_VAGUE, False), only(_STORY, False)]
    return re.compile("|".join(families))


_PATTERN = _compile(digit=False)
_DIGIT_PATTERN = _compile(digit=True)

# The pattern is only tried where a word that can open an expression starts: trying it at every
# character costs about 14 µs each, and most words cannot open one. The openers are one regex, a
# character trie, so that the engine branches on one character at a time. *the* opens only before
# another opener (*the end of*, *the 1990s*), which saves a third of the attempts.
_NAMES = (
    list(_MONTHS)
    + list(_WEEKDAYS)
    + "FY Q Christmas Ramazan Ramadan Ramzan Muharram Safar Rajab Shaban Shawwal Zilhaj Zil "
    "Dhul Rabiul Rabi Ashura Youm Shab Chehlum Lailatul".split()
)
_WORDS = (
    list(_NUMBER_WORDS)
    + _ORDINAL_WORDS
    + (
        "at that this some more less fewer about around only just last first next "
        "new now same very end beginning start middle close turn outset rest remainder eve "
        "summer winter spring autumn night morning afternoon evening month holy latter early "
        "late mid wee small final week current outgoing previous coming ongoing following "
        "upcoming preceding present fiscal financial earlier later today tonight yesterday "
        "these latest comparable corresponding year prior "
        "tomorrow every each once twice thrice several many few half hundred dozen annual "
        "yearly daily weekly monthly quarterly fortnightly hourly annually biannually biennially "
        "per past remaining recent nearly almost roughly approximately exactly barely merely up "
        "another minutes hours days weeks months years decades centuries midnight noon midday "
        "currently presently recently nowadays soon midmorning midafternoon"
    ).split()
)
_OPENER_WORDS = set(_NAMES) | set(_WORDS) | {w.capitalize() for w in _WORDS}
_AFTER_THE = (
    _OPENER_WORDS
    | {"day", "year", "weekend", "time"}
    | set(
        f"past future near distant foreseeable immediate short long medium {_DECADE_WORDS}".replace(
            "|", " "
        ).split()
    )
)
_AFTER_A = set(
    "minute hour day night week fortnight month year decade century few couple further full "
    "hundred dozen annual yearly daily weekly monthly quarterly fortnightly later while more "
    "additional extra consecutive straight successive long".split()
) | set(_ORDINAL_WORDS[1:10])
_OPENER = re.compile(
    rf"(?<![A-Za-z])(?:[Tt]he(?={_W}(?:{_trie(_AFTER_THE)}(?![A-Za-z])|[\d'’]))"
    rf"|[Aa]n?(?={_W}{_trie(_AFTER_A)}(?![A-Za-z]))"
    rf"|{_trie(_OPENER_WORDS)}(?![A-Za-z])|Eid)|(?<![A-Za-z\d])\d"
)


# --- Filters: context the pattern cannot see ------------------------------------------------

_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w’'.-]*)[^\S\n]+[\"“‘]?$")
_NEXT_WORD = re.compile(r"[^\S\n]+([A-Za-z][\w’'-]*)")
_NUMBER_OR_MONEY_BEFORE = re.compile(r"(?:\d|\bRs\.?|\bPKR|\bNo\.|\$|£|€)[^\S\n]*$")
_NAME_WITH_COMMA_BEFORE = re.compile(
    r"\b(?:Act|Bill|Ordinance|Order|Rules|Regulations|Code),[^\S\n]*$"
)
_NUMBER_AFTER = re.compile(r"[^\S\n]*(?:\d|%)")
_AMBIGUOUS_MONTHS = frozenset(["May", "March"]) | {m for m in _MONTHS if len(m) <= 4} - {
    "June",
    "July",
}
_MONTH_CONTEXT = frozenset(
    "in since until till by from to during of through throughout before after between and or "
    "early late mid end last next this coming every each".split()
)
# Words before a month that make it a time even before a capitalised word (*in May Congress*).
_MONTH_TIME_LEADS = frozenset(
    "in since until till by during through throughout before after early late mid end last next "
    "this coming every each".split()
)
# Words after which a year is still a year even when a lowercase noun follows (the 2022 floods).
_YEAR_DETERMINERS = frozenset(
    "a an the its their his her our this that these those in since by until till from to during "
    "before after between and or of through throughout for at on within".split()
)
_YEAR_LEADS = _YEAR_DETERMINERS | frozenset("over around circa about as than early late".split())
_MEASURES = frozenset(
    "percent per pc million billion trillion crore lakh km kg mw feet ft metres meters tonnes "
    "tons rupees dollars acres runs votes points people troops units cases".split()
)
_WEEKDAY_NAMES_AFTER = frozenset(
    "Times Express Telegraph Post Mirror Herald Observer Mail Tribune Star Review Magazine "
    "Special Sport Independent prayers prayer sermon".split()
)
_WEEKDAY_NAMES_BEFORE = frozenset("Good Black Bloody Super Ash Holy Palm Easter Cyber".split())
_BARE_LEADS = frozenset(
    "for in within over after before by during throughout since from took take takes taking "
    "lasted last lasts spent spend wait waited been".split()
)
_BARE_LIMITERS = frozenset("just only mere".split())
_DETERMINERS = frozenset("the these those his her its their our my your early final first".split())
_CLOCK_LEADS = frozenset("at by around about until till from before after since to".split())
_ADVERB_FOLLOWERS = frozenset("from at in on to for by and or since during until".split())


def _previous_word(text: str, start: int) -> str:
    """The word right before ``start`` (spaces only between), or ''."""
    found = _PREVIOUS_WORD.search(text, max(0, start - 40), start)
    return found.group(1) if found else ""


def _next_word(text: str, end: int) -> str:
    """The word right after ``end`` (spaces only between), or ''."""
    found = _NEXT_WORD.match(text, end, end + 40)
    return found.group(1) if found else ""


def _accepted(match: re.Match[str], text: str) -> bool:
    """Whether a candidate is a temporal expression, given the words around it."""
    if not _free_edges(text, match.start(), match.end()):
        return False
    family = match.lastgroup or ""
    if family == "point":
        return _point_accepted(match, text)
    check = _FAMILY_CHECKS.get(family)
    return check is None or check(match, text)


def _free_edges(text: str, start: int, end: int) -> bool:
    """Not glued to a word, a number, money or a hyphenated compound (*now-defunct*)."""
    before = text[start - 1] if start else " "
    if before.isalnum() or before in "_$£€/" or (before == "-" and _alnum_at(text, start - 2)):
        return False
    after = text[end] if end < len(text) else " "
    if after in ".," and text[end - 1].isdigit() and text[end + 1 : end + 2].isdigit():
        return False  # a decimal or a thousands group: *2082.1*, *1,500*
    return not (after.isalnum() or (after in "-/" and _alnum_at(text, end + 1)))


def _alnum_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and text[index].isalnum()


def _point_accepted(match: re.Match[str], text: str) -> bool:
    """Filters for points in time; a core that opens the match is judged by its neighbours."""
    if match.group("rp_bare"):
        return match.group("sub") is not None
    if match.group("dm_d") and (match.group("dm_the") or match.group("dm_of")):
        return match.group("dm_d")[-2:].isalpha()
    opens = match.group("sub") is None and match.group("edge") is None
    for group, check in _POINT_CHECKS:
        if match.group(group) and opens and match.start(group) == match.start():
            return check(match, text)
    return True


def _month_plausible(match: re.Match[str], text: str) -> bool:
    """*May* and *March* (and abbreviations) alone are months only in a date context; before a
    capitalised word they are a first name (*and Jan Kavan*, *of May Smith*) unless a preposition
    of time comes before them (*in May Congress voted*)."""
    if match.group("mo") not in _AMBIGUOUS_MONTHS or match.group("mo_rel"):
        return True
    previous = _previous_word(text, match.start()).lower()
    if _next_word(text, match.end())[:1].isupper() and previous not in _MONTH_TIME_LEADS:
        return False
    return previous in _MONTH_CONTEXT


def _year_plausible(match: re.Match[str], text: str) -> bool:
    """A bare year is not a name (*Vision 2025*), a count (*2000 troops*) or a phone number."""
    start, end = match.start(), match.end()
    window = text[max(0, start - 40) : start]
    if _NUMBER_OR_MONEY_BEFORE.search(window) or _NAME_WITH_COMMA_BEFORE.search(window):
        return False
    if _NUMBER_AFTER.match(text, end, end + 3) or text[end : end + 1] == "%":
        return False
    previous = _previous_word(text, start)
    lead = previous.lower() in _YEAR_LEADS or previous.endswith(("’s", "'s"))
    if previous[:1].isupper() and not lead:
        return False
    following = _next_word(text, end)
    if following.lower() in _MEASURES:
        return False
    counted = following[:1].islower() and previous.lower() not in _YEAR_DETERMINERS
    return not (counted and previous and not previous.endswith(("’s", "'s")))


def _weekday_plausible(match: re.Match[str], text: str) -> bool:
    """Weekdays in names: *The Sunday Times*, *Good Friday*, *Friday prayers*."""
    if _previous_word(text, match.start()) in _WEEKDAY_NAMES_BEFORE:
        return False
    return match.group("wd_part") is not None or (
        _next_word(text, match.end()) not in _WEEKDAY_NAMES_AFTER
    )


def _today_plausible(match: re.Match[str], text: str) -> bool:
    """*Pakistan Today*, *USA Today* are newspapers."""
    previous = _previous_word(text, match.start())
    return not (match.group("rp_word") == "Today" and previous[:1].isupper())


_SEASON_LEADS = frozenset(
    "in over during since until till by through throughout before after".split()
)


def _season_plausible(match: re.Match[str], text: str) -> bool:
    """A bare season (*summer*) is a time after a preposition (*over the summer*, *by summer*);
    with *the*, *this*, *last*, *next* or *coming* it is one (*last fall*, *the summer*)."""
    season = match.group("season").lower()
    if season.startswith(("the", "this", "last", "next", "coming", "early", "late")):
        return True
    return _previous_word(text, match.start()).lower() in _SEASON_LEADS


def _year_end_plausible(match: re.Match[str], text: str) -> bool:
    """*by year-end* is a time; *year-end results* is a premodifier, not marked."""
    if match.group("year_end")[:1] in "Tt":
        return True
    return _previous_word(text, match.start()).lower() in _YEAR_LEADS


_POINT_CHECKS: list[tuple[str, Callable[[re.Match[str], str], bool]]] = [
    ("season", _season_plausible),
    ("year_end", _year_end_plausible),
    ("mo", _month_plausible),
    ("yr", _year_plausible),
    ("yr_range", _year_plausible),
    ("wd", _weekday_plausible),
    ("rp_word", _today_plausible),
]


def _adverb_plausible(match: re.Match[str], text: str) -> bool:
    """*daily* is a set as an adverb (*published daily*), not as an adjective (*daily wages*)."""
    if not match.group("set_adverb"):
        return True
    if _previous_word(text, match.start()).lower() in {"the", "a", "an"}:
        return False
    following = _next_word(text, match.end())
    return not following[:1].islower() or following in _ADVERB_FOLLOWERS


def _span_plausible(match: re.Match[str], text: str) -> bool:
    """*the past decade*, *recent years*, *the first four months*: not *his first year*."""
    direction = match.group("span_dir").lower()
    unit = match.group("span_unit")
    plural = unit.endswith("s") or match.group("span_count") is not None
    needs_the = {"first", "final", "remaining", "following", "previous", "preceding"}
    if direction in needs_the and match.group("span_the") is None:
        return False
    if plural:
        return True
    if direction == "last":
        return unit in {"decade", "fortnight", "week", "month", "year", "century"}
    return direction not in {"first", "final", "remaining", "recent"}


def _duration_plausible(match: re.Match[str], text: str) -> bool:
    """*a century* is a cricket score unless it measures time (*a century ago*); *a years* is
    not English."""
    number = match.group("dur_num").lower()
    unit = match.group("dur_unit")
    plural = unit.endswith("s")
    if _next_word(text, match.end()) == "old":  # an age: *37 years old*
        return False
    if number in {"a", "an"} and (plural or unit == "century"):
        return unit == "century" and bool(match.group("dur_dir") or match.group("dur_mod"))
    return not (number == "some" and not plural)


def _bare_plausible(match: re.Match[str], text: str) -> bool:
    """A bare plural unit is a duration after a preposition (*for years*) or before *of*/*after*."""
    if match.group("bare_dir"):
        return True
    word = _previous_word(text, match.start())
    if word.lower() in _BARE_LIMITERS:  # *in just minutes*: the preposition is one word back
        word = _previous_word(text, text.rfind(word, 0, match.start()))
    previous = word.lower()
    following = _next_word(text, match.end()).lower()
    if previous in _BARE_LEADS or following in {"after", "before"}:
        return True
    return following == "of" and previous not in _DETERMINERS


def _clock_plausible(match: re.Match[str], text: str) -> bool:
    """A bare *10:30* is a time only after *at*, *by*, *until*...; else a ratio or a verse."""
    if not match.group("hhmm") or match.group("zone") or match.start("hhmm") != match.start():
        return True
    return _previous_word(text, match.start()).lower() in _CLOCK_LEADS


_PAST_FUTURE_LEADS = frozenset("in into for from than to about on of over".split())


def _vague_plausible(match: re.Match[str], text: str) -> bool:
    """*as soon as* and *soon after* are conjunctions, not references to time; *the past* and
    *the future* are times after a preposition (*in the past*), not as subjects or names."""
    if match.group("vague_the"):
        following = _next_word(text, match.end()).lower()
        return _previous_word(text, match.start()).lower() in _PAST_FUTURE_LEADS and (
            following != "of"
        )
    if match.group("vague").lower() != "soon":
        return True
    following = _next_word(text, match.end()).lower()
    return _previous_word(text, match.start()).lower() != "as" and following not in {
        "after",
        "afterwards",
        "thereafter",
        "as",
    }


# What must come before a `story_lead` time, and what may come after it.
_STORY_LEADS = {
    "part": frozenset("in during through throughout into until till by overnight".split()),
    "time": frozenset("at for during".split()),
    "units": frozenset("in over during throughout through within for".split()),
    "while": frozenset("for in after".split()),
}
# Words that may follow a time the story anchors ("" is punctuation or the end): a function
# word, not a noun it would modify (*the morning session*) nor a clause (*at the time police
# arrived*).
_STORY_FOLLOWERS = frozenset(
    [
        "",
        *"to and or but at in on before after as with for from by until till than while "
        "because so then when".split(),
    ]
)
_DAY_AFTER = re.compile(rf"{_W}(?:{_WEEKDAY}|{_cap('yesterday|today|tonight')})")
_NUMBER_AFTER_SPACE = re.compile(r"[^\S\n]+\d")
_ONCE_IN = re.compile(rf"\b[Oo]nce{_W}in{_W}$")
_UNITS_AFTER = frozenset("following after ahead since before that to leading".split())


def _story_plausible(match: re.Match[str], text: str) -> bool:
    """A time the story anchors, after the words that make it one: *in the morning* (not *spend
    the night*), *at the time* (not *the time has come*, nor *at the time of the attack*),
    *in the days following* or *over the years* (not *the days are long*), *for a while* or
    *some time ago* (not *spend some time*)."""
    lead = match.group("story_lead")
    words = match.group("story").lower().split()
    previous = _previous_word(text, match.start()).lower()
    following = _next_word(text, match.end()).lower()
    if not following and _NUMBER_AFTER_SPACE.match(text, match.end()):
        following = "0"  # a number follows: *at the time 14 people were killed*
    if lead is None:
        if words[0].startswith("mid"):
            # Not a premodifier (*mid-morning tea*), nor before the day it belongs to
            # (*mid-afternoon yesterday*: the day resolves).
            return following in _STORY_FOLLOWERS
        if words[1] == "later":
            return following != "of"  # *a later date of*: a date of something
        # *a third straight night Wednesday*: the day that follows is the reference.
        return not _DAY_AFTER.match(text, match.end())
    if words[-1] in {"morning", "afternoon", "evening", "night"}:
        # Not a premodifier: *the morning session*, *the night shift*.
        return previous in _STORY_LEADS["part"] and following in _STORY_FOLLOWERS
    if words[0] in {"a", "some"}:
        once = _ONCE_IN.search(text, 0, match.start()) is not None  # *once in a while*
        return not once and (previous in _STORY_LEADS["while"] or following in {"ago", "back"})
    if words[-1] in {"time", "being"}:
        # Followed by a clause, it is a conjunction (*at the time police arrived*).
        return previous in _STORY_LEADS["time"] and following in _STORY_FOLLOWERS - {"of"}
    if words[-1] in {"ahead", "come"} or previous in {"over", "throughout"}:
        return previous in _STORY_LEADS["units"]
    return previous in _STORY_LEADS["units"] and following in _UNITS_AFTER


_FAMILY_CHECKS: dict[str, Callable[[re.Match[str], str], bool]] = {
    "set": _adverb_plausible,
    "span": _span_plausible,
    "duration": _duration_plausible,
    "bare": _bare_plausible,
    "clock": _clock_plausible,
    "vague": _vague_plausible,
    "story": _story_plausible,
}


# --- Resolution -----------------------------------------------------------------------------

_OFFSETS = {"last": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
_AS_OF_WORDS = frozenset(["now", "currently", "presently", "at present", "nowadays", "these days"])
_Value = tuple[dt.date, str]  # a date and its granularity: "day", "month" or "year"
_Tense = Callable[[], str | None]  # the tense of its clause: "past", "future", _FROM_THE_PAST, None
_Resolver = Callable[[re.Match[str], dt.date | None, _Tense], _Value | None]


def _resolve(match: re.Match[str], text: str, reference: dt.date | None) -> dt.date | None:
    """The calendar day, month or year the expression names, or None (TEMPORAL.md)."""
    family = match.lastgroup
    value: _Value | None = None
    if family == "point":
        value = _point_value(match, reference, lambda: _clause_tense(text, *match.span()))
    elif family == "duration":
        value = _ago_value(match, reference)
    elif family == "vague" and reference is not None:
        word = " ".join(match.group("vague").lower().split())
        value = (reference, "day") if word in _AS_OF_WORDS else None
    return None if value is None else _first_day(*value)


def _first_day(day: dt.date, granularity: str) -> dt.date:
    """A month or a year is written as its first day."""
    if granularity == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1) if granularity == "month" else day


def _point_value(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
    """Resolve a point in time; *the week ended September 29* gives the month."""
    for group, resolver in _POINT_RESOLVERS:
        if match.group(group):
            value = resolver(match, reference, tense)
            if value is not None and match.group("sub_week"):
                return value[0], "month"
            return value
    return None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _nearest(
    anchor: dt.date, tense: _Tense, make: Callable[[int], dt.date | None], months: bool = False
) -> dt.date | None:
    """The occurrence of a yearly date for ``anchor`` by the tense of its clause: on or before
    it in the past tense, after it in the future tense, else the nearest one (a schedule, *takes
    effect Nov. 13*). ``months`` measures the distance in whole months (a tie goes back)."""
    this_year = make(anchor.year)
    if this_year is None or this_year == anchor:
        return this_year
    clause = tense()
    if clause == "future":
        return this_year if this_year > anchor else make(anchor.year + 1)
    if clause == "past":
        return this_year if this_year < anchor else make(anchor.year - 1)
    candidates = [d for d in (make(anchor.year + i) for i in (-1, 0, 1)) if d is not None]

    def distance(day: dt.date) -> tuple[int, bool]:
        if months:
            gap = abs((day.year - anchor.year) * 12 + day.month - anchor.month)
        else:
            gap = abs((day - anchor).days)
        return gap, day > anchor

    return min(candidates, key=distance)


def _month_day(
    match: re.Match[str], prefix: str, reference: dt.date | None, tense: _Tense
) -> _Value | None:
    """A month and day, with its own year, a deictic year (*June 5 last year*), a direction
    (*last Oct. 23*) or by tense."""
    month = _MONTHS[match.group(f"{prefix}_m")]
    day = int(match.group(f"{prefix}_d").rstrip("stndrh"))
    year, relative = match.group(f"{prefix}_y"), match.group(f"{prefix}_rel")
    weekday = match.group(f"{prefix}_wd")
    direction = (match.groupdict().get(f"{prefix}_dir") or "").lower()
    if year:
        found = _date(int(year), month, day)
    elif reference is None:
        return None
    elif weekday:
        found = _year_by_weekday(reference, month, day, _WEEKDAYS[weekday])
    elif relative:
        found = _date(reference.year + _OFFSETS[relative.split()[0]], month, day)
    elif direction == "this":
        found = _date(reference.year, month, day)
    else:
        # *last Oct. 23* is the most recent, *next Oct. 23* the coming one.
        clause = {"last": "past", "next": "future", "coming": "future"}.get(direction)
        by_tense: _Tense = (lambda: clause) if clause else tense
        found = _nearest(reference, by_tense, lambda y: _date(y, month, day))
    return None if found is None else (found, "day")


def _year_by_weekday(reference: dt.date, month: int, day: int, weekday: int) -> dt.date | None:
    """*Saturday, April 25*: the date, in the year nearest to publication, that falls on that
    weekday (a date repeats its weekday every 5, 6 or 11 years, so 11 years each way suffice)."""
    dates = [_date(reference.year + offset, month, day) for offset in range(-11, 12)]
    fits = [d for d in dates if d is not None and d.weekday() == weekday]
    return min(fits, key=lambda d: (abs((d - reference).days), d > reference), default=None)


def _month_alone(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
    """A month without a year: *last June*, *June last year*, or by tense (*in June*)."""
    if reference is None:
        return None
    month = _MONTHS[match.group("mo")]
    anchor = reference.replace(day=1)
    relative, direction = match.group("mo_rel"), (match.group("mo_dir") or "").lower()
    if relative:
        return dt.date(reference.year + _OFFSETS[relative.split()[0]], month, 1), "month"
    if direction == "last":
        return dt.date(anchor.year - (month >= anchor.month), month, 1), "month"
    if direction in {"next", "coming"}:
        return dt.date(anchor.year + (month <= anchor.month), month, 1), "month"
    if direction == "this":
        return dt.date(anchor.year, month, 1), "month"
    found = _nearest(anchor, tense, lambda y: dt.date(y, month, 1), months=True)
    return None if found is None else (found, "month")


def _weekday(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
    """The weekday before the publication date, or after it in the future tense."""
    if reference is None:
        return None
    back = (reference.weekday() - _WEEKDAYS[match.group("wd")]) % 7
    direction = (match.group("wd_dir") or "").lower()
    if direction == "last":
        days = -(back or 7)
    elif direction in {"next", "coming"}:
        days = (-back) % 7 or 7
    elif back == 0:
        days = 0
    else:
        days = 7 - back if tense() in {"future", _FROM_THE_PAST} else -back
    return reference + dt.timedelta(days=days), "day"


def _christmas(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
    """Christmas is a fixed-date holiday (Christmas Eve the day before)."""
    day = 24 if match.group("xmas_kind") == "Eve" else 25
    if match.group("xmas_y"):
        return dt.date(int(match.group("xmas_y")), 12, day), "day"
    if reference is None:
        return None
    found = _nearest(reference, tense, lambda y: dt.date(y, 12, day))
    return None if found is None else (found, "day")


def _days_from(offsets: dict[str, int], group: str) -> _Resolver:
    """A resolver for words that are a fixed number of days from the publication date."""

    def resolve(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
        if reference is None:
            return None
        word = match.group(group).lower().split()[-1]
        return reference + dt.timedelta(days=offsets[word]), "day"

    return resolve


def _deictic_unit(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
    """*last year*, *next month*, *this morning*, *last night*; weeks and seasons stay None."""
    if reference is None:
        return None
    offset = _OFFSETS[(match.group("rp_dir") or match.group("rp_current")).lower()]
    unit = match.group("rp_unit")
    if unit == "year":
        return dt.date(reference.year + offset, 1, 1), "year"
    if unit == "month":
        return _add_months(reference, offset), "month"
    if unit in {"morning", "afternoon", "evening", "night"}:
        return reference + dt.timedelta(days=offset), "day"
    return None


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _numeric_date(prefix: str) -> _Resolver:
    """A resolver for numeric dates that carry their year (*02-10-2023*, *2023-10-02*)."""

    def resolve(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value | None:
        year, month, day = (int(match.group(f"{prefix}_{part}")) for part in "ymd")
        found = _date(year, month, day)
        return None if found is None else (found, "day")

    return resolve


def _month_of_year(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value:
    """*September 2021*."""
    return dt.date(_year_number(match.group("my_y")), _MONTHS[match.group("my_m")], 1), "month"


def _year(match: re.Match[str], reference: dt.date | None, tense: _Tense) -> _Value:
    """*2014*, *the year 2000*, *nineteen ninety-six*, *the year two thousand*."""
    year = match.group("yr") or match.group("yr_words") or match.group("yr_2k")
    return dt.date(_year_number(year), 1, 1), "year"


def _year_number(year: str) -> int:
    """The number of a year in digits or in words (*nineteen oh five*, *two thousand and one*)."""
    if year.isdigit():
        return int(year)
    words = year.lower().replace("-", " ").split()
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(_NUMBER_WORDS[w] for w in words[2:] if w != "and")
    century = _NUMBER_WORDS[words[0]] * 100
    rest = [w for w in words[1:] if w != "oh"]
    return century if rest == ["hundred"] else century + sum(_NUMBER_WORDS[w] for w in rest)


_POINT_RESOLVERS: list[tuple[str, _Resolver]] = [
    ("fiscal", lambda match, reference, tense: None),
    ("iso_y", _numeric_date("iso")),
    ("num_y", _numeric_date("num")),
    ("md_m", lambda match, reference, tense: _month_day(match, "md", reference, tense)),
    ("dm_m", lambda match, reference, tense: _month_day(match, "dm", reference, tense)),
    ("my_m", _month_of_year),
    ("yr", _year),
    ("yr_words", _year),
    ("yr_2k", _year),
    ("mo", _month_alone),
    ("wd", _weekday),
    ("xmas", _christmas),
    ("rp_word", _days_from({"today": 0, "tonight": 0}, "rp_word")),
    ("rp_yt", _days_from({"yesterday": -1, "tomorrow": 1}, "rp_yt")),
    ("rp_dby", _days_from({"yesterday": -2, "tomorrow": 2}, "rp_dby")),
    ("rp_unit", _deictic_unit),
]


def _ago_value(match: re.Match[str], reference: dt.date | None) -> _Value | None:
    """*two days ago* is a day, *six months ago* a month, *a year ago* a year; weeks stay None."""
    if match.group("dur_dir") != "ago" or reference is None:
        return None
    count = _count(match.group("dur_num"))
    unit = match.group("dur_unit").rstrip("s")
    if count is None:
        return None
    if unit == "day":
        return reference - dt.timedelta(days=count), "day"
    if unit == "month":
        return _add_months(reference, -count), "month"
    if unit == "year":
        return dt.date(reference.year - count, 1, 1), "year"
    return None


def _count(number: str) -> int | None:
    """The integer a count names (*two*, *a*, *12*, *twenty-five*), or None (*several*)."""
    word = number.lower()
    if word.isdigit():
        return int(word)
    if word in {"a", "an", "one"}:
        return 1
    parts = [_NUMBER_WORDS.get(part) for part in word.split("-")]
    return None if None in parts else sum(p for p in parts if p is not None)


# --- Tense ----------------------------------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[.!?;:,](?=\s)|\n|\s[-—–]\s|—")
# A word, not part of a hyphenated compound (*lower-than-expected* is no future cue).
_WORD = re.compile(r"(?<![\w-])[A-Za-z]+(?:['’][A-Za-z]+)?(?![\w-])")
_CLAUSE_WORDS = frozenset(
    "that which who whom whose where while but because although though whereas when how "
    "whether".split()
)
_FUTURE_CUES = frozenset(
    "will shall would scheduled due expected forecast slated upcoming plans planning "
    "intends likely".split()
)
# Words before *to* that make it a future infinitive: *is to resume*, *set to expire*.
_TO_FUTURE = frozenset(
    "is are am was were be set supposed going about due expected expects expect scheduled plan "
    "plans planned "
    "intend intends aims aim hopes hope seeks seek wants want agreed promised decided decide "
    "decides voted vote votes poised ready".split()
)
# Words after *to* that show it is a preposition, not an infinitive.
_NOT_VERBS = frozenset(
    "the a an his her its their our my your this that these those by in on at of for from "
    "with until till before after through about around up".split()
)
_DEADLINES = frozenset("by until till through before to".split())
# Verbs that move an event later (*postponed the vote until Monday*, *adjourned to Thursday*):
# the date after *until*/*to* lies ahead of the move.
_POSTPONING = ("postpon", "adjourn", "delay", "defer", "reschedul")
_PREPOSITIONS = frozenset("on in at of for from with by during after before over".split())
# Nouns a date premodifies as a schedule (*the March 3 deadline*): nearest to publication,
# unless the clause looks ahead or says the deadline went by.
_SCHEDULE_NOUNS = frozenset("deadline deadlines".split())
_DEADLINE_MISSED = frozenset("missed met beat passed ignored blew breached".split())
# Pronouns whose *'s* before a participle is *is* or *has* (*when he's sentenced*): no tense.
_CONTRACTED = frozenset("he's she's it's that's there's who's what's he’s she’s it’s".split())
# Words of a schedule right before a date (*payable Dec. 15*, *takes effect Nov. 13*, *expire
# Nov. 21*, *of record Nov. 16*): the date is the occurrence nearest to publication.
_SCHEDULE = frozenset("payable effective effect record expire expires expiring matures".split())
# Words before a past participle that make it an adjective or a passive (*the reduced dividend*,
# *can be exercised*): the participle then does not make the clause past.
_NOT_PAST_BEFORE = frozenset(
    "the a an its his her their our my your this that be been being is are am can may might "
    "must should could to".split()
)
_PAST_CUES = frozenset(
    "said told was were had did met held took came went gave made left began saw won lost fell "
    "rose struck sent spoke brought led paid kept found became ran sat stood wrote drew flew "
    "grew shot fought thought sought caught taught bought built spent broke swept hit cut put "
    "beat got heard knew meant sold".split()
)
# Forms of *be* before which an irregular past form is a passive participle (*is heard*).
_BE_FORMS = frozenset("is are am be been being".split())
# Present-tense auxiliaries: the clause is in the present (perfect) tense.
_PRESENT_CUES = frozenset("is are am".split())
_NOT_PAST = frozenset(
    "need indeed speed proceed succeed exceed feed seed breed bleed hundred".split()
)


def _postponed_to_a_weekday(expression: str, previous: str, words: list[str]) -> bool:
    """*adjourned the hearing until Monday*, *was postponed to Thursday*: the verb moves the
    event later, with only its object between it and *until*/*to* (not *delayed on his way
    to Monday's summit*), and the day is a weekday, which news names only within a week of
    publication. A date (*postponed until Feb. 10*) is left to the tense: a story may tell of
    a postponed match that has since been played."""
    if previous not in {"until", "till", "to"} or not re.match(_WEEKDAY, expression, re.I):
        return False
    for word in words[1:6]:
        if word in _PREPOSITIONS:
            return False
        if word.startswith(_POSTPONING):
            return True
    return False


def _clause_tense(text: str, start: int, end: int) -> str | None:
    """The tense of the clause around ``text[start:end]``: "future", "past", `_FROM_THE_PAST`
    or None.

    The words to the left, back to the start of the clause, decide; else those to the right, up
    to the next clause break; else the rest of the sentence before it; else, for an adverbial,
    the rest of the sentence after it. *since* always looks back. A past verb does not place a
    deadline (*extended its offer to Nov. 20*): there the answer is None, and the caller takes
    the occurrence nearest to the publication date. A deadline after an infinitive (*asked it to
    respond by Oct. 31*) is future."""
    previous = _previous_word(text, start).lower()
    if previous == "since":
        return "past"
    left = _CLAUSE_BREAK.split(text[max(0, start - 160) : start])[-1]
    words: list[str] = []
    for word in reversed(_WORD.findall(left)):
        if word.lower() in _CLAUSE_WORDS:
            break
        words.append(word.lower())
    if _postponed_to_a_weekday(text[start:end], previous, words):
        return "future"
    tense = _tense(words, previous in _DEADLINES, present=True)
    if _next_word(text, end).lower() in _SCHEDULE_NOUNS:
        # *will miss the Aug. 30 deadline* ahead, *missed the July 31 deadline* behind; a
        # deadline set or given (*gave the bank a March 1 deadline*): the nearest.
        missed = tense == "past" and not _DEADLINE_MISSED.isdisjoint(words)
        return tense if tense == "future" or missed else None
    if tense == "unclear":
        return None
    if tense == _FROM_THE_PAST and "had" not in words and _SCHEDULE.intersection(words[:3]):
        return tense  # *was expected to take effect on Saturday*; not *had been due to expire*
    if tense != "future" and _SCHEDULE.intersection(words[:3]):
        return None
    if words[:3] in (["as", "early", "as"], ["as", "soon", "as"]) and _modal_first(words[3:]):
        return "future"  # *could arrive as early as Tuesday*: the earliest it can happen
    right = text[end : end + 160]
    if tense is None:
        # No cue before it in the clause: the rest of the clause after it (*guidelines to be
        # published in early November will determine*, *where the Aug. 7 blasts killed*).
        tense = _following_tense(_CLAUSE_BREAK.split(right)[0])
    if tense is None:
        # No cue in the clause: the rest of the sentence before it (*who stepped down as
        # chairman, president and chief executive in March*).
        before = re.split(r"[.!?](?=\s)|\n", text[max(0, start - 160) : start])[-1]
        words = list(reversed(_WORD.findall(before.lower())))
        tense = _tense(words, previous in _DEADLINES, present=True)
    if tense is None and previous in _ADVERBIAL_LEADS:
        # An adverbial with no cue before it in the sentence: the rest of the sentence after it,
        # across commas (*In January, a week after the anniversary, a bombing killed*). A date
        # inside a noun phrase (*by setting a Jan. 14 return date, the service allowed*) is not
        # governed by a later clause.
        tense = _following_tense(_SENTENCE_PART.split(right)[0])
    if tense == "unclear" or (tense == "past" and previous in _DEADLINES):
        return None
    return tense


def _following_tense(right: str) -> str | None:
    """The tense of the words in ``right`` (the text after an expression), up to the next clause
    word: a future cue anywhere (*On Monday, the newly elected senators will take oath*), else
    a past form."""
    following: list[str] = []
    for word in _WORD.findall(right):
        if word.lower() in _CLAUSE_WORDS:
            break
        following.append(word.lower())
    tense = _tense(following[::-1], False)
    if tense == _FROM_THE_PAST:
        # *In March, the firm announced plans to open a plant*: the date frames the verb that
        # comes first, a past one, not the plan (but *The meeting on Friday was due to*).
        cue = next((i for i, w in enumerate(following) if w in _INTENT_CUES), len(following))
        if any(_past_form(w) and w not in _AUXILIARIES for w in following[:cue]):
            return "past"
    return tense


_AUXILIARIES = frozenset("was were had been".split())
_INTENT_CUES = _FUTURE_CUES | _TO_FUTURE
# What ends the part of a sentence an adverbial's verb is looked for in: not a comma, but a stop,
# a dash or a bracket (*KARACHI, Dec 17 (Reuters) - The bank is expected to*: a dateline).
_SENTENCE_PART = re.compile(r"[!?;:(]|\n|\s[-—–]\s|—")
# Words before an expression that make it an adverbial of its clause (or "": it opens the text).
_ADVERBIAL_LEADS = frozenset(
    ["", *"on in at during by until till from before after through".split()]
)
_MODALS = frozenset("could might may can would should must".split())
# Future cues that look ahead from a past time (*was due to*, *were expected to*, *planned to*,
# *announced plans to*): a weekday is the next one, as in the future tense (news names a weekday
# within a week of the telling); a month or a month-day, which may lie a year either way, the
# occurrence nearest to publication. *would* (reported future) stays future.
_FUTURE_IN_THE_PAST = frozenset(["planned"])
_FROM_THE_PAST = "future seen from the past"


def _modal_first(words: list[str]) -> bool:
    """Whether a modal comes before any past form in ``words`` (reverse text order), or neither
    does: *as early as* then points forward (*said it could come as early as*, *the U.S. as
    soon as*), not back (*sold out as early as*)."""
    for word in words:
        if word in _MODALS:
            return True
        if _past_form(word):
            return False
    return True


def _tense(words: list[str], deadline: bool, present: bool = False) -> str | None:
    """'future' if any word is a future cue, else 'past' if any is a past form, else None.

    Future cues are the words of `_FUTURE_CUES`, *'ll*, an infinitive after *is*, *set*,
    *plans* and the like (any infinitive when the expression is a deadline), and a passive
    infinitive met before any past form (*guidelines to be published in November*, not *the
    businesses to be acquired had revenue for the year ended March 31*). A future cue seen from
    the past (*was due to*, *planned to*) gives `_FROM_THE_PAST`. ``words`` are in
    reverse text order, so that the word after a *to* comes before it in the list. With
    ``present``, a present-tense auxiliary (*is*, *are*, *am*) met before any past form makes
    the clause's time unclear: 'unclear' (*said it is calling for the redemption on Dec. 7*)."""
    for index, word in enumerate(words):
        if word in _FUTURE_CUES or word.endswith(("'ll", "’ll")):
            return _FROM_THE_PAST if _seen_from_the_past(words, index) else "future"
        if word == "to" and 0 < index < len(words) and words[index - 1] not in _NOT_VERBS:
            before = words[index + 1] if index + 1 < len(words) else ""
            if deadline:
                return "future"
            if before in _TO_FUTURE:
                return _FROM_THE_PAST if _seen_from_the_past(words, index + 1) else "future"
    for index, word in enumerate(words):
        after_be = index + 1 < len(words) and words[index + 1] in _BE_FORMS
        if (word in _PAST_CUES and not after_be) or word == "since":
            return "past"
        if word == "to" and _passive_infinitive(words, index):
            return "future"
        if present and word in _PRESENT_CUES:
            return "unclear"
        participle = _participle(word)
        if present and participle and index + 1 < len(words) and words[index + 1] in _CONTRACTED:
            return "unclear"
        if participle and (index + 1 >= len(words) or words[index + 1] not in _NOT_PAST_BEFORE):
            return "past"
    return None


def _seen_from_the_past(words: list[str], index: int) -> bool:
    """Whether the future cue at ``words[index]`` (reverse text order) looks ahead from a past
    time: *planned*, a cue after *was*, *were* or *had been* (*was due to*, *had been expected
    to*), or a cue other than a modal right after a past verb (*announced plans to*, not *the
    injured will*).
    The event may lie on either side of publication."""
    word = words[index]
    after = words[index + 1 : index + 3]
    if word in _FUTURE_IN_THE_PAST or after == ["been", "had"]:
        return True
    before = after[:1][0] if after else ""
    modal = word in {"will", "shall", "would"} or word.endswith(("'ll", "’ll"))
    return before in {"was", "were"} or (_past_form(before) and not modal)


def _past_form(word: str) -> bool:
    """A past tense or participle (*announced* in *announced plans to*)."""
    return word in _PAST_CUES or _participle(word)


def _participle(word: str) -> bool:
    """A regular past form (*announced*), not *need* or *hundred*."""
    return word.endswith("ed") and len(word) > 3 and word not in _NOT_PAST


def _passive_infinitive(words: list[str], index: int) -> bool:
    """*to be* and a participle (``words`` reversed, *to* at ``index``): *to be published*."""
    return index >= 2 and words[index - 1] == "be" and words[index - 2].endswith(("ed", "en"))
