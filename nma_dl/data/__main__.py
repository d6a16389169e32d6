"""``python -m nma_dl.data prepare [--source auto|osf|synthetic]``: fill the data cache once."""

import sys

from nma_dl.data.files import main

if __name__ == "__main__":
    sys.exit(main())
