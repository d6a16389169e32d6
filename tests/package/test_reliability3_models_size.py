"""Reliability round 3 for the sizes and odd inputs of the networks: none crashes the kernel.

* ``CNN`` and ``ConvolutionalLayer`` have the memory guard of the other networks, and that of
  ``ConvFC`` counts the convolution's parameters too (before: torch's raw "can't allocate memory",
  or, with the memory, a kernel that dies); each estimate is the exact number of parameters, and
  the tutorials' sizes pass;
* ``approximate_function`` names a meta or sparse ``x_train``/``y_train``, the argument that is not
  finite, and refuses an ``n_points`` (or a number of points) whose ReLUs would not fit in memory;
* the forward of ``Net``, ``ConvolutionalLayer``, ``ConvFC`` and ``CNN`` names a sparse input.

Each test failed on the code before the fix.
"""

import json
import math
import os
import subprocess
import sys
import textwrap

import pytest
import torch

from nma_dl import CNN, ConvFC, ConvolutionalLayer, Net, approximate_function, filters

# --------------------------------------------------------------------------- absurd sizes
# Each call runs in a child whose address space is capped: the old code asked torch for the
# memory (and, on a machine that has it, would fill it).

ABSURD = {
    "CNN(10**5, 10**5)": ("CNN(h_in=100000, w_in=100000)",),
    "CNN(2**40, 8)": ("h_in=1099511627776",),
    "CNN(8, 2**40)": ("w_in=1099511627776",),
    "ConvFC(10**3, c_in=10**5, c_out=10**3, K=101)": ("c_in=100000", "K=101", "convolution"),
    "ConvFC(5, K=10**5 + 1)": ("K=100001", "convolution"),
    "ConvolutionalLayer(c_in=10**5, c_out=10**3, K=101)": ("c_in=100000", "c_out=1000"),
    "ConvolutionalLayer(K=10**5 + 1)": ("K=100001",),
    "approximate_function(torch.linspace(0, 1, 5), torch.zeros(5), n_points=10**12)": (
        "n_points=1000000000000",
    ),
    "approximate_function(torch.arange(10.0**6), torch.zeros(10**6), n_points=10**4)": (
        "1000000 x_train points",
    ),
}

_CHILD = """
import json, resource, sys, time, torch
from nma_dl import CNN, ConvFC, ConvolutionalLayer, approximate_function
try:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
    cap = kb * 1024 + 2 * 10**9
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
except (OSError, StopIteration, ValueError):
    pass
for call in json.loads(sys.argv[1]):
    started = time.perf_counter()
    try:
        eval(call)
        answer = ["none", ""]
    except Exception as exc:
        answer = [type(exc).__name__, str(exc)]
    print(json.dumps([call, time.perf_counter() - started, *answer]), flush=True)
"""


@pytest.fixture(scope="module")
def absurd_answers():
    """``{call: (seconds, error type, message)}`` for the calls of :data:`ABSURD`, in one child."""
    env = {key: value for key, value in os.environ.items() if key != "NMA_DL_MAX_MEMORY_GB"}
    try:
        result = subprocess.run(
            [sys.executable, "-c", textwrap.dedent(_CHILD), json.dumps(list(ABSURD))],
            env=env,
            cwd=os.sep,  # the installed package (or PYTHONPATH), not the folder
            capture_output=True,
            text=True,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the calls hung: no answer within 120 s")
    answers = {}
    for line in result.stdout.splitlines():
        call, seconds, kind, message = json.loads(line)
        answers[call] = (seconds, kind, message)
    return answers, result


@pytest.mark.bad_input
@pytest.mark.parametrize("call", list(ABSURD))
def test_absurd_sizes_are_refused_at_once_naming_the_arguments(absurd_answers, call):
    answers, result = absurd_answers
    assert call in answers, f"the child died (rc {result.returncode}): {result.stderr[-2000:]}"
    seconds, kind, message = answers[call]
    assert kind == "ValueError", f"{kind}: {message}"
    for says in ABSURD[call]:
        assert says in message
    assert "GB of memory" in message and "NMA_DL_MAX_MEMORY_GB" in message
    assert seconds < 0.5


# --------------------------------------------------------------------------- exact estimates
# The guard counts every parameter: with the limit just above what the network needs it is
# built, just below it is refused. CNN(48, 64) and ConvolutionalLayer() are the tutorials'.

NETWORKS = {
    "CNN(48, 64)": (lambda: CNN(48, 64), ("h_in=48", "w_in=64")),
    "CNN(17, 100)": (lambda: CNN(17, 100), ("h_in=17", "w_in=100")),
    "ConvFC(40, filters=filters())": (lambda: ConvFC(40, filters=filters()), ("n_neurons=40",)),
    "ConvFC(2, c_in=3, c_out=4, K=5, b=6)": (
        lambda: ConvFC(2, c_in=3, c_out=4, K=5, b=6),
        ("c_in=3", "c_out=4", "K=5", "b=6"),
    ),
    "ConvolutionalLayer()": (lambda: ConvolutionalLayer(), ("c_in=1", "c_out=6", "K=7")),
    "ConvolutionalLayer(c_in=3, c_out=4, K=5)": (
        lambda: ConvolutionalLayer(c_in=3, c_out=4, K=5),
        ("c_in=3", "c_out=4", "K=5"),
    ),
}


@pytest.mark.parametrize("network", list(NETWORKS))
def test_the_memory_estimate_counts_every_parameter(network, monkeypatch):
    build, says = NETWORKS[network]
    monkeypatch.delenv("NMA_DL_MAX_MEMORY_GB", raising=False)
    n_bytes = 16 * sum(p.numel() for p in build().parameters())  # the default limit lets it be
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", repr((n_bytes - 1) / 1e9))
    with pytest.raises(ValueError, match="GB of memory") as info:
        build()
    for word in says:
        assert word in str(info.value)
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", repr((n_bytes + 1) / 1e9))
    build()


def test_the_guard_leaves_the_initial_weights_alone(monkeypatch):
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", "5e-5")  # 50 kB: the tutorial's CNN needs 51 kB
    with pytest.raises(ValueError, match=r"CNN\(h_in=48, w_in=64\) \(3\.2e\+03 parameters"):
        CNN(48, 64)
    monkeypatch.delenv("NMA_DL_MAX_MEMORY_GB")
    # Bit for bit the weights of the layers built by hand in the same order after the same seed:
    # the guard draws no random numbers.
    torch.manual_seed(3)
    net = CNN(48, 64)
    torch.manual_seed(3)
    torch.nn.Conv2d(1, 6, 7, padding=3)
    fc, out = torch.nn.Linear(288, 10), torch.nn.Linear(10, 1)
    for mine, reference in ((net.fc, fc), (net.out, out)):
        assert torch.equal(mine.weight, reference.weight)
        assert torch.equal(mine.bias, reference.bias)
    assert torch.equal(net.conv.weight, filters(6, 7))


# --------------------------------------------------------------------------- approximate_function

X_TRAIN = torch.linspace(0, 2 * math.pi, 10).view(-1, 1)
Y_TRAIN = torch.sin(X_TRAIN)


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "x_train, y_train, error, match",
    [
        (X_TRAIN.to("meta"), Y_TRAIN, ValueError, r"^x_train must hold numbers, got a meta"),
        (X_TRAIN, Y_TRAIN.to("meta"), ValueError, r"^y_train must hold numbers, got a meta"),
        (X_TRAIN.to_sparse(), Y_TRAIN, TypeError, r"^x_train must be a dense tensor"),
        (X_TRAIN, Y_TRAIN.to_sparse(), TypeError, r"^y_train must be a dense tensor"),
        (X_TRAIN, torch.full((10, 1), math.nan), ValueError, r"^y_train must be finite"),
        (
            torch.tensor([0.0, 1e300], dtype=torch.float64),
            torch.zeros(2),
            ValueError,
            r"^x_train must be finite and within float32's range",
        ),
    ],
    ids=[
        "meta x_train",
        "meta y_train",
        "sparse x_train",
        "sparse y_train",
        "nan y_train",
        "1e300",
    ],
)
def test_approximate_function_names_the_argument_it_cannot_use(x_train, y_train, error, match):
    # before: RuntimeError (meta, sparse), or "x_train and y_train must be finite" for either
    with pytest.raises(error, match=match):
        approximate_function(x_train, y_train)


def test_approximate_function_counts_the_memory_of_its_relus(monkeypatch):
    # The tutorial's call: 9 ReLUs of 1000 points, and the sum they are computed from, in
    # float32, plus the axis: 4 * (2 * 9 + 1) * 1000 bytes.
    n_bytes = 4 * (2 * 9 + 1) * 1000
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", repr((n_bytes - 1) / 1e9))
    with pytest.raises(ValueError, match=r"10 x_train points and n_points=1000 .* GB of memory"):
        approximate_function(X_TRAIN, Y_TRAIN)
    monkeypatch.setenv("NMA_DL_MAX_MEMORY_GB", repr((n_bytes + 1) / 1e9))
    y_hat, relu_acts, x = approximate_function(X_TRAIN, Y_TRAIN)
    assert relu_acts.shape == (9, 1000)


# --------------------------------------------------------------------------- sparse inputs

SPARSE = {
    "Net": (lambda: Net("ReLU()", 3, [4], 2), (4, 3), "x"),
    "ConvolutionalLayer": (lambda: ConvolutionalLayer(), (2, 1, 8, 8), "s"),
    "ConvFC": (lambda: ConvFC(3, b=16), (2, 1, 4, 4), "s"),
    "CNN": (lambda: CNN(16, 16), (2, 16, 16), "x"),
}


@pytest.mark.bad_input
@pytest.mark.parametrize("model", list(SPARSE))
def test_a_sparse_input_is_named(model):
    make, shape, argname = SPARSE[model]
    net = make()
    dense = torch.rand(shape)
    with pytest.raises(TypeError, match=rf"^{argname} must be a dense tensor, got layout"):
        net(dense.to_sparse())  # before: RuntimeError from a reshape or a convolution
    assert torch.equal(net(dense.to_sparse().to_dense()), net(dense))  # the advice works
