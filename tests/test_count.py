"""Counting with groups, stride and padding (conv1x1.compute.cost) and whole networks (conv1x1.compute.count), against PyTorch."""

from __future__ import annotations

import functools
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networks import NETWORKS, PUBLISHED
from torch_support import import_torch

from conv1x1 import block_diagonal, conv1x1, conv_cost, conv_output_size, depthwise_conv
from conv1x1.compute.count import (MOBILENET_V1_PAPER, Conv, Dense, count_layers, count_module, layer_kind,
                           mobilenet_v1_layers, values_read)


def test_groups_stride_and_padding():
    c = conv_cost(112, 112, 64, 64, 3, groups=64, stride=2, bias=False)
    assert (c.multiplications, c.weights, c.output_shape) == (56 * 56 * 64 * 9, 576, (56, 56, 64))
    assert c.multiply_adds == c.multiplications and c.flops == 2 * c.multiplications
    assert conv_cost(6, 6, 4, 8, 3, padding="valid").output_shape == (4, 4, 8)
    assert conv_cost(7, 7, 4, 8, 3, stride=2, padding=0).output_shape == (3, 3, 8)
    assert conv_cost(28, 28, 192, 32, 5) == conv_cost(28, 28, 192, 32, 5, groups=1, stride=1, padding="same")


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 20), st.sampled_from([1, 3, 5]), st.integers(1, 3), st.sampled_from([0, 1, 2, "same", "valid"]))
def test_output_size_is_pytorchs(size, k, stride, padding):
    torch = import_torch()
    if stride > size or (padding not in ("same",) and k > size + 2 * (0 if padding == "valid" else padding)):
        return
    if padding == "same":
        expected = -(-size // stride)
    else:
        conv = torch.nn.Conv2d(1, 1, k, stride=stride, padding=0 if padding == "valid" else padding)
        expected = conv(torch.zeros(1, 1, size, size)).shape[-1]
    assert conv_output_size(size, k, stride, padding) == expected


BAD = [
    (lambda: conv_cost(6, 6, 6, 8, 3, groups=4), ValueError, r"groups must divide in_channels \(6\).*got groups = 4"),
    (lambda: conv_cost(6, 6, 8, 6, 3, groups=4), ValueError, r"groups must divide out_channels \(6\)"),
    (lambda: conv_cost(6, 6, 8, 8, 3, groups=0), ValueError, r"groups must be an integer >= 1; got 0"),
    (lambda: conv_cost(6, 6, 8, 8, 3, stride=7), ValueError, r"stride must be at most the input's height \(6\); got 7"),
    (lambda: conv_cost(6, 6, 8, 8, 7, padding="valid"), ValueError, r"kernel_size must be at most the padded input's "
                                                                     r"height, 6 \+ 2 × 0 = 6; got 7"),
    (lambda: conv_cost(6, 6, 8, 8, 3, padding="full"), ValueError, r"padding must be 'same', 'valid' or an integer"),
    (lambda: conv_cost(6, 6, 8, 8, 3, padding=-1), ValueError, r"padding must be an integer >= 0; got -1"),
    (lambda: conv_cost(6, 6, 8, 8, 3, stride=1.5), TypeError, r"stride must be an integer; got 1.5"),
    (lambda: count_layers([], (6, 6, 3)), ValueError, r"layers must hold at least one"),
    (lambda: count_layers("conv", (6, 6, 3)), TypeError, r"layers must be a sequence"),
    (lambda: count_layers([Conv(8, 3), "pool"], (6, 6, 3)), TypeError, r"layers\[1\] must be a Conv or a Dense"),
    (lambda: count_layers([Conv(8, 3, groups=2)], (6, 6, 3)), ValueError, r"layers\[0\] .* on a 6×6×3 input: groups"),
    (lambda: count_layers([Conv(8, 3)], (6, 6)), TypeError, r"input_shape must be a channels-last shape"),
    (lambda: layer_kind(3, 6, 8, groups=4), ValueError, r"groups must divide in_channels \(6\) and out_channels"),
    (lambda: values_read((6, 0), 0, height=6, width=6, in_channels=4, out_channels=8, kernel_size=3),
     ValueError, r"i must be a row index in 0..5; got 6"),
    (lambda: depthwise_conv(np.ones((6, 6, 4)), np.ones((3, 3, 3))), ValueError, r"x has 4 channels but w has filters for 3"),
    (lambda: depthwise_conv(np.ones((6, 6, 4)), np.ones((2, 2, 4))), ValueError, r"shape \(k, k, C\) with k odd"),
    (lambda: block_diagonal(np.ones((2, 2)), np.ones((2, 3))), ValueError, r"blocks\[1\] must be a 2-D bank"),
]


@pytest.mark.parametrize("call, error, message", BAD, ids=[m[:40] for _, _, m in BAD])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_depthwise_conv_is_pytorchs_groups_conv():
    torch = import_torch()
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((7, 5, 3)), rng.standard_normal((3, 3, 3))
    for stride in (1, 2):
        conv = torch.nn.Conv2d(3, 3, 3, stride=stride, padding=1, groups=3, bias=False).double()
        with torch.no_grad():
            conv.weight.copy_(torch.as_tensor(w.transpose(2, 0, 1)[:, None]))
            expected = conv(torch.as_tensor(x).permute(2, 0, 1)[None])[0].permute(1, 2, 0).numpy()
        assert np.allclose(depthwise_conv(x, w, stride=stride), expected, atol=1e-12)


def test_grouped_1x1_is_block_diagonal():
    rng = np.random.default_rng(1)
    x, blocks = rng.standard_normal((3, 3, 6)), rng.standard_normal((3, 2, 4))
    split = np.concatenate([conv1x1(x[..., 2 * g:2 * g + 2], blocks[g]) for g in range(3)], axis=-1)
    assert np.allclose(conv1x1(x, block_diagonal(*blocks)), split)


def test_mobilenet_v1_within_1_percent_of_the_paper():
    count = count_layers(mobilenet_v1_layers(), (224, 224, 3))
    assert (count.multiply_adds, count.parameters) == (568_740_352, 4_210_088)
    assert abs(count.multiply_adds / MOBILENET_V1_PAPER["multiply_adds"] - 1) < 0.01
    assert abs(count.parameters / MOBILENET_V1_PAPER["parameters"] - 1) < 0.01
    assert count.output_shape == (1, 1, 1000)
    shares = count.shares()
    assert round(100 * shares["pointwise"][0], 2) == 94.86 and round(100 * shares["depthwise"][0], 2) == 3.06
    assert "total" in count.table() and len(count.layer_table().splitlines()) == 29


def test_values_read():
    r = values_read((2, 3), 5, height=6, width=6, in_channels=8, out_channels=8, kernel_size=3, groups=8)
    assert (r.rows, r.cols, r.channels, r.count) == (range(1, 4), range(2, 5), range(5, 6), 9)


def test_count_module_counts_a_network_as_the_table_does():
    torch = import_torch()
    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                        nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False), nn.Conv2d(8, 16, 1, bias=False),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 10))
    net.train()
    counted = count_module(net, (9, 9, 3))
    table = count_layers([Conv(8, 3, stride=2), Conv(8, 3, groups=8), Conv(16, 1), Dense(10)], (9, 9, 3))
    assert [(l.kind, l.multiply_adds, l.parameters) for l in counted.layers] == \
           [(l.kind, l.multiply_adds, l.parameters) for l in table.layers]
    assert net.training, "the module is left in the mode it was in"
    assert count_module(nn.Conv2d(4, 8, 3, padding=1), (6, 6, 4)).multiply_adds == 6 * 6 * 8 * 9 * 4


def test_count_module_bad_input():
    torch = import_torch()
    nn = torch.nn
    with pytest.raises(TypeError, match=r"module must be a torch.nn.Module .*got 3 \(int\)"):
        count_module(3, (6, 6, 3))
    with pytest.raises(TypeError, match=r"input_shape must be a channels-last shape such as \(H, W, C\).*got '6x6'"):
        count_module(nn.Conv2d(3, 8, 1), "6x6")
    with pytest.raises(TypeError, match=r"input_shape must be .*got \(1, 2, 3, 4, 5\) \(tuple\)"):
        count_module(nn.Conv2d(3, 8, 1), (1, 2, 3, 4, 5))
    with pytest.raises(ValueError, match=r"input_shape\[2\] must be an integer >= 1; got 0"):
        count_module(nn.Conv2d(3, 8, 1), (6, 6, 0))


# -- what PyTorch runs, counted (issue 25) -------------------------------------------------------
def flop_counter_multiply_adds(module, input_shape, *, train=False) -> int:
    """PyTorch's own count, torch.utils.flop_counter.FlopCounterMode, in multiply-adds (its FLOPs / 2)."""
    torch = import_torch()
    from torch.utils.flop_counter import FlopCounterMode

    parameter = next(module.parameters())
    x = torch.zeros((1, input_shape[-1], *input_shape[:-1]), dtype=parameter.dtype, device=parameter.device)
    mode = module.training
    module.train(train)
    with torch.set_grad_enabled(train), FlopCounterMode(display=False) as counter:
        module(x)
    module.train(mode)
    return counter.get_total_flops() // 2


def one_by_one_multiply_adds(module, input_shape) -> int:
    """The multiply-adds of the module's nn.Conv2d 1×1 layers, whatever their groups, read by forward hooks."""
    torch = import_torch()
    total = 0

    def hook(layer, inputs, output):
        nonlocal total
        total += output.numel() * layer.in_channels // layer.groups

    handles = [m.register_forward_hook(hook) for m in module.modules()
               if isinstance(m, torch.nn.Conv2d) and m.kernel_size == (1, 1)]
    x = torch.zeros((1, input_shape[-1], *input_shape[:-1]), device=next(module.parameters()).device)
    with torch.no_grad():
        module.eval()(x)
    for handle in handles:
        handle.remove()
    return total


#: The 1×1 convolutions' share of the multiply-adds, counted (no paper prints them for these networks):
#: (all 1×1, of which grouped), in percent to two decimals.
ONE_BY_ONE_SHARES = {"resnet50": (51.83, 0.0), "mobilenet_v2": (89.08, 0.0), "squeezenet1_0": (25.62, 0.0),
                     "shufflenet_v1": (90.62, 87.33)}


@functools.cache
def counted(name: str):
    """A network of tests/networks.py built on the meta device (shapes without memory or initialisation), and
    its count at the published input size, 224×224×3."""
    net = NETWORKS[name](device="meta")
    return net, count_module(net, (224, 224, 3))


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_real_networks_have_their_published_parameters_and_multiply_adds(name):
    torch = import_torch()
    published = PUBLISHED[name]
    net, count = counted(name)
    assert count.pytorch_parameters == sum(p.numel() for p in net.parameters())
    if "parameters_digits" in published:          # printed rounded (1.9M): equal to the digits printed
        unit = published["parameters_unit"]
        assert round(count.pytorch_parameters / unit, published["parameters_digits"]) == published["parameters"] / unit
    else:                                           # printed exactly
        assert count.pytorch_parameters == published["parameters"], published["source"]
    unit = published["unit"]
    if "multiply_adds_within" in published:
        assert abs(count.multiply_adds / published["multiply_adds"] - 1) < published["multiply_adds_within"]
    else:
        assert round(count.multiply_adds / unit, published["multiply_adds_digits"]) == round(
            published["multiply_adds"] / unit, published["multiply_adds_digits"]), published["source"]
    assert count.multiply_adds == flop_counter_multiply_adds(net, (224, 224, 3))     # PyTorch's own count, exactly
    assert count.uncounted == {}, "every call PyTorch ran is counted or free by the rules"
    # the parameters: PyTorch's, split; the course's are the weights and biases
    groups = count.parameter_groups
    assert sum(groups.values()) == count.pytorch_parameters
    assert groups["weights"] + groups["biases"] == count.parameters == count.parameters_per_call
    assert groups["other"] == 0 and count.unused_parameters == {}
    batch_norm = sum(p.numel() for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d) for p in m.parameters())
    assert groups["batch norm"] == batch_norm
    # the 1×1 share: every 1×1, grouped or not, in "pointwise"
    one_by_one, grouped = ONE_BY_ONE_SHARES[name]
    pointwise = count.by_kind()["pointwise"][0]
    assert pointwise == one_by_one_multiply_adds(NETWORKS[name](device="meta"), (224, 224, 3))
    assert round(100 * pointwise / count.multiply_adds, 2) == one_by_one
    assert round(100 * count.grouped_1x1()[0] / count.multiply_adds, 2) == grouped


def test_resnet50_says_both_parameter_counts_with_labels():
    text = str(counted("resnet50")[1])
    assert text.splitlines()[0] == ("54 layers: 4,089,184,256 multiply-adds, 25,503,912 parameters (weights and biases, "
                                    "each layer once)")
    assert text.splitlines()[1] == ("PyTorch counts 25,557,032 parameters: 25,502,912 weights + 1,000 biases + 53,120 "
                                    "batch norm (scale and shift) + 0 other")


def test_shufflenet_files_its_grouped_1x1_under_pointwise():
    table = counted("shufflenet_v1")[1].table().splitlines()
    at = next(k for k, row in enumerate(table) if row.startswith("pointwise"))
    assert "90.62%" in table[at] and table[at + 1].startswith("  grouped 1×1") and "87.33%" in table[at + 1]
    assert not any(row.startswith("grouped ") for row in table)
    grouped = count_layers([Conv(12, 3), Conv(24, 1, groups=3), Conv(24, 1, groups=24)], (6, 6, 12))
    assert [(layer.kind, layer.note) for layer in grouped.layers] == [
        ("standard", ""), ("pointwise", "grouped 1×1, g = 3"), ("pointwise", "depthwise 1×1")]
    assert "grouped 1×1, g = 3" in grouped.layer_table()


def small_model():
    """A learner's model: the head defined before the stem, functional calls, a Conv1d, a transposed
    convolution, a layer called twice and an auxiliary head used only in training."""
    torch = import_torch()
    nn, F = torch.nn, torch.nn.functional

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Conv2d(16, 10, 1)
            self.stem = nn.Conv2d(3, 16, 3, padding=1)
            self.mix = nn.Parameter(torch.randn(16, 16, 1, 1))
            self.along = nn.Conv1d(16, 16, 3, padding=1)
            self.shared = nn.Conv2d(16, 16, 1)
            self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
            self.aux = nn.Sequential(nn.Conv2d(16, 4, 1), nn.BatchNorm2d(4))
            self.fc = nn.Parameter(torch.randn(10, 8))

        def forward(self, x):
            x = F.relu(self.stem(x))
            x = F.conv2d(x, self.mix)                                   # functional
            n, c, h, w = x.shape
            x = self.along(x.flatten(2)).view(n, c, h, w)               # a Conv1d along the rows
            x = self.shared(self.shared(x))                             # one layer, two calls
            if self.training:
                x = x + self.aux(x).mean()
            y = self.up(x).mean((2, 3)) @ self.fc.T                     # x @ w
            return self.head(x), y

    return Model()


def test_a_learners_model_is_counted_completely():
    torch = import_torch()
    model = small_model()
    count = count_module(model, (8, 8, 3))
    assert count.multiply_adds == flop_counter_multiply_adds(model, (8, 8, 3)) == (
        8 * 8 * 16 * 27 + 8 * 8 * 16 * 16 + 64 * 16 * 48 + 2 * 8 * 8 * 16 * 16 + 8 * 8 * 16 * 8 * 4 + 8 * 10
        + 8 * 8 * 10 * 16)
    assert count.uncounted == {}
    rows = [(layer.name, layer.kind, layer.note, layer.first_call) for layer in count.layers]
    assert rows == [("stem", "standard", "", True), ("Model (conv)", "pointwise", "", True),
                    ("along", "standard", "1-D", True), ("shared", "pointwise", "", True),
                    ("shared", "pointwise", "", False), ("up", "standard", "transposed", True),
                    ("Model (matmul)", "fully connected", "", True), ("head", "pointwise", "", True)]
    assert count.layers[2].input_shape == (64, 16)                   # (L, C): a row of 64 pixels
    assert count.layers[5].output_shape == (16, 16, 8)
    # parameters: each layer once, and once per call where they differ; PyTorch's, split
    shared = 16 * 16 + 16
    assert count.parameters_per_call == count.parameters + shared
    aux = 16 * 4 + 4 + 2 * 4
    assert count.unused_parameters == {"aux": aux}
    assert count.pytorch_parameters == sum(p.numel() for p in model.parameters()) == count.parameters + aux
    assert count.parameter_groups == {"weights": 432 + 256 + 768 + 256 + 512 + 80 + 160 + 64,
                                      "biases": 16 + 16 + 16 + 8 + 10 + 4, "batch norm": 8, "other": 0}
    text = str(count)
    assert text.startswith("8 calls of 7 layers: ")
    assert f"called more than once: shared; counted at every call, the weights and biases make " \
           f"{count.parameters_per_call:,}" in text
    assert f"not used by the forward (in PyTorch's count, not in the multiply-adds): aux ({aux} parameters)" in text
    assert "called again: parameters counted at its first call" in count.layer_table()
    assert isinstance(count.layers[0].cost.output_shape, tuple) and torch.is_grad_enabled()


def test_what_the_counter_cannot_read_is_said():
    torch = import_torch()
    nn = torch.nn

    class Spectrum(nn.Module):
        def forward(self, x):
            return torch.fft.rfft2(x).abs()

    count = count_module(nn.Sequential(nn.Conv2d(3, 4, 1), Spectrum()), (4, 4, 3))
    assert count.uncounted == {"aten._fft_r2c in '1'": 1}
    assert str(count).splitlines()[-1] == ("NOT COUNTED: 1 call PyTorch ran that this count cannot read: "
                                           "aten._fft_r2c in '1' ×1")
    assert count.free_calls == {"element-wise": 1}                   # abs(): free by the rules


def test_attention_is_counted_on_pytorchs_fast_path_as_on_its_slow_one():
    torch = import_torch()
    nn = torch.nn

    class Tokens(nn.Module):
        def __init__(self):
            super().__init__()
            self.attend = nn.MultiheadAttention(8, 2, batch_first=True)

        def forward(self, x):
            x = x.flatten(2).transpose(1, 2)
            return self.attend(x, x, x)[0]

    model = Tokens()
    count = count_module(model, (4, 4, 8))              # eval, no gradients: aten._native_multi_head_attention
    assert count.uncounted == {} and [layer.kind for layer in count.layers] == ["fully connected", "matrix product"]
    assert count.multiply_adds == flop_counter_multiply_adds(model, (4, 4, 8), train=True) == (
        4 * 16 * 8 * 8 + 2 * 16 * 16 * 8)               # q, k, v and out projections of 16 tokens; Q Kᵀ and × V
    assert count.parameter_groups == {"weights": 4 * 64, "biases": 32, "batch norm": 0, "other": 0}


def test_count_module_runs_whatever_pytorch_runs():
    torch = import_torch()
    nn = torch.nn
    one = count_module(nn.Conv2d(3, 8, 1, stride=8), (6, 6, 3))      # a stride larger than the input
    assert one.output_shape == (1, 1, 8) and one.multiply_adds == 24
    double = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU()).double()
    assert count_module(double, (6, 6, 3)).multiply_adds == 4 * 4 * 8 * 27
    dense = count_module(nn.Sequential(nn.Flatten(), nn.Linear(108, 2)), (6, 6, 3))
    assert dense.multiply_adds == 216 and str(dense.layers[0].cost).endswith("biases), output 2")
    along = count_module(nn.Conv1d(4, 6, 3), (10, 4)).layers[0]
    assert along.output_shape == (8, 6) and str(along.cost).endswith("output 8×6")
    assert count_module(nn.ReLU(), (2, 2, 1)).layers == []


def test_an_error_in_the_forward_reaches_the_learner_with_its_traceback_and_one_line_of_advice():
    torch = import_torch()
    nn = torch.nn

    class Unfinished(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 8, 1)

        def forward(self, x):
            raise NotImplementedError("the learner's own message")

    with pytest.raises(NotImplementedError) as caught:
        count_module(Unfinished(), (6, 6, 3))
    assert str(caught.value) == "the learner's own message"                      # unchanged
    assert "forward" in [frame.name for frame in caught.traceback]               # the learner's own frame
    note, = caught.value.__notes__
    assert note.startswith("count_module: the error above was raised in the module (Unfinished) while count_module "
                           "ran the module once, in eval mode, on torch.zeros(1, 3, 6, 6) (float32, cpu)")
    with pytest.raises(RuntimeError, match=r"expected input\[1, 224, 3, 224\] to have 3 channels") as caught:
        count_module(nn.Sequential(nn.Conv2d(3, 8, 3)), (3, 224, 224))
    note, = caught.value.__notes__
    assert "raised in '0' (Conv2d)" in note and note.endswith(
        "input_shape = (3, 224, 224) looks like PyTorch's channels-first order: give it channels last, "
        "input_shape = (224, 224, 3).")
    with pytest.raises(RuntimeError, match=r"mat1 and mat2 shapes cannot be multiplied") as caught:
        count_module(nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(5, 2)), (6, 6, 3))
    assert "raised in '2' (Linear)" in caught.value.__notes__[0]


def test_every_submodule_comes_back_in_the_mode_it_had():
    torch = import_torch()
    nn = torch.nn
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Dropout())
    net.train()
    net[1].eval()                                   # a frozen batch norm in a model in training
    count_module(net, (6, 6, 3))
    assert [m.training for m in net.modules()] == [True, True, False, True]
    with pytest.raises(RuntimeError):
        count_module(net, (6, 6, 5))
    assert [m.training for m in net.modules()] == [True, True, False, True]
    assert all(not m._forward_hooks and not m._forward_pre_hooks for m in net.modules())


def test_every_free_call_is_free_by_a_rule():
    """The operators that cost nothing by COUNTING_RULES, grouped as count_module tallies them."""
    torch = import_torch()
    from conv1x1.compute.torch_count import free_by_the_rules

    aten = torch.ops.aten
    assert {free_by_the_rules(op) for op in (aten.relu.default, aten.add.Tensor, aten.mul.Tensor)} == {"element-wise"}
    assert free_by_the_rules(aten.native_batch_norm.default) == "normalisation"
    assert free_by_the_rules(aten.max_pool2d_with_indices.default) == "pooling and resampling"
    assert free_by_the_rules(aten.mean.dim) == "pooling and resampling"
    assert free_by_the_rules(aten.cat.default) == free_by_the_rules(aten.view.default) == "moving data"
    assert free_by_the_rules(aten._fft_r2c.default) is None


def test_count_imports_neither_torch_nor_drawing():
    code = ("import sys, conv1x1.compute.count; "
            "print([name in sys.modules for name in ('torch', 'matplotlib', 'ipywidgets')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[False, False, False]"


def test_count_module_without_torch_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"count_module needs PyTorch, which is not installed: pip install torch"):
        count_module(object(), (6, 6, 3))


# -- lesson 10's chart of a network's layers ------------------------------------------------
def test_layer_cost_chart_draws_every_layer_and_says_its_numbers():
    import matplotlib.pyplot as plt

    from conv1x1 import draw

    net = count_layers(mobilenet_v1_layers(), input_shape=(224, 224, 3))
    chart = draw.plot_layer_costs(net)
    try:
        widths = [bar.get_width() * 1e6 for bar in chart.bars]
        assert np.allclose(widths, [layer.multiply_adds for layer in net.layers])       # one bar a layer, in order
        kinds = {layer.kind: bar.get_facecolor() for layer, bar in zip(net.layers, chart.bars)}
        assert len(set(kinds.values())) == 4                                           # a colour per kind
        head, details = chart.describe().split("\n")
        assert "28 layers, 568,740,352 in all" in head
        assert ("pointwise: 13 layers, 539,492,352 (94.86%), the largest 51,380,224 each in 8 layers (conv 6, "
                "conv 10, conv 14, conv 16, conv 18, conv 20, conv 22, conv 26)") in head
        assert "depthwise: 13 layers, 17,385,984 (3.06%), the largest 3,612,672 each in 2 layers (conv 1, conv 5)" in head
        assert "standard: 1 layer, 10,838,016 (1.91%)" in head
        assert details.count("(depthwise)") == 13 and "dense 27 (fully connected) 1,024,000" in details
    finally:
        plt.close("all")


@pytest.mark.parametrize("kwargs, message", [
    (dict(network=[1, 2]), "network must be a NetworkCount"),
    (dict(network=None), "got None"),
    (dict(ax="left"), "ax must be a matplotlib Axes or None; got 'left'"),
    (dict(title=3), "title must be a string or None; got 3"),
])
def test_layer_cost_chart_bad_input(kwargs, message):
    from conv1x1 import draw

    args = dict(network=count_layers([Conv(8, 1)], input_shape=(4, 4, 3)))
    with pytest.raises(TypeError, match=message):
        draw.plot_layer_costs(**{**args, **kwargs})
