"""The saved lessons as static HTML (nbconvert, as nbviewer and static course sites render them): an
axe-core audit of the outputs finds no violation, and every figure has a text alternative of its own.

nbconvert gives an image output without one the placeholder alt "No description has been provided for
this image", which axe's image-alt accepts: this test fails on it as well.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools import lab
import pytest

pytestmark = pytest.mark.browser

NOTEBOOKS = lab.notebooks()


@pytest.fixture(scope="module")
def html_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(out),
                    *map(str, NOTEBOOKS)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_static_html_passes_an_axe_audit(path, html_dir, browser_context, axe_source):
    page = browser_context.new_page()
    try:
        page.goto((html_dir / f"{path.stem}.html").as_uri(), wait_until="load")
        audit = lab.axe_audit(page, axe_source, lab.STATIC_OUTPUT_AREAS)
        placeholders = page.evaluate(lab.PLACEHOLDER_ALT_JS, lab.STATIC_OUTPUT_AREAS)
        details = page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector + ' figure'))
            .filter((f) => !f.querySelector('img[alt]') || !f.querySelector('details pre')).length""",
                                lab.STATIC_OUTPUT_AREAS)
    finally:
        page.close()
    assert not audit["violations"], (
        f"{path.name} as HTML: axe-core violations in the outputs:\n" + lab.violation_report(audit["violations"]))
    assert not placeholders, f"{path.name} as HTML: images with nbconvert's placeholder alt: {placeholders}"
    assert not details, f"{path.name} as HTML: {details} figure(s) without alt text and numbers in words"
