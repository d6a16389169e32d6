"""Session-wide guarantees for every test run.

* No network: outbound connections are refused except to loopback
  (``--allow-hosts`` from pytest-socket, set in ``pyproject.toml``), so a test
  that would reach OSF fails instead of silently depending on the internet.
* Offline data: ``NMA_DL_DATA_SOURCE=synthetic`` unless the caller chose
  otherwise, and a per-session cache folder so tests never touch a user's cache.
* No trace between tests: matplotlib's settings and figures and torch's thread count are put
  back after each test.
* A count of the bad inputs the suite fed to public functions (tests marked
  ``bad_input``), printed at the end of the run.
* The two networks that several test files examine, each trained once per session (per
  pytest-xdist worker) with its tutorial's seeds and settings: :func:`spiral_net` (W1D3) and
  :func:`tilt_cnn` (W1D5 Tutorial 3). Tests read them and never train or change them further.
"""

import os
from types import SimpleNamespace

import _pages  # tests/: the one reader and runner of the book's pages
import matplotlib
import pytest

os.environ.setdefault("NMA_DL_DATA_SOURCE", "synthetic")
# Agg for this process only: an MPLBACKEND variable would leak into the Jupyter kernels that
# notebook tests start, and there it would suppress the inline figures.
matplotlib.use("Agg")


@pytest.fixture(scope="session", autouse=True)
def _data_cache(tmp_path_factory):
    """Point the data cache at a session folder unless one was given."""
    if "NMA_DL_DATA_DIR" in os.environ:
        yield os.environ["NMA_DL_DATA_DIR"]
        return
    path = tmp_path_factory.mktemp("nma_dl_data")
    os.environ["NMA_DL_DATA_DIR"] = str(path)
    yield str(path)
    del os.environ["NMA_DL_DATA_DIR"]


@pytest.fixture(autouse=True)
def _leave_no_trace():
    """Each test starts from matplotlib's settings, figures and torch's thread count as the
    session had them: a test that draws, styles or runs a page's setup cell (which sets one
    torch thread) would otherwise change the numbers and figures of later tests in its worker.
    """
    import matplotlib.pyplot as plt
    import torch

    threads = torch.get_num_threads()
    with matplotlib.rc_context():
        yield
    plt.close("all")
    torch.set_num_threads(threads)


SPIRAL_SEED = 2021


@pytest.fixture(scope="session")
def spiral_net():
    """W1D3 Tutorial 1's run: its seeds, split, loaders, network, optimiser and training plot.

    ``Net("ReLU()", 2, [128], 4)`` trained with Adam (lr 1e-3) for 100 epochs on batches of 128
    of the 4-arm spiral (1000 points an arm). Returns the trained ``net``, the ``accs`` (train,
    test) the trainer returned, the test set ``X_test``, ``y_test``, and the training plot's
    axis labels and curve (``xlabel``, ``ylabel``, ``loss``).
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from torch import nn, optim

    from nma_dl.data.toy import create_spiral_dataset, make_loaders, shuffle_and_split_data
    from nma_dl.device import set_seed
    from nma_dl.models import Net
    from nma_dl.training import train_test_classification

    with _pages.isolated(threads=1):
        set_seed(SPIRAL_SEED)
        X, y = create_spiral_dataset(4, 0.16, 1000)
        X_test, y_test, X_train, y_train = shuffle_and_split_data(X, y, seed=SPIRAL_SEED)
        train_loader, test_loader = make_loaders(
            X_train, y_train, X_test, y_test, batch_size=128, seed=SPIRAL_SEED
        )
        set_seed(SPIRAL_SEED)
        net = Net("ReLU()", 2, [128], 4)
        accs = train_test_classification(
            net,
            nn.CrossEntropyLoss(),
            optim.Adam(net.parameters(), lr=1e-3),
            train_loader,
            test_loader,
            num_epochs=100,
            verbose=False,
            training_plot=True,
        )
        fig = plt.gcf()  # the trainer's new figure
        (ax,) = fig.axes
        (line,) = ax.lines
        plot = {
            "xlabel": ax.get_xlabel(),
            "ylabel": ax.get_ylabel(),
            "loss": np.asarray(line.get_ydata(), dtype=float),
        }
        plt.close(fig)
    return SimpleNamespace(net=net, accs=accs, X_test=X_test, y_test=y_test, **plot)


@pytest.fixture(scope="session")
def tilt_cnn():
    """W1D5 Tutorial 3's network, trained as the page trains it: is a grating tilted right?

    ``CNN(48, 64)`` after seeding NumPy's and torch's global generators with 12, trained with
    binary cross-entropy for 25 epochs (lr 5e-4, momentum 0.99, batches of 100) on 1000 gratings
    at uniform orientations in [-90, 90). Returns the trained ``net`` and its ``losses``.
    """
    import numpy as np
    import torch
    from torch import nn

    from nma_dl import CNN, grating, train

    with _pages.isolated(threads=1):
        np.random.seed(12)
        torch.manual_seed(12)
        net = CNN(48, 64)
        ori = (np.random.rand(1000) - 0.5) * 180
        stimuli = torch.stack([grating(a) for a in ori])
        tilt = torch.tensor(ori > 0, dtype=torch.float32).unsqueeze(-1)
        losses = train(net, nn.BCELoss(), stimuli, tilt, 25, 5e-4, momentum=0.99, batch_size=100)
    return SimpleNamespace(net=net, losses=losses)


_bad_inputs = {"passed": 0, "failed": 0}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "bad_input: feeds invalid input and expects a clear ValueError/TypeError"
    )


def pytest_runtest_logreport(report):
    if report.when == "call" and "bad_input" in report.keywords:
        _bad_inputs["passed" if report.passed else "failed"] += 1


def pytest_terminal_summary(terminalreporter):
    total = _bad_inputs["passed"] + _bad_inputs["failed"]
    if total:
        terminalreporter.write_line(
            f"bad inputs tried: {total}, handled with a clear error: {_bad_inputs['passed']}"
        )
