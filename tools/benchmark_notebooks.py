"""Execute every reference notebook and print wall time and peak memory.

    python tools/benchmark_notebooks.py            # one run each, a Markdown table
    python tools/benchmark_notebooks.py --twice    # also check that two runs print the same text

Each notebook runs in a fresh process (``python tools/nbtools.py run``) so the peak RSS is that
notebook's kernel alone. Targets (2 CPU cores): W1D5 Tutorial 1 (decoding) <= 30 s and <= 1.5 GB;
W1D3 Tutorial 1 (MLPs) <= 60 s and <= 1.5 GB. Set NMA_DL_DATA_SOURCE=synthetic to time the
offline surrogate.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import nbtools  # a script's own folder, tools/, is on its import path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent


def run_once(path: Path) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(TOOLS / "nbtools.py"), "run", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - start
    try:
        result = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise SystemExit(f"{path}: the runner failed\n{proc.stderr[-2000:]}") from None
    result["wall"] = wall
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--twice", action="store_true", help="run twice and compare text outputs")
    args = parser.parse_args()
    rows, failures = [], 0
    for slug in nbtools.tutorial_slugs():
        path = ROOT / nbtools.REFERENCE_DIR / f"{slug}.ipynb"
        first = run_once(path)
        row = [
            slug,
            f"{first['wall']:.1f}",
            f"{first['peak_rss_mb']:.0f}",
            "ok" if first["error"] is None else f"error: {first['error']['ename']}",
        ]
        if args.twice:
            second = run_once(path)
            same = first["text"] == second["text"]
            row.append("identical" if same else "DIFFERENT")
            failures += not same
        failures += first["error"] is not None
        rows.append(row)
    header = ["notebook", "wall s", "peak RSS MB", "status"] + (["two runs"] if args.twice else [])
    print(
        f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, "
        f"data source {os.environ.get('NMA_DL_DATA_SOURCE', 'auto')}"
    )
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" for _ in header) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
