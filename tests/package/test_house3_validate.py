"""House round 3 for the argument checks: one way to validate, in modules short enough to read.

* ``nma_dl._validate`` is a package of modules by concept (the primitives, numbers, arrays, data
  sets, training, limits), each at most 450 lines, every function documented and at most 50
  lines long; the package re-exports every name callers import from it;
* :func:`nma_dl._validate.check_array` is the one conversion of an array-like (array, tensor,
  list) into a checked NumPy array: the analysis, the stimuli, the plots and the analysis
  self-checks go through it, with their messages unchanged;
* what the refactor must not change: the names, the messages, a torch-free import.
"""

import ast
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest
import torch

import nma_dl
from nma_dl import _validate as v
from nma_dl._validate import check_array

ROOT = pathlib.Path(nma_dl.__file__).resolve().parent
PACKAGE = ROOT / "_validate"
MODULES = sorted(PACKAGE.glob("*.py"))

# Every name the single module _validate.py offered, which callers import from the package.
OLD_NAMES = """
GRADIENT_STEP_COST MAX_SEED MEMORY_LIMIT_VAR STEPS_LIMIT_VAR Interval _torch env_number
instance_of is_instance optional require tensor_to_numpy validate_batch validate_callable
validate_class_labels validate_class_scores validate_column validate_device validate_dtype
validate_finite validate_gradient_steps validate_instance validate_int validate_labels
validate_linear_layer validate_loader validate_loader_batch validate_memory
validate_network validate_not_meta validate_number validate_optimizer
validate_orientations validate_pair validate_parameters validate_params validate_penalties
validate_real validate_real_dtype validate_response_matrix validate_responses
validate_rows validate_same_rows validate_samples validate_scalar validate_seed
validate_size validate_steps validate_stimuli validate_targets validate_tensor
validate_widths
""".split()


def _message(call):
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    return type(caught.value).__name__, str(caught.value)


# --------------------------------------------------------------------------- item 1: the package


def test_the_checks_are_a_package_of_short_modules():
    assert not (ROOT / "_validate.py").exists()
    lengths = {path.name: len(path.read_text().splitlines()) for path in MODULES}
    assert len(lengths) >= 6
    assert {name: n for name, n in lengths.items() if n > 450} == {}


@pytest.mark.parametrize("name", OLD_NAMES)
def test_every_old_name_is_still_imported_from_the_package(name):
    value = getattr(v, name)
    if callable(value) and hasattr(value, "__module__"):
        assert value.__module__.startswith("nma_dl._validate.")  # defined in a module of it


def _definitions(tree):
    """The module's functions and classes, and the classes' methods (not the closures)."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            yield node
        if isinstance(node, ast.ClassDef):
            yield from (item for item in node.body if isinstance(item, ast.FunctionDef))


def test_every_function_is_documented_short_and_imports_nothing_but_torch():
    undocumented, long, imports = [], {}, []
    for path in MODULES:
        tree = ast.parse(path.read_text())
        for node in _definitions(tree):
            if not ast.get_docstring(node) and node.name != "__init__":  # the class says it
                undocumented.append(f"{path.name}:{node.name}")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                if body and body[-1].end_lineno - body[0].lineno + 1 > 50:
                    long[f"{path.name}:{node.name}"] = body[-1].end_lineno - body[0].lineno + 1
                for inner in ast.walk(node):
                    if isinstance(inner, (ast.Import, ast.ImportFrom)):
                        imports.append(f"{path.name}:{node.name}:{ast.unparse(inner)}")
    assert undocumented == [] and long == {}
    assert imports == ["_core.py:_torch:import torch"]  # the one deferred import


def test_importing_the_checks_still_imports_no_torch():
    code = "import sys, nma_dl._validate.training; print('torch' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert out.stdout.strip() == "False", out.stderr


def test_the_stimulus_tensors_share_one_check_and_keep_their_messages():
    assert _message(lambda: v.validate_response_matrix(torch.zeros(3), "resp")) == (
        "ValueError",
        "resp must have shape (n_stimuli, n_neurons), got shape (3,)",
    )
    assert _message(lambda: v.validate_orientations(torch.zeros(2, 2), "stimuli")) == (
        "ValueError",
        "stimuli must have shape (n_stimuli, 1) or (n_stimuli,), got shape (2, 2)",
    )
    for check in (v.validate_response_matrix, v.validate_orientations):
        assert _message(lambda check=check: check(torch.tensor(1.0), "x")) == (
            "ValueError",
            "x must have one row per stimulus, got a 0-d tensor",
        )
    assert _message(lambda: v.validate_stimuli(torch.zeros(0, 3), "x")) == (
        "ValueError",
        "x must hold at least one stimulus, got shape (0, 3)",
    )
    assert _message(lambda: v.validate_rows(torch.zeros(0, 3), "x")) == (
        "ValueError",
        "x must have at least one row, got shape (0, 3)",
    )


def test_the_limits_say_how_to_lift_them(monkeypatch):
    monkeypatch.delenv("NMA_DL_MAX_MEMORY_GB", raising=False)
    monkeypatch.delenv("NMA_DL_MAX_STEPS", raising=False)
    assert _message(lambda: v.validate_memory(8e9, "f(n=1)"))[1] == (
        "f(n=1) would need about 8 GB of memory, above the limit of 4 GB; use smaller sizes, "
        "or, if the machine has the memory, lift the limit with the environment variable "
        "NMA_DL_MAX_MEMORY_GB (os.environ['NMA_DL_MAX_MEMORY_GB'] = '16')"
    )
    assert _message(lambda: v.validate_steps(1e8, "g(T=1)"))[1] == (
        "g(T=1) would take about 1e+08 steps, above the limit of 1e+07; use smaller sizes, or "
        "lift the limit with the environment variable NMA_DL_MAX_STEPS "
        "(os.environ['NMA_DL_MAX_STEPS'] = '200000000')"
    )


# --------------------------------------------------------------------------- item 3: check_array


def test_check_array_takes_array_likes_as_float_arrays():
    out = check_array([torch.tensor(1.0), 2, np.float32(3)], "loss")
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0, 3.0]
    assert check_array(torch.ones(2, dtype=torch.bfloat16), "x").tolist() == [1.0, 1.0]
    assert check_array(np.array([True, False]), "x").tolist() == [1.0, 0.0]
    ints = np.arange(3)
    assert check_array(ints, "x", dtype=None) is ints
    floats = np.zeros(3)
    assert check_array(floats, "x") is floats and check_array(floats, "x", copy=True) is not floats


@pytest.mark.bad_input
@pytest.mark.parametrize(
    "value, kwargs, error",
    [
        ([1.0], {"expected": "an array"}, ("TypeError", "x must be an array, got list")),
        ([[1], [2, 3]], {"sep": ";"}, ("TypeError", "x must be numeric (array, tensor or "
                                        "sequence of numbers); got list")),
        (np.array(["a"]), {}, ("TypeError", "x must be numeric (array, tensor or sequence of "
                                            "numbers), got ndarray")),
        (np.array(["a"]), {"expected": "an array"}, ("TypeError", "x must hold real numbers, "
                                                                "got dtype <U1")),
        (np.zeros(2, complex), {}, ("TypeError", "x must hold real numbers, got dtype "
                                                 "complex128")),
        (np.array([None, 1]), {"sep": ";"}, ("TypeError", "x must hold numbers; got None among "
                                                         "them")),
        (np.zeros(2, bool), {"allow_bool": False}, ("TypeError", "x must hold real numbers, got "
                                                                 "dtype bool")),
        (np.zeros(3), {"ndim": 2, "shape": "a matrix"}, ("ValueError", "x must be a matrix, got "
                                                                       "shape (3,)")),
        (np.zeros((0, 2)), {"ndim": 2, "shape": "a matrix"}, ("ValueError", "x must be a "
                                                            "matrix, got shape (0, 2)")),
        (np.array([[1, 2], [3, np.inf]]), {"finite": True}, ("ValueError", "x must be finite, "
                                                           "got NaN or infinity in row 1")),
        (torch.empty(2, device="meta"), {}, ("ValueError", "x must hold numbers, got a meta "
         "tensor (device='meta': a shape without values); make it on 'cpu' or 'cuda' instead")),
    ],
)  # fmt: skip
def test_check_array_names_what_is_wrong(value, kwargs, error):
    assert _message(lambda: check_array(value, "x", **kwargs)) == error


@pytest.mark.parametrize(
    "module", ["analysis.py", "stimuli.py", "plotting/style.py", "checks/analysis.py"]
)
def test_the_array_likes_go_through_check_array(module):
    source = (ROOT / module).read_text()
    assert "check_array(" in source
    for raw in (
        ".detach().cpu().numpy()",
        "np.asarray(",
        ".astype(np.float64)",
        "tensor_to_numpy(v",
    ):
        assert raw not in source, raw


@pytest.mark.bad_input
def test_the_callers_keep_their_messages():
    from nma_dl import RDM, stimulus_class
    from nma_dl.plotting.style import _as_vector, _matrix

    assert _message(lambda: RDM(np.zeros(5))) == (
        "ValueError",
        "resp must be a 2-D array of shape (n_stimuli, n_units), got shape (5,)",
    )
    assert _message(lambda: RDM([[1.0, 2.0]])) == (
        "TypeError",
        "resp must be a NumPy array or a torch.Tensor, got list",
    )
    assert _message(lambda: RDM(np.array([[1.0, 2.0], [np.nan, 1.0]]))) == (
        "ValueError",
        "resp must be finite, got NaN or infinity in row 1",
    )
    assert _message(lambda: stimulus_class([1.0], 4)) == (
        "TypeError",
        "ori must be a torch.Tensor or numpy array, got list",
    )
    assert _message(lambda: stimulus_class(np.zeros(2, bool), 4)) == (
        "TypeError",
        "ori must hold real numbers, got dtype bool",
    )
    assert _message(lambda: _matrix(np.zeros(3), "W")) == (
        "ValueError",
        "W must be a non-empty 2-D matrix, got shape (3,)",
    )
    assert _message(lambda: _as_vector([1.0, np.inf], "loss")) == (
        "ValueError",
        "loss must contain only finite numbers; got NaN or inf",
    )
    assert _message(lambda: _as_vector(np.zeros(2, complex), "loss")) == (
        "TypeError",
        "loss must hold real numbers; got dtype complex128",
    )


def test_a_self_check_names_a_returned_array_it_cannot_read(capsys):
    from nma_dl import RDM
    from nma_dl.checks import check_RDM

    result = check_RDM(lambda resp: RDM(resp) + 0j)  # was: the imaginary part silently dropped
    assert result.status == "failed"
    assert "the RDM must hold real numbers, got dtype complex128" in capsys.readouterr().out
