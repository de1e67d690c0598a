"""Split news text into sentences, returned as character spans of the original text.

The standard is ``docs/conventions/segmentation.md`` (15 rules). The approach, in three layers:

1. **Units.** Lines are grouped into units before any sentence splitting. A blank line always
   ends a unit; a single line break ends one unless it is a soft wrap (next line starts in
   lowercase, the line ends with a hyphen, a comma or a title such as ``Lt.``). Headlines,
   bylines, captions and list items therefore become units of their own, and paragraphs are
   independent, which keeps every later step local and bounded.
2. **Candidates.** Within a unit, the candidate boundaries are pySBD's own boundaries plus the
   places a simple scanner finds: terminal punctuation and closers followed by whitespace
   (this also reaches inside quotations, which pySBD never splits), a period wedged
   between a lowercase word and a capitalised one (``agreement.The``), and the starts of list
   items written on one line (``1.) The first item 2.) The second item``). pySBD is only run on
   bounded, safe text: a unit longer than ``_MAX_PYSBD_CHARS`` is cut into windows at scanner
   candidates, and a window that is still too long, is dense with list items or sentence ends
   (pySBD rescans the window for each), or has the shape of pySBD's catastrophic backtracking
   (upstream issue #79: ``.[`` followed by a run of numbers) falls back to the scanner alone.
3. **Decisions.** Each candidate goes, left to right, through the convention rules
   (abbreviations, initials, credits, attributions, list markers, emoji ...). A rule answers
   yes, no, or "no opinion"; with no opinion, pySBD's verdict stands (in a fallback window,
   the scanner's). Where the convention is silent the rules follow pySBD's English Golden
   Rules (``python -m bench.golden_rules`` compares the two on pySBD's own test cases).

Offsets never come from pySBD: its strings are aligned back onto the unit, boundaries are
plain positions, and every span is a trimmed slice between two boundaries, so nothing can be
dropped or duplicated whatever pySBD returns.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterator

import pysbd

_LOCAL = threading.local()

# pySBD is quadratic in the length of what it is given; windows stay below this size.
_MAX_PYSBD_CHARS = 3000
# pySBD also rescans the whole window once per list item and once per sentence, so a window
# dense with them ("1. 2. 3. ...", "a) x. b) y. ...") takes seconds; news windows have < 10.
_MAX_PYSBD_ITEMS = 64

_TERMINALS = ".!?…۔؟"
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"
_DASHES = "-–—‐‑"
_EMOJI = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u20e3"

# The lookbehind and possessive quantifiers keep the scan linear on long runs of dots.
_CANDIDATE = re.compile(
    rf"(?<![{_TERMINALS}])[{_TERMINALS}]++[{re.escape(_CLOSERS)}]*+(?=[\s{_EMOJI}])"
)
_MISSING_SPACE = re.compile(r"(?<=[a-z]{2})\.(?=[A-Z])")
_EMOJI_RUN = re.compile(rf"(?:\s*+[{_EMOJI}]++)++")
_TRAILING_EMOJI = re.compile(rf"(?:\s*+[{_EMOJI}]++)++$")
# Shapes on which pySBD's NUMBERED_REFERENCE_REGEX backtracks catastrophically (issue #79).
_RISKY_FOR_PYSBD = re.compile(r"[.∯]\[[\d\s,\-]{8}")
# What pySBD's list scanners take for an item: "1." "12)" "a." "(b)" "iv." (a superset).
_LIST_ITEM = re.compile(r"(?<![^\s(])(?:\d{1,2}|[a-z]|[ivx]{2,5})[.)](?=[\s)])|\d{1,2}\)(?=\s)")
# pySBD is given spaces for these: its list scanner calls int() on "\s" plus digits, and int()
# refuses the information separators \x1c-\x1f that "\s" matches (a ValueError, not a split).
_WS_TO_SPACE = str.maketrans("\n\r\t\x0b\x0c\x1c\x1d\x1e\x1f", " " * 9)

_TITLES = frozenset(
    "Mr Mrs Ms Dr Prof Gen Lt Col Maj Brig Capt Sgt Sen Rep Gov Insp Hon Amb Justice "
    "Adm Cdr Supt Dy Pvt Messrs Mst Rev Fr Sr Mt".split()
)
_SOFT_WRAP_TITLE = re.compile(
    r"(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Brig|Capt|Sgt|Sen|Rep|Gov|Insp|Hon|Amb"
    r"|Justice)\.$"
)
_MONTHS = frozenset("Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())
_BEFORE_NUMBER = frozenset("No Nos Rs Art Sec Fig Vol Para Cl Ch pp p".split()) | _MONTHS
_NEVER_END = frozenset("vs v e.g i.e c viz cf approx ca incl".split())
_ENDS_IF_STARTER = frozenset("Inc Ltd Co Corp Jr Bros Ph.D B.C A.D a.m p.m".split())
_STREETS = frozenset("St Rd Ave".split())
_LABEL_NOUNS = frozenset(
    "Group Class Grade Category Plan Type Vitamin Section Team Pool Block Phase Part Annex "
    "Appendix Schedule Exhibit Row Zone Sector Level Tier Division League Option Point".split()
)
_STARTERS = frozenset(
    "The A An He She It They We I You This That These Those There Here His Her Its Their Our "
    "My But And Or However Meanwhile In On At After Before When While As If So Yet Also Then "
    "Now No Some Many Most All Both Each Every According Earlier Later Last Next "
    # pySBD's own sentence starters, and the questions they imply
    "Being Did For How Millions More What Where Who Why Which Is Are Was Were Do Does Can "
    "Will Would Should Could".split()
)
# Words that continue a time such as "5 p.m." (a day, a month, a zone): "5 p.m. Monday".
_TIME_WORDS = _MONTHS | frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Tues Wed Thu Thur Thurs "
    "Fri Sat Sun January February March April May June July August September October November "
    "December Eastern Pacific Central Mountain Local".split()
)
_ZONE_NAME = re.compile(r"\w+(?:\s+Standard)?\s+[Tt]ime\b")
# Prepositions that open a sentence with its time: "At 5 a.m. Mr. Smith went to the bank."
_TIME_LEAD_INS = frozenset("At By Until Till From Before After Around About Since On".split())
# Lowercase words after which a capital letter and a period end a clause ("in X.", "of B."),
# where after other lowercase words it is an initial ("Xbox frontman J. Allard said").
_FUNCTION_WORDS = frozenset(
    "in of to at by from with and or for on than as into onto about under over between like "
    "is was are were be been".split()
)
# Names written with "!" (pySBD's list, in part): "Yahoo! Research" is one sentence.
_BANG_NAMES = frozenset("Yahoo! Yum! Jeopardy!".split())
_SPEECH_VERBS = frozenset(
    "said says asked asks added adds told tells chanted chant shouted shout replied replies "
    "insisted warned declared noted stressed claimed explained cried wrote tweeted remarked "
    "stated argued demanded questioned continued announced responded exclaimed yelled "
    "screamed murmured whispered quipped observed admitted conceded".split()
)
_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_BULLETS = "•·▪●*⁃\\-–—"
_LIST_MARKER = re.compile(
    rf"(?:[{_BULLETS}]\s?)?\(?(?:\d{{1,3}}|[A-Za-z]|[ivxlcdm]{{1,5}})(?:\.\)|[.)])|[{_BULLETS}]"
)
# A list marker of an item written inline ("1.) The first item 2.) The second item"),
# optionally after a bullet ("• 9.", "⁃9.").
_INLINE_MARKER = re.compile(
    r"(?:(?<=\s)|^)(?P<bullet>[•⁃▪●]\s?)?(?P<label>\d{1,3}|[a-z])(?P<close>\.\)|[.)])(?=\s)"
)
# Three spaced dots, the ellipsis of style guides: ". . ." (a fourth dot is a period).
_SPACED_ELLIPSIS = re.compile(r"\.(?: \.){2}\s+")
_BRACKETED_ELLIPSIS = re.compile(rf"\[(?:\.\.\.|…)\][{re.escape(_CLOSERS)}]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) offsets of the sentences of ``text``, in order, trimmed."""
    spans: list[tuple[int, int]] = []
    for start, end in _units(text):
        unit = text[start:end]
        previous = 0
        for cut in [*_cuts(unit), len(unit)]:
            span = _trimmed(unit, previous, cut)
            if span is not None:
                spans.append((start + span[0], start + span[1]))
            previous = cut
    return spans


def _segmenter() -> pysbd.Segmenter:
    """Return this thread's pySBD segmenter; pySBD keeps per-call state on the instance."""
    segmenter = getattr(_LOCAL, "segmenter", None)
    if segmenter is None:
        segmenter = pysbd.Segmenter(language="en", clean=False)
        _LOCAL.segmenter = segmenter
    return segmenter


def _trimmed(unit: str, start: int, end: int) -> tuple[int, int] | None:
    """Shrink ``unit[start:end]`` to its non-whitespace core, or None if it has none."""
    piece = unit[start:end]
    stripped = piece.lstrip()
    if not stripped:
        return None
    first = start + len(piece) - len(stripped)
    return first, first + len(stripped.rstrip())


# --- Layer 1: units -------------------------------------------------------------------------


def _units(text: str) -> Iterator[tuple[int, int]]:
    """Yield trimmed (start, end) of line groups separated by blank lines or hard breaks."""
    start = end = -1
    previous = ""
    position = 0
    for line in text.split("\n"):
        content = line.strip()
        if not content:
            if start >= 0:
                yield start, end
            start = -1
        else:
            first = position + len(line) - len(line.lstrip())
            if start < 0 or not _is_soft_wrap(previous, content):
                if start >= 0:
                    yield start, end
                start = first
            end = first + len(content)
            previous = content
        position += len(line) + 1
    if start >= 0:
        yield start, end


def _is_soft_wrap(line: str, next_line: str) -> bool:
    """Tell whether the break between two non-blank lines is a wrap inside a sentence."""
    if next_line[0].islower() or line[-1] in ",-‐\u00ad":
        return True
    return line.endswith(".") and _SOFT_WRAP_TITLE.search(line[-10:]) is not None


# --- Layer 2: candidates and pySBD's advice -------------------------------------------------


def _cuts(unit: str) -> list[int]:
    """Return the boundary positions inside one unit, in increasing order.

    pySBD is asked only when a rule has no opinion on some candidate: most news paragraphs
    are settled by the rules alone, and pySBD is by far the slowest step.
    """
    scanned = _scanner_candidates(unit)
    items = _inline_items(unit)
    if not scanned and not items:
        return []  # no terminal mark followed by a space: one sentence, pySBD not needed
    cuts = _decided_cuts(unit, scanned | items, None, items)
    if cuts is not None:
        return cuts
    advice = _advice(unit, scanned)
    cuts = _decided_cuts(unit, scanned | items | advice, advice, items)
    assert cuts is not None
    return cuts


def _decided_cuts(
    unit: str, candidates: set[int], advice: set[int] | None, items: set[int]
) -> list[int] | None:
    """Cut at inline list items and at candidates the rules accept; where they have no
    opinion, follow `advice` (None when there is no advice yet: then give up and say so by
    returning None)."""
    cuts: list[int] = []
    last = 0
    for position in sorted(candidates):
        if position <= last or position >= len(unit):
            continue
        verdict = True if position in items else _decide(unit, last, position)
        if verdict is None:
            if advice is None:
                return None
            verdict = position in advice
        if verdict:
            cuts.append(position)
            last = position
    return cuts


def _scanner_candidates(unit: str) -> set[int]:
    """Find boundary candidates with linear-time regexes (the fallback splitter)."""
    found = {_after_emoji(unit, match.end()) for match in _CANDIDATE.finditer(unit)}
    found.update(match.end() for match in _MISSING_SPACE.finditer(unit))
    return found


def _inline_items(unit: str) -> set[int]:
    """Return where list items written on one line begin (rule 13): ``1.) The first item
    2.) The second item``, ``a. First. b. Second.``.

    Only a numbering that starts the unit counts, and only markers that continue it in the
    same style (same bullet and closing mark, next number or letter): a lone ``2.`` or
    ``b.`` inside prose is never taken for an item. Each position is the end of the text
    before the marker, so a sentence end just before an item is the same cut.
    """
    first = _INLINE_MARKER.match(unit)
    if first is None:
        return set()
    wanted = (_next_label(first["label"]), *_marker_style(first))
    starts: set[int] = set()
    for marker in _INLINE_MARKER.finditer(unit, first.end()):
        if (marker["label"], *_marker_style(marker)) == wanted:
            start = marker.start()
            while unit[start - 1].isspace():  # a marker follows whitespace, never starts unit
                start -= 1
            starts.add(start)
            wanted = (_next_label(marker["label"]), *_marker_style(marker))
    return starts


def _marker_style(marker: re.Match[str]) -> tuple[str, str]:
    """A list marker's bullet (or "") and closing mark: items of one list share them."""
    return (marker["bullet"] or "").strip(), marker["close"]


def _next_label(label: str) -> str:
    """The list label after ``label``: ``9`` -> ``10``, ``a`` -> ``b``."""
    return str(int(label) + 1) if label.isdigit() else chr(ord(label) + 1)


def _after_emoji(unit: str, position: int) -> int:
    """Move a boundary past emoji that follow the terminal mark (they belong before it)."""
    match = _EMOJI_RUN.match(unit, position)
    return match.end() if match else position


def _advice(unit: str, scanned: set[int]) -> set[int]:
    """Return pySBD's boundaries, computed only on windows that are safe to give it."""
    ordered = sorted(scanned)
    windows = _windows(len(unit), ordered)
    advice = {end for _, end in windows[:-1]}
    for start, end in windows:
        window = unit[start:end]
        if _is_safe_for_pysbd(window):
            advice.update(start + cut for cut in _pysbd_cuts(window))
        else:
            low, high = bisect.bisect_right(ordered, start), bisect.bisect_left(ordered, end)
            advice.update(ordered[low:high])
    return advice


def _is_safe_for_pysbd(window: str) -> bool:
    """Tell whether pySBD can take `window` in bounded time: short, without issue #79's shape,
    and with few list items and sentence ends (pySBD's work grows with their product)."""
    if len(window) > _MAX_PYSBD_CHARS or _RISKY_FOR_PYSBD.search(window):
        return False
    items = len(_LIST_ITEM.findall(window)) + len(_CANDIDATE.findall(window))
    return items <= _MAX_PYSBD_ITEMS


def _windows(length: int, candidates: list[int]) -> list[tuple[int, int]]:
    """Cut [0, length) at candidates into windows of at most _MAX_PYSBD_CHARS where possible."""
    windows: list[tuple[int, int]] = []
    start = 0
    while length - start > _MAX_PYSBD_CHARS:
        index = bisect.bisect_right(candidates, start + _MAX_PYSBD_CHARS) - 1
        if index < 0 or candidates[index] <= start:
            index = bisect.bisect_right(candidates, start)
            if index >= len(candidates):
                break
        windows.append((start, candidates[index]))
        start = candidates[index]
    windows.append((start, length))
    return windows


def _pysbd_cuts(window: str) -> list[int]:
    """Run pySBD on a window and align its sentences back to positions in the window."""
    segments = _segmenter().segment(window.translate(_WS_TO_SPACE))
    cuts: list[int] = []
    cursor = 0
    for segment in segments[:-1]:
        stripped = str(segment).strip()
        found = window.find(stripped, cursor) if stripped else -1
        if found < 0 or (found != cursor and not window[cursor:found].isspace()):
            break  # pySBD altered the text; the rules alone decide the rest
        cursor = found + len(stripped)
        cuts.append(_after_emoji(window, cursor))
    return cuts


# --- Layer 3: decisions ---------------------------------------------------------------------


def _decide(unit: str, last: int, position: int) -> bool | None:
    """Decide one candidate boundary: True, False, or None to defer to pySBD's advice."""
    left = unit[max(last, position - 120) : position]
    right = unit[position : position + 160].lstrip()
    if not right or not left.strip():
        return False
    if right[0].islower() or right[0] in _DASHES or right[0] in ",;:”’)]»":
        return False
    if right.startswith(("(Photo", "(photo", "(Image", "(File")):
        return False
    if position - last <= 12 and _LIST_MARKER.fullmatch(left.strip()):
        return False
    if not unit[position].isspace():
        return _is_missing_space(unit, position)
    piece = left.strip()
    if piece[-1] not in _TERMINALS + _CLOSERS and not _ends_with_emoji(piece):
        return None
    quoted = unit[last : last + 8].lstrip()[:1] in _OPENERS
    return _decide_after_terminal(piece, quoted, right)


def _ends_with_emoji(text: str) -> bool:
    """Tell whether text ends with an emoji character."""
    return _TRAILING_EMOJI.search(text) is not None


def _decide_after_terminal(piece: str, quoted: bool, right: str) -> bool | None:
    """Decide a candidate that follows terminal punctuation (and maybe closers or emoji)."""
    body = _TRAILING_EMOJI.sub("", piece)
    closers = len(body) - len(body.rstrip(_CLOSERS))
    core = body[: len(body) - closers]
    if not core or core[-1] not in _TERMINALS:
        return None
    if _BRACKETED_ELLIPSIS.search(body):
        return False  # "[...]" marks words left out, never a sentence end
    if core[-1] != "." or core.endswith(".."):
        return _decide_after_mark(quoted, core, closers, right)
    if closers:
        return not _is_bracketed_abbreviation(body)
    return _decide_after_period(core, right)


def _decide_after_mark(quoted: bool, core: str, closers: int, right: str) -> bool | None:
    """Decide after ? ! … ۔ ؟ or a run of dots: a boundary unless an attribution follows."""
    if closers and core[-1] in "?!…" and quoted and _is_attribution(right):
        return False
    if not closers and core.rsplit(None, 1)[-1].lstrip(_OPENERS) in _BANG_NAMES:
        return _first_word(right) in _STARTERS  # "Yahoo! Research" is a name, not an end
    return _starts_sentence(right)


def _starts_sentence(right: str) -> bool | None:
    """Tell whether text can begin a sentence; None when only pySBD can tell (digits, symbols)."""
    first = right.lstrip(_OPENERS)[:1]
    if not first or first.isdigit() or not first.isalpha():
        return None
    return not first.islower()


def _is_attribution(right: str) -> bool:
    """Tell whether text after a quoted ? or ! is its attribution (``Senator Hameed asked``)."""
    clause = re.split(r"[,.;:!?”\"]", right, maxsplit=1)[0]
    words = [word.strip(_OPENERS + _CLOSERS) for word in clause.split()[:4]]
    return any(word in _SPEECH_VERBS for word in words)


def _is_bracketed_abbreviation(body: str) -> bool:
    """Tell whether a period closes a one-word bracket like ``(Pvt.)``, not a sentence."""
    if body[-1] not in ")]":
        return False
    opening = max(body.rfind("("), body.rfind("["))
    return opening >= 0 and not any(ch.isspace() for ch in body[opening:])


def _decide_after_period(core: str, right: str) -> bool | None:
    """Decide after a single period: abbreviations, initials and streets, else a boundary."""
    tokens = core[-80:].split()
    dots = _spaced_dots(tokens)
    if dots and right[:1] == ".":
        return False  # inside a run of spaced dots: ". . . ."
    if dots == 3:
        return False  # an ellipsis ". . ." inside a sentence (a fourth dot would end it)
    ellipsis = _SPACED_ELLIPSIS.match(right) if not dots else None
    if ellipsis:
        return _starts_sentence(right[ellipsis.end() :])  # "compounds. . . . The practice"
    word = tokens[-1][:-1].strip(_OPENERS + _CLOSERS)
    before = tokens[-2].strip(_OPENERS) if len(tokens) > 1 else ""
    next_word = _first_word(right)
    if word in _TITLES or word in _NEVER_END:
        return False
    if word.lower() in ("a.m", "p.m") and before[:1].isdigit():
        return _ends_after_time(tokens, right, next_word)
    if word in _BEFORE_NUMBER and right[:1].isdigit():
        return False
    if word == "etc":
        return _starts_sentence(right)
    if word in _ENDS_IF_STARTER or _DOTTED_ACRONYM.fullmatch(word):
        return next_word in _STARTERS
    if len(word) == 1 and word.isupper():
        return next_word in _STARTERS or not _is_initial(before)
    if word in _STREETS:
        return next_word in _STARTERS or (before[:1].isupper() and next_word[:1].isupper())
    return _starts_sentence(right)


def _spaced_dots(tokens: list[str]) -> int:
    """Count the lone dots that end ``tokens`` (``. . .`` gives 3, ``word.`` gives 0)."""
    count = 0
    while count < len(tokens) and tokens[-1 - count] == ".":
        count += 1
    return count


def _ends_after_time(tokens: list[str], right: str, next_word: str) -> bool:
    """Decide after a time such as ``6 p.m.`` or ``6 P.M.``: a capitalised word after it
    begins a new sentence (``at 6 P.M. Travelers who``), unless it continues the time
    (``5 p.m. Monday``, ``6 a.m. PST``, ``9 p.m. Pakistan time``) or the time opened the
    sentence (``At 5 a.m. Mr. Smith went``)."""
    if next_word in _STARTERS:
        return True
    if not next_word[:1].isupper() or next_word in _TIME_WORDS or next_word.isupper():
        return False  # "(0600 GMT)", "Monday", "PST"
    if _ZONE_NAME.match(right):
        return False  # "Pakistan time", "Pakistan Standard Time"
    return not (len(tokens) <= 4 and tokens[0] in _TIME_LEAD_INS)


def _is_initial(before: str) -> bool:
    """Tell whether a capital letter with a period, preceded by ``before``, is an initial.

    ``Sergey K. Shoigu``, ``J. R. R. Tolkien`` and ``frontman J. Allard`` are initials;
    ``Group A.``, ``vitamin D.`` and ``in X.`` end a clause: the word before a letter naming
    a group is a label noun or a function word, while the word before an initial is a name,
    a title, a noun for a person, another initial or nothing.
    """
    if not before or before.endswith("."):
        return True
    return before.capitalize() not in _LABEL_NOUNS and before not in _FUNCTION_WORDS


def _first_word(text: str) -> str:
    """Return the first word of text, skipping opening quotes and brackets."""
    match = re.match(r"[\w’'-]+", text.lstrip(_OPENERS))
    return match.group() if match else ""


def _is_missing_space(unit: str, position: int) -> bool:
    """Tell whether ``word.Word`` at position is a scraping artifact hiding a boundary."""
    if not _MISSING_SPACE.match(unit, position - 1):
        return False
    left_token = unit[max(0, position - 60) : position - 1].rsplit(None, 1)[-1]
    right_token = unit[position : position + 60].split(None, 1)[0]
    word = left_token.lstrip(_OPENERS)
    if not word.isalpha() or word in _NEVER_END or word in _ENDS_IF_STARTER or word == "etc":
        return False
    return not re.search(r"[@/]|\.[A-Za-z]{2}", right_token)
