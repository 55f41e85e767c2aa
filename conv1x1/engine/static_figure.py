"""A still figure as the HTML a notebook saves: the picture, with its words.

``<figure>`` holding the image as a data URI whose ``alt`` is the description's first line, and the
rest of the description in a closed ``<details>``. The explorers' static pictures and every still
figure of the course (:func:`conv1x1.draw.alt.show`) are written by :func:`figure_html`.
"""

from __future__ import annotations

import base64
import html

from ..compute.validate import check_real

__all__ = ["DETAILS_SUMMARY", "figure_html", "parse_figure_html", "split"]

#: The summary of the details under every figure.
DETAILS_SUMMARY = "The figure in numbers"


def split(description: str) -> tuple[str, str]:
    """``(short, rest)``: the first line (the alt text) and the further lines."""
    short, _, rest = description.partition("\n")
    return short.strip(), rest.strip("\n")


def figure_html(data: bytes, description: str, *, fmt: str = "png", width: int | None = None,
                text: float | None = None) -> str:
    """``<figure>``: the image with the description's first line as ``alt``, the rest in a ``<details>``.

    ``text`` is the height in pixels of the image's smallest text: the figure then carries it, with the
    image's width, as ``--conv1x1-text`` and ``--conv1x1-width``, and a slide (tools/slides.py's
    stylesheet) draws the image at the width where that text is as large as the slide's body text.
    """
    short, rest = split(description)
    uri = f"data:image/{fmt};base64,{base64.b64encode(data).decode('ascii')}"
    size = f' width="{width}"' if width else ""
    details = (f"<figcaption><details><summary>{DETAILS_SUMMARY}</summary>"
               f"<pre style=\"white-space: pre-wrap\">{html.escape(rest)}</pre></details></figcaption>"
               if rest else "")
    sizes = ""
    if text is not None:
        from io import BytesIO

        from PIL import Image, UnidentifiedImageError  # matplotlib's own dependency

        text = check_real(text, "text")
        if text <= 0:
            raise ValueError(f"text must be the smallest text's height in pixels, > 0; got {text!r}")
        try:
            natural = Image.open(BytesIO(data)).size[0]        # the image's own pixels, as text is
        except UnidentifiedImageError:
            raise ValueError("data must be PNG or JPEG bytes when text is given") from None
        sizes = f"; --conv1x1-width: {natural}; --conv1x1-text: {text:.1f}"
    return (f'<figure class="conv1x1-static-figure" style="margin: 0{sizes}">'
            f'<img src="{uri}" alt="{html.escape(short, quote=True)}"{size} style="max-width: 100%; height: auto">'
            f"{details}</figure>")


def parse_figure_html(text: str) -> tuple[bytes, str, str]:
    """``(image bytes, alt, details)`` of HTML written by :func:`figure_html` (for tests and tools)."""
    import re

    uri = re.search(r'<img src="data:image/[a-z]+;base64,([^"]*)" alt="([^"]*)"', text)
    if uri is None:
        raise ValueError("no <img src=data:... alt=...> written by figure_html in this HTML")
    details = re.search(r"<pre[^>]*>(.*?)</pre>", text, re.S)
    return (base64.b64decode(uri.group(1)), html.unescape(uri.group(2)),
            html.unescape(details.group(1)) if details else "")
