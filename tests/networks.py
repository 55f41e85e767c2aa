"""Well-known networks written in plain PyTorch, for the tests that count them (tests/test_count.py).

torchvision does not load in this project's environment, so the networks are written out here, layer for
layer as their reference implementations build them:

* ResNet-50 as torchvision builds it (He et al. 2015, with the stride of each downsampling block on its 3×3
  convolution: torchvision's "ResNet V1.5"; ``stride_on_1x1=True`` puts it on the first 1×1, as the paper);
* MobileNetV2 as torchvision builds it (Sandler et al. 2018, width 1.0);
* SqueezeNet 1.0 as torchvision builds it (Iandola et al. 2016);
* ShuffleNet v1, 1.0×, g = 3, as its authors' PyTorch code builds it (Zhang et al. 2017;
  github.com/megvii-model/ShuffleNet-Series, ShuffleNetV1/).

:data:`PUBLISHED` holds the figures their publishers give, with where each comes from. Each builder
takes ``device`` ("meta" builds the layers without memory or initialisation: counting needs only shapes).
"""

from __future__ import annotations

#: Published figures: parameters, multiply-adds (both as printed, with the decimals printed, or the relative
#: tolerance a figure needs) and the source.
#: torchvision's model pages give "num_params" exactly and "GFLOPS" to two decimals; their GFLOPS count
#: multiply-adds (ResNet-50: 4.09 for 4,089,184,256), as the papers' "FLOPs" and "Mult-Adds" do.
PUBLISHED = {
    "resnet50": dict(parameters=25_557_032, multiply_adds=4.09e9, multiply_adds_digits=2, unit=1e9,
                     source="torchvision, ResNet50_Weights.IMAGENET1K_V1: num_params 25557032, GFLOPS 4.09"),
    "mobilenet_v2": dict(parameters=3_504_872, multiply_adds=0.30e9, multiply_adds_digits=2, unit=1e9,
                         source="torchvision, MobileNet_V2_Weights.IMAGENET1K_V1: num_params 3504872, GFLOPS 0.30 "
                                "(the paper: 300M multiply-adds, 3.4M parameters)"),
    "squeezenet1_0": dict(parameters=1_248_424, multiply_adds=0.82e9, multiply_adds_digits=2, unit=1e9,
                          source="torchvision, SqueezeNet1_0_Weights.IMAGENET1K_V1: num_params 1248424, GFLOPS 0.82"),
    # Printed rounded to 0.1M and 1M. 137,460,672 multiply-adds print as 137M, not 138M: the README's figure is
    # 0.4% above the count, about what the average pooling of the three stride-2 shortcuts and the global
    # pooling would add (851,424 window reads, which the course's rules leave out); hence a tolerance.
    "shufflenet_v1": dict(parameters=1.9e6, parameters_digits=1, parameters_unit=1e6, multiply_adds=138e6,
                          multiply_adds_within=0.004, unit=1e6,
                          source="megvii-model/ShuffleNet-Series, ShuffleNetV1/README.md: ShuffleNetV1 1.0x "
                                 "(group=3), FLOPs 138M, #Params 1.9M"),
}


def _nn():
    from torch import nn

    return nn


def conv_bn(c_in: int, c_out: int, k: int, stride: int = 1, groups: int = 1, act=None, device=None) -> list:
    """A convolution without bias ('same' padding for odd k), its batch norm, and an activation if given."""
    nn = _nn()
    layers = [nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False, device=device),
              nn.BatchNorm2d(c_out, device=device)]
    return layers + ([act()] if act is not None else [])


def resnet50(*, stride_on_1x1: bool = False, device=None):
    """ResNet-50 for 224×224×3 images, 1000 classes."""
    nn = _nn()

    class Bottleneck(nn.Module):
        def __init__(self, c_in: int, width: int, stride: int):
            super().__init__()
            c_out = 4 * width
            s1, s3 = (stride, 1) if stride_on_1x1 else (1, stride)
            self.body = nn.Sequential(*conv_bn(c_in, width, 1, s1, act=nn.ReLU, device=device),
                                      *conv_bn(width, width, 3, s3, act=nn.ReLU, device=device),
                                      *conv_bn(width, c_out, 1, device=device))
            self.downsample = (nn.Sequential(*conv_bn(c_in, c_out, 1, stride, device=device))
                               if stride != 1 or c_in != c_out else None)
            self.relu = nn.ReLU()

        def forward(self, x):
            shortcut = x if self.downsample is None else self.downsample(x)
            return self.relu(self.body(x) + shortcut)

    layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False, device=device), nn.BatchNorm2d(64, device=device), nn.ReLU(),
              nn.MaxPool2d(3, 2, 1)]
    c_in = 64
    for width, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for k in range(blocks):
            layers.append(Bottleneck(c_in, width, stride if k == 0 else 1))
            c_in = 4 * width
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000, device=device))


def mobilenet_v2(*, device=None):
    """MobileNetV2, width 1.0, for 224×224×3 images, 1000 classes."""
    nn = _nn()

    class InvertedResidual(nn.Module):
        def __init__(self, c_in: int, c_out: int, stride: int, expand: int):
            super().__init__()
            hidden = c_in * expand
            layers = conv_bn(c_in, hidden, 1, act=nn.ReLU6, device=device) if expand != 1 else []
            layers += conv_bn(hidden, hidden, 3, stride, groups=hidden, act=nn.ReLU6, device=device)
            layers += conv_bn(hidden, c_out, 1, device=device)
            self.conv = nn.Sequential(*layers)
            self.residual = stride == 1 and c_in == c_out

        def forward(self, x):
            return x + self.conv(x) if self.residual else self.conv(x)

    layers = conv_bn(3, 32, 3, 2, act=nn.ReLU6, device=device)
    c_in = 32
    for expand, c_out, repeats, stride in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                                           (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)):
        for k in range(repeats):
            layers.append(InvertedResidual(c_in, c_out, stride if k == 0 else 1, expand))
            c_in = c_out
    layers += conv_bn(320, 1280, 1, act=nn.ReLU6, device=device)
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2),
                         nn.Linear(1280, 1000, device=device))


def squeezenet1_0(*, device=None):
    """SqueezeNet 1.0 for 224×224×3 images, 1000 classes."""
    import torch

    nn = _nn()

    class Fire(nn.Module):
        def __init__(self, c_in: int, squeeze: int, expand: int):
            super().__init__()
            self.squeeze = nn.Conv2d(c_in, squeeze, 1, device=device)
            self.expand1x1 = nn.Conv2d(squeeze, expand, 1, device=device)
            self.expand3x3 = nn.Conv2d(squeeze, expand, 3, padding=1, device=device)
            self.relu = nn.ReLU()

        def forward(self, x):
            x = self.relu(self.squeeze(x))
            return torch.cat([self.relu(self.expand1x1(x)), self.relu(self.expand3x3(x))], 1)

    def pool():
        return nn.MaxPool2d(3, 2, ceil_mode=True)

    return nn.Sequential(
        nn.Conv2d(3, 96, 7, 2, device=device), nn.ReLU(), pool(),
        Fire(96, 16, 64), Fire(128, 16, 64), Fire(128, 32, 128), pool(),
        Fire(256, 32, 128), Fire(256, 48, 192), Fire(384, 48, 192), Fire(384, 64, 256), pool(),
        Fire(512, 64, 256),
        nn.Dropout(0.5), nn.Conv2d(512, 1000, 1, device=device), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())


def shufflenet_v1(*, groups: int = 3, device=None):
    """ShuffleNet v1, 1.0×, for 224×224×3 images, 1000 classes (``groups`` 3: stages of 240, 480, 960 channels)."""
    import torch

    nn = _nn()
    if groups != 3:
        raise ValueError(f"groups must be 3 (the channels of other groups are not written here); got {groups}")

    class ShuffleUnit(nn.Module):
        def __init__(self, c_in: int, c_out: int, stride: int, first: bool):
            super().__init__()
            mid = c_out // 4
            branch = c_out - c_in if stride == 2 else c_out      # stride 2: the shortcut's channels are concatenated
            self.groups, self.stride = groups, stride
            self.reduce = nn.Sequential(*conv_bn(c_in, mid, 1, groups=1 if first else groups, act=nn.ReLU,
                                                 device=device),
                                        *conv_bn(mid, mid, 3, stride, groups=mid, device=device))
            self.expand = nn.Sequential(*conv_bn(mid, branch, 1, groups=groups, device=device))
            self.pool = nn.AvgPool2d(3, 2, 1) if stride == 2 else None

        def forward(self, x):
            y = self.reduce(x)
            n, c, h, w = y.shape                                  # channel shuffle: (c/g, g) -> (g, c/g)
            y = y.reshape(n, c // self.groups, self.groups, h, w).permute(0, 2, 1, 3, 4).reshape(n, c, h, w)
            y = self.expand(y)
            if self.stride == 1:
                return torch.relu(x + y)
            return torch.cat([self.pool(x), torch.relu(y)], 1)

    layers = [*conv_bn(3, 24, 3, 2, act=nn.ReLU, device=device), nn.MaxPool2d(3, 2, 1)]
    c_in = 24
    for c_out, repeats in ((240, 4), (480, 8), (960, 4)):
        for k in range(repeats):
            layers.append(ShuffleUnit(c_in, c_out, 2 if k == 0 else 1, first=c_in == 24))
            c_in = c_out
    return nn.Sequential(*layers, nn.AvgPool2d(7), nn.Flatten(), nn.Linear(960, 1000, bias=False, device=device))


#: The builders by name, as in :data:`PUBLISHED`.
NETWORKS = {"resnet50": resnet50, "mobilenet_v2": mobilenet_v2, "squeezenet1_0": squeezenet1_0,
            "shufflenet_v1": shufflenet_v1}
