"""The README's ``>>>`` examples run, and print what the README says they print.

pytest's ``--doctest-glob`` would read README.md as one doctest, where a closing code fence
right after an output line counts as part of the expected output; so each fenced block
holding ``>>>`` runs as a doctest of its own here, with names from a fresh namespace.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def examples() -> list[tuple[int, str]]:
    """(line number, source) of every fenced code block in README.md that holds a ``>>>`` example."""
    text = README.read_text(encoding="utf-8")
    blocks = []
    for match in re.finditer(r"^```[^\n]*\n(.*?)^```", text, flags=re.S | re.M):
        if re.search(r"^>>> ", match.group(1), flags=re.M):
            blocks.append((text.count("\n", 0, match.start(1)) + 1, match.group(1)))
    return blocks


def test_the_readme_has_examples():
    assert examples(), "README.md has no >>> examples: nothing below would run"


@pytest.mark.parametrize("lineno, source", [pytest.param(n, src, id=f"line {n}") for n, src in examples()])
def test_readme_example(lineno, source):
    test = doctest.DocTestParser().get_doctest(source, {}, f"README.md:{lineno}", str(README), lineno - 1)
    report: list[str] = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=FLAGS)   # verbose=None would follow pytest's -v
    if runner.run(test, out=report.append, clear_globs=True).failed:
        pytest.fail("".join(report), pytrace=False)
