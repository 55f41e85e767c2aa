"""Drive the course notebooks in JupyterLab with headless Chromium.

One implementation shared by the browser tests (``tests/browser``) and the
browser latency benchmark (``benchmarks/browser_latency.py``):

* :class:`LabServer` starts ``jupyter lab`` on loopback with an empty token,
  on a free port, serving a temporary *copy* of ``notebooks/`` (running the
  notebooks never touches the committed ones), with its own settings and
  workspaces folders (no announcements, no update checks, no cell
  virtualisation), and stops it again;
* :func:`launch_browser` starts Debian's Chromium through Playwright (never a
  browser that Playwright downloads);
* :class:`NotebookPage` opens one notebook, runs all cells through the menu,
  waits for the kernel, collects errors, and moves the explorers' controls;
  :class:`Notebook7Page` does the same in Notebook 7's page for the notebook
  (same server, same menus and models; only the address differs);
* :func:`measure_move` times one slider move, from the key press to the move's
  patches drawn on the figure's canvas.

Nothing here needs the network.
"""

from __future__ import annotations

import contextlib

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
#: The server configuration the course installs (``etc/jupyter``): the test server reads it from the checkout.
JUPYTER_CONFIG = ROOT / "jupyter-config"

#: Debian's Chromium. Playwright is told to use it; ``playwright install`` is never needed.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Hermetic: every host name but loopback fails at once (e.g. a Binder badge), never waiting on the network.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
INSTALL_HINT = (
    "install it with `apt-get install -y chromium` (Debian; the Python package `playwright` "
    "drives it, no `playwright install` needed)"
)

#: Settings the test server gives JupyterLab, per plugin (written as user settings in a temp folder).
LAB_SETTINGS = {
    # Attach every cell: the default ("contentVisibility") skips painting cells out of view,
    # which screenshots and element checks would otherwise see as blank.
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # Offline and quiet: never ask about, fetch or check for news and updates.
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}

EXPLORER = ".conv1x1-explorer"
FIGURE = ".conv1x1-figure"
SLIDER = ".conv1x1-slider"          # conv1x1.engine.controls: a labelled <input type=range>
CHECKBOX = ".widget-checkbox"
DROPDOWN = ".conv1x1-dropdown"      # conv1x1.engine.controls: a labelled <select>
SWEEP = ".conv1x1-sweep"            # conv1x1.engine.controls.Sweep: a play/pause <button> and a labelled speed <select>
#: Anything a learner can operate inside an explorer (a slider's editable readout is part of the slider).
INTERACTIVE = "[role=slider], input, select, button, textarea"
#: The ARIA role of each kind of control.
ROLES = {"slider": "slider", "checkbox": "checkbox", "dropdown": "combobox"}

#: axe-core, the accessibility engine of the browsers' own audits, from the npm registry: scripts/test.sh
#: fetches this version (`npm pack axe-core@AXE_VERSION`, integrity checked) into AXE; CONV1X1_AXE overrides.
AXE_VERSION = "4.14.1"
AXE = ROOT / ".cache" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
#: The course's own outputs in a notebook panel (JupyterLab, Notebook 7) and in nbconvert's HTML: what
#: each cell displays, without the front end's "Out[n]:" prompt beside it (nbconvert's lab template
#: greys it to #b0b0b0, a contrast of 2.16:1: the template's, not the course's).
OUTPUT_AREAS = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell .jp-OutputArea-output"
STATIC_OUTPUT_AREAS = ".jp-Cell .jp-OutputArea-output"
#: Images without a real text alternative that axe's image-alt accepts: nbconvert's placeholder alt.
PLACEHOLDER_ALT_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .flatMap((area) => Array.from(area.querySelectorAll('img')))
  .filter((img) => /no description has been provided/i.test(img.alt || ''))
  .map((img) => img.outerHTML.slice(0, 120))"""
AXE_RUN_JS = """async (selector) => {
  const include = Array.from(document.querySelectorAll(selector));
  if (!include.length) return {areas: 0, violations: []};
  const result = await window.axe.run({include}, {resultTypes: ['violations']});
  return {
    areas: include.length,
    violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                  summary: (n.failureSummary || '').slice(0, 300)})),
    })),
  };
}"""


def find_chromium() -> str | None:
    """Path of Debian's Chromium (or of CONV1X1_CHROMIUM, when set), or None when it is not installed."""
    override = os.environ.get("CONV1X1_CHROMIUM")
    if override:
        return override if os.access(override, os.X_OK) else None
    if os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which("chromium")


def browser_required() -> bool:
    """In CI (or with CONV1X1_REQUIRE_BROWSER=1) a missing browser is a failure, not a skip."""
    return bool(os.environ.get("CI")) or os.environ.get("CONV1X1_REQUIRE_BROWSER") == "1"


def notebooks_dir() -> Path:
    """``notebooks/``, or the folder named by CONV1X1_BROWSER_NOTEBOOKS (to try other notebooks)."""
    return Path(os.environ.get("CONV1X1_BROWSER_NOTEBOOKS", NOTEBOOKS)).resolve()


def notebooks(folder: Path | None = None) -> list[Path]:
    """The course notebooks, in order."""
    return sorted(Path(folder or notebooks_dir()).glob("*.ipynb"))


def saved_explorers(path: Path) -> int:
    """How many explorers the saved notebook displays.

    An explorer's output carries both the live widget and its static figure, as HTML
    (see ``Explorer._repr_mimebundle_``); other widgets carry no figure.
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(
        1
        for cell in nb["cells"] if cell["cell_type"] == "code"
        for out in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
        and "<img" in "".join(out["data"].get("text/html", ""))
    )


def find_axe() -> Path | None:
    """axe.min.js (CONV1X1_AXE, or the copy scripts/test.sh fetched), or None when it is missing."""
    path = Path(os.environ.get("CONV1X1_AXE", AXE))
    return path if path.is_file() else None


AXE_HINT = (f"axe-core {AXE_VERSION} not found at {AXE}: `bash scripts/test.sh` fetches it with npm "
            f"(or set CONV1X1_AXE to an axe.min.js)")


def axe_audit(page, axe_source: str, selector: str = OUTPUT_AREAS) -> dict:
    """Run axe-core on the elements ``selector`` matches; ``{"areas": n, "violations": [...]}``.

    Every rule axe runs by default (WCAG 2.x A and AA and best practices), any impact. Each violation
    has ``id``, ``impact``, ``help`` and ``nodes`` (``target``, ``html``, ``summary``).
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(AXE_RUN_JS, selector)


def violation_report(violations: list[dict]) -> str:
    """Violations as lines a failing test prints: rule, impact, how many elements, the first ones."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} element(s)): {v['help']}")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['html'][:120]}")
    return "\n".join(lines)


def saved_outputs(path: Path) -> int:
    """How many outputs the saved notebook has (its cells show as many after Run All Cells)."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(len(cell.get("outputs", [])) for cell in nb["cells"] if cell["cell_type"] == "code")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _end_with_parent() -> None:
    """In the server's process, before it starts: get SIGTERM when the test process dies (Linux).

    So a test run killed half-way (Ctrl-C twice, a closed pipe, a CI timeout) leaves
    no server and no kernels behind; SIGTERM lets the server shut its kernels down.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# --------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------
class LabServer:
    """``jupyter lab`` on 127.0.0.1 serving a temporary copy of a notebooks folder.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.
    ``url`` is the base URL (no token needed), ``root`` the served copy.
    """

    def __init__(self, notebooks_dir: Path = NOTEBOOKS, *, startup_timeout: float = 90.0):
        self.source = Path(notebooks_dir)
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.url = ""

    def start(self) -> "LabServer":
        self._tmp = tempfile.TemporaryDirectory(prefix="conv1x1-lab-")
        tmp = Path(self._tmp.name)
        self.root = tmp / "notebooks"
        shutil.copytree(self.source, self.root,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        settings = tmp / "user-settings"
        for plugin, values in LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        (tmp / "workspaces").mkdir()
        (tmp / "runtime").mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser", "--allow-root",
            "--ServerApp.ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            "--ServerApp.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
            f"--ServerApp.root_dir={self.root}",
            "--ServerApp.terminals_enabled=False",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.expose_app_in_browser=True",   # window.jupyterapp: read the notebook model
            # Notebook 7 (the `notebook` package, at /tree and /notebooks/<name>), when installed, is an
            # extension of the same server: the same settings and workspaces folders, the same window.jupyterapp.
            f"--JupyterNotebookApp.user_settings_dir={settings}",
            f"--JupyterNotebookApp.workspaces_dir={tmp / 'workspaces'}",
            "--JupyterNotebookApp.expose_app_in_browser=True",
        ]
        env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), PYTHONUNBUFFERED="1")
        # the course's server configuration, as installing the course puts it in the environment's
        # etc/jupyter (pyproject.toml's data-files): conv1x1.engine.server, kernel websockets without Nagle's delay
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            p for p in (str(JUPYTER_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH", "")) if p)
        # The kernels share few cores with the browser and the server: OpenBLAS threads then spin
        # against them (lesson 05 ran 4x slower on 2 busy cores). One BLAS thread, unless told otherwise.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env.setdefault(name, "1")
        self.log_path = tmp / "server.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=env, start_new_session=True,
                                        preexec_fn=_end_with_parent)
        try:
            self._wait_until_up()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"jupyter lab did not answer within {self.startup_timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session (and its kernel), so finished notebooks stop using memory."""
        try:
            for session in self.api("GET", "/api/sessions"):
                self.api("DELETE", f"/api/sessions/{session['id']}")
        except (urllib.error.URLError, OSError):
            pass

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)   # jupyter server shuts its kernels down on SIGTERM
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self.process = None
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None
        if getattr(self, "_tmp", None) is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> "LabServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------
def launch_browser(playwright, user_data_dir: str | Path, executable: str | None = None):
    """A Playwright BrowserContext of Debian's Chromium with a fresh profile in ``user_data_dir``."""
    executable = executable or find_chromium()
    if executable is None:
        raise FileNotFoundError(f"chromium not found: {INSTALL_HINT}")
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=executable,
        headless=True,
        args=CHROMIUM_ARGS + OFFLINE_ARGS,
        viewport={"width": 1280, "height": 900},
        device_scale_factor=1,
        reduced_motion="reduce",
    )


# JavaScript run in the page. The kernel status, the cells' execution state and their
# outputs are read from JupyterLab's own models (window.jupyterapp, exposed by the test
# server): exact, and the same in every theme. Explorers are checked in the DOM, as seen.
KERNEL_STATUS_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = panel && panel.sessionContext && panel.sessionContext.session
                 && panel.sessionContext.session.kernel;
  return kernel ? kernel.status : 'none';
}"""

RUN_STATE_JS = """() => {
  const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!panel || !panel.content || !panel.sessionContext) return {ready: false};
  const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
  let pending = 0, errors = 0, cells = 0;
  for (const cell of panel.content.widgets) {
    if (cell.model.type !== 'code') continue;
    cells += 1;
    const source = cell.model.sharedModel.getSource().trim();
    const count = cell.model.executionCount;
    const queued = cell.promptNode && cell.promptNode.textContent.includes('*');   // "[*]:"
    if (queued || (source && (count === null || count === undefined))) pending += 1;
    for (let k = 0; k < cell.model.outputs.length; k++) {
      if (cell.model.outputs.get(k).type === 'error') errors += 1;
    }
  }
  return {ready: true, path: panel.context.path, status: kernel ? kernel.status : 'none', pending, errors, cells};
}"""

ERRORS_JS = """() => {
  const panel = window.jupyterapp.shell.currentWidget;
  const found = [];
  panel.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    for (let k = 0; k < cell.model.outputs.length; k++) {
      const out = cell.model.outputs.get(k).toJSON();
      if (out.output_type === 'error') {
        found.push({cell: index, kind: 'error', text: out.ename + ': ' + out.evalue + '\\n'
                    + (out.traceback || []).join('\\n')});
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        found.push({cell: index, kind: 'stderr', text: [].concat(out.text).join('')});
      }
    }
  });
  // Widgets that failed to display (the model holds no error for those).
  document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output').forEach((node) => {
    const text = node.textContent || '';
    if (/Error displaying widget|Error rendering output item/.test(text)) {
      found.push({cell: -1, kind: 'rendered', text: text.slice(0, 2000)});
    }
  });
  return found;
}"""

ANSI = re.compile(r"\x1b\[[0-9;]*m")

# Resolves with the time (ms) from the next keydown on `handle` to the moment the explorer's
# figure's canvas has drawn the move's patches (its data-frame changed); also the next painted frame.
ARM_MOVE_TIMER_JS = """([handle, figure, timeoutMs]) => {
  window.__conv1x1Move = new Promise((resolve, reject) => {
    let t0 = null;
    const before = figure.dataset.frame;
    const onKey = (event) => { t0 = event.timeStamp; };
    handle.addEventListener('keydown', onKey, {capture: true, once: true});
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error('no new figure within '
                                     + timeoutMs + ' ms')); }, timeoutMs);
    const observer = new MutationObserver(() => {
      if (figure.dataset.frame === before) return;
      observer.disconnect();
      const changed = performance.now();          // the patches are drawn on the canvas
      requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve({changed: changed - t0, loaded: changed - t0, painted: performance.now() - t0,
                 width: figure.width, height: figure.height});
      });
    });
    observer.observe(figure, {attributes: true, attributeFilter: ['data-frame']});
  });
}"""


#: Fire input events on a range slider every 8 ms, then release it; record every frame painted meanwhile and
#: for 1.5 s after, in the order the page paints them: [time, the kernel's frame number, the figure's words].
DRAG_JS = """async ([input, figure, values]) => {
  const frames = [];
  const observer = new MutationObserver(() => frames.push([performance.now(), Number(figure.dataset.frame),
                                                           figure.getAttribute('aria-label')]));
  observer.observe(figure, {attributes: true, attributeFilter: ['data-frame']});
  for (const value of values) {
    input.value = String(value);
    input.dispatchEvent(new Event('input', {bubbles: true}));
    await new Promise((resolve) => setTimeout(resolve, 8));
  }
  input.dispatchEvent(new Event('change', {bubbles: true}));
  const released = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  observer.disconnect();
  return {released, frames};
}"""


@dataclass
class Drag:
    """What a fast drag painted: ``frames`` as (ms after the release, the kernel's frame number, the figure's
    words), in the order the page painted them."""

    frames: list

    def settled(self, final: str) -> float | None:
        """ms after the release from which every frame painted shows ``final`` (a piece of the words, such
        as "filter weight w = 1.5,"), or None when the last frame painted does not show it. Read from the
        end: a value the drag passed through earlier may be painted after the release too, and that frame
        is not the released value's (the kernel draws the values it receives, in order)."""
        if not self.frames or final not in self.frames[-1][2]:
            return None
        k = len(self.frames)
        while k > 0 and final in self.frames[k - 1][2]:
            k -= 1
        return self.frames[k][0]

    def out_of_order(self) -> list:
        """Frames painted after a later one (frame numbers that do not increase): none when the page paints
        in the order the kernel sent."""
        return [(a, b) for (_, a, _), (_, b, _) in zip(self.frames, self.frames[1:]) if b <= a]


def drag(handle, figure, values: list) -> Drag:
    """Drag the range slider ``handle`` fast through ``values`` (an input event every 8 ms), release it on the
    last, and return what the explorer's ``figure`` painted (see :class:`Drag`)."""
    result = handle.page.evaluate(DRAG_JS, [handle.element_handle(), figure.element_handle(), values])
    return Drag([(t - result["released"], int(n), label or "") for t, n, label in result["frames"]])


@dataclass
class Control:
    """One control of an explorer, as the learner sees it."""

    kind: str          # "slider", "checkbox" or "dropdown"
    label: str         # the visible description
    locator: object    # the element to operate: the slider handle, the checkbox input, the <select>


class NotebookPage:
    """One notebook opened in JupyterLab in a Playwright page."""

    #: The notebook's address on the server: JupyterLab, with a fresh workspace.
    route = "/lab/tree/{name}?reset"

    def __init__(self, page, server: LabServer, name: str):
        self.page = page
        self.server = server
        self.name = name

    @property
    def url(self) -> str:
        return self.server.url + self.route.format(name=self.name)

    # -- opening and running -------------------------------------------------
    def open(self, timeout: float = 60.0) -> None:
        """Open the notebook (fresh workspace) and wait until its kernel is idle."""
        self.page.goto(self.url, wait_until="domcontentloaded")
        self.page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=timeout * 1000)
        self.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")   # the notebook at full width
        self.wait_kernel("idle", timeout)

    def wait_kernel(self, status: str = "idle", timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while (current := self.page.evaluate(KERNEL_STATUS_JS)) != status:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: kernel is {current!r}, not {status!r}, after {timeout:.0f} s")
            time.sleep(0.1)

    def run_all(self, timeout: float = 300.0) -> dict:
        """Run > Run All Cells from the menu bar; wait until every cell ran (or one failed).

        Returns the final run state (kernel status, pending cells, error outputs).
        """
        page = self.page
        # focus the notebook: a click on a prompt, beside the cells (a click on a cell could follow a link)
        page.locator(".jp-NotebookPanel .jp-InputPrompt").first.click()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
        label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$"))
        page.locator(".lm-Menu-item:not(.lm-mod-disabled)", has=label).click()
        deadline = time.monotonic() + timeout
        time.sleep(0.2)
        idle_since = stuck_since = None
        while True:
            state = page.evaluate(RUN_STATE_JS)
            if state.get("path") != self.name:
                raise RuntimeError(f"{self.name}: JupyterLab now shows {state.get('path')!r} instead")
            idle = state["status"] == "idle"
            if idle and (state["pending"] == 0 or state["errors"] > 0):
                # the kernel goes idle between cells too: require the state to hold a moment
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 0.5:
                    return state
            else:
                idle_since = None
            stuck_since = (stuck_since or time.monotonic()) if idle and state["pending"] else None
            if stuck_since and time.monotonic() - stuck_since > 10:
                raise RuntimeError(f"{self.name}: kernel idle for 10 s but {state['pending']} cells never ran "
                                   f"(did Run All Cells start?): {state}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: cells still running after {timeout:.0f} s: {state}")
            time.sleep(0.1)

    def errors(self) -> list[str]:
        """Error outputs (tracebacks), stderr text and widgets that failed to display."""
        found = self.page.evaluate(ERRORS_JS)
        return [f"cell {f['cell']} ({f['kind']}):\n{ANSI.sub('', f['text']).strip()}" for f in found]

    # -- explorers -----------------------------------------------------------
    def explorers(self):
        return self.page.locator(f".jp-OutputArea-output {EXPLORER}")

    def controls(self, explorer) -> list[Control]:
        """The explorer's sliders, checkboxes and drop-downs, in order, with their visible labels."""
        found = []
        widgets = explorer.locator(f"{SLIDER}, {CHECKBOX}, {DROPDOWN}")
        for k in range(widgets.count()):
            widget = widgets.nth(k)
            classes = widget.get_attribute("class") or ""
            if "conv1x1-slider" in classes:
                label = widget.locator("label").first.inner_text().strip()
                found.append(Control("slider", label, widget.locator("input[type=range]").first))
            elif "widget-checkbox" in classes:
                label = widget.locator(".widget-label-basic").first.inner_text().strip()
                found.append(Control("checkbox", label, widget.locator("input[type=checkbox]").first))
            else:
                label = widget.locator("label").first.inner_text().strip()
                found.append(Control("dropdown", label, widget.locator("select").first))
        return found

    @staticmethod
    def unknown_controls(explorer) -> list[str]:
        """Operable elements of the explorer that :meth:`controls` does not know (so no test moves them)."""
        return explorer.locator(INTERACTIVE).evaluate_all(f"""(nodes) => nodes
            .filter((n) => !n.closest('{SLIDER}, {CHECKBOX}, {DROPDOWN}, {SWEEP}'))
            .map((n) => n.outerHTML.slice(0, 120))""")

    @staticmethod
    def figure_src(explorer) -> str:
        """Which frame the figure shows: its canvas's frame number, changed by every drawn move."""
        return explorer.locator(FIGURE).first.get_attribute("data-frame") or ""

    @staticmethod
    def figure_alt(explorer) -> str:
        """The figure's text alternative (the canvas's aria-label)."""
        return explorer.locator(FIGURE).first.get_attribute("aria-label") or ""

    @staticmethod
    def slider_value(handle) -> float:
        """The range input's current value."""
        return float(handle.input_value())

    @classmethod
    def slider_key(cls, handle) -> str:
        """ArrowRight, or ArrowLeft when the handle is already at its maximum."""
        high = float(handle.get_attribute("max"))
        return "ArrowLeft" if cls.slider_value(handle) >= high - 1e-9 else "ArrowRight"

    def operate(self, control: Control, option: int | None = None) -> None:
        """Move a slider one step with the keyboard, click a checkbox, or choose a drop-down's ``option``."""
        if control.kind == "slider":
            control.locator.focus()
            control.locator.press(self.slider_key(control.locator))
        elif control.kind == "checkbox":
            control.locator.click()
        else:   # with the keyboard, as a learner without a mouse would: arrows step through the options
            now = control.locator.evaluate("(select) => select.selectedIndex")
            control.locator.focus()
            for _ in range(abs(option - now)):
                control.locator.press("ArrowDown" if option > now else "ArrowUp")

    @staticmethod
    def dropdown_choices(control: Control) -> list[int]:
        """A drop-down's option indices other than the selected one, starting after it."""
        count, now = control.locator.evaluate("(select) => [select.options.length, select.selectedIndex]")
        return [(now + k) % count for k in range(1, count)]

    def wait_figure_change(self, explorer, before: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while (src := self.figure_src(explorer)) == before:
            if time.monotonic() > deadline:
                raise TimeoutError("the figure did not change")
            time.sleep(0.02)
        return src

    # -- screenshots ---------------------------------------------------------
    def screenshot(self, path: Path, max_height: int = 12000) -> list[Path]:
        """The whole notebook: the window is made as tall as the notebook, then captured.

        A notebook taller than ``max_height`` pixels continues in ``<name>-2.png``,
        ``<name>-3.png``, ... Returns the files written.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        page = self.page
        size = page.viewport_size
        outer = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
        below = page.evaluate("""(selector) => {
          // how far the last cell reaches below the notebook's visible area
          const outer = document.querySelector(selector);
          const cells = outer ? outer.querySelectorAll('.jp-Cell') : [];
          if (!cells.length) return 0;
          outer.scrollTop = 0;
          const last = cells[cells.length - 1].getBoundingClientRect().bottom;
          return Math.max(0, Math.ceil(last - outer.getBoundingClientRect().bottom));
        }""", outer)
        page.set_viewport_size({"width": size["width"], "height": min(size["height"] + below + 24, max_height)})
        written = []
        try:
            for part in range(1, 100):
                page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
                target = path if part == 1 else path.with_name(f"{path.stem}-{part}{path.suffix}")
                page.screenshot(path=str(target), animations="disabled")
                written.append(target)
                scrolled = page.evaluate("""(selector) => {
                  const outer = document.querySelector(selector);
                  const cells = outer ? outer.querySelectorAll('.jp-Cell') : [];
                  if (!cells.length) return false;
                  const last = cells[cells.length - 1].getBoundingClientRect().bottom;
                  if (last <= outer.getBoundingClientRect().bottom) return false;   // all shown
                  const top = outer.scrollTop;
                  outer.scrollTop = top + outer.clientHeight - 40;   // 40 px overlap between parts
                  return outer.scrollTop > top;
                }""", outer)
                if not scrolled:
                    break
        finally:
            page.set_viewport_size(size)
        for stale in path.parent.glob(f"{path.stem}-*{path.suffix}"):   # parts of an earlier, longer run
            if stale not in written and stale.stem[len(path.stem) + 1:].isdigit():
                stale.unlink()
        return written


class Notebook7Page(NotebookPage):
    """One notebook opened in Notebook 7 (the ``notebook`` package) in a Playwright page.

    Notebook 7 is an extension of the same server (:class:`LabServer`), built from
    JupyterLab's components: the same menu bar (``#jp-MainMenu``), notebook panel,
    models and ``window.jupyterapp``, so everything above works unchanged.
    """

    route = "/notebooks/{name}"


def measure_move(page, handle, figure, key: str = "ArrowRight", timeout_ms: int = 10000) -> dict:
    """Press ``key`` on a focused slider handle; milliseconds until the new figure is drawn.

    Returns a dict: ``changed`` and ``loaded`` (the move's patches drawn on the canvas: its
    ``data-frame`` changed), ``painted`` (the next animation frame after that), all in ms from the
    keydown event's timestamp, measured by the page's clock.
    """
    page.evaluate(ARM_MOVE_TIMER_JS, [handle.element_handle(), figure.element_handle(), timeout_ms])
    handle.press(key)
    return page.evaluate("() => window.__conv1x1Move")


def explorers_of(notebook, frontend: str = "JupyterLab") -> list:
    """The explorers a ran notebook shows, checked against how many its saved outputs display.

    ``notebook`` has ``view`` (a NotebookPage), ``path``, ``name`` and ``page_errors``. For a lesson
    whose saved outputs display no explorer this checks that the live page shows none either, and
    returns an empty list (the calling test then has nothing more to operate: not a skip, a check).
    """
    found = notebook.view.explorers()
    # the saved outputs say how many explorers there must be (tests/test_notebooks_saved.py checks that
    # every saved notebook was run, so a lesson without explorers really displays none)
    expected = saved_explorers(notebook.path)
    assert found.count() == expected, (
        f"{notebook.name}: the saved notebook displays {expected} explorer(s); after Run All Cells "
        f"{frontend} shows {found.count()} (does the widget render? page errors: {notebook.page_errors})"
    )
    return [found.nth(k) for k in range(expected)]


def assert_explorer_renders(explorer, controls: list, where: str) -> None:
    """The explorer shows a slider, every control labelled and visible, a loaded figure, and no error."""
    assert any(c.kind == "slider" for c in controls), f"{where}: no slider"
    for control in controls:
        assert control.label, f"{where}: a {control.kind} without a visible label"
        assert control.locator.is_visible(), f"{where}: {control.label!r} is not visible"
    figure = explorer.locator(FIGURE)
    assert figure.is_visible(), f"{where}: the figure is not visible"
    deadline = time.monotonic() + 20
    while not figure.get_attribute("data-frame") and time.monotonic() < deadline:
        time.sleep(0.05)
    size = figure.evaluate("(c) => [c.dataset.frame, c.width, c.height, c.getAttribute('role')]")
    assert size[0] and size[1] > 100 and size[2] > 100, f"{where}: the figure was not painted: {size}"
    assert size[3] == "img", f"{where}: the figure's canvas should have role img: {size}"
    assert explorer.get_by_role("alert").count() == 0, f"{where}: {explorer.inner_text()}"


@contextlib.contextmanager
def notebook_page(page_class, browser_context, server: "LabServer", name: str, shot: Path, screenshots: list):
    """Open a page for notebook ``name`` (collecting page errors); at the end, screenshot it into
    ``shot`` (the files are added to ``screenshots``), close it and stop its kernels.

    Yields ``(view, page_errors)``. A screenshot that fails never hides the test's own failure.
    """
    page = browser_context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda err: page_errors.append(str(err)))
    view = page_class(page, server, name)
    try:
        yield view, page_errors
    finally:
        try:
            screenshots.extend(view.screenshot(shot))
        except Exception as err:
            print(f"\nno screenshot of {name}: {err}")
        finally:
            page.close()
            server.shutdown_kernels()
