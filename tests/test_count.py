"""Counting with groups, stride and padding (conv1x1.compute.cost) and whole networks (conv1x1.compute.count), against PyTorch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
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
    with pytest.raises(ValueError, match=r"module must contain an nn.Conv2d; got a Sequential without one"):
        count_module(nn.Sequential(nn.Flatten(), nn.Linear(108, 2)), (6, 6, 3))
    with pytest.raises(ValueError, match=r"expects 3; got input_shape = \(3, 224, 224\).*did you give PyTorch's"):
        count_module(nn.Conv2d(3, 8, 3), (3, 224, 224))
    with pytest.raises(ValueError, match=r"does not run on an input of shape"):
        count_module(nn.Sequential(nn.Conv2d(3, 8, 3), nn.Flatten(), nn.Linear(5, 2)), (6, 6, 3))
    with pytest.raises(ValueError, match=r"stride must be at most the input's height"):
        count_module(nn.Conv2d(3, 8, 1, stride=8), (6, 6, 3))


def test_count_module_without_torch_says_how_to_install_it(monkeypatch):
    import sys

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
