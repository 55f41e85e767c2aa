"""Slides: every notebook carries the slide types tools/slides.py assigns, and its rules do what they say."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from tools import slides
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def explorers() -> list[str]:
    return slides.explorer_names()



@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_slide_types_are_what_the_tool_assigns(path, explorers):
    assert slides.stale([path], explorers) == [], (
        f"{path.name}: slide metadata out of date: run python tools/slides.py notebooks/{path.name}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_explorer_has_a_slide_of_its_own(path, explorers):
    nb = nbformat.read(path, as_version=4)
    types = slides.slide_types(nb, explorers)
    shown = [k for k, t in enumerate(types) if t != "skip"]
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(f"{name}(" in cell.source for name in explorers):
            assert types[k] == "slide", f"{path.name} cell {k}: an explorer not on a slide of its own"
            after = [s for s in shown if s > k]
            assert not after or types[after[0]] == "slide", f"{path.name} cell {k}: a cell shares its slide"


def test_the_rules_on_a_small_lesson(explorers):
    nb = new_notebook(cells=[
        new_markdown_cell("[badge](x)", metadata={"tags": ["nav"]}),
        new_markdown_cell("# 99 · Title\n\n**Aim:** one line"),
        new_code_cell("import numpy as np"),
        new_markdown_cell("## 1. A section"),
        new_code_cell("x = 1"),
        new_markdown_cell("A new idea after code."),
        new_markdown_cell("One more step of it."),
        new_code_cell("y = 2"),
        new_code_cell(f"explore.{explorers[0]}()"),
        new_markdown_cell("<details>after the explorer</details>"),
        new_markdown_cell("## Exercises"),
        new_code_cell("data = 3", metadata={"tags": ["exercise-data"]}),
        new_markdown_cell("**Exercise 1.** Do it."),
        new_code_cell("answer = ..."),
        new_markdown_cell("### A subsection"),
        new_markdown_cell("---\n\n[Course index](index.ipynb)", metadata={"tags": ["nav"]}),
    ])
    assert slides.slide_types(nb, explorers) == [
        "skip", "slide", "skip", "slide", None, "slide", "fragment", None, "slide", "slide", "slide", "skip",
        "slide", None, "slide", "skip"]
    before = nbformat.writes(slides.assign(nb, explorers))
    assert nbformat.writes(slides.assign(nb, explorers)) == before, "assigning twice changes nothing"
    assert "slideshow" not in nb.cells[4].metadata, "a continuing cell carries no slide type"
    nb.cells[4].metadata["slideshow"] = {"slide_type": "-"}           # what a hand edit might leave
    assert "slideshow" not in slides.assign(nb, explorers).cells[4].metadata


def test_check_mode_reports_a_stale_notebook(tmp_path, explorers, capsys):
    path = tmp_path / "99-new.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 99 · New"), new_code_cell("import numpy")]), path)
    assert slides.main(["--check", str(path)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert slides.main([str(path)]) == 0
    assert slides.main(["--check", str(path)]) == 0
    meta = [c.metadata.get("slideshow") for c in nbformat.read(path, as_version=4).cells]
    assert meta == [{"slide_type": "slide"}, {"slide_type": "skip"}]


def test_nav_keeps_the_slide_types_of_the_cells_it_regenerates():
    from tools import nav

    for lesson in nav.lessons():
        old = nbformat.read(lesson.path, as_version=4)
        new = nav.updated_lesson(lesson, None, None)
        for cell in (new.cells[0], new.cells[-1]):
            was = next((c for c in old.cells if c.get("id") == cell["id"]), None)
            if was is not None:
                assert cell.metadata.get("slideshow") == was.metadata.get("slideshow"), (lesson.name, cell["id"])


#: A 1280×720 slide of jupyterlab-deck 0.2.0: its body text and the width it gives a cell's output, in
#: CSS pixels (tests/browser/test_slides.py measures both).
SLIDE_BODY_PX, SLIDE_OUTPUT_PX = 14.0, 1110
STILL_FIGURE = re.compile(r'<figure class="conv1x1-static-figure" style="[^"]*--conv1x1-width: (\d+); '
                          r'--conv1x1-text: ([\d.]+)"><img [^>]*alt="([^"]{0,60})')


#: Still figures that a slide cannot show with their text at the body size, by notebook and the start of
#: their alt text, and why. Lesson 02's still diagram is the explorer's notebook figure (12 inches, its
#: 32 strips at 7.5 pt; its words name the bars and the stack); two slides later the explorer shows the
#: same diagram live, in its slide layout, at the body size.
EXEMPT = {("02-many-channels.ipynb", "Dot-product diagram"): "the explorer's figure, shown live two slides on"}


def exempt(notebook: str, alt: str) -> bool:
    """Whether the still figure of ``notebook`` whose alt text is ``alt`` is one of :data:`EXEMPT`."""
    return any(notebook == name and alt.startswith(start) for name, start in EXEMPT)


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name[0].isdigit()], ids=lambda p: p.name)
def test_every_still_figure_fits_a_slide_with_its_text_at_the_body_size(path):
    """The slides' stylesheet draws a still figure as wide as makes its smallest text the body text's size:
    that width must fit the slide, or the slide shrinks it and the text with it."""
    nb = nbformat.read(path, as_version=4)
    figures, too_wide = 0, []
    for k, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            page = "".join(out.get("data", {}).get("text/html", ""))
            if "conv1x1-static-figure" not in page or "application/vnd.jupyter.widget-view+json" in out.get("data", {}):
                continue
            found = STILL_FIGURE.search(page)
            assert found, f"{path.name} cell {k}: a still figure without its width and smallest text"
            figures += 1
            width, text, alt = int(found[1]), float(found[2]), found[3]
            wanted = width * SLIDE_BODY_PX / text
            if wanted > SLIDE_OUTPUT_PX and not exempt(path.name, alt):
                too_wide.append(f"cell {k} ({alt}…): {width} px with its smallest text at {text} px would be "
                                f"{wanted:.0f} px wide; the slide shows {SLIDE_OUTPUT_PX}, so its text is "
                                f"{text * SLIDE_OUTPUT_PX / width:.1f} px")
    assert figures or not any("draw.show(" in cell.source for cell in nb.cells), f"{path.name}: no still figure found"
    assert not too_wide, f"{path.name}: still figures whose text is smaller than the body text on a slide:\n" + \
        "\n".join(too_wide)
