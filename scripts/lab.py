#!/usr/bin/env python3
r"""Set up the course's Python environment and open the course in JupyterLab.

    python3 scripts/lab.py        # macOS and Linux
    py scripts\lab.py             # Windows

The first start creates a virtual environment in ``.venv`` (with the Python
that runs this script), installs the course package and JupyterLab into it,
and records what it installed in ``.venv/conv1x1-setup.json``. Later starts
install nothing, and need no network, unless something changed: another
``pyproject.toml``, another Python version (``.venv`` is then rebuilt), a
package gone missing or too old for ``pyproject.toml``, the repository moved,
or more extras asked for. An environment made before this launcher (by the old
``scripts/setup.sh``) that has everything is recorded as it is, offline too.
Then JupyterLab serves the repository (so ``conv1x1/solutions.py`` is in its
file browser, as on Binder) and opens ``notebooks/index.ipynb``.

Options (anything else goes to ``jupyter lab``, e.g. ``--no-browser --port 8890``):

    --setup-only     set up ``.venv`` and stop (``scripts/test.sh`` uses this)
    --extras NAMES   extras of ``pyproject.toml`` to install, comma-separated (default: lab)
    --rebuild        delete ``.venv`` and make it again
    --venv PATH      use another folder than ``.venv``

Standard library only; runs on Windows, macOS and Linux.
"""

import sys

MIN_PYTHON = (3, 11)

if sys.version_info < MIN_PYTHON:   # kept free of newer syntax, so that old Pythons get here and say it
    _windows = sys.platform.startswith("win")
    sys.stderr.write(
        "conv1x1 needs Python {0}.{1} or newer; this is Python {2} ({3}).\n"
        "Install a newer one (python.org{4}), then run this script with it, e.g.\n"
        "    {5}\n".format(
            MIN_PYTHON[0], MIN_PYTHON[1], sys.version.split()[0], sys.executable,
            "" if _windows else ", or your package manager",
            "py -3.12 scripts\\lab.py" if _windows else "python3.12 scripts/lab.py"))
    if __name__ == "__main__":
        sys.exit(1)
    raise ImportError("scripts/lab.py needs Python {0}.{1} or newer".format(*MIN_PYTHON))

import argparse  # noqa: E402  (after the version check, on purpose)
import hashlib  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tomllib  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlparse  # noqa: E402
from urllib.request import url2pathname  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
PACKAGE = "conv1x1"
#: What a relaunch compares with, written into the environment after a successful install.
STAMP = "conv1x1-setup.json"
#: The page JupyterLab opens (and prints in its log), relative to the repository root it serves.
INDEX = "notebooks/index.ipynb"
#: Defaults for JupyterLab's settings in this environment only (a learner can still change them in
#: Settings): never ask about, nor fetch, Jupyter news, nor check for updates; the course works offline.
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}

# Run by the environment's own Python: which Python it is, which requirements it does not
# satisfy (versions are compared with the `packaging` that pip vendors, when it is there), and
# where the course package is installed from (an editable install records the folder).
_PROBE = r"""
import json, re, sys
missing, source = [], None
try:
    import importlib.metadata as md
except ImportError:   # Python < 3.8: its version alone decides (a rebuild)
    md = None
    missing.append("(Python too old to inspect)")
package, requirements = json.loads(sys.argv[1])
try:
    from pip._vendor.packaging.requirements import Requirement
except Exception:
    Requirement = None
for text in ([package] + requirements) if md else []:
    try:
        if Requirement is not None:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate():
                continue
            have = md.version(req.name)
            if req.specifier and not req.specifier.contains(have, prereleases=True):
                missing.append(text + " (have " + have + ")")
        else:
            md.distribution(re.match(r"\s*([A-Za-z0-9._-]+)", text).group(1))
    except md.PackageNotFoundError:
        missing.append(text)
    except Exception as err:   # unreadable: install again rather than guess
        missing.append(text + " (" + type(err).__name__ + ")")
try:
    source = json.loads(md.distribution(package).read_text("direct_url.json") or "null")
except Exception:
    pass
print(json.dumps({"version": list(sys.version_info[:3]),
                  "base": getattr(sys, "_base_executable", sys.executable),
                  "missing": missing, "source": source}))
"""


def say(message: str) -> None:
    print(f"== {message}", flush=True)


# --------------------------------------------------------------------------
# What to install
# --------------------------------------------------------------------------
def read_pyproject(root: Path = ROOT) -> tuple[dict, str]:
    """``pyproject.toml`` parsed, and the SHA-256 of its bytes."""
    data = (root / "pyproject.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8")), hashlib.sha256(data).hexdigest()


def _self_extras(requirement: str, package: str) -> list[str] | None:
    """``["lab"]`` for ``conv1x1[lab]`` (the package naming its own extras), else None."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*\[([^\]]*)\]", requirement)
    if match and _canonical(match.group(1)) == _canonical(package):
        return [extra.strip() for extra in match.group(2).split(",") if extra.strip()]
    return None


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def extras_closure(pyproject: dict, requested: list[str]) -> list[str]:
    """The requested extras and every extra they pull in (``test`` lists ``conv1x1[lab]``).

    Raises ValueError naming an extra that ``pyproject.toml`` does not declare.
    """
    project = pyproject["project"]
    declared = project.get("optional-dependencies", {})
    found: list[str] = []
    todo = list(requested)
    while todo:
        extra = todo.pop()
        if extra in found:
            continue
        if extra not in declared:
            raise ValueError(f"pyproject.toml has no extra {extra!r}; it has: {', '.join(sorted(declared))}")
        found.append(extra)
        for requirement in declared[extra]:
            todo.extend(_self_extras(requirement, project["name"]) or [])
    return sorted(found)


def requirements(pyproject: dict, extras: list[str]) -> list[str]:
    """What the package and these extras require (PEP 508 strings), less the package naming itself."""
    project = pyproject["project"]
    declared = project.get("optional-dependencies", {})
    found: list[str] = []
    for requirement in [*project.get("dependencies", []), *(r for e in extras for r in declared[e])]:
        if _self_extras(requirement, project["name"]) is None and requirement not in found:
            found.append(requirement)
    return found


# --------------------------------------------------------------------------
# The environment
# --------------------------------------------------------------------------
def venv_python(venv: Path, windows: bool | None = None) -> Path:
    """The environment's interpreter: ``Scripts\\python.exe`` on Windows, ``bin/python`` elsewhere."""
    if windows is None:
        windows = os.name == "nt"
    return venv / "Scripts" / "python.exe" if windows else venv / "bin" / "python"


def read_stamp(venv: Path) -> dict | None:
    try:
        return json.loads((venv / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(venv: Path, stamp: dict) -> None:
    path = venv / STAMP
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(stamp, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def probe(python: Path, package: str, required: list[str]) -> dict | None:
    """Ask the environment's Python what it is and which of ``package`` and ``required`` it lacks.

    Returns ``{"version", "base", "missing", "source"}``, or None if that Python does not run
    (then the environment is rebuilt). Raises RuntimeError when it runs but cannot answer: that
    is no reason to delete an environment.
    """
    command = [str(python), "-I", "-c", _PROBE, json.dumps([package, required])]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if result.returncode == 0:
            return json.loads(result.stdout.strip().splitlines()[-1])
    except OSError:   # missing, or a link to a Python that is gone
        return None
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{python} did not answer within 120 s")
    except (ValueError, IndexError):
        raise RuntimeError(f"{python} answered {result.stdout[-500:]!r}")
    try:
        runs = subprocess.run([str(python), "-I", "-c", "pass"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        runs = False
    if not runs:
        return None
    raise RuntimeError(f"{python} runs but could not list its packages:\n{result.stderr.strip()[-1500:]}")


def _same_file(a: str | Path, b: str | Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _editable_from(source: dict | None, root: Path) -> bool:
    """Whether the install record says: editable, from the folder ``root``."""
    if not source or not source.get("dir_info", {}).get("editable"):
        return False
    url = source.get("url", "")
    if not url.startswith("file:"):
        return False
    parsed = urlparse(url)
    path = url2pathname(parsed.path if not parsed.netloc else f"//{parsed.netloc}{parsed.path}")
    return _same_file(path, root)


def plan(venv: Path, root: Path, extras: list[str], pyproject_sha: str, package: str,
         python_version: tuple[int, ...], found: dict | None, stamp: dict | None) -> tuple[str, str]:
    """What to do with the environment, and why: ``"ok"``, ``"adopt"`` (complete, but made before
    the launcher kept a record: record it), ``"install"``, ``"create"``, ``"rebuild"`` or ``"refuse"``.

    ``found`` is what :func:`probe` said (None: no working Python there), ``stamp``
    what the last successful set-up recorded, ``python_version`` the version of
    the Python this script runs with (which builds the environment).
    """
    want = ".".join(map(str, python_version[:2]))
    if not venv.exists():
        return "create", f"no {venv.name} yet"
    if found is None:
        if not (venv / "pyvenv.cfg").exists():
            return "refuse", f"{venv} exists but is not a virtual environment (no pyvenv.cfg)"
        return "rebuild", f"the Python in {venv.name} does not run (was its Python removed or upgraded?)"
    have = ".".join(map(str, found["version"][:2]))
    if have != want:
        return "rebuild", f"{venv.name} has Python {have} but this is Python {want}"
    if found["missing"]:
        return "install", f"missing from {venv.name}: {', '.join(found['missing'])}"
    if not _editable_from(found.get("source"), root):
        return "install", f"{package} in {venv.name} is not an editable install of {root}"
    if not stamp:
        # everything required is there, in versions that satisfy pyproject.toml: an environment made
        # before this launcher (by scripts/setup.sh) starts offline too, and is recorded from now on
        return "adopt", f"{venv.name} has what pyproject.toml asks for, from an earlier set-up"
    if stamp.get("pyproject_sha256") != pyproject_sha:
        return "install", "pyproject.toml changed since the last set-up"
    if not set(extras) <= set(stamp.get("extras", [])):
        return "install", f"extras {', '.join(sorted(set(extras) - set(stamp.get('extras', []))))} not installed yet"
    return "ok", "up to date"


def _remove_venv(venv: Path) -> None:
    if not (venv / "pyvenv.cfg").exists():
        raise SystemExit(f"!! {venv} is not a virtual environment (no pyvenv.cfg); move it away and run again.")
    try:
        shutil.rmtree(venv)
    except OSError as err:
        raise SystemExit(f"!! could not delete {venv} ({err}); stop any JupyterLab running from it and run again.")


def create_venv(venv: Path) -> None:
    say(f"creating {venv.name} with Python {sys.version.split()[0]} ({sys.executable})")
    result = subprocess.run([sys.executable, "-m", "venv", str(venv)])
    if result.returncode != 0 or not venv_python(venv).exists():
        if venv.exists() and (venv / "pyvenv.cfg").exists():
            shutil.rmtree(venv, ignore_errors=True)   # half made: the next run starts clean
        hint = ""
        if sys.platform.startswith("linux"):
            v = f"{sys.version_info[0]}.{sys.version_info[1]}"
            hint = f"\n   On Debian or Ubuntu, install it with: sudo apt-get install python3-venv (or python{v}-venv)"
        raise SystemExit(f"!! could not create {venv} with {sys.executable}: its venv module or ensurepip "
                         f"is missing or broken.{hint}")


def pip_install(python: Path, root: Path, extras: list[str], upgrade_pip: bool) -> None:
    pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
    target = f".[{','.join(extras)}]" if extras else "."
    failed = None
    if upgrade_pip:
        say("upgrading pip in the new environment")
        if subprocess.run(pip + ["--quiet", "--upgrade", "pip"], cwd=root).returncode != 0:
            failed = "pip install --upgrade pip"
    if failed is None:
        say(f"installing {PACKAGE}{target[1:]} (editable) and what it needs "
            "(quietly; the first time takes a few minutes)")
        if subprocess.run(pip + ["--quiet", "-e", target], cwd=root).returncode != 0:
            failed = f"pip install -e {target}"
    if failed:
        raise SystemExit(
            f"!! `{failed}` failed (see above). Setting up needs the network (PyPI) the first time, and again "
            f"when pyproject.toml or the Python version changes; once set up, the course starts offline.")


def setup(venv: Path = VENV, root: Path = ROOT, extras: list[str] | None = None, rebuild: bool = False) -> Path:
    """Make ``venv`` hold the course package (editable) with ``extras``; install only what changed.

    Returns the environment's Python. Exits with a message when it cannot.
    """
    pyproject, sha = read_pyproject(root)
    try:
        extras = extras_closure(pyproject, ["lab"] if extras is None else extras)
    except ValueError as err:
        raise SystemExit(f"!! {err}")
    package, required = pyproject["project"]["name"], requirements(pyproject, extras)
    python = venv_python(venv)
    try:
        found = probe(python, package, required) if python.exists() else None
    except OSError:   # e.g. no permission to look into the environment's Python
        found = None
    except RuntimeError as err:
        raise SystemExit(f"!! could not inspect {venv}: {err}\n   Add --rebuild to make it again.")
    stamp = read_stamp(venv)
    if rebuild and venv.exists():
        action, why = "rebuild", "--rebuild was given"
    else:
        action, why = plan(venv, root, extras, sha, package, tuple(sys.version_info), found, stamp)
    if action == "refuse":
        raise SystemExit(f"!! {why}; move it away and run again.")
    if action in ("ok", "adopt"):
        if not _same_file(found["base"], sys._base_executable):
            say(f"{venv.name} was made with {found['base']}, not {sys.executable} (both Python "
                f"{'.'.join(map(str, found['version'][:2]))}); keeping it. Add --rebuild to remake it with this one.")
        if action == "adopt":
            say(f"recording {venv.name}: {why}")
            _record(venv, root, sha, extras, found)
        say(f"{venv.name} is up to date ({', '.join(extras)}): nothing to install")
        return python
    if action == "rebuild":
        say(f"rebuilding {venv.name}: {why}")
        _remove_venv(venv)
    if action in ("create", "rebuild"):
        create_venv(venv)
    else:
        say(f"updating {venv.name}: {why}")
    (venv / STAMP).unlink(missing_ok=True)   # no record while installing: an interrupted install is redone
    pip_install(python, root, extras, upgrade_pip=action in ("create", "rebuild"))
    try:
        found = probe(python, package, required)
    except RuntimeError as err:
        found = {"missing": [str(err)]}
    if found is None or found["missing"]:
        raise SystemExit(f"!! after installing, {venv.name} still lacks: "
                         f"{', '.join(found['missing']) if found else 'a working Python'}")
    _record(venv, root, sha, extras, found)
    say(f"{venv.name} is ready ({', '.join(extras)})")
    return python


def _record(venv: Path, root: Path, sha: str, extras: list[str], found: dict) -> None:
    write_stamp(venv, {
        "pyproject_sha256": sha,
        "python": ".".join(map(str, found["version"])),
        "extras": extras,
        "root": str(root),
    })


# --------------------------------------------------------------------------
# JupyterLab
# --------------------------------------------------------------------------
def write_lab_overrides(venv: Path) -> Path:
    """Write :data:`LAB_OVERRIDES` as this environment's JupyterLab setting defaults (``overrides.d``)."""
    path = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / f"{PACKAGE}.json"
    text = json.dumps(LAB_OVERRIDES, indent=2) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


#: The course's Jupyter Server configuration (enables conv1x1.engine.server: kernel websockets without Nagle's
#: delay). A plain ``pip install .`` puts it in the environment (pyproject.toml's data-files); an
#: editable install does not, so the launcher writes it there, as it writes the lab overrides.
SERVER_CONFIG = Path("jupyter-config") / "jupyter_server_config.d" / f"{PACKAGE}.json"


def write_server_config(venv: Path, root: Path = ROOT) -> Path:
    """Copy :data:`SERVER_CONFIG` from ``root`` into this environment's ``etc/jupyter`` (where its Jupyter
    Server reads it)."""
    path = venv / "etc" / "jupyter" / "jupyter_server_config.d" / f"{PACKAGE}.json"
    text = (root / SERVER_CONFIG).read_text(encoding="utf-8")
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(python: Path, root: Path, args: list[str], as_root: bool | None = None) -> list[str]:
    """``jupyter lab`` serving ``root`` and opening :data:`INDEX`; the learner's ``args`` come last (and win)."""
    if as_root is None:
        as_root = running_as_root()
    command = [
        str(python), "-m", "jupyterlab",
        f"--ServerApp.root_dir={root}",
        # Where the browser opens, and the address printed in the log (with its token): the index.
        f"--LabApp.default_url=/lab/tree/{INDEX}",
    ]
    if as_root:
        command.append("--allow-root")   # JupyterLab refuses to run as root otherwise
    return command + list(args)


def run(command: list[str], replace: bool | None = None) -> int:
    """Hand over to ``command``: replace this process (POSIX), or wait for it and return its exit code
    (Windows, where os.execv starts a new process and ends this one: the shell's prompt would come
    back while JupyterLab still writes to the console)."""
    if replace is None:
        replace = os.name != "nt"
    sys.stdout.flush()
    if replace:
        os.execv(command[0], command)
    process = subprocess.Popen(command)
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:   # Ctrl-C reaches JupyterLab too, which shuts down by itself
            continue


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/lab.py", allow_abbrev=False,
        description="Set up .venv (only what is missing or changed) and open the course in JupyterLab. "
                    "Other arguments go to `jupyter lab`.")
    parser.add_argument("--setup-only", action="store_true", help="set up the environment and stop")
    parser.add_argument("--extras", default="lab",
                        help="extras of pyproject.toml to install, comma-separated (default: lab)")
    parser.add_argument("--rebuild", action="store_true", help="delete the environment and make it again")
    parser.add_argument("--venv", type=Path, default=VENV, help="the environment's folder (default: .venv)")
    options, lab_args = parser.parse_known_args(argv)
    extras = [extra.strip() for extra in options.extras.split(",") if extra.strip()]
    venv = options.venv.resolve()
    if not options.setup_only:
        try:
            has_lab = "lab" in extras_closure(read_pyproject(ROOT)[0], extras)
        except ValueError as err:
            raise SystemExit(f"!! {err}")
        if not has_lab:
            raise SystemExit("!! JupyterLab comes with the extra 'lab': add it to --extras, or use --setup-only.")
    python = setup(venv, ROOT, extras, rebuild=options.rebuild)
    if options.setup_only:
        return 0
    write_lab_overrides(venv)
    write_server_config(venv)
    say(f"starting JupyterLab at {INDEX} (stop it with Ctrl-C)")
    return run(lab_command(python, ROOT, lab_args))


if __name__ == "__main__":
    sys.exit(main())
