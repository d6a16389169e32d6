"""Reliability round 3 for the trainers: no training on NaN, no endless run, no raw error.

* ``decode_orientation`` and ``train_encoder`` refuse NaN and inf inputs (naming the argument,
  and the column of a neuron that never varies, z-scored) and stop when the loss diverges;
* ``train``, ``decode_orientation``, ``train_encoder``, ``train_test_classification`` and
  ``grating_stimuli`` refuse absurd sizes at once (steps and memory limits);
* odd dtypes (bfloat16, float16, float64, int, bool) and meta tensors give a ValueError or
  TypeError naming the argument, or work where the dtype is sensible.

Every test here failed before the fix: the absurd sizes ran without end (they are stopped by an
alarm, or run in a subprocess, so that the old code fails instead of hanging or exhausting
memory).
"""

import contextlib
import math
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

from nma_dl import ConvFC, DeepNetSoftmax, grating_stimuli, regularized_loss, train_encoder
from nma_dl.training import (
    accuracy,
    decode_orientation,
    evaluate_loss,
    gradient_step,
    train,
    train_test_classification,
)

bad_input = pytest.mark.bad_input


# --------------------------------------------------------------------------- data


def _responses(n=12, n_neurons=3, seed=0):
    gen = torch.Generator().manual_seed(seed)
    resp = torch.randn(n, n_neurons, generator=gen)
    stimuli = torch.linspace(0, 350, n).reshape(n, 1)
    return resp, stimuli


def _decode(train_data=None, train_labels=None, test_data=None, test_labels=None, **kwargs):
    """Run decode_orientation on small data, any argument replaced."""
    resp, stimuli = _responses()
    torch.manual_seed(0)
    net = kwargs.pop("net", None)
    net = DeepNetSoftmax(resp.shape[1], 4, 2) if net is None else net
    kwargs.setdefault("n_iter", 3)
    return decode_orientation(
        net,
        kwargs.pop("n_classes", 2),
        kwargs.pop("loss_fn", nn.NLLLoss()),
        resp if train_data is None else train_data,
        stimuli if train_labels is None else train_labels,
        resp if test_data is None else test_data,
        stimuli if test_labels is None else test_labels,
        **kwargs,
    )


def _images(n=6, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, 2, 2, generator=gen), torch.randn(n, 3, generator=gen)


def _encode(train_data=None, train_labels=None, test_data=None, test_labels=None, **kwargs):
    """Run train_encoder on small data (2 x 2 images, 3 neurons), any argument replaced."""
    images, resp = _images()
    torch.manual_seed(0)
    net = kwargs.pop("net", None)
    net = ConvFC(3, b=4) if net is None else net
    kwargs.setdefault("n_iter", 3)
    kwargs.setdefault("verbose", False)
    test = {}
    if test_data is not None or test_labels is not None:
        test = dict(
            test_data=images if test_data is None else test_data,
            test_labels=resp if test_labels is None else test_labels,
        )
    return train_encoder(
        net,
        images if train_data is None else train_data,
        resp if train_labels is None else train_labels,
        **test,
        **kwargs,
    )


def _loader(X, y, batch_size=4):
    return DataLoader(TensorDataset(X, y), batch_size=batch_size)


def _classification():
    gen = torch.Generator().manual_seed(0)
    return torch.randn(8, 2, generator=gen), torch.tensor([0, 1] * 4)


def _nan_column(resp, column=1):
    resp = resp.clone()
    resp[:, column] = math.nan  # what z-scoring a neuron that never varies gives: 0 / 0
    return resp


# --------------------------------------------------------------------------- 1. NaN and inf


@bad_input
@pytest.mark.parametrize("where", ["train_data", "test_data"])
def test_decode_orientation_names_the_nan_column_of_a_neuron_that_never_varies(where, capsys):
    resp, _ = _responses()
    with pytest.raises(ValueError, match=rf"{where} must be finite.*column 1.*never varies"):
        _decode(**{where: _nan_column(resp)})
    assert "fraction correct" not in capsys.readouterr().out


@bad_input
@pytest.mark.parametrize("where", ["train_data", "train_labels", "test_data", "test_labels"])
@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_decode_orientation_refuses_nan_and_inf_naming_the_row(where, bad):
    resp, stimuli = _responses()
    value = (resp if where.endswith("_data") else stimuli).clone()
    value[4, 0] = bad
    with pytest.raises(ValueError, match=rf"{where} must be finite.*row 4"):
        _decode(**{where: value})


@bad_input
@pytest.mark.parametrize("where", ["train_labels", "test_labels"])
def test_train_encoder_names_the_nan_column_of_a_neuron_that_never_varies(where, capsys):
    _, resp = _images()
    with pytest.raises(ValueError, match=rf"{where} must be finite.*column 1.*never varies"):
        _encode(**{where: _nan_column(resp)}, verbose=True)
    assert capsys.readouterr().out == ""  # refused before the first step


@bad_input
@pytest.mark.parametrize("where", ["train_data", "test_data"])
@pytest.mark.parametrize("bad", [math.nan, -math.inf])
def test_train_encoder_refuses_nan_and_inf_images(where, bad):
    images, _ = _images()
    images = images.clone()
    images[2, 0, 1, 1] = bad
    with pytest.raises(ValueError, match=rf"{where} must be finite.*row 2"):
        _encode(**{where: images})


@bad_input
def test_train_names_the_nan_column_too():
    resp, stimuli = _responses()
    with pytest.raises(ValueError, match=r"train_data must be finite.*every row of column 2"):
        train(nn.Linear(3, 1), nn.MSELoss(), _nan_column(resp, 2), stimuli, n_epochs=1)


@bad_input
def test_decode_orientation_stops_when_the_loss_diverges(capsys):
    net = DeepNetSoftmax(3, 4, 2)
    with pytest.raises(ValueError) as info:
        _decode(net=net, loss_fn=regularized_loss, L2_penalty=100.0, n_iter=200)
    message = str(info.value)
    assert "iteration" in message and "/200" in message and "diverged" in message
    assert "L2_penalty=100.0" in message
    # stopped before a step with a non-finite loss: the weights are still numbers
    assert all(torch.isfinite(p).all() for p in net.parameters())
    assert "fraction correct" not in capsys.readouterr().out


@bad_input
def test_train_encoder_stops_when_the_loss_diverges():
    with pytest.raises(ValueError) as info:
        _encode(learning_rate=1e6, n_iter=50)
    message = str(info.value)
    assert "iteration" in message and "/50" in message
    assert "learning_rate" in message and "smaller" in message


@bad_input
@pytest.mark.parametrize("trainer", ["train", "decode_orientation", "train_encoder"])
def test_a_network_left_with_nan_weights_is_named(trainer):
    if trainer == "train":
        net = nn.Linear(3, 1)
        net.weight.data[0, 0] = math.nan
        resp, stimuli = _responses()
        call = lambda: train(net, nn.MSELoss(), resp, stimuli, n_epochs=2)  # noqa: E731
    elif trainer == "decode_orientation":
        net = DeepNetSoftmax(3, 4, 2)
        net.in_layer.weight.data[0, 0] = math.nan
        call = lambda: _decode(net=net)  # noqa: E731
    else:
        net = ConvFC(3, b=4)
        net.conv.weight.data[0, 0, 0, 0] = math.inf
        call = lambda: _encode(net=net)  # noqa: E731
    with pytest.raises(
        ValueError, match=r"net's parameters must be finite, but net\.[\w.]*weight"
    ):
        call()


# --------------------------------------------------------------------------- 2. absurd sizes


@contextlib.contextmanager
def _deadline(seconds):
    """Fail the test (instead of hanging) if the block runs longer than ``seconds``."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: no guard stopped it")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _absurd_calls():
    resp, stimuli = _responses()
    X, y = _classification()
    images, neurons = _images()

    def ttc():
        net = nn.Linear(2, 2)
        opt = optim.SGD(net.parameters(), lr=0.1)
        loader = _loader(X, y)
        return train_test_classification(
            net, nn.CrossEntropyLoss(), opt, loader, loader, num_epochs=10**9, verbose=False
        )

    return {
        "n_epochs": lambda: train(nn.Linear(3, 1), nn.MSELoss(), resp, stimuli, 10**9),
        "batch_size": lambda: train(
            nn.Linear(3, 1), nn.MSELoss(), resp, stimuli, 10**6, batch_size=1
        ),
        "n_iter": lambda: _decode(n_iter=10**9),
        "train_encoder n_iter": lambda: train_encoder(
            ConvFC(3, b=4), images, neurons, n_iter=10**9, verbose=False
        ),
        "num_epochs": ttc,
        "n_stimuli": lambda: grating_stimuli(10**7),
    }


@bad_input
@pytest.mark.parametrize(
    "case", ["n_epochs", "batch_size", "n_iter", "train_encoder n_iter", "num_epochs", "n_stimuli"]
)
def test_absurd_iteration_counts_are_refused_at_once(case, capsys):
    call = _absurd_calls()[case]
    arg = case.split()[-1]
    start = time.perf_counter()
    with (
        _deadline(8),
        pytest.raises(ValueError, match=rf"\b{arg}=.*steps, above the limit") as info,
    ):
        call()
    assert time.perf_counter() - start < 1.0
    assert "NMA_DL_MAX_STEPS" in str(info.value)  # how to lift the limit
    assert capsys.readouterr().out == ""  # refused before the first step


@bad_input
def test_grating_stimuli_refuses_images_beyond_the_memory_limit():
    # In a subprocess with a cap on memory: before the fix, res=20 drew 9600 x 12800 gratings,
    # their float64 temporaries well beyond the cap (a MemoryError, or a killed kernel).
    code = textwrap.dedent(
        """
        import resource, sys, time
        import nma_dl
        nma_dl.grating_stimuli(1)  # imports done before the clock starts and the cap is set
        with open("/proc/self/status") as status:
            vm = next(int(l.split()[1]) for l in status if l.startswith("VmSize")) * 1024
        cap = vm + 2 * 10**9
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        start = time.perf_counter()
        try:
            nma_dl.grating_stimuli(4, res=20.0)
        except ValueError as error:
            print("ValueError:", error, "| seconds:", time.perf_counter() - start)
            sys.exit(0)
        sys.exit(3)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "res=20.0" in done.stdout and "GB of memory" in done.stdout
    assert float(done.stdout.rsplit("seconds:", 1)[1]) < 1.0


# --------------------------------------------------------------------------- 3. dtypes and meta


@bad_input
@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.bfloat16, torch.int64])
@pytest.mark.parametrize("where", ["train_data", "test_data"])
def test_train_names_data_of_another_dtype_than_the_network(dtype, where):
    resp, stimuli = _responses()
    tensors = dict(train_data=resp, test_data=resp)
    tensors[where] = resp.to(dtype)
    with pytest.raises(TypeError, match=rf"{where} must have the network's dtype torch.float32"):
        train(
            nn.Linear(3, 1),
            nn.MSELoss(),
            tensors["train_data"],
            stimuli,
            n_epochs=1,
            test_data=tensors["test_data"],
            test_labels=stimuli,
        )


@bad_input
@pytest.mark.parametrize("dtype", [torch.bool, torch.int32, torch.float64])
def test_gradient_step_and_evaluate_loss_name_data_of_another_dtype(dtype):
    resp, stimuli = _responses()
    net = nn.Linear(3, 1)
    data = resp.to(dtype)
    with pytest.raises(TypeError, match=r"^data must have the network's dtype"):
        gradient_step(net, nn.MSELoss(), data, stimuli, optim.SGD(net.parameters(), lr=0.1))
    with pytest.raises(TypeError, match=r"^data must have the network's dtype"):
        evaluate_loss(net, nn.MSELoss(), data, stimuli)


@bad_input
@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16, torch.int64, torch.bool])
@pytest.mark.parametrize("where", ["train_data", "test_data"])
def test_decode_orientation_names_responses_of_another_dtype(dtype, where):
    resp, _ = _responses()
    with pytest.raises(TypeError, match=rf"^{where} must have the network's dtype"):
        _decode(**{where: resp.to(dtype)})


@bad_input
@pytest.mark.parametrize("dtype", [torch.float64, torch.float16, torch.int64])
@pytest.mark.parametrize("where", ["train_data", "test_data"])
def test_train_encoder_names_images_of_another_dtype(dtype, where):
    images, _ = _images()
    with pytest.raises(TypeError, match=rf"^{where} must have the network's dtype"):
        _encode(**{where: images.to(dtype)})


@bad_input
@pytest.mark.parametrize("where", ["train_labels", "test_labels"])
def test_decode_orientation_refuses_bool_orientations_by_name(where):
    _, stimuli = _responses()
    with pytest.raises(TypeError, match=rf"^{where} must hold real numbers"):
        _decode(**{where: stimuli > 100})


def test_decode_orientation_takes_bfloat16_orientations_as_float32():
    # NumPy has no bfloat16: the binning used to fail with "unsupported ScalarType BFloat16".
    _, stimuli = _responses()
    low = stimuli.bfloat16()
    got = _decode(train_labels=low, test_labels=low)
    expected = _decode(train_labels=low.float(), test_labels=low.float())
    assert got[0] == expected[0] and got[1] == expected[1]
    assert torch.equal(got[2], expected[2])


@bad_input
@pytest.mark.parametrize("where", ["train_data", "train_labels", "test_data", "test_labels"])
def test_meta_tensors_are_refused_by_name(where):
    resp, stimuli = _responses()
    images, neurons = _images()
    decoding = {"train_data": resp, "train_labels": stimuli}
    decoding |= {"test_data": resp, "test_labels": stimuli}
    decoding[where] = decoding[where].to("meta")
    pattern = rf"^{where} must hold numbers, got a meta tensor"
    with pytest.raises(ValueError, match=pattern):
        _decode(**{where: decoding[where]})
    with pytest.raises(ValueError, match=pattern):
        train(nn.Linear(3, 1), nn.MSELoss(), n_epochs=1, **decoding)
    encoding = {"train_data": images, "train_labels": neurons}
    encoding |= {"test_data": images, "test_labels": neurons}
    with pytest.raises(ValueError, match=pattern):
        _encode(**{where: encoding[where].to("meta")})


@bad_input
def test_a_meta_network_is_refused_by_name():
    resp, stimuli = _responses()
    X, y = _classification()
    net = nn.Linear(3, 1, device="meta")
    pattern = r"^net must have parameters with values, but net.weight is a meta tensor"
    with pytest.raises(ValueError, match=pattern):
        gradient_step(net, nn.MSELoss(), resp, stimuli, optim.SGD(net.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=pattern):
        train(net, nn.MSELoss(), resp, stimuli, n_epochs=1)
    with pytest.raises(ValueError, match=pattern):
        accuracy(nn.Linear(2, 2, device="meta"), _loader(X, y))
    with pytest.raises(ValueError, match=r"^net must have parameters with values"):
        _decode(net=DeepNetSoftmax(3, 4, 2).to("meta"))
    with pytest.raises(ValueError, match=r"^net must have parameters with values"):
        _encode(net=ConvFC(3, b=4).to("meta"))


@bad_input
@pytest.mark.parametrize("which", ["inputs", "labels"])
def test_loaders_of_meta_tensors_are_refused_by_name(which):
    X, y = _classification()
    if which == "inputs":
        loader = _loader(X.to("meta"), y)
    else:
        loader = _loader(X, y.to("meta"))
    with pytest.raises(ValueError, match=rf"^{which} of a batch of data_loader must hold numbers"):
        accuracy(nn.Linear(2, 2), loader)
    net = nn.Linear(2, 2)
    with pytest.raises(ValueError, match=rf"^{which} of a batch of train_loader must hold number"):
        train_test_classification(
            net, nn.CrossEntropyLoss(), optim.SGD(net.parameters(), lr=0.1), loader,
            _loader(X, y), verbose=False,
        )  # fmt: skip


@pytest.mark.parametrize("dtype", [torch.float64, torch.bfloat16])
def test_classifiers_of_another_float_dtype_get_their_inputs_in_that_dtype(dtype):
    # Inputs were cast to float32 whatever the network: a float64 network failed unnamed.
    X, y = _classification()
    torch.manual_seed(0)
    net = nn.Linear(2, 2).to(dtype)
    opt = optim.SGD(net.parameters(), lr=0.1)
    train_acc, test_acc = train_test_classification(
        net, nn.CrossEntropyLoss(), opt, _loader(X, y), _loader(X, y), verbose=False
    )
    assert 0 <= train_acc <= 100 and train_acc == test_acc
    assert accuracy(net, _loader(X, y))[1] == train_acc


# --------------------------------------------------------------------------- 4. other raw errors


@bad_input
def test_decode_orientation_names_n_classes_beyond_the_network_outputs():
    with pytest.raises(ValueError, match=r"^n_classes must be at most .* 2, got 5"):
        _decode(n_classes=5)  # was IndexError: Target 2 is out of bounds


@bad_input
@pytest.mark.parametrize("where", ["train_data", "test_data"])
def test_decode_orientation_refuses_empty_data(where, capsys):
    resp, stimuli = _responses()
    label = where.replace("_data", "_labels")
    with pytest.raises(ValueError, match=rf"^{where} must hold at least one stimulus"):
        _decode(**{where: resp[:0], label: stimuli[:0]})
    assert "fraction correct" not in capsys.readouterr().out  # was "fraction correct = nan"


@bad_input
def test_train_encoder_refuses_empty_data():
    images, resp = _images()
    with pytest.raises(ValueError, match=r"^train_data must hold at least one stimulus"):
        _encode(train_data=images[:0], train_labels=resp[:0])


@bad_input
@pytest.mark.parametrize("labels", [torch.zeros(6, 4), torch.zeros(6)])
def test_train_encoder_names_responses_of_the_wrong_shape(labels):
    with pytest.raises(ValueError, match=r"^train_labels must have the network output's shape"):
        _encode(train_labels=labels)  # was a RuntimeError, or a warning and a broadcast loss


@bad_input
@pytest.mark.parametrize("where", ["train_labels", "test_labels"])
def test_decode_orientation_names_orientations_out_of_range(where):
    _, stimuli = _responses()
    with pytest.raises(ValueError, match=rf"^{where} must be orientations in \[0, 360\]"):
        _decode(**{where: stimuli + 100})


@bad_input
def test_model_shape_errors_name_the_trainer_argument():
    resp, _ = _responses(n_neurons=4)  # the network takes 3 inputs
    with pytest.raises(ValueError, match=r"^test_data does not fit the network"):
        _decode(test_data=resp)


def test_the_steps_limit_refuses_just_above_it_and_counts_100_per_gradient_step():
    # The tutorials' calls (n_iter=1000 at most) stay far inside the default limit of 1e5
    # gradient steps; their numbers are pinned by test_encoding.py and test_tutorial4_claims.py.
    resp, stimuli = _responses()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NMA_DL_MAX_STEPS", "1000")
        assert len(train(nn.Linear(3, 1), nn.MSELoss(), resp, stimuli, 10)) == 10
        with pytest.raises(ValueError, match="n_epochs=11"):
            train(nn.Linear(3, 1), nn.MSELoss(), resp, stimuli, 11)
    np.testing.assert_array_equal(grating_stimuli(6)[0], np.arange(-180, 180, 60))
