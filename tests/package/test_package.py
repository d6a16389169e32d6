"""The top-level package: every advertised name resolves to one definition."""

import importlib
import re
import subprocess
import sys

import pytest

import nma_dl


@pytest.mark.parametrize("name", nma_dl.__all__)
def test_every_public_name_resolves_to_its_module(name):
    value = getattr(nma_dl, name)
    module = importlib.import_module(f"nma_dl.{nma_dl._WHERE[name]}")
    assert getattr(module, name) is value


def test_unknown_name_raises_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = nma_dl.nope


def test_names_are_defined_once():
    assert len(nma_dl.__all__) == len(set(nma_dl.__all__))


def test_import_is_light():
    code = "import sys, nma_dl; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _imports_of(path, modules):
    """Which of ``modules`` the module at ``path`` imports (at any depth in its code)."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                if node.module == "nma_dl" and alias.name in nma_dl._WHERE:
                    found.add(f"nma_dl.{nma_dl._WHERE[alias.name]}")  # the defining module
                elif f"{node.module}.{alias.name}" in modules:
                    found.add(f"{node.module}.{alias.name}")  # from a package import a module
                else:
                    found.add(node.module)
    return found & modules


def test_modules_import_downward_only():
    # The import graph between nma_dl's modules has no cycle, so the modules stand in floors,
    # each above what it uses; the private checks package stands below everything (its modules
    # import one another only).
    import graphlib
    import pathlib

    root = pathlib.Path(nma_dl.__file__).parent
    paths = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        paths[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph = {name: _imports_of(path, set(paths)) - {name} for name, path in paths.items()}
    graphlib.TopologicalSorter(graph).prepare()  # raises CycleError naming the cycle
    checks = {name for name in graph if name.split(".")[:2] == ["nma_dl", "_validate"]}
    assert len(checks) > 1  # the package and its modules
    assert {name: graph[name] - checks for name in checks} == dict.fromkeys(checks, set())


# Every name nma_dl exported before its map was built from the modules' __all__ (issue 21), plus
# the three that issue 20 added (conv_weights, check_conv_weights, plot_architecture).
PUBLIC = [
    "CNN",
    "ConvFC",
    "ConvolutionalLayer",
    "DataUnavailableError",
    "DeepNet",
    "DeepNetReLU",
    "DeepNetSoftmax",
    "Net",
    "RDM",
    "SURROGATE_DESCRIPTION",
    "accuracy",
    "activation_names",
    "approximate_function",
    "check_ConvFC",
    "check_ConvolutionalLayer",
    "check_DeepNetReLU",
    "check_DeepNetSoftmax",
    "check_Net",
    "check_RDM",
    "check_approximate_function",
    "check_conv2d",
    "check_conv_weights",
    "check_correlate_rdms",
    "check_cross_entropy_loss",
    "check_loss_choice",
    "check_max_pool",
    "check_preferred_orientation",
    "check_regularized_loss",
    "check_shuffle_and_split_data",
    "check_train",
    "conv2d",
    "conv_activations_figure",
    "conv_activations_widget",
    "conv_weights",
    "correlate_rdms",
    "count_parameters",
    "create_spiral_dataset",
    "cross_entropy_loss",
    "data_dir",
    "decode_orientation",
    "display_videos",
    "evaluate_loss",
    "fetch",
    "fi_curve",
    "filters",
    "gabor",
    "get_data",
    "get_hidden_activity",
    "get_language",
    "gradient_step",
    "grating",
    "grating_stimuli",
    "identity_line",
    "lif_fi_figure",
    "lif_fi_widget",
    "load_data",
    "load_data_split",
    "make_loaders",
    "max_pool",
    "osf_url",
    "parse_activation",
    "penalty_terms",
    "plot_architecture",
    "plot_convolution_step",
    "plot_data_matrix",
    "plot_decision_map",
    "plot_decoded_results",
    "plot_encoder_tuning",
    "plot_example_activations",
    "plot_fi_curve",
    "plot_function_approximation",
    "plot_gratings",
    "plot_lif_membrane",
    "plot_multiple_rdm",
    "plot_prediction",
    "plot_rdm_rdm_correlations",
    "plot_rdm_rows",
    "plot_resp_lowd",
    "plot_spiral",
    "plot_train_loss",
    "plot_training_curves",
    "plot_tuning",
    "plot_weight_sharing",
    "plot_weights",
    "preferred_orientation",
    "reduce_dimensions",
    "regularized_MSE_loss",
    "regularized_loss",
    "run_LIF",
    "sample_grid",
    "seed_worker",
    "set_device",
    "set_language",
    "set_seed",
    "shuffle_and_split_data",
    "simple_and_complex_cells",
    "spike_count",
    "stimulus_class",
    "tilt_range",
    "train",
    "train_encoder",
    "train_test_classification",
    "train_test_split",
    "tuning_widget",
    "use_course_style",
    "visualize_hidden_units",
    "visualize_weights",
]


def test_the_public_names_are_those_of_before_plus_the_new_ones():
    assert nma_dl.__all__ == PUBLIC


def _package_files():
    import pathlib

    return sorted(pathlib.Path(nma_dl.__file__).parent.rglob("*.py"))


def test_each_public_name_is_written_in_one_all_of_the_package():
    import collections

    from nma_dl._exports import public_names

    count = collections.Counter()
    for path in _package_files():
        if re.search(r"^__all__ = \[", path.read_text(), re.M):
            count.update(public_names(path))
    assert set(count) >= set(nma_dl.__all__)
    assert [name for name, n in count.items() if n > 1] == []


def test_every_public_module_is_exported_and_its_all_is_one_list():
    # A module whose name has no underscore is public: its __all__ is re-exported by nma_dl
    # (and by its subpackage), and written once, never grown with += further down.
    root = _package_files()[0].parent
    for path in _package_files():
        text = path.read_text()
        parts = path.relative_to(root).with_suffix("").parts
        assert "__all__ +=" not in text and "__all__.append" not in text, path
        if any(part.startswith("_") for part in parts):
            continue
        module = ".".join(parts)
        assert module in nma_dl._MODULES, f"{module} is public but nma_dl does not export it"
        package = importlib.import_module(".".join(["nma_dl", *parts[:-1]]))
        module_all = importlib.import_module(f"nma_dl.{module}").__all__
        assert set(module_all) <= set(package.__all__), module


@pytest.mark.parametrize("package", ["nma_dl.data", "nma_dl.models", "nma_dl.plotting"])
def test_subpackages_export_their_modules_names_lazily(package):
    code = f"import sys, {package} as p; print(len(p.__all__), 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    n, torch_loaded = out.stdout.split()
    assert int(n) > 3 and torch_loaded == "False"
    subpackage = importlib.import_module(package)
    for name in subpackage.__all__:
        assert getattr(subpackage, name) is getattr(nma_dl, name)


def test_checks_package_exports_every_check_and_its_result_type():
    import nma_dl.checks as checks

    assert {"CheckResult", "PASSED", "FAILED", "NOT_IMPLEMENTED"} <= set(checks.__all__)
    assert {n for n in nma_dl.__all__ if n.startswith("check_")} <= set(checks.__all__)


def test_a_name_exported_twice_is_refused(tmp_path, monkeypatch):
    import types

    from nma_dl._exports import lazy_exports

    (tmp_path / "a.py").write_text('__all__ = ["f"]\n')
    (tmp_path / "b.py").write_text('__all__ = [\n    "f",\n]\n')
    (tmp_path / "c.py").write_text("x = 1\n")
    package = types.ModuleType("fake_pkg")
    package.__file__ = str(tmp_path / "__init__.py")
    monkeypatch.setitem(sys.modules, "fake_pkg", package)
    with pytest.raises(ImportError, match="'f' is exported by both a and b"):
        lazy_exports("fake_pkg", ["a", "b"])
    with pytest.raises(ImportError, match="must assign one literal __all__ list, found 0"):
        lazy_exports("fake_pkg", ["c"])
    where, getattr_, dir_ = lazy_exports("fake_pkg", ["b"])
    assert where == {"f": "b"} and "f" in dir_()
