"""nma_dl: the companion package of the course "Deep learning for computational neuroscience".

Every helper the tutorials use lives here, once, and each notebook imports what it needs::

    from nma_dl import load_data, DeepNetReLU, train, plot_train_loss

Where things live (each module's docstring says more; a module whose name starts with ``_`` is
private):

* ``device``: the compute device and seeds (set_device, set_seed, seed_worker);
* ``i18n``: the language of the messages, English or Japanese (set_language, get_language);
  ``_locale/``: their Japanese text, one catalog per area;
* ``data/``: ``files`` (the registry, OSF downloads, the cache: fetch, data_dir), ``stringer``
  (the V1 recordings and the decoding problem: load_data, train_test_split, get_data),
  ``surrogate`` (their offline stand-in), ``toy`` (spirals, seeded splits, loaders, grids);
* ``stimuli``: orientation classes, gratings, Gabor filters (stimulus_class, grating, filters);
* ``convolution``: convolution and pooling by hand, parameter counts, simple and complex cells;
* ``models/``: ``decoders`` (DeepNet, DeepNetReLU, DeepNetSoftmax), ``mlp`` (Net), ``conv``
  (ConvolutionalLayer, ConvFC), ``cnn`` (CNN, the tilt-task network); ``_base`` validates them;
* ``losses``: losses written out by hand (cross_entropy_loss, regularized_loss, penalty_terms);
* ``training``: the trainers (train, decode_orientation, train_test_classification) and their
  pieces (gradient_step, evaluate_loss, accuracy);
* ``encoding``: the bonus tutorial's encoding model, its gratings and its trainer
  (grating_stimuli, train_encoder);
* ``neurons``: the leaky integrate-and-fire neuron and its f-I curve (run_LIF, fi_curve);
* ``analysis``: representational similarity (RDM, correlate_rdms), hidden-layer activity,
  t-SNE, preferred orientations;
* ``plotting/``: ``style``, then one module per concept: ``decoding``, ``classification``,
  ``neurons``, ``convolution``, ``architecture``, ``rsa``, ``weights``, ``encoding``;
* ``widgets``: the live widgets (lif_fi_widget, tuning_widget, conv_activations_widget);
  ``videos``: the lecture videos (display_videos); ``display``: what both build on, a widget
  with a static stand-in for the book's pages (no public names);
* ``checks/``: the self-checks of the exercises, by concept: ``analysis``, ``convolution``,
  ``data``, ``losses``, ``models``, ``training``;
* ``_validate``: the argument validators; ``_exports``: the lazy export map.

Glossary. The code calls one thing by one name, listed here; where the original course called it
otherwise, its functions keep the course's name, so the students' code runs unchanged.

* ``net``: the network, a ``torch.nn.Module``, trained in place.
* ``resp``: responses, (n_stimuli, n_neurons), one row per stimulus; ``ori``: orientations in
  degrees, one per stimulus; ``stimuli`` (in ``tilt_range``, ``train_test_split``): the
  orientations beside ``resp``, as ``load_data`` returns them, but ``stimuli`` (in
  ``get_hidden_activity``): the inputs of a network; ``n_stim`` (in ``get_data``, the course's
  name): a number of stimuli.
* ``train_data``, ``train_labels``, ``test_data``, ``test_labels`` (in ``train``,
  ``decode_orientation``, ``train_encoder``): inputs and their targets, one row per sample.
* ``n_epochs`` (in ``train``): passes over the training data, each one full-batch step (the
  decoding tutorial's iterations) or, with ``batch_size``, one step per mini-batch; ``n_iter``
  (in ``decode_orientation``, ``train_encoder``): full-batch steps; ``num_epochs`` (in
  ``train_test_classification``, the course's name): passes over its DataLoader.
* ``loss_fn`` (in ``train``, ``gradient_step``, ``evaluate_loss``, ``decode_orientation``): a
  loss, ``loss_fn(output, labels)`` a scalar tensor; ``criterion`` (in
  ``train_test_classification``, the course's name): the same.
* ``penalty`` (in ``train``, ``gradient_step``, ``evaluate_loss``): a function, ``penalty(net)``
  a scalar tensor added to the loss; ``L2_penalty``, ``L1_penalty`` (in ``penalty_terms``,
  ``regularized_loss``, ``decode_orientation``, ``train_encoder``, the course's names): numbers,
  the coefficients of the sum of the squared weights and of their absolute values.
* ``learning_rate`` (in ``train``, ``train_encoder``): the step size (``lr=`` in torch.optim).
* ``seed`` (in ``set_seed``, ``make_loaders``, ``shuffle_and_split_data``): an int that makes a
  random draw repeatable; ``generator`` (in ``train``, ``train_test_split``,
  ``create_spiral_dataset``): a ``torch.Generator``, torch's global one if omitted;
  ``random_state`` (in ``reduce_dimensions``, ``plot_resp_lowd``): scikit-learn's name for a
  seed.
* ``device`` (in ``accuracy``, ``train_test_classification``): where tensors go, ``"cpu"``,
  ``"cuda"`` or ``"mps"``, as ``set_device()`` returns it.

Private helpers and new functions use only the first names of these lines (n_epochs or
n_iter, loss_fn, penalty, seed or generator; rng for a NumPy random generator, inside the
surrogate), never the course's num_epochs or criterion.

Names are loaded lazily (PEP 562), so ``import nma_dl`` is instant and imports neither torch nor
matplotlib. The public names are those of the ``__all__`` of the modules in ``_MODULES`` below,
each written once, in the module that defines it (:mod:`nma_dl._exports`).
"""

from importlib.metadata import PackageNotFoundError, version

from nma_dl._exports import lazy_exports


def _installed_version():
    # The one version string is pyproject.toml's, read from the installed metadata.
    try:
        return version("nma-dl")
    except PackageNotFoundError:  # imported from a source tree that was never installed
        return "0+unknown"


__version__ = _installed_version()

# The modules whose __all__ nma_dl re-exports; each public name is written once, in its module.
_MODULES = (
    "device",
    "i18n",
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
    "display",
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
