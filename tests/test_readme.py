"""The ``>>>`` examples of the README and of docs/*.md run, and print what they say they print.

pytest's ``--doctest-glob`` would read a Markdown file as one doctest, where a closing code fence
right after an output line counts as part of the expected output; so each fenced block
holding ``>>>`` runs as a doctest of its own here, with names from a fresh namespace.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
#: The README and the pages it links to for teachers, developers and benchmarks.
PAGES = [README, *sorted((ROOT / "docs").glob("*.md"))]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def examples(path: Path = README) -> list[tuple[int, str]]:
    """(line number, source) of every fenced code block in ``path`` that holds a ``>>>`` example."""
    text = path.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        if re.search(r"^>>> ", match.group(1), flags=re.M):
            blocks.append((text.count("\n", 0, match.start(1)) + 1, match.group(1)))
    return blocks


def test_the_readme_has_examples():
    assert examples(), "README.md has no >>> examples: nothing below would run"


def test_the_docs_are_read():
    names = [p.relative_to(ROOT).as_posix() for p in PAGES]
    for page in ("docs/teachers.md", "docs/developers.md", "docs/benchmarks.md"):
        assert page in names, f"{page} is missing"


@pytest.mark.parametrize("path, lineno, source", [
    pytest.param(path, n, src, id=f"{path.relative_to(ROOT).as_posix()}:{n}")
    for path in PAGES for n, src in examples(path)])
def test_readme_example(path, lineno, source):
    name = f"{path.relative_to(ROOT).as_posix()}:{lineno}"
    test = doctest.DocTestParser().get_doctest(source, {}, name, str(path), lineno - 1)
    report: list[str] = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=FLAGS)   # verbose=None would follow pytest's -v
    if runner.run(test, out=report.append, clear_globs=True).failed:
        pytest.fail("".join(report), pytrace=False)
