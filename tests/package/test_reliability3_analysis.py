"""Reliability round 3 (analysis, plotting, stimuli, convolution): no input crashes or hangs.

Each test failed on the code before the fix: a segfault of the whole kernel (t-SNE of rows
without spread, ``RDM(resp.T)``), minutes of work or a raw MemoryError (``preferred_orientation``
with a huge ``sigma``, images and kernels of absurd sizes), silently wrong results
(``get_hidden_activity`` in training mode, ``RDM`` of values near 1e200) or raw torch errors that
name no argument (bfloat16 and meta tensors). Calls that could crash the interpreter run in a
subprocess, which must exit cleanly with the clear error.
"""

import json
import re
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

import nma_dl
from nma_dl import (
    RDM,
    correlate_rdms,
    get_hidden_activity,
    preferred_orientation,
    reduce_dimensions,
    stimulus_class,
)

bad_input = pytest.mark.bad_input

# The subprocesses import the nma_dl that this test imported (a source tree or the install).
_ROOT = str(Path(nma_dl.__file__).resolve().parents[1])


def _run(*code, timeout=120):
    """Run the ``code`` blocks in a fresh interpreter; return its stdout's last line as JSON."""
    preamble = f"import sys; sys.path.insert(0, {_ROOT!r})\n"
    try:
        done = subprocess.run(
            [sys.executable, "-c", preamble + "".join(textwrap.dedent(c) for c in code)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the call ran for more than {timeout} s instead of answering at once")
    assert done.returncode == 0, (
        f"the interpreter died (exit {done.returncode}); stderr:\n{done.stderr[-2000:]}"
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


_ERRORS = """
    import json

    def outcome(call):
        try:
            call()
        except (ValueError, TypeError) as error:
            return [type(error).__name__, str(error)]
        return ["returned", ""]
"""


# ---- 1. reduce_dimensions: t-SNE of rows without spread segfaulted ---------------------------


@bad_input
def test_reduce_dimensions_refuses_rows_without_spread_instead_of_crashing():
    results = _run(
        _ERRORS,
        """
        import numpy as np
        from nma_dl import reduce_dimensions

        noise = np.random.default_rng(0).normal(size=(180, 50))
        cases = {
            "all zeros (a layer of dead ReLUs)": np.zeros((180, 50)),
            "all ones": np.ones((180, 50)),
            "one response repeated": np.tile(np.arange(50.0), (180, 1)),
            "1 + 1e-300 noise (equal in float64)": 1 + 1e-300 * noise,
            "five equal rows": np.zeros((5, 3)),
        }
        results = {k: outcome(lambda v=v: reduce_dimensions(v)) for k, v in cases.items()}

        import matplotlib
        matplotlib.use("Agg")
        from nma_dl import plot_resp_lowd

        results["figure"] = outcome(lambda: plot_resp_lowd({"fc": np.zeros((8, 3))}, range(8)))
        print(json.dumps(results))
        """,
    )
    error, message = results.pop("figure")
    assert error == "ValueError"
    assert message.startswith("resp_dict['fc']: resp's rows are all the same")
    for case, (error, message) in results.items():
        assert error == "ValueError", case
        assert message.startswith("resp's rows are all the same") and "no spread" in message


def test_reduce_dimensions_embeds_responses_of_extreme_spread():
    # Spreads of 1e-300 or 1e150 crashed the process (float32 overflow or underflow inside
    # sklearn's t-SNE); they are rescaled by a power of two, so both give the same embedding.
    results = _run(
        """
        import json
        import numpy as np
        from sklearn.manifold import trustworthiness
        from nma_dl import reduce_dimensions

        X = np.random.default_rng(1).normal(size=(60, 30))
        X[:30] += 2  # two clusters
        tiny, huge = reduce_dimensions(np.ldexp(X, -990)), reduce_dimensions(np.ldexp(X, 500))
        one_row = np.zeros((40, 6))
        one_row[7, 2] = 1e-300
        lone = reduce_dimensions(one_row)
        print(json.dumps({
            "finite": bool(np.isfinite(tiny).all() and np.isfinite(huge).all()),
            "same": bool(np.array_equal(tiny, huge)),
            "trust": float(trustworthiness(X, tiny, n_neighbors=5)),
            "lone finite": bool(np.isfinite(lone).all()),
            "ordinary scales unchanged": bool(
                np.array_equal(reduce_dimensions(np.ldexp(X, -30)), reduce_dimensions(X))
                and np.array_equal(reduce_dimensions(np.ldexp(X, 30)), reduce_dimensions(X))
            ),
        }))
        """,
        timeout=300,
    )
    assert results["finite"] and results["same"] and results["lone finite"]
    assert results["trust"] > 0.9
    assert results["ordinary scales unchanged"]


# ---- 2. RDM(resp.T): a neurons x neurons matrix segfaulted in OpenBLAS ------------------------


@bad_input
def test_rdm_of_the_transposed_responses_is_refused_before_allocating():
    results = _run(
        _ERRORS,
        """
        import numpy as np
        from nma_dl import RDM

        resp = np.random.default_rng(0).normal(size=(180, 23589)).astype(np.float32)
        print(json.dumps(outcome(lambda: RDM(resp.T))))
        """,
    )
    error, message = results
    assert error == "ValueError"
    assert "RDM(resp)" in message and "did you pass `resp.T`?" in message
    assert "23589 x 23589" in message and "NMA_DL_MAX_MEMORY_GB" in message


@bad_input
def test_rdm_memory_guard_follows_the_limit_and_hints_only_when_rows_outnumber_units(
    monkeypatch,
):
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", "0.001")
    with pytest.raises(ValueError, match=r"RDM\(resp\).*did you pass `resp.T`\?"):
        RDM(np.random.default_rng(0).normal(size=(400, 50)))
    with pytest.raises(ValueError, match="RDM") as caught:
        RDM(np.random.default_rng(0).normal(size=(300, 500)))
    assert "resp.T" not in str(caught.value)


def test_rdm_on_many_stimuli_runs_on_one_blas_thread(monkeypatch):
    # Threaded z @ z.T segfaults from about 16,000 rows; above 2**13 RDM uses one thread.
    import threadpoolctl

    import nma_dl.analysis

    limits = []
    original = threadpoolctl.threadpool_limits

    def spy(*args, **kwargs):
        limits.append(kwargs.get("limits"))
        return original(*args, **kwargs)

    monkeypatch.setattr(threadpoolctl, "threadpool_limits", spy)
    resp = np.random.default_rng(2).normal(size=(300, 40))
    threaded = RDM(resp)
    assert limits == []
    monkeypatch.setattr(nma_dl.analysis, "_SYRK_THREADS_MAX_ROWS", 10)
    single = RDM(resp)
    assert limits == [1]
    np.testing.assert_allclose(single, threaded, atol=1e-13)
    assert np.array_equal(single, single.T)


# ---- 3. get_hidden_activity: training mode, reused and in-place layers ------------------------


class _Noisy(nn.Module):
    """Linear -> batch norm -> dropout -> ReLU, as a student's network might be."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.fc = nn.Linear(5, 16)
        self.bn = nn.BatchNorm1d(16)
        self.drop = nn.Dropout(0.5)
        self.out = nn.Linear(16, 2)

    def forward(self, x):
        return self.out(torch.relu(self.drop(self.bn(self.fc(x)))))


def test_hidden_activity_of_a_network_in_training_mode_is_that_of_eval_mode():
    net, x = _Noisy(), torch.randn(12, 5, generator=torch.Generator().manual_seed(1))
    net.drop.eval()  # a module's own mode must survive the recording
    running_mean = net.bn.running_mean.clone()
    first = get_hidden_activity(net, x, ["drop", "out"])
    second = get_hidden_activity(net, x, ["drop", "out"])
    for label in ("drop", "out"):
        np.testing.assert_array_equal(first[label], second[label])
    assert torch.equal(net.bn.running_mean, running_mean)  # statistics left alone
    assert net.training and net.bn.training and not net.drop.training
    net.eval()
    with torch.no_grad():
        want = net(x)
    np.testing.assert_array_equal(first["out"], want.numpy())


@bad_input
def test_hidden_activity_refuses_a_layer_that_runs_twice():
    class Shared(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.b, self.act = nn.Linear(3, 4), nn.Linear(4, 4), nn.ReLU()

        def forward(self, x):
            return self.act(self.b(self.act(self.a(x))))

    with pytest.raises(ValueError, match=r"layer_labels: 'act' ran 2 times in one forward pass"):
        get_hidden_activity(Shared(), torch.randn(5, 3), ["act"])
    # the other layers are still recorded, and a label given twice once
    got = get_hidden_activity(Shared(), torch.randn(5, 3), ["a", "a"])
    assert list(got) == ["a"] and got["a"].shape == (5, 4)


def test_hidden_activity_is_a_copy_that_an_in_place_relu_does_not_change():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 8), nn.ReLU(inplace=True))
    x = torch.randn(6, 3)
    with torch.no_grad():
        before_relu = net[0](x)
    assert (before_relu < 0).any()
    np.testing.assert_array_equal(get_hidden_activity(net, x, ["0"])["0"], before_relu.numpy())


# ---- 4. RDM and correlate_rdms of values near 1e200 ------------------------------------------


def _strict(call):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        return call()


def test_rdm_of_huge_and_tiny_values_equals_the_rdm_at_unit_scale():
    resp = np.random.default_rng(3).normal(size=(12, 30))
    reference = RDM(resp)
    for scale in (1e200, 1e-200, 1e300):
        np.testing.assert_allclose(_strict(lambda s=scale: RDM(resp * s)), reference, atol=1e-12)
    # powers of two are exact: the same numbers, bit for bit
    assert np.array_equal(_strict(lambda: RDM(np.ldexp(resp, 600))), reference)
    mixed = resp.copy()
    mixed[2] *= 1e250
    mixed[5] *= 1e-250
    np.testing.assert_allclose(_strict(lambda: RDM(mixed)), reference, atol=1e-12)


def test_correlate_rdms_of_huge_values_equals_the_correlation_at_unit_scale():
    rng = np.random.default_rng(4)
    a, b = RDM(rng.normal(size=(10, 20))), RDM(rng.normal(size=(10, 20)))
    reference = correlate_rdms(a, b)
    assert _strict(lambda: correlate_rdms(a * 1e200, b * 1e-250)) == pytest.approx(reference)
    assert _strict(lambda: correlate_rdms(np.ldexp(a, 700), b)) == reference


# ---- 5. preferred_orientation: sigma bounded by the work it implies ---------------------------


@bad_input
def test_preferred_orientation_refuses_a_huge_sigma_at_once():
    results = _run(
        _ERRORS,
        """
        import time
        import numpy as np
        from nma_dl import preferred_orientation

        resp = np.random.default_rng(0).normal(size=(360, 2000))
        start = time.perf_counter()
        out = {
            "1e6": outcome(lambda: preferred_orientation(resp, sigma=1e6)),
            "1e9": outcome(lambda: preferred_orientation(resp[:, :2], sigma=1e9)),
        }
        out["seconds"] = time.perf_counter() - start
        print(json.dumps(out))
        """,
        timeout=60,
    )
    assert results.pop("seconds") < 5
    for error, message in results.values():
        assert error == "ValueError" and message.startswith("preferred_orientation(sigma=")
        assert "NMA_DL_MAX" in message


def test_preferred_orientation_bounds_the_work_not_sigma_alone(monkeypatch):
    # The tutorial's sigma=5 on 360 x 23,589 responses is 3.5e5 steps, far under the limit.
    wide = np.broadcast_to(np.random.default_rng(0).normal(size=(360, 1)), (360, 23589))
    assert preferred_orientation(wide, sigma=5).shape == (23589,)
    monkeypatch.setenv("NMA_DL_MAX_STEPS", "1e5")
    with pytest.raises(ValueError, match=r"sigma=5\b.*NMA_DL_MAX_STEPS"):
        preferred_orientation(wide, sigma=5)
    assert preferred_orientation(wide[:, :10], sigma=5).shape == (10,)


# ---- 6. raw errors: bfloat16, meta, layers that do not run or return tuples -------------------


_RESP = np.random.default_rng(5).normal(size=(8, 6))


def test_analysis_takes_half_precision_tensors_as_their_exact_values():
    for dtype in (torch.bfloat16, torch.float16):  # bfloat16 failed: NumPy has no such dtype
        _check_half_precision(dtype)


def _check_half_precision(dtype):
    tensor = torch.tensor(_RESP).to(dtype)
    exact = tensor.float().numpy()  # float32 holds bfloat16 and float16 values exactly
    assert np.array_equal(RDM(tensor), RDM(exact))
    rdm = torch.tensor(RDM(_RESP)).to(dtype)
    assert correlate_rdms(rdm, RDM(_RESP)) == correlate_rdms(rdm.float().numpy(), RDM(_RESP))
    assert np.array_equal(preferred_orientation(tensor, 1), preferred_orientation(exact, 1))
    assert np.array_equal(reduce_dimensions(tensor), reduce_dimensions(exact))
    ori = torch.tensor([[10.0], [100.0], [300.0]]).to(dtype)
    assert torch.equal(stimulus_class(ori, 4), torch.tensor([0, 1, 3]))


_META = torch.empty(8, 6, device="meta")


@bad_input
@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: RDM(_META), "resp"),
        (lambda: correlate_rdms(torch.empty(4, 4, device="meta"), np.eye(4)), "rdm1"),
        (lambda: reduce_dimensions(_META), "resp"),
        (lambda: preferred_orientation(_META), "resp"),
        (lambda: stimulus_class(torch.empty(3, 1, device="meta"), 4), "ori"),
        (lambda: get_hidden_activity(nn.Sequential(nn.Linear(6, 2)), _META, ["0"]), "stimuli"),
    ],
)
def test_meta_tensors_are_refused_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must hold numbers, got a meta tensor"):
        call()


@bad_input
def test_hidden_activity_names_what_is_wrong_with_layers_and_stimuli():
    class Skips(nn.Module):
        def __init__(self):
            super().__init__()
            self.used, self.unused = nn.Linear(3, 2), nn.Linear(3, 2)
            self.rnn = nn.LSTM(3, 4, batch_first=True)

        def forward(self, x):
            return self.used(x) + self.rnn(x[:, None])[0][:, 0, :2]

    net, x = Skips(), torch.randn(5, 3)
    with pytest.raises(ValueError, match="layer_labels: 'unused' did not run"):
        get_hidden_activity(net, x, ["used", "unused"])
    with pytest.raises(TypeError, match="layer_labels: 'rnn' outputs a tuple, not a tensor"):
        get_hidden_activity(net, x, ["rnn"])
    with pytest.raises(ValueError, match=r"stimuli must hold one stimulus per row.*\(3,\)"):
        get_hidden_activity(nn.Sequential(nn.Linear(3, 2)), torch.randn(3), ["0"])
    with pytest.raises(ValueError, match="stimuli must hold one stimulus per row, got a 0-d"):
        get_hidden_activity(nn.Sequential(nn.Linear(1, 2)), torch.tensor(1.0), ["0"])
    with pytest.raises(TypeError, match=r"stimuli must have the network's dtype torch.float32"):
        get_hidden_activity(net, x.bfloat16(), ["used"])
    with pytest.raises(TypeError, match=r"stimuli must have the network's dtype.*int64"):
        get_hidden_activity(nn.Sequential(nn.Linear(3, 2)), torch.ones(5, 3, dtype=int), ["0"])
    with pytest.raises(ValueError, match=r"net \(Sequential\) could not run on stimuli"):
        get_hidden_activity(nn.Sequential(nn.Linear(3, 2)), torch.ones(5, 4), ["0"])

    class Converts(nn.Module):  # a network that converts its input itself is not refused
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(3, 2)

        def forward(self, x):
            return self.fc(x.float())

    assert get_hidden_activity(Converts(), x.double(), ["fc"])["fc"].shape == (5, 2)
    with pytest.raises(ValueError, match="net must hold numbers, but Sequential has meta"):
        get_hidden_activity(nn.Sequential(nn.Linear(3, 2, device="meta")), x, ["0"])
    # the hooks are gone and the modes restored after every failure
    assert all(not m._forward_hooks for m in net.modules()) and net.training


def _plots():
    import nma_dl.plotting as P

    vec = np.linspace(0.1, 1, 8)
    return {
        "train_loss": lambda v: P.plot_train_loss(v),
        "X": lambda v: P.plot_spiral(v.reshape(4, 2), np.zeros(4)),
        "weights": lambda v: P.plot_weights(v.reshape(2, 1, 2, 2)),
        "rdm_dict['a']": lambda v: P.plot_multiple_rdm({"a": v.reshape(2, 4)[:, :2]}),
        "resp_train": lambda v: P.plot_encoder_tuning(
            np.arange(4.0), v.reshape(4, 2), vec.reshape(4, 2), [0]
        ),
        "Vm": lambda v: P.plot_lif_membrane(np.arange(8.0), v),
    }


@bad_input
@pytest.mark.parametrize("name", list(_plots()))
def test_figures_refuse_meta_and_complex_values_and_draw_bfloat16(name):
    draw, name = _plots()[name], re.escape(name)
    values = torch.linspace(0.1, 1, 8)
    draw(values.bfloat16())  # drawn (was: "Got unsupported ScalarType BFloat16")
    with pytest.raises(ValueError, match=rf"^{name}\S* must hold numbers, got a meta tensor"):
        draw(torch.empty(8, device="meta"))
    for complex_values in (values.to(torch.complex64), values.numpy() + 1j):
        with pytest.raises(TypeError, match=rf"^{name}\S* must hold real numbers"):
            draw(complex_values)  # (was: the imaginary part dropped with a warning)
    with pytest.raises(TypeError, match=rf"^{name}\S* must hold numbers; got None"):
        draw(np.array([None] * 8, dtype=object))


@bad_input
def test_plot_encoder_tuning_refuses_fractional_indices_and_boolean_masks():
    from nma_dl.plotting import plot_encoder_tuning

    resp = np.random.default_rng(0).normal(size=(6, 4))
    args = (np.arange(6.0), resp, resp)
    with pytest.raises(ValueError, match=r"neurons must be indices in \[0, 3\], got \[1\.5\]"):
        plot_encoder_tuning(*args, [1.5])  # was neuron 1, silently
    with pytest.raises(TypeError, match="neurons must be indices of neurons, got a boolean mask"):
        plot_encoder_tuning(*args, np.array([False, True, True, False]))
    with pytest.raises(ValueError, match="neurons must hold numbers, got a meta tensor"):
        plot_encoder_tuning(*args, torch.empty(2, device="meta"))
    plot_encoder_tuning(*args, torch.tensor([0.0, 3.0]).bfloat16())


@bad_input
def test_plot_weights_takes_channels_as_any_tensor():
    from nma_dl.plotting import plot_weights

    weights = np.random.default_rng(0).normal(size=(3, 1, 5, 5))
    fig = plot_weights(weights, channels=torch.tensor([0, 2], dtype=torch.int64))
    assert [ax.get_title() for ax in fig.axes[:2]] == ["channel 0", "channel 2"]
    with pytest.raises(ValueError, match="channels must hold numbers, got a meta tensor"):
        plot_weights(weights, channels=torch.empty(2, device="meta"))
    with pytest.raises(TypeError, match="channels must be an int, got float"):
        plot_weights(weights, channels=torch.tensor([0.0]).bfloat16())


@bad_input
def test_conv2d_refuses_a_kernel_on_another_device():
    with pytest.raises(ValueError, match=r"kernel must be on the image's device cpu, got meta"):
        nma_dl.conv2d(torch.ones(5, 5), torch.empty(3, 3, device="meta"))


@bad_input
def test_absurd_image_and_kernel_sizes_are_refused_at_once():
    results = _run(
        _ERRORS,
        """
        import torch
        import nma_dl

        print(json.dumps({
            "res": outcome(lambda: nma_dl.grating(0, res=1000)),
            "K": outcome(lambda: nma_dl.gabor(100001, 0, 10, 2)),
            "out_channels": outcome(lambda: nma_dl.filters(out_channels=10**7)),
            "image": outcome(
                lambda: nma_dl.conv2d(torch.zeros(3000, 3000), torch.zeros(101, 101))
            ),
        }))
        """,
        timeout=60,
    )
    for name, (error, message) in results.items():
        assert error == "ValueError", (name, message)
        assert f"{name}=" in message or f"{name} of" in message, (name, message)
        assert "NMA_DL_MAX" in message
