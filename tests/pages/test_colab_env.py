"""A student's path on a stack that mirrors Colab's (and Kaggle's): install, Run all, widgets.

For each image in ``tests/envs/`` (``colab.txt``, ``kaggle.txt``: the versions that image ships of
python, torch, numpy, IPython, ipykernel, ipywidgets and matplotlib) this test

1. creates a fresh virtual environment and installs those pins (torch as the CPU wheel the file
   names), with pip's cache;
2. installs nma-dl from this checkout over them, as the install cell does in a hosted kernel, and
   asserts that pip changed no package that was there before (``pip freeze`` before and after);
3. executes both "with solutions" notebooks in a kernel of that environment with a plain
   executor: nbclient with ``allow_errors=False`` and every cell tag removed, as Colab's *Run all*
   ignores them;
4. runs the LIF widget's callback in that kernel (the figure must arrive as a PNG, not as
   ``<Figure size ...>``) and the widget and video tests of the package under that ipywidgets.

It needs PyPI (pip); it is marked ``slow`` and runs in ``make test``. Its summary line (pins,
what pip added, seconds) is printed; run it with ``-s`` to read it.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbtools  # tools/, on pytest's pythonpath (pyproject.toml)
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENVS = ROOT / "tests" / "envs"

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s#]+)")
REQUIRED = {"python", "torch", "numpy", "ipython", "ipykernel", "ipywidgets", "matplotlib"}


def read_pins(path: Path) -> dict[str, str]:
    """``name==version`` lines of an env file, by normalised name (comments ignored)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = PIN.match(line.strip())
        if m:
            pins[_name(m.group(1))] = m.group(2)
    return pins


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _freeze(python: Path) -> dict[str, str]:
    out = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {_name(p["name"]): p["version"] for p in json.loads(out)}


def _pip(python: Path, *args: str) -> None:
    # --no-compile: byte-compiling torch alone takes longer than unpacking it.
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--no-compile", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stdout}\n{done.stderr}"


def _kernel(tmp: Path, python: Path, name: str, data_dir: str) -> Path:
    """A kernelspec that starts ``python``'s ipykernel; returns the folder for JUPYTER_PATH."""
    spec = tmp / "jupyter" / "kernels" / name
    spec.mkdir(parents=True)
    env = {
        "NMA_DL_DATA_SOURCE": "synthetic",
        "NMA_DL_DATA_DIR": data_dir,
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # ipykernel 6 starts debugpy: no warning
    }
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": name,
                "language": "python",
                "env": env,
            }
        )
    )
    return tmp / "jupyter"


def _run_plain(nb, kernel: str, cwd: Path):
    """Execute like Colab's Run all: tags ignored, the first error fails."""
    from nbclient import NotebookClient

    for cell in nb.cells:
        cell.metadata.pop("tags", None)
    NotebookClient(
        nb,
        kernel_name=kernel,
        timeout=600,
        allow_errors=False,
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
    return nb


WIDGET_CELL = """
import ipywidgets
from nma_dl import lif_fi_widget

shown = lif_fi_widget(Rm=1, tau_ref=1)
box = shown.widget
rm_slider, tau_slider, out = box.children
rm_slider.value = 60  # the callback, as a slider release in the browser triggers it
[image] = out.outputs
assert image["data"]["image/png"].startswith("iVBORw0KGgo"), image["data"].keys()
assert "Rm = 60 kOhm" in image["data"]["text/plain"]
print("widget callback ok on ipywidgets", ipywidgets.__version__)
"""


def test_env_files_name_every_package_the_issue_lists():
    for path in sorted(ENVS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        pins = read_pins(path)
        has_python = re.search(r"^# python \d+\.\d+", text, re.M)
        named = set(pins) | ({"python"} if has_python else set())
        assert REQUIRED <= named, f"{path.name} lacks {sorted(REQUIRED - named)}"
        assert re.search(r"\b20\d\d-\d\d-\d\d\b", text), f"{path.name} gives no date"
    assert {p.name for p in ENVS.glob("*.txt")} == {"colab.txt", "kaggle.txt"}


def test_runtime_dependencies_accept_every_pinned_version():
    """The floors of nma-dl's own dependencies admit what the hosted images ship."""
    import tomllib
    from packaging.requirements import Requirement

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for path in sorted(ENVS.glob("*.txt")):
        pins = read_pins(path)
        for line in deps:
            req = Requirement(line)
            if _name(req.name) in pins:
                version = pins[_name(req.name)]
                assert req.specifier.contains(version, prereleases=True), (path.name, line)


@pytest.mark.slow
@pytest.mark.parametrize("image", ["colab", "kaggle"])
def test_student_path_on_the_hosted_stack(image, tmp_path, monkeypatch):
    import nbformat

    start = time.perf_counter()
    pins = read_pins(ENVS / f"{image}.txt")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    _pip(python, *(f"{name}=={version}" for name, version in pins.items()))
    before = _freeze(python)
    for name, version in pins.items():
        assert before[name].split("+")[0] == version, (name, before[name], version)

    # What the install cell does in a hosted kernel: pip install nma-dl, nothing else asked for.
    # From a copy of what the package is built from, so parallel runs build nothing in ROOT.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "nma_dl", src / "nma_dl", ignore=shutil.ignore_patterns("__pycache__"))
    _pip(python, str(src))
    after = _freeze(python)
    changed = {n: (v, after.get(n)) for n, v in before.items() if after.get(n) != v}
    assert not changed, f"pip changed what {image} ships: {changed}"
    added = sorted(set(after) - set(before))
    installed = time.perf_counter() - start

    monkeypatch.setenv("JUPYTER_PATH", str(_kernel(tmp_path, python, image, str(tmp_path))))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    seconds = {}
    for slug in nbtools.tutorial_slugs():
        path = ROOT / nbtools.SOLUTIONS_DIR / f"{slug}.ipynb"
        t0 = time.perf_counter()
        nb = _run_plain(nbformat.read(path, as_version=4), image, path.parent)
        seconds[slug] = round(time.perf_counter() - t0, 1)
        install = nb.cells[2]
        assert "NMA_DL_VERSION" in install.source
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
        assert not errors
        # A figure shown as text only (no image): what a missing inline backend looks like.
        as_text = [
            o.data["text/plain"]
            for c in nb.cells
            for o in c.get("outputs", [])
            if "<Figure size" in o.get("data", {}).get("text/plain", "")
            and "image/png" not in o.get("data", {})
        ]
        assert not as_text, f"{slug}: figures printed as text: {as_text}"

    widget = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(WIDGET_CELL)])
    widget = _run_plain(widget, image, tmp_path)
    printed = "".join(o.get("text", "") for o in widget.cells[0].outputs)
    assert f"widget callback ok on ipywidgets {pins['ipywidgets']}" in printed

    # The package's widget and video tests under this ipywidgets (and IPython).
    _pip(python, "pytest>=8", "pytest-socket>=0.7")
    tests = [f"tests/package/test_{name}.py" for name in ("widgets", "lif_widget", "videos")]
    env = {**os.environ, "NMA_DL_DATA_SOURCE": "synthetic", "NMA_DL_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    print(
        f"\n{image}: pins {pins}; pip changed none of the {len(before)} packages, added "
        f"{len(added)} ({', '.join(added)}); install {installed:.0f} s; notebooks {seconds}; "
        f"widget tests: {summary}; total {time.perf_counter() - start:.0f} s"
    )
