"""nma_dl: the companion package of the course "Deep learning for computational neuroscience".

Every helper the tutorials use lives here, once, and each notebook imports what it needs::

    from nma_dl import load_data, DeepNetReLU, train, plot_train_loss

Where things live (each module's docstring says more):

* ``data/``: ``files`` (downloads, cache), ``stringer`` (the V1 recordings), ``surrogate`` (their
  offline stand-in), ``toy`` (spirals, splits, loaders);
* ``stimuli``: orientation classes, gratings, filters;
* ``models/``: ``decoders`` (DeepNet, DeepNetReLU, DeepNetSoftmax), ``mlp`` (Net...), ``conv``
  (ConvolutionalLayer, ConvFC), ``cnn`` (CNN, the tilt-task network); ``_base`` validates them;
* ``losses``; ``training`` (train and the other loops); ``encoding`` (the bonus tutorial's
  gratings and its two trainers, decode_orientation and train_encoder);
* ``neurons`` (the LIF neuron), ``device`` (device and seeds);
* ``convolution``: convolution and pooling by hand, parameter counts, simple and complex cells;
* ``analysis``: representational similarity (RDM, correlate_rdms), hidden-layer activity, t-SNE,
  preferred orientations;
* ``plotting/``: ``style``, then one module per concept; ``widgets``, ``videos``;
* ``checks/``: the self-checks of the exercises, by concept; ``_validate``: the argument
  validators (private).

Names are loaded lazily (PEP 562), so ``import nma_dl`` is instant and imports neither torch nor
matplotlib. The public names are those of the ``__all__`` of the modules in ``_MODULES`` below,
each written once, in the module that defines it (:mod:`nma_dl._exports`).
"""

from nma_dl._exports import lazy_exports


def _installed_version():
    # The one version string is pyproject.toml's, read from the installed metadata.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nma-dl")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()

# The modules whose __all__ nma_dl re-exports; each public name is written once, in its module.
_MODULES = (
    "device",
    "data.files",
    "data.stringer",
    "data.surrogate",
    "data.toy",
    "stimuli",
    "convolution",
    "models.decoders",
    "models.mlp",
    "models.conv",
    "models.cnn",
    "losses",
    "analysis",
    "encoding",
    "training",
    "neurons",
    "plotting.style",
    "plotting.decoding",
    "plotting.classification",
    "plotting.neurons",
    "plotting.convolution",
    "plotting.architecture",
    "plotting.rsa",
    "plotting.weights",
    "plotting.encoding",
    "videos",
    "widgets",
    "checks.analysis",
    "checks.convolution",
    "checks.data",
    "checks.losses",
    "checks.models",
    "checks.training",
)
_WHERE, __getattr__, __dir__ = lazy_exports(__name__, _MODULES)
__all__ = sorted(_WHERE)
