"""The course handed to a hub by its nbgitpuller link, as a learner's single-user server meets it.

One scenario, in order, in headless Chromium against a real ``jupyter lab`` with nbgitpuller
(loopback, a token, a temporary home as its root):

1. the image: the course package installed as a hub's image has it (a plain, non-editable
   ``pip install``; its folder is the server's and kernels' only ``PYTHONPATH``);
2. upstream: a bare git repository made from this checkout's files, reached by a ``file://`` URL;
3. the first click: ``/git-pull?repo=...&urlpath=...&branch=main``, the route the hub's
   ``/hub/user-redirect/git-pull`` link lands on. Its page drives the pull through nbgitpuller's
   event stream (``/git-pull/api``) and then sends the browser to ``urlpath``: the index opens;
4. lesson 01 runs there (Run All Cells), its kernel importing the installed package, not the
   pulled copy, from the pulled notebooks' folder;
5. the learner answers an exercise and saves; the teacher pushes a commit that changes lesson 02,
   lesson 01's title (far from the learner's edit) and the very line the learner edited;
6. the second click pulls again. nbgitpuller commits the learner's changes and merges upstream
   with ``git merge -Xours``: every upstream change arrives except, in a hunk both changed, the
   upstream side, which is dropped for the learner's. No conflict, nothing for the learner to do.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from tools import lab
import pytest

from teach_support import ROOT, install_package, installed_env

from conv1x1.teach import clone_dir, pull_link

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLONE = "conv1x1"             # nbgitpuller clones into the repository URL's last part
INDEX = f"{CLONE}/notebooks/index.ipynb"
LESSON = f"{CLONE}/notebooks/01-one-channel.ipynb"
LEARNER_ANSWER = "answer = image * 3.0  # my answer"
TEACHER_ANSWER_LINE = "answer = ...  # your code here (the teacher's new wording)"

#: Run code in the open notebook's kernel; resolves with its printed text (and any error).
KERNEL_RUN_JS = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  let text = '';
  const future = kernel.requestExecute({code, store_history: false});
  future.onIOPub = (msg) => {
    if (msg.header.msg_type === 'stream') text += msg.content.text;
    if (msg.header.msg_type === 'error') text += msg.content.ename + ': ' + msg.content.evalue;
  };
  await future.done;
  return text;
}"""


def _unavailable(message: str) -> None:
    if lab.browser_required():
        pytest.fail(f"{message} (CI or CONV1X1_REQUIRE_BROWSER=1 is set: this test must run here)", pytrace=False)
    pytest.skip(message)


def git(cwd: Path, *args: str) -> str:
    who = ["-c", "user.name=Teacher", "-c", "user.email=teacher@example.edu"]
    return subprocess.run(["git", *who, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


#: What is not the course, when the files cannot be listed by git.
NOT_COURSE = {".git", ".venv", ".cache", "test-artifacts", "build", "dist", "__pycache__", ".ipynb_checkpoints",
              ".pytest_cache", ".hypothesis"}


def course_files(root: Path) -> list[str]:
    """This checkout's files as git tracks them (their working-tree content is what upstream gets).

    Where git cannot list them (no checkout, or one git deems owned by someone else), every file
    outside :data:`NOT_COURSE` and ``*.egg-info``.
    """
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, text=True)
    if listed.returncode == 0:
        return [name for name in listed.stdout.split("\0") if name and (root / name).is_file()]
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in NOT_COURSE and not d.endswith(".egg-info")]
        files += [str(Path(folder, n).relative_to(root)) for n in names
                  if not n.endswith(".pyc") and n not in NOT_COURSE]
    return files


class SingleUserServer:
    """``jupyter lab`` as a hub starts it for one learner: a token, a home folder as its root, nbgitpuller."""

    def __init__(self, home: Path, env: dict[str, str], scratch: Path):
        self.home, self.token, self.port = home, secrets.token_hex(16), lab.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = scratch / "user-settings"
        for plugin, values in lab.LAB_SETTINGS.items():
            path = settings / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values), encoding="utf-8")
        (scratch / "runtime").mkdir()
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
               "--ServerApp.ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", "--ServerApp.password=",
               f"--ServerApp.root_dir={home}", "--ServerApp.terminals_enabled=False",
               "--ServerApp.jpserver_extensions=nbgitpuller=True",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={scratch / 'runtime'}",
               "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.expose_app_in_browser=True"]
        self.log_path = scratch / "server.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=dict(env, JUPYTER_RUNTIME_DIR=str(scratch / "runtime")),
                                        start_new_session=True, cwd=home)

    def get(self, path: str) -> tuple[int, bytes]:
        request = urllib.request.Request(f"{self.url}{path}", headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, b""

    def wait_until_up(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"jupyter lab exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.get("/api/status")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        pytest.fail(f"jupyter lab did not answer within {timeout:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        status, body = self.get("/api/sessions")
        for session in json.loads(body or b"[]") if status == 200 else []:
            request = urllib.request.Request(f"{self.url}/api/sessions/{session['id']}", method="DELETE",
                                             headers={"Authorization": f"token {self.token}"})
            urllib.request.urlopen(request, timeout=10).close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        self._log.close()


def pull_url(server: SingleUserServer, repo: str) -> str:
    """The course's own link (:func:`conv1x1.teach.pull_link`) as it reaches the learner's server: the hub's
    ``/hub/user-redirect`` part is the hub's to resolve, and this server wants its token."""
    link = pull_link(server.url, repo=repo)
    hub_part = f"{server.url}/hub/user-redirect/git-pull?"
    assert link.startswith(hub_part), link
    return f"{server.url}/git-pull?{link[len(hub_part):]}&token={server.token}"


def retitle(path: Path) -> str:
    """Add " (updated)" to the notebook's title line, in the file's own text; returns the new line as saved."""
    text = path.read_text(encoding="utf-8")
    title = next(line for cell in json.loads(text)["cells"] if cell["cell_type"] == "markdown"
                 for line in cell["source"] if line.startswith("# "))
    stem = title.rstrip("\n")
    old, new = (json.dumps(t, ensure_ascii=False)[1:-1] for t in (title, stem + " (updated)" + title[len(stem):]))
    assert text.count(old) >= 1, f"{path.name}: title {old!r} not found in the file's text"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return new


def click_link(context, server: SingleUserServer, repo: str) -> object:
    """Open the pull link in a new page; wait for nbgitpuller's redirect to the index, opened in JupyterLab."""
    page = context.new_page()
    page.goto(pull_url(server, repo), wait_until="domcontentloaded")
    try:
        page.wait_for_url(f"**/lab/tree/{INDEX}*", timeout=180_000)
    except Exception:
        status = page.locator("#status-panel-title").inner_text() if page.locator("#status-panel-title").count() else ""
        pytest.fail(f"nbgitpuller did not open the index: {status!r} at {page.url}\n{server.log_tail()}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120_000)
    return page


def test_the_link_pulls_the_course_runs_a_lesson_and_keeps_the_learners_work(browser_context, tmp_path):
    try:
        import nbgitpuller  # noqa: F401
    except ImportError:
        _unavailable("nbgitpuller is not installed: pip install -e '.[test]'")
    if shutil.which("git") is None:
        _unavailable("git is not installed (Debian: apt-get install -y git)")

    # 1. the hub's image: the package, installed (not editable), the only thing on PYTHONPATH
    site = install_package(ROOT, tmp_path / "image-site")
    # 2. upstream: a bare repository with this checkout's files on main, and the teacher's clone
    teacher = tmp_path / "teacher"
    for name in course_files(ROOT):
        (teacher / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, teacher / name)
    git(teacher, "init", "-q", "-b", "main")
    git(teacher, "add", "-A")
    git(teacher, "commit", "-q", "-m", "the course")
    upstream = tmp_path / "upstream" / CLONE
    upstream.parent.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    git(teacher, "push", "-q", str(upstream), "main")
    repo = upstream.as_uri()
    assert clone_dir(repo) == CLONE         # where the link's urlpath says the index is

    home = tmp_path / "home"
    home.mkdir()
    server = SingleUserServer(home, installed_env(site), Path(tempfile.mkdtemp(prefix="conv1x1-hub-", dir=tmp_path)))
    try:
        server.wait_until_up()
        assert server.get("/git-pull/static/dist/bundle.js")[0] == 200, (
            f"nbgitpuller's route is not served:\n{server.log_tail()}")

        # 3. the first click clones the course and opens the index
        page = click_link(browser_context, server, repo)
        assert (home / CLONE / ".git").is_dir() and (home / LESSON).is_file()
        try:
            page.wait_for_selector(".jp-NotebookPanel .jp-RenderedMarkdown a[href*='01-one-channel']",
                                   state="attached", timeout=60_000)
        except Exception:
            pytest.fail("the index opened without its link to lesson 01")
        page.close()

        # 4. lesson 01 runs where the hub put it, with the installed package
        page = browser_context.new_page()
        view = lab.NotebookPage(page, server, LESSON)
        view.open(timeout=120)
        state = view.run_all(timeout=300)
        assert state["errors"] == 0 and state["pending"] == 0 and view.errors() == [], (
            f"lesson 01 in the pulled course: {state}\n" + "\n\n".join(view.errors()))
        where = page.evaluate(KERNEL_RUN_JS, "import conv1x1, os\nprint(conv1x1.__file__)\nprint(os.getcwd())")
        module, cwd = where.strip().splitlines()
        assert Path(module).is_relative_to(site), f"the lesson imported {module}, not the image's package in {site}"
        assert Path(cwd) == home / CLONE / "notebooks"

        # 5. the learner answers the first exercise and saves; the teacher changes three places upstream
        exercise = page.evaluate("""(answer) => {
          const panel = window.jupyterapp.shell.currentWidget;
          const cells = panel.content.widgets;
          const index = cells.findIndex((c) => c.model.type === 'code'
                                        && c.model.sharedModel.getSource().startsWith('answer = ...'));
          const source = cells[index].model.sharedModel.getSource();
          cells[index].model.sharedModel.setSource(source.replace('answer = ...  # your code here', answer));
          return index;
        }""", LEARNER_ANSWER)
        assert exercise > 0
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
        deadline = time.monotonic() + 20
        while LEARNER_ANSWER not in (home / LESSON).read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert LEARNER_ANSWER in (home / LESSON).read_text(encoding="utf-8"), "the learner's edit was not saved"
        page.close()
        server.shutdown_kernels()

        lesson01 = teacher / "notebooks" / "01-one-channel.ipynb"
        lesson02 = teacher / "notebooks" / "02-many-channels.ipynb"
        titles = {path: retitle(path) for path in (lesson01, lesson02)}
        # and the very line the learner changed, in the first exercise: both sides changed it
        text01 = lesson01.read_text(encoding="utf-8")
        assert "answer = ...  # your code here" in text01
        lesson01.write_text(text01.replace("answer = ...  # your code here", TEACHER_ANSWER_LINE, 1), encoding="utf-8")
        git(teacher, "commit", "-q", "-am", "lesson 01 and 02: new titles; new wording in lesson 01's first exercise")
        git(teacher, "push", "-q", str(upstream), "main")

        # 6. the second click: pulled again, no conflict, the learner's answer kept
        click_link(browser_context, server, repo).close()
        clone = home / CLONE
        pulled01 = (clone / "notebooks" / "01-one-channel.ipynb").read_text(encoding="utf-8")
        pulled02 = (clone / "notebooks" / "02-many-channels.ipynb").read_text(encoding="utf-8")
        json.loads(pulled01)       # still a notebook
        assert LEARNER_ANSWER in pulled01, "the learner's answer was lost"
        assert titles[lesson01] in pulled01, "upstream's new title for lesson 01 did not arrive"
        assert titles[lesson02] in pulled02, "upstream's change to lesson 02 did not arrive"
        assert TEACHER_ANSWER_LINE not in pulled01, "-Xours: where both changed a line, the learner's side wins"
        assert "<<<<<<<" not in pulled01 and git(clone, "status", "--porcelain") == ""
        log = git(clone, "log", "--first-parent", "--format=%an: %s", "-2").splitlines()
        assert log[0].startswith("nbgitpuller: Merge") and log[1] == "nbgitpuller: Automatic commit by nbgitpuller", log
        assert git(clone, "rev-parse", "origin/main") == git(teacher, "rev-parse", "HEAD")
    finally:
        server.shutdown_kernels()
        server.stop()
