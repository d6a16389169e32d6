"""Progress bars of the long trainers, ``decode_orientation`` and ``train_encoder``.

Each shows one bar of its iterations with the latest loss: a widget in a notebook (with a plain
line for the book's static page), a line on stderr elsewhere. What they print to stdout and the
numbers they return are the same as without the bar, to the last bit.
"""

import numpy as np
import pytest
import torch
from tqdm.notebook import tqdm_notebook

import nma_dl.training
from nma_dl import ConvFC, DeepNetSoftmax, filters, grating_stimuli, regularized_loss
from nma_dl.display import StaticFallback
from nma_dl.encoding import train_encoder
from nma_dl.training import decode_orientation, train_test_classification


def _decoding_data(n=60, n_neurons=30):
    gen = torch.Generator().manual_seed(0)
    stimuli = torch.rand(n, 1, generator=gen) * 360
    preferred = torch.rand(n_neurons, generator=gen) * 360
    resp = torch.cos(torch.deg2rad(stimuli - preferred))
    return resp + 0.1 * torch.randn(n, n_neurons, generator=gen), stimuli


def _decode(n_iter=50, **kwargs):
    """Train a small classifier from the same seed; return what it returned and its weights."""
    resp, stimuli = _decoding_data()
    torch.manual_seed(0)
    net = DeepNetSoftmax(30, 8, 4)
    returned = decode_orientation(
        net, 4, regularized_loss, resp[:40], stimuli[:40], resp[40:], stimuli[40:],
        n_iter=n_iter, L2_penalty=1e-3, L1_penalty=1e-4, **kwargs,
    )  # fmt: skip
    return returned, net.state_dict()


def _encode(n_iter=20, **kwargs):
    gen = torch.Generator().manual_seed(1)
    _, images = grating_stimuli()
    resp = torch.randn(60, 40, generator=gen)
    torch.manual_seed(0)
    net = ConvFC(40, filters=filters())
    returned = train_encoder(
        net, images, resp, images, resp + 0.1 * torch.randn(60, 40, generator=gen),
        learning_rate=0.01, n_iter=n_iter, **kwargs,
    )  # fmt: skip
    return returned, net.state_dict()


def _same_weights(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


class _Recording(tqdm_notebook):
    """tqdm's notebook bar, kept for the test to read, each ``set_postfix`` counted."""

    made = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.postfixes = 0
        _Recording.made.append(self)

    def set_postfix(self, *args, **kwargs):
        self.postfixes += 1
        super().set_postfix(*args, **kwargs)


@pytest.fixture
def notebook(monkeypatch):
    """Run as in a notebook: tqdm.auto's bar is the widget; return what was displayed."""
    _Recording.made = []
    shown = []
    monkeypatch.setattr(nma_dl.training, "tqdm", _Recording)
    monkeypatch.setattr(nma_dl.training, "display", shown.append)
    return shown


# --------------------------------------------------------------------------- outside a notebook


def test_decode_orientation_shows_a_line_of_its_iterations_with_the_loss(capsys):
    (train_loss, test_loss, _), _ = _decode()
    err = capsys.readouterr().err
    assert "iterations: 100%" in err and "50/50" in err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert f"loss={train_loss[-1]:.3g}" in last and f"test_loss={test_loss[-1]:.3g}" in last


def test_train_encoder_shows_a_line_of_its_iterations_with_the_losses(capsys):
    (train_loss, test_loss), _ = _encode(verbose=False)
    err = capsys.readouterr().err
    assert "iterations: 100%" in err and "20/20" in err
    last = err.replace("\r", "\n").strip().splitlines()[-1]
    assert f"train loss={train_loss[-1]:.3g}" in last
    assert f"test loss={test_loss[-1]:.3g}" in last  # measured at the last step


@pytest.mark.parametrize("train", [_decode, _encode], ids=["decode", "encode"])
def test_the_bar_changes_no_number_and_no_printed_line(capsys, train):
    capsys.readouterr()
    with_bar, weights = train()
    shown = capsys.readouterr()
    without, weights_without = train(progress=False)
    plain = capsys.readouterr()
    assert shown.out == plain.out and shown.out.strip()  # the log, as it was
    assert shown.err and plain.err == ""
    for a, b in zip(with_bar, without, strict=True):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=True)
        else:
            assert torch.equal(a, b) if isinstance(a, torch.Tensor) else a == b
    assert _same_weights(weights, weights_without)


@pytest.mark.parametrize("train", [_decode, _encode], ids=["decode", "encode"])
def test_progress_must_be_a_bool(train):
    with pytest.raises(TypeError, match="progress must be a bool"):
        train(n_iter=2, progress="yes")


# --------------------------------------------------------------------------- in a notebook


def test_in_a_notebook_one_widget_with_a_plain_line_for_the_static_page(notebook, capsys):
    capsys.readouterr()
    (train_loss, test_loss, _), _ = _decode(n_iter=30)
    [bar] = _Recording.made
    [fallback] = notebook
    assert isinstance(fallback, StaticFallback) and fallback.widget is bar.container
    assert fallback.html == "<p>Trained for 30 iterations (a live progress bar in a notebook).</p>"
    assert bar.total == bar.n == 30
    assert bar.postfix == f"loss={train_loss[-1]:.3g}, test_loss={test_loss[-1]:.3g}"
    printed = capsys.readouterr()
    assert printed.err == "" and "Trained" not in printed.out and "%" not in printed.out


def test_train_encoder_in_a_notebook(notebook):
    _encode(n_iter=10, verbose=False)
    [bar] = _Recording.made
    [fallback] = notebook
    assert bar.total == bar.n == 10
    assert fallback.html == "<p>Trained for 10 iterations (a live progress bar in a notebook).</p>"
    assert bar.postfix.startswith("train loss=") and "test loss=" in bar.postfix


def test_the_bar_is_updated_sparsely(notebook):
    _decode(n_iter=200)
    [bar] = _Recording.made
    assert bar.postfixes == 101  # every 1 % of the iterations (2 of them), and the last one
    assert bar.mininterval >= 0.5  # redrawn at most twice a second


def test_without_progress_nothing_is_displayed(notebook):
    _decode(n_iter=5, progress=False)
    _encode(n_iter=5, progress=False)
    assert notebook == [] and all(bar.disable for bar in _Recording.made)


def test_a_failed_training_closes_its_bar(notebook, monkeypatch):
    monkeypatch.setattr("nma_dl.encoding._penalty_and_step", _fail_at_the_third_step())
    with pytest.raises(RuntimeError, match="stop"):
        _encode(n_iter=10, verbose=False)
    [bar] = _Recording.made
    assert bar.disable and bar.n < bar.total  # closed, where it stopped (the widget turns red)


def _fail_at_the_third_step():
    calls = []

    def step(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("stop")
        return 0.0

    return step


def test_the_epochs_bar_of_train_test_classification_is_unchanged(notebook):
    data = torch.utils.data.TensorDataset(torch.randn(8, 3), torch.arange(8) % 2)
    loader = torch.utils.data.DataLoader(data, batch_size=4)
    net = torch.nn.Linear(3, 2)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    train_test_classification(net, torch.nn.CrossEntropyLoss(), optimizer, loader, loader, 3)
    [bar] = _Recording.made
    assert bar.total == bar.n == 3 and bar.desc == "epochs"
    assert notebook[0].html == "<p>Trained for 3 epochs (a live progress bar in a notebook).</p>"
