"""The annotate panel as a bidirectional component (components v2; docs/architecture.md).

The browser holds the article's sentences, the annotator's labels and the scheme, and moves
on at once on a key; each answer comes back here as an event with the tab's id and sequence
number, is saved through `labelling.save_label` (once, however often it is replayed), and is
acknowledged in the panel's next `data`. Everything sent is plain JSON: the script sets article
text with `textContent`, so no article can put markup on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.resources import files
from typing import Any

import streamlit.components.v2 as components_v2

from annotator.errors import InvalidInput
from annotator.scheme import Scheme
from annotator.services.labelling import LabelInput, PanelEvent, ShownSuggestion
from annotator.services.records import ArticleInfo, LabelInfo, SentenceInfo
from annotator.ui import keys
from annotator.ui.components import context_window
from annotator.ui.date_bound import parse_as_of

KEY = "annotate_panel"  # the component's key: its values are in session state under it
ANSWERS = "answers"  # the trigger that carries the tab's unacknowledged answers
POSITION = "position"  # the state value the panel sets after each move
ACKS_KEPT = 200  # acknowledgements repeated in every `data`, newest last
# KeyboardEvent.key for the names Streamlit's button shortcuts use.
BROWSER_KEYS = {"left": "ArrowLeft", "right": "ArrowRight", "enter": "Enter", "home": "Home"}


def _asset(name: str) -> str:
    return (files("annotator.ui") / "panel_files" / name).read_text(encoding="utf-8")


MOUNT = components_v2.component(
    "claim_annotator.annotate_panel",
    js=_asset("panel.js"),
    css=_asset("panel.css"),
    isolate_styles=False,  # in the page's DOM: the page's styles and tests reach it
)


@dataclass(frozen=True)
class Answer:
    """One answer event from the panel, read and checked."""

    event: PanelEvent
    sentence_id: int
    answer: LabelInput
    seconds: float
    seen: dt.datetime | None


def _browser_key(key: str | None) -> str | None:
    return None if key is None else BROWSER_KEYS.get(key, key)


def key_map(page_keys: keys.PageKeys) -> dict[str, str | None]:
    """The panel's keys, as the browser names them."""
    return {
        "back": _browser_key(keys.BACK),
        "next": _browser_key(keys.NEXT),
        "skip": keys.SKIP,
        "date_bound": keys.DATE_BOUND,
        "accept": _browser_key(keys.ACCEPT),
        "as_of": page_keys.as_of,
        "note": page_keys.note,
        "unlabelled": _browser_key(page_keys.unlabelled),
    }


def label_json(label: LabelInfo) -> dict[str, Any]:
    """A label as the panel holds it; `updated_at` is the version a later answer saw."""
    return {
        "claim_type": label.claim_type,
        "skipped": label.skipped,
        "date_bound": label.date_bound,
        "as_of": None if label.as_of is None else label.as_of.isoformat(),
        "note": label.note,
        "updated_at": label.updated_at.isoformat(),
    }


def sentence_json(
    article: ArticleInfo,
    sentence: SentenceInfo,
    pieces: list[tuple[str, str | None]],
    date_bound: tuple[bool | None, dt.date | None],
    shown: ShownSuggestion | None,
) -> dict[str, Any]:
    """A body sentence as the panel draws it: its context window (indexes into the article's
    sentences), its text in pieces (temporal expressions with the date they resolve to), the
    date-bound suggestion and the model's suggestion."""
    window = context_window(article, sentence)
    suggests, as_of = date_bound
    return {
        "id": sentence.id,
        "window": [window[0].index, window[-1].index + 1],
        "pieces": pieces,
        "speaker": sentence.speaker or "",
        "date_bound": [suggests, None if as_of is None else as_of.isoformat()],
        "model": None if shown is None else asdict(shown),
    }


def article_json(article: ArticleInfo) -> list[dict[str, Any]]:
    """Every sentence of the article with the text between it and the one before."""
    sentences = article.sentences
    return [
        {
            "id": s.id,
            "text": s.text,
            "gap": article.text[sentences[i - 1].end : s.start] if i else "",
        }
        for i, s in enumerate(sentences)
    ]


def scheme_json(scheme: Scheme) -> dict[str, Any]:
    """The scheme's labels and keys, and which label the date-bound field applies to."""
    return {
        "types": [{"value": c.value, "label": c.label, "key": c.key} for c in scheme.claim_types],
        "date_bound_applies_to": scheme.date_bound_applies_to,
    }


def mount(
    data: dict[str, Any], on_answers: Callable[[], None], on_position: Callable[[], None]
) -> None:
    """Put the panel on the page (kept mounted across reruns by its fixed key)."""
    MOUNT(
        key=KEY,
        data=data,
        on_answers_change=on_answers,
        on_position_change=on_position,
    )


def read_answers(value: object) -> tuple[str, list[Any]]:
    """The tab id and the raw events of an `answers` trigger; InvalidInput if malformed."""
    if not isinstance(value, dict) or not isinstance(value.get("events"), list):
        raise InvalidInput("the panel sent answers in an unknown form")
    tab = value.get("tab")
    if not isinstance(tab, str):
        raise InvalidInput("the panel sent answers without its tab id")
    return tab, value["events"]


def read_answer(tab: str, raw: object) -> Answer:
    """One event of the panel, checked field by field; InvalidInput saying what is wrong."""
    if not isinstance(raw, dict):
        raise InvalidInput("an answer is not an object")
    seq, sentence_id, after = raw.get("seq"), raw.get("sentence"), raw.get("after")
    if not isinstance(seq, int) or not isinstance(sentence_id, int):
        raise InvalidInput("an answer lacks its number or its sentence")
    if after is not None and not isinstance(after, int):
        raise InvalidInput(f"answer {seq} names no earlier answer it follows")
    return Answer(
        event=PanelEvent(tab, seq, after),  # `save_label` checks it
        sentence_id=sentence_id,
        answer=_label_input(raw),
        seconds=_number(raw.get("seconds")),
        seen=_seen(raw.get("seen")),
    )


def _label_input(raw: dict[str, Any]) -> LabelInput:
    claim_type, note, as_of = raw.get("claim_type"), raw.get("note", ""), raw.get("as_of")
    if claim_type is not None and not isinstance(claim_type, str):
        raise InvalidInput("the claim type is not text")
    if not isinstance(note, str) or (as_of is not None and not isinstance(as_of, str)):
        raise InvalidInput("the note or the as-of date is not text")
    return LabelInput(
        claim_type,
        skipped=raw.get("skipped") is True,
        date_bound=raw.get("date_bound") is True,
        as_of=None if as_of is None else parse_as_of(as_of),
        note=note,
    )


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and value >= 0 else 0.0


def _seen(raw: object) -> dt.datetime | None:
    if raw is None:
        return None
    try:
        return dt.datetime.fromisoformat(str(raw))
    except ValueError:
        raise InvalidInput("the label version the panel saw is not a time") from None
