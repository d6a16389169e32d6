"""nma_dl: the companion package of the course "Deep learning for computational neuroscience".

Every helper the tutorials use lives here, once, and each notebook imports what it needs::

    from nma_dl import load_data, DeepNetReLU, train, plot_train_loss

Where things live (each module's docstring says more):

* ``data/``: ``files`` (downloads, cache), ``stringer`` (the V1 recordings), ``surrogate`` (their
  offline stand-in), ``toy`` (spirals, splits, loaders);
* ``stimuli``: orientation classes, gratings, filters; ``models/``: ``decoders`` (DeepNet...),
  ``mlp`` (Net...);
* ``losses``, ``training``, ``neurons`` (the LIF neuron), ``device`` (device and seeds);
* ``convolution``: convolution and pooling by hand, parameter counts, simple and complex cells;
  ``models/conv`` (ConvolutionalLayer);
* ``analysis``: representational similarity (RDM, correlate_rdms), hidden-layer activity, t-SNE;
  ``models/cnn`` (CNN, the tilt-task network);
* ``plotting/``: ``style``, then one module per concept; ``widgets``, ``videos``;
* ``checks``: the self-checks of the exercises; ``_validate``: the argument checks (private).

Names are loaded lazily (PEP 562), so ``import nma_dl`` is instant and imports neither torch nor
matplotlib; ``_EXPORTS`` below maps each public name to the module that defines it.
"""

from importlib import import_module


def _installed_version():
    # The one version string is pyproject.toml's, read from the installed metadata.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nma-dl")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()

# public name -> the module under nma_dl that defines it (one definition per idea)
_EXPORTS = {
    "device": ["set_device", "set_seed", "seed_worker"],
    "data.files": ["fetch", "data_dir", "osf_url", "DataUnavailableError"],
    "data.stringer": [
        "load_data",
        "load_data_split",
        "train_test_split",
        "get_data",
        "tilt_range",
    ],
    "data.surrogate": ["SURROGATE_DESCRIPTION"],
    "data.toy": ["create_spiral_dataset", "shuffle_and_split_data", "make_loaders", "sample_grid"],
    "stimuli": ["stimulus_class", "grating", "filters", "gabor"],
    "convolution": [
        "conv2d",
        "max_pool",
        "count_parameters",
        "simple_and_complex_cells",
        "conv_weights",
    ],
    "models.decoders": ["DeepNet", "DeepNetReLU", "DeepNetSoftmax"],
    "models.mlp": ["Net", "parse_activation", "activation_names", "approximate_function"],
    "models.conv": ["ConvolutionalLayer", "ConvFC"],
    "models.cnn": ["CNN"],
    "losses": ["cross_entropy_loss", "penalty_terms", "regularized_loss", "regularized_MSE_loss"],
    "analysis": [
        "RDM",
        "correlate_rdms",
        "get_hidden_activity",
        "reduce_dimensions",
        "preferred_orientation",
    ],
    "encoding": ["decode_orientation", "grating_stimuli", "train_encoder"],
    "training": [
        "gradient_step",
        "evaluate_loss",
        "train",
        "accuracy",
        "train_test_classification",
    ],
    "neurons": ["run_LIF", "spike_count", "fi_curve"],
    "plotting.style": ["use_course_style", "identity_line"],
    "plotting.decoding": ["plot_data_matrix", "plot_train_loss", "plot_decoded_results"],
    "plotting.classification": ["plot_function_approximation", "plot_spiral", "plot_decision_map"],
    "plotting.neurons": ["plot_lif_membrane", "plot_fi_curve"],
    "plotting.convolution": [
        "plot_weights",
        "plot_example_activations",
        "plot_convolution_step",
        "plot_weight_sharing",
    ],
    "plotting.architecture": ["plot_architecture"],
    "plotting.rsa": [
        "plot_multiple_rdm",
        "plot_rdm_rdm_correlations",
        "plot_rdm_rows",
        "plot_tuning",
        "plot_resp_lowd",
    ],
    "plotting.weights": [
        "visualize_weights",
        "visualize_hidden_units",
        "plot_training_curves",
        "plot_prediction",
        "plot_encoder_tuning",
    ],
    "videos": ["display_videos"],
    "widgets": [
        "lif_fi_figure",
        "lif_fi_widget",
        "tuning_widget",
        "conv_activations_figure",
        "conv_activations_widget",
    ],
    "checks": [
        "check_DeepNetReLU",
        "check_train",
        "check_approximate_function",
        "check_Net",
        "check_cross_entropy_loss",
        "check_shuffle_and_split_data",
        "check_RDM",
        "check_correlate_rdms",
        "check_conv2d",
        "check_ConvolutionalLayer",
        "check_max_pool",
        "check_conv_weights",
        "check_preferred_orientation",
        "check_DeepNetSoftmax",
        "check_regularized_loss",
        "check_ConvFC",
    ],
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
