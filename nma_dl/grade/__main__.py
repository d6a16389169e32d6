"""``python -m nma_dl.grade``: grade students' notebooks (:mod:`nma_dl.grade._cli`)."""

import sys

from nma_dl.grade._cli import main

if __name__ == "__main__":
    sys.exit(main())
