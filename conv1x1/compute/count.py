"""Counting a whole network: every layer's multiply-adds and parameters, and the totals per kind of layer.

Lesson 10 counts MobileNet v1 (Howard et al. 2017, Table 1) twice: from the paper's table of layers
(:func:`count_layers` over :func:`mobilenet_v1_layers`) and from a PyTorch module built from that
table (:func:`count_module`). Both go through :func:`conv1x1.compute.cost.conv_cost`, so both follow the one
statement of what is counted, :data:`conv1x1.compute.cost.COUNTING_RULES`.

Every convolution is put in one of four kinds by :func:`layer_kind` (standard, grouped, depthwise,
pointwise); fully connected layers are a fifth kind. NumPy only: PyTorch is imported inside
:func:`count_module`, only when it is called.

>>> body = count_layers([Conv(8, 3), Conv(8, 3, groups=8), Conv(16, 1)], input_shape=(6, 6, 4))
>>> [(layer.kind, layer.multiply_adds) for layer in body.layers]
[('standard', 10368), ('depthwise', 2592), ('pointwise', 4608)]
>>> body.multiply_adds, body.output_shape
(17568, (6, 6, 16))
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Sequence

from .core import format_significant
from .cost import ConvCost, conv_cost
from .validate import check_bool, check_int, describe, pixel_pair

__all__ = ["Conv", "Dense", "KINDS", "LayerCount", "MOBILENET_V1_PAPER", "NetworkCount", "Reads", "count_layers",
           "count_module", "layer_kind", "mobilenet_v1_layers", "values_read"]

#: The kinds of layer a count is split into, in the order tables list them.
KINDS = ("standard", "grouped", "depthwise", "pointwise", "fully connected")


def layer_kind(kernel_size: int, in_channels: int, out_channels: int, groups: int = 1) -> str:
    """Which kind of convolution this is: "standard", "grouped", "depthwise" or "pointwise".

    * pointwise: a 1×1 convolution over all channels (``kernel_size == 1``, ``groups == 1``);
    * standard: a k×k convolution over all channels (k > 1, ``groups == 1``; the paper's "full");
    * depthwise: one group per input channel (``groups == in_channels > 1``): each filter sees one channel;
    * grouped: anything between (1 < groups < in_channels): each filter sees its group's channels.

    >>> layer_kind(3, 32, 32, groups=32), layer_kind(1, 32, 64), layer_kind(1, 32, 64, groups=4)
    ('depthwise', 'pointwise', 'grouped')
    """
    kernel_size = check_int(kernel_size, "kernel_size")
    in_channels = check_int(in_channels, "in_channels")
    out_channels = check_int(out_channels, "out_channels")
    groups = check_int(groups, "groups")
    if in_channels % groups or out_channels % groups:
        raise ValueError(f"groups must divide in_channels ({in_channels}) and out_channels ({out_channels}); "
                         f"got {groups}")
    if groups == 1:
        return "pointwise" if kernel_size == 1 else "standard"
    return "depthwise" if groups == in_channels else "grouped"


class Reads(NamedTuple):
    """The input values one output value reads: rows × columns (inside the image) × channels.

    ``count`` is what its dot product multiplies, k² × C_in / g, zeros of the padding included
    (:data:`conv1x1.compute.cost.COUNTING_RULES`).
    """

    rows: range
    cols: range
    channels: range
    count: int


def values_read(pixel: tuple[int, int], channel: int, *, height: int, width: int, in_channels: int,
                out_channels: int, kernel_size: int, groups: int = 1) -> Reads:
    """Which input values output ``[i, j, channel]`` of a stride-1 'same' convolution reads.

    Its k×k window centred on (i, j), cut to the image, and the C_in / g channels of its group: group
    ``channel // (C_out / g)``.

    >>> values_read((0, 3), 5, height=6, width=6, in_channels=4, out_channels=8, kernel_size=3, groups=2)
    Reads(rows=range(0, 2), cols=range(2, 5), channels=range(2, 4), count=18)
    """
    height, width = check_int(height, "height"), check_int(width, "width")
    layer_kind(kernel_size, in_channels, out_channels, groups)       # checks the sizes and the groups
    i, j = pixel_pair(pixel, (height, width))
    channel = check_int(channel, "channel", minimum=0, maximum=out_channels - 1)
    half = kernel_size // 2
    per_group = in_channels // groups
    group = channel // (out_channels // groups)
    return Reads(range(max(i - half, 0), min(i + half + 1, height)), range(max(j - half, 0), min(j + half + 1, width)),
                 range(group * per_group, (group + 1) * per_group), kernel_size * kernel_size * per_group)


class Conv(NamedTuple):
    """A convolution layer in a table of layers (see :func:`count_layers`); its input channels come from the
    layer before. Batch normalisation after it takes the place of its bias, hence ``bias=False``."""

    out_channels: int
    kernel_size: int = 1
    stride: int = 1
    groups: int = 1
    padding: int | str = "same"
    bias: bool = False


class Dense(NamedTuple):
    """A fully connected layer in a table of layers; it reads its whole input (H × W × C numbers)."""

    out_features: int
    bias: bool = True


class LayerCount(NamedTuple):
    """One counted layer: its kind, shapes (channels last) and cost."""

    name: str
    kind: str
    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    cost: ConvCost

    @property
    def multiply_adds(self) -> int:
        return self.cost.multiplications

    @property
    def parameters(self) -> int:
        return self.cost.parameters


class NetworkCount:
    """Every layer's count, the totals, and the totals per kind of layer (:data:`KINDS`).

    Attributes
    ----------
    layers : list of LayerCount
    multiply_adds, parameters : int
        Totals over all layers.
    """

    def __init__(self, layers: Sequence[LayerCount]):
        self.layers = list(layers)
        self.multiply_adds = sum(layer.multiply_adds for layer in self.layers)
        self.parameters = sum(layer.parameters for layer in self.layers)

    @property
    def output_shape(self) -> tuple[int, int, int]:
        """The last layer's output shape."""
        return self.layers[-1].output_shape

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """``{kind: (multiply_adds, parameters)}`` for the kinds present, in the order of :data:`KINDS`."""
        totals = {kind: [0, 0] for kind in KINDS}
        for layer in self.layers:
            totals[layer.kind][0] += layer.multiply_adds
            totals[layer.kind][1] += layer.parameters
        return {kind: (m, p) for kind, (m, p) in totals.items() if any(layer.kind == kind for layer in self.layers)}

    def shares(self) -> dict[str, tuple[float, float]]:
        """``{kind: (share of the multiply-adds, share of the parameters)}``, as fractions of the totals."""
        return {kind: (m / self.multiply_adds, p / self.parameters) for kind, (m, p) in self.by_kind().items()}

    def table(self) -> str:
        """The totals per kind of layer, as a text table with shares in percent."""
        rows = [f"{'kind of layer':<16} {'multiply-adds':>14} {'share':>7} {'parameters':>11} {'share':>7}"]
        for kind, (m, p) in self.by_kind().items():
            rows.append(f"{kind:<16} {m:>14,} {100 * m / self.multiply_adds:>6.2f}% {p:>11,} "
                        f"{100 * p / self.parameters:>6.2f}%")
        rows.append(f"{'total':<16} {self.multiply_adds:>14,} {100:>6.2f}% {self.parameters:>11,} {100:>6.2f}%")
        return "\n".join(rows)

    def layer_table(self) -> str:
        """One line per layer: name, kind, input and output shape, multiply-adds and parameters."""
        def shape(s: tuple[int, int, int]) -> str:
            return "×".join(map(str, s))

        rows = [f"{'layer':<12} {'kind':<16} {'input':>12} {'output':>12} {'multiply-adds':>14} {'parameters':>11}"]
        rows += [f"{layer.name:<12} {layer.kind:<16} {shape(layer.input_shape):>12} {shape(layer.output_shape):>12} "
                 f"{layer.multiply_adds:>14,} {layer.parameters:>11,}" for layer in self.layers]
        return "\n".join(rows)

    def __str__(self) -> str:
        layers = f"{len(self.layers)} layer{'s' if len(self.layers) != 1 else ''}"
        return (f"{layers}: {format_significant(self.multiply_adds)} multiply-adds, "
                f"{format_significant(self.parameters)} parameters")

    def __repr__(self) -> str:
        return f"<NetworkCount: {self}>"


def _shape(value: Any, name: str) -> tuple[int, int, int]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TypeError(f"{name} must be a channels-last shape (H, W, C) of three integers; got {describe(value)}")
    return tuple(check_int(v, f"{name}[{k}]") for k, v in enumerate(value))


def _dense_cost(in_features: int, out_features: int, bias: bool, positions: int = 1) -> ConvCost:
    """A fully connected layer is a 1×1 convolution (lesson 02), here on a row of ``positions`` pixels."""
    return conv_cost(1, positions, in_features, out_features, 1, bias=bias)


def count_layers(layers: Sequence[Conv | Dense], input_shape: Sequence[int]) -> NetworkCount:
    """Count a table of layers (:class:`Conv`, :class:`Dense`) applied in order to ``input_shape`` (H, W, C).

    A global average pooling before a :class:`Dense` layer is implied when the volume is not 1×1 (it
    costs no multiply-adds by :data:`conv1x1.compute.cost.COUNTING_RULES`): the dense layer reads C numbers.

    Raises
    ------
    TypeError, ValueError
        ``layers`` empty or holding something else, a bad ``input_shape``, or a layer whose groups,
        stride or kernel do not fit its input (the message says which layer).
    """
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError(f"layers must be a sequence of Conv and Dense layers; got {describe(layers)}")
    layers = list(layers)
    if not layers:
        raise ValueError("layers must hold at least one Conv or Dense layer; got an empty sequence")
    shape = _shape(input_shape, "input_shape")
    counted = []
    for k, layer in enumerate(layers):
        h, w, c = shape
        if isinstance(layer, Conv):
            try:
                cost = conv_cost(h, w, c, layer.out_channels, layer.kernel_size, bias=check_bool(layer.bias, "bias"),
                                 groups=layer.groups, stride=layer.stride, padding=layer.padding)
            except (TypeError, ValueError) as err:
                raise type(err)(f"layers[{k}] ({layer}) on a {h}×{w}×{c} input: {err}") from None
            kind = layer_kind(layer.kernel_size, c, layer.out_channels, layer.groups)
            name = f"conv {k}"
        elif isinstance(layer, Dense):
            cost = _dense_cost(c, check_int(layer.out_features, f"layers[{k}].out_features"),
                               check_bool(layer.bias, "bias"))
            cost = cost._replace(output_shape=(1, 1, layer.out_features))
            kind, name = "fully connected", f"dense {k}"
        else:
            raise TypeError(f"layers[{k}] must be a Conv or a Dense layer; got {describe(layer)}")
        counted.append(LayerCount(name, kind, shape, cost.output_shape, cost))
        shape = cost.output_shape
    return NetworkCount(counted)


#: MobileNet v1 (width multiplier 1, 224×224×3 input) as Howard et al. (2017) print it: its totals
#: (569 million multiply-adds, 4.2 million parameters) and Table 2's shares per kind of layer
#: (multiply-adds, parameters), in percent.
MOBILENET_V1_PAPER = {
    "multiply_adds": 569_000_000,
    "parameters": 4_200_000,
    "shares": {"standard": (1.19, 0.02), "depthwise": (3.06, 1.06), "pointwise": (94.86, 74.59),
               "fully connected": (0.18, 24.33)},
}


def mobilenet_v1_layers() -> list[Conv | Dense]:
    """MobileNet v1's layers from Table 1 of Howard et al. (2017), for a 224×224×3 input.

    A standard 3×3 convolution to 32 channels with stride 2, then 13 depthwise-separable pairs
    (depthwise 3×3 with stride s, pointwise 1×1 to C channels), global average pooling and a
    fully connected layer 1024 → 1000. Table 1 lists the last depthwise layer as "s2" on a 7×7
    input, yet its output stays 7×7: a typo, so it is stride 1 here. Convolutions have no bias
    (batch normalisation follows each); the fully connected layer has one.

    >>> layers = mobilenet_v1_layers()
    >>> len(layers), layers[0], layers[-1]
    (28, Conv(out_channels=32, kernel_size=3, stride=2, groups=1, padding='same', bias=False), Dense(out_features=1000, bias=True))
    """
    pairs = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512), *[(1, 512)] * 5, (2, 1024), (1, 1024)]
    layers: list[Conv | Dense] = [Conv(32, 3, stride=2)]
    channels = 32
    for stride, out in pairs:
        layers += [Conv(channels, 3, stride=stride, groups=channels), Conv(out, 1)]
        channels = out
    return [*layers, Dense(1000)]


def _torch():
    try:
        import torch
    except ImportError:
        raise ImportError("count_module needs PyTorch, which is not installed: pip install torch "
                          "(count_layers counts a table of layers without it)") from None
    return torch


def count_module(module: Any, input_shape: Sequence[int]) -> NetworkCount:
    """Count a PyTorch ``nn.Conv2d`` or a whole ``nn.Module``, run once on a zero input of ``input_shape``.

    Every ``nn.Conv2d`` and ``nn.Linear`` the forward pass calls is counted, in the order it is called,
    with its input's true size, by :func:`conv1x1.compute.cost.conv_cost` (so stride, padding and groups are
    followed, and :data:`conv1x1.compute.cost.COUNTING_RULES` holds). Other layers (batch norm, ReLU, pooling)
    cost nothing by those rules. The module is run in eval mode, without gradients, and left as it was.

    Parameters
    ----------
    module : torch.nn.Module
        A layer or a network.
    input_shape : (H, W, C)
        One input, channels last as everywhere in the course (PyTorch is given (1, C, H, W)).

    Raises
    ------
    ImportError
        PyTorch is not installed.
    TypeError, ValueError
        ``module`` is not an ``nn.Module``, has no convolution, a convolution this counter does not count
        (non-square kernel, dilation, asymmetric padding), or ``input_shape`` does not fit it.
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module (an nn.Conv2d or a network); got {describe(module)}")
    height, width, channels = _shape(input_shape, "input_shape")
    convs = [m for m in module.modules() if isinstance(m, torch.nn.Conv2d)]
    if not convs:
        raise ValueError(f"module must contain an nn.Conv2d; got a {type(module).__name__} without one "
                         f"(count_module counts convolution networks)")
    if convs[0].in_channels != channels:
        hint = (" input_shape is channels last, (H, W, C), as everywhere in the course: did you give PyTorch's "
                "(C, H, W)?" if input_shape[0] == convs[0].in_channels else "")
        raise ValueError(f"input_shape has {channels} channels but the module's first convolution expects "
                         f"{convs[0].in_channels}; got input_shape = {tuple(input_shape)}.{hint}")
    names = {m: name or type(module).__name__ for name, m in module.named_modules()}
    counted: list[LayerCount] = []

    def hook(layer, inputs, output) -> None:
        x = inputs[0]
        if isinstance(layer, torch.nn.Conv2d):
            _, c, h, w = x.shape
            k = layer.kernel_size
            padding = layer.padding
            if k[0] != k[1] or layer.dilation != (1, 1) or layer.stride[0] != layer.stride[1] or (
                    not isinstance(padding, str) and padding[0] != padding[1]):
                raise ValueError(f"module's layer {names[layer]!r} ({layer}) is not counted: count_module counts "
                                 f"square kernels with equal strides and padding and no dilation")
            cost = conv_cost(h, w, c, layer.out_channels, k[0], bias=layer.bias is not None, groups=layer.groups,
                             stride=layer.stride[0], padding=padding if isinstance(padding, str) else padding[0])
            kind = layer_kind(k[0], c, layer.out_channels, layer.groups)
            shape_in = (h, w, c)
        else:
            positions = math.prod(x.shape[1:-1]) if x.dim() > 2 else 1
            cost = _dense_cost(layer.in_features, layer.out_features, layer.bias is not None, positions)
            kind, shape_in = "fully connected", (1, positions, layer.in_features)
        shape_out = tuple(output.shape[2:]) + (output.shape[1],) if output.dim() == 4 else (1, 1, output.shape[-1])
        if kind != "fully connected" and shape_out != cost.output_shape:      # the counter's sizes are PyTorch's
            raise AssertionError(f"{names[layer]}: PyTorch gives {shape_out}, conv_cost {cost.output_shape}")
        counted.append(LayerCount(names[layer], kind, shape_in, shape_out, cost))

    handles = [m.register_forward_hook(hook) for m in module.modules()
               if isinstance(m, (torch.nn.Conv2d, torch.nn.Linear))]
    training = module.training
    module.eval()
    try:
        with torch.no_grad():
            module(torch.zeros(1, channels, height, width))
    except RuntimeError as err:
        raise ValueError(f"module does not run on an input of shape (H, W, C) = {(height, width, channels)}: "
                         f"{str(err).splitlines()[0]}") from None
    finally:
        for handle in handles:
            handle.remove()
        module.train(training)
    return NetworkCount(counted)
