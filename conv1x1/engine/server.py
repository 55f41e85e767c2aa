"""A Jupyter server extension: the kernel's messages reach the browser without Nagle's 40 ms wait.

An explorer's move is a burst of small websocket messages from the server to the browser: the kernel's
"busy" status, the slider's echo, then (some milliseconds later, once the frame is drawn) the frame's
patches and "idle". Jupyter Server leaves Nagle's algorithm on for the kernel's websocket, so every
write after the first waits until the browser acknowledges the first, and browsers delay that
acknowledgement (Linux: 40 ms) while they have nothing to send. On loopback a move's frame arrived
20-45 ms after the kernel had sent it (benchmarks/browser_latency.py: key -> frame median 58 ms; with
no delay 33 ms). Tornado's own advice for websockets whose latency matters is ``set_nodelay(True)``
once the connection is open; this extension does that for every kernel websocket of the server
(whatever connection class it uses), and changes nothing else.

Enabled by ``etc/jupyter/jupyter_server_config.d/conv1x1.json`` of the environment (the file in
``jupyter-config/`` of the repository): a plain ``pip install .`` (Binder) installs it, ``scripts/lab.py``
writes it into ``.venv``. An editable ``pip install -e .`` does not install it; there
``jupyter server extension enable conv1x1.engine.server`` does (then restart Jupyter). Without it the course
works the same, only slower to answer a move.
"""

from __future__ import annotations

from typing import Any

__all__ = ["NODELAY", "no_delay"]

#: The setting of Jupyter Server's web application that names the kernel websocket connection class.
SETTING = "kernel_websocket_connection_class"
#: Marks a connection class this extension made (so loading it twice wraps once).
NODELAY = "_conv1x1_nodelay"


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    return [{"module": "conv1x1.engine.server"}]


def no_delay(base: type) -> type:
    """A subclass of the kernel websocket connection class ``base`` that turns Nagle's algorithm off
    on its websocket as it connects (``base`` itself if it already does)."""
    if getattr(base, NODELAY, False):
        return base

    def connect(self):
        handler = getattr(self, "websocket_handler", None)
        if handler is not None and getattr(handler, "ws_connection", None) is not None:
            handler.set_nodelay(True)
        return base.connect(self)

    return type(f"NoDelay{base.__name__}", (base,), {
        "connect": connect, NODELAY: True, "__module__": __name__,
        "__doc__": f"{base.__module__}.{base.__name__} with TCP_NODELAY on its websocket."})


def _load_jupyter_server_extension(serverapp: Any) -> None:
    settings = serverapp.web_app.settings
    base = settings.get(SETTING) or getattr(serverapp, SETTING, None)
    if base is None:                    # a Jupyter Server without the setting (before 2.0): leave it as it is
        serverapp.log.info("conv1x1: no kernel websocket connection class to set TCP_NODELAY on")
        return
    settings[SETTING] = no_delay(base)
    serverapp.log.info("conv1x1: kernel websockets send without Nagle's delay (TCP_NODELAY)")
