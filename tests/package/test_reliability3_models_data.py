"""Reliability round 3 for the models and the data files: no input hangs, crashes or misleads.

* subclasses of the course's networks with their own ``__init__`` signature (and their own
  ``forward``) build and run; a bad argument passed on through ``super().__init__`` is still
  named;
* a meta tensor, or a tensor on another device, is named before a layer fails;
* ``get_data(10**9, ...)`` is refused at once by the memory guard;
* ``tilt_range`` names stimuli of a dtype it cannot use;
* a process waiting for another one's cache lock says so, once;
* cache faults: a directory or FIFO where a cached file belongs is named (a FIFO never hangs),
  a read-only shared cache serves the file it has, and an ``.npz`` archive with ambiguous
  members is refused instead of read from a member other than the one checked.

Each test failed on the code before the fix.
"""

import io
import os
import subprocess
import sys
import textwrap
import threading
import time
import warnings
import zipfile

import numpy as np
import pytest
import torch
from torch import nn

from nma_dl import (
    CNN,
    ConvFC,
    ConvolutionalLayer,
    DeepNet,
    DeepNetReLU,
    DeepNetSoftmax,
    Net,
    load_data,
    load_data_split,
    tilt_range,
)
from nma_dl.data import files, surrogate
from nma_dl.data.files import ORIBINNED1, ORIBINNED6_SPLIT

try:
    import fcntl
except ImportError:  # Windows: the cache locks with msvcrt, not tested here
    fcntl = None

# --------------------------------------------------------------------------- item 1: subclasses
# Each subclass has its own signature (one width, passed on to the parent) and its own forward,
# which adds a layer in front: the input it takes is not the parent's.


class NetFront(Net):
    def __init__(self, width):
        super().__init__("ReLU()", 8, [width], 2)
        self.front = nn.Linear(3, 8)

    def forward(self, x):
        return super().forward(self.front(x))


class DeepNetFront(DeepNet):
    def __init__(self, width):
        super().__init__(8, width)
        self.front = nn.Linear(3, 8)

    def forward(self, r):
        return super().forward(self.front(r))


class DeepNetReLUFront(DeepNetReLU):
    def __init__(self, width):
        super().__init__(8, width)
        self.front = nn.Linear(3, 8)

    def forward(self, r):
        return super().forward(self.front(r))


class DeepNetSoftmaxFront(DeepNetSoftmax):
    def __init__(self, width):
        super().__init__(8, width, 3)
        self.front = nn.Linear(3, 8)

    def forward(self, r):
        return super().forward(self.front(r))


class ConvolutionalLayerFront(ConvolutionalLayer):
    def __init__(self, width):
        super().__init__(c_in=2, c_out=width, K=3)
        self.front = nn.Conv2d(1, 2, kernel_size=1)

    def forward(self, s):
        return super().forward(self.front(s))


class ConvFCFront(ConvFC):
    def __init__(self, width):
        super().__init__(width, c_in=2, b=36)
        self.front = nn.Conv2d(1, 2, kernel_size=1)

    def forward(self, s):
        return super().forward(self.front(s))


class CNNFront(CNN):
    def __init__(self, width):
        super().__init__(width, width)
        self.front = nn.Upsample(scale_factor=2)

    def forward(self, x):
        return super().forward(self.front(x.unsqueeze(1)).squeeze(1))


# class, its input, the output's shape, a bad width and the argument the error must name
SUBCLASSES = {
    "Net": (NetFront, torch.zeros(5, 3), (5, 2), 0, "hidden_unit_nums[0]"),
    "DeepNet": (DeepNetFront, torch.zeros(5, 3), (5, 1), 0, "n_hidden"),
    "DeepNetReLU": (DeepNetReLUFront, torch.zeros(5, 3), (5, 1), -2, "n_hidden"),
    "DeepNetSoftmax": (DeepNetSoftmaxFront, torch.zeros(5, 3), (5, 3), 1.5, "n_hidden"),
    "ConvolutionalLayer": (
        ConvolutionalLayerFront,
        torch.zeros(2, 1, 6, 6),
        (2, 4, 6, 6),
        0,
        "c_out",
    ),
    "ConvFC": (ConvFCFront, torch.zeros(2, 1, 6, 6), (2, 4), 0, "n_neurons"),
    "CNN": (CNNFront, torch.zeros(2, 8, 8), (2, 1), 4, "h_in"),
}


@pytest.mark.parametrize("parent", list(SUBCLASSES))
def test_subclass_with_its_own_signature_and_forward_works(parent):
    cls, x, shape, bad, argname = SUBCLASSES[parent]
    net = cls(4 if parent != "CNN" else 16)  # before: KeyError (Net, ConvFC)
    out = net(x)  # before: the parent's input check refused the subclass's input
    assert tuple(out.shape) == shape and torch.isfinite(out).all()
    out.sum().backward()  # trains: the added layer gets gradients
    if hasattr(net.front, "weight"):
        assert net.front.weight.grad is not None
    # A bad argument passed on through super().__init__ is still named.
    with pytest.raises((TypeError, ValueError), match=argname.replace("[", r"\[")):
        cls(bad)


class NetOneWidth(Net):
    """Keeps Net's forward: Net's input check still applies."""

    def __init__(self, n):
        super().__init__("ReLU()", n, [8], 1)


class NetActivation(Net):
    def __init__(self, actv):
        super().__init__(actv, 4, [6], 2)


class ConvFCNeurons(ConvFC):
    def __init__(self, n_neurons, **options):
        super().__init__(n_neurons, b=16, **options)
        self.readout = nn.Linear(n_neurons, 1)  # added after super().__init__


@pytest.mark.bad_input
def test_subclass_keeping_forward_keeps_the_checks():
    net = NetOneWidth(4)  # before: KeyError: 'input_feature_num'
    assert net(torch.zeros(2, 4)).shape == (2, 1)
    with pytest.raises(ValueError, match=r"x must hold a whole number of samples of 4"):
        net(torch.zeros(2, 3))
    with pytest.raises(ValueError, match="input_feature_num must be a positive int"):
        NetOneWidth(0)
    with pytest.raises(ValueError, match=r"actv 'GLU\(\)' does not work"):
        NetActivation("GLU()")  # the dry run still runs, on Net's own arguments
    assert NetActivation("Tanh()")(torch.zeros(3, 4)).shape == (3, 2)
    fc = ConvFCNeurons(5)
    assert fc(torch.zeros(2, 1, 4, 4)).shape == (2, 5)
    with pytest.raises(ValueError, match="n_neurons must be a positive int"):
        ConvFCNeurons(0)
    with pytest.raises(ValueError, match="filters must have shape"):
        ConvFCNeurons(5, filters=torch.zeros(2, 1, 7, 7))
    with pytest.raises(ValueError, match=r"s must have shape \(n, c_in, H, W\)"):
        fc(torch.zeros(2, 1, 5, 5))
    # The library's own subclass (same __init__, its own forward) is still checked.
    with pytest.raises(ValueError, match=r"r must have shape \(n_inputs,\)"):
        DeepNetReLU(4, 3)(torch.zeros(2, 3))


# --------------------------------------------------------------------------- item 5: devices

MODELS = {
    "Net": (lambda: Net("ReLU()", 4, [3], 2), (2, 4), "x"),
    "DeepNet": (lambda: DeepNet(4, 3), (2, 4), "r"),
    "DeepNetReLU": (lambda: DeepNetReLU(4, 3), (2, 4), "r"),
    "DeepNetSoftmax": (lambda: DeepNetSoftmax(4, 3, 3), (2, 4), "r"),
    "ConvFC": (lambda: ConvFC(3, b=64), (2, 1, 8, 8), "s"),
    "CNN": (lambda: CNN(16, 16), (2, 16, 16), "x"),
}


@pytest.mark.bad_input
@pytest.mark.parametrize("model", list(MODELS))
def test_meta_input_is_named(model):
    make, shape, argname = MODELS[model]
    with pytest.raises(ValueError, match=rf"{argname} must hold values .* meta tensor"):
        make()(torch.zeros(shape, device="meta"))  # before: RuntimeError from a layer


@pytest.mark.bad_input
@pytest.mark.parametrize("model", list(MODELS))
def test_input_on_another_device_than_the_weights_is_named(model):
    make, shape, argname = MODELS[model]
    net = make().to("meta")  # weights on another device than the input (cpu)
    with pytest.raises(ValueError, match=rf"{argname} must be on the network's device meta"):
        net(torch.zeros(shape))  # before: RuntimeError from a layer
    assert net(torch.zeros(shape, device="meta")).is_meta  # same device: runs


# --------------------------------------------------------------------------- item 2: get_data


def _child(code, env=None, timeout=60):
    """Run ``code`` in a fresh interpreter (a hang or a crash fails the test, never kills it)."""
    try:
        return subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code)],
            env={**os.environ, **(env or {})},
            cwd=os.sep,  # the installed package (or PYTHONPATH), not the folder
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"the call hung: no answer within {timeout} s")


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "call, argname",
    [
        ("get_data(10**9, torch.zeros(10, 23589), torch.zeros(10, 1))", "n_stim"),
        # rows that take no memory (expand) until they are copied into the two sets
        (
            "train_test_split(torch.zeros(1, 3).expand(10**9, 3), torch.zeros(10**9, 1, "
            "device='meta'))",
            "train_test_split of 1000000000 stimuli",
        ),
    ],
    ids=["get_data", "train_test_split"],
)
def test_a_draw_of_1e9_rows_is_refused_at_once(call, argname):
    # In a child whose address space is capped: the old code asked for 8 GB of row indices.
    result = _child(
        """
        import resource, time, torch
        from nma_dl import get_data, train_test_split
        try:
            with open("/proc/self/status") as status:
                kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
            cap = kb * 1024 + 2 * 10**9
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (OSError, StopIteration, ValueError):
            pass
        started = time.perf_counter()
        try:
            CALL
        except Exception as exc:
            print(f"{time.perf_counter() - started:.3f}", type(exc).__name__, exc)
        """.replace("CALL", call)
    )
    assert result.returncode == 0, result.stderr
    seconds, kind, message = result.stdout.split(" ", 2)
    assert kind == "ValueError", result.stdout
    assert argname in message and "NMA_DL_MAX_MEMORY_GB" in message
    assert float(seconds) < 0.5


# --------------------------------------------------------------------------- item 5: tilt_range


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "stimuli, error, says",
    [
        (torch.ones(4, 1, dtype=torch.bool), TypeError, "real numbers"),
        (torch.ones(4, 1, dtype=torch.complex64), TypeError, "real numbers"),
        (torch.tensor([[10], [100], [170], [200]], dtype=torch.uint8), TypeError, "signed"),
        (torch.tensor([[10], [100], [120], [127]], dtype=torch.int8), TypeError, "16 bits"),
        (torch.ones(4, 1, device="meta"), ValueError, "meta tensor"),
    ],
    ids=["bool", "complex64", "uint8", "int8", "meta"],
)
def test_tilt_range_names_stimuli_it_cannot_use(stimuli, error, says):
    # before: RuntimeError (bool, meta), NotImplementedError (complex), wrapped tilts (uint8),
    # no stimulus kept (int8: 180 wraps to -76)
    with pytest.raises(error, match=rf"stimuli must .*{says}"):
        tilt_range(torch.zeros(4, 3), stimuli)


# --------------------------------------------------------------------------- the data cache


@pytest.fixture
def small_surrogate(monkeypatch):
    real = surrogate.generate
    monkeypatch.setattr(
        surrogate, "generate", lambda seed, **kw: real(seed, n_neurons=3, n_trials=400)
    )


@pytest.fixture
def cache(tmp_path, monkeypatch, small_surrogate):
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("NMA_DL_DATA_DIR", str(folder))
    monkeypatch.setattr(files, "_WARNED", set())
    return folder


class _HeldLock:
    """The cache's lock, held through a second open file description, released after a while."""

    def __init__(self, folder, seconds):
        self.handle = open(folder / ".nma_dl.lock", "a+b")
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX)
        self.timer = threading.Timer(seconds, self.release)
        self.timer.start()

    def release(self):
        if not self.handle.closed:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.timer.cancel()
        self.release()


def _waiting_lines(out):
    return [line for line in out.splitlines() if line.startswith("Waiting")]


@pytest.mark.skipif(fcntl is None, reason="needs fcntl")
def test_waiting_for_another_process_is_said_once(cache, capsys):
    with _HeldLock(cache, 0.3):
        files.fetch(ORIBINNED1, source="synthetic")
    assert _waiting_lines(capsys.readouterr().out) == []  # a short wait says nothing

    for path in (cache / "synthetic").iterdir():
        path.unlink()
    with _HeldLock(cache, 3.0):
        started = time.monotonic()
        path = files.fetch(ORIBINNED1, source="synthetic")
        waited = time.monotonic() - started
    assert path == cache / "synthetic" / ORIBINNED1 and path.is_file()
    assert waited >= 2.5
    (line,) = _waiting_lines(capsys.readouterr().out)  # before: silence; one line, not per poll
    assert "another process" in line and "downloading or preparing" in line
    assert ORIBINNED1 in line and str(cache) in line and "at most 600 s" in line


@pytest.mark.skipif(fcntl is None, reason="needs fcntl")
def test_a_lock_that_is_never_released_says_what_to_do(cache, capsys, monkeypatch):
    monkeypatch.setattr(files, "_SURROGATE_LOCK_WAIT", 2.5)
    with _HeldLock(cache, 60), pytest.raises(files.CacheError) as info:
        files.fetch(ORIBINNED1, source="synthetic")
    message = str(info.value)
    assert "another process" in message and "let it finish" in message
    assert "writable" not in message  # the folder is fine: its lock is taken
    assert len(_waiting_lines(capsys.readouterr().out)) == 1


# Cache faults, each in a child process: a FIFO opened for reading would block for ever.
_FAULT_CHILD = """
    import os
    from nma_dl.data import fetch, files, surrogate
    from nma_dl.data.files import ORIBINNED1
    real = surrogate.generate
    surrogate.generate = lambda seed, **kw: real(seed, n_neurons=3, n_trials=400)
    files.osf_url = lambda osf_id: "http://127.0.0.1:9/download/" + osf_id + "/"  # discard port
    cache = files.data_dir()
    cache.mkdir(exist_ok=True)
    if {where!r} in ("npz", "sidecar"):
        fetch(ORIBINNED1, source="synthetic")
    path = {{
        "npz": cache / "synthetic" / ORIBINNED1,
        "sidecar": cache / "synthetic" / (ORIBINNED1 + ".json"),
        "real": cache / ORIBINNED1,
        "lock": cache / ".nma_dl.lock",
    }}[{where!r}]
    if path.exists():
        os.remove(path)
    (os.mkdir if {kind!r} == "directory" else os.mkfifo)(path)
    print("PATH", path)
    try:
        fetch(ORIBINNED1, source="osf" if {where!r} == "real" else "synthetic")
    except Exception as exc:
        print("ERROR", type(exc).__name__, exc)
    else:
        print("ERROR none")
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
@pytest.mark.parametrize("kind", ["directory", "FIFO"])
@pytest.mark.parametrize("where", ["npz", "sidecar", "real", "lock"])
def test_something_in_place_of_a_cache_file_is_named_and_never_opened(tmp_path, where, kind):
    result = _child(
        _FAULT_CHILD.format(where=where, kind=kind),
        env={"NMA_DL_DATA_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    path = next(line for line in lines if line.startswith("PATH "))[5:]
    error = next(line for line in lines if line.startswith("ERROR "))[6:]
    # before: "make the folder writable", a fallback to the network (real) or a hang (FIFO)
    assert error.startswith("CacheError "), error
    assert repr(path) in error and kind in error and "remove it" in error
    assert ("shutil.rmtree" if kind == "directory" else "os.remove") in error
    assert "make the folder writable" not in error


def test_read_only_shared_cache_serves_the_file_it_has(cache, monkeypatch):
    files.fetch(ORIBINNED1, source="synthetic")  # an instructor prepared oribinned1 only
    synthetic = cache / "synthetic"
    for name in (ORIBINNED6_SPLIT, f"{ORIBINNED6_SPLIT}.json"):
        (synthetic / name).unlink()
    real_access = os.access
    read_only = {str(cache), str(synthetic)}
    # root ignores permission bits: make the folders read-only to it too, as the OS would.
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            not (mode & os.W_OK and str(p) in read_only) and real_access(p, mode, **kw)
        ),
    )
    for folder in (synthetic, cache):
        folder.chmod(0o555)
    try:
        resp, stimuli = load_data(source="synthetic")  # before: CacheError
        with pytest.raises(files.CacheError) as info:
            load_data_split(source="synthetic")
    finally:
        for folder in (cache, synthetic):
            folder.chmod(0o755)
    assert resp.shape == (360, 3) and stimuli.shape == (360, 1)
    message = str(info.value)
    assert str(synthetic) in message and ORIBINNED6_SPLIT in message
    assert "NMA_DL_DATA_DIR" in message


# --------------------------------------------------------------------------- ambiguous archives


def _npy(array):
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(array))
    return buffer.getvalue()


def _zip(path, members):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name
        with zipfile.ZipFile(path, "w") as archive:
            for name, data in members:
                archive.writestr(name, data)
    return path


@pytest.mark.bad_input
@pytest.mark.parametrize("other", ["resp", "resp.npy"])
def test_archive_with_two_members_for_one_array_is_refused(tmp_path, other):
    stimuli = _npy([0.5, 90.5, 180.5, 270.5])
    checked = _npy(np.zeros((4, 3), np.float32))
    loaded = _npy(np.full((4, 5), 7.0, np.float32))  # what np.load would have read instead
    path = _zip(
        tmp_path / "crafted.npz",
        [("resp.npy", checked), (other, loaded), ("stimuli.npy", stimuli)],
    )
    with pytest.raises(ValueError, match="ambiguous") as info:
        load_data(path=path)  # before: checked (4, 3), returned (4, 5)
    message = str(info.value)
    assert str(path) in message and "'resp.npy'" in message
    assert ("'resp'" in message) == (other == "resp")

    # A well-formed archive is read exactly as np.load reads it.
    for dtype, order in (("<f4", "C"), (">f8", "F"), ("<i2", "C")):
        good = tmp_path / f"good_{dtype[1:]}_{order}.npz"
        resp = np.asarray(np.arange(12).reshape(4, 3), dtype=dtype, order=order)
        np.savez(good, resp=resp, stimuli=np.array([0.5, 90.5, 180.5, 270.5], dtype))
        got, got_stimuli = load_data(path=good)
        with np.load(good) as npz:
            expected = np.ascontiguousarray(npz["resp"], dtype=np.float32)
            expected_stimuli = np.ascontiguousarray(npz["stimuli"], dtype=np.float32)
        assert np.array_equal(got.numpy(), expected) and got.dtype == torch.float32
        assert np.array_equal(got_stimuli.numpy()[:, 0], expected_stimuli)


@pytest.mark.bad_input
def test_archive_whose_header_does_not_parse_is_named_damaged(tmp_path):
    header = _npy(np.zeros((4, 3), np.float32))
    broken = header.replace(b"(4, 3)", b"(99999")  # an unclosed tuple: TokenError in numpy
    members = [("resp.npy", broken), ("stimuli.npy", _npy([0.5, 90.5, 180.5, 270.5]))]
    path = _zip(tmp_path / "broken.npz", members)
    with pytest.raises(ValueError, match="is damaged") as info:
        load_data(path=path)  # before: tokenize.TokenError
    assert str(path) in str(info.value)
