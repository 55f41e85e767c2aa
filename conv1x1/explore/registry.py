"""The registry: every explorer of the course, how to make it, and a tour of its controls.

The tests (behaviour, blitting, accessibility), the latency benchmark and the browser tests take the
explorers from :data:`EXPLORERS`, so an explorer added here is tested and measured like the others.
"""

from __future__ import annotations

from typing import Any, Callable, NamedTuple

from .explorers import (
    ColourMixExplorer,
    CostExplorer,
    DotProductExplorer,
    Explorer,
    WeightExplorer,
)
from .layer_kind import LayerKindExplorer

__all__ = ["EXPLORERS", "ExplorerSpec", "Move"]

Move = tuple[str, Any]


class ExplorerSpec(NamedTuple):
    """An explorer of the course: how to make it (in its default state, or in a given one) and a tour.

    ``make(None)`` builds the explorer as its lesson does; ``make(state)`` builds it in the state
    ``explorer.state()`` returned (what rebuilding the figure from scratch costs); ``moves`` is a
    sequence of ``(control, value)`` a learner's slider would send, covering every control.
    """

    lesson: str
    make: Callable[[dict | None], Explorer]
    moves: list[Move]


def _sweep(name: str, values) -> list[Move]:
    return [(name, v) for v in values]


def _weight_explorer(s: dict | None) -> Explorer:
    return WeightExplorer() if s is None else WeightExplorer(weight=s["weight"], relu=s["relu"], pixel=(s["i"], s["j"]))


def _dot_product_explorer(s: dict | None) -> Explorer:
    if s is None:
        return DotProductExplorer()
    return DotProductExplorer(pixel=(s["i"], s["j"]), filter=s["filter"], relu=s["relu"])


def _cost_explorer(s: dict | None) -> Explorer:
    return CostExplorer() if s is None else CostExplorer(**s)     # controls are named like the arguments


def _colour_mix_explorer(s: dict | None) -> Explorer:
    if s is None:
        return ColourMixExplorer()                                 # the full-size 600×512 photo
    names = ColourMixExplorer.WEIGHT_NAMES
    return ColourMixExplorer(w=[[s[names[c][f]] for f in range(3)] for c in range(3)], pixel=(s["i"], s["j"]),
                             filter=s["filter"])


def _layer_kind_explorer(s: dict | None) -> Explorer:
    if s is None:
        return LayerKindExplorer()
    return LayerKindExplorer(s["kind"], s["in_channels"], s["out_channels"], s["kernel_size"], s["groups"],
                             pixel=(s["i"], s["j"]), channel=s["channel"])


#: Lesson 09's tour: every kind from the menu, every size, the sizes pulling the kind along (a depthwise
#: layer widened, g = C_in making a layer depthwise, k = 1 making it pointwise), back to the lesson's layer.
_LAYER_KIND_MOVES: list[Move] = [
    ("channel", 5), ("i", 0), ("j", 5), ("i", 4), ("j", 0), ("kind", "grouped"), ("groups", 4),
    ("out_channels", 12), ("kernel_size", 5), ("kind", "pointwise"), ("in_channels", 16), ("groups", 8),
    ("kernel_size", 3), ("kind", "standard"), ("in_channels", 3), ("kind", "depthwise"), ("channel", 1),
    ("kind", "grouped"), ("out_channels", 6), ("kernel_size", 1), ("groups", 1), ("kind", "standard"),
    ("out_channels", 8), ("channel", 0), ("i", 2), ("j", 3),
]


def _dot_product_moves() -> list[Move]:
    moves: list[Move] = []
    for f in range(4):
        moves.append(("filter", f))
        for k in range(6):
            moves += [("i", (k + f) % 6), ("j", (2 * k + f) % 6)]
        moves.append(("relu", f % 2 == 0))
    return moves


_NAMES = ColourMixExplorer.WEIGHT_NAMES

#: name -> :class:`ExplorerSpec`, for every explorer of the course, in lesson order.
EXPLORERS: dict[str, ExplorerSpec] = {
    "01 WeightExplorer": ExplorerSpec(
        "01", _weight_explorer,
        _sweep("weight", [-3 + 0.5 * k for k in range(13)]) + [("relu", True)]
        + _sweep("weight", [3 - 0.5 * k for k in range(13)]) + [("relu", False)]
        + _sweep("i", [0, 1, 2, 3, 4, 5]) + _sweep("j", [0, 1, 2, 3, 4, 5])),
    "02 DotProductExplorer": ExplorerSpec("02", _dot_product_explorer, _dot_product_moves()),
    "04 CostExplorer": ExplorerSpec(
        "04", _cost_explorer,
        _sweep("height", [32, 40, 56, 64, 14, 7, 1, 28]) + _sweep("width", [32, 56, 64, 14, 1, 28])
        + _sweep("in_channels", [256, 512, 64, 3, 1, 192]) + _sweep("out_channels", [64, 512, 128, 1, 32])
        + _sweep("kernel_size", [7, 3, 1, 5]) + _sweep("bottleneck", [32, 64, 256, 128, 1, 8, 16])),
    "07 ColourMixExplorer": ExplorerSpec(
        "07", _colour_mix_explorer,
        _sweep(_NAMES[0][0], [round(0.1 * k, 1) for k in range(-10, 11)])            # one weight, end to end
        + _sweep(_NAMES[2][1], [0.5, -0.5, 0.25, 0.0, 0.75])
        + [(name, 0.2) for row in _NAMES for name in row if name not in (_NAMES[0][0], _NAMES[2][1])]
        + _sweep("preset", ["identity", "grey", "swap red and blue", "sepia", "RGB to YIQ", "identity"])
        + _sweep("i", [0, 120, 240, 360, 480, 597, 339]) + _sweep("j", [0, 129, 255, 384, 510, 90])
        + _sweep("filter", [1, 2, 0]) + _sweep("preset", ["sepia", "grey"])),
    "09 LayerKindExplorer": ExplorerSpec("09", _layer_kind_explorer, _LAYER_KIND_MOVES),
}
