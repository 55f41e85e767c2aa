"""Volumes drawn as boxes: :func:`plot_volume` (one volume, a pixel's column or a channel marked) and
:func:`plot_volumes` (several, side by side, to one scale, optionally chained by arrows).

The depth of a box is its channels; height and width are 1 drawing unit per pixel and the depth is
drawn at a stated scale, which every figure writes under its boxes.
"""

from __future__ import annotations

from typing import Any, Sequence

import matplotlib.colors as mcolors
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch, Polygon
from matplotlib.text import Text

from ..compute.validate import check_int, check_real, check_texts, pixel_index, short_repr
from .style import HIGHLIGHT, POSITIVE, axes_or_new

__all__ = ["DEPTH_DIRECTION", "VOLUME_COLOURS", "Volume", "Volumes", "depth_note", "draw_box", "move_box", "plot_volume",
           "plot_volumes"]

#: The direction the depth (channel) axis recedes in, in drawing units per unit of depth.
DEPTH_DIRECTION = np.array([0.6, 0.45])


class Volume(dict):
    """What :func:`plot_volume` drew: a dict of its artists (as before), with :meth:`describe`."""

    shape: tuple[int, int, int]
    label: str = ""
    title: str = ""
    pixel: tuple[int, int] | None = None
    channel: int | None = None

    def describe(self) -> str:
        """The volume in words: its shape, and the pixel's column or the channel slice marked."""
        height, width, channels = self.shape
        name = " ".join((self.title or self.label or "a volume").split())
        marked = ""
        if self.pixel is not None:
            marked = f", the 1×1×{channels} column at pixel {self.pixel} marked"
        elif self.channel is not None:
            marked = f", drawn as {channels} channel slices, slice {self.channel} marked"
        return (f"{name}: a box of height {height}, width {width} and {channels} channels "
                f"({height}×{width}×{channels}){marked}")


class Volumes(list):
    """What :func:`plot_volumes` drew: per box a dict of its artists (as before), with :meth:`describe`."""

    shapes: list[tuple[int, int, int]]
    labels: list[str]
    steps: list[str] | None = None
    title: str = ""
    note: str = ""

    def describe(self) -> str:
        """The boxes in words: each shape with its label, and the steps between them; the scale."""
        names = [f"{h}×{w}×{c}" + (f" ({label})" if label else "") for (h, w, c), label in zip(self.shapes, self.labels)]
        if self.steps:
            chain = names[0] + "".join(f" → {step} → {name}" for step, name in zip(self.steps, names[1:]))
        else:
            chain = ", ".join(names)
        title = " ".join(self.title.split())
        short = f"{title + ': ' if title else ''}{len(names)} volumes drawn as boxes: {chain}"
        lines = [f"box {k}: height {h}, width {w}, {c} channels" + (f", {label}" if label else "")
                 for k, ((h, w, c), label) in enumerate(zip(self.shapes, self.labels))]
        return short + "\n" + "\n".join(lines + [self.note])


def _box_faces(x0: float, y0: float, width: float, height: float, depth: float) -> list[list[tuple]]:
    """Front, top and side faces of a box in oblique projection."""
    dx, dy = DEPTH_DIRECTION * depth
    front = [(x0, y0), (x0 + width, y0), (x0 + width, y0 + height), (x0, y0 + height)]
    top = [(x0, y0 + height), (x0 + width, y0 + height), (x0 + width + dx, y0 + height + dy), (x0 + dx, y0 + height + dy)]
    side = [(x0 + width, y0), (x0 + width + dx, y0 + dy), (x0 + width + dx, y0 + height + dy), (x0 + width, y0 + height)]
    return [front, top, side]


def move_box(faces: list[Polygon], *box: float) -> None:
    """Move a box drawn by :func:`draw_box` in place."""
    for poly, points in zip(faces, _box_faces(*box)):
        poly.set_xy(points)


def draw_box(ax: Axes, x0: float, y0: float, width: float, height: float, depth: float,
         colour: str, *, alpha: float = 1.0, edge: str = "#333333", zorder: float = 1) -> list[Polygon]:
    """A box in oblique projection: front face at (x0, y0), depth up and right."""
    rgb = np.array(mcolors.to_rgb(colour))
    faces = []
    for points, shade in zip(_box_faces(x0, y0, width, height, depth), (1.0, 0.85, 0.7)):
        poly = Polygon(points, closed=True, facecolor=(*(rgb * shade), alpha), edgecolor=edge,
                       linewidth=0.8, zorder=zorder)
        ax.add_patch(poly)
        faces.append(poly)
    return faces


def plot_volume(
    shape: Sequence[int],
    *,
    ax: Axes | None = None,
    pixel: tuple[int, int] | None = None,
    channel: int | None = None,
    title: str | None = None,
    label: str | None = None,
    colour: str = "#9db4d6",
    depth_scale: float | None = None,
    scale_note: bool = True,
) -> dict:
    """Draw an ``(H, W, C)`` volume as a box, optionally marking one pixel's column or one channel.

    Parameters
    ----------
    shape : (int, int, int)
        Height, width and channels.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    pixel : (int, int), optional
        Mark the 1×1×C column at (row, column) that a 1×1 filter reads; the
        box is drawn see-through so the column shows inside it.
    channel : int, optional
        Draw the volume as a stack of channel slices, this one marked (up to
        16 slices are drawn one by one; more are grouped).
    title, label : str, optional
        Axes title; text under the box (default ``"H×W×C"``).
    colour : str
        Face colour of the box.
    depth_scale : float, optional
        Drawing units per channel (default: the depth is drawn at most about
        as long as the width). Height and width are 1 unit per pixel.
    scale_note : bool, default True
        Label the depth edge "channels" and write under the box the depth's
        scale against height and width (computed: "depth not to scale: 32
        channels drawn as deep as 5.4 pixels"), so the box is honest about it.

    Returns
    -------
    Volume
        A dict of the artists: ``"faces"``, ``"column"`` (with ``pixel``) or
        ``"slices"`` (with ``channel``), and ``"set_pixel"`` /
        ``"set_channel"`` functions that move the mark in place.
    """
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
        raise ValueError(f"shape must be (H, W, C); got {shape!r}")
    height, width, channels = (check_int(v, name) for v, name in zip(shape, ("H", "W", "C")))
    if not mcolors.is_color_like(colour):
        raise ValueError(f"colour must be a matplotlib colour; got {colour!r}")
    ax = axes_or_new(ax, figsize=(4, 3.5))
    if depth_scale is None:
        depth_scale = min(1.0, 1.2 * width / channels)
    depth_scale = check_real(depth_scale, "depth_scale")
    if depth_scale <= 0:
        raise ValueError(f"depth_scale must be a positive number of drawing units per channel; got {depth_scale:g}")
    depth = channels * depth_scale
    dx, dy = DEPTH_DIRECTION * depth
    artists = Volume()
    artists.ax, artists.shape, artists.title = ax, (height, width, channels), title or ""
    artists.label = label if label is not None else f"{height}×{width}×{channels}"
    if channel is not None:
        # slices from the back to the front, so nearer ones hide farther ones
        n_slabs = min(channels, 16)
        per_slab = channels / n_slabs
        slabs = []
        for k in reversed(range(n_slabs)):
            ox, oy = DEPTH_DIRECTION * k * per_slab * depth_scale
            slabs.append(draw_box(ax, ox, oy, width, height, per_slab * depth_scale * 0.8, colour, zorder=1 + (n_slabs - k) / n_slabs))
        slabs.reverse()                                   # slabs[k] is slice group k
        artists["slices"] = slabs

        def set_channel(c: int) -> None:
            c = check_int(c, "channel", minimum=0)
            if c >= channels:
                raise ValueError(f"channel must be in 0..{channels - 1}; got {c}")
            chosen = int(c // per_slab)
            artists.channel = c
            for k, faces in enumerate(slabs):
                rgb = np.array(mcolors.to_rgb(POSITIVE if k == chosen else colour))
                for poly, shade in zip(faces, (1.0, 0.85, 0.7)):
                    poly.set_facecolor((*(rgb * shade), 1.0))

        set_channel(channel)
        artists["set_channel"] = set_channel
        artists["faces"] = slabs[0]
    else:
        if pixel is not None:
            column = draw_box(ax, 0, 0, 1, 1, depth, POSITIVE, zorder=1)
            artists["column"] = column

            def set_pixel(i: int, j: int) -> None:
                i, j = pixel_index(i, j, (height, width))
                move_box(column, j, height - 1 - i, 1, 1, depth)
                artists.pixel = (i, j)

            set_pixel(*pixel)
            artists["set_pixel"] = set_pixel
        artists["faces"] = draw_box(ax, 0, 0, width, height, depth, colour, alpha=0.45 if pixel is not None else 0.85, zorder=2)
        if pixel is not None and height * width <= 400:     # pixel grid on the front face
            segments = [[(k, 0), (k, height)] for k in range(1, width)] + [[(0, k), (width, k)] for k in range(1, height)]
            artists["grid"] = ax.add_collection(LineCollection(segments, colors="#333333", linewidths=0.4, zorder=2.5))
    ax.text(width / 2 + dx / 2, -0.8, label if label is not None else f"{height}×{width}×{channels}",
            ha="center", va="top", fontsize=10)
    if scale_note:
        import textwrap

        artists["depth_label"] = _depth_label(ax, 0, 0, width, height, depth, "channels", fontsize=8.5,
                                              edge="top" if channel is not None else "bottom")
        fig_width = ax.figure.get_size_inches()[0]
        chars = int(np.clip(ax.get_position().width * fig_width * 14, 20, 60))     # about 14 a inch at 8.5 pt
        artists["note"] = ax.annotate(textwrap.fill(depth_note(depth_scale, channels), chars), xy=(width / 2 + dx / 2, -0.8),
                                      xytext=(0, -15), textcoords="offset points", ha="center", va="top",
                                      fontsize=8.5, color="#555555", annotation_clip=False)
    ax.set_xlim(-1, width + dx + 1)
    ax.set_ylim(-2.5, height + dy + 1)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=11)
    return artists


#: Default face colours of plot_volumes: Okabe-Ito, without the orange that marks what is chosen.
VOLUME_COLOURS = ("#9db4d6", "#009e73", "#56b4e9", "#cc79a7", "#f0e442")


def _drawn_depth_ratio(depth_scale: float) -> float:
    """How long a channel is drawn, against a pixel of height or width, on screen.

    The depth recedes along :data:`DEPTH_DIRECTION`, whose length (0.75) shortens it further
    (an oblique projection): with ``depth_scale`` 0.25 a channel is drawn 0.1875 as long as a pixel.
    """
    return float(depth_scale * np.hypot(*DEPTH_DIRECTION))


def depth_note(depth_scale: float, channels: int) -> str:
    """What the depth of the boxes means, and its scale against height and width, in words.

    Said with a count a reader can picture, ``channels`` channels against pixels: "depth not to
    scale: 32 channels drawn as deep as 5.4 pixels" (a ratio such as "1/5.9 the scale" is hard to read).
    """
    channels = check_int(channels, "channels", minimum=1)
    ratio = _drawn_depth_ratio(depth_scale)
    if abs(ratio - 1) < 0.005:
        return "depth to scale: a channel drawn as deep as a pixel"
    pixels = channels * ratio
    deep = f"{pixels:.0f}" if abs(pixels - round(pixels)) < 0.05 else f"{pixels:.1f}"
    return f"depth not to scale: {channels} channel{'s' if channels > 1 else ''} drawn as deep as {deep} pixels"


def _depth_label(ax: Axes, x0: float, y0: float, width: float, height: float, depth: float, text: str, *,
                 edge: str = "bottom", **kwargs: Any) -> Text:
    """Write ``text`` along one of the box's receding edges (the depth, i.e. channel, axis), outside the
    box: under its bottom-right edge (``edge="bottom"``) or over its top-left edge (``"top"``)."""
    dx, dy = DEPTH_DIRECTION * depth
    angle = float(np.degrees(np.arctan2(DEPTH_DIRECTION[1], DEPTH_DIRECTION[0])))
    if edge == "bottom":
        x, y, va, side = x0 + width + dx / 2, y0 + dy / 2, "top", 1.0
    else:
        x, y, va, side = x0 + dx / 2, y0 + height + dy / 2, "bottom", -1.0
    # 2.5 points off the edge, outwards: the box's lines never touch the letters
    from matplotlib.transforms import ScaledTranslation

    normal = np.array([DEPTH_DIRECTION[1], -DEPTH_DIRECTION[0]]) / np.hypot(*DEPTH_DIRECTION) * side * 2.5 / 72
    offset = ScaledTranslation(normal[0], normal[1], ax.figure.dpi_scale_trans)
    return ax.text(x, y, text, rotation=angle, rotation_mode="anchor", ha="center", va=va,
                   transform=ax.transData + offset, fontsize=kwargs.pop("fontsize", 9), color=kwargs.pop("color", "#333333"),
                   **kwargs)


def plot_volumes(
    shapes: Sequence[Sequence[int]],
    labels: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    depth_scale: float = 0.25,
    colours: Sequence[str] | None = None,
    steps: Sequence[str] | None = None,
    min_size: float | None = None,
) -> list[dict]:
    """Draw several ``(H, W, C)`` volumes side by side, to one scale.

    Height and width are drawn 1 unit per pixel; depth (channels) is drawn
    with ``depth_scale`` units per channel, the same for every box, so the
    boxes compare honestly. The figure says so: the first box's depth edge is
    labelled "channels", and a note under the boxes gives the depth's scale
    against height and width (computed from ``depth_scale``). Each box is
    labelled with its shape.

    Parameters
    ----------
    shapes : sequence of (int, int, int)
        The volumes, height × width × channels.
    labels : sequence of str, optional
        A line under each box, under its shape.
    ax : Axes, optional
        Where to draw; a new figure is made if None.
    title : str, optional
        Axes title.
    depth_scale : float, default 0.25
        Drawing units per channel (height and width: 1 unit per pixel).
    colours : sequence of str, optional
        Face colours, used in turn; default :data:`VOLUME_COLOURS` (no
        orange: the course keeps it for what is chosen).
    steps : sequence of str, optional
        One label per arrow between consecutive boxes (``len(shapes) - 1``):
        the boxes become a chain, each arrow saying the step that turns one
        volume into the next (``"1×1 conv + ReLU"``).
    min_size : float, optional
        Smallest height and width a box's front is drawn with, in drawing
        units, so a 1×1×10 box stays visible beside 8×8 ones. Default: a
        quarter of the tallest box. A box drawn larger than to scale is marked
        ``*`` under its shape, and the note says so. 0 draws every box to
        scale. (Depth is always to scale: a channel is never less than
        ``depth_scale``.)

    Returns
    -------
    Volumes
        A list with, per box, ``"faces"`` (its polygons); with ``steps``, also ``"arrow"``
        and ``"step"`` on every box but the last.

    Raises
    ------
    TypeError, ValueError
        A shape that is not three integers >= 1, labels, colours or steps of
        the wrong length or type, or a depth_scale or min_size that is not a
        positive number.
    """
    if isinstance(shapes, (str, bytes)) or not hasattr(shapes, "__len__"):
        raise TypeError(f"shapes must be a sequence of (H, W, C) shapes; got {short_repr(shapes)}")
    if len(shapes) == 0:
        raise ValueError("shapes must list at least one (H, W, C) shape; got none")
    labels = check_texts(labels, "labels", len(shapes), "one entry per shape") if labels is not None else [""] * len(shapes)
    colours = list(colours) if colours is not None else list(VOLUME_COLOURS)
    if len(colours) == 0:
        raise ValueError("colours must list at least one colour; got none")
    for k, colour in enumerate(colours):
        if not mcolors.is_color_like(colour):
            raise ValueError(f"colours[{k}] must be a matplotlib colour; got {colour!r}")
    if steps is not None:
        steps = check_texts(steps, "steps", len(shapes) - 1, "one per arrow between consecutive shapes")
    depth_scale = check_real(depth_scale, "depth_scale")
    if depth_scale <= 0:
        raise ValueError(f"depth_scale must be a positive number of drawing units per channel; got {depth_scale:g}")
    checked = []
    for k, shape in enumerate(shapes):
        if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) != 3:
            raise ValueError(f"shapes[{k}] must be (H, W, C); got {shape!r}")
        checked.append(tuple(check_int(v, f"shapes[{k}]") for v in shape))
    tallest = max(h for h, _, _ in checked)
    if min_size is None:
        min_size = tallest / 4
    min_size = check_real(min_size, "min_size")
    if min_size < 0:
        raise ValueError(f"min_size must be >= 0 drawing units; got {min_size:g}")
    ax = axes_or_new(ax, figsize=(3.2 * len(shapes), 3.5))
    extents = [max(w, min_size) + DEPTH_DIRECTION[0] * c * depth_scale for _, w, c in checked]
    gap = 12.0 if steps is None else max(12.0, 0.45 * max(extents), 2.2 * tallest)
    x0, top = 0.0, 0.0
    out = Volumes()
    out.ax, out.shapes, out.labels, out.steps, out.title = ax, checked, list(labels), steps, title or ""
    enlarged = False
    for k, ((height, width, channels), label) in enumerate(zip(checked, labels)):
        drawn = [max(height, min_size), max(width, min_size), channels * depth_scale]
        grown = drawn[:2] != [height, width]
        enlarged = enlarged or grown
        h, w, depth = drawn
        faces = draw_box(ax, x0, 0, w, h, depth, colours[k % len(colours)], alpha=0.9)
        dx, dy = DEPTH_DIRECTION * depth
        ax.text(x0 + (w + dx) / 2, -2, f"{height}×{width}×{channels}" + ("*" if grown else ""), ha="center",
                va="top", fontsize=11, weight="bold")
        label_y = -2 - 0.09 * (tallest + 30)
        if label:
            ax.text(x0 + (w + dx) / 2, label_y, label, ha="center", va="top", fontsize=10)
        if k == 0:
            _depth_label(ax, x0, 0, w, h, depth, "channels", edge="top")
        out.append({"faces": faces, "box": (x0, w, h, depth)})
        x0 += w + dx + gap
        top = max(top, h + dy)
    if steps is not None:
        y = min(h for _, _, h, _ in (v["box"] for v in out)) / 2
        for k, step in enumerate(steps):
            (xa, wa, _, da), (xb, _, _, _) = out[k]["box"], out[k + 1]["box"]
            start, end = xa + wa + DEPTH_DIRECTION[0] * da + 0.08 * gap, xb - 0.08 * gap
            arrow = FancyArrowPatch((start, y), (end, y), arrowstyle="-|>", mutation_scale=14, color=HIGHLIGHT,
                                    linewidth=1.4)
            ax.add_patch(arrow)
            text = ax.text((start + end) / 2, y + 0.6, _wrap_step(step), ha="center", va="bottom", fontsize=9,
                           linespacing=1.1)
            out[k]["arrow"], out[k]["step"] = arrow, text
    for item in out:
        item.pop("box")
    note = (depth_note(depth_scale, max(c for _, _, c in checked))
            + ("; * front drawn larger than to scale, to be visible" if enlarged else ""))
    out.note = note
    # under the labels, whatever the scale: placed in points below the label line
    below = 30 if any(labels) else 16
    ax.annotate(note, xy=(0.5, label_y if any(labels) else -2), xycoords=("axes fraction", "data"),
                xytext=(0, -below), textcoords="offset points", ha="center", va="top", fontsize=9, color="#555555",
                annotation_clip=False)
    ax.set_xlim(-3, x0 - gap + 3)
    ax.set_ylim(-0.3 * (top + 10), top + 3)
    ax.set_aspect("equal")
    ax.set_axis_off()
    if title:
        ax.set_title(title, fontsize=12)
    return out


def _wrap_step(step: str, width: int = 12) -> str:
    """An arrow's label on at most a few short lines: ``3×3 conv\\n+ ReLU``."""
    if len(step) <= width:
        return step
    if " + " in step:
        head, tail = step.split(" + ", 1)
        return head + "\n+ " + tail
    import textwrap

    return textwrap.fill(step, width + 4)
