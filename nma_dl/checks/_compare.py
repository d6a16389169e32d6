"""How the self-checks compare an answer with the reference, and hint at the mistake behind it.

Each comparison raises :class:`~nma_dl.checks._core._Mismatch` naming the first difference
(type, shape, dtype, values). :func:`_hinted` then adds, for a common slip, a hint that points
at the problem without giving the answer: the hint of the first typical mistake whose result
the answer matches.
"""

from __future__ import annotations

import contextlib

import torch

from nma_dl.checks._core import _call, _kind, _Mismatch
from nma_dl.i18n import tr


def _close(got, expected, rtol=1e-4, atol=1e-5):
    """Whether ``got`` is a tensor of the shape of ``expected``, with values close to it."""
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and torch.allclose(got.detach().cpu().to(expected.dtype), expected, rtol=rtol, atol=atol)
    )


@contextlib.contextmanager
def _hinted(got, hints, *, same=_close):
    """Add to the mismatch raised in the block the hint of the first mistake ``got`` shows.

    Parameters
    ----------
    got : object
        The student's result.
    hints : iterable of (candidate, str)
        Typical mistakes, the most telling first, each with its hint: a clause added to the
        mismatch's message as it is (``"; it has the opposite sign"``). The candidate is what
        the mistake gives; or, for a mistake that no single value shows, a function that tells
        whether ``got`` shows it (``lambda _: True`` for a hint that always applies). Read only
        when there is a mismatch: a generator computes its candidates only then.
    same : callable, optional
        ``same(got, candidate)``, whether ``got`` is what the candidate mistake gives; by
        default, a tensor of its shape and close values (rtol 1e-4, atol 1e-5).

    Raises
    ------
    _Mismatch
        The mismatch raised in the block, with the hint of the first mistake that fits, if any.
    """
    try:
        yield
    except _Mismatch as mismatch:
        fits = (
            hint
            for candidate, hint in hints
            if (candidate(got) if callable(candidate) else same(got, candidate))
        )
        raise _Mismatch(f"{mismatch}{next(fits, '')}") from None


def _same_layout(got, expected):
    """Whether ``got`` is a tensor of the shape and dtype of ``expected`` (values aside)."""
    return (
        isinstance(got, torch.Tensor)
        and got.shape == expected.shape
        and got.dtype == expected.dtype
    )


def _max_difference(got, expected):
    return (got.detach().cpu().double() - expected.double()).abs().max().item()


def _compare_tensor(got, expected, what, *, exact=False, rtol=1e-4, atol=1e-5):
    """Raise _Mismatch naming the first of type, shape, dtype and values that differs."""
    if not isinstance(got, torch.Tensor):
        raise _Mismatch(_not_a_tensor(what, got))
    if got.shape != expected.shape:
        shape = tuple(expected.shape)
        wanted = tr("{shape} (a single number)", shape=shape) if not shape else f"{shape}"
        raise _Mismatch(_shape_differs(what, tuple(got.shape), wanted))
    if got.dtype != expected.dtype:
        raise _Mismatch(
            tr(
                "{what} has dtype {got}, expected {expected}",
                what=what,
                got=got.dtype,
                expected=expected.dtype,
            )
        )
    got = got.detach().cpu()
    if exact:
        if not torch.equal(got, expected):
            raise _Mismatch(_differs(what))
        return
    if not torch.isfinite(got).all() and torch.isfinite(expected).all():
        raise _Mismatch(
            tr("{what} holds NaN or infinite values where the reference's is finite", what=what)
        )
    if not torch.allclose(got, expected, rtol=rtol, atol=atol):
        raise _Mismatch(_off_by(what, _max_difference(got, expected)))


# The wording of the differences, shared by the checks.


def _not_a_tensor(what, got):
    return tr("{what} is {kind}, expected a torch.Tensor", what=what, kind=_kind(got))


def _shape_differs(what, got, expected):
    return tr("{what} has shape {got}, expected {expected}", what=what, got=got, expected=expected)


def _differs(what):
    return tr("{what} differs from the reference's", what=what)


def _off_by(what, error):
    return tr("{what} is off by {error} (max abs difference)", what=what, error=f"{error:.3g}")


def _unpack(got, names, call):
    """Check that ``got`` is a tuple of ``len(names)`` values and return it as a tuple."""
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        raise _Mismatch(
            tr(
                "{call} returned {kind}, expected the tuple ({names})",
                call=call,
                kind=_kind(got),
                names=", ".join(names),
            )
        )
    return tuple(got)


# --------------------------------------------------------------------------- networks


def _not_an_instance(value, exercise):
    if isinstance(value, torch.nn.Module):
        raise _Mismatch(
            tr(
                "got a network object (an instance of {cls}), not the class: pass the class "
                "itself, check_{exercise}({exercise})",
                cls=type(value).__name__,
                exercise=exercise,
            )
        )


def _build(what, cls, *args, **kwargs):
    net = _call(what, cls, *args, **kwargs)
    if not isinstance(net, torch.nn.Module):
        raise _Mismatch(tr("the class made {kind}, expected a torch.nn.Module", kind=_kind(net)))
    return net


def _missing_parameters(net, reference):
    """Return the names of the parameters of ``reference`` that ``net`` lacks."""
    got = dict(net.named_parameters())
    return [name for name, _ in reference.named_parameters() if name not in got]


def _load_parameters(net, reference, what):
    """Check the parameters' names and shapes, redraw them, copy them into ``reference``."""
    got = {name: tuple(p.shape) for name, p in net.named_parameters()}
    wanted = {name: tuple(p.shape) for name, p in reference.named_parameters()}
    missing = _missing_parameters(net, reference)
    if missing:
        more = tr(" (and {count} more)", count=len(missing) - 1) if len(missing) > 1 else ""
        raise _Mismatch(
            tr("{what} has no parameter {name}{more}", what=what, name=missing[0], more=more)
        )
    unexpected = [name for name in got if name not in wanted]
    if unexpected:
        raise _Mismatch(
            tr("{what} has an unexpected parameter {name}", what=what, name=unexpected[0])
        )
    for name, shape in wanted.items():
        if got[name] != shape:
            raise _Mismatch(_shape_differs(_parameter(what, name), got[name], shape))
    values = dict(net.named_parameters())
    with torch.no_grad():
        # Redrawn wider than the default initialisation, so that outputs (not only hidden
        # pre-activations) take both signs and a misplaced activation shows.
        for name in sorted(values):
            values[name].normal_()
        for name, p in reference.named_parameters():
            if values[name].dtype != p.dtype:
                raise _Mismatch(
                    tr(
                        "{what} has dtype {got}, expected {expected}",
                        what=_parameter(what, name),
                        got=values[name].dtype,
                        expected=p.dtype,
                    )
                )
            p.copy_(values[name].detach().cpu())


def _parameter(what, name):
    """Name the parameter ``name`` of the network ``what``: ``"the network's in_layer.weight"``."""
    return tr("{what}'s {name}", what=what, name=name)
