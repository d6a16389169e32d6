"""``python tools/sitecheck _build/html`` (or ``python -m sitecheck`` with tools/ on the path)."""

import sys
from pathlib import Path

if not __package__:
    # Run as a folder: Python put tools/sitecheck/ first on the path, where its modules would
    # shadow other names; tools/ is what the package and its import of nbtools need.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sitecheck.cli import main

sys.exit(main())
