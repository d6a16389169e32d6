"""Data for the tutorials: the V1 recordings, their offline surrogate, and toy data sets.

* :mod:`nma_dl.data.files`: the data files on disk (registry, OSF downloads, cache, :func:`fetch`);
* :mod:`nma_dl.data.stringer`: the Stringer et al. (2021) V1 recordings (:func:`load_data`,
  :func:`load_data_split`) and the decoding problem drawn from them (:func:`train_test_split`,
  :func:`get_data`);
* :mod:`nma_dl.data.surrogate`: the offline surrogate of those recordings (simulated neurons);
* :mod:`nma_dl.data.toy`: toy data sets (spirals, seeded splits, loaders, grids).

Every public name is re-exported here and from :mod:`nma_dl`. Command line:
``python -m nma_dl.data prepare [--source auto|osf|synthetic]`` fetches the data files into the
cache once (:func:`nma_dl.data.files.main`).
"""

from nma_dl._exports import lazy_exports

# Each name is written once, in the __all__ of its module (nma_dl._exports).
_WHERE, __getattr__, __dir__ = lazy_exports(
    __name__,
    (
        "files",
        "stringer",
        "surrogate",
        "toy",
    ),
)
__all__ = sorted(_WHERE)
