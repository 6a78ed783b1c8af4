"""Classroom exercises: write one stage of runpy (or all of it) and have it graded.

``python -m runpy_ref.exercises list`` shows the exercises;
``start N`` copies the starter of exercise N to your working copy;
``check N [FILE]`` grades it; ``hint N`` shows the next hint.

The grader plugs the student's function into the real pipeline with
:func:`runpy_ref.stages.use_stages`, runs the same scenarios with the
reference stages and with the student's, and compares what came out (the
result, the exception, the state of ``sys`` afterwards, and the trace).  It
then runs the conformance suite's cases for that stage against a small shim
module, in a fresh interpreter, exactly as the suite runs any implementation.
Everything about the exercises (titles, files, the stage-to-behaviour map) is
data in :mod:`runpy_ref.exercises.catalog`.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .catalog import EXERCISES, STAGE_BEHAVIOURS, Exercise, exercise

__all__ = ["EXERCISES", "STAGE_BEHAVIOURS", "Exercise", "exercise"]


def __getattr__(name: str) -> object:
    """The catalogue's names, loaded on first use (PEP 562).

    A student's exercise file imports ``runpy_ref.exercises.kit``, and the
    grader runs it in a fresh interpreter for every conformance case: the
    catalogue (with :mod:`dataclasses` and :mod:`pathlib`) would cost each
    of them about 20 ms for nothing.
    """
    if name in __all__:
        from . import catalog

        return getattr(catalog, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
