"""Computing: the course's arithmetic, with NumPy only (no drawing, no widgets).

===================================  ==============================================================
:mod:`conv1x1.compute.core`          the 1×1 convolution (loops and matrix product), ReLU, the
                                     lecture's image and example volumes, colour mixes, depthwise
                                     convolution, number formatting
:mod:`conv1x1.compute.cost`          what a layer costs (weights, multiply-adds), the counting rules
:mod:`conv1x1.compute.count`         counting whole networks: a list of layers, or a PyTorch module
:mod:`conv1x1.compute.learn`         fitting a 1×1 layer (least squares, gradient descent)
:mod:`conv1x1.compute.model`         one pixel's numbers through a layer, for the figures
:mod:`conv1x1.compute.export`        a filter bank as PyTorch / Keras weights and code
:mod:`conv1x1.compute.data`          the course's photo (read with matplotlib's reader and Pillow,
                                     imported only when a photo is loaded)
:mod:`conv1x1.compute.validate`      checking a public function's arguments, with clear errors
===================================  ==============================================================

The lessons import the common names from the top level: ``from conv1x1 import conv1x1, conv_cost``.
"""
