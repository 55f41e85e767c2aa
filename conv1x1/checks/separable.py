"""Checks of lessons 09 and 10: what four layers see, the cost ratio, the cost of a depthwise-separable layer.

Each check recomputes the answer with :mod:`conv1x1.compute.cost` and recognises the usual slips: the depthwise
part counted as a full k×k×C_in filter per channel, the pointwise part forgotten, the input size used
where stride 2 halves the output, parameters or FLOPs given for multiply-adds, the saving turned upside
down or taken with the wrong channel count.
"""

from __future__ import annotations

from typing import Any

from ..compute.core import format_significant
from ..compute.cost import conv_cost
from ..compute.count import layer_kind
from .feedback import Feedback, Mistake, check_number, not_answered

__all__ = ["check_layer_roles", "check_cost_ratio", "check_separable_cost"]


def _parts(height: int, width: int, in_channels: int, out_channels: int, kernel_size: int, stride: int):
    depthwise = conv_cost(height, width, in_channels, in_channels, kernel_size, groups=in_channels, stride=stride,
                          bias=False)
    h, w, _ = depthwise.output_shape
    pointwise = conv_cost(h, w, in_channels, out_channels, 1, bias=False)
    return depthwise, pointwise


def check_separable_cost(answer: Any, height: int, width: int, in_channels: int, out_channels: int,
                         kernel_size: int = 3, stride: int = 1) -> Feedback:
    """Check the multiply-adds of a depthwise-separable layer: a depthwise k×k (with ``stride``), then a 1×1.

    Parameters
    ----------
    answer : number
        The learner's count.
    height, width, in_channels, out_channels, kernel_size, stride : int
        The layer: H×W×C_in in, 'same' padding, ceil(H / stride) × ceil(W / stride) × C_out out.

    Returns
    -------
    Feedback
        Recognises the depthwise part counted as a full k×k×C_in filter per channel (or the whole layer
        counted as a standard k×k convolution), the pointwise (or the depthwise) part alone, the input's
        size used where the stride shrinks the output (in both parts or one), the weights given for the
        multiply-adds, and FLOPs (2 × multiply-adds).
    """
    depthwise, pointwise = _parts(height, width, in_channels, out_channels, kernel_size, stride)
    expected = depthwise.multiplications + pointwise.multiplications
    h, w, _ = depthwise.output_shape
    k2, pixels, out_pixels = kernel_size * kernel_size, height * width, h * w
    full = conv_cost(height, width, in_channels, out_channels, kernel_size, stride=stride, bias=False)
    mistakes = [
        Mistake(out_pixels * in_channels * k2 * in_channels + pointwise.multiplications,
                "the depthwise part is counted as if each of its filters were k × k × C_in: a depthwise filter "
                "reads one channel only.",
                f"the depthwise part is H_out × W_out × C_in × k² = {h} × {w} × {in_channels} × {k2}."),
        Mistake(full.multiplications + pointwise.multiplications,
                "this adds a standard k×k convolution (filters k × k × C_in) to the pointwise part: the depthwise "
                "part has one k×k filter per channel, each reading that channel only.",
                f"the depthwise part is H_out × W_out × C_in × k² = {h} × {w} × {in_channels} × {k2}."),
        Mistake(full.multiplications, "this is the standard k×k convolution the separable layer replaces.",
                "count the two layers of the separable version: depthwise k×k, then pointwise 1×1."),
        Mistake(depthwise.multiplications, "this is the depthwise part alone: the pointwise 1×1 part is missing.",
                f"add the 1×1 convolution {in_channels} → {out_channels} channels at every output pixel: "
                f"{h} × {w} × {in_channels} × {out_channels}."),
        Mistake(pointwise.multiplications, "this is the pointwise 1×1 part alone: the depthwise part is missing.",
                f"add the depthwise k×k part: {h} × {w} × {in_channels} × {k2}."),
        Mistake(2 * expected, "this is 2 × the multiply-adds: FLOPs, a multiplication and an addition each.",
                "the question asks for multiply-adds: one per weight per output pixel."),
        Mistake(depthwise.weights + pointwise.weights,
                "these are the layer's weights, not its multiply-adds: each weight is used at every output pixel.",
                f"multiply each part's weights by the output pixels, H_out × W_out = {h} × {w}."),
    ]
    if stride > 1:
        mistakes += [
            Mistake(pixels * (in_channels * k2 + in_channels * out_channels),
                    f"this uses the input's {height}×{width} pixels, but stride {stride} makes the output "
                    f"{h}×{w}: both parts run at the output's pixels.",
                    f"with stride {stride} the depthwise layer computes only every {stride}th pixel: "
                    f"H_out = ceil({height} / {stride}) = {h}."),
            Mistake(pixels * in_channels * k2 + pointwise.multiplications,
                    f"the depthwise part uses the input's {height}×{width} pixels, but with stride {stride} it "
                    f"computes only {h}×{w} outputs.",
                    f"H_out = ceil({height} / {stride}) = {h}: count the depthwise part at {h} × {w} pixels."),
            Mistake(depthwise.multiplications + pixels * in_channels * out_channels,
                    f"the pointwise part uses the input's {height}×{width} pixels, but it reads the depthwise "
                    f"layer's {h}×{w} output.",
                    f"the 1×1 layer runs at {h} × {w} pixels."),
        ]
    return check_number(answer, expected, what="number of multiply-adds", mistakes=mistakes,
                        hint="add the two parts: depthwise H_out × W_out × C_in × k², pointwise "
                             "H_out × W_out × C_in × C_out.")


def check_cost_ratio(answer: Any, in_channels: int, out_channels: int, kernel_size: int = 3) -> Feedback:
    """Check the cost ratio: separable multiply-adds / standard k×k multiply-adds = 1/C_out + 1/k².

    Accepts the ratio to 3 significant digits (``0.115`` for 1/256 + 1/9). Recognises its inverse
    (how many times fewer), 1/k² alone (pointwise part forgotten), 1/C_out alone (depthwise part
    forgotten), and C_in in place of C_out.
    """
    expected = 1 / out_channels + 1 / (kernel_size * kernel_size)
    k2 = kernel_size * kernel_size
    mistakes = [
        Mistake(1 / expected, "this is how many times fewer multiply-adds the separable layer needs: the inverse "
                "of the ratio asked for.", "give the ratio separable / standard, a number below 1."),
        Mistake(1 / k2, f"this is 1/k² = 1/{k2} alone: the depthwise part's share. The pointwise part adds "
                f"1/C_out.", "divide each part by the standard count and add the two shares."),
        Mistake(1 / out_channels, f"this is 1/C_out = 1/{format_significant(out_channels)} alone: the pointwise "
                f"part's share. The depthwise part adds 1/k².",
                "divide each part by the standard count and add the two shares."),
    ]
    if in_channels != out_channels:
        mistakes.append(Mistake(1 / in_channels + 1 / k2,
                                f"this uses C_in = {format_significant(in_channels)}; the depthwise part divided by "
                                f"the standard count leaves 1/C_out, with C_out = "
                                f"{format_significant(out_channels)}.",
                                "write both counts out: C_in cancels, C_out does not."))
    return check_number(answer, expected, what="cost ratio", mistakes=mistakes, rtol=1e-3, atol=0,
                        hint="the ratio is (depthwise + pointwise) / standard; H × W × C_in cancels.")


def _letters(value: Any, name: str) -> set[str] | None:
    """A collection of layer letters ("AC", ["A", "C"], {"A", "C"}) as a set of capitals, or None."""
    if isinstance(value, str):
        items = [ch for ch in value if not ch.isspace() and ch not in ",;"]
    elif isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        return None
    if not all(isinstance(item, str) and len(item.strip()) == 1 for item in items):
        return None
    return {item.strip().upper() for item in items}


def check_layer_roles(answer: Any, layers: dict[str, dict[str, int]]) -> Feedback:
    """Check which layers mix channels and which see neighbours.

    ``layers`` maps a letter to a layer's ``in_channels``, ``out_channels``, ``kernel_size`` and ``groups``.
    ``answer`` is ``{"mixes channels": "AC", "sees neighbours": "AB"}`` (the letters as a string, list or set,
    in any order: "CA" is "AC").
    A layer mixes channels when an output channel reads more than one input channel (C_in / g > 1), and
    sees neighbours when k > 1.
    """
    if answer is Ellipsis or answer is None:
        return not_answered("dict of two strings of letters")
    keys = ("mixes channels", "sees neighbours")
    form = ('write the answer as {"mixes channels": "<letters>", "sees neighbours": "<letters>"}: for each '
            'question, the letters of the layers, in any order.')
    if not isinstance(answer, dict) or set(answer) != set(keys):
        got = f"a dict with keys {sorted(answer)}" if isinstance(answer, dict) else type(answer).__name__
        return Feedback(False, f"your answer must be a dict with the keys 'mixes channels' and 'sees neighbours'; "
                               f"got {got}.", form)
    right = {
        "mixes channels": {n for n, s in layers.items() if s["in_channels"] // s["groups"] > 1},
        "sees neighbours": {n for n, s in layers.items() if s["kernel_size"] > 1},
    }
    chosen = {}
    for key in keys:
        letters = _letters(answer[key], key)
        if letters is None or not letters <= set(layers):
            return Feedback(False, f"answer[{key!r}] must be letters of the layers ({', '.join(layers)}); got "
                                   f"{answer[key]!r}.", form)
        chosen[key] = letters
    if chosen == right:
        return Feedback(True, f"layers {''.join(sorted(right['mixes channels']))} mix channels and layers "
                              f"{''.join(sorted(right['sees neighbours']))} see neighbours.")
    for key in keys:
        for letter in sorted(chosen[key] ^ right[key]):
            s = layers[letter]
            kind = layer_kind(s["kernel_size"], s["in_channels"], s["out_channels"], s["groups"])
            wrongly = "included" if letter in chosen[key] else "left out"
            if key == "mixes channels":
                why = (f"with groups = {s['groups']} each of its filters reads C_in / g = "
                       f"{s['in_channels'] // s['groups']} channel{'s' if s['in_channels'] // s['groups'] > 1 else ''}")
            else:
                why = f"its kernel is {s['kernel_size']}×{s['kernel_size']}"
            return Feedback(False, f"layer {letter} ({kind}) is {wrongly} for '{key}': {why}.",
                            "a layer mixes channels when one output reads several input channels (C_in / g > 1), "
                            "and sees neighbours when its kernel is larger than 1×1.")
    raise AssertionError("unreachable")      # pragma: no cover
