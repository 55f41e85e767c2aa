"""Generate the course's navigation: the index notebook, and each lesson's header and footer.

    python tools/nav.py            # rewrite what is out of date
    python tools/nav.py --check    # exit 1 and list what is out of date (the tests run this)

Lessons are the notebooks ``notebooks/NN-*.ipynb``, in order. Each one's title
is its first ``# `` heading, its one-line description its ``**Aim:**``
line and its length its ``**Time:**`` line (e.g. "about 15 minutes"). Every lesson gets a header cell (Binder badge, index, previous and next)
and a footer cell (previous, index, next), both tagged ``nav``; the index lists
every lesson with its aim. Nothing here is edited by hand: change a lesson's
title or aim and re-run this script (tools/run_notebooks.py runs it first).
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
INDEX = NOTEBOOKS / "index.ipynb"
TAG = "nav"


def repository() -> str:
    """The GitHub "owner/name" from pyproject.toml's project.urls.Repository."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    url = meta["project"]["urls"]["Repository"]
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)/?", url)
    if not match:
        raise ValueError(f"project.urls.Repository must be https://github.com/OWNER/NAME; got {url!r}")
    return match.group(1)


def binder_url(notebook: str) -> str:
    """A Binder link that opens ``notebooks/<notebook>`` in JupyterLab."""
    return f"https://mybinder.org/v2/gh/{repository()}/HEAD?urlpath=lab/tree/notebooks/{notebook}"


def badge(notebook: str) -> str:
    return f"[![Open in Binder](https://mybinder.org/badge_logo.svg)]({binder_url(notebook)})"


@dataclass(frozen=True)
class Lesson:
    path: Path
    number: str
    title: str
    aim: str
    time: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def short(self) -> str:
        """Number and title up to the colon: "01 · One channel"."""
        return f"{self.number} · {self.title.split(':')[0]}"


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def lessons() -> list[Lesson]:
    """The lessons in order, read from their notebooks."""
    found = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        text = "\n".join(_source(c) for c in nb.cells if c.cell_type == "markdown" and TAG not in c.metadata.get("tags", []))
        heading = re.search(r"^# (\d\d) · (.+)$", text, flags=re.M)
        aim = re.search(r"^\*\*Aim:\*\* (.+)$", text, flags=re.M)
        time = re.search(r"^\*\*Time:\*\* (.+)$", text, flags=re.M)
        if not heading or not aim or not time:
            raise ValueError(f"{path.name} needs a '# NN · Title' heading, an '**Aim:** ...' line "
                             "and a '**Time:** ...' line")
        found.append(Lesson(path, heading.group(1), heading.group(2).strip(), aim.group(1).strip(),
                            time.group(1).strip()))
    return found


def header_text(lesson: Lesson, previous: Lesson | None, following: Lesson | None) -> str:
    parts = [badge(lesson.name), "[Course index](index.ipynb)"]
    if previous:
        parts.append(f"[◀ {previous.short}]({previous.name})")
    if following:
        parts.append(f"[{following.short} ▶]({following.name})")
    return " · ".join(parts)


def footer_text(lesson: Lesson, previous: Lesson | None, following: Lesson | None) -> str:
    parts = []
    if previous:
        parts.append(f"[◀ Previous: {previous.short}]({previous.name})")
    parts.append("[Course index](index.ipynb)")
    if following:
        parts.append(f"[Next: {following.short} ▶]({following.name})")
    else:
        parts.append("This is the last lesson.")
    return "---\n\n" + " · ".join(parts)


def index_text(all_lessons: list[Lesson]) -> list[str]:
    rows = "\n".join(f"| {l.number} | [{l.title}]({l.name}) | {l.aim} | {l.time} |" for l in all_lessons)
    return [
        f"# 1×1 convolutions, seen pixel by pixel\n\n{badge('index.ipynb')}\n\n"
        "An interactive course on **1×1 convolutions**, the *Network in Network* idea: why a 1×1 filter "
        "is of little use on one channel and powerful on many, what it computes at every pixel, what it costs, "
        "and how a network learns one.\n\n"
        "**Who it is for:** you know what a 3×3 convolution, padding and ReLU are, and you are meeting the "
        "1×1 convolution for the first time. Each lesson takes 20 to 25 minutes if you run every cell and do "
        "the exercises, and ends with exercises that are checked as you go; the table gives each lesson's time, "
        "and beside it the time of its optional *going further* sections, which a first reading can skip.",
        f"## Lessons\n\n| | Lesson | What you will learn | Time |\n|---|---|---|---|\n{rows}",
        "## How to use the lessons\n\n"
        "- Run a lesson from the top: *Run → Run All Cells*. Each lesson starts with a setup cell that "
        "imports the course package `conv1x1`.\n"
        "- **Explorers** are figures with sliders. Move a slider (drag it, or click its handle and use the "
        "arrow keys) and the figure follows at once. Without a running kernel you see a still picture, "
        "with the settings it shows written underneath.\n"
        "- **Exercises** end each lesson: replace the `...` with your code and run the code cell. The check "
        "tells you whether you are right and, if not, what differs and a hint. Reference solutions are in "
        "[`conv1x1/solutions.py`](../conv1x1/solutions.py).\n"
        "- Numbers are always shown as text as well as colour; the colour maps are safe for colour-blind "
        "readers.\n\n"
        "The course follows the deeplearning.ai lecture *Network in Network and 1×1 convolutions* and the "
        "paper by Lin, Chen and Yan (2013).",
    ]


def _nav_cell(text: str, cell_id: str, old_cells=()):
    cell = new_markdown_cell(text)
    cell.metadata["tags"] = [TAG]
    cell["id"] = cell_id
    # the slide type belongs to tools/slides.py: a regenerated cell keeps what it had
    for old in old_cells:
        if old.get("id") == cell_id and "slideshow" in old.metadata:
            cell.metadata["slideshow"] = old.metadata["slideshow"]
    return cell


def updated_lesson(lesson: Lesson, previous: Lesson | None, following: Lesson | None):
    """The lesson's notebook with fresh nav cells first and last."""
    nb = nbformat.read(lesson.path, as_version=4)
    body = [c for c in nb.cells if TAG not in c.metadata.get("tags", [])]
    nb.cells = [_nav_cell(header_text(lesson, previous, following), "nav-header", nb.cells), *body,
                _nav_cell(footer_text(lesson, previous, following), "nav-footer", nb.cells)]
    return nb


def updated_index(all_lessons: list[Lesson]):
    nb = nbformat.read(INDEX, as_version=4) if INDEX.exists() else new_notebook()
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"})
    nb.cells = [_nav_cell(text, f"index-{k}", nb.cells) for k, text in enumerate(index_text(all_lessons))]
    return nb


def planned() -> dict[Path, str]:
    """Every navigation file as it should be: path -> notebook JSON text."""
    all_lessons = lessons()
    out = {INDEX: nbformat.writes(updated_index(all_lessons)) + "\n"}
    for k, lesson in enumerate(all_lessons):
        previous = all_lessons[k - 1] if k > 0 else None
        following = all_lessons[k + 1] if k + 1 < len(all_lessons) else None
        out[lesson.path] = nbformat.writes(updated_lesson(lesson, previous, following)) + "\n"
    return out


def stale() -> list[Path]:
    """The notebooks whose navigation is out of date."""
    return [path for path, text in planned().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report what is out of date")
    args = parser.parse_args(argv)
    out_of_date = stale()
    if args.check:
        for path in out_of_date:
            print(f"out of date: {path.relative_to(ROOT)} (run python tools/nav.py)")
        return 1 if out_of_date else 0
    for path, text in planned().items():
        if path in out_of_date:
            path.write_text(text, encoding="utf-8")
            print(f"updated navigation in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
