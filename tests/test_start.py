"""The start route: ``scripts/lab.py`` (and its shell wrappers) as a learner meets it.

Fast tests check the launcher's decisions on their own: which Python the
environment needs on Windows and elsewhere, when a relaunch installs nothing,
when it installs or rebuilds, what JupyterLab is told to serve and open, and
that an old Python gets a message instead of a traceback. The wrappers run
under ``sh`` (dash, no arrays, as strict as macOS's bash 3.2 about them).

The slow test sets up a fresh environment for real, cuts pip off from every
package index, relaunches, and asks the JupyterLab it started for its status,
the index notebook and the solutions file. Where it cannot set up (no
network), it skips on a laptop and fails in CI.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "lab.py"


def _load_launcher():
    spec = importlib.util.spec_from_file_location("conv1x1_start_launcher", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


launcher = _load_launcher()
PYPROJECT, PYPROJECT_SHA = launcher.read_pyproject(ROOT)


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


def _cannot_run(message: str) -> None:
    """Skip on a laptop; fail in CI, where the start route must be tested."""
    if _in_ci():
        pytest.fail(f"{message} (CI is set: this test must run here)", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------
# Where things are
# --------------------------------------------------------------------------
def test_environment_python_on_windows_and_elsewhere(tmp_path):
    assert launcher.venv_python(tmp_path / ".venv", windows=True) == tmp_path / ".venv" / "Scripts" / "python.exe"
    assert launcher.venv_python(tmp_path / ".venv", windows=False) == tmp_path / ".venv" / "bin" / "python"


def test_lab_serves_the_repository_and_opens_the_index():
    command = launcher.lab_command(Path("/env/bin/python"), ROOT, ["--port", "9999"], as_root=False)
    assert command[:3] == ["/env/bin/python", "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={ROOT}" in command
    assert f"--LabApp.default_url=/lab/tree/{launcher.INDEX}" in command
    assert (ROOT / launcher.INDEX).is_file(), f"the launcher opens {launcher.INDEX}, which does not exist"
    # served from the root, the solutions the lessons point to are in the file browser
    assert (ROOT / "conv1x1" / "solutions.py").is_file()
    assert "--allow-root" not in command
    assert command[-2:] == ["--port", "9999"], "the learner's own arguments come last, so they win"
    assert "--allow-root" in launcher.lab_command(Path("python"), ROOT, [], as_root=True)


def test_windows_waits_for_jupyterlab_and_returns_its_exit_code():
    assert launcher.run([sys.executable, "-c", "import sys; sys.exit(7)"], replace=False) == 7


def test_news_prompt_is_off_by_a_setting_this_jupyterlab_knows(tmp_path):
    path = launcher.write_lab_overrides(tmp_path)
    assert path == tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "conv1x1.json"
    overrides = json.loads(path.read_text(encoding="utf-8"))
    assert overrides["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"
    # the plugin and its settings exist in the JupyterLab installed here (a renamed one would do nothing)
    schema_file = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas" / "@jupyterlab" / \
        "apputils-extension" / "notification.json"
    if not schema_file.exists():
        _cannot_run(f"JupyterLab's settings schemas are not in {schema_file.parent} (is jupyterlab installed?)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    for plugin, values in overrides.items():
        assert plugin == "@jupyterlab/apputils-extension:" + schema_file.stem
        for name, value in values.items():
            assert name in schema["properties"], f"JupyterLab has no setting {name!r} in {plugin}"
            allowed = [choice["const"] for choice in schema["properties"][name].get("oneOf", [])]
            assert not allowed or value in allowed, f"{name}={value!r}; JupyterLab accepts {allowed}"


def test_the_course_server_extension_is_enabled_in_the_environment(tmp_path):
    path = launcher.write_server_config(tmp_path)
    assert path == tmp_path / "etc" / "jupyter" / "jupyter_server_config.d" / "conv1x1.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    assert config == {"ServerApp": {"jpserver_extensions": {"conv1x1.engine.server": True}}}
    # the same file a plain `pip install .` installs (pyproject.toml's data-files)
    assert path.read_text(encoding="utf-8") == (ROOT / launcher.SERVER_CONFIG).read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# What to install
# --------------------------------------------------------------------------
def test_extras_pull_in_the_extras_they_name():
    assert launcher.extras_closure(PYPROJECT, ["lab"]) == ["lab"]
    assert launcher.extras_closure(PYPROJECT, ["test"]) == ["lab", "test"]   # test lists conv1x1[lab]
    with pytest.raises(ValueError, match="no extra 'nope'"):
        launcher.extras_closure(PYPROJECT, ["nope"])


def test_requirements_are_what_a_learner_needs():
    names = {re.match(r"[A-Za-z0-9._-]+", r).group(0) for r in launcher.requirements(PYPROJECT, ["lab"])}
    assert {"numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel"} <= names
    assert "pytest" not in names
    assert any(r.startswith("pytest") for r in launcher.requirements(PYPROJECT, ["lab", "test"]))
    assert not any(r.startswith("conv1x1") for r in launcher.requirements(PYPROJECT, ["lab", "test"]))


def test_probe_reports_versions_that_do_not_satisfy_pyproject():
    """The environment's own Python says what it lacks, versions included (here: the test environment)."""
    found = launcher.probe(Path(sys.executable), "pytest", ["pytest>=8", "pytest<1", "no-such-package-conv1x1>=1",
                                                            "pytest<1; python_version < '3'"])
    assert found is not None and found["version"][:2] == list(sys.version_info[:2])
    assert [m.split(" (")[0] for m in found["missing"]] == ["pytest<1", "no-such-package-conv1x1>=1"]
    assert found["missing"][0].startswith("pytest<1 (have ")


def test_probe_tells_a_python_that_is_gone_from_one_that_cannot_answer(tmp_path):
    """Only a Python that does not run gets its environment rebuilt (deleted); any other failure stops."""
    gone = tmp_path / "gone"
    gone.symlink_to(tmp_path / "no-such-python")          # the Python the environment linked to was removed
    assert launcher.probe(gone, "conv1x1", []) is None
    broken = tmp_path / "broken"
    broken.write_text("#!/bin/sh\nexit 3\n")
    broken.chmod(0o755)
    assert launcher.probe(broken, "conv1x1", []) is None
    confused = tmp_path / "confused"                       # runs `-c pass`, fails the probe
    confused.write_text('#!/bin/sh\n[ "$3" = pass ] && exit 0\necho "no metadata here" >&2\nexit 1\n')
    confused.chmod(0o755)
    with pytest.raises(RuntimeError, match="no metadata here"):
        launcher.probe(confused, "conv1x1", [])


def _found(root: Path, *, version=(3, 11, 7), missing=(), editable=True) -> dict:
    return {"version": list(version), "base": sys.executable, "missing": list(missing),
            "source": {"url": root.as_uri(), "dir_info": {"editable": editable}}}


def _stamp(*, sha=PYPROJECT_SHA, extras=("lab",)) -> dict:
    return {"pyproject_sha256": sha, "extras": list(extras), "python": "3.11.7"}


@pytest.mark.parametrize("case, expected", [
    ("set up before", "ok"),
    ("set up for the tests, launched for the course", "ok"),
    ("no environment yet", "create"),
    ("its Python no longer runs", "rebuild"),
    ("another Python version", "rebuild"),
    ("made before the launcher kept a record, complete", "adopt"),
    ("made before the launcher kept a record, incomplete", "install"),
    ("pyproject.toml changed", "install"),
    ("more extras asked for", "install"),
    ("a package was uninstalled", "install"),
    ("the repository moved", "install"),
    ("not a virtual environment", "refuse"),
])
def test_what_a_launch_does(tmp_path, case, expected):
    venv = tmp_path / ".venv"
    root = tmp_path / "repo"
    root.mkdir()
    version, extras, found, stamp = (3, 11, 9), ["lab"], _found(root), _stamp()
    if case != "no environment yet":
        venv.mkdir()
        if case != "not a virtual environment":
            (venv / "pyvenv.cfg").write_text("home = /usr/bin\n")
    if case == "set up for the tests, launched for the course":
        stamp = _stamp(extras=["lab", "test"])
    elif case in ("no environment yet", "its Python no longer runs", "not a virtual environment"):
        found = None
    elif case == "another Python version":
        version = (3, 12, 1)
    elif case == "made before the launcher kept a record, complete":
        stamp = None
    elif case == "made before the launcher kept a record, incomplete":
        stamp, found = None, _found(root, missing=["jupyterlab>=4.1 (have 4.0.2)"])
    elif case == "pyproject.toml changed":
        stamp = _stamp(sha="0" * 64)
    elif case == "more extras asked for":
        extras = ["lab", "test"]   # even when the probe finds nothing missing: the record decides
    elif case == "a package was uninstalled":
        found = _found(root, missing=["jupyterlab"])
    elif case == "the repository moved":
        found = _found(tmp_path / "old-place")
    action, why = launcher.plan(venv, root, extras, PYPROJECT_SHA, "conv1x1", version, found, stamp)
    assert action == expected, why
    if case == "another Python version":
        assert "3.11" in why and "3.12" in why, why


def test_old_python_gets_a_message_not_a_traceback():
    source = SCRIPT.read_text(encoding="utf-8")
    ast.parse(source, feature_version=(3, 6))   # Python 3.6 to 3.10 can read the file to reach the check
    code = ("import runpy, sys\n"
            "sys.version_info = (3, 9, 6, 'final', 0)\n"   # macOS's /usr/bin/python3
            f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "needs Python 3.11 or newer" in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------
# The shell wrappers
# --------------------------------------------------------------------------
@pytest.mark.parametrize("shell", ["sh", "bash"])
@pytest.mark.parametrize("script, args, expected", [
    ("lab.sh", [], ["scripts/lab.py"]),                       # no arguments: bash 3.2 + set -u broke here
    ("lab.sh", ["--port", "9 9"], ["scripts/lab.py", "--port", "9 9"]),
    ("setup.sh", [], ["scripts/lab.py", "--setup-only", "--extras", "test"]),
])
def test_shell_wrappers_hand_over_to_the_launcher(tmp_path, shell, script, args, expected):
    if shutil.which(shell) is None:
        _cannot_run(f"{shell} is not installed")
    fake = tmp_path / "fake-python"
    fake.write_text('#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n')
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "EXTRAS"}
    env["PYTHON"] = str(fake)
    result = subprocess.run([shell, str(ROOT / "scripts" / script), *args], capture_output=True, text=True,
                            env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == expected


# --------------------------------------------------------------------------
# A relaunch without the network (slow: one real first-time set-up)
# --------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _offline_env(tmp_path: Path) -> dict:
    """This environment with pip unable to reach any package index, and Jupyter's folders in tmp_path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "JUPYTER", "CONV1X1_"))}
    empty = tmp_path / "no-wheels"
    empty.mkdir(exist_ok=True)
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_INDEX_URL="http://127.0.0.1:9/",
               PIP_FIND_LINKS=str(empty), PIP_RETRIES="0", PIP_TIMEOUT="2",
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "jupyter-runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    return env


def _get(url: str, timeout: float = 10) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.env
def test_relaunch_offline_starts_the_course(tmp_path):
    venv = tmp_path / "venv"
    first = subprocess.run([sys.executable, str(SCRIPT), "--setup-only", "--venv", str(venv)],
                           capture_output=True, text=True, timeout=600, cwd=tmp_path)
    if first.returncode != 0:
        _cannot_run("the first set-up (which needs PyPI) failed:\n" + (first.stdout + first.stderr)[-3000:])
    stamp_before = (venv / launcher.STAMP).read_text(encoding="utf-8")

    env = _offline_env(tmp_path)
    python = launcher.venv_python(venv)
    probe = subprocess.run([str(python), "-m", "pip", "download", "--no-deps", "-d", str(tmp_path / "dl"), "six"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert probe.returncode != 0, "pip still reaches a package index: this test would not notice an install"

    port = _free_port()
    log_path = tmp_path / "lab.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--venv", str(venv), "--no-browser", "--ServerApp.ip=127.0.0.1",
             f"--port={port}", "--ServerApp.port_retries=0"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=tmp_path,
            start_new_session=True)
    try:
        shown = None   # the address JupyterLab prints for this port, once it is up
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and shown is None:
            assert server.poll() is None, f"the launcher exited with {server.returncode}:\n{log_path.read_text()}"
            shown = re.search(rf"(http://127\.0\.0\.1:{port}/\S*)[ \t]*\r?\n", log_path.read_text(errors="replace"))
            time.sleep(0.3)
        text = log_path.read_text(errors="replace")
        assert shown, f"JupyterLab did not start within 90 s:\n{text[-3000:]}"
        url = shown.group(1)
        assert re.fullmatch(rf"http://127\.0\.0\.1:{port}/lab/tree/notebooks/index\.ipynb\?token=\w+", url), \
            f"the address in the log does not open the index notebook: {url}"
        assert "nothing to install" in text, text[:2000]
        assert not re.search(r"^== (installing|updating|rebuilding|creating)", text, re.M), text[:2000]
        token = url.rsplit("=", 1)[1]
        base = f"http://127.0.0.1:{port}"

        status, body = _get(f"{base}/api/status?token={token}")
        assert status == 200 and "started" in json.loads(body)
        status, body = _get(url)   # the page the log points to, as a learner would paste it
        assert status == 200 and "JupyterLab" in body
        status, body = _get(f"{base}/api/contents/notebooks/index.ipynb?content=0&token={token}")
        assert status == 200
        status, body = _get(f"{base}/api/contents/conv1x1/solutions.py?content=0&token={token}")
        assert status == 200, "conv1x1/solutions.py is not in JupyterLab's file browser"
        status, body = _get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}")
        assert json.loads(body)["schema"]["properties"]["fetchNews"]["default"] == "false", "the news prompt is on"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=5)
    assert (venv / launcher.STAMP).read_text(encoding="utf-8") == stamp_before

    # Made before the launcher kept a record (by the old setup.sh), complete: recorded, offline.
    (venv / launcher.STAMP).unlink()
    adopt = subprocess.run([sys.executable, str(SCRIPT), "--setup-only", "--venv", str(venv)],
                           capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert adopt.returncode == 0, adopt.stdout[-2000:] + adopt.stderr[-2000:]
    assert "nothing to install" in adopt.stdout and (venv / launcher.STAMP).exists(), adopt.stdout

    # Offline with something missing: a clear message, quickly, and no record of a finished set-up.
    subprocess.run([str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "anywidget"], check=True,
                   env=env, timeout=120)
    started = time.monotonic()
    again = subprocess.run([sys.executable, str(SCRIPT), "--setup-only", "--venv", str(venv)],
                           capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path)
    assert again.returncode != 0
    assert "missing from venv: anywidget" in again.stdout, again.stdout[-2000:]
    assert "needs the network" in again.stderr, again.stdout[-2000:] + again.stderr[-2000:]
    assert not (venv / launcher.STAMP).exists()
    assert time.monotonic() - started < 120
