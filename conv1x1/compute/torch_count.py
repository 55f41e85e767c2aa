"""What PyTorch runs, call by call: the part of :func:`conv1x1.compute.count.count_module` that needs PyTorch.

:func:`run_counted` runs a module once under a dispatch mode (``TorchDispatchMode``, the hook PyTorch's own
``torch.utils.flop_counter.FlopCounterMode`` is built on), so it sees every operator PyTorch runs: the
convolutions and matrix products of ``nn.Conv2d`` and ``nn.Linear`` as much as ``F.conv2d``,
``F.linear``, ``x @ w``, ``nn.Conv1d``, ``nn.ConvTranspose2d`` or attention, called from any module. Each
operator call is one of three things:

* counted: a convolution or a matrix product (:data:`CONVOLUTIONS`, :data:`MATRIX_PRODUCTS`,
  attention), its multiply-adds read from the shapes PyTorch gave it;
* free by the counting rules (:data:`conv1x1.compute.cost.COUNTING_RULES`): element-wise, normalisation, pooling
  and resampling, moving data; the calls are tallied by :func:`free_by_the_rules`;
* anything else: not counted, and reported by name with its number of calls, so a count never leaves out
  work without saying so.

``TorchDispatchMode`` lives in ``torch.utils._python_dispatch``: documented ("Extending PyTorch") but
underscored, and its operator names and tags can change between releases. This module keeps that
dependence in one place, imported only when :func:`conv1x1.count_module` is called; the tests compare
its counts with ``FlopCounterMode``'s on real networks (tested with PyTorch 2.13).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Callable, NamedTuple

import torch
from torch.utils._python_dispatch import TorchDispatchMode

__all__ = ["CONVOLUTIONS", "Call", "MATRIX_PRODUCTS", "Run", "free_by_the_rules", "run_counted"]

#: Operators (by overload packet) that are convolutions: aten.convolution is what nn.Conv1d/2d/3d,
#: their transposed versions and F.conv* reach; the rest are what other back ends or direct calls reach.
CONVOLUTIONS = frozenset({
    "convolution", "_convolution", "convolution_overrideable", "conv1d", "conv2d", "conv3d", "cudnn_convolution",
    "cudnn_convolution_transpose", "mkldnn_convolution", "miopen_convolution", "miopen_convolution_transpose",
    "miopen_depthwise_convolution", "_slow_conv2d_forward", "slow_conv3d_forward", "slow_conv_dilated2d",
    "slow_conv_dilated3d", "slow_conv_transpose2d", "slow_conv_transpose3d", "_conv_depthwise2d",
    "conv_depthwise3d", "thnn_conv2d",
})
#: Matrix products (F.linear, x @ w, torch.einsum and torch.matmul reach these), with the position of the
#: added bias when there is one.
MATRIX_PRODUCTS = {"mm": None, "addmm": 0, "bmm": None, "baddbmm": 0, "addbmm": 0, "mv": None, "addmv": 0,
                   "dot": None, "vdot": None}

_MOVING_DATA = frozenset({
    "cat", "stack", "clone", "copy", "copy_", "_to_copy", "contiguous", "zeros", "ones", "empty", "empty_like",
    "empty_strided", "zeros_like", "ones_like", "full", "full_like", "fill", "fill_", "zero_", "new_zeros",
    "new_ones", "new_empty", "new_empty_strided", "new_full", "arange", "linspace", "scalar_tensor", "lift_fresh",
    "lift_fresh_copy", "_local_scalar_dense", "constant_pad_nd", "pad", "reflection_pad1d", "reflection_pad2d",
    "reflection_pad3d", "replication_pad1d", "replication_pad2d", "replication_pad3d", "split", "split_with_sizes",
    "unbind", "chunk", "index", "_unsafe_index", "index_select", "gather", "scatter", "scatter_add", "index_put",
    "index_put_", "masked_select", "nonzero", "embedding", "flip", "roll", "repeat", "tile", "pixel_shuffle",
    "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle", "im2col", "col2im", "resize_", "set_",
    "slice_scatter", "select_scatter", "diagonal_scatter", "as_strided_scatter", "tril", "triu", "sort", "topk",
    "argsort", "detach", "alias", "native_dropout", "dropout", "bernoulli", "bernoulli_", "rand", "randn",
    "randint", "rand_like", "randn_like", "randperm", "normal", "uniform_", "normal_", "equal", "is_nonzero",
    "item", "_assert_async", "_assert_scalar", "sym_size", "sym_stride", "sym_numel", "sym_storage_offset",
    "_unsafe_view", "clamp_min_", "record_stream",
})
_POOLING = frozenset({
    "mean", "sum", "amax", "amin", "max", "min", "argmax", "argmin", "prod", "cumsum", "logsumexp", "var",
    "var_mean", "std", "std_mean", "_softmax", "softmax", "_log_softmax", "log_softmax", "upsample_nearest1d",
    "upsample_nearest2d", "upsample_nearest3d", "_upsample_nearest_exact1d", "_upsample_nearest_exact2d",
    "_upsample_nearest_exact3d", "upsample_linear1d", "upsample_bilinear2d", "upsample_bicubic2d",
    "upsample_trilinear3d", "_upsample_bilinear2d_aa", "_upsample_bicubic2d_aa", "grid_sampler_2d",
    "affine_grid_generator", "linalg_vector_norm", "norm", "frobenius_norm",
})


def free_by_the_rules(func: Any) -> str | None:
    """Which group of :data:`conv1x1.compute.cost.COUNTING_RULES`' uncounted operations an operator is in, or None.

    "element-wise" (activations, adding, scaling: PyTorch tags these operators ``pointwise``),
    "normalisation", "pooling and resampling" (and other reductions over a window or an axis, softmax
    included) or "moving data" (views, copies, padding, concatenation, creating tensors). None means
    that it is neither counted nor free by the rules: count_module reports its calls as not counted.
    """
    packet = func.overloadpacket.__name__
    tags = set(func.tags)
    if torch.Tag.pointwise in tags:
        return "element-wise"
    if "norm" in packet and packet not in _POOLING:
        return "normalisation"
    if "pool" in packet or packet in _POOLING or torch.Tag.reduction in tags:
        return "pooling and resampling"
    if func.is_view or packet in _MOVING_DATA or torch.Tag.inplace_view in tags:
        return "moving data"
    return None


class Call(NamedTuple):
    """One counted operator call.

    ``module`` is the innermost module running when PyTorch ran it (its qualified name, "" for the module
    counted); ``layer`` that module when the call is the layer's own (its weight is the layer's
    ``weight``), else None: a functional call. ``weights`` and ``biases`` name the parameters the call
    used (a parameter seen through a view, ``w.t()``, counts as itself), with their numbers of values.
    Shapes are channels last, without the batch axis: (H, W, C) for a 2-D convolution.
    """

    op: str
    kind: str
    multiply_adds: int
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    module: str
    layer: str | None
    weights: dict[str, int]
    biases: dict[str, int]
    groups: int = 1
    transposed: bool = False
    spatial: int = 2


class Run(NamedTuple):
    """What :func:`run_counted` saw.

    ``calls``: the counted calls in order; ``free``: calls free by the rules, per group of
    :func:`free_by_the_rules`; ``uncounted``: other calls, ``{(operator, module): calls}``; ``used``: the
    qualified names of the parameters any operator read.
    """

    calls: list[Call]
    free: Counter
    uncounted: Counter
    used: set[str]


def _channels_last(shape: Any) -> tuple[int, ...]:
    """(N, C, *spatial) without N, channels last: (*spatial, C)."""
    shape = tuple(int(s) for s in shape)
    return shape[2:] + shape[1:2] if len(shape) >= 2 else shape


def _conv_kind(kernel: tuple[int, ...], in_channels: int, groups: int) -> str:
    """The kind of a convolution in a count: every 1×1 is pointwise, whatever its groups."""
    if all(k == 1 for k in kernel):
        return "pointwise"
    if groups == 1:
        return "standard"
    return "depthwise" if groups == in_channels else "grouped"


class _Counting(TorchDispatchMode):
    """Sees every operator call (see the module's docstring) and records it."""

    def __init__(self, module: torch.nn.Module):
        super().__init__()
        self.names = {m: name for name, m in module.named_modules(remove_duplicate=False)}
        self.stack: list[torch.nn.Module] = []          # modules running, innermost last (forward hooks)
        self.origin = {id(p): name for name, p in module.named_parameters()}
        self.sizes = {name: p.numel() for name, p in module.named_parameters()}
        self.keep: list[torch.Tensor] = []               # views of parameters, kept so their ids stay theirs
        self.run = Run([], Counter(), Counter(), set())
        self.failing: str | None = None                  # the module running when an operator raised

    # -- where a call comes from -----------------------------------------------------------------
    def enter(self, module: torch.nn.Module, *_: Any) -> None:
        self.stack.append(module)

    def leave(self, module: torch.nn.Module, *_: Any) -> None:
        if self.stack and self.stack[-1] is module:
            self.stack.pop()

    @property
    def where(self) -> str:
        return self.names.get(self.stack[-1], "") if self.stack else ""

    def parameter(self, value: Any) -> str | None:
        return self.origin.get(id(value)) if isinstance(value, torch.Tensor) else None

    # -- the dispatch ----------------------------------------------------------------------------
    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        self.failing = self.where
        out = func(*args, **kwargs)                      # PyTorch's own error, if any, reaches the learner
        self.failing = None
        try:
            self.record(func, args, kwargs, out)
        except Exception:                                # a call this counter cannot read: said, not hidden
            self.run.uncounted[(str(func.overloadpacket), self.where)] += 1
        return out

    def record(self, func, args, kwargs, out) -> None:
        packet = func.overloadpacket.__name__
        tensors = [a for a in (*args, *kwargs.values()) if isinstance(a, torch.Tensor)]
        used = {name for name in map(self.parameter, tensors) if name is not None}
        self.run.used.update(used)
        if used and (func.is_view or packet in ("_to_copy", "clone", "contiguous", "detach", "alias")):
            for result in (out if isinstance(out, (tuple, list)) else (out,)):
                if isinstance(result, torch.Tensor):       # w.t(), w.view(...), w.float(): still w
                    self.origin[id(result)] = next(iter(used))
                    self.keep.append(result)
        if packet in CONVOLUTIONS:
            self.convolution(func, args, kwargs, out)
        elif packet in MATRIX_PRODUCTS:
            self.matrix_product(packet, args, out)
        elif "scaled_dot_product" in packet and "backward" not in packet:
            self.attention(args, out)
        elif packet == "_native_multi_head_attention":      # nn.MultiheadAttention's fast path (eval, no grad)
            self.multi_head_attention(args, out)
        else:
            group = free_by_the_rules(func)
            if group is None:
                self.run.uncounted[(str(func.overloadpacket), self.where)] += 1
            else:
                self.run.free[group] += 1

    def layer_of(self, weight: str | None) -> str | None:
        """The innermost module when the call is its own: its parameter ``weight`` is the call's weight."""
        if not self.stack or weight is None:
            return None
        module = self.stack[-1]
        own = getattr(module, "weight", None)
        return self.names[module] if isinstance(own, torch.Tensor) and self.origin.get(id(own)) == weight else None

    def sizes_of(self, *names: str | None) -> dict[str, int]:
        return {name: self.sizes[name] for name in names if name is not None}

    def convolution(self, func, args, kwargs, out) -> None:
        x, weight = args[0], args[1]
        bias = args[2] if len(args) > 2 and isinstance(args[2], torch.Tensor) else kwargs.get("bias")
        packet = func.overloadpacket.__name__
        transposed = bool(args[6]) if packet in ("convolution", "_convolution") and len(args) > 6 else (
            "transpose" in packet)
        y = out[0] if isinstance(out, (tuple, list)) else out
        per_output = math.prod(weight.shape[1:])         # each output reads (C_in / g) × k...: one weight each
        if transposed:                                   # each input value is multiplied by (C_out / g) × k...
            multiply_adds, groups = x.numel() * per_output, y.shape[1] // weight.shape[1]
        else:
            multiply_adds, groups = y.numel() * per_output, x.shape[1] // weight.shape[1]
        kernel = tuple(int(k) for k in weight.shape[2:])
        w_name, b_name = self.parameter(weight), self.parameter(bias)
        self.run.calls.append(Call(
            op="conv_transpose" if transposed else "conv", kind=_conv_kind(kernel, x.shape[1], groups),
            multiply_adds=int(multiply_adds), input_shape=_channels_last(x.shape), output_shape=_channels_last(y.shape),
            module=self.where, layer=self.layer_of(w_name), weights=self.sizes_of(w_name), biases=self.sizes_of(b_name),
            groups=int(groups), transposed=transposed, spatial=len(kernel)))

    def matrix_product(self, packet: str, args, out) -> None:
        at = MATRIX_PRODUCTS[packet]
        bias = args[at] if at is not None else None
        a, b = (args[1], args[2]) if at is not None else (args[0], args[1])
        inner = a.shape[-1]
        multiply_adds = out.numel() * inner * (a.shape[0] if packet == "addbmm" else 1)
        names = [self.parameter(a), self.parameter(b)]
        weight = next((name for name in names if name is not None), None)
        operand = a if names[0] is None else b          # the activations, when the other operand is a weight
        drop_batch = (lambda s: tuple(int(v) for v in s[1:]) if len(s) > 1 and s[0] == 1 else tuple(map(int, s)))
        self.run.calls.append(Call(
            op="matmul", kind="fully connected" if weight is not None else "matrix product",
            multiply_adds=int(multiply_adds), input_shape=drop_batch(operand.shape), output_shape=drop_batch(out.shape),
            module=self.where, layer=self.layer_of(weight), weights=self.sizes_of(weight),
            biases=self.sizes_of(self.parameter(bias))))

    def attention(self, args, out) -> None:
        q, k, v = args[:3]                               # (..., L, E), (..., S, E), (..., S, Ev)
        multiply_adds = math.prod(q.shape[:-1]) * k.shape[-2] * (q.shape[-1] + v.shape[-1])   # Q Kᵀ, then × V
        y = out[0] if isinstance(out, (tuple, list)) else out
        self.run.calls.append(Call(
            op="attention", kind="matrix product", multiply_adds=int(multiply_adds),
            input_shape=tuple(int(s) for s in q.shape[1:]), output_shape=tuple(int(s) for s in y.shape[1:]),
            module=self.where, layer=None, weights={}, biases={}))

    def multi_head_attention(self, args, out) -> None:
        """One fused call, two counted parts: the projections (q, k, v in; the output out) and the attention."""
        q, k, v, embed = args[0], args[1], args[2], int(args[3])       # (N, L, E), (N, S, E), (N, S, E)
        qkv_weight, qkv_bias, proj_weight, proj_bias = args[5:9]
        y = out[0] if isinstance(out, (tuple, list)) else out
        positions = math.prod(q.shape[:-1]) + math.prod(k.shape[:-1]) + math.prod(v.shape[:-1])
        shape = tuple(int(s) for s in q.shape[1:])
        names = [self.parameter(t) for t in (qkv_weight, proj_weight, qkv_bias, proj_bias)]
        self.run.calls.append(Call(
            op="projections", kind="fully connected",
            multiply_adds=int((positions + math.prod(q.shape[:-1])) * embed * embed), input_shape=shape,
            output_shape=tuple(int(s) for s in y.shape[1:]), module=self.where, layer=None,
            weights=self.sizes_of(*names[:2]), biases=self.sizes_of(*names[2:])))
        self.run.calls.append(Call(
            op="attention", kind="matrix product", multiply_adds=int(2 * math.prod(q.shape[:-1]) * k.shape[-2] * embed),
            input_shape=shape, output_shape=shape, module=self.where, layer=None, weights={}, biases={}))


def model_input(module: torch.nn.Module, shape: tuple[int, ...]) -> torch.Tensor:
    """A zero batch of one, (1, C, *spatial) from the channels-last ``shape``, on the module's device and in
    its floating dtype (float32 when it has no floating parameter or buffer)."""
    for tensor in (*module.parameters(), *module.buffers()):
        if tensor.is_floating_point():
            dtype, device = tensor.dtype, tensor.device
            break
    else:
        dtype, device = torch.float32, torch.device("cpu")
    return torch.zeros((1, shape[-1], *shape[:-1]), dtype=dtype, device=device)


def run_counted(module: torch.nn.Module, x: torch.Tensor, advice: Callable[[str], str]) -> Run:
    """Run ``module(x)`` once, in eval mode and without gradients, and record every operator call.

    Every submodule is left in the training mode it had, and all hooks are removed, whether the forward
    ran or raised. An exception from the forward propagates unchanged (PyTorch's message, the learner's
    traceback), with one note added: ``advice(where)``, ``where`` the qualified name of the module that was
    running when it was raised.
    """
    modes = {m: m.training for m in module.modules()}
    counting = _Counting(module)
    handles = []
    for m in counting.names:
        handles.append(m.register_forward_pre_hook(counting.enter))
        handles.append(m.register_forward_hook(counting.leave))
    module.eval()
    try:
        with torch.no_grad(), counting:
            module(x)
    except Exception as err:
        err.add_note(advice(counting.failing if counting.failing is not None else counting.where))
        raise
    finally:
        for handle in handles:
            handle.remove()
        for m, training in modes.items():
            m.training = training
    return counting.run
