"""Each tutorial's exercises, in page order: what ``summary()`` lists and the grader grades.

One entry per tutorial, keyed by its notebook's name. An exercise is the name its self-check
checks (``check_<name>``) and the global variable of the student's notebook that the check takes:
the function or class the exercise defines, or, for a choice such as Tutorial 4's loss, the
variable the stub asks for. ``tests/pages/test_twins.py`` proves the table equal to the pages.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    """One self-checked exercise: ``check_<name>(<argument>)`` grades it."""

    name: str
    argument: str

    @property
    def check(self):
        """Name of its self-check in :mod:`nma_dl.checks`."""
        return f"check_{self.name}"


@dataclass(frozen=True)
class Tutorial:
    """A tutorial's notebook name, its title (its first heading) and its exercises."""

    notebook: str
    title: str
    exercises: tuple[Exercise, ...]


def _exercises(*names):
    return tuple(Exercise(*n) if isinstance(n, tuple) else Exercise(n, n) for n in names)


TUTORIALS = {
    t.notebook: t
    for t in (
        Tutorial(
            "W1D3_Tutorial1",
            "Tutorial 1: Biological vs. artificial neural networks",
            _exercises(
                "approximate_function", "Net", "cross_entropy_loss", "shuffle_and_split_data"
            ),
        ),
        Tutorial(
            "W1D5_Tutorial1",
            "Tutorial 1: Decoding neural responses",
            _exercises("DeepNetReLU", "train"),
        ),
        Tutorial(
            "W1D5_Tutorial2",
            "Tutorial 2: Convolutional neural networks",
            _exercises("conv2d", "ConvolutionalLayer", "max_pool", "conv_weights"),
        ),
        Tutorial(
            "W1D5_Tutorial3",
            "Tutorial 3: Building and evaluating normative encoding models",
            _exercises("RDM", "correlate_rdms"),
        ),
        Tutorial(
            "W1D5_Tutorial4",
            "Tutorial 4: Diving deeper into decoding and encoding (bonus)",
            _exercises(
                "preferred_orientation",
                "DeepNetSoftmax",
                ("loss_choice", "loss_fn"),
                "regularized_loss",
                "ConvFC",
            ),
        ),
    )
}
