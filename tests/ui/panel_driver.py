"""Driving the annotate panel in AppTest as its script would: read the `data` the page gave
it, and send answers (the `answers` trigger, with the move that follows them) or a move (the
`position` state). AppTest has no element class for components v2, so these build the
widget states the browser would send (the ids Streamlit derives from the component's id)."""

from __future__ import annotations

import json
from typing import Any

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.testing.v1 import AppTest


def panel(at: AppTest) -> Any:
    (element,) = at.get("bidi_component")
    return element.proto


def data(at: AppTest) -> dict[str, Any]:
    """What the page gave the panel on its last run."""
    return dict(json.loads(panel(at).json))


def position(at: AppTest) -> int:
    """Where the panel stands: where the page placed it, or where answers moved it since."""
    given = data(at)
    moved = getattr(at, "_panel_at", None)
    if moved is None or moved[0] != given["article"] or moved[2] != given["jump"]:
        return int(given["position"])
    return int(moved[1])


def current(at: AppTest) -> dict[str, Any]:
    """The body sentence the panel stands on."""
    return dict(data(at)["body"][position(at)])


def _stand(at: AppTest, where: int) -> None:
    """Remember where the panel stands (nothing once the page shows no panel: signed out)."""
    if not at.get("bidi_component"):
        return
    given = data(at)
    at._panel_at = (given["article"], where, given["jump"])  # type: ignore[attr-defined]


def _run_with(at: AppTest, state: WidgetState) -> AppTest:
    states = WidgetStates()
    states.widgets.extend(w for w in at._tree.get_widget_states().widgets if w.id != state.id)
    states.widgets.append(state)
    return at._run(states)


def send(at: AppTest, events: list[dict[str, Any]], where: int | None = None) -> AppTest:
    """Send the panel's `answers` trigger carrying `events` from this AppTest's own tab (each
    browser tab numbers its answers) and the position the panel moved to, and run."""
    tab = f"apptest-{id(at):x}"
    trigger = WidgetState(id=_make_trigger_id(panel(at).id, "events"))
    value: dict[str, Any] = {"tab": tab, "events": events}
    if where is not None:
        value["position"] = {"article": data(at)["article"], "position": where, "at": where}
    trigger.json_trigger_value = json.dumps([{"event": "answers", "value": value}])
    at = _run_with(at, trigger)
    if where is not None:
        _stand(at, where)
    return at


def answer(
    at: AppTest,
    claim_type: str | None,
    *,
    sentence: int | None = None,
    skipped: bool = False,
    date_bound: bool = False,
    as_of: str | None = None,
    note: str = "",
) -> AppTest:
    """Answer the sentence the panel stands on (or `sentence`, staying put), numbered after
    the answers sent before from this AppTest, and move on as the panel does: to the next
    unlabelled sentence after it, else the summary."""
    sentence_id = sentence if sentence is not None else current(at)["id"]
    given = data(at)
    saved = given["labels"].get(str(sentence_id))
    seq = getattr(at, "_panel_seq", 0) + 1
    at._panel_seq = seq  # type: ignore[attr-defined]
    event = {
        "seq": seq,
        "sentence": sentence_id,
        "claim_type": claim_type,
        "skipped": skipped,
        "date_bound": date_bound,
        "as_of": as_of,
        "note": note,
        "seconds": 1.0,
        "seen": saved["updated_at"] if saved else None,
        "after": None,
    }
    body, labelled = given["body"], {*given["labels"], str(sentence_id)}
    here = position(at)
    later = (i for i in range(here + 1, len(body)) if str(body[i]["id"]) not in labelled)
    return send(at, [event], here if sentence is not None else next(later, len(body)))


def go_to(at: AppTest, where: int) -> AppTest:
    """Move the panel as its keys do (`←`, `→`, `U`): it tells the page where it stands."""
    return move(at, where)


def move(at: AppTest, where: int) -> AppTest:
    """Tell the page that the panel stands at `where` (the summary: past the last)."""
    state = WidgetState(id=panel(at).id)
    value = {"article": data(at)["article"], "position": where, "at": where}
    state.json_value = json.dumps({"position": value})
    at = _run_with(at, state)
    _stand(at, where)
    return at


def acks(at: AppTest) -> dict[str, dict[str, str]]:
    return dict(data(at)["acks"])


def progress(at: AppTest) -> str:
    """The panel's progress line, as its script writes it from the same data."""
    given = data(at)
    body, labels = given["body"], given["labels"]
    done = sum(1 for s in body if str(s["id"]) in labels)
    total = given["work_total"]
    overall = f" · {given['done_overall']:,} of {total:,} overall" if total else ""
    at_sentence = min(position(at) + 1, len(body))
    return (
        f"Sentence {at_sentence} of {len(body)} · {done} of {len(body)} labelled in this "
        f"article{overall}"
    )


def buttons(at: AppTest) -> list[str]:
    """The names of the panel's label buttons, in order."""
    return [t["label"] for t in data(at)["scheme"]["types"]]
