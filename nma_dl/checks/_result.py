"""What a self-check returns: its verdict and the line it printed.

Nothing here imports torch or NumPy: ``import nma_dl.checks`` loads only this module, and the
checks themselves, which need torch, load on first use.
"""

from __future__ import annotations

from dataclasses import dataclass

PASSED = "passed"
NOT_IMPLEMENTED = "not implemented"
FAILED = "failed"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one self-check, with the line it printed.

    Attributes
    ----------
    name : str
        The exercise checked, e.g. ``"train"``.
    status : {"passed", "not implemented", "failed"}
        The verdict.
    message : str
        The line the check printed.
    """

    name: str
    status: str
    message: str

    def __bool__(self):
        """Whether the answer passed."""
        return self.status == PASSED

    def _ipython_display_(self):
        """Display nothing: the check has printed its line already."""
