"""An annotator without a browser: a client of the app server's own websocket protocol (the
protobuf `BackMsg` / `ForwardMsg` messages Streamlit's frontend sends and receives), for the
load benchmark of many annotators at once on a 2-core machine.

It does what the annotate panel's JavaScript does for a label key, and nothing it draws: it
logs in through the login form's widgets, reads the panel's `data` from the component element
the server sends, sends each answer as the panel does (the `answers` trigger, with this tab's
id and sequence number, in a rerun of the panel's fragment), and times key → the panel data
that acknowledges it. Chromium spends about 120 ms of CPU drawing each acknowledged answer on
this machine (measured with one to five tabs: bench/RESULTS.md, "Annotate panel"), so 50
browsers answering every 2 s need three cores for drawing alone; an annotator's own computer
would do that drawing, not the server's.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

TYPES = ("factual", "opinion", "not_claim")


@dataclass
class Panel:
    """What the server last sent the annotate panel, and where its fragment is."""

    element_id: str = ""
    fragment_id: str = ""
    data: dict[str, Any] = field(default_factory=dict)


class StreamClient:
    """One browser tab's websocket session with the app server at `address`."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.socket: Any = None
        self.page_hash = ""
        self.inputs: dict[str, str] = {}  # widget label -> id (text inputs)
        self.buttons: dict[str, str] = {}  # button label -> id
        self.panel = Panel()
        self.cache: dict[str, ForwardMsg] = {}
        self.finished = asyncio.Event()
        self.panel_changed = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None
        self.tab = str(uuid.uuid4())
        self.seq = 0

    async def connect(self) -> None:
        """Open the session with the browser cookie the app's middleware hands out."""
        import websockets

        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        await asyncio.to_thread(opener.open, self.address + "/")
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        url = self.address.replace("http://", "ws://") + "/_stcore/stream"
        self.socket = await websockets.connect(
            url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": cookie, "Origin": self.address},
            max_size=None,
        )
        self.reader = asyncio.create_task(self._read())
        await self.rerun([])

    async def log_in(self, name: str, password: str) -> None:
        """Fill in the login form and submit it; wait for the annotate panel."""
        states = [
            WidgetState(id=self.inputs["User name"], string_value=name),
            WidgetState(id=self.inputs["Password"], string_value=password),
            WidgetState(id=self.buttons["Log in"], trigger_value=True),
        ]
        await self.rerun(states)
        await asyncio.wait_for(self._panel_ready(), timeout=120)

    async def _panel_ready(self) -> None:
        while not self.panel.data.get("body"):
            await self._next_panel()

    async def _next_panel(self) -> None:
        """Wait for the next panel data; fail at once if the connection is gone."""
        self.panel_changed.clear()
        changed = asyncio.ensure_future(self.panel_changed.wait())
        assert self.reader is not None
        done, _ = await asyncio.wait({changed, self.reader}, timeout=120,
                                     return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        if changed not in done:
            changed.cancel()
            raise RuntimeError("the server sent no panel data (connection lost or timed out)")

    async def rerun(self, states: list[WidgetState]) -> None:
        """Ask for a run of the page with these widget states; wait until it finished."""
        self.finished.clear()
        await self._send(states, "")
        await asyncio.wait_for(self.finished.wait(), timeout=120)

    async def _send(self, states: list[WidgetState], fragment: str) -> None:
        message = BackMsg()
        client = message.rerun_script
        client.page_script_hash = self.page_hash
        client.fragment_id = fragment
        client.widget_states.widgets.extend(states)
        await self.socket.send(message.SerializeToString())

    async def label(self, index: int) -> float:
        """Answer the sentence on screen as the panel does for key `1`, `2` or `3` in turn;
        milliseconds until the panel data acknowledges the answer."""
        body = self.panel.data["body"]
        position = self.panel.data["position"]
        if position >= len(body):
            raise RuntimeError("the article has no sentence left to answer")
        sentence = body[position]["id"]
        self.seq += 1
        seq = str(self.seq)
        event = {"claim_type": TYPES[index % 3], "skipped": False, "date_bound": False,
                 "as_of": None, "note": "", "seq": self.seq, "sentence": sentence,
                 "seconds": 2.0, "seen": None, "after": None}  # fmt: skip
        where = {"article": self.panel.data["article"], "position": position + 1,
                 "at": int(time.time() * 1000)}  # fmt: skip
        value = {"tab": self.tab, "events": [event], "position": where}
        # As the frontend does: every widget's state goes with a run, the component's own
        # state (where the panel stands) with the trigger that carries the answer.
        own = self.panel.element_id
        states = [
            WidgetState(id=own, json_value=json.dumps({"position": where})),
            WidgetState(id=_make_trigger_id(own, "events"),
                        json_trigger_value=json.dumps([{"event": "answers", "value": value}])),
        ]  # fmt: skip
        started = time.perf_counter()
        await self._send(states, self.panel.fragment_id)
        while seq not in self.panel.data.get("acks", {}):
            await self._next_panel()
        acknowledged = (time.perf_counter() - started) * 1000
        ack = self.panel.data["acks"][seq]
        if ack.get("state") != "saved" or ack.get("tab") != self.tab:
            raise RuntimeError(f"answer {seq} was not saved: {ack}")
        return acknowledged

    async def close(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.socket is not None:
            await self.socket.close()

    async def _read(self) -> None:
        async for raw in self.socket:
            message = ForwardMsg()
            message.ParseFromString(raw)
            if message.WhichOneof("type") == "ref_hash":
                message = self.cache[message.ref_hash]
            elif message.metadata.cacheable:
                self.cache[message.hash] = message
            self._take(message)

    def _take(self, message: ForwardMsg) -> None:
        kind = message.WhichOneof("type")
        if kind == "new_session":
            self.page_hash = message.new_session.page_script_hash
        elif kind == "script_finished":
            self.finished.set()
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self._element(message.delta.new_element, message.delta.fragment_id)

    def _element(self, element: Any, fragment: str) -> None:
        kind = element.WhichOneof("type")
        if kind == "text_input":
            self.inputs[element.text_input.label] = element.text_input.id
        elif kind == "button":
            self.buttons[element.button.label] = element.button.id
        elif kind == "bidi_component":
            component = element.bidi_component
            self.panel = Panel(component.id, fragment, json.loads(component.json or "{}"))
            self.panel_changed.set()
