"""Counting a whole network: every layer's multiply-adds and parameters, and the totals per kind of layer.

Lesson 10 counts MobileNet v1 (Howard et al. 2017, Table 1) twice: from the paper's table of layers
(:func:`count_layers` over :func:`mobilenet_v1_layers`) and from a PyTorch module built from that
table (:func:`count_module`). Both follow the one statement of what is counted,
:data:`conv1x1.compute.cost.COUNTING_RULES`: the table through :func:`conv1x1.compute.cost.conv_cost`, the module by reading
every convolution and matrix product PyTorch runs (``conv1x1.compute.torch_count``), which for an ``nn.Conv2d``
gives conv_cost's numbers (the tests hold both to that, and to PyTorch's own FlopCounterMode).

Every convolution is put in one of four kinds (standard, grouped, depthwise, pointwise); fully connected
layers are a fifth kind, and products of two computed matrices (attention's) a sixth (:data:`KINDS`). In a
count, every 1×1 convolution is pointwise whatever its groups, so that the pointwise share is the 1×1
convolutions' share; a grouped one is named as such within it (:meth:`NetworkCount.grouped_1x1`). NumPy
only: PyTorch is imported inside :func:`count_module`, only when it is called.

>>> body = count_layers([Conv(8, 3), Conv(8, 3, groups=8), Conv(16, 1)], input_shape=(6, 6, 4))
>>> [(layer.kind, layer.multiply_adds) for layer in body.layers]
[('standard', 10368), ('depthwise', 2592), ('pointwise', 4608)]
>>> body.multiply_adds, body.output_shape
(17568, (6, 6, 16))
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

from .core import format_significant
from .cost import ConvCost, conv_cost
from .validate import check_bool, check_int, pixel_pair, short_repr

__all__ = ["Conv", "Dense", "KINDS", "LayerCount", "MOBILENET_V1_PAPER", "NetworkCount", "PARAMETER_GROUPS", "Reads",
           "count_layers", "count_module", "layer_kind", "mobilenet_v1_layers", "values_read"]

#: The kinds of layer a count is split into, in the order tables list them.
KINDS = ("standard", "grouped", "depthwise", "pointwise", "fully connected", "matrix product")

#: The groups :func:`count_module` splits PyTorch's count of a module's parameters into: the weights and the
#: biases of convolutions and fully connected layers (the course's parameters), batch norm's scale and shift
#: (and those of the other normalisation layers: layer, group, instance norm), and any other parameter.
PARAMETER_GROUPS = ("weights", "biases", "batch norm", "other")


def layer_kind(kernel_size: int, in_channels: int, out_channels: int, groups: int = 1) -> str:
    """Which kind of convolution this is: "standard", "grouped", "depthwise" or "pointwise".

    * pointwise: a 1×1 convolution over all channels (``kernel_size == 1``, ``groups == 1``);
    * standard: a k×k convolution over all channels (k > 1, ``groups == 1``; the paper's "full");
    * depthwise: one group per input channel (``groups == in_channels > 1``): each filter sees one channel;
    * grouped: anything between (1 < groups < in_channels): each filter sees its group's channels.

    These are lesson 09's four kinds of layer. A count (:func:`count_layers`, :func:`count_module`) puts
    every 1×1 convolution with the pointwise ones whatever its groups, and says which are grouped.

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
    """One counted layer (one call of it, in a count of a PyTorch module): its kind, shapes and cost.

    Shapes are channels last, without the batch: (H, W, C) for a 2-D convolution. ``groups`` is the
    convolution's; ``note`` says more where the kind does not ("grouped 1×1, g = 3", "transposed", "1-D").
    ``first_call`` is False for a second call of a layer already counted: its multiply-adds count at every
    call, its parameters once (:attr:`NetworkCount.parameters`).
    """

    name: str
    kind: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    cost: ConvCost
    groups: int = 1
    note: str = ""
    first_call: bool = True

    @property
    def multiply_adds(self) -> int:
        return self.cost.multiplications

    @property
    def parameters(self) -> int:
        return self.cost.parameters


def _one_by_one_note(groups: int, in_channels: int) -> str:
    """How a 1×1 convolution with ``groups`` is named within the pointwise kind."""
    if groups == 1:
        return ""
    return "depthwise 1×1" if groups == in_channels else f"grouped 1×1, g = {groups}"


class NetworkCount:
    """Every layer's count, the totals, and the totals per kind of layer (:data:`KINDS`).

    Attributes
    ----------
    layers : list of LayerCount
        One per layer of a table; one per call in a count of a PyTorch module (a layer called twice is
        there twice).
    multiply_adds : int
        Over all layers, at every call.
    parameters : int
        The weights and biases of the layers counted (the course's parameters), each layer once.
    parameters_per_call : int
        The same, counted again at every call of a layer: differs from ``parameters`` only when a layer is
        called more than once.

    A count of a PyTorch module (:func:`count_module`) also has, else None:

    pytorch_parameters : int
        What PyTorch counts, ``sum(p.numel() for p in module.parameters())``.
    parameter_groups : dict
        That count split into :data:`PARAMETER_GROUPS`: ``{"weights": ..., "biases": ..., "batch norm": ...,
        "other": ...}``, summing to ``pytorch_parameters``.
    unused_parameters : dict
        ``{module name: parameters}`` of the modules the forward did not use (an auxiliary head that runs
        only in training): in PyTorch's count, in no layer's.
    uncounted : dict
        ``{"operator in 'module'": calls}`` of what PyTorch ran that this count did not count and that the
        counting rules do not make free; empty when the count is complete.
    free_calls : dict
        ``{group: calls}`` of the calls that cost nothing by :data:`conv1x1.compute.cost.COUNTING_RULES`
        ("element-wise", "normalisation", "pooling and resampling", "moving data").
    """

    def __init__(self, layers: Sequence[LayerCount], *, pytorch_parameters: int | None = None,
                 parameter_groups: dict[str, int] | None = None, unused_parameters: dict[str, int] | None = None,
                 uncounted: dict[str, int] | None = None, free_calls: dict[str, int] | None = None):
        self.layers = list(layers)
        self.multiply_adds = sum(layer.multiply_adds for layer in self.layers)
        self.parameters = sum(layer.parameters for layer in self.layers if layer.first_call)
        self.parameters_per_call = sum(layer.parameters for layer in self.layers)
        self.pytorch_parameters = pytorch_parameters
        self.parameter_groups = parameter_groups
        self.unused_parameters = unused_parameters
        self.uncounted = uncounted
        self.free_calls = free_calls

    @property
    def output_shape(self) -> tuple[int, ...] | None:
        """The last layer's output shape (None when no layer was counted)."""
        return self.layers[-1].output_shape if self.layers else None

    def by_kind(self) -> dict[str, tuple[int, int]]:
        """``{kind: (multiply_adds, parameters)}`` for the kinds present, in the order of :data:`KINDS`.

        Multiply-adds at every call, parameters once per layer; every 1×1 convolution is "pointwise".
        """
        totals = {kind: [0, 0] for kind in KINDS}
        for layer in self.layers:
            totals[layer.kind][0] += layer.multiply_adds
            totals[layer.kind][1] += layer.parameters if layer.first_call else 0
        return {kind: (m, p) for kind, (m, p) in totals.items() if any(layer.kind == kind for layer in self.layers)}

    def grouped_1x1(self) -> tuple[int, int]:
        """``(multiply_adds, parameters)`` of the 1×1 convolutions with groups > 1: part of "pointwise"."""
        grouped = [layer for layer in self.layers if layer.kind == "pointwise" and layer.groups > 1]
        return (sum(layer.multiply_adds for layer in grouped),
                sum(layer.parameters for layer in grouped if layer.first_call))

    def shares(self) -> dict[str, tuple[float, float]]:
        """``{kind: (share of the multiply-adds, share of the parameters)}``, as fractions of the totals."""
        return {kind: (m / self.multiply_adds if self.multiply_adds else 0.0, p / self.parameters if self.parameters
                       else 0.0) for kind, (m, p) in self.by_kind().items()}

    def table(self) -> str:
        """The totals per kind of layer, as a text table with shares in percent.

        A row "of which grouped 1×1" follows "pointwise" when some 1×1 convolutions are grouped.
        """
        def row(label: str, m: int, p: int) -> str:
            return (f"{label:<16} {m:>14,} {100 * m / (self.multiply_adds or 1):>6.2f}% {p:>11,} "
                    f"{100 * p / (self.parameters or 1):>6.2f}%")

        rows = [f"{'kind of layer':<16} {'multiply-adds':>14} {'share':>7} {'parameters':>11} {'share':>7}"]
        for kind, (m, p) in self.by_kind().items():
            rows.append(row(kind, m, p))
            if kind == "pointwise" and any(layer.groups > 1 for layer in self.layers if layer.kind == kind):
                rows.append(row("  grouped 1×1", *self.grouped_1x1()))
        rows.append(f"{'total':<16} {self.multiply_adds:>14,} {100:>6.2f}% {self.parameters:>11,} {100:>6.2f}%")
        return "\n".join(rows)

    def layer_table(self) -> str:
        """One line per layer: name, kind, input and output shape, multiply-adds, parameters (and notes if any)."""
        def shape(s: tuple[int, ...]) -> str:
            return "×".join(map(str, s))

        notes = any(layer.note or not layer.first_call for layer in self.layers)

        def note(layer: LayerCount) -> str:
            parts = [layer.note] if layer.note else []
            parts += [] if layer.first_call else ["called again: parameters counted at its first call"]
            return "  " + "; ".join(parts) if parts else ""

        width = max([12, *(len(layer.name) for layer in self.layers)])
        rows = [f"{'layer':<{width}} {'kind':<16} {'input':>12} {'output':>12} {'multiply-adds':>14} "
                f"{'parameters':>11}" + ("  notes" if notes else "")]
        rows += [f"{layer.name:<{width}} {layer.kind:<16} {shape(layer.input_shape):>12} {shape(layer.output_shape):>12} "
                 f"{layer.multiply_adds:>14,} {layer.parameters:>11,}{note(layer) if notes else ''}"
                 for layer in self.layers]
        return "\n".join(rows)

    def __str__(self) -> str:
        first = sum(layer.first_call for layer in self.layers)
        layers = f"{first} layer{'s' if first != 1 else ''}"
        if first != len(self.layers):
            layers = f"{len(self.layers)} calls of {layers}"
        head = f"{layers}: {format_significant(self.multiply_adds)} multiply-adds, "
        if self.pytorch_parameters is None:
            return head + f"{format_significant(self.parameters)} parameters"
        lines = [head + f"{format_significant(self.parameters)} parameters (weights and biases, each layer once)"]
        groups = self.parameter_groups or {}
        lines.append(f"PyTorch counts {format_significant(self.pytorch_parameters)} parameters: "
                     + " + ".join(f"{format_significant(groups.get(g, 0))} {g}" for g in PARAMETER_GROUPS)
                     .replace("batch norm", "batch norm (scale and shift)"))
        if self.parameters_per_call != self.parameters:
            again = sorted({layer.name for layer in self.layers if not layer.first_call})
            lines.append(f"called more than once: {', '.join(again)}; counted at every call, the weights and biases "
                         f"make {format_significant(self.parameters_per_call)}")
        if self.unused_parameters:
            lines.append("not used by the forward (in PyTorch's count, not in the multiply-adds): " + ", ".join(
                f"{name} ({format_significant(n)} parameters)" for name, n in self.unused_parameters.items()))
        if self.uncounted:
            calls = sum(self.uncounted.values())
            lines.append(f"NOT COUNTED: {calls} call{'s' if calls != 1 else ''} PyTorch ran that this count cannot "
                         "read: " + ", ".join(f"{what} ×{n}" for what, n in self.uncounted.items()))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<NetworkCount: {self}>"


def _shape(value: Any, name: str) -> tuple[int, int, int]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != 3:
        raise TypeError(f"{name} must be a channels-last shape (H, W, C) of three integers; got {short_repr(value)}")
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
        raise TypeError(f"layers must be a sequence of Conv and Dense layers; got {short_repr(layers)}")
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
            note = _one_by_one_note(layer.groups, c) if layer.kernel_size == 1 else ""
            kind, name, groups = "pointwise" if layer.kernel_size == 1 else kind, f"conv {k}", layer.groups
        elif isinstance(layer, Dense):
            cost = _dense_cost(c, check_int(layer.out_features, f"layers[{k}].out_features"),
                               check_bool(layer.bias, "bias"))
            cost = cost._replace(output_shape=(1, 1, layer.out_features))
            kind, name, groups, note = "fully connected", f"dense {k}", 1, ""
        else:
            raise TypeError(f"layers[{k}] must be a Conv or a Dense layer; got {short_repr(layer)}")
        counted.append(LayerCount(name, kind, shape, cost.output_shape, cost, groups, note))
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


def _input_shape(value: Any) -> tuple[int, ...]:
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or not 1 <= len(value) <= 4:
        raise TypeError("input_shape must be a channels-last shape such as (H, W, C): 1 to 4 integers, channels "
                        f"last ((C,), (L, C), (H, W, C) or (D, H, W, C)); got {short_repr(value)}")
    return tuple(check_int(v, f"input_shape[{k}]") for k, v in enumerate(value))


def _advice(module: Any, shape: tuple[int, ...], x: Any, where: str) -> str:
    """The one line count_module adds to an error of the learner's forward: what it ran, and a likely cause."""
    names = dict(module.named_modules())
    failing = names.get(where)
    place = f"in {where!r} ({type(failing).__name__})" if where else f"in the module ({type(module).__name__})"
    line = (f"count_module: the error above was raised {place} while count_module ran the module once, in eval "
            f"mode, on torch.zeros{tuple(x.shape)} ({str(x.dtype).removeprefix('torch.')}, {x.device}), made from "
            f"input_shape = {shape}, which is channels last as everywhere in the course; in eval mode the module "
            f"raises it on that input outside count_module too.")
    expects = getattr(failing, "in_channels", None) or next(
        (m.in_channels for m in module.modules() if isinstance(getattr(m, "in_channels", None), int)), None)
    if len(shape) >= 2 and expects == shape[0] != shape[-1]:
        line += (f" input_shape = {shape} looks like PyTorch's channels-first order: give it channels last, "
                 f"input_shape = {shape[1:] + shape[:1]}.")
    return line


def _layer_types(torch) -> tuple[tuple[type, ...], tuple[type, ...]]:
    """The module types whose ``weight`` and ``bias`` are weights and biases, and the normalisation layers."""
    nn = torch.nn
    layers = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d,
              nn.Linear, nn.Bilinear)
    norms = tuple(getattr(nn, name) for name in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "SyncBatchNorm",
                                                 "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LayerNorm",
                                                 "GroupNorm", "RMSNorm") if hasattr(nn, name))
    return layers, norms


def _parameter_groups(torch, module: Any, roles: dict[str, str]) -> dict[str, int]:
    """PyTorch's parameters split into :data:`PARAMETER_GROUPS`: by the role a counted call gave each one,
    else by its module's type (weights and biases of convolution and linear layers, normalisation layers)."""
    layers, norms = _layer_types(torch)
    totals = dict.fromkeys(PARAMETER_GROUPS, 0)
    seen: set[int] = set()
    for module_name, m in module.named_modules():
        for name, p in m.named_parameters(recurse=False):
            if id(p) in seen:
                continue
            seen.add(id(p))
            group = roles.get(f"{module_name}.{name}" if module_name else name)
            if group is None:
                group = ("batch norm" if isinstance(m, norms) else
                         {"weight": "weights", "bias": "biases"}.get(name, "other") if isinstance(m, layers) else "other")
            totals[group] += p.numel()
    return totals


def _unused(module: Any, used: set[str]) -> dict[str, int]:
    """``{module name: parameters}`` for the largest modules none of whose parameters the forward used."""
    unused: dict[str, int] = {}
    for name, m in module.named_modules():
        if any(name.startswith(f"{done}.") for done in unused) or (name in unused):
            continue
        prefix = f"{name}." if name else ""
        mine = {f"{prefix}{n}": p.numel() for n, p in m.named_parameters()}
        if mine and not used & mine.keys():
            unused[name or type(module).__name__] = sum(mine.values())
    return unused


def count_module(module: Any, input_shape: Sequence[int]) -> NetworkCount:
    """Count what PyTorch runs when it runs ``module`` once on a zero input of ``input_shape``.

    Every convolution and matrix product PyTorch runs is counted, whoever calls it: ``nn.Conv2d`` and
    ``nn.Linear``, ``F.conv2d`` and ``F.linear`` in a forward, ``x @ w``, ``nn.Conv1d``,
    ``nn.ConvTranspose2d``, attention; each with the shapes PyTorch gave it, by
    :data:`conv1x1.compute.cost.COUNTING_RULES` (for ``nn.Conv2d`` the same numbers as
    :func:`conv1x1.compute.cost.conv_cost`). What the rules make free (element-wise operations, batch norm,
    pooling, moving data) is tallied in ``free_calls``; any other call PyTorch runs is listed in
    ``uncounted`` and said when the count is printed, so a count is complete or says what it left out.

    The module runs in eval mode, without gradients, on its own device and dtype, and every submodule is
    left in the mode it had. It runs as PyTorch runs it: no other check is made.

    Parameters
    ----------
    module : torch.nn.Module
        A layer or a network.
    input_shape : (H, W, C)
        One input, channels last as everywhere in the course: PyTorch is given a batch of one,
        (1, C, H, W). (C,), (L, C) and (D, H, W, C) are taken too, for other networks.

    Returns
    -------
    NetworkCount
        One :class:`LayerCount` per call; the multiply-adds; the parameters both ways: the course's
        (weights and biases of the layers counted, each layer once, and ``parameters_per_call``) and
        PyTorch's (``pytorch_parameters``, split into ``parameter_groups``), with the parameters the forward
        did not use (``unused_parameters``).

    Raises
    ------
    ImportError
        PyTorch is not installed.
    TypeError
        ``module`` is not an ``nn.Module``, or ``input_shape`` not a shape.
    Exception
        Whatever the module's forward raises, unchanged, with the learner's traceback and one added line
        saying what count_module ran and, when it looks like one, the likely mistake.
    """
    torch = _torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module must be a torch.nn.Module (an nn.Conv2d or a network); got {short_repr(module)}")
    shape = _input_shape(input_shape)
    from .torch_count import model_input, run_counted

    x = model_input(module, shape)
    run = run_counted(module, x, lambda where: _advice(module, shape, x, where))

    top = type(module).__name__
    counted, seen, roles = [], set(), {}
    for call in run.calls:
        roles.update(dict.fromkeys(call.weights, "weights") | dict.fromkeys(call.biases, "biases"))
        key = frozenset(call.weights) | frozenset(call.biases)
        first = not key or key not in seen
        seen.add(key)
        weights, biases = sum(call.weights.values()), sum(call.biases.values())
        cost = ConvCost(call.multiply_adds, weights + biases, weights, biases, call.output_shape)
        notes = [_one_by_one_note(call.groups, call.input_shape[-1]) if call.kind == "pointwise" else ""]
        notes += ["transposed" if call.transposed else "", f"{call.spatial}-D" if call.spatial != 2 else ""]
        name = call.layer if call.layer is not None else f"{call.module or top} ({call.op})"
        counted.append(LayerCount(name or top, call.kind, call.input_shape, call.output_shape, cost, call.groups,
                                  ", ".join(n for n in notes if n), first))
    return NetworkCount(
        counted,
        pytorch_parameters=sum(p.numel() for p in module.parameters()),
        parameter_groups=_parameter_groups(torch, module, roles),
        unused_parameters=_unused(module, run.used),
        uncounted={f"{op} in {where or top!r}": n for (op, where), n in run.uncounted.items()},
        free_calls=dict(run.free),
    )
