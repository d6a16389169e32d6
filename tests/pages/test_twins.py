"""The tutorials' solution cells and the package's twins agree.

Every coding exercise ends with a solution cell (tag ``exercise-solution``) that defines a
function or a class, and the package has its own version under the same name, its *twin*
(``train`` in a tutorial, :func:`nma_dl.train` in the package). The self-checks grade students
against the twins, so a twin that drifted from its solution would fail correct answers. Here each
solution cell is executed in a fresh namespace (the tutorial's setup cell, then only the cell's
``import``, ``def`` and ``class`` statements: its demo calls need earlier cells' variables) and
compared with its twin on seeded inputs: functions give the same outputs (and, for ``train``, print
the same lines); classes have the same parameters and, with the same weights, the same forward.

The exercises are read from the pages by ``tests/_exercises.py``, which the checks' tests share.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io

import _pages  # tests/: the one reader and runner of the book's pages
import numpy as np
import pytest
import torch
from _exercises import EXERCISES, TUTORIALS, exercises_of, imported_names, namespace
from torch import nn

import nma_dl

PAIRS = [(exercise, name) for exercise in EXERCISES for name in exercise.names]


def test_the_tutorials_have_exercises():
    assert TUTORIALS, "no MyST source with an exercise-solution cell under book/"
    assert all(exercise.names for exercise in EXERCISES), [
        exercise.id for exercise in EXERCISES if not exercise.names
    ]


# --------------------------------------------------------------------------- comparisons


def _same_parameters(got, wanted):
    shapes_got = [(name, tuple(p.shape)) for name, p in got.named_parameters()]
    shapes_wanted = [(name, tuple(p.shape)) for name, p in wanted.named_parameters()]
    assert shapes_got == shapes_wanted


def _same_module(solution_cls, twin_cls, args, kwargs, shape, seed):
    """Same parameters, same initial weights from the same seed, same forward."""
    torch.manual_seed(seed)
    solution = solution_cls(*args, **kwargs)
    torch.manual_seed(seed)
    twin = twin_cls(*args, **kwargs)
    _same_parameters(solution, twin)
    for (name, a), (_, b) in zip(
        solution.named_parameters(), twin.named_parameters(), strict=True
    ):
        assert torch.equal(a, b), f"{name}: initial weights differ for the same seed"
    # Fresh weights, copied into the twin: the forward must agree on any weights.
    torch.manual_seed(seed + 1)
    with torch.no_grad():
        for p in solution.parameters():
            p.normal_()
    twin.load_state_dict(solution.state_dict())
    x = 2 * torch.randn(shape)  # many negative pre-activations
    with torch.no_grad():
        torch.testing.assert_close(solution(x), twin(x), rtol=1e-5, atol=1e-6)


def compare_DeepNetReLU(solution, twin):
    for seed, (n_in, n_hidden, shape) in enumerate(
        [(5, 4, (6, 5)), (20, 10, (3, 20)), (3, 7, (3,))]
    ):
        _same_module(solution, twin, (n_in, n_hidden), {}, shape, seed)


def compare_Net(solution, twin):
    configs = [
        ("ReLU()", 3, [4, 5], 2, (6, 3)),
        ("LeakyReLU(0.1)", 2, [100, 10, 5], 1, (100, 2)),  # the tutorial's
        ("PReLU()", 4, [6, 3], 3, (3, 2, 2)),  # image-shaped input, a parameter per activation
        ("Tanh()", 3, [], 2, (4, 3)),
    ]
    for seed, (actv, n_in, hidden, n_out, shape) in enumerate(configs):
        _same_module(solution, twin, (actv, n_in, hidden, n_out), {}, shape, seed)


def _run_train(train, net, data, labels, kwargs):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        losses = train(net, nn.MSELoss(), data, labels, **kwargs)
    return losses, out.getvalue().splitlines()


def compare_train(solution, twin):
    for seed, kwargs in enumerate([{}, {"n_epochs": 5, "learning_rate": 1e-2}, {"n_epochs": 20}]):
        torch.manual_seed(seed)
        data, labels = torch.randn(30, 8), 10 * torch.randn(30, 1)
        net = nma_dl.DeepNetReLU(8, 6)
        twin_net = copy.deepcopy(net)
        losses, printed = _run_train(solution, net, data, labels, kwargs)
        twin_losses, twin_printed = _run_train(twin, twin_net, data, labels, kwargs)
        assert isinstance(losses, list) and isinstance(twin_losses, list)
        assert losses == pytest.approx(twin_losses, rel=1e-6), kwargs
        assert printed == twin_printed, kwargs
        for (name, a), (_, b) in zip(
            net.named_parameters(), twin_net.named_parameters(), strict=True
        ):
            torch.testing.assert_close(a, b, rtol=1e-6, atol=1e-7, msg=f"{name} after {kwargs}")


def _assert_same_outputs(got, wanted, rtol=1e-5, atol=1e-6):
    if isinstance(wanted, tuple):
        assert isinstance(got, tuple) and len(got) == len(wanted)
        for a, b in zip(got, wanted, strict=True):
            _assert_same_outputs(a, b, rtol, atol)
        return
    assert isinstance(got, torch.Tensor)
    assert got.shape == wanted.shape and got.dtype == wanted.dtype
    torch.testing.assert_close(got, wanted, rtol=rtol, atol=atol)


def compare_approximate_function(solution, twin):
    torch.manual_seed(0)
    sine = torch.linspace(0, 2 * np.pi, 10).view(-1, 1)  # the tutorial's
    dense = torch.linspace(-3, 3, 40).view(-1, 1)
    uneven = (torch.cumsum(0.3 + torch.rand(6), 0) - 1).view(-1, 1)
    cases = [
        (sine, torch.sin(sine)),
        (dense, dense**2),
        (uneven, torch.randn(6, 1)),
        (torch.tensor([[-1.0], [2.0]]), torch.tensor([[0.5], [3.0]])),
    ]
    for x_train, y_train in cases:
        _assert_same_outputs(
            solution(x_train, y_train), twin(x_train, y_train), rtol=1e-5, atol=1e-5
        )


def compare_cross_entropy_loss(solution, twin):
    torch.manual_seed(0)
    cases = [
        (
            torch.tensor([[10.0, 1.0, -1.0, -20.0], [10.0, 10.0, 2.0, -10.0]]),
            torch.tensor([0, 1]),
        ),
        (3 * torch.randn(7, 5), torch.randint(0, 5, (7,))),
        (1000 * torch.randn(4, 6), torch.randint(0, 6, (4,))),  # overflows a literal exp
        (torch.randn(1, 2), torch.tensor([1])),
    ]
    for x, labels in cases:
        a, b = x.clone().requires_grad_(True), x.clone().requires_grad_(True)
        got, wanted = solution(a, labels), twin(b, labels)
        _assert_same_outputs(got, wanted)
        got.backward()
        wanted.backward()
        torch.testing.assert_close(a.grad, b.grad, rtol=1e-5, atol=1e-6)


def compare_shuffle_and_split_data(solution, twin):
    for n, seed in [(10, 2021), (4000, 2021), (23, 0), (1, 7)]:
        X = torch.arange(2 * n, dtype=torch.float32).reshape(n, 2)
        y = torch.arange(n)
        got, wanted = solution(X, y, seed=seed), twin(X, y, seed=seed)
        assert isinstance(got, tuple) and len(got) == len(wanted) == 4
        for a, b in zip(got, wanted, strict=True):
            assert torch.equal(a, b), (n, seed)


def compare_RDM(solution, twin):
    rng = np.random.default_rng(0)
    cases = [
        rng.normal(size=(6, 20)),
        rng.normal(size=(30, 3)) * rng.uniform(0.1, 10, size=(30, 1)) + 5,
        np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [0.0, 1.0, 5.0]]),
        rng.normal(size=(12, 500)).astype(np.float32),
    ]
    for resp in cases:
        got, wanted = solution(resp.copy()), twin(resp.copy())
        assert isinstance(got, np.ndarray) and got.shape == wanted.shape
        np.testing.assert_allclose(got, wanted, rtol=1e-5, atol=1e-5)


def compare_correlate_rdms(solution, twin):
    rng = np.random.default_rng(1)
    for n, noise in [(3, 0.5), (10, 1.0), (40, 3.0)]:
        resp = rng.normal(size=(n, 25))
        rdm1 = nma_dl.RDM(resp)
        rdm2 = nma_dl.RDM(resp + noise * rng.normal(size=resp.shape))
        got, wanted = solution(rdm1, rdm2), twin(rdm1, rdm2)
        assert float(got) == pytest.approx(wanted, abs=1e-10)


def compare_conv2d(solution, twin):
    gen = torch.Generator().manual_seed(0)
    cases = [((5, 6), (3, 3)), ((8, 7), (5, 3)), ((4, 4), (1, 1)), ((12, 16), (7, 7))]
    for image_shape, kernel_shape in cases:
        image = torch.randn(image_shape, generator=gen)
        kernel = torch.randn(kernel_shape, generator=gen)
        _assert_same_outputs(solution(image.clone(), kernel.clone()), twin(image, kernel))
    stimulus, kernel = nma_dl.grating(30), nma_dl.filters()[3, 0]  # the tutorial's
    _assert_same_outputs(solution(stimulus, kernel), twin(stimulus, kernel), atol=1e-5)


def compare_ConvolutionalLayer(solution, twin):
    # without filters: same parameters, same initial weights, same forward on any weights
    for seed, (args, shape) in enumerate([((1, 6, 7), (2, 1, 12, 16)), ((2, 3, 5), (4, 2, 9, 8))]):
        _same_module(solution, twin, args, {}, shape, seed)
    # with filters: the filters become the weights, the biases zero
    weights = nma_dl.filters()
    got = solution(1, 6, 7, filters=weights.clone())
    wanted = twin(1, 6, 7, filters=weights)
    for (name, a), (_, b) in zip(got.named_parameters(), wanted.named_parameters(), strict=True):
        assert torch.equal(a, b), name
    stimuli = torch.stack([nma_dl.grating(a) for a in np.linspace(-90, 90, 5)]).unsqueeze(1)
    with torch.no_grad():
        torch.testing.assert_close(got(stimuli), wanted(stimuli))


def compare_max_pool(solution, twin):
    gen = torch.Generator().manual_seed(0)
    for shape, K in [((6, 8), 2), ((3, 7, 11), 3), ((5, 6, 48, 64), 4), ((5, 5), 1)]:
        x = torch.randn(shape, generator=gen)
        got, wanted = solution(x.clone(), K), twin(x, K)
        assert got.shape == wanted.shape and torch.equal(got, wanted), (shape, K)


def compare_conv_weights(solution, twin):
    torch.manual_seed(0)
    layers = [
        nma_dl.ConvolutionalLayer(filters=nma_dl.filters()),
        nma_dl.ConvolutionalLayer(2, 3, 5),
    ]
    for layer in [*layers, nma_dl.CNN(16, 24)]:
        got, wanted = solution(layer), twin(layer)
        assert not got.requires_grad and torch.equal(got, wanted)
        _assert_same_outputs(got, wanted)


def compare_preferred_orientation(solution, twin):
    rng = np.random.default_rng(3)
    theta = np.deg2rad(np.arange(360))[:, None]
    for preferred in ([2, 357, 90, 180], rng.integers(0, 360, 6)):
        curves = np.exp(2 * (np.cos(theta - np.deg2rad(np.asarray(preferred))) - 1))
        resp = curves + 0.3 * rng.standard_normal(curves.shape)
        got, wanted = solution(resp.copy()), twin(resp.copy())
        np.testing.assert_array_equal(np.asarray(got), wanted)
        np.testing.assert_array_equal(np.asarray(solution(resp, 2)), twin(resp, 2))


def compare_DeepNetSoftmax(solution, twin):
    for seed, (n_in, n_hidden, n_classes, shape) in enumerate(
        [(5, 4, 3, (6, 5)), (20, 10, 20, (3, 20)), (3, 7, 2, (1, 3))]
    ):
        _same_module(solution, twin, (n_in, n_hidden, n_classes), {}, shape, seed)


def compare_regularized_loss(solution, twin):
    torch.manual_seed(0)
    for L2, L1 in [(1e-2, 5e-4), (0.5, 0.0), (0.0, 0.3), (0.0, 0.0)]:
        output = torch.log_softmax(torch.randn(7, 5), dim=1)
        target = torch.randint(0, 5, (7,))
        w = torch.randn(4, 6)
        a, b = w.clone().requires_grad_(True), w.clone().requires_grad_(True)
        got, wanted = solution(output, target, a, L2, L1), twin(output, target, b, L2, L1)
        _assert_same_outputs(got, wanted)
        if L2 or L1:
            got.backward()
            wanted.backward()
            torch.testing.assert_close(a.grad, b.grad, rtol=1e-5, atol=1e-6)


def compare_ConvFC(solution, twin):
    for seed, (args, kwargs, shape) in enumerate(
        [((5,), {}, (2, 1, 12, 16)), ((3, 1, 2, 3, 20), {}, (4, 1, 4, 5))]
    ):
        _same_module(solution, twin, args, kwargs, shape, seed)
    torch.manual_seed(3)
    got = solution(7, filters=nma_dl.filters())
    torch.manual_seed(3)
    wanted = twin(7, filters=nma_dl.filters())
    for (name, a), (_, b) in zip(got.named_parameters(), wanted.named_parameters(), strict=True):
        assert torch.equal(a, b), name
    _, images = nma_dl.grating_stimuli(8)
    with torch.no_grad():
        torch.testing.assert_close(got(images), wanted(images))


COMPARISONS = {
    "preferred_orientation": compare_preferred_orientation,
    "DeepNetSoftmax": compare_DeepNetSoftmax,
    "regularized_loss": compare_regularized_loss,
    "ConvFC": compare_ConvFC,
    "DeepNetReLU": compare_DeepNetReLU,
    "Net": compare_Net,
    "train": compare_train,
    "approximate_function": compare_approximate_function,
    "cross_entropy_loss": compare_cross_entropy_loss,
    "shuffle_and_split_data": compare_shuffle_and_split_data,
    "RDM": compare_RDM,
    "correlate_rdms": compare_correlate_rdms,
    "conv2d": compare_conv2d,
    "ConvolutionalLayer": compare_ConvolutionalLayer,
    "max_pool": compare_max_pool,
    "conv_weights": compare_conv_weights,
}


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize(
    ("exercise", "name"), PAIRS, ids=[f"{e.id.split(':')[0]}:{n}" for e, n in PAIRS]
)
def test_solution_matches_its_twin(exercise, name):
    assert name in nma_dl.__all__, f"{exercise.source} defines {name}, which nma_dl lacks"
    assert name in COMPARISONS, f"no comparison for {name}: add one to COMPARISONS"
    solution = namespace(exercise)[name]
    with _pages.isolated():
        COMPARISONS[name](solution, getattr(nma_dl, name))


@pytest.mark.parametrize(
    ("exercise", "name"), PAIRS, ids=[f"{e.id.split(':')[0]}:{n}" for e, n in PAIRS]
)
def test_solution_signature_starts_the_twins(exercise, name):
    """The twin takes the solution's arguments, in the same order, with the same defaults."""
    solution = namespace(exercise)[name]
    twin = getattr(nma_dl, name)
    ours = list(inspect.signature(solution).parameters.values())
    theirs = list(inspect.signature(twin).parameters.values())[: len(ours)]
    assert [(p.name, p.default) for p in ours] == [(p.name, p.default) for p in theirs]


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_setup_cell_imports_no_exercise_name(path):
    """The students write these names: importing the twins would hide an unfinished exercise."""
    exercises = exercises_of(path)
    imported = imported_names(exercises[0].setup)
    assert "*" not in imported, "the setup cell has a star import"
    written = {name for exercise in exercises for name in exercise.names}
    assert not imported & written


def test_every_check_has_an_exercise():
    from nma_dl import checks
    from nma_dl.checks._tutorials import TUTORIALS as TABLE

    exercised = {name for exercise in EXERCISES for name in exercise.names}
    check_names = {name for name in checks.__all__ if name.startswith("check_")}
    # A check grades a definition of a solution cell, or a choice the stub asks for (a variable).
    chosen = {e.name for t in TABLE.values() for e in t.exercises if e.name != e.argument}
    assert check_names == {f"check_{name}" for name in exercised | chosen}
    assert set(COMPARISONS) == exercised


@pytest.mark.parametrize("path", TUTORIALS, ids=[p.stem for p in TUTORIALS])
def test_the_package_s_table_of_exercises_is_the_page_s(path):
    """``nma_dl.checks._tutorials`` (what summary() and the grader use) lists the page's checks.

    Its title is the page's first heading, its exercises the page's self-check calls in order.
    """
    from nma_dl.checks._tutorials import TUTORIALS as TABLE

    entry = TABLE[path.stem]
    cells = _pages.cells(path)
    heading = next(
        c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("# ")
    )
    assert heading.splitlines()[0] == f"# {entry.title}"
    calls = [
        c.source.strip()
        for c in cells
        if c.cell_type == "code" and c.source.strip().startswith("check_")
    ]
    assert calls == [f"{e.check}({e.argument})" for e in entry.exercises]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_solution_cell_is_followed_by_its_check_cell(exercise):
    """After each solution (markdown between allowed), one ``check_<name>(<name>)`` cell a name.

    The line works in the student's notebook too, where the solution is collapsed markdown and
    the check runs on whatever the stub cell defined.
    """
    from nma_dl import checks

    for offset, name in enumerate(exercise.names):
        assert hasattr(checks, f"check_{name}")
        expected = f"check_{name}({name})"
        got = exercise.following[offset].strip() if offset < len(exercise.following) else None
        assert got == expected, (
            f"{exercise.source}: the code cell after the solution of {name} should be "
            f"exactly {expected!r}, got {got!r}"
        )
    # The check is called by name, so a cell before it (not a solution: the students' notebook
    # has those as markdown) must import it.
    missing = [
        f"check_{n}" for n in exercise.names if f"check_{n}" not in exercise.imported_before
    ]
    assert not missing, f"{exercise.source}: no code cell before the solution imports {missing}"
