"""Argument checks shared by the public functions of nma_dl (private: not part of the API).

Every check raises a :class:`TypeError` (wrong kind of value) or a :class:`ValueError` (right
kind, wrong value) whose message starts with the argument's name, says what was expected and
ends with what was given::

    n_hidden must be a positive int, got 0
    generator must be a torch.Generator or None, got int

A check that passes returns the value, converted where its docstring says so (``int``,
``float``), so a caller writes ``n = validate_int(n, "n", Interval(Integral, 1, None))``.
Booleans are never numbers here: ``True`` is refused wherever an int or a real number is
expected.

A bound is said one way, for ints and reals alike: an :class:`Interval`. A function declares the
checks of its arguments in one table, ``{parameter name: check(value, name) -> value}``, with the
decorator :func:`validate_params`, as a network declares its ``argument_validators``
(:mod:`nma_dl.models._base`)::

    @validate_params(
        {"n_iter": Interval(Integral, 1, None), "verbose": instance_of(bool, "a bool")},
        together=_check_fit_together,  # e.g. that net can take n_iter steps
    )
    def fit(net, n_iter=100, verbose=True): ...

Nothing is imported from torch when this package loads (the display modules, plotting, widgets
and videos, use these checks without importing torch); the tensor checks fetch it through
:func:`_torch` when called.

Each check takes the argument (``value``) and its name (``name``, which starts every message);
a docstring that documents no other parameter says only what is checked and what is raised.
The checks stand in modules by what they check, each re-exported here, where callers import them
(``from nma_dl._validate import validate_int``):

* :mod:`~nma_dl._validate._core`: the two primitives (:func:`validate_instance`,
  :func:`require`), :func:`is_instance`, and the table of checks (:func:`validate_params`,
  :func:`instance_of`, :func:`optional`);
* :mod:`~nma_dl._validate.scalars`: numbers and their bounds (:class:`Interval`,
  :func:`validate_int`, :func:`validate_real`, sizes, widths, seeds, penalties);
* :mod:`~nma_dl._validate.arrays`: tensors and arrays (kind, dtype, shape, finite values, device)
  and :func:`check_array`, the one conversion of an array-like into a checked NumPy array;
* :mod:`~nma_dl._validate.samples`: data sets, a row per sample or stimulus, and arguments given
  in pairs;
* :mod:`~nma_dl._validate.training`: what a training takes (network, loss, batch, labels,
  optimizer, loaders);
* :mod:`~nma_dl._validate.limits`: the limits on memory and steps, and :func:`env_number`.
"""

# Re-exported: every module of the package imports its checks from here.
from nma_dl._validate._core import (
    _torch as _torch,
)
from nma_dl._validate._core import (
    instance_of as instance_of,
)
from nma_dl._validate._core import (
    is_instance as is_instance,
)
from nma_dl._validate._core import (
    optional as optional,
)
from nma_dl._validate._core import (
    require as require,
)
from nma_dl._validate._core import (
    validate_instance as validate_instance,
)
from nma_dl._validate._core import (
    validate_params as validate_params,
)
from nma_dl._validate.arrays import (
    check_array as check_array,
)
from nma_dl._validate.arrays import (
    tensor_to_numpy as tensor_to_numpy,
)
from nma_dl._validate.arrays import (
    validate_column as validate_column,
)
from nma_dl._validate.arrays import (
    validate_device as validate_device,
)
from nma_dl._validate.arrays import (
    validate_dtype as validate_dtype,
)
from nma_dl._validate.arrays import (
    validate_finite as validate_finite,
)
from nma_dl._validate.arrays import (
    validate_not_meta as validate_not_meta,
)
from nma_dl._validate.arrays import (
    validate_real_dtype as validate_real_dtype,
)
from nma_dl._validate.arrays import (
    validate_tensor as validate_tensor,
)
from nma_dl._validate.limits import (
    GRADIENT_STEP_COST as GRADIENT_STEP_COST,
)
from nma_dl._validate.limits import (
    MEMORY_LIMIT_VAR as MEMORY_LIMIT_VAR,
)
from nma_dl._validate.limits import (
    STEPS_LIMIT_VAR as STEPS_LIMIT_VAR,
)
from nma_dl._validate.limits import (
    env_number as env_number,
)
from nma_dl._validate.limits import (
    validate_gradient_steps as validate_gradient_steps,
)
from nma_dl._validate.limits import (
    validate_memory as validate_memory,
)
from nma_dl._validate.limits import (
    validate_steps as validate_steps,
)
from nma_dl._validate.samples import (
    validate_orientations as validate_orientations,
)
from nma_dl._validate.samples import (
    validate_pair as validate_pair,
)
from nma_dl._validate.samples import (
    validate_response_matrix as validate_response_matrix,
)
from nma_dl._validate.samples import (
    validate_responses as validate_responses,
)
from nma_dl._validate.samples import (
    validate_rows as validate_rows,
)
from nma_dl._validate.samples import (
    validate_same_rows as validate_same_rows,
)
from nma_dl._validate.samples import (
    validate_samples as validate_samples,
)
from nma_dl._validate.samples import (
    validate_stimuli as validate_stimuli,
)
from nma_dl._validate.scalars import (
    MAX_SEED as MAX_SEED,
)
from nma_dl._validate.scalars import (
    Interval as Interval,
)
from nma_dl._validate.scalars import (
    validate_int as validate_int,
)
from nma_dl._validate.scalars import (
    validate_number as validate_number,
)
from nma_dl._validate.scalars import (
    validate_penalties as validate_penalties,
)
from nma_dl._validate.scalars import (
    validate_real as validate_real,
)
from nma_dl._validate.scalars import (
    validate_seed as validate_seed,
)
from nma_dl._validate.scalars import (
    validate_size as validate_size,
)
from nma_dl._validate.scalars import (
    validate_widths as validate_widths,
)
from nma_dl._validate.training import (
    validate_batch as validate_batch,
)
from nma_dl._validate.training import (
    validate_callable as validate_callable,
)
from nma_dl._validate.training import (
    validate_class_labels as validate_class_labels,
)
from nma_dl._validate.training import (
    validate_class_scores as validate_class_scores,
)
from nma_dl._validate.training import (
    validate_labels as validate_labels,
)
from nma_dl._validate.training import (
    validate_linear_layer as validate_linear_layer,
)
from nma_dl._validate.training import (
    validate_loader as validate_loader,
)
from nma_dl._validate.training import (
    validate_loader_batch as validate_loader_batch,
)
from nma_dl._validate.training import (
    validate_network as validate_network,
)
from nma_dl._validate.training import (
    validate_optimizer as validate_optimizer,
)
from nma_dl._validate.training import (
    validate_parameters as validate_parameters,
)
from nma_dl._validate.training import (
    validate_scalar as validate_scalar,
)
from nma_dl._validate.training import (
    validate_targets as validate_targets,
)
