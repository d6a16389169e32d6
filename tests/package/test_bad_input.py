"""A table of bad inputs for every public function of ``nma_dl``.

Each row feeds one invalid input (wrong type, tensor rank or shape, dtype, an out-of-range
value) to a function exported by ``nma_dl`` (``nma_dl.__all__``) and expects a ``ValueError`` or
``TypeError`` whose message names the argument at fault. Every row is one test marked
``bad_input``, so the count printed at the end of the run ("bad inputs tried: N, handled with a
clear error: M") includes it.

* :func:`test_every_public_function_has_bad_inputs` fails when a public function (or class) has
  no row here: whoever exports a new name adds its rows to :data:`CASES`.
* Rows whose function does not (yet) reject the input clearly are marked ``GAP``: they run as
  strict ``xfail`` (counted as tried but not handled), so the gap stays visible and the row
  fails as soon as the function is fixed, asking for the mark to be removed.
* Rows for a name that is not exported (any more, or not yet) are skipped with the reason.

Each call receives the function (``f``, looked up on ``nma_dl`` at run time) and a small kit of
valid inputs (``k``), so a row changes one thing from a valid call.
"""

import inspect
import io
import math
import re
import types
import zipfile

import numpy as np
import pytest
import torch
from torch import nn

import nma_dl
import nma_dl.checks

_nan = float("nan")


def _row(label, call, error, arg, gap=None):
    """One bad input: ``call(f, k)`` must raise ``error`` with ``arg`` in its message."""
    return types.SimpleNamespace(label=label, call=call, error=error, arg=arg, gap=gap)


class _Kit:
    """Valid inputs, built on demand, from which each row changes one thing."""

    def __init__(self, tmp_path, monkeypatch):
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        gen = torch.Generator().manual_seed(0)
        self.resp = torch.randn(10, 3, generator=gen)
        self.stimuli = torch.linspace(0, 350, 10).reshape(10, 1)
        self.X = torch.randn(8, 2, generator=gen)
        self.y = torch.tensor([0, 1] * 4)

    @property
    def ax(self):
        import matplotlib.pyplot as plt

        return plt.subplots()[1]

    @property
    def net(self):
        return nn.Linear(3, 1)

    @property
    def classifier(self):
        return nn.Linear(2, 2)

    def optimizer(self, net):
        return torch.optim.SGD(net.parameters(), lr=0.1)

    @property
    def loader(self):
        from torch.utils.data import DataLoader, TensorDataset

        return DataLoader(TensorDataset(self.X, self.y), batch_size=4)

    def npz(self, **arrays):
        """A local .npz file holding ``arrays``."""
        path = self.tmp_path / f"file{len(list(self.tmp_path.iterdir()))}.npz"
        np.savez(path, **arrays)
        return path

    def oribinned1(self, resp=None, stimuli=None):
        resp = np.zeros((4, 3), np.float32) if resp is None else resp
        stimuli = np.array([0.5, 90.5, 180.5, 270.5]) if stimuli is None else stimuli
        return self.npz(resp=resp, stimuli=stimuli)

    def split(self, train=(6, 3), test=(6, 3), n_stimuli=6):
        return self.npz(
            resp_train=np.zeros(train, np.float32),
            resp_test=np.zeros(test, np.float32),
            stimuli=np.linspace(3, 357, n_stimuli)[:, None],
        )


# ---------------------------------------------------------------------------------------------
# The table: public name -> rows. Names are those of nma_dl.__all__.
# ---------------------------------------------------------------------------------------------

CASES = {
    # ---- data.files and data.stringer (loaders) ----
    "load_data": [
        _row("bin_width=0", lambda f, k: f(0, path=k.oribinned1()), ValueError, "bin_width"),
        _row("bin_width<0", lambda f, k: f(-6, path=k.oribinned1()), ValueError, "bin_width"),
        _row("bin_width=nan", lambda f, k: f(_nan, path=k.oribinned1()), ValueError, "bin_width"),
        _row(
            "bin_width=inf", lambda f, k: f(math.inf, path=k.oribinned1()), ValueError, "bin_width"
        ),
        _row("bin_width str", lambda f, k: f("6", path=k.oribinned1()), TypeError, "bin_width"),
        _row("bin_width bool", lambda f, k: f(True, path=k.oribinned1()), TypeError, "bin_width"),
        _row(
            "bin_width tensor",
            lambda f, k: f(torch.tensor([6]), path=k.oribinned1()),
            TypeError,
            "bin_width",
        ),
        _row("path int", lambda f, k: f(path=123), TypeError, "path"),
        _row(
            "path and source",
            lambda f, k: f(path=k.oribinned1(), source="synthetic"),
            ValueError,
            "path",
        ),
        _row("source unknown", lambda f, k: f(source="web"), ValueError, "source"),
        _row("source int", lambda f, k: f(source=1), TypeError, "source"),
        _row(
            "file lacks a key",
            lambda f, k: f(path=k.npz(resp=np.zeros((4, 3)))),
            ValueError,
            "path",
        ),
        _row(
            "resp rank 1", lambda f, k: f(path=k.oribinned1(resp=np.zeros(4))), ValueError, "resp"
        ),
        _row(
            "resp rank 3",
            lambda f, k: f(path=k.oribinned1(resp=np.zeros((4, 3, 2)))),
            ValueError,
            "resp",
        ),
        _row(
            "stimuli count",
            lambda f, k: f(path=k.oribinned1(stimuli=np.arange(5.0))),
            ValueError,
            "stimuli",
        ),
        _row(
            "resp dtype str",
            lambda f, k: f(path=k.oribinned1(resp=np.full((4, 3), "a"))),
            TypeError,
            "resp",
        ),
        _row(
            "resp dtype complex",
            lambda f, k: f(path=k.oribinned1(resp=np.ones((4, 3), complex))),
            TypeError,
            "resp",
        ),
        _row(
            "stimuli dtype bool",
            lambda f, k: f(path=k.oribinned1(stimuli=np.ones(4, bool))),
            TypeError,
            "stimuli",
        ),
        _row(
            "resp needs pickle",
            lambda f, k: f(path=k.oribinned1(resp=np.array([[None] * 3] * 4, dtype=object))),
            ValueError,
            "resp",
        ),
    ],
    "load_data_split": [
        _row("positional path", lambda f, k: f(str(k.split())), TypeError, "load_data_split"),
        _row("path int", lambda f, k: f(path=7), TypeError, "path"),
        _row("path and source", lambda f, k: f(path=k.split(), source="osf"), ValueError, "path"),
        _row("source unknown", lambda f, k: f(source="s3"), ValueError, "source"),
        _row("file lacks a key", lambda f, k: f(path=k.oribinned1()), ValueError, "path"),
        _row(
            "resp_test shape", lambda f, k: f(path=k.split(test=(6, 4))), ValueError, "resp_test"
        ),
        _row(
            "resp_train rank 1",
            lambda f, k: f(path=k.split(train=(6,), test=(6,))),
            ValueError,
            "resp_train",
        ),
        _row("stimuli count", lambda f, k: f(path=k.split(n_stimuli=5)), ValueError, "stimuli"),
    ],
    "fetch": [
        _row("name int", lambda f, k: f(1), TypeError, "name"),
        _row("name unknown", lambda f, k: f("stringer.npz"), ValueError, "name"),
        _row(
            "name path traversal",
            lambda f, k: f("../W3D4_stringer_oribinned1.npz"),
            ValueError,
            "name",
        ),
        _row(
            "source unknown",
            lambda f, k: f("W3D4_stringer_oribinned1.npz", "ftp"),
            ValueError,
            "source",
        ),
        _row("source int", lambda f, k: f("W3D4_stringer_oribinned1.npz", 2), TypeError, "source"),
    ],
    "osf_url": [
        _row("osf_id int", lambda f, k: f(683), TypeError, "osf_id"),
        _row("osf_id too short", lambda f, k: f("683x"), ValueError, "osf_id"),
        _row("osf_id path", lambda f, k: f("../x/"), ValueError, "osf_id"),
        _row("osf_id query", lambda f, k: f("a?b=c"), ValueError, "osf_id"),
        _row("osf_id None", lambda f, k: f(None), TypeError, "osf_id"),
    ],
    "data_dir": [
        _row("unexpected argument", lambda f, k: f("/tmp"), TypeError, "data_dir"),
        _row(
            "NMA_DL_DATA_DIR is a file",
            lambda f, k: (k.monkeypatch.setenv("NMA_DL_DATA_DIR", str(k.oribinned1())), f()),
            ValueError,
            "NMA_DL_DATA_DIR",
        ),
    ],
    # ---- language ----
    "set_language": [
        _row("language fr", lambda f, k: f("fr"), ValueError, "language"),
        _row("language int", lambda f, k: f(1), TypeError, "language"),
    ],
    "get_language": [
        _row("unexpected argument", lambda f, k: f("ja"), TypeError, "get_language"),
    ],
    # ---- device ----
    "set_device": [
        _row("unexpected argument", lambda f, k: f("cuda"), TypeError, "set_device"),
    ],
    "set_seed": [
        _row("seed str", lambda f, k: f("4"), TypeError, "seed"),
        _row("seed float", lambda f, k: f(4.0), TypeError, "seed"),
        _row("seed numpy float", lambda f, k: f(np.float64(4)), TypeError, "seed"),
        _row("seed bool", lambda f, k: f(True), TypeError, "seed"),
        _row("seed tensor", lambda f, k: f(torch.tensor(4)), TypeError, "seed"),
        _row("seed negative", lambda f, k: f(-1), ValueError, "seed"),
        _row("seed 2**32", lambda f, k: f(2**32), ValueError, "seed"),
        _row("seed_torch int", lambda f, k: f(4, seed_torch=1), TypeError, "seed_torch"),
        _row("seed_torch str", lambda f, k: f(4, seed_torch="yes"), TypeError, "seed_torch"),
    ],
    "seed_worker": [
        _row("worker_id negative", lambda f, k: f(-1), ValueError, "worker_id"),
        _row("worker_id str", lambda f, k: f("0"), TypeError, "worker_id"),
        _row("worker_id float", lambda f, k: f(0.5), TypeError, "worker_id"),
        _row("worker_id None", lambda f, k: f(None), TypeError, "worker_id"),
    ],
    # ---- data.stringer (the decoding split and draws) and stimuli ----
    "train_test_split": [
        _row("resp ndarray", lambda f, k: f(k.resp.numpy(), k.stimuli), TypeError, "resp"),
        _row("stimuli list", lambda f, k: f(k.resp, k.stimuli.tolist()), TypeError, "stimuli"),
        _row("rows differ", lambda f, k: f(k.resp, k.stimuli[:9]), ValueError, "stimuli"),
        _row("resp 0-d", lambda f, k: f(torch.tensor(1.0), k.stimuli), ValueError, "resp"),
        _row("resp rank 1", lambda f, k: f(k.resp[:, 0], k.stimuli), ValueError, "resp"),
        _row("resp rank 3", lambda f, k: f(k.resp[:, :, None], k.stimuli), ValueError, "resp"),
        _row(
            "stimuli (n, 2)", lambda f, k: f(k.resp, k.stimuli.repeat(1, 2)), ValueError, "stimuli"
        ),
        _row(
            "train_fraction 0", lambda f, k: f(k.resp, k.stimuli, 0), ValueError, "train_fraction"
        ),
        _row(
            "train_fraction 1",
            lambda f, k: f(k.resp, k.stimuli, 1.0),
            ValueError,
            "train_fraction",
        ),
        _row(
            "train_fraction negative",
            lambda f, k: f(k.resp, k.stimuli, -0.5),
            ValueError,
            "train_fraction",
        ),
        _row(
            "train_fraction nan",
            lambda f, k: f(k.resp, k.stimuli, _nan),
            ValueError,
            "train_fraction",
        ),
        _row(
            "train_fraction str",
            lambda f, k: f(k.resp, k.stimuli, "0.6"),
            TypeError,
            "train_fraction",
        ),
        _row(
            "train_fraction bool",
            lambda f, k: f(k.resp, k.stimuli, True),
            TypeError,
            "train_fraction",
        ),
        _row(
            "train_fraction leaves no training row",
            lambda f, k: f(k.resp, k.stimuli, 0.05),
            ValueError,
            "train_fraction",
        ),
        _row(
            "generator int", lambda f, k: f(k.resp, k.stimuli, generator=4), TypeError, "generator"
        ),
    ],
    "get_data": [
        _row("n_stim 0", lambda f, k: f(0, k.resp, k.stimuli), ValueError, "n_stim"),
        _row("n_stim negative", lambda f, k: f(-3, k.resp, k.stimuli), ValueError, "n_stim"),
        _row("n_stim float", lambda f, k: f(2.5, k.resp, k.stimuli), TypeError, "n_stim"),
        _row("n_stim str", lambda f, k: f("5", k.resp, k.stimuli), TypeError, "n_stim"),
        _row("n_stim bool", lambda f, k: f(True, k.resp, k.stimuli), TypeError, "n_stim"),
        _row(
            "train_data ndarray",
            lambda f, k: f(5, k.resp.numpy(), k.stimuli),
            TypeError,
            "train_data",
        ),
        _row(
            "train_labels list", lambda f, k: f(5, k.resp, [0.0] * 10), TypeError, "train_labels"
        ),
        _row("rows differ", lambda f, k: f(5, k.resp[:4], k.stimuli), ValueError, "train_data"),
        _row("no rows", lambda f, k: f(5, k.resp[:0], k.stimuli[:0]), ValueError, "train_labels"),
        _row(
            "train_data rank 1",
            lambda f, k: f(5, k.resp[:, 0], k.stimuli),
            ValueError,
            "train_data",
        ),
        _row(
            "train_labels (n, 2)",
            lambda f, k: f(5, k.resp, k.stimuli.repeat(1, 2)),
            ValueError,
            "train_labels",
        ),
    ],
    "stimulus_class": [
        _row("n_classes 0", lambda f, k: f(k.stimuli, 0), ValueError, "n_classes"),
        _row("n_classes negative", lambda f, k: f(k.stimuli, -8), ValueError, "n_classes"),
        _row("n_classes float", lambda f, k: f(k.stimuli, 8.0), TypeError, "n_classes"),
        _row("n_classes str", lambda f, k: f(k.stimuli, "8"), TypeError, "n_classes"),
        _row("n_classes bool", lambda f, k: f(k.stimuli, True), TypeError, "n_classes"),
        _row("ori list", lambda f, k: f([10.0, 20.0], 8), TypeError, "ori"),
        _row("ori (n, 2)", lambda f, k: f(k.stimuli.repeat(1, 2), 8), ValueError, "ori"),
        _row("ori rank 3", lambda f, k: f(k.stimuli[:, :, None], 8), ValueError, "ori"),
        _row("ori 0-d", lambda f, k: f(torch.tensor(10.0), 8), ValueError, "ori"),
        _row("ori 360.5", lambda f, k: f(torch.tensor([0.0, 360.5]), 8), ValueError, "ori"),
        _row("ori negative", lambda f, k: f(torch.tensor([-1.0]), 8), ValueError, "ori"),
        _row("ori nan", lambda f, k: f(torch.tensor([_nan]), 8), ValueError, "ori"),
        _row("ori complex", lambda f, k: f(np.array([1 + 1j]), 8), TypeError, "ori"),
        _row("ori str dtype", lambda f, k: f(np.array(["10"]), 8), TypeError, "ori"),
        _row("ori bool dtype", lambda f, k: f(np.array([True]), 8), TypeError, "ori"),
    ],
    "grating": [
        _row("angle nan", lambda f, k: f(_nan), ValueError, "angle"),
        _row("angle inf", lambda f, k: f(math.inf), ValueError, "angle"),
        _row("angle str", lambda f, k: f("45"), TypeError, "angle"),
        _row("angle tensor", lambda f, k: f(torch.tensor([45.0])), TypeError, "angle"),
        _row("sf 0", lambda f, k: f(0, sf=0), ValueError, "sf"),
        _row("sf negative", lambda f, k: f(0, sf=-0.1), ValueError, "sf"),
        _row("res 0", lambda f, k: f(0, res=0), ValueError, "res"),
        _row("res too small", lambda f, k: f(0, res=1e-4), ValueError, "res"),
        _row("res str", lambda f, k: f(0, res="0.1"), TypeError, "res"),
        _row("patch int", lambda f, k: f(0, patch=1), TypeError, "patch"),
        _row("phase nan", lambda f, k: f(0, phase=_nan), ValueError, "phase"),
    ],
    "filters": [
        _row("K even", lambda f, k: f(6, 4), ValueError, "K"),
        _row("K 0", lambda f, k: f(6, 0), ValueError, "K"),
        _row("K negative", lambda f, k: f(6, -7), ValueError, "K"),
        _row("K float", lambda f, k: f(6, 7.0), TypeError, "K"),
        _row("out_channels 1", lambda f, k: f(1), ValueError, "out_channels"),
        _row("out_channels 0", lambda f, k: f(0), ValueError, "out_channels"),
        _row("out_channels str", lambda f, k: f("6"), TypeError, "out_channels"),
    ],
    "gabor": [
        _row("K even", lambda f, k: f(4, 0, 10, 2), ValueError, "K"),
        _row("K float", lambda f, k: f(5.0, 0, 10, 2), TypeError, "K"),
        _row("angle nan", lambda f, k: f(5, _nan, 10, 2), ValueError, "angle"),
        _row("wavelength 0", lambda f, k: f(5, 0, 0, 2), ValueError, "wavelength"),
        _row("sigma negative", lambda f, k: f(5, 0, 10, -1), ValueError, "sigma"),
        _row("phase str", lambda f, k: f(5, 0, 10, 2, "0"), TypeError, "phase"),
    ],
    # ---- convolution (the convolution tutorial) ----
    "conv2d": [
        _row(
            "image ndarray", lambda f, k: f(np.zeros((4, 4)), torch.ones(3, 3)), TypeError, "image"
        ),
        _row(
            "image 3-D",
            lambda f, k: f(torch.zeros(1, 4, 4), torch.ones(3, 3)),
            ValueError,
            "image",
        ),
        _row(
            "image int dtype",
            lambda f, k: f(torch.zeros(4, 4, dtype=torch.long), torch.ones(3, 3)),
            TypeError,
            "image",
        ),
        _row(
            "kernel even",
            lambda f, k: f(torch.zeros(4, 4), torch.ones(2, 2)),
            ValueError,
            "kernel",
        ),
        _row("kernel 1-D", lambda f, k: f(torch.zeros(4, 4), torch.ones(3)), ValueError, "kernel"),
        _row(
            "kernel float64",
            lambda f, k: f(torch.zeros(4, 4), torch.ones(3, 3, dtype=torch.float64)),
            TypeError,
            "kernel",
        ),
    ],
    "max_pool": [
        _row("x list", lambda f, k: f([[1.0, 2.0]], 1), TypeError, r"\bx\b"),
        _row("x 1-D", lambda f, k: f(torch.zeros(4), 2), ValueError, r"\bx\b"),
        _row(
            "x int dtype",
            lambda f, k: f(torch.zeros(4, 4, dtype=torch.long), 2),
            TypeError,
            r"\bx\b",
        ),
        _row("K 0", lambda f, k: f(torch.zeros(4, 4), 0), ValueError, r"\bK\b"),
        _row("K above H", lambda f, k: f(torch.zeros(4, 6), 5), ValueError, r"\bK\b"),
        _row("K float", lambda f, k: f(torch.zeros(4, 4), 2.0), TypeError, r"\bK\b"),
    ],
    "count_parameters": [
        _row("module int", lambda f, k: f(3), TypeError, "module"),
        _row("module class", lambda f, k: f(nn.Linear), TypeError, "module"),
    ],
    "simple_and_complex_cells": [
        _row("images 2-D", lambda f, k: f(torch.zeros(8, 8)), ValueError, "images"),
        _row("images ndarray", lambda f, k: f(np.zeros((1, 8, 8))), TypeError, "images"),
        _row(
            "images float64",
            lambda f, k: f(torch.zeros(1, 8, 8, dtype=torch.float64)),
            ValueError,
            "images",
        ),
        _row("K even", lambda f, k: f(torch.zeros(1, 8, 8), K=6), ValueError, r"\bK\b"),
        _row("sigma 0", lambda f, k: f(torch.zeros(1, 8, 8), sigma=0), ValueError, "sigma"),
        _row("angle nan", lambda f, k: f(torch.zeros(1, 8, 8), angle=_nan), ValueError, "angle"),
    ],
    "ConvolutionalLayer": [
        _row("c_in 0", lambda f, k: f(0), ValueError, "c_in"),
        _row("c_out str", lambda f, k: f(1, "6"), TypeError, "c_out"),
        _row("K even", lambda f, k: f(1, 6, 4), ValueError, r"\bK\b"),
        _row("K negative", lambda f, k: f(1, 6, -7), ValueError, r"\bK\b"),
        _row("filters 3-D", lambda f, k: f(filters=torch.zeros(6, 7, 7)), ValueError, "filters"),
        _row(
            "filters ndarray", lambda f, k: f(filters=np.zeros((6, 1, 7, 7))), TypeError, "filters"
        ),
        _row(
            "filters int dtype",
            lambda f, k: f(filters=torch.zeros(6, 1, 7, 7, dtype=torch.long)),
            TypeError,
            "filters",
        ),
        _row("forward s 2-D", lambda f, k: f()(torch.zeros(48, 64)), ValueError, r"\bs\b"),
        _row(
            "forward s channels", lambda f, k: f()(torch.zeros(1, 3, 8, 8)), ValueError, r"\bs\b"
        ),
        _row("forward s list", lambda f, k: f()([[0.0]]), TypeError, r"\bs\b"),
        _row(
            "forward s float64",
            lambda f, k: f()(torch.zeros(1, 1, 8, 8, dtype=torch.float64)),
            TypeError,
            r"\bs\b",
        ),
    ],
    # ---- videos ----
    "display_videos": [
        _row("video_ids str", lambda f, k: f("JAdukDCQALA"), TypeError, "video_ids"),
        _row("video_ids empty", lambda f, k: f([]), ValueError, "video_ids"),
        _row(
            "video_ids unknown source", lambda f, k: f([("Vimeo", "123")]), ValueError, "video_ids"
        ),
        _row("video_ids 1-tuple", lambda f, k: f([("Youtube",)]), TypeError, "video_ids"),
        _row("video_ids id int", lambda f, k: f([("Youtube", 5)]), TypeError, "video_ids"),
        _row("video_ids blank id", lambda f, k: f([("Youtube", "  ")]), ValueError, "video_ids"),
        _row("W 0", lambda f, k: f([("Youtube", "x")], W=0), ValueError, "W"),
        _row("W negative", lambda f, k: f([("Youtube", "x")], W=-5), ValueError, "W"),
        _row("W str", lambda f, k: f([("Youtube", "x")], W="730"), TypeError, "W"),
        _row("W float", lambda f, k: f([("Youtube", "x")], W=730.0), TypeError, "W"),
        _row("H 0", lambda f, k: f([("Youtube", "x")], H=0), ValueError, "H"),
        _row("fs 2", lambda f, k: f([("Youtube", "x")], fs=2), ValueError, "fs"),
        _row("fs str", lambda f, k: f([("Youtube", "x")], fs="1"), (ValueError, TypeError), "fs"),
    ],
    # ---- models ----
    "DeepNet": [
        _row("n_inputs 0", lambda f, k: f(0, 4), ValueError, "n_inputs"),
        _row("n_inputs float", lambda f, k: f(2.5, 4), TypeError, "n_inputs"),
        _row("n_hidden negative", lambda f, k: f(3, -1), ValueError, "n_hidden"),
        _row("n_hidden str", lambda f, k: f(3, "10"), TypeError, "n_hidden"),
        _row("forward r list", lambda f, k: f(3, 4)([0.0, 0.0, 0.0]), TypeError, r"\br"),
        _row("forward r width", lambda f, k: f(3, 4)(torch.zeros(2, 5)), ValueError, r"\br"),
        _row("forward r 0-d", lambda f, k: f(3, 4)(torch.tensor(1.0)), ValueError, r"\br"),
        _row(
            "forward r int dtype",
            lambda f, k: f(3, 4)(torch.zeros(2, 3, dtype=torch.long)),
            TypeError,
            r"\br",
        ),
        _row(
            "forward r float64",
            lambda f, k: f(3, 4)(torch.zeros(2, 3, dtype=torch.float64)),
            TypeError,
            r"\br",
        ),
    ],
    "DeepNetReLU": [
        _row("n_inputs 0", lambda f, k: f(0, 4), ValueError, "n_inputs"),
        _row("n_hidden bool", lambda f, k: f(3, True), TypeError, "n_hidden"),
        _row("forward r width", lambda f, k: f(3, 4)(torch.zeros(5)), ValueError, r"\br"),
        _row("forward r ndarray", lambda f, k: f(3, 4)(np.zeros(3)), TypeError, r"\br"),
        _row(
            "forward r int dtype",
            lambda f, k: f(3, 4)(torch.zeros(2, 3, dtype=torch.long)),
            TypeError,
            r"\br",
        ),
    ],
    "Net": [
        _row("actv int", lambda f, k: f(1, 2, [4], 2), TypeError, "actv"),
        _row("actv unknown", lambda f, k: f("Foo()", 2, [4], 2), ValueError, "actv"),
        _row(
            "actv code", lambda f, k: f("__import__('os').getcwd()", 2, [4], 2), ValueError, "actv"
        ),
        _row(
            "actv non-literal argument",
            lambda f, k: f("LeakyReLU(x)", 2, [4], 2),
            ValueError,
            "actv",
        ),
        _row(
            "input_feature_num 0",
            lambda f, k: f("ReLU()", 0, [4], 2),
            ValueError,
            "input_feature_num",
        ),
        _row(
            "hidden_unit_nums int",
            lambda f, k: f("ReLU()", 2, 4, 2),
            TypeError,
            "hidden_unit_nums",
        ),
        _row(
            "hidden_unit_nums str",
            lambda f, k: f("ReLU()", 2, "4", 2),
            TypeError,
            "hidden_unit_nums",
        ),
        _row(
            "hidden_unit_nums [0]",
            lambda f, k: f("ReLU()", 2, [0], 2),
            ValueError,
            "hidden_unit_nums",
        ),
        _row(
            "output_feature_num str",
            lambda f, k: f("ReLU()", 2, [4], "2"),
            TypeError,
            "output_feature_num",
        ),
        _row("forward x list", lambda f, k: f("ReLU()", 2, [4], 2)([0.0, 0.0]), TypeError, r"\bx"),
        _row(
            "forward x size",
            lambda f, k: f("ReLU()", 2, [4], 2)(torch.zeros(3)),
            ValueError,
            r"\bx",
        ),
        _row(
            "forward x empty",
            lambda f, k: f("ReLU()", 2, [4], 2)(torch.zeros(0, 2)),
            ValueError,
            r"\bx",
        ),
        _row(
            "forward x int dtype",
            lambda f, k: f("ReLU()", 2, [4], 2)(k.y.reshape(4, 2)),
            TypeError,
            r"\bx",
        ),
    ],
    "parse_activation": [
        _row("spec int", lambda f, k: f(1), TypeError, "spec"),
        _row("spec unknown", lambda f, k: f("Foo()"), ValueError, "spec"),
        _row("spec code", lambda f, k: f("__import__('os')"), ValueError, "spec"),
        _row("spec too long", lambda f, k: f("ReLU(" + "1" * 300 + ")"), ValueError, "spec"),
    ],
    "activation_names": [
        _row("unexpected argument", lambda f, k: f("ReLU"), TypeError, "activation_names"),
    ],
    "approximate_function": [
        _row("x_train list", lambda f, k: f([0.0, 1.0], torch.zeros(2)), TypeError, "x_train"),
        _row(
            "y_train ndarray", lambda f, k: f(torch.arange(3.0), np.zeros(3)), TypeError, "y_train"
        ),
        _row(
            "x_train one point",
            lambda f, k: f(torch.zeros(1), torch.zeros(1)),
            ValueError,
            "x_train",
        ),
        _row(
            "y_train length",
            lambda f, k: f(torch.arange(3.0), torch.zeros(4)),
            ValueError,
            "y_train",
        ),
        _row(
            "x_train decreasing",
            lambda f, k: f(torch.tensor([2.0, 1.0, 0.0]), torch.zeros(3)),
            ValueError,
            "x_train",
        ),
        _row(
            "x_train nan",
            lambda f, k: f(torch.tensor([0.0, _nan]), torch.zeros(2)),
            ValueError,
            "x_train",
        ),
        _row(
            "x_train (n, 2)",
            lambda f, k: f(torch.arange(6.0).reshape(3, 2), torch.zeros(6)),
            ValueError,
            "x_train",
        ),
        _row(
            "x_train complex",
            lambda f, k: f(torch.tensor([0j, 1 + 1j]), torch.zeros(2)),
            TypeError,
            "x_train",
        ),
        _row(
            "n_points 0",
            lambda f, k: f(torch.arange(3.0), torch.zeros(3), 0),
            ValueError,
            "n_points",
        ),
        _row(
            "n_points float",
            lambda f, k: f(torch.arange(3.0), torch.zeros(3), 2.5),
            TypeError,
            "n_points",
        ),
    ],
    # ---- training ----
    "gradient_step": [
        _row(
            "net str",
            lambda f, k: f("net", nn.MSELoss(), k.resp, k.stimuli, k.optimizer(k.net)),
            TypeError,
            "net",
        ),
        _row(
            "loss_fn int",
            lambda f, k: f(k.net, 1, k.resp, k.stimuli, k.optimizer(k.net)),
            TypeError,
            "loss_fn",
        ),
        _row(
            "data list",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp.tolist(), k.stimuli, k.optimizer(k.net)),
            TypeError,
            "data",
        ),
        _row(
            "labels rows",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli[:5], k.optimizer(k.net)),
            ValueError,
            "labels",
        ),
        _row(
            "data empty",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp[:0], k.stimuli[:0], k.optimizer(k.net)),
            ValueError,
            "data",
        ),
        _row(
            "optimizer None",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, None),
            TypeError,
            "optimizer",
        ),
        _row(
            "penalty int",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, k.optimizer(k.net), penalty=1),
            TypeError,
            "penalty",
        ),
        _row(
            "penalty not scalar",
            lambda f, k: f(
                k.net,
                nn.MSELoss(),
                k.resp,
                k.stimuli,
                k.optimizer(k.net),
                penalty=lambda net: net.weight,
            ),
            ValueError,
            "penalty",
        ),
        _row(
            "labels (n,) for outputs (n, 1)",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli[:, 0], k.optimizer(k.net)),
            ValueError,
            "labels",
        ),
        _row(
            "float labels for nn.CrossEntropyLoss",
            lambda f, k: f(
                k.classifier, nn.CrossEntropyLoss(), k.X, k.y.float(), k.optimizer(k.classifier)
            ),
            (TypeError, ValueError),
            "labels",
        ),
    ],
    "evaluate_loss": [
        _row("net None", lambda f, k: f(None, nn.MSELoss(), k.resp, k.stimuli), TypeError, "net"),
        _row("loss_fn str", lambda f, k: f(k.net, "mse", k.resp, k.stimuli), TypeError, "loss_fn"),
        _row(
            "labels ndarray",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli.numpy()),
            TypeError,
            "labels",
        ),
        _row(
            "data 0-d",
            lambda f, k: f(k.net, nn.MSELoss(), torch.tensor(1.0), k.stimuli),
            ValueError,
            "data",
        ),
        _row(
            "loss_fn returns a float",
            lambda f, k: f(k.net, lambda out, y: 1.0, k.resp, k.stimuli),
            ValueError,
            "loss_fn",
        ),
        _row(
            "labels (n,) for outputs (n, 1)",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli[:, 0]),
            ValueError,
            "labels",
        ),
    ],
    "train": [
        _row(
            "batch_size 0",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, batch_size=0),
            ValueError,
            "batch_size",
        ),
        _row(
            "generator int",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, batch_size=2, generator=0),
            TypeError,
            "generator",
        ),
        _row(
            "n_epochs 0",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 0),
            ValueError,
            "n_epochs",
        ),
        _row(
            "n_epochs float",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 2.5),
            TypeError,
            "n_epochs",
        ),
        _row(
            "learning_rate 0",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 2, 0),
            ValueError,
            "learning_rate",
        ),
        _row(
            "learning_rate negative",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 2, -1e-3),
            ValueError,
            "learning_rate",
        ),
        _row(
            "learning_rate nan",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 2, _nan),
            ValueError,
            "learning_rate",
        ),
        _row(
            "learning_rate str",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 2, "0.1"),
            TypeError,
            "learning_rate",
        ),
        _row(
            "momentum 1",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, momentum=1.0),
            ValueError,
            "momentum",
        ),
        _row(
            "momentum str",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, momentum="0.9"),
            TypeError,
            "momentum",
        ),
        _row(
            "test_data without test_labels",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, test_data=k.resp),
            ValueError,
            "test_labels",
        ),
        _row(
            "train_data list",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp.tolist(), k.stimuli),
            TypeError,
            "train_data",
        ),
        _row(
            "train_labels rows",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli[:3]),
            ValueError,
            "train_labels",
        ),
        _row(
            "test_labels rows",
            lambda f, k: f(
                k.net, nn.MSELoss(), k.resp, k.stimuli, test_data=k.resp, test_labels=k.stimuli[:3]
            ),
            ValueError,
            "test_labels",
        ),
    ],
    "accuracy": [
        _row("net int", lambda f, k: f(1, k.loader), TypeError, "net"),
        _row(
            "data_loader list",
            lambda f, k: f(k.classifier, [(k.X, k.y)]),
            TypeError,
            "data_loader",
        ),
        _row(
            "device unknown", lambda f, k: f(k.classifier, k.loader, "gpu"), ValueError, "device"
        ),
        _row("device float", lambda f, k: f(k.classifier, k.loader, 0.0), TypeError, "device"),
        _row(
            "data_loader empty",
            lambda f, k: f(
                k.classifier,
                torch.utils.data.DataLoader(torch.utils.data.TensorDataset(k.X[:0], k.y[:0])),
            ),
            ValueError,
            "data_loader",
        ),
    ],
    "train_test_classification": [
        _row(
            "net None",
            lambda f, k: f(None, nn.CrossEntropyLoss(), None, k.loader, k.loader),
            TypeError,
            "net",
        ),
        _row(
            "criterion str",
            lambda f, k: f(k.classifier, "ce", k.optimizer(k.classifier), k.loader, k.loader),
            TypeError,
            "criterion",
        ),
        _row(
            "optimizer None",
            lambda f, k: f(k.classifier, nn.CrossEntropyLoss(), None, k.loader, k.loader),
            TypeError,
            "optimizer",
        ),
        _row(
            "train_loader list",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                [(k.X, k.y)],
                k.loader,
            ),
            TypeError,
            "train_loader",
        ),
        _row(
            "test_loader tensor",
            lambda f, k: f(
                k.classifier, nn.CrossEntropyLoss(), k.optimizer(k.classifier), k.loader, k.X
            ),
            TypeError,
            "test_loader",
        ),
        _row(
            "num_epochs 0",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                k.loader,
                k.loader,
                0,
            ),
            ValueError,
            "num_epochs",
        ),
        _row(
            "num_epochs str",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                k.loader,
                k.loader,
                "1",
            ),
            TypeError,
            "num_epochs",
        ),
        _row(
            "verbose str",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                k.loader,
                k.loader,
                verbose="yes",
            ),
            TypeError,
            "verbose",
        ),
        _row(
            "training_plot int",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                k.loader,
                k.loader,
                training_plot=1,
            ),
            TypeError,
            "training_plot",
        ),
        _row(
            "device unknown",
            lambda f, k: f(
                k.classifier,
                nn.CrossEntropyLoss(),
                k.optimizer(k.classifier),
                k.loader,
                k.loader,
                device="tpu0",
            ),
            ValueError,
            "device",
        ),
    ],
    # ---- losses ----
    "cross_entropy_loss": [
        _row("x list", lambda f, k: f([[1.0, 2.0]], torch.tensor([0])), TypeError, r"\bx"),
        _row("labels list", lambda f, k: f(torch.zeros(2, 3), [0, 1]), TypeError, "labels"),
        _row(
            "x int dtype",
            lambda f, k: f(torch.zeros(2, 3, dtype=torch.long), torch.tensor([0, 1])),
            TypeError,
            r"\bx",
        ),
        _row(
            "labels float dtype",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0.0, 1.0])),
            TypeError,
            "labels",
        ),
        _row(
            "labels bool dtype",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([True, False])),
            TypeError,
            "labels",
        ),
        _row("x rank 1", lambda f, k: f(torch.zeros(3), torch.tensor([0])), ValueError, r"\bx"),
        _row(
            "x rank 3",
            lambda f, k: f(torch.zeros(2, 3, 1), torch.tensor([0, 1])),
            ValueError,
            r"\bx",
        ),
        _row(
            "labels (N, 1)",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([[0], [1]])),
            ValueError,
            "labels",
        ),
        _row(
            "labels rows",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 1, 2])),
            ValueError,
            "labels",
        ),
        _row(
            "labels >= C",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 3])),
            ValueError,
            "labels",
        ),
        _row(
            "labels negative",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([-1, 0])),
            ValueError,
            "labels",
        ),
        _row(
            "x empty batch",
            lambda f, k: f(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long)),
            ValueError,
            r"\bx",
        ),
        _row(
            "x nan",
            lambda f, k: f(torch.tensor([[_nan, 1.0]]), torch.tensor([0])),
            ValueError,
            r"\bx",
        ),
        _row(
            "x inf",
            lambda f, k: f(torch.tensor([[math.inf, 1.0]]), torch.tensor([0])),
            ValueError,
            r"\bx",
        ),
    ],
    # ---- data.toy ----
    "create_spiral_dataset": [
        _row("K 0", lambda f, k: f(0, 0.1, 10), ValueError, r"\bK"),
        _row("K float", lambda f, k: f(2.5, 0.1, 10), TypeError, r"\bK"),
        _row("K str", lambda f, k: f("4", 0.1, 10), TypeError, r"\bK"),
        _row("sigma negative", lambda f, k: f(4, -0.1, 10), ValueError, "sigma"),
        _row("sigma nan", lambda f, k: f(4, _nan, 10), ValueError, "sigma"),
        _row("sigma str", lambda f, k: f(4, "0.1", 10), TypeError, "sigma"),
        _row("N 0", lambda f, k: f(4, 0.1, 0), ValueError, r"\bN\b"),
        _row("N negative", lambda f, k: f(4, 0.1, -5), ValueError, r"\bN\b"),
        _row("N bool", lambda f, k: f(4, 0.1, True), TypeError, r"\bN\b"),
        _row("generator int", lambda f, k: f(4, 0.1, 10, generator=1), TypeError, "generator"),
    ],
    "shuffle_and_split_data": [
        _row("X list", lambda f, k: f(k.X.tolist(), k.y, 0), TypeError, r"\bX\b"),
        _row("y ndarray", lambda f, k: f(k.X, k.y.numpy(), 0), TypeError, r"\by\b"),
        _row("rows differ", lambda f, k: f(k.X, k.y[:3], 0), ValueError, r"\by\b"),
        _row("X 0-d", lambda f, k: f(torch.tensor(1.0), k.y, 0), ValueError, r"\bX\b"),
        _row("seed negative", lambda f, k: f(k.X, k.y, -1), ValueError, "seed"),
        _row("seed float", lambda f, k: f(k.X, k.y, 1.5), TypeError, "seed"),
        _row("seed 2**70", lambda f, k: f(k.X, k.y, 2**70), ValueError, "seed"),
        _row("test_fraction 1", lambda f, k: f(k.X, k.y, 0, 1.0), ValueError, "test_fraction"),
        _row(
            "test_fraction negative",
            lambda f, k: f(k.X, k.y, 0, -0.1),
            ValueError,
            "test_fraction",
        ),
        _row("test_fraction str", lambda f, k: f(k.X, k.y, 0, "0.2"), TypeError, "test_fraction"),
    ],
    "make_loaders": [
        _row(
            "batch_size 0",
            lambda f, k: f(k.X, k.y, k.X, k.y, batch_size=0),
            ValueError,
            "batch_size",
        ),
        _row(
            "batch_size float",
            lambda f, k: f(k.X, k.y, k.X, k.y, batch_size=2.5),
            TypeError,
            "batch_size",
        ),
        _row("seed negative", lambda f, k: f(k.X, k.y, k.X, k.y, seed=-1), ValueError, "seed"),
        _row(
            "num_workers negative",
            lambda f, k: f(k.X, k.y, k.X, k.y, num_workers=-1),
            ValueError,
            "num_workers",
        ),
        _row("X_train list", lambda f, k: f(k.X.tolist(), k.y, k.X, k.y), TypeError, "X_train"),
        _row("seed 2**70", lambda f, k: f(k.X, k.y, k.X, k.y, seed=2**70), ValueError, "seed"),
        _row("X_train no rows", lambda f, k: f(k.X[:0], k.y[:0], k.X, k.y), ValueError, "X_train"),
        _row("y_test rows", lambda f, k: f(k.X, k.y, k.X, k.y[:3]), ValueError, "y_test"),
    ],
    "sample_grid": [
        _row("M 1", lambda f, k: f(1), ValueError, r"\bM\b"),
        _row("M float", lambda f, k: f(2.5), TypeError, r"\bM\b"),
        _row("M str", lambda f, k: f("500"), TypeError, r"\bM\b"),
        _row("x_max 0", lambda f, k: f(10, 0.0), ValueError, "x_max"),
        _row("x_max negative", lambda f, k: f(10, -2.0), ValueError, "x_max"),
        _row("x_max inf", lambda f, k: f(10, math.inf), ValueError, "x_max"),
        _row("x_max beyond float32", lambda f, k: f(10, 1e308), ValueError, "x_max"),
    ],
    # ---- neurons ----
    "run_LIF": [
        _row("I str", lambda f, k: f("1"), TypeError, r"\bI\b"),
        _row("I nan", lambda f, k: f(_nan), ValueError, r"\bI\b"),
        _row("I tensor of 2", lambda f, k: f(torch.ones(2)), ValueError, r"\bI\b"),
        _row("T 0", lambda f, k: f(1.0, T=0), ValueError, r"\bT\b"),
        _row("dt 0", lambda f, k: f(1.0, dt=0), ValueError, r"\bdt\b"),
        _row("dt > T", lambda f, k: f(1.0, T=1, dt=2), ValueError, r"\bdt\b"),
        _row("tau_ref negative", lambda f, k: f(1.0, tau_ref=-1), ValueError, "tau_ref"),
        _row("Rm 0", lambda f, k: f(1.0, Rm=0), ValueError, r"\bRm\b"),
        _row("Cm negative", lambda f, k: f(1.0, Cm=-10), ValueError, r"\bCm\b"),
        _row("Vth 0", lambda f, k: f(1.0, Vth=0), ValueError, r"\bVth\b"),
        _row("V_spike negative", lambda f, k: f(1.0, V_spike=-0.5), ValueError, "V_spike"),
    ],
    "spike_count": [
        _row("Vm list", lambda f, k: f([0.0, 2.0]), TypeError, r"\bVm\b"),
        _row("Vth str", lambda f, k: f(torch.zeros(3), "1"), TypeError, r"\bVth\b"),
        _row("Vth nan", lambda f, k: f(torch.zeros(3), _nan), ValueError, r"\bVth\b"),
    ],
    "fi_curve": [
        _row("currents int", lambda f, k: f(5), TypeError, "currents"),
        _row("currents empty", lambda f, k: f([]), ValueError, "currents"),
        _row("currents str items", lambda f, k: f(["a"]), TypeError, "currents"),
        _row("currents nan", lambda f, k: f([_nan]), ValueError, "currents"),
        _row("Rm 0", lambda f, k: f([1.0], Rm=0), ValueError, r"\bRm\b"),
        _row("dt 0", lambda f, k: f([1.0], dt=0), ValueError, r"\bdt\b"),
    ],
    # ---- plotting ----
    "use_course_style": [
        _row("unexpected argument", lambda f, k: f("dark"), TypeError, "use_course_style"),
    ],
    "plot_data_matrix": [
        _row("X rank 1", lambda f, k: f(np.zeros(5), k.ax), ValueError, r"\bX\b"),
        _row("X rank 3", lambda f, k: f(np.zeros((2, 2, 2)), k.ax), ValueError, r"\bX\b"),
        _row("X strings", lambda f, k: f([["a", "b"]], k.ax), TypeError, r"\bX\b"),
        _row("X all nan", lambda f, k: f(np.full((2, 2), _nan), k.ax), ValueError, r"\bX\b"),
        _row("ax None", lambda f, k: f(np.zeros((2, 2)), None), TypeError, r"\bax\b"),
        _row("ax str", lambda f, k: f(np.zeros((2, 2)), "ax"), TypeError, r"\bax\b"),
    ],
    "plot_train_loss": [
        _row("train_loss empty", lambda f, k: f([], k.ax), ValueError, "train_loss"),
        _row("train_loss 2-D", lambda f, k: f(np.zeros((3, 3)), k.ax), ValueError, "train_loss"),
        _row("train_loss nan", lambda f, k: f([1.0, _nan], k.ax), ValueError, "train_loss"),
        _row("train_loss strings", lambda f, k: f(["a"], k.ax), TypeError, "train_loss"),
        _row("ax str", lambda f, k: f([1.0], "ax"), TypeError, r"\bax\b"),
        _row("ylabel int", lambda f, k: f([1.0], k.ax, 1), TypeError, "ylabel"),
    ],
    "plot_decoded_results": [
        _row("train_loss empty", lambda f, k: f([], [1.0], [10.0], [0]), ValueError, "train_loss"),
        _row("test_loss nan", lambda f, k: f([1.0], [_nan], [10.0], [0]), ValueError, "test_loss"),
        _row(
            "test_labels 2-D",
            lambda f, k: f([1.0], [1.0], np.zeros((2, 2)), [0, 0]),
            ValueError,
            "test_labels",
        ),
        _row(
            "predictions count",
            lambda f, k: f([1.0], [1.0], [10.0, 20.0], [0]),
            ValueError,
            "predicted_test_labels",
        ),
        _row(
            "prediction negative",
            lambda f, k: f([1.0], [1.0], [10.0], [-1]),
            ValueError,
            "predicted_test_labels",
        ),
        _row(
            "prediction fractional",
            lambda f, k: f([1.0], [1.0], [10.0], [0.5]),
            ValueError,
            "predicted_test_labels",
        ),
        _row(
            "n_classes float",
            lambda f, k: f([1.0], [1.0], [10.0], [0], 2.5),
            TypeError,
            "n_classes",
        ),
        _row(
            "n_classes too small",
            lambda f, k: f([1.0], [1.0], [10.0], [3], 2),
            ValueError,
            "n_classes",
        ),
        _row("n_classes 0", lambda f, k: f([1.0], [1.0], [10.0], [0], 0), ValueError, "n_classes"),
    ],
    "identity_line": [
        _row("ax str", lambda f, k: f("ax"), TypeError, r"\bax\b"),
        _row("ax int", lambda f, k: f(5), TypeError, r"\bax\b"),
    ],
    "plot_gratings": [
        _row("stimuli 3 channels", lambda f, k: f(torch.zeros(2, 3, 8, 8)), ValueError, "stimuli"),
        _row("stimuli 1-D", lambda f, k: f(torch.zeros(8)), ValueError, "stimuli"),
        _row("stimuli str", lambda f, k: f("gratings"), TypeError, "stimuli"),
        _row(
            "angles count",
            lambda f, k: f(torch.zeros(2, 8, 8), angles=[0.0]),
            ValueError,
            "angles",
        ),
        _row(
            "angles NaN",
            lambda f, k: f(torch.zeros(2, 8, 8), angles=[0.0, _nan]),
            ValueError,
            "angles",
        ),
    ],
    "plot_function_approximation": [
        _row(
            "x 2-D",
            lambda f, k: f(np.zeros((3, 3)), np.zeros((2, 3)), np.zeros(3)),
            ValueError,
            r"\bx\b",
        ),
        _row(
            "relu_acts shape",
            lambda f, k: f(np.zeros(3), np.zeros((2, 4)), np.zeros(3)),
            ValueError,
            "relu_acts",
        ),
        _row(
            "relu_acts rank 1",
            lambda f, k: f(np.zeros(3), np.zeros(3), np.zeros(3)),
            ValueError,
            "relu_acts",
        ),
        _row(
            "y_hat length",
            lambda f, k: f(np.zeros(3), np.zeros((2, 3)), np.zeros(4)),
            ValueError,
            "y_hat",
        ),
        _row(
            "target int",
            lambda f, k: f(np.zeros(3), np.zeros((2, 3)), np.zeros(3), 1),
            TypeError,
            "target",
        ),
    ],
    "plot_spiral": [
        _row("X (n, 3)", lambda f, k: f(np.zeros((4, 3)), [0] * 4, k.ax), ValueError, r"\bX\b"),
        _row("X strings", lambda f, k: f([["a", "b"]], [0], k.ax), TypeError, r"\bX\b"),
        _row("y count", lambda f, k: f(np.zeros((4, 2)), [0] * 3, k.ax), ValueError, r"\by\b"),
        _row("y negative", lambda f, k: f(np.zeros((2, 2)), [0, -1], k.ax), ValueError, r"\by\b"),
        _row(
            "y fractional", lambda f, k: f(np.zeros((2, 2)), [0, 0.5], k.ax), ValueError, r"\by\b"
        ),
        _row("title int", lambda f, k: f(np.zeros((2, 2)), [0, 1], k.ax, 1), TypeError, "title"),
        _row("ax str", lambda f, k: f(np.zeros((2, 2)), [0, 1], "ax"), TypeError, r"\bax\b"),
    ],
    "plot_decision_map": [
        _row(
            "M 1",
            lambda f, k: f(
                np.zeros((1, 2)), np.zeros((1, 2)), np.zeros((1, 2)), [0], M=1, ax=k.ax
            ),
            ValueError,
            r"\bM\b",
        ),
        _row(
            "M float",
            lambda f, k: f(
                np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((1, 2)), [0], M=2.0, ax=k.ax
            ),
            (ValueError, TypeError),
            r"\bM\b",
        ),
        _row(
            "x_max 0",
            lambda f, k: f(
                np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((1, 2)), [0], M=2, x_max=0, ax=k.ax
            ),
            ValueError,
            "x_max",
        ),
        _row(
            "eps negative",
            lambda f, k: f(
                np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((1, 2)), [0], M=2, eps=-1.0, ax=k.ax
            ),
            ValueError,
            "eps",
        ),
        _row(
            "X_all count",
            lambda f, k: f(
                np.zeros((5, 2)), np.zeros((4, 2)), np.zeros((1, 2)), [0], M=2, ax=k.ax
            ),
            ValueError,
            "X_all",
        ),
        _row(
            "y_pred rank 1",
            lambda f, k: f(np.zeros((4, 2)), np.zeros(4), np.zeros((1, 2)), [0], M=2, ax=k.ax),
            ValueError,
            "y_pred",
        ),
        _row(
            "X_test (n, 3)",
            lambda f, k: f(
                np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((1, 3)), [0], M=2, ax=k.ax
            ),
            ValueError,
            "X_test",
        ),
        _row(
            "y_test >= n_classes",
            lambda f, k: f(
                np.zeros((4, 2)), np.zeros((4, 2)), np.zeros((1, 2)), [2], M=2, ax=k.ax
            ),
            ValueError,
            "y_test",
        ),
    ],
    "plot_lif_membrane": [
        _row(
            "Vm length", lambda f, k: f(np.arange(3.0), np.zeros(4), k.ax), ValueError, r"\bVm\b"
        ),
        _row("time empty", lambda f, k: f([], [], k.ax), ValueError, r"\btime\b"),
        _row("Vm strings", lambda f, k: f(np.arange(1.0), ["a"], k.ax), TypeError, r"\bVm\b"),
        _row("ax str", lambda f, k: f(np.arange(1.0), [0.0], "ax"), TypeError, r"\bax\b"),
    ],
    "plot_fi_curve": [
        _row(
            "spike_counts length",
            lambda f, k: f([0.0, 1.0], [3], k.ax),
            ValueError,
            "spike_counts",
        ),
        _row("currents nan", lambda f, k: f([_nan], [3], k.ax), ValueError, "currents"),
        _row("ylim 0", lambda f, k: f([0.0], [3], k.ax, 0), ValueError, "ylim"),
        _row("ylim str", lambda f, k: f([0.0], [3], k.ax, "150"), (ValueError, TypeError), "ylim"),
    ],
    # ---- widgets ----
    "lif_fi_figure": [
        _row("Rm 0", lambda f, k: f(Rm=0), ValueError, r"\bRm\b"),
        _row("Rm str", lambda f, k: f(Rm="1"), TypeError, r"\bRm\b"),
        _row("tau_ref negative", lambda f, k: f(tau_ref=-1), ValueError, "tau_ref"),
        _row("currents empty", lambda f, k: f(currents=[]), ValueError, "currents"),
        _row("currents int", lambda f, k: f(currents=5), TypeError, "currents"),
    ],
    "lif_fi_widget": [
        _row("Rm 0", lambda f, k: f(Rm=0), ValueError, r"\bRm\b"),
        _row("Rm above slider", lambda f, k: f(Rm=101), ValueError, r"\bRm\b"),
        _row("Rm nan", lambda f, k: f(Rm=_nan), ValueError, r"\bRm\b"),
        _row("tau_ref str", lambda f, k: f(tau_ref="2"), TypeError, "tau_ref"),
        _row("tau_ref bool", lambda f, k: f(tau_ref=True), TypeError, "tau_ref"),
    ],
    "plot_weights": [
        _row("weights 3-D", lambda f, k: f(torch.zeros(6, 7, 7)), ValueError, "weights"),
        _row("weights str", lambda f, k: f("w"), TypeError, "weights"),
        _row(
            "channels out of range",
            lambda f, k: f(torch.zeros(6, 1, 7, 7), [6]),
            ValueError,
            "channels",
        ),
        _row(
            "channels negative",
            lambda f, k: f(torch.zeros(6, 1, 7, 7), [-1]),
            ValueError,
            "channels",
        ),
        _row(
            "channels empty", lambda f, k: f(torch.zeros(6, 1, 7, 7), []), ValueError, "channels"
        ),
        _row(
            "colorbar str",
            lambda f, k: f(torch.zeros(6, 1, 7, 7), colorbar="yes"),
            TypeError,
            "colorbar",
        ),
    ],
    "plot_example_activations": [
        _row(
            "act rows differ",
            lambda f, k: f(torch.zeros(5, 1, 8, 8), torch.zeros(4, 6, 8, 8), [0]),
            ValueError,
            "act",
        ),
        _row(
            "stimuli 2-D",
            lambda f, k: f(torch.zeros(8, 8), torch.zeros(1, 6, 8, 8), [0]),
            ValueError,
            "stimuli",
        ),
        _row(
            "channels out of range",
            lambda f, k: f(torch.zeros(2, 1, 8, 8), torch.zeros(2, 6, 8, 8), [7]),
            ValueError,
            "channels",
        ),
    ],
    "plot_convolution_step": [
        _row(
            "kernel even",
            lambda f, k: f(torch.zeros(4, 4), torch.zeros(2, 2), 0, 0),
            ValueError,
            "kernel",
        ),
        _row(
            "image 3-D",
            lambda f, k: f(torch.zeros(1, 4, 4), torch.zeros(3, 3), 0, 0),
            ValueError,
            "image",
        ),
        _row(
            "row too large",
            lambda f, k: f(torch.zeros(4, 4), torch.zeros(3, 3), 4, 0),
            ValueError,
            "row",
        ),
        _row(
            "col float",
            lambda f, k: f(torch.zeros(4, 4), torch.zeros(3, 3), 0, 1.0),
            TypeError,
            "col",
        ),
    ],
    "plot_weight_sharing": [
        _row("K even", lambda f, k: f(9, 2), ValueError, r"\bK\b"),
        _row("K above n_inputs", lambda f, k: f(3, 5), ValueError, r"\bK\b"),
        _row("n_inputs 1", lambda f, k: f(1, 1), ValueError, "n_inputs"),
    ],
    "conv_activations_figure": [
        _row("angle nan", lambda f, k: f(_nan), ValueError, "angle"),
        _row("phase str", lambda f, k: f(0, "90"), TypeError, "phase"),
    ],
    "conv_activations_widget": [
        _row("angle above slider", lambda f, k: f(120), ValueError, "angle"),
        _row("angle nan", lambda f, k: f(_nan), ValueError, "angle"),
        _row("phase negative", lambda f, k: f(0, -10), ValueError, "phase"),
        _row("phase str", lambda f, k: f(0, "90"), TypeError, "phase"),
    ],
    # ---- the encoding-model tutorial: CNN, RSA, figures, widget, checks ----
    "tilt_range": [
        _row(
            "stimuli none in [0, 180)",
            lambda f, k: f(k.resp[:2], k.stimuli[-2:]),
            ValueError,
            "stimuli",
        ),
        _row("resp rank 1", lambda f, k: f(k.resp[:, 0], k.stimuli), ValueError, "resp"),
        _row("stimuli ndarray", lambda f, k: f(k.resp, k.stimuli.numpy()), TypeError, "stimuli"),
    ],
    "CNN": [
        _row("h_in 0", lambda f, k: f(0, 64), ValueError, "h_in"),
        _row("w_in below a pooling patch", lambda f, k: f(48, 7), ValueError, "w_in"),
        _row("h_in float", lambda f, k: f(48.0, 64), TypeError, "h_in"),
        _row("x wrong size", lambda f, k: f(48, 64)(torch.zeros(2, 16, 16)), ValueError, r"\bx\b"),
        _row("x ndarray", lambda f, k: f(48, 64)(np.zeros((2, 48, 64))), TypeError, r"\bx\b"),
    ],
    "RDM": [
        _row("resp 1-D", lambda f, k: f(np.arange(5.0)), ValueError, "resp"),
        _row("resp list", lambda f, k: f([[1.0, 2.0], [2.0, 1.0]]), TypeError, "resp"),
        _row(
            "resp constant row",
            lambda f, k: f(np.array([[1.0, 2.0], [3.0, 3.0]])),
            ValueError,
            "resp row 1",
        ),
        _row("resp one unit", lambda f, k: f(np.ones((3, 1))), ValueError, "resp"),
        _row("resp nan", lambda f, k: f(np.array([[1.0, _nan], [1.0, 2.0]])), ValueError, "resp"),
    ],
    "correlate_rdms": [
        _row("sizes differ", lambda f, k: f(np.eye(3), np.eye(4)), ValueError, "rdm1 and rdm2"),
        _row("rdm2 not square", lambda f, k: f(np.eye(3), np.ones((3, 4))), ValueError, "rdm2"),
        _row("rdm1 1-D", lambda f, k: f(np.ones(3), np.eye(3)), ValueError, "rdm1"),
        _row("rdm1 2 x 2", lambda f, k: f(np.eye(2), np.eye(2)), ValueError, "rdm1"),
        _row("rdm2 str", lambda f, k: f(np.eye(3), "rdm"), TypeError, "rdm2"),
    ],
    "get_hidden_activity": [
        _row("unknown layer", lambda f, k: f(k.net, k.resp, ["fc"]), ValueError, "layer_labels"),
        _row("labels a str", lambda f, k: f(k.net, k.resp, "weight"), TypeError, "layer_labels"),
        _row("labels empty", lambda f, k: f(k.net, k.resp, []), ValueError, "layer_labels"),
        _row("net str", lambda f, k: f("net", k.resp, ["fc"]), TypeError, r"\bnet\b"),
        _row(
            "stimuli ndarray",
            lambda f, k: f(k.net, np.zeros((2, 3)), ["fc"]),
            TypeError,
            "stimuli",
        ),
    ],
    "reduce_dimensions": [
        _row("resp 4 stimuli", lambda f, k: f(np.ones((4, 3))), ValueError, "resp"),
        _row("resp 1-D", lambda f, k: f(np.ones(8)), ValueError, "resp"),
        _row(
            "n_pca 1",
            lambda f, k: f(np.random.default_rng(0).normal(size=(8, 3)), n_pca=1),
            ValueError,
            "n_pca",
        ),
        _row(
            "random_state str",
            lambda f, k: f(np.ones((8, 3)), random_state="0"),
            TypeError,
            "random_state",
        ),
    ],
    "plot_multiple_rdm": [
        _row("rdm_dict list", lambda f, k: f([np.eye(3)]), TypeError, "rdm_dict"),
        _row("rdm_dict empty", lambda f, k: f({}), ValueError, "rdm_dict"),
        _row("an RDM not square", lambda f, k: f({"a": np.ones((2, 3))}), ValueError, "rdm_dict"),
    ],
    "plot_rdm_rdm_correlations": [
        _row("rdm_sim list", lambda f, k: f([0.5]), TypeError, "rdm_sim"),
        _row("rdm_sim empty", lambda f, k: f({}), ValueError, "rdm_sim"),
        _row("rdm_sim str value", lambda f, k: f({"a": "high"}), TypeError, "rdm_sim"),
    ],
    "plot_rdm_rows": [
        _row(
            "rdm_oris length",
            lambda f, k: f([0], {"a": np.eye(3)}, [1.0, 2.0]),
            ValueError,
            "rdm_oris",
        ),
        _row(
            "rdm_dict list",
            lambda f, k: f([0], [np.eye(3)], [1.0, 2.0, 3.0]),
            TypeError,
            "rdm_dict",
        ),
        _row(
            "ori_list of str",
            lambda f, k: f(["left"], {"a": np.eye(3)}, [1.0, 2.0, 3.0]),
            TypeError,
            "ori_list",
        ),
    ],
    "plot_tuning": [
        _row("ori length", lambda f, k: f({"a": np.ones((3, 2))}, [1.0]), ValueError, r"\bori\b"),
        _row(
            "resp_dict list",
            lambda f, k: f([np.ones((3, 2))], [1.0, 2.0, 3.0]),
            TypeError,
            "resp_dict",
        ),
    ],
    "plot_resp_lowd": [
        _row("ori length", lambda f, k: f({"a": np.ones((6, 2))}, [1.0]), ValueError, r"\bori\b"),
        _row("resp_dict empty", lambda f, k: f({}, [1.0]), ValueError, "resp_dict"),
    ],
    "tuning_widget": [
        _row(
            "seed negative",
            lambda f, k: f({"a": np.ones((3, 2))}, [1.0, 2.0, 3.0], seed=-1),
            ValueError,
            "seed",
        ),
        _row(
            "n_units 0",
            lambda f, k: f({"a": np.ones((3, 2))}, [1.0, 2.0, 3.0], n_units=0),
            ValueError,
            "n_units",
        ),
        _row(
            "resp_dict list",
            lambda f, k: f([np.ones((3, 2))], [1.0, 2.0, 3.0]),
            TypeError,
            "resp_dict",
        ),
    ],
    "conv_weights": [
        _row("layer tensor", lambda f, k: f(torch.zeros(6, 1, 7, 7)), TypeError, "layer"),
        _row("layer without conv", lambda f, k: f(nn.Linear(2, 2)), TypeError, "layer"),
    ],
    "plot_architecture": [
        _row("net str", lambda f, k: f("CNN", (48, 64)), TypeError, r"\bnet\b"),
        _row("input_shape int", lambda f, k: f(nn.Linear(2, 2), 2), TypeError, "input_shape"),
        _row(
            "input_shape 0",
            lambda f, k: f(nn.Sequential(nn.Linear(2, 2)), (0,)),
            ValueError,
            "input_shape",
        ),
        _row(
            "notes list",
            lambda f, k: f(nn.Sequential(nn.Linear(2, 2)), (2,), ["0"]),
            TypeError,
            "notes",
        ),
        _row(
            "notes unknown layer",
            lambda f, k: f(nn.Sequential(nn.Linear(2, 2)), (2,), {"fc": "x"}),
            ValueError,
            "notes",
        ),
    ],
    # ---- the bonus tutorial (W1D5 Tutorial 4) ----
    "preferred_orientation": [
        _row("resp rank 1", lambda f, k: f(np.zeros(5)), ValueError, "resp"),
        _row("resp str", lambda f, k: f("resp"), TypeError, "resp"),
        _row("resp NaN", lambda f, k: f(np.full((4, 2), _nan)), ValueError, "resp"),
        _row("sigma=0", lambda f, k: f(np.zeros((4, 2)), 0), ValueError, "sigma"),
        _row("sigma NaN", lambda f, k: f(np.zeros((4, 2)), _nan), ValueError, "sigma"),
        _row("mode unknown", lambda f, k: f(np.zeros((4, 2)), mode="circle"), ValueError, "mode"),
    ],
    "penalty_terms": [
        _row("weights list", lambda f, k: f([1.0, 2.0], 0.1), TypeError, "weights"),
        _row("L2_penalty<0", lambda f, k: f(torch.ones(3), -0.1), ValueError, "L2_penalty"),
        _row("L1_penalty NaN", lambda f, k: f(torch.ones(3), 0, _nan), ValueError, "L1_penalty"),
        _row("L2_penalty str", lambda f, k: f(torch.ones(3), "0.1"), TypeError, "L2_penalty"),
    ],
    "regularized_loss": [
        _row(
            "weights not a tensor",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 1]), np.ones(3), 0.1),
            TypeError,
            "weights",
        ),
        _row(
            "L2_penalty<0",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 1]), torch.ones(3), -1.0),
            ValueError,
            "L2_penalty",
        ),
        _row(
            "L1_penalty NaN",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 1]), torch.ones(3), 0, _nan),
            ValueError,
            "L1_penalty",
        ),
        _row(
            "output list",
            lambda f, k: f([[0.0]], torch.tensor([0]), torch.ones(3)),
            TypeError,
            "output",
        ),
    ],
    "regularized_MSE_loss": [
        _row(
            "shapes differ",
            lambda f, k: f(torch.zeros(2, 3), torch.zeros(3)),
            ValueError,
            "target",
        ),
        _row(
            "L2_penalty<0",
            lambda f, k: f(torch.zeros(2), torch.zeros(2), torch.ones(3), -1.0),
            ValueError,
            "L2_penalty",
        ),
        _row(
            "L1_penalty inf",
            lambda f, k: f(torch.zeros(2), torch.zeros(2), torch.ones(3), 0, math.inf),
            ValueError,
            "L1_penalty",
        ),
        _row(
            "weights list",
            lambda f, k: f(torch.zeros(2), torch.zeros(2), [1.0]),
            TypeError,
            "weights",
        ),
    ],
    "DeepNetSoftmax": [
        _row("n_classes=1", lambda f, k: f(3, 4, 1), ValueError, "n_classes"),
        _row("n_classes float", lambda f, k: f(3, 4, 2.5), TypeError, "n_classes"),
        _row("n_inputs=0", lambda f, k: f(0, 4, 3), ValueError, "n_inputs"),
        _row("r rank 1", lambda f, k: f(3, 4, 3)(torch.zeros(3)), ValueError, "r"),
        _row("r float64", lambda f, k: f(3, 4, 3)(torch.zeros(2, 3).double()), TypeError, "r"),
    ],
    "ConvFC": [
        _row("n_neurons=0", lambda f, k: f(0), ValueError, "n_neurons"),
        _row("K even", lambda f, k: f(5, K=4), ValueError, "K"),
        _row(
            "filters shape",
            lambda f, k: f(5, filters=torch.zeros(6, 1, 5, 5)),
            ValueError,
            "filters",
        ),
        _row("s wrong size", lambda f, k: f(5)(torch.zeros(2, 1, 10, 10)), ValueError, "s"),
        _row("s list", lambda f, k: f(5)([[0.0]]), TypeError, "s"),
    ],
    "decode_orientation": [
        _row(
            "n_classes=1",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                1,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),  # fmt: skip
            ValueError,
            "n_classes",
        ),
        _row(
            "train lengths differ",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli[:9],
                k.resp,
                k.stimuli,
                n_iter=1,
            ),  # fmt: skip
            ValueError,
            "train_labels",
        ),
        _row(
            "L2_penalty<0",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=1,
                L2_penalty=-1,
            ),  # fmt: skip
            ValueError,
            "L2_penalty",
        ),
        _row(
            "net not a module",
            lambda f, k: f("net", 2, nn.NLLLoss(), k.resp, k.stimuli, k.resp, k.stimuli),
            TypeError,
            "net",
        ),
    ],
    "train_encoder": [
        _row(
            "test_data without test_labels",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2),
                torch.zeros(5, 3),
                torch.zeros(5, 1, 2, 2),
                n_iter=1,
            ),  # fmt: skip
            ValueError,
            "test_labels",
        ),
        _row(
            "lengths differ",
            lambda f, k: f(nma_dl.ConvFC(3, b=4), torch.zeros(5, 1, 2, 2), torch.zeros(4, 3)),
            ValueError,
            "train_labels",
        ),
        _row(
            "L1_penalty NaN",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4), torch.zeros(5, 1, 2, 2), torch.zeros(5, 3), L1_penalty=_nan
            ),  # fmt: skip
            ValueError,
            "L1_penalty",
        ),
        _row(
            "net without out_layer",
            lambda f, k: f(nn.Conv2d(1, 1, 1), torch.zeros(5, 1, 2, 2), torch.zeros(5, 3)),
            TypeError,
            "net",
        ),
    ],
    "grating_stimuli": [
        _row("n_stimuli=0", lambda f, k: f(0), ValueError, "n_stimuli"),
        _row("n_stimuli float", lambda f, k: f(6.5), TypeError, "n_stimuli"),
        _row("res<0", lambda f, k: f(6, res=-1), ValueError, "res"),
    ],
    "visualize_weights": [
        _row(
            "W_out mismatched",
            lambda f, k: f(np.zeros((4, 9)), np.zeros((1, 3))),
            ValueError,
            "W_out",
        ),
        _row(
            "W_in_sorted rank 1",
            lambda f, k: f(np.zeros(4), np.zeros((1, 4))),
            ValueError,
            "W_in_sorted",
        ),
        _row("W_in_sorted str", lambda f, k: f("W", np.zeros((1, 4))), TypeError, "W_in_sorted"),
    ],
    "visualize_hidden_units": [
        _row("h mismatched", lambda f, k: f(np.zeros((4, 9)), np.zeros((3, 5))), ValueError, "h"),
        _row(
            "stimuli length",
            lambda f, k: f(np.zeros((4, 9)), np.zeros((4, 5)), np.arange(6)),
            ValueError,
            "stimuli",
        ),
        _row("h NaN", lambda f, k: f(np.zeros((4, 9)), np.full((4, 5), _nan)), ValueError, "h"),
    ],
    "plot_training_curves": [
        _row("lengths differ", lambda f, k: f(np.ones(5), np.ones(4)), ValueError, "test_loss"),
        _row(
            "train_loss NaN",
            lambda f, k: f(np.full(3, _nan), np.ones(3)),
            ValueError,
            "train_loss",
        ),
        _row("train_loss str", lambda f, k: f("loss", np.ones(3)), TypeError, "train_loss"),
    ],
    "plot_prediction": [
        _row("ax None", lambda f, k: f(None, np.ones(3), np.ones(3), np.ones(3)), TypeError, "ax"),
        _row(
            "lengths differ",
            lambda f, k: f(k.ax, np.ones(3), np.ones(4), np.ones(3)),
            ValueError,
            "y_train",
        ),
    ],
    "plot_encoder_tuning": [
        _row(
            "neuron out of range",
            lambda f, k: f(np.arange(3), np.zeros((3, 2)), np.zeros((3, 2)), [2]),
            ValueError,
            "neurons",
        ),
        _row(
            "resp_test shape",
            lambda f, k: f(np.arange(3), np.zeros((3, 2)), np.zeros((3, 3)), [0]),
            ValueError,
            "resp_test",
        ),
    ],
}


def _check_rows(check):
    """A self-check's rows: an answer that cannot be called is the one error a check raises."""
    arg = next(iter(inspect.signature(check).parameters))  # ``func``, ``cls`` or ``loss_fn``
    rows = [
        _row(f"{arg} int", lambda f, k: f(3), TypeError, arg),
        _row(f"{arg} None", lambda f, k: f(None), TypeError, arg),
        _row(f"{arg} str (the name, not the object)", lambda f, k, a=arg: f(a), TypeError, arg),
    ]
    if check.__name__ == "check_loss_choice":
        # A loss not chosen yet (None) gets a printed line that says what to choose, not an error.
        rows = [row for row in rows if row.label != f"{arg} None"]
    return rows


# Every self-check of nma_dl.checks.__all__ gets the same three rows, generated, so a new check
# cannot be forgotten.
for _name in nma_dl.checks.__all__:
    if _name.startswith("check_"):
        CASES.setdefault(_name, []).extend(_check_rows(getattr(nma_dl.checks, _name)))

# Public functions of nma_dl's modules that nma_dl does not re-export, checked here too.
MODULE_CASES = {
    "nma_dl.data.surrogate.generate": [
        _row("seed negative", lambda f, k: f(-1), ValueError, "seed"),
        _row("seed str", lambda f, k: f("2021"), TypeError, "seed"),
        _row("n_neurons 0", lambda f, k: f(n_neurons=0), ValueError, "n_neurons"),
        _row("n_neurons float", lambda f, k: f(n_neurons=50.0), TypeError, "n_neurons"),
        _row("n_trials below 360", lambda f, k: f(n_trials=359), ValueError, "n_trials"),
    ],
}

# Reliability round 2 (issue 14): absurd sizes, activations that fail later, garbage in training,
# files that are not what they claim. Added to CASES, one list per public name.
_RELIABILITY_CASES = {
    "DeepNet": [
        _row("n_hidden 1e5 on 23589 inputs", lambda f, k: f(23589, 10**5), ValueError, "n_hidden"),
    ],
    "Net": [
        _row(
            "actv GLU() halves the width", lambda f, k: f("GLU()", 4, [6], 2), ValueError, "actv"
        ),
        _row(
            "actv Softmax(dim=7)", lambda f, k: f("Softmax(dim=7)", 4, [6], 2), ValueError, "actv"
        ),
        _row(
            "hidden_unit_nums 1e5 wide",
            lambda f, k: f("ReLU()", 23589, [10**5], 2),
            ValueError,
            "hidden_unit_nums",
        ),
    ],
    "parse_activation": [
        _row("LeakyReLU('abc')", lambda f, k: f("LeakyReLU('abc')"), ValueError, "spec"),
        _row("ReLU(inplace='no')", lambda f, k: f("ReLU(inplace='no')"), ValueError, "spec"),
        _row(
            "Hardtanh(1, 0) asserts in torch", lambda f, k: f("Hardtanh(1, 0)"), ValueError, "spec"
        ),
    ],
    "sample_grid": [_row("M 1e5", lambda f, k: f(M=10**5), ValueError, "M")],
    "run_LIF": [_row("T 1e12", lambda f, k: f(1.0, T=1e12), ValueError, "T")],
    "fi_curve": [
        _row(
            "1000 currents x 1e5 steps",
            lambda f, k: f([1.0] * 1000, T=1e5),
            ValueError,
            "currents",
        )
    ],
    "stimulus_class": [
        _row("n_classes 1e9", lambda f, k: f(k.stimuli, 10**9), ValueError, "n_classes"),
    ],
    "create_spiral_dataset": [
        _row("K 1e7 arms", lambda f, k: f(10**7, 0.1, 1), ValueError, "K"),
        _row("N 1e9 points", lambda f, k: f(4, 0.1, 10**9), ValueError, "N"),
    ],
    "train": [
        _row(
            "nan in train_data",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp.clone().fill_(_nan), k.stimuli),
            ValueError,
            "train_data",
        ),
        _row(
            "custom loss broadcasts (n,) against (n, 1)",
            lambda f, k: f(k.net, lambda o, t: ((o - t) ** 2).mean(), k.resp, k.stimuli[:, 0]),
            ValueError,
            "labels",
        ),
    ],
    "gradient_step": [
        _row(
            "class label out of range",
            lambda f, k: (
                lambda net: f(net, nn.CrossEntropyLoss(), k.X, k.y + 5, k.optimizer(net))
            )(k.classifier),
            ValueError,
            "labels",
        ),
        _row(
            "optimizer over another network",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, k.optimizer(k.net)),
            ValueError,
            "optimizer",
        ),
    ],
    "accuracy": [
        _row(
            "fractional labels",
            lambda f, k: f(k.classifier, _loader(k.X, k.y.float() + 0.5)),
            ValueError,
            "labels",
        ),
    ],
    "plot_decoded_results": [
        _row(
            "n_classes 1e6",
            lambda f, k: f([1.0], [1.0], [10.0], [0], n_classes=10**6),
            ValueError,
            "n_classes",
        ),
    ],
    "plot_fi_curve": [
        _row("ylim inf", lambda f, k: f([0, 1], [0, 5], ylim=math.inf), ValueError, "ylim")
    ],
    "load_data": [
        _row("path is a text file", lambda f, k: f(path=_text_file(k)), ValueError, "path"),
    ],
}


def _loader(X, y):
    from torch.utils.data import DataLoader, TensorDataset

    return DataLoader(TensorDataset(X, y), batch_size=4)


def _text_file(kit):
    path = kit.tmp_path / "notes.npz"
    path.write_text("not an archive")
    return path


for _name, _rows in _RELIABILITY_CASES.items():
    CASES.setdefault(_name, []).extend(_rows)


# Reliability round 3 (issue 28): odd dtypes and devices, absurd sizes, ambiguous archives, a bad
# time limit for the self-checks. Added to CASES like the rows above.
def _ambiguous_npz(kit):
    """An .npz whose array resp could be read from two members, resp.npy and resp."""

    def npy(array):
        buffer = io.BytesIO()
        np.lib.format.write_array(buffer, np.asarray(array))
        return buffer.getvalue()

    path = kit.tmp_path / "ambiguous.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("resp.npy", npy(np.zeros((4, 3), np.float32)))
        archive.writestr("resp", npy(np.ones((4, 5), np.float32)))
        archive.writestr("stimuli.npy", npy([0.5, 90.5, 180.5, 270.5]))
    return path


def _with_timeout(k, value, call):
    """Run ``call()`` with the self-checks' time limit set to ``value``."""
    k.monkeypatch.setenv("NMA_DL_CHECK_TIMEOUT", value)
    return call()


_RELIABILITY3_TRAINING = {
    "train": [
        _row(
            "n_epochs 1e9",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 10**9),
            ValueError,
            "n_epochs",
        ),
        _row(
            "1e6 epochs of batch_size 1",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli, 10**6, batch_size=1),
            ValueError,
            "batch_size",
        ),
        _row(
            "train_data float64",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp.double(), k.stimuli, 1),
            TypeError,
            "train_data",
        ),
        _row(
            "test_data int64",
            lambda f, k: f(
                k.net,
                nn.MSELoss(),
                k.resp,
                k.stimuli,
                1,
                test_data=k.resp.long(),
                test_labels=k.stimuli,
            ),
            TypeError,
            "test_data",
        ),
        _row(
            "train_labels meta",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli.to("meta"), 1),
            ValueError,
            "train_labels",
        ),
        _row(
            "net meta",
            lambda f, k: f(nn.Linear(3, 1, device="meta"), nn.MSELoss(), k.resp, k.stimuli, 1),
            ValueError,
            "net",
        ),
        _row(
            "net with a nan weight",
            lambda f, k: f(_nan_net(), nn.MSELoss(), k.resp, k.stimuli, 1),
            ValueError,
            "net",
        ),
    ],
    "gradient_step": [
        _row(
            "data bfloat16",
            lambda f, k: (
                lambda net: f(net, nn.MSELoss(), k.resp.bfloat16(), k.stimuli, k.optimizer(net))
            )(k.net),
            TypeError,
            "data",
        ),
        _row(
            "data meta",
            lambda f, k: (
                lambda net: f(net, nn.MSELoss(), k.resp.to("meta"), k.stimuli, k.optimizer(net))
            )(k.net),
            ValueError,
            "data",
        ),
        _row(
            "net meta",
            lambda f, k: (lambda net: f(net, nn.MSELoss(), k.resp, k.stimuli, k.optimizer(net)))(
                nn.Linear(3, 1, device="meta")
            ),
            ValueError,
            "net",
        ),
    ],
    "evaluate_loss": [
        _row(
            "data bool",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp > 0, k.stimuli),
            TypeError,
            "data",
        ),
        _row(
            "labels meta",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli.to("meta")),
            ValueError,
            "labels",
        ),
    ],
    "accuracy": [
        _row(
            "inputs meta",
            lambda f, k: f(k.classifier, _loader(k.X.to("meta"), k.y)),
            ValueError,
            "inputs",
        ),
        _row(
            "net meta",
            lambda f, k: f(nn.Linear(2, 2, device="meta"), k.loader),
            ValueError,
            "net",
        ),
    ],
    "train_test_classification": [
        _row(
            "num_epochs 1e9",
            lambda f, k: (
                lambda net: f(
                    net,
                    nn.CrossEntropyLoss(),
                    k.optimizer(net),
                    k.loader,
                    k.loader,
                    num_epochs=10**9,
                    verbose=False,
                )
            )(k.classifier),
            ValueError,
            "num_epochs",
        ),
        _row(
            "labels meta",
            lambda f, k: (
                lambda net: f(
                    net,
                    nn.CrossEntropyLoss(),
                    k.optimizer(net),
                    _loader(k.X, k.y.to("meta")),
                    k.loader,
                    verbose=False,
                )
            )(k.classifier),
            ValueError,
            "labels",
        ),
    ],
    "decode_orientation": [
        _row(
            "train_data with a nan column (a constant neuron, z-scored)",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                _nan_column(k.resp),
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),
            ValueError,
            "train_data",
        ),
        _row(
            "test_labels inf",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli.clone().fill_(math.inf),
                n_iter=1,
            ),
            ValueError,
            "test_labels",
        ),
        _row(
            "n_iter 1e9",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=10**9,
            ),
            ValueError,
            "n_iter",
        ),
        _row(
            "train_data float64",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp.double(),
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),
            TypeError,
            "train_data",
        ),
        _row(
            "test_data meta",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp.to("meta"),
                k.stimuli,
                n_iter=1,
            ),
            ValueError,
            "test_data",
        ),
        _row(
            "n_classes above the network's 2 outputs",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                5,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),
            ValueError,
            "n_classes",
        ),
        _row(
            "train_labels bool",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli > 100,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),
            TypeError,
            "train_labels",
        ),
        _row(
            "train_labels above 360",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli + 100,
                k.resp,
                k.stimuli,
                n_iter=1,
            ),
            ValueError,
            "train_labels",
        ),
        _row(
            "test_data empty",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nn.NLLLoss(),
                k.resp,
                k.stimuli,
                k.resp[:0],
                k.stimuli[:0],
                n_iter=1,
            ),
            ValueError,
            "test_data",
        ),
        _row(
            "L2_penalty 100 diverges",
            lambda f, k: f(
                nma_dl.DeepNetSoftmax(3, 2, 2),
                2,
                nma_dl.regularized_loss,
                k.resp,
                k.stimuli,
                k.resp,
                k.stimuli,
                n_iter=200,
                L2_penalty=100.0,
            ),
            ValueError,
            "L2_penalty",
        ),
    ],
    "train_encoder": [
        _row(
            "n_iter 1e9",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4), torch.zeros(5, 1, 2, 2), torch.zeros(5, 3), n_iter=10**9
            ),
            ValueError,
            "n_iter",
        ),
        _row(
            "train_labels with a nan column (a constant neuron, z-scored)",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2),
                _nan_column(torch.zeros(5, 3)),
                n_iter=1,
            ),
            ValueError,
            "train_labels",
        ),
        _row(
            "train_data int64",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2, dtype=torch.long),
                torch.zeros(5, 3),
                n_iter=1,
            ),
            TypeError,
            "train_data",
        ),
        _row(
            "train_labels for 4 neurons, the network predicts 3",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4), torch.zeros(5, 1, 2, 2), torch.zeros(5, 4), n_iter=1
            ),
            ValueError,
            "train_labels",
        ),
        _row(
            "test_labels meta",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2),
                torch.zeros(5, 3),
                torch.zeros(5, 1, 2, 2),
                torch.zeros(5, 3, device="meta"),
                n_iter=1,
            ),
            ValueError,
            "test_labels",
        ),
        _row(
            "train_data empty",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4), torch.zeros(0, 1, 2, 2), torch.zeros(0, 3), n_iter=1
            ),
            ValueError,
            "train_data",
        ),
        _row(
            "learning_rate 1e6 diverges",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.ones(5, 1, 2, 2),
                torch.ones(5, 3),
                learning_rate=1e6,
                n_iter=20,
                verbose=False,
            ),
            ValueError,
            "learning_rate",
        ),
    ],
    "grating_stimuli": [
        _row("n_stimuli 1e7", lambda f, k: f(10**7), ValueError, "n_stimuli"),
        _row("res 20: 9600 x 12800 images", lambda f, k: f(4, res=20.0), ValueError, "res"),
    ],
}


def _nan_column(resp, column=1):
    """``resp`` with one column NaN: what z-scoring a neuron that never varies gives."""
    resp = resp.clone()
    resp[:, column] = _nan
    return resp


def _nan_net():
    net = nn.Linear(3, 1)
    nn.init.constant_(net.weight, _nan)
    return net


# Reliability round 3 (analysis, plotting, stimuli, convolution): crashes, hangs, meta tensors.
_RELIABILITY3_ANALYSIS = {
    "RDM": [
        _row(
            "resp.T: 23589 neurons as rows",
            lambda f, k: f(np.ones((23589, 180), np.float32)),
            ValueError,
            "resp",
        ),
        _row("resp meta", lambda f, k: f(torch.empty(4, 3, device="meta")), ValueError, "resp"),
    ],
    "correlate_rdms": [
        _row(
            "rdm2 meta",
            lambda f, k: f(np.eye(3), torch.empty(3, 3, device="meta")),
            ValueError,
            "rdm2",
        ),
    ],
    "reduce_dimensions": [
        _row("resp all zeros (dead ReLUs)", lambda f, k: f(np.zeros((8, 3))), ValueError, "resp"),
        _row("resp meta", lambda f, k: f(torch.empty(8, 3, device="meta")), ValueError, "resp"),
    ],
    "preferred_orientation": [
        _row("sigma 1e9", lambda f, k: f(np.zeros((4, 2)), 1e9), ValueError, "sigma"),
        _row(
            "sigma 1e6 on 360 x 2000",
            lambda f, k: f(np.zeros((360, 2000)), 1e6),
            ValueError,
            "sigma",
        ),
        _row("resp meta", lambda f, k: f(torch.empty(4, 2, device="meta")), ValueError, "resp"),
    ],
    "get_hidden_activity": [
        _row(
            "stimuli bfloat16",
            lambda f, k: f(nn.Sequential(k.net), k.resp.bfloat16(), ["0"]),
            TypeError,
            "stimuli",
        ),
        _row(
            "stimuli meta",
            lambda f, k: f(nn.Sequential(k.net), torch.empty(10, 3, device="meta"), ["0"]),
            ValueError,
            "stimuli",
        ),
        _row(
            "one stimulus, 1-D",
            lambda f, k: f(nn.Sequential(k.net), k.resp[0], ["0"]),
            ValueError,
            "stimuli",
        ),
        _row(
            "a layer that never runs",
            lambda f, k: f(
                (lambda net: (net[0].add_module("extra", nn.Linear(1, 1)), net)[1])(
                    nn.Sequential(k.net)
                ),
                k.resp,
                ["0.extra"],
            ),
            ValueError,
            "layer_labels",
        ),
        _row(
            "a layer that runs twice",
            lambda f, k: (
                lambda relu: f(
                    nn.Sequential(nn.Linear(3, 3), relu, nn.Linear(3, 3), relu), k.resp, ["1"]
                )
            )(nn.ReLU()),
            ValueError,
            "layer_labels",
        ),
        _row(
            "a layer with tuple output",
            lambda f, k: f(nn.Sequential(nn.LSTM(3, 4)), k.resp, ["0"]),
            TypeError,
            "layer_labels",
        ),
        _row(
            "net meta",
            lambda f, k: f(nn.Sequential(nn.Linear(3, 1, device="meta")), k.resp, ["0"]),
            ValueError,
            r"\bnet\b",
        ),
    ],
    "stimulus_class": [
        _row("ori meta", lambda f, k: f(torch.empty(3, 1, device="meta"), 4), ValueError, "ori"),
    ],
    "conv2d": [
        _row(
            "kernel on another device",
            lambda f, k: f(torch.ones(5, 5), torch.empty(3, 3, device="meta")),
            ValueError,
            "kernel",
        ),
        _row(
            "3000 x 3000 image, 101 x 101 kernel",
            lambda f, k: f(torch.zeros(3000, 3000), torch.zeros(101, 101)),
            ValueError,
            "image",
        ),
    ],
    "grating": [_row("res 1000", lambda f, k: f(0, res=1000), ValueError, "res")],
    "gabor": [_row("K 100001", lambda f, k: f(100001, 0, 10, 2), ValueError, "K")],
    "filters": [
        _row("out_channels 1e7", lambda f, k: f(out_channels=10**7), ValueError, "out_channels")
    ],
    "simple_and_complex_cells": [
        _row("K 100001", lambda f, k: f(torch.zeros(1, 8, 8), K=100001), ValueError, "K"),
    ],
    "plot_train_loss": [
        _row("complex losses", lambda f, k: f(np.ones(3) + 1j), TypeError, "train_loss"),
        _row(
            "meta losses", lambda f, k: f(torch.empty(3, device="meta")), ValueError, "train_loss"
        ),
    ],
    "plot_multiple_rdm": [
        _row("a complex RDM", lambda f, k: f({"a": np.eye(3) * 1j}), TypeError, "rdm_dict"),
    ],
    "plot_tuning": [
        _row(
            "None among the responses",
            lambda f, k: f({"a": np.full((4, 2), None)}, np.arange(4.0)),
            TypeError,
            "resp_dict",
        ),
    ],
    "plot_resp_lowd": [
        _row(
            "a layer of dead ReLUs (all zeros)",
            lambda f, k: f({"fc": np.zeros((8, 3))}, np.arange(8.0)),
            ValueError,
            "resp_dict",
        ),
    ],
    "plot_encoder_tuning": [
        _row(
            "neurons 1.5",
            lambda f, k: f(np.arange(4.0), np.ones((4, 3)), np.ones((4, 3)), [1.5]),
            ValueError,
            "neurons",
        ),
        _row(
            "neurons a boolean mask",
            lambda f, k: f(np.arange(4.0), np.ones((4, 3)), np.ones((4, 3)), np.ones(3, bool)),
            TypeError,
            "neurons",
        ),
    ],
    "plot_weights": [
        _row(
            "channels meta",
            lambda f, k: f(np.ones((2, 1, 3, 3)), channels=torch.empty(1, device="meta")),
            ValueError,
            "channels",
        ),
    ],
}


_RELIABILITY3_LOSSES_NEURONS = {
    "cross_entropy_loss": [
        _row(
            "meta x",
            lambda f, k: f(torch.empty(2, 3, device="meta"), torch.tensor([0, 1])),
            ValueError,
            r"\bx\b",
        ),
        _row(
            "meta labels",
            lambda f, k: f(torch.zeros(2, 3), torch.empty(2, dtype=torch.long, device="meta")),
            ValueError,
            "labels",
        ),
    ],
    "penalty_terms": [
        _row(
            "bool weights",
            lambda f, k: f(torch.ones(3, dtype=torch.bool), 0.1),
            TypeError,
            "weights",
        ),
        _row(
            "int8 weights (squares wrap)",
            lambda f, k: f(torch.tensor([20], dtype=torch.int8), 1.0),
            TypeError,
            "weights",
        ),
        _row(
            "complex weights",
            lambda f, k: f(torch.ones(3, dtype=torch.complex64), 0.1, 0.1),
            TypeError,
            "weights",
        ),
        _row(
            "meta weights",
            lambda f, k: f(torch.empty(3, device="meta"), 0.1),
            ValueError,
            "weights",
        ),
    ],
    "regularized_loss": [
        _row(
            "complex output",
            lambda f, k: f(torch.zeros(2, 3, dtype=torch.complex64), k.y[:2], torch.ones(3)),
            TypeError,
            "output",
        ),
        _row(
            "int64 output",
            lambda f, k: f(torch.zeros(2, 3, dtype=torch.long), k.y[:2], torch.ones(3)),
            TypeError,
            "output",
        ),
        _row(
            "bool output",
            lambda f, k: f(torch.zeros(2, 3, dtype=torch.bool), k.y[:2], torch.ones(3)),
            TypeError,
            "output",
        ),
        _row(
            "meta output",
            lambda f, k: f(torch.empty(2, 3, device="meta"), k.y[:2], torch.ones(3)),
            ValueError,
            "output",
        ),
        _row(
            "meta target",
            lambda f, k: f(
                torch.zeros(2, 3), torch.empty(2, dtype=torch.long, device="meta"), torch.ones(3)
            ),
            ValueError,
            "target",
        ),
        _row(
            "float target",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0.0, 1.0]), torch.ones(3)),
            TypeError,
            "target",
        ),
        _row(
            "target >= n_classes",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([0, 3]), torch.ones(3)),
            ValueError,
            "target",
        ),
        _row(
            "target (n, 1)",
            lambda f, k: f(torch.zeros(2, 3), torch.tensor([[0], [1]]), torch.ones(3)),
            ValueError,
            "target",
        ),
        _row(
            "empty batch",
            lambda f, k: f(torch.zeros(0, 3), torch.zeros(0, dtype=torch.long), torch.ones(3)),
            ValueError,
            "output",
        ),
        _row(
            "meta weights",
            lambda f, k: f(torch.zeros(2, 3), k.y[:2], torch.empty(3, device="meta"), 0.1),
            ValueError,
            "weights",
        ),
    ],
    "regularized_MSE_loss": [
        _row(
            "complex output",
            lambda f, k: f(torch.ones(2, dtype=torch.complex64), torch.zeros(2)),
            TypeError,
            "output",
        ),
        _row(
            "complex target",
            lambda f, k: f(torch.ones(2), torch.zeros(2, dtype=torch.complex64)),
            TypeError,
            "target",
        ),
        _row(
            "bool output",
            lambda f, k: f(torch.ones(2, dtype=torch.bool), torch.zeros(2)),
            TypeError,
            "output",
        ),
        _row(
            "int output and target",
            lambda f, k: f(torch.ones(2, dtype=torch.long), torch.zeros(2, dtype=torch.long)),
            TypeError,
            "output",
        ),
        _row(
            "meta output",
            lambda f, k: f(torch.empty(2, device="meta"), torch.zeros(2)),
            ValueError,
            "output",
        ),
        _row(
            "meta target",
            lambda f, k: f(torch.zeros(2), torch.empty(2, device="meta")),
            ValueError,
            "target",
        ),
        _row(
            "empty output and target",
            lambda f, k: f(torch.zeros(0, 3), torch.zeros(0, 3)),
            ValueError,
            "output",
        ),
    ],
    "spike_count": [
        _row(
            "complex Vm",
            lambda f, k: f(torch.ones(3, dtype=torch.complex64)),
            TypeError,
            r"\bVm\b",
        ),
        _row("bool Vm", lambda f, k: f(torch.ones(3, dtype=torch.bool)), TypeError, r"\bVm\b"),
        _row("meta Vm", lambda f, k: f(torch.empty(3, device="meta")), ValueError, r"\bVm\b"),
        _row(
            "meta Vth",
            lambda f, k: f(torch.zeros(3), torch.tensor(1.0, device="meta")),
            ValueError,
            r"\bVth\b",
        ),
        _row("nan in Vm", lambda f, k: f(torch.tensor([0.0, _nan, 2.0])), ValueError, r"\bVm\b"),
    ],
    "run_LIF": [
        _row("meta I", lambda f, k: f(torch.tensor(1.5, device="meta")), ValueError, r"\bI\b"),
        _row(
            "meta Rm",
            lambda f, k: f(1.5, Rm=torch.tensor(1.0, device="meta")),
            ValueError,
            r"\bRm\b",
        ),
        _row(
            "overflows to nan (tiny Cm)",
            lambda f, k: f(-1.0, T=10, dt=1, Cm=1e-310),
            ValueError,
            r"\bdt\b",
        ),
    ],
    "fi_curve": [
        _row(
            "meta currents", lambda f, k: f(torch.empty(3, device="meta")), ValueError, "currents"
        ),
        _row(
            "meta Rm",
            lambda f, k: f([1.0], T=10, Rm=torch.tensor(1.0, device="meta")),
            ValueError,
            r"\bRm\b",
        ),
    ],
}


_RELIABILITY3_HOUSE_TRAINING = {
    "train": [
        _row(
            "train_labels complex",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli.to(torch.complex64), 1),
            TypeError,
            "train_labels",
        ),
        _row(
            "train_labels bool",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli > 0, 1),
            TypeError,
            "train_labels",
        ),
        _row(
            "test_labels bool",
            lambda f, k: f(
                k.net,
                nn.MSELoss(),
                k.resp,
                k.stimuli,
                1,
                test_data=k.resp,
                test_labels=k.stimuli > 0,
            ),
            TypeError,
            "test_labels",
        ),
    ],
    "gradient_step": [
        _row(
            "int16 class labels for NLLLoss (torch wants int64)",
            lambda f, k: (lambda net: f(net, nn.NLLLoss(), k.X, k.y.short(), k.optimizer(net)))(
                k.classifier
            ),
            TypeError,
            "labels",
        ),
        _row(
            "labels complex",
            lambda f, k: (
                lambda net: f(
                    net, nn.MSELoss(), k.resp, k.stimuli.to(torch.complex64), k.optimizer(net)
                )
            )(k.net),
            TypeError,
            "labels",
        ),
    ],
    "train_encoder": [
        _row(
            "train_labels complex",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2),
                torch.zeros(5, 3, dtype=torch.complex64),
                n_iter=1,
            ),
            TypeError,
            "train_labels",
        ),
        _row(
            "train_labels bool",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2),
                torch.zeros(5, 3, dtype=torch.bool),
                n_iter=1,
            ),
            TypeError,
            "train_labels",
        ),
        _row(
            "train_data complex",
            lambda f, k: f(
                nma_dl.ConvFC(3, b=4),
                torch.zeros(5, 1, 2, 2, dtype=torch.complex64),
                torch.zeros(5, 3),
                n_iter=1,
            ),
            TypeError,
            "train_data",
        ),
    ],
    "evaluate_loss": [
        _row(
            "int32 class labels (torch wants int64)",
            lambda f, k: f(k.classifier, nn.CrossEntropyLoss(), k.X, k.y.int()),
            TypeError,
            "labels",
        ),
        _row(
            "labels bool",
            lambda f, k: f(k.net, nn.MSELoss(), k.resp, k.stimuli > 0),
            TypeError,
            "labels",
        ),
    ],
}


_RELIABILITY3_MODELS_SIZE = {
    "CNN": [
        _row(
            "h_in, w_in 1e5 (150 GB of fc weights)",
            lambda f, k: f(10**5, 10**5),
            ValueError,
            "h_in",
        ),
        _row("h_in 2**40", lambda f, k: f(2**40, 8), ValueError, "h_in"),
        _row("w_in 2**40", lambda f, k: f(8, 2**40), ValueError, "w_in"),
        _row(
            "x sparse",
            lambda f, k: f(16, 16)(torch.zeros(2, 16, 16).to_sparse()),
            TypeError,
            r"\bx\b",
        ),
    ],
    "ConvFC": [
        _row(
            "c_in 1e5, c_out 1e3, K 101 (a convolution of 1e12 weights)",
            lambda f, k: f(10**3, c_in=10**5, c_out=10**3, K=101),
            ValueError,
            "c_in",
        ),
        _row(
            "K 100001 (6e10 convolution weights)", lambda f, k: f(5, K=10**5 + 1), ValueError, "K"
        ),
        _row(
            "s sparse",
            lambda f, k: f(3, b=16)(torch.zeros(2, 1, 4, 4).to_sparse()),
            TypeError,
            "s",
        ),
    ],
    "ConvolutionalLayer": [
        _row(
            "c_in 1e5, c_out 1e3, K 101",
            lambda f, k: f(c_in=10**5, c_out=10**3, K=101),
            ValueError,
            "c_in",
        ),
        _row("K 100001", lambda f, k: f(K=10**5 + 1), ValueError, "K"),
        _row(
            "s sparse",
            lambda f, k: f()(torch.zeros(2, 1, 8, 8).to_sparse()),
            TypeError,
            "s",
        ),
    ],
    "Net": [
        _row("x sparse", lambda f, k: f("ReLU()", 3, [4], 1)(k.resp.to_sparse()), TypeError, "x"),
    ],
    "approximate_function": [
        _row(
            "meta x_train",
            lambda f, k: f(torch.arange(3.0, device="meta"), torch.zeros(3)),
            ValueError,
            "x_train",
        ),
        _row(
            "meta y_train",
            lambda f, k: f(torch.arange(3.0), torch.zeros(3, device="meta")),
            ValueError,
            "y_train",
        ),
        _row(
            "sparse x_train",
            lambda f, k: f(torch.arange(3.0).to_sparse(), torch.zeros(3)),
            TypeError,
            "x_train",
        ),
        _row(
            "n_points 1e12 (4 TB of ReLU activations)",
            lambda f, k: f(torch.arange(3.0), torch.zeros(3), n_points=10**12),
            ValueError,
            "n_points",
        ),
        _row(
            "x_train 1e300 in float64 (inf in float32)",
            lambda f, k: f(torch.tensor([0.0, 1e300], dtype=torch.float64), torch.zeros(2)),
            ValueError,
            r"^x_train must be finite",
        ),
    ],
}


_RELIABILITY3_CASES = {
    "get_data": [
        _row("n_stim 1e9", lambda f, k: f(10**9, k.resp, k.stimuli), ValueError, "n_stim"),
    ],
    "train_test_split": [
        _row(
            "1e9 rows made with expand (no memory until copied)",
            lambda f, k: f(k.resp[:1].expand(10**9, 3), k.stimuli[:1].expand(10**9, 1)),
            ValueError,
            "resp",
        ),
    ],
    "tilt_range": [
        _row("bool stimuli", lambda f, k: f(k.resp, k.stimuli > 100), TypeError, "stimuli"),
        _row(
            "complex stimuli",
            lambda f, k: f(k.resp, k.stimuli.to(torch.complex64)),
            TypeError,
            "stimuli",
        ),
        _row(
            "uint8 stimuli (tilts would wrap)",
            lambda f, k: f(k.resp, k.stimuli.to(torch.uint8)),
            TypeError,
            "stimuli",
        ),
        _row(
            "int8 stimuli (180 does not fit)",
            lambda f, k: f(k.resp, k.stimuli.clamp(max=120).to(torch.int8)),
            TypeError,
            "stimuli",
        ),
        _row("meta stimuli", lambda f, k: f(k.resp, k.stimuli.to("meta")), ValueError, "stimuli"),
    ],
    "DeepNet": [
        _row("meta r", lambda f, k: f(3, 2)(k.resp.to("meta")), ValueError, "r"),
        _row(
            "weights on meta, r on cpu", lambda f, k: f(3, 2).to("meta")(k.resp), ValueError, "r"
        ),
    ],
    "DeepNetReLU": [
        _row("meta r", lambda f, k: f(3, 2)(k.resp.to("meta")), ValueError, "r"),
    ],
    "DeepNetSoftmax": [
        _row("meta r", lambda f, k: f(3, 2, 2)(k.resp.to("meta")), ValueError, "r"),
    ],
    "Net": [
        _row("meta x", lambda f, k: f("ReLU()", 3, [4], 1)(k.resp.to("meta")), ValueError, "x"),
    ],
    "ConvFC": [
        _row(
            "meta s",
            lambda f, k: f(3, b=16)(torch.zeros(2, 1, 4, 4, device="meta")),
            ValueError,
            "s",
        ),
    ],
    "CNN": [
        _row(
            "meta x",
            lambda f, k: f(16, 16)(torch.zeros(2, 16, 16, device="meta")),
            ValueError,
            "x",
        ),
    ],
    "load_data": [
        _row(
            "resp in two members (resp.npy and resp)",
            lambda f, k: f(path=_ambiguous_npz(k)),
            ValueError,
            "path",
        ),
    ],
    "check_train": [
        _row(
            "NMA_DL_CHECK_TIMEOUT 0",
            lambda f, k: _with_timeout(k, "0", lambda: f(nma_dl.train)),
            ValueError,
            "NMA_DL_CHECK_TIMEOUT",
        ),
        _row(
            "NMA_DL_CHECK_TIMEOUT not a number",
            lambda f, k: _with_timeout(k, "ten", lambda: f(nma_dl.train)),
            ValueError,
            "NMA_DL_CHECK_TIMEOUT",
        ),
    ],
    "check_DeepNetReLU": [
        _row(
            "NMA_DL_CHECK_TIMEOUT nan",
            lambda f, k: _with_timeout(k, "nan", lambda: f(nma_dl.DeepNetReLU)),
            ValueError,
            "NMA_DL_CHECK_TIMEOUT",
        ),
    ],
    "check_conv2d": [
        _row(
            "NMA_DL_CHECK_TIMEOUT above 1e6 s",
            lambda f, k: _with_timeout(k, "1e9", lambda: f(nma_dl.conv2d)),
            ValueError,
            "NMA_DL_CHECK_TIMEOUT",
        ),
    ],
}

for _table in (
    _RELIABILITY3_CASES,
    _RELIABILITY3_TRAINING,
    _RELIABILITY3_ANALYSIS,
    _RELIABILITY3_LOSSES_NEURONS,
    _RELIABILITY3_HOUSE_TRAINING,
    _RELIABILITY3_MODELS_SIZE,
):
    for _name, _rows in _table.items():
        CASES.setdefault(_name, []).extend(_rows)


def _resolve(name):
    """The object called by a row, or None when it is not public (anymore, or yet)."""
    if name.startswith("nma_dl."):
        import importlib

        module, _, attr = name.rpartition(".")
        return getattr(importlib.import_module(module), attr, None)
    return getattr(nma_dl, name) if name in nma_dl.__all__ else None


def _public_callables():
    """Names of nma_dl.__all__ that can be called with arguments (not constants, exceptions)."""
    names = []
    for name in nma_dl.__all__:
        value = getattr(nma_dl, name)
        if not callable(value):
            continue  # a constant such as SURROGATE_DESCRIPTION
        if isinstance(value, type) and issubclass(value, BaseException):
            continue  # an exception class such as DataUnavailableError: raised, not called
        names.append(name)
    return names


def _params():
    params = []
    for table in (CASES, MODULE_CASES):
        for name, rows in table.items():
            exported = name.startswith("nma_dl.") or name in nma_dl.__all__
            for row in rows:
                marks = [pytest.mark.bad_input]
                if not exported:
                    marks.append(pytest.mark.skip(reason=f"{name} is not in nma_dl.__all__"))
                elif row.gap:
                    reason = f"GAP in {name}: {row.gap}"
                    marks.append(pytest.mark.xfail(strict=True, reason=reason))
                params.append(pytest.param(name, row, marks=marks, id=f"{name}: {row.label}"))
    return params


def _pattern(arg):
    """Regex that finds ``arg`` as a name in a message (not inside a longer identifier)."""
    if arg.startswith("\\b") or arg != re.escape(arg):
        return arg  # already a regex
    return rf"(?<![A-Za-z0-9_]){re.escape(arg)}(?![A-Za-z0-9_])"


@pytest.fixture
def kit(tmp_path, monkeypatch):
    yield _Kit(tmp_path, monkeypatch)
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize("name, row", _params())
def test_bad_input_is_rejected_naming_the_argument(name, row, kit, capsys):
    function = _resolve(name)
    with pytest.raises(row.error, match=_pattern(row.arg)):
        row.call(function, kit)


def test_every_row_expects_an_error_the_caller_can_act_on():
    # A plain ValueError or TypeError (or a subclass), never a bare Exception or a torch error.
    wrong = [
        f"{name}: {row.label}"
        for table in (CASES, MODULE_CASES)
        for name, rows in table.items()
        for row in rows
        if not all(
            issubclass(error, (ValueError, TypeError))
            for error in (row.error if isinstance(row.error, tuple) else (row.error,))
        )
    ]
    assert not wrong, f"rows that expect another error: {wrong}"


def test_every_public_function_has_bad_inputs():
    missing = [name for name in _public_callables() if not CASES.get(name)]
    assert not missing, (
        f"public functions of nma_dl without bad-input rows in tests/package/test_bad_input.py: "
        f"{missing}. Add rows to CASES (wrong type, rank/shape, dtype, out-of-range values)."
    )


def test_the_table_is_not_trivially_small():
    # Every callable taking arguments has at least two rows; argument-less ones have one.
    thin = []
    for name in _public_callables():
        value = getattr(nma_dl, name)
        try:
            takes_arguments = bool(inspect.signature(value).parameters)
        except (TypeError, ValueError):
            takes_arguments = True
        if takes_arguments and len(CASES.get(name, [])) < 2:
            thin.append(name)
    assert not thin, f"give these functions at least two bad-input rows: {thin}"
