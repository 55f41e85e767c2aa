"""The frame engine: how a figure becomes frames a browser shows, fast, with its words.

An explorer (:class:`conv1x1.engine.explorer.Explorer`) puts in a figure, the artists that change and
its state; the engine draws the changed artists over a saved background, finds the rectangles of the
frame that changed and sends only those with the figure's words (alt text, live region, long
description) in one message to its view in the browser.

===================================  ==============================================================
:mod:`conv1x1.engine.render`         fast artists (cached text, cell grids, unresampled images),
                                     PNG encoding and the frame's changed tiles (matplotlib only)
:mod:`conv1x1.engine.mpl`            every use of matplotlib beyond its public API, in one place
:mod:`conv1x1.engine.layouts`        a figure's slide layout, applied in place (matplotlib only)
:mod:`conv1x1.engine.controls`       the controls and the figure's view in the browser (anywidget;
                                     their JavaScript and CSS are the files in ``static/``)
:mod:`conv1x1.engine.explorer`       :class:`Explorer`: controls, state, update, render
:mod:`conv1x1.engine.server`         the Jupyter Server extension: kernel websockets without delay
===================================  ==============================================================

The drawing layer (:mod:`conv1x1.draw`) uses ``render`` and ``layouts`` only, so importing it loads no
widget library; this package's ``__init__`` imports nothing for that reason.
"""
