"""Accessibility of every explorer in the course: labelled, keyboard-operable controls,
titled figures, colour-blind-safe maps. The explorers are taken from the
package's registry (registry.EXPLORERS), which lists every explorer of the course."""

from __future__ import annotations

import ipywidgets as widgets
import matplotlib
import pytest

from conv1x1.engine import controls
from conv1x1.explore import registry

matplotlib.use("Agg")

SAFE_MAPS = {"cividis", "viridis", "PuOr", "PuOr_r", "Greys", "gray", "binary"}


@pytest.fixture(params=sorted(registry.EXPLORERS), scope="module")
def explorer(request):
    return registry.EXPLORERS[request.param].make(None)


def test_every_control_has_a_unique_label(explorer):
    labels = []
    for name, control in explorer.controls.items():
        # our sliders and drop-downs are native controls named by a <label for>; ipywidgets checkboxes are
        # named natively (ipywidgets' sliders are not, and its drop-down loses its arrow keys to the notebook)
        assert isinstance(control, (controls.IntSlider, controls.FloatSlider, controls.Dropdown, widgets.Checkbox)), (
            f"control {name!r} is a {type(control).__name__}, whose accessible name is not known to work")
        assert control.description.strip(), f"control {name!r} has no label for screen readers"
        assert not control.disabled
        labels.append(control.description)
    assert len(set(labels)) == len(labels), f"two controls share a label: {labels}"


def test_sliders_are_keyboard_operable_and_show_their_value(explorer):
    for name, control in explorer.controls.items():
        if isinstance(control, (controls.IntSlider, controls.FloatSlider)):
            assert control.continuous_update
            assert control.step > 0
            steps = (control.max - control.min) / control.step
            # arrow keys step, Page Up/Down jump a tenth: keep a full sweep within a few hundred presses
            assert steps <= 600, f"slider {name!r} needs {steps:.0f} arrow presses end to end: use a coarser step"


def test_figure_has_alt_text_that_names_every_control_and_its_value(explorer):
    """A screen reader hears each control by its label: the alt text uses the same words."""
    alt = explorer.image.alt
    assert alt.startswith(explorer.headline(explorer.state()))
    for control in explorer.controls.values():
        assert f"{control.description} = " in alt


def test_figure_is_titled(explorer):
    fig = explorer.figure
    has_titled_axes = any(ax.get_title() or ax.get_title(loc="left") for ax in fig.axes)
    assert has_titled_axes or fig._suptitle is not None
    assert explorer.headline(explorer.state()), "the explorer says what it shows"


def test_colour_maps_are_colour_blind_safe(explorer):
    checked = 0
    for ax in explorer.figure.axes:
        for artist in [*ax.images, *ax.collections, *ax.artists]:
            cmap = getattr(artist, "cmap", None)
            if cmap is None:
                continue
            if hasattr(artist, "get_array") and artist.get_array() is None:
                continue                    # a collection with plain colours, no colour map in use
            assert cmap.name in SAFE_MAPS, f"{type(artist).__name__} uses {cmap.name}, not a colour-blind-safe map"
            checked += 1
    if type(explorer).__name__ in ("WeightExplorer", "DotProductExplorer"):
        assert checked, "the grids' colour maps should have been checked"
