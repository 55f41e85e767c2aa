"""pytest, for every run in this repository (tests/, notebooks/ under nbval, conv1x1/ doctests).

nbval compares text/html outputs strictly. A figure shown by ``conv1x1.draw.show`` (and an explorer's
static figure) is HTML that holds its image as a data URI, whose bytes depend on the machine's fonts
and libraries, as image/png's do (nbval never compares those): unless another file is given with
``--nbval-sanitize-with``, tests/nbval_sanitize.cfg replaces the image, so only the words are compared.
"""

from __future__ import annotations

from pathlib import Path


def pytest_configure(config):
    option = config.option
    if getattr(option, "nbval_sanitize_with", "no nbval") is None:      # nbval installed, no file given
        option.nbval_sanitize_with = str(Path(__file__).resolve().parent / "tests" / "nbval_sanitize.cfg")
