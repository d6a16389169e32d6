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

from nma_dl.data.files import (
    FILES,
    ORIBINNED1,
    ORIBINNED6_SPLIT,
    SOURCES,
    DataFile,
    DataUnavailableError,
    DownloadError,
    data_dir,
    fetch,
    main,
    osf_url,
)
from nma_dl.data.stringer import get_data, load_data, load_data_split, train_test_split
from nma_dl.data.surrogate import SURROGATE_DESCRIPTION
from nma_dl.data.toy import (
    create_spiral_dataset,
    make_loaders,
    sample_grid,
    shuffle_and_split_data,
)

__all__ = [
    "FILES",
    "ORIBINNED1",
    "ORIBINNED6_SPLIT",
    "SOURCES",
    "SURROGATE_DESCRIPTION",
    "DataFile",
    "DataUnavailableError",
    "DownloadError",
    "create_spiral_dataset",
    "data_dir",
    "fetch",
    "get_data",
    "load_data",
    "load_data_split",
    "main",
    "make_loaders",
    "osf_url",
    "sample_grid",
    "shuffle_and_split_data",
    "train_test_split",
]
