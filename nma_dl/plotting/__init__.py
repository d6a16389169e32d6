"""Figures the tutorials draw, one module per concept, and the course's matplotlib style.

* :mod:`nma_dl.plotting.style`: :func:`use_course_style`, :func:`identity_line`, shared helpers;
* :mod:`nma_dl.plotting.decoding`: response matrices, training losses, decoded orientations;
* :mod:`nma_dl.plotting.classification`: ReLU approximations, classes in the plane, decision maps;
* :mod:`nma_dl.plotting.neurons`: a LIF neuron's membrane potential and f-I curve.

Every function takes NumPy arrays, Python sequences or torch tensors (converted without
importing torch) and returns the matplotlib object it made, so a notebook can adjust it and
tests can inspect it. Nothing calls ``plt.show()``: notebooks display figures inline at the end
of each cell.
"""

from nma_dl.plotting.classification import (
    plot_decision_map,
    plot_function_approximation,
    plot_spiral,
)
from nma_dl.plotting.decoding import plot_data_matrix, plot_decoded_results, plot_train_loss
from nma_dl.plotting.neurons import plot_fi_curve, plot_lif_membrane
from nma_dl.plotting.style import STYLE_PATH as STYLE_PATH
from nma_dl.plotting.style import identity_line, use_course_style

# STYLE_PATH is importable from here too, but not exported by nma_dl.
__all__ = [
    "identity_line",
    "plot_data_matrix",
    "plot_decision_map",
    "plot_decoded_results",
    "plot_fi_curve",
    "plot_function_approximation",
    "plot_lif_membrane",
    "plot_spiral",
    "plot_train_loss",
    "use_course_style",
]
