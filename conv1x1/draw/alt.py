"""Text alternatives: every figure in words, with its numbers, and the display that carries them.

Each drawing function's result (a :class:`~conv1x1.draw.grids.Grid`, a cost chart, a volume, a picture, a
view of the dot-product diagram) has a ``describe()`` method that says what it shows, computed from
the numbers it draws, so that a description cannot drift from its figure. A description is a
string whose **first line** is short (the image's ``alt`` text: what the figure is, and its main
numbers) and whose further lines give the rest in full (a grid row by row, every count).

Neither JupyterLab 4 nor Notebook 7 nor nbconvert reads the ``alt`` metadata of an ``image/png``
output, so :func:`show` displays a figure as HTML it writes itself::

    <figure><img src="data:image/png;base64,..." alt="the first line">
    <figcaption><details><summary>The figure in numbers</summary><pre>the rest</pre></details></figcaption>
    </figure>

with ``text/plain`` the whole description. The picture is stored once (in the HTML, in the inline
backend's format: PNG, or JPEG for photos); a screen reader hears the short ``alt`` and can open the
details, which are not read out by default.

>>> import numpy as np
>>> from conv1x1 import draw
>>> grid = draw.plot_grid(np.array([[1.0, 2.0], [3.0, 4.5]]), title="x")
>>> print(grid.describe())
x: 2×2 grid of numbers, values 1 to 4.5; row 0: 1 2; …
row 0: 1 2
row 1: 3 4.5
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..compute.core import format_number
from ..engine.static_figure import figure_html, parse_figure_html, split  # noqa: F401  (this module's API too)

__all__ = ["describe_axes", "describe_figure", "figure_html", "parse_figure_html", "row_text", "show", "split"]

def row_text(values: Iterable[Any], limit: int | None = None) -> str:
    """Numbers (or labels as drawn) separated by spaces; after ``limit`` of them, ``…``."""
    items = [v if isinstance(v, str) else format_number(v, 3) for v in values]
    if limit is not None and len(items) > limit:
        return " ".join(items[:limit]) + " …"
    return " ".join(items)


def _sig(value: float) -> str:
    """A chart's number to 4 significant digits (a loss of 0.0004 is not 0), with a true minus sign."""
    text = f"{float(value):.4g}"
    return "0" if text in ("0", "-0") else text.replace("-", "\u2212")


def _title(ax: Axes) -> str:
    for loc in ("center", "left", "right"):
        text = ax.get_title(loc=loc).replace("\n", " ").strip()
        if text:
            return text
    return ""


def _line_name(line: Line2D) -> str:
    label = line.get_label()
    return f"line {label!r}" if label and not label.startswith("_") else "a line"


def _line_words(line: Line2D) -> str | None:
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    if y.size == 0 or not line.get_visible():
        return None
    name = _line_name(line)
    if line.get_transform().contains_branch(line.axes.transAxes) and np.ptp(y) == 0:
        return f"{name}: constant at {_sig(y[0])}"          # axhline: x in axes fractions
    if np.ptp(y) == 0:
        return f"{name}: constant at {_sig(y[0])}"
    k_min, k_max = int(np.nanargmin(y)), int(np.nanargmax(y))
    return (f"{name}: {y.size} points, from {_sig(y[0])} at x = {_sig(x[0])} "
            f"to {_sig(y[-1])} at x = {_sig(x[-1])}; smallest {_sig(y[k_min])} "
            f"at x = {_sig(x[k_min])}, largest {_sig(y[k_max])} at x = "
            f"{_sig(x[k_max])}")


def describe_axes(ax: Axes) -> str:
    """A plain matplotlib Axes in words: title, axis labels and scales, and each line's numbers.

    For figures drawn in lesson code (a loss curve, say); the course's own drawings describe themselves.
    """
    title = _title(ax) or "a chart"
    axes = []
    for name, label, scale, lim in (("x", ax.get_xlabel(), ax.get_xscale(), ax.get_xlim()),
                                    ("y", ax.get_ylabel(), ax.get_yscale(), ax.get_ylim())):
        scale_words = "" if scale == "linear" else f", {scale} scale"
        axes.append(f"{name}: {label or 'no label'} ({_sig(lim[0])} to {_sig(lim[1])}"
                    f"{scale_words})")
    lines = [(_line_name(line), words) for line in ax.get_lines() if (words := _line_words(line))]
    images = [f"an image {im.get_array().shape[0]}×{im.get_array().shape[1]}" for im in ax.get_images()]
    drawn = [words for _, words in lines] + images
    names = [name for name, _ in lines] + images
    first = drawn[0] if drawn else "no data drawn"
    more = f"; also {', '.join(names[1:])}, in the words below" if len(drawn) > 1 else ""    # named, not "1 more"
    return f"{title}: {'; '.join(axes)}; {first}{more}.\n" + "\n".join(drawn)


def describe_figure(fig: Figure, parts: Sequence[Any] = ()) -> str:
    """A figure in words: its overall title, then each part's description (or each Axes', by default).

    ``parts`` are the drawings on it that describe themselves (grids, pictures, volumes, ...); without
    them, every Axes is described as a plain chart (:func:`describe_axes`).
    """
    suptitle = fig.get_suptitle().replace("\n", " ").strip()
    if parts:
        descriptions = [part.describe() for part in parts]
    else:
        descriptions = [describe_axes(ax) for ax in fig.axes if ax.get_visible() and ax.axison]
    shorts = [split(d)[0] for d in descriptions]
    if len(descriptions) == 1 and not suptitle:
        return descriptions[0]
    head = (suptitle + ". " if suptitle else "") + f"{len(descriptions)} panels: " + " | ".join(shorts)
    if len(descriptions) == 1:
        head = f"{suptitle}. {shorts[0]}"
    body = "\n\n".join(d for d in descriptions)
    return head + "\n" + body


def _figure_of(part: Any) -> Figure | None:
    if isinstance(part, Figure):
        return part
    for name in ("fig", "figure"):
        fig = getattr(part, name, None)
        if isinstance(fig, Figure):
            return fig
    ax = getattr(part, "ax", None)
    if isinstance(ax, Axes):
        return ax.figure
    if isinstance(part, Artist) and part.figure is not None:
        return part.figure
    return None


def _image_format() -> str:
    """The inline backend's figure format (``png``, or ``jpeg`` where a lesson chose it for photos)."""
    try:
        from matplotlib_inline.backend_inline import InlineBackend

        formats = InlineBackend.instance().figure_formats
    except Exception:       # no IPython: the default
        return "png"
    for fmt in ("png", "jpeg", "jpg", "retina"):
        if fmt in formats:
            return {"jpg": "jpeg", "retina": "png"}.get(fmt, fmt)
    return "png"


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """The figure as the inline backend prints it (``bbox_inches="tight"``)."""
    from io import BytesIO

    buffer = BytesIO()
    fig.canvas.print_figure(buffer, format=fmt, dpi=fig.dpi, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def bundle(fig: Figure, description: str) -> dict[str, str]:
    """The mime bundle :func:`show` displays: ``text/html`` (the figure and its words) and ``text/plain``."""
    from ..engine.layouts import text_sizes

    fmt = _image_format()
    data = figure_bytes(fig, fmt)
    sizes = text_sizes(fig, draw=False)                          # as the picture just drawn shows them
    text = sizes[0][0] * fig.dpi / 72 if sizes else None         # the smallest text, in the image's pixels
    return {"text/html": figure_html(data, description, fmt=fmt, text=text), "text/plain": description}


def show(*parts: Any, description: str | None = None) -> None:
    """Display a figure with its text alternative, in JupyterLab, Notebook 7 and static HTML alike.

    Parameters
    ----------
    *parts : Figure or drawings
        What to show: a drawing that describes itself (``draw.show(grid)``); or a Figure, followed by
        the drawings on it (``draw.show(fig, grid_in, grid_out)``): the description is the figure's
        title and theirs. A Figure alone is described Axes by Axes (:func:`describe_axes`).
    description : str, optional
        The description to use instead (first line: the short alt text; then the details).

    The figure is closed after it is shown, so the inline backend does not show it a second time.

    Raises
    ------
    TypeError
        Nothing to show, or a part that is neither a Figure nor a drawing with ``describe()``.
    """
    if not parts:
        raise TypeError("show() needs a Figure or a drawing to show; got nothing")
    fig = _figure_of(parts[0])
    views = list(parts[1:] if isinstance(parts[0], Figure) else parts)
    for part in views:
        if not callable(getattr(part, "describe", None)):
            raise TypeError(f"show() got {type(part).__name__}, which has no describe(): pass drawings of "
                            "conv1x1.draw after the Figure, or description=")
    if fig is None:
        raise TypeError(f"show() needs a Figure or a drawing on one; got {type(parts[0]).__name__}")
    if description is None:
        description = views[0].describe() if len(views) == 1 and not isinstance(parts[0], Figure) \
            else describe_figure(fig, views)
    from IPython.display import display

    display(bundle(fig, description), raw=True)
    import matplotlib.pyplot as plt

    plt.close(fig)
