"""For teachers: one link that hands the course to a class's JupyterHub, and a handout without answers.

Three things, each a function and a command (``python -m conv1x1.teach --help``):

* :func:`pull_link` (``link HUB_URL``): the `nbgitpuller <https://nbgitpuller.readthedocs.io>`_
  link that clones (first click) or updates (later clicks) the course in a learner's home on
  the hub and opens its index in JupyterLab. nbgitpuller keeps a learner's own edits: see
  ``tests/browser/test_hub_pull.py`` for what exactly a re-pull keeps and merges.
* :func:`handout` (``handout DEST``): a copy of the course without its reference solutions,
  as a new git repository for the teacher to push and link to: ``conv1x1/solutions.py`` is
  replaced by a module that says they are withheld, the lessons' links to it by words that
  say so; the checks, which never use the solutions, give the same feedback.
* :func:`solutions_withheld`: the switch ``CONV1X1_SOLUTIONS=withheld`` (set in a hub's
  environment) makes ``import conv1x1.solutions`` fail with a message saying so, for a hub
  whose image installed the whole package.

>>> pull_link("https://hub.example.edu")
'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fconv1x1%2Fconv1x1&urlpath=lab%2Ftree%2Fconv1x1%2Fnotebooks%2Findex.ipynb&branch=main'
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path
from typing import Any, Sequence

from .compute.validate import short_repr

__all__ = [
    "BRANCH",
    "HANDOUT_PATHS",
    "REPOSITORY",
    "SOLUTIONS_VARIABLE",
    "WITHHELD_BY_SWITCH",
    "WITHHELD_IN_HANDOUT",
    "clone_dir",
    "handout",
    "lesson_file",
    "main",
    "pull_link",
    "solutions_withheld",
    "withhold_in_notebook",
]

#: The course's public repository and branch: what a link clones unless told otherwise.
REPOSITORY = "https://github.com/conv1x1/conv1x1"
BRANCH = "main"
#: The notebook a link opens unless a lesson is named.
INDEX = "index.ipynb"

#: The environment variable that withholds the reference solutions of an installed package.
SOLUTIONS_VARIABLE = "CONV1X1_SOLUTIONS"
_SWITCH_VALUES = ("withheld", "shown")

WITHHELD_BY_SWITCH = (
    f"The reference solutions are withheld for this class ({SOLUTIONS_VARIABLE}=withheld is set). "
    "Each exercise's check still tells you whether your answer is right and, if not, what differs, "
    "with a hint."
)
WITHHELD_IN_HANDOUT = (
    "The reference solutions are withheld for this class: this copy of the course was handed out "
    "without them. Each exercise's check still tells you whether your answer is right and, if not, "
    "what differs, with a hint."
)

#: What a handout holds, relative to the repository: what a learner uses (the lessons, the package they
#: import, the launchers and Binder's setup), not the tests, tools and benchmarks, which hold answers too.
HANDOUT_PATHS = ("pyproject.toml", ".gitignore", "conv1x1", "jupyter-config", "notebooks", "binder",
                 "scripts/lab.py", "scripts/lab.sh")
_SKIP = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info", "Untitled*.ipynb")

_LINK = re.compile(r"\[`?conv1x1/solutions\.py`?\]\([^)]*solutions\.py\)")
#: The lessons' sentences that point to the solutions, and what a handout says instead.
_SENTENCES = [
    (re.compile(r"Reference solutions: " + _LINK.pattern + r" \(try first: the checks' hints are written for you\)\."),
     "Reference solutions are withheld for this class: the checks' hints are written for you."),
    (re.compile(r"Reference solutions are in " + _LINK.pattern + r"\."),
     "Reference solutions are withheld for this class."),
]

_SOLUTIONS_STUB = f'''"""Reference solutions: withheld for this class.

This copy of the course was made with ``python -m conv1x1.teach handout``, which leaves
the reference solutions out. The exercises' checks (:mod:`conv1x1.checks`) do not use
them: every check still says whether an answer is right and, if not, what differs.
"""

raise ImportError({WITHHELD_IN_HANDOUT!r})
'''

_HANDOUT_README = """# conv1x1: 1×1 convolutions, seen pixel by pixel (class handout)

This is a copy of the interactive Jupyter course [conv1x1]({repository}) handed out for a
class, without its reference solutions. Each exercise's check still tells you at once whether
your answer is right and, if not, what differs, with a hint.

Start with [`notebooks/index.ipynb`](notebooks/index.ipynb). On your own machine, with Python 3.11
or newer, run `python3 scripts/lab.py` in this folder (Windows: `py scripts\\lab.py`): it installs
the course into `.venv` and opens the index in JupyterLab.
"""


# -- the link ------------------------------------------------------------------------------------
def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} must be a non-empty string; got {short_repr(value)}")
    if value != value.strip() or any(c.isspace() for c in value):
        raise ValueError(f"{name} must not contain spaces; got {value!r}")
    return value


def clone_dir(repo: str) -> str:
    """The folder nbgitpuller clones ``repo`` into, in the server's root: the URL's last part.

    It is nbgitpuller's own rule (``repo.rstrip('/').split('/')[-1]``), so a URL ending in
    ``.git`` clones into a folder whose name ends in ``.git``.

    >>> clone_dir("https://github.com/conv1x1/conv1x1/")
    'conv1x1'
    >>> clone_dir("https://example.org/course.git")
    'course.git'
    """
    repo = _text(repo, "repo")
    name = repo.rstrip("/").split("/")[-1]
    no_path = "://" in repo and not urllib.parse.urlsplit(repo).path.strip("/")
    if no_path or name in ("", ".", "..") or name.endswith(":"):
        raise ValueError(f"repo must be a git URL ending in the repository's name, such as {REPOSITORY}; "
                         f"got {repo!r}")
    return name


def _hub_base(hub_url: Any) -> str:
    """``hub_url`` without a trailing slash, or a clear error naming HUB_URL."""
    if not isinstance(hub_url, str):
        raise TypeError(f"hub_url (HUB_URL) must be a string such as 'https://hub.example.edu'; "
                        f"got {short_repr(hub_url)}")
    parts = urllib.parse.urlsplit(hub_url.strip())
    expected = "the hub's address, such as https://hub.example.edu (http:// or https://, no query)"
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"hub_url (HUB_URL) must be {expected}; got {hub_url!r}")
    path = parts.path.rstrip("/")
    for segment in ("/hub", "/user"):
        at = (path + "/").find(segment + "/")
        if at >= 0:
            base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, path[:at], "", ""))
            raise ValueError(f"hub_url (HUB_URL) must be the hub's own address, without {segment}/...: "
                             f"got {hub_url!r}; try {base!r}")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def lesson_file(lesson: Any, notebooks: str | os.PathLike | None = None) -> str:
    """The notebook file a link opens: ``lesson`` as a file name in ``notebooks/``.

    Parameters
    ----------
    lesson : str
        A notebook's file name (``"01-one-channel.ipynb"``, the ``.ipynb`` may be left out), or,
        when ``notebooks`` is given, a lesson's number (``"01"`` or ``"1"``).
    notebooks : path, optional
        The course's ``notebooks/`` folder, to look the lesson up in (and check it exists).

    Raises
    ------
    TypeError, ValueError
        If ``lesson`` is no notebook's name, or names none that ``notebooks`` holds.

    >>> lesson_file("01-one-channel")
    '01-one-channel.ipynb'
    """
    lesson = _text(lesson, "lesson")
    if notebooks is not None and not isinstance(notebooks, (str, os.PathLike)):
        raise TypeError(f"notebooks must be a path to the course's notebooks/ folder; got {short_repr(notebooks)}")
    folder = Path(notebooks) if notebooks is not None else None
    if folder is not None and not folder.is_dir():
        raise ValueError(f"notebooks must be the course's notebooks/ folder; {folder} is no folder")
    if lesson.isdigit():
        if folder is None:
            raise ValueError(f"lesson {lesson!r} is a number: give the notebook's file name "
                             f"(such as '01-one-channel.ipynb') when the course's notebooks/ folder is not at hand")
        found = sorted(p.name for p in folder.glob(f"{int(lesson):02d}-*.ipynb"))
        if len(found) != 1:
            known = ", ".join(sorted(p.name for p in folder.glob("*.ipynb")))
            raise ValueError(f"lesson {lesson!r} matches {len(found)} notebooks in {folder}; expected one of: {known}")
        return found[0]
    name = lesson if lesson.endswith(".ipynb") else lesson + ".ipynb"
    if "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"lesson must be a notebook's file name in notebooks/, such as '01-one-channel.ipynb'; "
                         f"got {lesson!r}")
    if folder is not None and not (folder / name).is_file():
        known = ", ".join(sorted(p.name for p in folder.glob("*.ipynb")))
        raise ValueError(f"lesson {lesson!r}: {folder} has no {name}; it has: {known}")
    return name


def pull_link(hub_url: str, *, repo: str = REPOSITORY, branch: str = BRANCH, lesson: str | None = None,
              notebooks: str | os.PathLike | None = None) -> str:
    """The nbgitpuller link that gives every learner of a hub the course and opens it in JupyterLab.

    ``{hub_url}/hub/user-redirect/git-pull?repo=...&urlpath=lab/tree/<clone>/notebooks/<file>&branch=...``,
    each value percent-encoded (as nbgitpuller's own link generator does). The first click
    clones ``repo`` into ``<clone>`` (:func:`clone_dir`) in the learner's home; later clicks
    merge new commits into it and keep what the learner changed.

    Parameters
    ----------
    hub_url : str
        The hub's address, such as ``"https://hub.example.edu"`` (a path prefix, such as
        ``"https://example.org/jupyter"``, is kept).
    repo : str
        The git repository to clone: this course's, or a handout's (:func:`handout`).
    branch : str
        The branch to clone and update from.
    lesson : str, optional
        The notebook to open instead of the index (see :func:`lesson_file`).
    notebooks : path, optional
        The course's ``notebooks/`` folder, to look ``lesson`` up in.

    Raises
    ------
    TypeError, ValueError
        If an argument is not what is described here; the message names it.
    """
    base = _hub_base(hub_url)
    target = clone_dir(repo)
    branch = _text(branch, "branch")
    page = INDEX if lesson is None else lesson_file(lesson, notebooks)
    query = urllib.parse.urlencode({"repo": repo, "urlpath": f"lab/tree/{target}/notebooks/{page}",
                                    "branch": branch}, quote_via=urllib.parse.quote, safe="")
    return f"{base}/hub/user-redirect/git-pull?{query}"


# -- withholding the solutions -------------------------------------------------------------------
def solutions_withheld(environ: dict[str, str] | None = None) -> bool:
    """Whether ``CONV1X1_SOLUTIONS`` (in ``environ``, default ``os.environ``) withholds the solutions.

    ``withheld`` withholds them; unset, empty or ``shown`` shows them.

    Raises
    ------
    ValueError
        If the variable has any other value (a typo must not show the answers).
    """
    if environ is not None and not hasattr(environ, "get"):
        raise TypeError(f"environ must be a mapping of environment variables such as os.environ; "
                        f"got {short_repr(environ)}")
    value = str((os.environ if environ is None else environ).get(SOLUTIONS_VARIABLE, "")).strip()
    if value and value.lower() not in _SWITCH_VALUES:
        raise ValueError(f"{SOLUTIONS_VARIABLE} must be 'withheld' or 'shown' (or unset); got {value!r}")
    return value.lower() == "withheld"


def withhold_in_notebook(text: str) -> str:
    """A notebook's JSON ``text`` with its links to ``conv1x1/solutions.py`` replaced by words saying
    the solutions are withheld (in markdown cells only; everything else is left as it was)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a notebook's JSON as a string; got {short_repr(text)}")
    try:
        notebook = json.loads(text)
        cells = notebook["cells"]
    except (ValueError, KeyError, TypeError) as err:
        raise ValueError(f"text must be a notebook's JSON (with 'cells'); got {text[:60]!r}...") from err
    touched = False
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        changed = source
        for sentence, words in _SENTENCES:
            changed = sentence.sub(words, changed)
        changed = _LINK.sub("(reference solutions withheld for this class)", changed)
        if changed != source:
            lines = changed.splitlines(keepends=True)
            cell["source"] = lines if isinstance(cell["source"], list) else changed
            touched = True
    if not touched:
        return text        # byte for byte: a notebook that does not point to the solutions is not rewritten
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"     # nbformat's own layout


def _course_files(source: Path) -> list[Path]:
    """The handout's files in ``source`` (relative paths): git's tracked ones when it is a checkout."""
    try:
        listed = subprocess.run(["git", "-C", str(source), "ls-files", "-z", "--", *HANDOUT_PATHS],
                                capture_output=True, text=True, check=True).stdout
        files = [Path(name) for name in listed.split("\0") if name]
        return [f for f in files if (source / f).is_file() and not _SKIP(str(f.parent), [f.name])]
    except (OSError, subprocess.CalledProcessError):
        pass
    files = []
    for entry in HANDOUT_PATHS:
        path = source / entry
        if path.is_file():
            files.append(Path(entry))
        for root, dirs, names in os.walk(path):
            dirs[:] = [d for d in dirs if not _SKIP(root, [d])]
            files += [Path(root, n).relative_to(source) for n in names if not _SKIP(root, [n])]
    return sorted(files)


def _git(dest: Path, *args: str) -> None:
    identity = subprocess.run(["git", "-C", str(dest), "config", "user.email"], capture_output=True).returncode
    who = [] if identity == 0 else ["-c", "user.name=conv1x1 handout", "-c", "user.email=handout@conv1x1.invalid"]
    subprocess.run(["git", "-C", str(dest), *who, *args], check=True, capture_output=True)


def handout(dest: str | os.PathLike, *, source: str | os.PathLike = ".", git: bool = True) -> Path:
    """Write a copy of the course without its reference solutions into ``dest``, for a class.

    The copy holds :data:`HANDOUT_PATHS` (the lessons, the package, the launchers, Binder's
    setup; not the tests, which hold answers too) and a short README. Its
    ``conv1x1/solutions.py`` says the solutions are withheld (importing it raises ImportError
    with that message) and the lessons' links to it say so instead. The checks are unchanged.
    With ``git``, ``dest`` becomes a git repository with one commit on ``main`` (no history of
    the course, which holds the solutions), ready to push and link with :func:`pull_link`.

    Parameters
    ----------
    dest : path
        A folder that does not exist yet, or is empty.
    source : path
        The course's repository (a checkout of it, or its files).
    git : bool
        Make ``dest`` a git repository with one commit.

    Returns
    -------
    pathlib.Path
        ``dest``, resolved.

    Raises
    ------
    TypeError, ValueError, FileExistsError
        If ``source`` is not the course, or ``dest`` is not empty or lies inside what is copied.
    """
    for name, value in (("dest", dest), ("source", source)):
        if not isinstance(value, (str, os.PathLike)) or not str(value):
            raise TypeError(f"{name} must be a path; got {short_repr(value)}")
    if not isinstance(git, bool):
        raise TypeError(f"git must be True or False; got {short_repr(git)}")
    source, dest = Path(source).resolve(), Path(dest).resolve()
    needed = ["pyproject.toml", "conv1x1/solutions.py", "notebooks"]
    missing = [n for n in needed if not (source / n).exists()]
    if missing:
        raise ValueError(f"source must be the conv1x1 course's repository (with {', '.join(needed)}); "
                         f"{source} has no {', '.join(missing)}")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"dest must be a new or empty folder; {dest} already holds files")
    for entry in HANDOUT_PATHS:
        if dest == source / entry or (source / entry) in dest.parents:
            raise ValueError(f"dest must not be inside {entry}, which the handout copies; got {dest}")
    files = _course_files(source)
    for relative in files:
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if relative.suffix == ".ipynb":
            target.write_text(withhold_in_notebook((source / relative).read_text(encoding="utf-8")),
                              encoding="utf-8")
        else:
            shutil.copy2(source / relative, target)
    (dest / "conv1x1" / "solutions.py").write_text(_SOLUTIONS_STUB, encoding="utf-8")
    (dest / "README.md").write_text(_HANDOUT_README.format(repository=REPOSITORY), encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q", "-b", BRANCH, str(dest)], check=True, capture_output=True)
        _git(dest, "add", "-A")
        _git(dest, "commit", "-q", "-m", "The conv1x1 course for a class, without its reference solutions")
    return dest


# -- the command ---------------------------------------------------------------------------------
def _checkout_notebooks() -> Path | None:
    """The notebooks/ folder beside the package, when it runs from a checkout of the course."""
    folder = Path(__file__).resolve().parent.parent / "notebooks"
    return folder if folder.is_dir() else None


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m conv1x1.teach link HUB_URL`` or ``... handout DEST``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m conv1x1.teach",
                                     description="Hand the conv1x1 course to a class's JupyterHub.")
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", help="print the nbgitpuller link that opens the course on a hub")
    link.add_argument("hub_url", metavar="HUB_URL", help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", default=REPOSITORY, help=f"the git repository to hand out (default: {REPOSITORY})")
    link.add_argument("--branch", default=BRANCH, help=f"its branch (default: {BRANCH})")
    link.add_argument("--lesson", help="open this lesson instead of the index: its number (01) or file name")
    out = commands.add_parser("handout", help="write a copy of the course without its reference solutions")
    out.add_argument("dest", metavar="DEST", help="a new folder for the copy (it becomes a git repository)")
    out.add_argument("--source", default=".", help="the course's repository (default: the current folder)")
    out.add_argument("--no-git", action="store_true", help="only write the files, make no git repository")
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            print(pull_link(args.hub_url, repo=args.repo, branch=args.branch, lesson=args.lesson,
                            notebooks=_checkout_notebooks()))
        else:
            dest = handout(args.dest, source=args.source, git=not args.no_git)
            print(f"wrote the course without its reference solutions to {dest}")
            if not args.no_git:
                print("push it to a repository of your own, then make its link:\n"
                      f"  git -C {dest} remote add origin <YOUR-REPOSITORY-URL>\n"
                      f"  git -C {dest} push -u origin {BRANCH}\n"
                      "  python -m conv1x1.teach link <HUB_URL> --repo <YOUR-REPOSITORY-URL>")
    except (TypeError, ValueError, FileExistsError, subprocess.CalledProcessError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
