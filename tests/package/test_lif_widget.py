"""The LIF f-I widget builds without a display, redraws on slider changes, and has a fallback."""

import base64
import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
import torch
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure

from nma_dl import widgets
from nma_dl.display import StaticFallback
from nma_dl.neurons import fi_curve, run_LIF
from nma_dl.plotting import plot_fi_curve, plot_lif_membrane
from nma_dl.widgets import lif_fi_figure, lif_fi_widget

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _curve(fig):
    (line,) = fig.axes[0].lines
    return list(line.get_xdata()), list(line.get_ydata())


def test_figure_shows_the_simulated_curve_and_leaves_pyplot_alone():
    before = plt.get_fignums()
    fig = lif_fi_figure(Rm=10, tau_ref=5)
    assert isinstance(fig, Figure) and plt.get_fignums() == before
    currents, counts = _curve(fig)
    assert len(currents) == 10 and currents[0] == 0 and currents[-1] == 2
    assert counts == fi_curve(currents, Rm=10, tau_ref=5)
    assert fig.axes[0].get_ylim() == (0, 150)


def test_widget_bundle_has_live_view_and_static_figure_with_launch_note():
    shown = lif_fi_widget()
    assert isinstance(shown, StaticFallback)
    data, _ = DisplayFormatter().format(shown)
    assert WIDGET_VIEW in data
    html = data["text/html"]
    assert html.startswith("<figure>") and "Launch this page as a notebook" in html
    assert "move the sliders" in html
    png = re.search(r'src="data:image/png;base64,([^"]+)"', html).group(1)
    assert base64.b64decode(png).startswith(b"\x89PNG")
    assert "http" not in html  # the static page makes no request


def test_static_figure_alt_describes_the_curve_not_the_caption():
    data, _ = DisplayFormatter().format(lif_fi_widget())
    html = data["text/html"]
    alt = re.search(r'alt="([^"]+)"', html).group(1)
    caption = re.search(r"<figcaption[^>]*>([^<]+)</figcaption>", html).group(1)
    assert alt != caption and "Launch" not in alt  # read once each, saying different things
    assert "spike count" in alt and "input current" in alt and "threshold" in alt.lower()


def test_sliders_redraw_the_curve(monkeypatch):
    drawn = []
    real = widgets.lif_fi_figure

    def spy(Rm, tau_ref):
        drawn.append((Rm, tau_ref))
        return real(Rm, tau_ref)

    monkeypatch.setattr(widgets, "lif_fi_figure", spy)
    box = lif_fi_widget(Rm=1, tau_ref=1).widget
    rm_slider, tau_slider, _ = box.children
    assert (rm_slider.min, rm_slider.max, rm_slider.step) == (1, 100, 0.1)
    assert (tau_slider.min, tau_slider.max, tau_slider.step) == (1, 100, 0.1)
    assert drawn == [(1.0, 1.0)]
    rm_slider.value = 50
    tau_slider.value = 20
    assert drawn == [(1.0, 1.0), (50.0, 1.0), (50.0, 20.0)]
    _, counts = _curve(box.redraw())
    assert counts == fi_curve(torch.linspace(0, 2, 10), Rm=50, tau_ref=20)


def test_the_widget_shows_its_curve_as_an_image_not_a_figure_repr():
    """A fresh Colab kernel has no inline backend: display(fig) would print <Figure size ...>."""
    box = lif_fi_widget(Rm=1, tau_ref=1).widget
    out = box.children[2]
    [shown] = out.outputs
    assert base64.b64decode(shown["data"]["image/png"]).startswith(b"\x89PNG")
    assert "(Rm = 1 kOhm, tau_ref = 1 ms)" in shown["data"]["text/plain"]
    box.children[0].value = 80
    [again] = out.outputs
    assert again["data"]["image/png"] != shown["data"]["image/png"]
    assert "Rm = 80 kOhm" in again["data"]["text/plain"]
    assert all("<Figure" not in o["data"]["text/plain"] for o in out.outputs)


def test_bigger_resistance_fires_more_longer_refractory_period_fires_less():
    base = _curve(lif_fi_figure(1, 1))[1]
    leaky_less = _curve(lif_fi_figure(100, 1))[1]
    slow = _curve(lif_fi_figure(1, 50))[1]
    assert sum(leaky_less) > sum(base) > sum(slow)
    assert leaky_less[1] > 0 == base[1]  # at 0.22 mA only the high-resistance neuron fires


def test_membrane_plot():
    time, Vm = run_LIF(1.5)
    ax = plot_lif_membrane(time, Vm)
    (line,) = ax.lines
    assert len(line.get_xdata()) == len(time)
    assert ax.get_xlabel() == "time (ms)"


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"Rm": 0.5}, ValueError, "Rm must be between 1 and 100"),
        ({"tau_ref": 101}, ValueError, "tau_ref must be between 1 and 100"),
        ({"Rm": "1"}, TypeError, "Rm must be a number"),
        ({"tau_ref": True}, TypeError, "tau_ref must be a number"),
    ],
)
def test_widget_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        lif_fi_widget(**kwargs)


@pytest.mark.bad_input
def test_lif_plots_reject_bad_inputs():
    with pytest.raises(ValueError, match="Vm must have one value per time point"):
        plot_lif_membrane([0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="spike_counts must have one value per current"):
        plot_fi_curve([0, 1], [3])
    with pytest.raises(ValueError, match="ylim must be > 0"):
        plot_fi_curve([0, 1], [0, 3], ylim=0)
