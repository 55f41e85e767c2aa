"""A throwaway JupyterHub for benchmarks/hub_load.py: started in a temporary directory, loopback only, and
gone without a trace when the ``with`` block ends (servers stopped, users deleted, processes killed).

The hub runs ``jupyterhub`` from this Python's environment with its configurable-http-proxy, the
``dummy`` authenticator and the ``simple`` local-process spawner (servers run as the current user, with
their home directories in the temporary directory: no system users). The benchmark talks to it through
a service token (``HUB_SERVICE``) allowed to manage users and servers and to use the servers.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest

HUB_SERVICE = "hub-load"
#: The course's server configuration (conv1x1.engine.server: kernel websockets without Nagle's delay), which an
#: installed course has in etc/jupyter; the hub's editable install does not, so every learner's server reads it here.
JUPYTER_CONFIG = Path(__file__).resolve().parent.parent / "jupyter-config"
CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{tmp}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.concurrent_spawn_limit = 0
c.JupyterHub.active_server_limit = 0
c.JupyterHub.services = [{{"name": "{service}", "api_token": "{token}"}}]
c.JupyterHub.load_roles = [{{"name": "{service}", "services": ["{service}"],
                             "scopes": ["admin:users", "admin:servers", "access:servers"]}}]
c.SimpleLocalProcessSpawner.home_dir_template = "{tmp}/home/{{username}}"
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 300
c.Spawner.http_timeout = 300
c.Spawner.environment = {{"MPLCONFIGDIR": "{tmp}/matplotlib", "JUPYTER_CONFIG_PATH": "{config_path}"}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Hub:
    """``with Hub(notebook) as hub``: a running JupyterHub; ``hub.url`` is its proxy's address."""

    def __init__(self, notebook: Path, verbose: bool = False, lab_settings: dict | None = None):
        self.notebook, self.verbose, self.lab_settings = notebook, verbose, lab_settings
        self.token = uuid.uuid4().hex
        self.proc: subprocess.Popen | None = None
        self.seen: dict[int, float] = {}          # pid -> create_time of every process of the hub seen
        self.users: set[str] = set()
        self.tmp = Path(tempfile.mkdtemp(prefix="conv1x1-hub-"))
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------------------------------------
    def __enter__(self) -> "Hub":
        previous = signal.getsignal(signal.SIGTERM)
        if previous in (signal.SIG_DFL, None):   # a plain `kill`: clean up as on Ctrl-C
            signal.signal(signal.SIGTERM, _interrupt)
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        bindir = Path(sys.executable).parent
        port, hub_port, api_port = free_port(), free_port(), free_port()
        args = ["--allow-root"] if os.geteuid() == 0 else []
        if self.lab_settings is not None:         # a real JupyterLab page will open (the calibration)
            settings = self.tmp / "lab-settings"
            for plugin, values in self.lab_settings.items():
                path = settings / f"{plugin}.jupyterlab-settings"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(values), encoding="utf-8")
            args += [f"--LabApp.user_settings_dir={settings}", "--LabApp.news_url=None",
                     "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                     "--LabApp.expose_app_in_browser=True"]     # window.jupyterapp, read by tools/lab.py
        (self.tmp / "home").mkdir()
        (self.tmp / "matplotlib").mkdir()
        # matplotlib's font cache, built once here rather than by every learner's first kernel
        env = {**os.environ, "MPLCONFIGDIR": str(self.tmp / "matplotlib")}
        subprocess.run([sys.executable, "-c", "import matplotlib.pyplot"], env=env, check=True)
        config = self.tmp / "jupyterhub_config.py"
        config.write_text(CONFIG.format(port=port, hub_port=hub_port, proxy_api_port=api_port, tmp=self.tmp,
                                        proxy=shutil.which("configurable-http-proxy"), service=HUB_SERVICE,
                                        token=self.token, singleuser=str(bindir / "jupyterhub-singleuser"),
                                        args=args, config_path=JUPYTER_CONFIG))
        env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
        self.log = open(self.tmp / "jupyterhub.log", "wb")
        self.proc = subprocess.Popen([str(bindir / "jupyterhub"), "-f", str(config)], cwd=self.tmp, env=env,
                                     stdin=subprocess.DEVNULL, stdout=None if self.verbose else self.log,
                                     stderr=subprocess.STDOUT if not self.verbose else None,
                                     start_new_session=True)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            self.track()
            try:
                self.call("GET", "/hub/api/")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the hub did not start (exit code {self.proc.poll()}):\n{self.log_tail()}")
            time.sleep(0.3)

    def stop(self) -> None:
        """Stop the servers, delete the users, stop the hub, kill what is left, remove the directory."""
        if self.proc is not None and self.proc.poll() is None:
            self.track()
            for user in sorted(self.users):
                try:
                    self.call("DELETE", f"/hub/api/users/{user}/server", timeout=30)
                except (urllib.error.URLError, OSError):
                    pass
            for user in sorted(self.users):
                self.wait_stopped_sync(user)
                try:
                    self.call("DELETE", f"/hub/api/users/{user}", timeout=30)
                    self.users.discard(user)
                except (urllib.error.URLError, OSError):
                    pass
            self.track()
            self.proc.send_signal(signal.SIGTERM)     # the hub stops its proxy (and any server still up)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.kill_leftovers()
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def kill_leftovers(self) -> None:
        """Kill every process of the hub still running: those seen as its descendants, and any other that
        names or runs in its temporary directory (a kernel whose server exited without stopping it)."""
        alive, names = [], []
        tmp = str(self.tmp)
        for proc in psutil.process_iter(["pid", "cmdline", "cwd", "create_time"]):
            info = proc.info
            if proc.pid == os.getpid() or info["create_time"] is None:
                continue
            if tmp in " ".join(info["cmdline"] or ()) or (info["cwd"] or "").startswith(tmp):
                self.seen.setdefault(proc.pid, info["create_time"])
        for pid, created in self.seen.items():
            try:
                proc = psutil.Process(pid)
                if proc.create_time() == created:     # the same process, not a new one with its pid
                    names.append(" ".join(proc.cmdline()[:3])[:80])
                    proc.terminate()
                    alive.append(proc)
            except psutil.Error:
                pass
        _, still = psutil.wait_procs(alive, timeout=10)
        for proc in still:
            try:
                proc.kill()
            except psutil.Error:
                pass
        if alive:
            print(f"(stopped {len(alive)} process(es) the hub left behind: {names})", file=sys.stderr)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join((self.tmp / "jupyterhub.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- REST API ------------------------------------------------------------------------------------------------
    def call(self, method: str, path: str, body=None, timeout: float = 10):
        """A blocking hub API call (for start and cleanup, outside the event loop)."""
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
        return json.loads(text) if text else None

    def wait_stopped_sync(self, user: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                model = self.call("GET", f"/hub/api/users/{user}")
            except (urllib.error.URLError, OSError):
                return
            if not model.get("servers"):
                return
            time.sleep(0.3)

    async def api(self, method: str, path: str, body=None, ok=(200, 201, 202, 204)):
        request = HTTPRequest(self.url + "/hub/api" + path, method=method,
                              headers={"Authorization": f"token {self.token}"},
                              body=None if body is None else json.dumps(body),
                              allow_nonstandard_methods=True, request_timeout=300)
        try:
            response = await AsyncHTTPClient().fetch(request, raise_error=False)
        except HTTPClientError as err:
            raise RuntimeError(f"{method} {path}: {err}") from err
        if response.code not in ok:
            raise RuntimeError(f"{method} {path}: HTTP {response.code} {response.body[:300]!r}\n{self.log_tail()}")
        return json.loads(response.body) if response.body else None

    async def add_users(self, users: list[str]) -> None:
        new = [u for u in users if u not in self.users]
        if new:
            await self.api("POST", "/users", {"usernames": new})
            self.users.update(new)
        for user in users:                        # the spawner's home directory, with the lesson in it
            home = self.tmp / "home" / user
            home.mkdir(parents=True, exist_ok=True)
            shutil.copy(self.notebook, home / self.notebook.name)

    async def start_server(self, user: str, timeout: float = 600) -> None:
        await self.api("POST", f"/users/{user}/server")
        deadline = time.monotonic() + timeout
        while True:
            model = await self.api("GET", f"/users/{user}")
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if time.monotonic() > deadline or (server is None and model.get("pending") is None):
                raise RuntimeError(f"{user}'s server did not start:\n{self.log_tail()}")
            await asyncio.sleep(0.5)

    async def stop_server(self, user: str, timeout: float = 120) -> None:
        self.track()                              # its kernels, before the server goes and they lose their parent
        await self.api("DELETE", f"/users/{user}/server")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = await self.api("GET", f"/users/{user}")
            if not model.get("servers"):
                return
            await asyncio.sleep(0.3)
        raise RuntimeError(f"{user}'s server did not stop:\n{self.log_tail()}")

    # -- processes -----------------------------------------------------------------------------------------------
    def track(self) -> list[psutil.Process]:
        """Every process of the hub now (the hub, its proxy, servers, kernels), remembered for the cleanup."""
        if self.proc is None:
            return []
        try:
            root = psutil.Process(self.proc.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
        for proc in procs:
            try:
                self.seen.setdefault(proc.pid, proc.create_time())
            except psutil.Error:
                pass
        return procs

    def processes(self, kernels: dict[str, str]) -> dict:
        """The hub's processes by role: ``hub``, ``proxy``, ``servers`` {user: proc}, ``kernels`` {user: proc}
        (``kernels`` maps each user to the id of the kernel whose process is wanted)."""
        found = {"hub": None, "proxy": None, "servers": {}, "kernels": {}, "other": []}
        by_id = {kid: user for user, kid in kernels.items()}
        for proc in self.track():
            try:
                cmdline = " ".join(proc.cmdline())
                if proc.pid == self.proc.pid:
                    found["hub"] = proc
                elif "configurable-http-proxy" in cmdline:
                    found["proxy"] = proc
                elif "jupyterhub-singleuser" in cmdline:
                    found["servers"][proc.environ().get("JUPYTERHUB_USER", f"pid {proc.pid}")] = proc
                elif any(f"kernel-{kid}.json" in cmdline for kid in by_id):
                    kid = next(k for k in by_id if f"kernel-{k}.json" in cmdline)
                    found["kernels"][by_id[kid]] = proc
                else:
                    found["other"].append(proc)
            except psutil.Error:
                pass
        return found


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")
