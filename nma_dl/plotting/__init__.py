"""Figures the tutorials draw, one module per concept, and the course's matplotlib style.

* :mod:`nma_dl.plotting.style`: :func:`use_course_style`, :func:`identity_line`, shared helpers;
* :mod:`nma_dl.plotting.decoding`: response matrices, training losses, decoded orientations;
* :mod:`nma_dl.plotting.classification`: ReLU approximations, classes in the plane, decision maps;
* :mod:`nma_dl.plotting.neurons`: a LIF neuron's membrane potential and f-I curve;
* :mod:`nma_dl.plotting.convolution`: kernels, activations, a convolution step, weight sharing;
* :mod:`nma_dl.plotting.architecture`: a network drawn as boxes with its tensors' shapes;
* :mod:`nma_dl.plotting.rsa`: RDMs, their correlations, tuning curves, low-dimensional views;
* :mod:`nma_dl.plotting.weights`: a decoder's weights and hidden units;
* :mod:`nma_dl.plotting.encoding`: an encoding model's training curves, predictions, tuning.

Every function takes NumPy arrays, Python sequences or torch tensors (converted without
importing torch) and returns the matplotlib object it made, so a notebook can adjust it and
tests can inspect it. Nothing calls ``plt.show()``: notebooks display figures inline at the end
of each cell.
"""

from nma_dl._exports import lazy_exports
from nma_dl.plotting.style import STYLE_PATH as STYLE_PATH  # importable here, not exported

# Each name is written once, in the __all__ of its module (nma_dl._exports).
_WHERE, __getattr__, __dir__ = lazy_exports(
    __name__,
    (
        "style",
        "decoding",
        "classification",
        "neurons",
        "convolution",
        "architecture",
        "rsa",
        "weights",
        "encoding",
    ),
)
__all__ = sorted(_WHERE)
