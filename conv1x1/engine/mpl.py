"""Every use of matplotlib beyond its public API, in one place.

The frame engine keeps an explorer's move within a frame by pasting cached pixels instead of asking
matplotlib to lay out and rasterise its artists again. Two things here lean on how matplotlib works
inside rather than on what it documents; nothing else in the package does (``tests/test_layers.py``
holds that rule, and ``tests/test_render.py`` compares what these produce with matplotlib's own
rendering, so that a new release cannot change what learners see unnoticed):

* :class:`ScreenImage`: an ``AxesImage`` whose ``make_image`` returns its RGBA bytes unresampled when
  they already have the size they take on screen (the renderer's ``make_image`` contract:
  ``(rgba, x, y, transform)``, rows bottom first);
* :func:`in_draw_order`: the order ``Figure.draw`` draws artists in (children by zorder, stably, Axes
  recursively), which blitting must follow.

``pyproject.toml`` bounds matplotlib below the next minor release for that reason; docs/developers.md
says how a new release is checked before the bound moves.
"""

from __future__ import annotations

import numpy as np
from matplotlib.image import AxesImage
from matplotlib.transforms import IdentityTransform

__all__ = ["ScreenImage", "in_draw_order"]


class ScreenImage(AxesImage):
    """An image whose RGBA bytes are already at the size it takes on screen.

    With the Agg renderer (PNG output and the explorers) it is pasted as it
    is, with no resampling and no colour conversion, which saves several
    milliseconds per frame for a photo; in any other case (vector output, a
    different size, a zoomed axes) it is drawn as an ordinary AxesImage.
    """

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        from matplotlib.backends.backend_agg import RendererAgg

        A = self.get_array()
        if (isinstance(renderer, RendererAgg) and magnification == 1.0 and not unsampled
                and A.dtype == np.uint8 and A.ndim == 3 and A.shape[2] == 4 and self.origin == "upper"):
            x1, x2, y1, y2 = self.get_extent()         # left, right, bottom, top: the y axis points down
            (left, bottom), (right, top) = self.get_transform().transform([(x1, y1), (x2, y2)])
            fig_w, fig_h = renderer.get_canvas_width_height()
            if (abs(right - left - A.shape[1]) <= 1 and abs(top - bottom - A.shape[0]) <= 1
                    and left >= 0 and bottom >= 0 and right <= fig_w + 1 and top <= fig_h + 1):
                return A[::-1], round(left), round(bottom), IdentityTransform()
        return super().make_image(renderer, magnification, unsampled)


def in_draw_order(figure, artists: list) -> list:
    """``artists`` sorted in the order :meth:`Figure.draw` draws them.

    A figure draws its children sorted by zorder (stable: ties keep the order they were added in), and
    each Axes does the same with its own children. Blitting draws artists one by one, so it must follow
    the same order, or an artist behind another in the full figure ends up in front of it (the output
    stack of lesson 02 did that). Artists not found in the figure's tree keep their order, at the end.
    """
    from matplotlib.axes import Axes

    rank: dict[int, int] = {}

    def visit(children) -> None:
        for child in sorted(children, key=lambda a: a.get_zorder()):
            rank[id(child)] = len(rank)
            if isinstance(child, Axes):
                visit([a for a in child.get_children() if a is not child.patch])

    visit([a for a in figure.get_children() if a is not figure.patch])
    last = len(rank)
    return sorted(artists, key=lambda a: rank.get(id(a), last))
