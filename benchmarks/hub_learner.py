"""A simulated learner for benchmarks/hub_load.py: the Jupyter messages a browser sends, without a browser.

A :class:`Learner` does, through the hub's proxy, what JupyterLab does when a learner opens lesson 02,
runs all its cells and moves the DotProductExplorer:

* ``GET /user/<name>/api/contents/<notebook>`` (JupyterLab reads the notebook), ``POST /api/sessions``
  (it starts the notebook's kernel), then the kernel's websocket ``/api/kernels/<id>/channels`` with the
  ``v1.kernel.websocket.jupyter.org`` subprotocol, as JupyterLab 4 negotiates it;
* ``kernel_info_request`` and the widget manager's ``comm_info_request`` on connecting;
* Run All Cells: one ``execute_request`` per code cell, all sent at once, ``stop_on_error`` as Lab does;
* for every FigureView the kernel opens, the ``{"event": "ready"}`` custom message its view sends when it
  renders (conv1x1/engine/static/figure.js): the kernel answers with the whole frame;
* a slider move is what ``model.set("value", v); model.save_changes()`` puts on the wire
  (conv1x1/engine/static/slider.js): a ``comm_msg`` with ``{"method": "update", "state": {"value": v},
  "buffer_paths": []}``. Like ipywidgets' WidgetModel, a model has at most one such message in flight: while
  one is pending, later values are merged and sent when the kernel goes idle after the pending one
  (that is how a fast drag reaches the kernel);
* an arrow key on the focused figure is the custom message ``{"event": "key", "key": "ArrowRight"}``.

A move's latency is the time from sending its message to receiving the FigureView's ``patch`` message
whose parent is that message (the kernel's reply that carries the frame). A browser adds decoding and
drawing the patches (a few ms) to that.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClosedError, websocket_connect

PROTOCOL = "v1.kernel.websocket.jupyter.org"
WIDGET_TARGET = "jupyter.widget"
EXPLORER_CELL = "DotProductExplorer("          # the cell of lesson 02 that shows the explorer
SLIDERS = ("row i", "column j", "filter f")     # its sliders, by their labels
KERNEL_TIMEOUT_S = 90       # a new kernel's websocket open and answering (20 kernels start at once on 2 cores)
KERNEL_ATTEMPTS = 3
ARROW_STEPS = {"ArrowUp": (-1, 0), "ArrowDown": (1, 0), "ArrowLeft": (0, -1), "ArrowRight": (0, 1)}


# -- the kernel websocket's v1 framing (jupyter_server's serialize_msg_to_ws_v1; @jupyterlab/services) --------
def pack(channel: str, parts: list[bytes]) -> bytes:
    """One websocket frame: the number of offsets, the offsets, the channel, then each part."""
    channel_bytes = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(channel_bytes))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + channel_bytes + b"".join(parts)


def unpack(frame: bytes) -> tuple[str, list[bytes]]:
    """The channel and the parts (header, parent header, metadata, content, buffers...) of one frame."""
    count = int.from_bytes(frame[:8], "little")
    offsets = [int.from_bytes(frame[8 * (k + 1):8 * (k + 2)], "little") for k in range(count)]
    channel = frame[offsets[0]:offsets[1]].decode()
    ends = offsets[1:] + [len(frame)]
    return channel, [frame[ends[k]:ends[k + 1]] for k in range(len(ends) - 1)]


@dataclass
class Model:
    """A widget model as the front-end keeps it: its comm, state, and the update throttle."""

    comm_id: str
    state: dict
    pending: str | None = None            # msg_id of the update in flight
    buffered: dict | None = None          # values waiting for the kernel to finish the pending update


@dataclass
class Stats:
    """What one learner measured."""

    name: str
    load_s: float = 0.0                      # notebook opened, all cells run, every figure's first frame drawn
    single_ms: list = field(default_factory=list)  # arrow-key moves: sent -> the frame's patch received
    drag_settle_ms: list = field(default_factory=list)  # a drag's last input -> its last value's frame
    frames: int = 0                          # patches received during the moves
    sent: int = 0                            # move messages sent during the moves
    patch_bytes: int = 0
    errors: list = field(default_factory=list)
    kernel_restarts: list = field(default_factory=list)   # why a kernel was restarted while opening the lesson


class Learner:
    """One learner's notebook session through the hub's proxy (see the module docstring)."""

    def __init__(self, base: str, user: str, token: str, notebook: str, seed: int):
        self.base, self.user, self.token, self.notebook = base.rstrip("/"), user, token, notebook
        self.rng = random.Random(seed)
        self.session = uuid.uuid4().hex
        self.stats = Stats(user)
        self.kernel_id: str | None = None
        self.ws = None
        self.models: dict[str, Model] = {}              # comm_id -> model
        self.waiting: dict[str, asyncio.Future] = {}     # msg_id -> future of its reply (execute, info requests)
        self.patch_for: dict[str, asyncio.Future] = {}   # msg_id -> future set when its patch arrives
        self.idle_for: dict[str, asyncio.Future] = {}    # msg_id -> future set when the kernel is idle after it
        self.opened_by: dict[str, list[str]] = {}        # execute msg_id -> comm_ids opened by that cell
        self.reader: asyncio.Task | None = None
        self.figure: Model | None = None
        self.sliders: dict[str, Model] = {}
        self.recording = False
        self.last_sent: dict[str, str] = {}               # comm_id -> msg_id of its last update sent

    # -- HTTP through the proxy ---------------------------------------------------------------------------
    async def api(self, method: str, path: str, body: Any = None) -> Any:
        request = HTTPRequest(f"{self.base}/user/{self.user}/api/{path}", method=method,
                              headers={"Authorization": f"token {self.token}"},
                              body=None if body is None else json.dumps(body), request_timeout=300)
        response = await AsyncHTTPClient().fetch(request)
        return json.loads(response.body) if response.body else None

    # -- messages -------------------------------------------------------------------------------------------
    def message(self, msg_type: str, content: dict) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": self.user,
                           "session": self.session, "date": datetime.now(timezone.utc).isoformat(),
                           "version": "5.3"},
                "parent_header": {}, "metadata": {}, "content": content}

    async def send(self, msg: dict, channel: str = "shell", buffers: tuple = ()) -> str:
        parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
        await self.ws.write_message(pack(channel, parts + list(buffers)), binary=True)
        return msg["header"]["msg_id"]

    def future(self, table: dict, msg_id: str) -> asyncio.Future:
        table[msg_id] = asyncio.get_running_loop().create_future()
        return table[msg_id]

    def comm_msg(self, model: Model, data: dict) -> tuple[dict, str]:
        """A comm message to ``model``, with the futures of its frame and of the kernel's idle after it."""
        msg = self.message("comm_msg", {"comm_id": model.comm_id, "data": data})
        msg_id = msg["header"]["msg_id"]
        self.future(self.patch_for, msg_id)
        self.future(self.idle_for, msg_id)
        return msg, msg_id

    async def comm_send(self, model: Model, data: dict) -> str:
        msg, msg_id = self.comm_msg(model, data)
        await self.send(msg)
        return msg_id

    async def read(self) -> None:
        """Receive everything the kernel sends; resolve the futures of the messages it answers."""
        while True:
            frame = await self.ws.read_message()
            now = time.perf_counter()
            if frame is None:
                return
            if isinstance(frame, str):
                raise RuntimeError(f"{self.user}: a text frame on a v1 kernel websocket: {frame[:200]}")
            channel, parts = unpack(frame)
            header, parent, _, content = (json.loads(p) for p in parts[:4])
            buffers = parts[4:]
            msg_type, parent_id = header["msg_type"], parent.get("msg_id")
            if channel == "iopub" and msg_type == "status" and content.get("execution_state") == "idle":
                done = self.idle_for.get(parent_id)
                if done and not done.done():
                    done.set_result(now)
            elif msg_type == "comm_open" and content.get("target_name") == WIDGET_TARGET:
                model = Model(content["comm_id"], content["data"].get("state", {}))
                self.models[model.comm_id] = model
                self.opened_by.setdefault(parent_id, []).append(model.comm_id)
            elif msg_type == "comm_msg":
                self.on_comm(content, buffers, parent_id, now)
            elif msg_type == "error" or (msg_type == "execute_reply" and content.get("status") == "error"):
                self.stats.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            if msg_type in ("execute_reply", "kernel_info_reply", "comm_info_reply"):
                done = self.waiting.pop(parent_id, None)
                if done and not done.done():
                    done.set_result(content)

    def on_comm(self, content: dict, buffers: list, parent_id: str | None, now: float) -> None:
        data = content.get("data", {})
        model = self.models.get(content.get("comm_id"))
        if model is None:
            return
        if data.get("method") == "update":      # the kernel changed it (an echo of our own update is ignored)
            model.state.update(data.get("state", {}))
        elif data.get("method") == "custom" and data.get("content", {}).get("kind") == "patch":
            if self.recording:
                self.stats.frames += 1
                self.stats.patch_bytes += sum(len(b) for b in buffers)
            done = self.patch_for.get(parent_id)
            if done and not done.done():
                done.set_result(now)

    async def request(self, msg_type: str, content: dict) -> dict:
        msg = self.message(msg_type, content)
        reply = self.future(self.waiting, msg["header"]["msg_id"])
        await self.send(msg)
        return await self.reread(reply)

    # -- opening and running the lesson ---------------------------------------------------------------------
    async def open(self, cells: list[str]) -> None:
        """Open the notebook as JupyterLab does, run all cells, draw every figure's first frame."""
        start = time.perf_counter()
        await self.api("GET", f"contents/{self.notebook}?content=1&type=notebook")
        for attempt in range(1, KERNEL_ATTEMPTS + 1):
            session = await self.api("POST", "sessions", {"path": self.notebook, "name": self.notebook,
                                                          "type": "notebook", "kernel": {"name": "python3"}})
            self.kernel_id = session["kernel"]["id"]
            try:
                await asyncio.wait_for(self.connect(), KERNEL_TIMEOUT_S)
                break
            except (asyncio.TimeoutError, OSError, RuntimeError, HTTPClientError, WebSocketClosedError) as err:
                # a kernel that never answers (seen: two servers' kernels given the same TCP port when many
                # start at once): restart it, as a learner would; counted, and reported with the round
                self.stats.kernel_restarts.append(f"{type(err).__name__}: {err}"[:200])
                await self.close()
                self.ws = self.reader = None
                if attempt == KERNEL_ATTEMPTS:
                    raise RuntimeError(f"{self.user}: no kernel answered in {KERNEL_ATTEMPTS} attempts: {err}")
                try:                               # the server may have dropped the session of a dead kernel
                    await self.api("DELETE", f"sessions/{session['id']}")
                except HTTPClientError as gone:
                    if gone.code != 404:
                        raise
        replies, explorer_id = [], None
        for code in cells:                      # Run All Cells: every request at once, the kernel queues them
            msg = self.message("execute_request", {"code": code, "silent": False, "store_history": True,
                                                   "user_expressions": {}, "allow_stdin": False,
                                                   "stop_on_error": True})
            replies.append(self.future(self.waiting, msg["header"]["msg_id"]))
            if EXPLORER_CELL in code:
                explorer_id = msg["header"]["msg_id"]
            await self.send(msg)
        for reply in replies:
            await asyncio.wait_for(self.reread(reply), 600)
        if explorer_id is None:
            raise RuntimeError(f"no cell of {self.notebook} shows a {EXPLORER_CELL}...)")
        # each view renders and asks for its whole frame; the explorer's figure is the one its cell opened
        figures = [m for m in self.models.values() if {"arrows", "summary", "hint"} <= set(m.state)]
        firsts = [self.patch_future(await self.comm_send(m, {"method": "custom", "content": {"event": "ready"}}))
                  for m in figures]
        await asyncio.wait_for(self.reread(asyncio.gather(*firsts)), 300)
        opened = [self.models[c] for c in self.opened_by.get(explorer_id, [])]
        self.figure = next((m for m in opened if m in figures), None)
        self.sliders = {m.state["description"]: m for m in opened if m.state.get("description") in SLIDERS}
        if self.figure is None or set(self.sliders) != set(SLIDERS):
            raise RuntimeError(f"{self.user}: the explorer's cell opened no figure or not the sliders {SLIDERS} "
                               f"(errors: {self.stats.errors})")
        self.stats.load_s = time.perf_counter() - start

    async def connect(self) -> None:
        """The kernel's websocket, as JupyterLab opens it, and the requests Lab sends on connecting."""
        ws_base = self.base.replace("http", "ws", 1)
        url = f"{ws_base}/user/{self.user}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.ws = await websocket_connect(
            HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, request_timeout=300),
            subprotocols=[PROTOCOL], max_message_size=64 << 20)
        if self.ws.selected_subprotocol != PROTOCOL:
            raise RuntimeError(f"{self.user}: the server did not accept {PROTOCOL}")
        self.reader = asyncio.create_task(self.read())
        await self.request("kernel_info_request", {})
        await self.request("comm_info_request", {"target_name": WIDGET_TARGET})

    async def reread(self, future: asyncio.Future) -> Any:
        """Await ``future``, failing at once if the websocket reader stopped."""
        done, _ = await asyncio.wait({future, self.reader}, return_when=asyncio.FIRST_COMPLETED)
        if future in done:
            return future.result()
        self.reader.result()                   # raises the reader's error, if any
        raise RuntimeError(f"{self.user}: the kernel's websocket closed")

    def patch_future(self, msg_id: str) -> asyncio.Future:
        """The future set when the frame answering ``msg_id`` (a comm message sent) arrives."""
        return self.patch_for[msg_id]

    # -- moving the explorer at a human pace -----------------------------------------------------------------
    async def update(self, model: Model, value: int) -> str | None:
        """``model.set("value", v); model.save_changes()`` with ipywidgets' throttle: the msg_id sent, or None
        when the value waits behind a pending update (sent when the kernel is idle after it)."""
        model.state["value"] = value
        if model.pending is not None:
            model.buffered = {"value": value}
            return None
        msg, msg_id = self.comm_msg(model, {"method": "update", "state": {"value": value}, "buffer_paths": []})
        model.pending = msg_id                  # before sending: an update meanwhile waits behind this one
        self.last_sent[model.comm_id] = msg_id
        self.stats.sent += 1
        asyncio.create_task(self.release(model, msg_id))
        await self.send(msg)
        return msg_id

    async def release(self, model: Model, msg_id: str) -> None:
        """When the kernel is idle after ``msg_id``: send what was buffered meanwhile (one message)."""
        try:
            await self.reread(self.idle_for[msg_id])
        except (RuntimeError, asyncio.CancelledError):
            return
        model.pending = None
        if model.buffered is not None:
            value, model.buffered = model.buffered["value"], None
            await self.update(model, value)

    async def arrow(self) -> None:
        """One arrow key: on a slider (an update) or, half the time, on the focused figure (a custom message)."""
        if self.rng.random() < 0.5:
            model = self.sliders[self.rng.choice(SLIDERS)]
            low, high, value = model.state["min"], model.state["max"], model.state["value"]
            step = self.rng.choice((-1, 1)) if low < value < high else (1 if value == low else -1)
            await self.slider_key(model, step)
        else:
            i, j = self.sliders["row i"].state["value"], self.sliders["column j"].state["value"]
            keys = [k for k, (di, dj) in ARROW_STEPS.items()
                    if 0 <= i + di <= self.sliders["row i"].state["max"]
                    and 0 <= j + dj <= self.sliders["column j"].state["max"]]
            await self.figure_key(self.rng.choice(keys))

    async def slider_key(self, model: Model, step: int) -> float | None:
        """An arrow key on a focused slider: its value moves by ``step``. The ms to its frame (recorded), or
        None when it waited behind a pending update (not a single move: not timed)."""
        start = time.perf_counter()
        msg_id = await self.update(model, model.state["value"] + step)
        return None if msg_id is None else await self.timed(msg_id, start)

    async def figure_key(self, key: str) -> float | None:
        """An arrow key on the focused figure: the kernel moves the chosen pixel. The ms to its frame."""
        i, j = self.sliders["row i"].state["value"], self.sliders["column j"].state["value"]
        di, dj = ARROW_STEPS[key]
        start = time.perf_counter()
        msg_id = await self.comm_send(self.figure, {"method": "custom", "content": {"event": "key", "key": key}})
        self.stats.sent += 1
        # the kernel moves the pixel and updates the sliders; keep ours in step at once
        self.sliders["row i"].state["value"], self.sliders["column j"].state["value"] = i + di, j + dj
        return await self.timed(msg_id, start)

    async def timed(self, msg_id: str, start: float) -> float | None:
        try:
            drawn = await asyncio.wait_for(self.reread(self.patch_future(msg_id)), 30)
        except asyncio.TimeoutError:
            self.stats.errors.append("a move got no frame within 30 s")
            return None
        ms = (drawn - start) * 1000
        self.stats.single_ms.append(ms)
        return ms

    async def drag(self, updates: int, spacing_s: float) -> None:
        """A drag across a slider and back: ``updates`` input events ``spacing_s`` apart (throttled as the
        front-end does); timed from the last input to the frame of the value it was released at."""
        model = self.sliders[self.rng.choice(SLIDERS)]
        low, high = model.state["min"], model.state["max"]
        value, direction = model.state["value"], 1 if model.state["value"] < high else -1
        for k in range(updates):
            if not low <= value + direction <= high:
                direction = -direction
            value += direction
            await self.update(model, value)
            if k < updates - 1:
                await asyncio.sleep(spacing_s)
        released = time.perf_counter()
        deadline = released + 30
        # the released value is in the last update sent, or buffered behind the pending one: wait until it is
        # sent and the kernel is done with it, then take the arrival time of that message's frame
        while model.pending is not None or model.buffered is not None:
            if time.perf_counter() > deadline:
                self.stats.errors.append("a drag's last value got no frame within 30 s")
                return
            await asyncio.sleep(0.01)
        # the frame of the last update sent; none if it carried the value the kernel had already (a drag
        # that came back to the value drawn before: the browser sends it, the kernel has nothing to draw)
        last = self.last_sent[model.comm_id]
        patch, idle = self.patch_for[last], self.idle_for[last]
        await self.reread(asyncio.ensure_future(asyncio.wait({patch, idle}, return_when=asyncio.FIRST_COMPLETED)))
        drawn = patch if patch.done() else idle
        self.stats.drag_settle_ms.append((drawn.result() - released) * 1000)

    async def move(self, until: float, *, drag_every: float = 4.0, arrow_every: float = 1.0,
                   drag_updates: int = 10, drag_spacing: float = 0.03) -> None:
        """Until ``until`` (perf_counter): a drag every ``drag_every`` s, arrow keys about every
        ``arrow_every`` s between, from a random start offset."""
        loop_start = time.perf_counter() + self.rng.uniform(0, drag_every)
        await asyncio.sleep(max(0.0, loop_start - time.perf_counter()))
        next_drag = time.perf_counter()
        while time.perf_counter() < until:
            now = time.perf_counter()
            if now >= next_drag:
                await self.drag(drag_updates, drag_spacing)
                next_drag += drag_every * self.rng.uniform(0.8, 1.2)
            else:
                await self.arrow()
            pause = arrow_every * self.rng.uniform(0.7, 1.3)
            wake = min(time.perf_counter() + pause, next_drag, until)
            await asyncio.sleep(max(0.0, wake - time.perf_counter()))

    async def close(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.reader is not None:
            self.reader.cancel()
            try:
                await self.reader
            except BaseException:           # cancelled, or the error that stopped it: it is closed either way
                pass
