"""nma_dl: the companion package of the course "Deep learning for computational neuroscience".

Every helper the tutorials use lives here, once, and each notebook imports what it needs::

    from nma_dl import load_data, DeepNetReLU, train, plot_train_loss

Names are loaded lazily (PEP 562), so ``import nma_dl`` is instant and ``python -m nma_dl.data``
runs without importing torch twice.
"""

from importlib import import_module

__version__ = "0.1.0"

# public name -> module that defines it (one definition per idea)
_EXPORTS = {
    "device": ["set_device", "set_seed", "seed_worker"],
    "data": ["load_data", "load_data_split", "fetch", "data_dir", "osf_url", "DataUnavailableError"],
    "surrogate": ["SURROGATE_DESCRIPTION"],
    "models": ["DeepNet", "DeepNetReLU"],
    "training": ["gradient_step", "evaluate_loss", "train"],
    "decoding": ["get_data", "stimulus_class", "train_test_split"],
    "plotting": [
        "use_course_style",
        "plot_data_matrix",
        "plot_train_loss",
        "plot_decoded_results",
        "identity_line",
    ],
    "videos": ["display_videos"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name):
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'nma_dl' has no attribute {name!r}")
    value = getattr(import_module(f"nma_dl.{module}"), name)
    globals()[name] = value  # cache: later lookups skip this function
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
