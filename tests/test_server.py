"""conv1x1.engine.server: the Jupyter server extension that turns Nagle's algorithm off on kernel websockets."""

from __future__ import annotations

import json
import logging
import tomllib
from pathlib import Path

import pytest

from conv1x1.engine import server

ROOT = Path(__file__).resolve().parent.parent


class Handler:
    def __init__(self):
        self.ws_connection = object()
        self.nodelay = []

    def set_nodelay(self, value):
        self.nodelay.append(value)


class Connection:
    """Stands for Jupyter Server's kernel websocket connection class."""

    def __init__(self, handler):
        self.websocket_handler = handler
        self.connected = False

    def connect(self):
        self.connected = True
        return "future"


def test_no_delay_sets_tcp_nodelay_then_connects_as_before():
    cls = server.no_delay(Connection)
    assert issubclass(cls, Connection) and cls is not Connection
    handler = Handler()
    connection = cls(handler)
    assert connection.connect() == "future"          # the base's result, unchanged (the handler awaits it)
    assert connection.connected and handler.nodelay == [True]
    assert server.no_delay(cls) is cls               # wrapped once, however often the extension loads


def test_no_delay_leaves_a_handler_without_a_websocket_alone():
    handler = Handler()
    handler.ws_connection = None
    connection = server.no_delay(Connection)(handler)
    connection.connect()
    assert connection.connected and handler.nodelay == []


class App:
    def __init__(self, settings):
        self.web_app = type("WebApp", (), {"settings": settings})()
        self.log = logging.getLogger("test-server")


def test_extension_wraps_the_configured_connection_class():
    app = App({server.SETTING: Connection})
    server._load_jupyter_server_extension(app)
    wrapped = app.web_app.settings[server.SETTING]
    assert issubclass(wrapped, Connection) and getattr(wrapped, server.NODELAY)
    server._load_jupyter_server_extension(app)
    assert app.web_app.settings[server.SETTING] is wrapped


def test_extension_without_the_setting_changes_nothing():
    app = App({})
    server._load_jupyter_server_extension(app)
    assert server.SETTING not in app.web_app.settings


def test_jupyter_servers_connection_class_is_wrapped():
    channels = pytest.importorskip("jupyter_server.services.kernels.connection.channels")
    base = channels.ZMQChannelsWebsocketConnection
    assert issubclass(server.no_delay(base), base)


def test_installing_the_course_enables_the_extension():
    config = ROOT / "jupyter-config" / "jupyter_server_config.d" / "conv1x1.json"
    assert json.loads(config.read_text())["ServerApp"]["jpserver_extensions"] == {"conv1x1.engine.server": True}
    assert server._jupyter_server_extension_points() == [{"module": "conv1x1.engine.server"}]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    shipped = pyproject["tool"]["setuptools"]["data-files"]["etc/jupyter/jupyter_server_config.d"]
    assert shipped == [str(config.relative_to(ROOT))]
