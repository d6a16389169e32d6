"""Pick the compute device and make runs repeatable.

Three helpers that every tutorial calls near its top:

* :func:`set_device` chooses ``"cuda"``, ``"mps"`` or ``"cpu"`` and says which;
* :func:`set_seed` seeds Python, NumPy and PyTorch at once;
* :func:`seed_worker` seeds the workers of a ``torch.utils.data.DataLoader``.
"""

import random
from numbers import Integral

import numpy as np
import torch

from nma_dl._validate import MAX_SEED, Interval, validate_instance, validate_int
from nma_dl.i18n import tr

__all__ = ["seed_worker", "set_device", "set_seed"]

_SEEDS = "in [0, 2**32)"


def _mps_available():
    # torch.backends.mps exists from torch 1.12 on; stay safe on builds without it.
    mps = getattr(torch.backends, "mps", None)
    return mps is not None and mps.is_available()


def set_device():
    """Return the best available device and print one line saying which.

    Returns
    -------
    str
        ``"cuda"`` if an NVIDIA GPU is usable, else ``"mps"`` on an Apple GPU,
        else ``"cpu"``. Pass it to ``tensor.to(...)`` or ``net.to(...)``.

    Examples
    --------
    On a machine without a GPU:

    >>> device = set_device()  # doctest: +ELLIPSIS
    No GPU found: running on the CPU. ...
    >>> device
    'cpu'
    """
    if torch.cuda.is_available():
        print(tr("GPU (CUDA) is enabled in this notebook."))
        return "cuda"
    if _mps_available():
        print(tr("Apple GPU (MPS) is enabled in this notebook."))
        return "mps"
    print(
        tr(
            "No GPU found: running on the CPU. To use a GPU, choose Runtime -> Change runtime "
            "type -> GPU in Colab, or Settings -> Accelerator -> GPU in Kaggle; the tutorials "
            "also run on the CPU, only slower."
        )
    )
    return "cpu"


def set_seed(seed=None, seed_torch=True):
    """Seed the random number generators of Python, NumPy and (optionally) PyTorch.

    Parameters
    ----------
    seed : int or None, default=None
        The seed, an integer in ``[0, 2**32)``. ``None`` draws one at random
        from NumPy's global generator, so the run can still be repeated later
        with the printed value.
    seed_torch : bool, default=True
        Also seed PyTorch (CPU and every GPU) and make cuDNN deterministic
        (``benchmark=False``, ``deterministic=True``), which trades a little
        speed for repeatable results on a GPU.

    Returns
    -------
    int
        The seed that was set.

    Examples
    --------
    >>> set_seed(4)
    Random seed 4 has been set.
    4
    """
    if seed is None:
        seed = int(np.random.choice(2**32))  # noqa: NPY002 (as the original course draws it)
    seed = validate_int(
        seed, "seed", Interval(Integral, 0, MAX_SEED - 1, text=_SEEDS), expected="an int or None"
    )
    validate_instance(seed_torch, bool, "seed_torch", "a bool", show_value=True)
    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the tutorials draw from NumPy's global generator)
    if seed_torch:
        torch.manual_seed(seed)
        torch.cuda.manual_seed_all(seed)  # lazy: harmless without a GPU
        torch.backends.cudnn.benchmark = False
        torch.backends.cudnn.deterministic = True
    print(tr("Random seed {seed} has been set.", seed=seed))
    return seed


def seed_worker(worker_id):
    """Seed NumPy and ``random`` inside a DataLoader worker.

    PyTorch gives each worker its own torch seed but leaves NumPy and
    ``random`` alone, so without this every worker would draw the same
    "random" numbers. Pass it as ``DataLoader(..., worker_init_fn=seed_worker)``
    together with a seeded ``generator``.

    Parameters
    ----------
    worker_id : int
        The worker's index (given by the DataLoader; unused, since
        ``torch.initial_seed()`` already differs between workers).
    """
    validate_int(worker_id, "worker_id", Interval(Integral, 0, None, text=">= 0"))
    worker_seed = torch.initial_seed() % 2**32  # NumPy only accepts 32-bit seeds
    np.random.seed(worker_seed)  # noqa: NPY002 (a worker's global NumPy state is the point)
    random.seed(worker_seed)


def module_device(module):
    """Return the device of a module's parameters (the CPU for a module without any).

    Parameters
    ----------
    module : torch.nn.Module

    Returns
    -------
    torch.device
    """
    parameter = next(module.parameters(), None)
    return parameter.device if parameter is not None else torch.device("cpu")
