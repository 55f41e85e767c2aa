"""Lesson 09's explorer: one layer, four kinds, wired to a kind menu and sliders.

The figure is :class:`conv1x1.draw.layer_kinds.LayerKindView`; :func:`settle_layer` keeps the sizes and
the kind consistent as either moves.
"""

from __future__ import annotations

import math

import ipywidgets as widgets

from ..compute.count import layer_kind
from ..compute.validate import check_choice, short_repr
from ..draw.layer_kinds import KIND_NAMES, MAX_CHANNELS, SIZE, LayerKindView
from ..draw.style import new_figure
from ..engine import controls as controls_
from ..engine.explorer import Explorer, State, slider
from ..engine.layouts import Arrangement

__all__ = ["LayerKindExplorer", "settle_layer"]


def _divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def settle_layer(state: State, changed: str | None) -> dict:
    """The controls' values (``state``) made into a valid layer of the kind shown, after ``changed`` moved.

    Choosing a kind sets the sizes it needs (depthwise: C_out = g = C_in; pointwise: k = 1, g = 1;
    standard: g = 1, k > 1; grouped: 1 < g < C_in dividing both channel counts). Moving a size keeps
    it and fixes the others (groups that no longer divide the channels are lowered; channels that a
    new g does not divide are rounded to multiples of it; a depthwise layer keeps C_out = g = C_in),
    and the kind then follows the sizes (:func:`conv1x1.compute.count.layer_kind`): k = 1 makes a standard
    layer pointwise. The output channel followed stays below C_out.

    >>> settle_layer(dict(kind="depthwise", in_channels=4, out_channels=8, kernel_size=3, groups=1, i=0, j=0,
    ...                   channel=6), "kind")
    {'kind': 'depthwise', 'in_channels': 4, 'out_channels': 4, 'kernel_size': 3, 'groups': 4, 'i': 0, 'j': 0, 'channel': 3}
    """
    missing = [name for name in ("kind", "in_channels", "out_channels", "kernel_size", "groups", "channel")
               if name not in state]
    if missing:
        raise ValueError(f"state must hold the value of every control of the layer; got {short_repr(state)}, "
                         f"without {', '.join(missing)}")
    v = dict(state)
    cin, cout, k, g = v["in_channels"], v["out_channels"], v["kernel_size"], v["groups"]
    if changed == "kind":
        kind = v["kind"]
        if kind == "standard":
            g, k = 1, (3 if k == 1 else k)
        elif kind == "pointwise":
            g, k = 1, 1
        elif kind == "depthwise":
            cin = max(cin, 2)
            cout = g = cin
        else:                                              # grouped: 1 < g < C_in, dividing both
            if not [d for d in _divisors(math.gcd(cin, cout)) if 1 < d < cin]:
                cin = min(max(4, cin + cin % 2), MAX_CHANNELS)
                cout = min(cout + cout % 2, MAX_CHANNELS)
            choices = [d for d in _divisors(math.gcd(cin, cout)) if 1 < d < cin]
            g = min(choices, key=lambda d: (abs(d - g), d))
    elif v["kind"] == "depthwise" and changed in ("in_channels", "out_channels", "groups"):
        cin = cout = g = v[changed]
    elif changed == "groups":
        cin, cout = (max(g, min(round(n / g), MAX_CHANNELS // g) * g) for n in (cin, cout))
    elif changed in ("in_channels", "out_channels"):
        g = max(d for d in _divisors(math.gcd(cin, cout)) if d <= g)
    v.update(in_channels=cin, out_channels=cout, kernel_size=k, groups=g, channel=min(v["channel"], cout - 1),
             kind=layer_kind(k, cin, cout, g))
    return v


class LayerKindExplorer(Explorer):
    """Lesson 09: one layer, four kinds. A menu sets the kind (standard, grouped, depthwise, pointwise),
    sliders the sizes (C_in, C_out, k, g) and the output value followed (pixel i, j and channel f).

    The figure (:class:`LayerKindView`) shows on the input volume exactly which values that output value
    reads, the layer's weights as a grid (full, block-diagonal, diagonal) and its weights and
    multiply-adds. Sizes that a kind needs follow the menu (:func:`settle`); the menu follows the sizes.

    Parameters
    ----------
    kind : str, default "standard"
        One of :data:`KIND_NAMES`; with the sizes given it must be the kind they make.
    in_channels, out_channels : int, default 4, 8
        1..16.
    kernel_size : int, default 3
        1, 3 or 5.
    groups : int, default 1
        Divides both channel counts.
    pixel : (int, int), default (2, 3)
    channel : int, default 0
        The output channel f followed, below ``out_channels``.
    """

    def __init__(self, kind: str = "standard", in_channels: int = 4, out_channels: int = 8, kernel_size: int = 3,
                 groups: int = 1, pixel: tuple[int, int] = (2, 3), channel: int = 0):
        kind = check_choice(kind, "kind", KIND_NAMES)
        figure = new_figure(LayerKindView.FIGSIZE)
        self.view = view = LayerKindView(figure, in_channels, out_channels, kernel_size, groups, pixel, channel)
        if view.reads.kind != kind:
            raise ValueError(f"kind must be the kind the sizes make: in_channels = {in_channels}, out_channels = "
                             f"{out_channels}, kernel_size = {kernel_size}, groups = {groups} make a "
                             f"{view.reads.kind} layer; got kind = {kind!r}")
        i, j = view.reads.pixel
        controls = {
            "kind": controls_.Dropdown(options=list(KIND_NAMES), value=kind, description="kind of layer",
                                       tooltip="standard, grouped, depthwise or pointwise"),
            "in_channels": slider(controls_.IntSlider, "channels in C_in", in_channels, 1, MAX_CHANNELS),
            "out_channels": slider(controls_.IntSlider, "channels out C_out", out_channels, 1, MAX_CHANNELS),
            "kernel_size": slider(controls_.IntSlider, "kernel k (k×k)", kernel_size, 1, 5, 2),
            "groups": slider(controls_.IntSlider, "groups g", groups, 1, MAX_CHANNELS),
            "i": slider(controls_.IntSlider, "output row i", i, 0, SIZE - 1),
            "j": slider(controls_.IntSlider, "output column j", j, 0, SIZE - 1),
            "channel": slider(controls_.IntSlider, "output channel f", channel, 0, MAX_CHANNELS - 1,
                              tooltip="output channel f (below C_out)"),
        }

        super().__init__(figure, view.animated_artists(), controls,
                         instructions="Choose a kind and the sizes; move the output value (i, j, f) and watch what "
                                      "it reads. The menu and the sizes follow each other.")

    def settle(self, state: State, changed: str | None) -> dict:
        """The sizes a kind needs follow the menu, and the menu follows the sizes (:func:`settle_layer`)."""
        return settle_layer(state, changed)

    def update(self, state: State, changed: str | None) -> None:
        self.view.update(state["in_channels"], state["out_channels"], state["kernel_size"], state["groups"],
                         (state["i"], state["j"]), state["channel"])

    def headline(self, state: State) -> str:
        return "One layer, four kinds: which input values one output value reads, and what the layer costs."

    def caption(self, state: State) -> str:
        reads = self.view.reads
        return (f"Showing: {state['kind']}, C_in = {state['in_channels']}, C_out = {state['out_channels']}, "
                f"k = {state['kernel_size']}, g = {state['groups']}, output[{state['i']}, {state['j']}, "
                f"{state['channel']}] reads {reads.reads.count} values, {reads.cost.weights:,} weights, "
                f"{reads.cost.multiplications:,} multiply-adds")

    def describe(self) -> str:
        """The figure's text alternative: what it shows, with its numbers."""
        return self.view.describe()

    def control_rows(self) -> list[widgets.Widget]:
        c, row = self.controls, widgets.Layout(flex_flow="row wrap")
        return [widgets.HBox([c[n] for n in ("kind", "in_channels", "out_channels", "kernel_size", "groups")],
                             layout=row),
                widgets.HBox([c[n] for n in ("i", "j", "channel")], layout=row)]

    def slide_layout(self) -> Arrangement:
        # on a slide the figure is drawn at 0.92 of its size: 11.5 pt is the body text's 14 px there; the
        # counting rule's note (a line wider than the figure at that size) is left out
        return Arrangement(LayerKindView.FIGSIZE, {}, text=11.5, hide=[self.view.note])
