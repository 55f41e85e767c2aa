"""Give every cell of a lesson its slide type, so that the lesson presents as a talk.

    python tools/slides.py                         # every notebook in notebooks/, rewritten where out of date
    python tools/slides.py notebooks/09-*.ipynb    # only these
    python tools/slides.py --check [paths]         # exit 1 and list what is out of date (a test runs this)

The slide type is ``metadata.slideshow.slide_type``, which JupyterLab's property inspector,
jupyterlab-deck, RISE and ``jupyter nbconvert --to slides`` all read. Nothing here is set by
hand: the rules below decide every cell, so a new lesson gets its slides by running this script.
Only metadata changes; sources and outputs are left as they are.

The rules, in order (the first that matches decides):

1. **skip** a navigation cell (tagged ``nav`` by tools/nav.py) that is not a heading: the Binder
   badge and the previous/next links are for readers, not for a talk;
2. **skip** the set-up cells: the lesson's first code cell (its imports) and the cells tagged
   ``exercise-data`` (the data the exercises start from). They still run: "Run All" runs them;
3. **slide** a markdown cell that opens with a ``#`` or ``##`` heading: the title, each numbered
   section, the summary, the exercises, each optional "Going further" part;
4. **slide** an explorer's cell (its source calls one of the explorer classes of
   ``conv1x1.explore.registry.EXPLORERS``): the explorer, live, on a slide of its own;
5. **slide** the cell after an explorer's cell, so that nothing shares the explorer's slide;
6. **slide** a markdown cell that opens with a ``###`` heading, an exercise (``**Exercise ...``)
   or follows a code cell: a new idea (one idea a slide);
7. **fragment** a markdown cell that follows another markdown cell: the same idea, one more step;
8. otherwise (a code cell after its text) the cell continues the slide it is on. A continuing
   cell carries no slide type at all: that is how JupyterLab, RISE and nbconvert write "-",
   and jupyterlab-deck 0.2.0 shows a cell whose type is the explicit string "-" on no slide.

Each notebook also carries the slides' stylesheet, ``STYLESHEET`` (kept in
``conv1x1/engine/deck-styles.json``), in its metadata under
``@deathbeds/jupyterlab-fonts`` (the per-notebook styles that jupyterlab-deck's companion applies;
they apply only while the notebook is presented, and travel with the notebook to Binder and to a
hub). It makes four changes:

* jupyterlab-deck 0.2.0 was written for JupyterLab 4.0, where the notebook itself scrolled; in
  JupyterLab 4.1+ an inner ``.jp-WindowedPanel-outer`` scrolls, keeps the scroll of the notebook
  before the talk and shifts every slide up by it (the title slide started 166 px above the screen).
  The inner element stops scrolling, so the deck's own centring and scrolling apply again;
* an explorer's slide shows the explorer without the code cell that made it and without its
  instructions (the teacher says them), so that the figure has the height of the slide;
* a still figure (``conv1x1.draw.alt.figure_html``) is drawn as wide as makes its smallest text as large
  as the slide's body text (``1em``), from its width and its smallest text in pixels
  (``--conv1x1-width``, ``--conv1x1-text``), and never wider than the slide. A notebook that has not
  been run shows its saved figures as in the notebook (JupyterLab strips the style of an untrusted
  output);
* an explorer's figure grows or shrinks to what the slide holds: the slide's width, or the height
  left under the rest of its cell (``--conv1x1-above``) with 5em kept for the words under it, at
  the figure's own aspect ratio (``--conv1x1-aspect``); ``FigureView`` sets both on its canvas.

The talk is one row of slides: no ``subslide``. In jupyterlab-deck 0.2.0 (the slide route
docs/teachers.md gives) the subslides under a slide are reached only with "down": "forward" (→)
jumps from the slide to the next slide, and a teacher going on with "next" would skip them.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
KEY = "slideshow"
#: Tags (tools/nav.py, the lessons) that mark a cell as navigation or as set-up.
NAV_TAG = "nav"
SETUP_TAGS = ("exercise-data",)
SECTION = re.compile(r"#{1,2}\s")
SUBSECTION = re.compile(r"#{3,6}\s")
EXERCISE = re.compile(r"\*\*Exercise\b")
#: Notebook metadata key of jupyterlab-fonts' per-notebook styles; ":root" is the notebook panel itself.
STYLE_KEY = "@deathbeds/jupyterlab-fonts"
#: The slides' stylesheet: it names JupyterLab's and jupyterlab-deck's page classes, so it lives with the
#: engine (``conv1x1/engine/deck-styles.json``), the one part of the package allowed to name them.
STYLESHEET = {key: value for key, value in json.loads(
    (ROOT / "conv1x1" / "engine" / "deck-styles.json").read_text(encoding="utf-8")).items()
    if key != "//"}


def explorer_names() -> list[str]:
    """The class names of the course's explorers, from ``conv1x1.explore.registry.EXPLORERS``'s keys
    ("01 WeightExplorer" -> "WeightExplorer")."""
    from conv1x1.explore.registry import EXPLORERS

    return sorted({key.split()[1] for key in EXPLORERS})


def _source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def slide_types(nb, explorers: list[str]) -> list[str | None]:
    """The slide type of every cell of ``nb``, by the rules of this module; None means "continue"."""
    calls = re.compile(r"\b(?:%s)\(" % "|".join(map(re.escape, explorers)))
    types: list[str | None] = []
    seen_code = False
    previous = None        # the cell before, and whether it was an explorer
    previous_explorer = False
    for cell in nb.cells:
        text = _source(cell).lstrip()
        tags = cell.metadata.get("tags", [])
        heading = cell.cell_type == "markdown" and SECTION.match(text)
        is_explorer = cell.cell_type == "code" and bool(calls.search(_source(cell)))
        if NAV_TAG in tags and not heading:
            kind = "skip"
        elif cell.cell_type == "code" and (not seen_code or any(t in tags for t in SETUP_TAGS)):
            kind = "skip"
        elif heading or is_explorer or previous_explorer:
            kind = "slide"
        elif cell.cell_type == "markdown" and (SUBSECTION.match(text) or EXERCISE.match(text)
                                               or (previous is not None and previous.cell_type == "code")):
            kind = "slide"
        elif cell.cell_type == "markdown" and previous is not None and previous.cell_type == "markdown":
            kind = "fragment"
        else:
            kind = None
        types.append(kind)
        if cell.cell_type == "code":
            seen_code = True
        if kind != "skip":         # a skipped cell is not on the slides: the next cell follows the one before
            previous, previous_explorer = cell, is_explorer
    return types


def assign(nb, explorers: list[str]):
    """Set every cell's ``metadata.slideshow`` from :func:`slide_types`, and the notebook's slide
    stylesheet (in place); returns ``nb``."""
    nb.metadata[STYLE_KEY] = STYLESHEET
    for cell, kind in zip(nb.cells, slide_types(nb, explorers)):
        meta = dict(cell.metadata.get(KEY, {}))
        meta.pop("slide_type", None)
        if kind is not None:
            meta["slide_type"] = kind
        if meta:
            cell.metadata[KEY] = meta
        else:
            cell.metadata.pop(KEY, None)
    return nb


def planned(path: Path, explorers: list[str]) -> str:
    """The notebook at ``path`` as JSON text, with its slide types assigned (written as tools/nav.py writes)."""
    nb = nbformat.read(path, as_version=4)
    return nbformat.writes(assign(nb, explorers)) + "\n"


def stale(paths: list[Path], explorers: list[str] | None = None) -> list[Path]:
    """The notebooks among ``paths`` whose slide metadata is not what the rules assign."""
    explorers = explorer_names() if explorers is None else explorers
    return [p for p in paths if p.read_text(encoding="utf-8") != planned(p, explorers)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only report what is out of date")
    args = parser.parse_args(argv)
    paths = [p.resolve() for p in args.paths] or sorted(NOTEBOOKS.glob("*.ipynb"))
    explorers = explorer_names()
    out_of_date = stale(paths, explorers)
    for path in out_of_date:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        if args.check:
            print(f"out of date: {shown} (run python tools/slides.py {shown})")
        else:
            path.write_text(planned(path, explorers), encoding="utf-8")
            print(f"updated slide types in {shown}")
    return 1 if args.check and out_of_date else 0


if __name__ == "__main__":
    sys.exit(main())
