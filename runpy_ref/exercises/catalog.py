"""The exercises, as data: files, functions, and which behaviours each stage owns.

``STAGE_BEHAVIOURS`` maps a stage to the catalogue entries
(``conformance/catalogue/behaviours.json``) whose outcome that stage
decides.  The grader uses it twice: to pick the conformance cases that grade
an exercise (every case citing one of the stage's entries), and to choose
which documented statement to quote when a scenario fails.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["EXERCISES", "STAGE_BEHAVIOURS", "Exercise", "exercise", "project_root", "tutorials_dir"]

STAGE_BEHAVIOURS: dict[str, tuple[str, ...]] = {
    "find_spec": (
        "RM-03", "RM-05", "RM-24", "RM-25", "RM-27", "CLI-01", "CLI-02", "CLI-04", "CLI-18", "CLI-25",
        "ERR-01", "ERR-02", "ERR-03", "ERR-06", "ERR-07",
    ),
    "pick_main": (
        "RM-04", "RM-06", "RM-22", "RM-23", "RM-26", "RM-28", "CLI-05", "CLI-06", "CLI-07",
        "RP-03", "RP-04", "RP-05", "RP-08", "RP-09", "RP-22", "RP-23",
        "ERR-04", "ERR-05", "ERR-08", "ERR-09", "ERR-10", "ERR-11",
    ),
    "build_globals": (
        "G-11", "G-12", "G-13", "G-17", "RM-08", "RM-09", "RM-10", "RM-11", "RM-12", "RM-13", "RM-14",
        "RM-15", "RM-16", "RP-11", "RP-12", "RP-13", "RP-14", "RP-15", "RP-16", "RP-17", "RP-21",
        "CLI-16", "CLI-23",
    ),
    "alter_sys": (
        "RM-17", "RM-19", "RM-20", "RM-21", "RP-06", "RP-10", "RP-18", "RP-19", "RP-20",
        "CLI-03", "CLI-08", "CLI-09", "CLI-10", "CLI-14", "CLI-21", "CLI-22",
    ),
    "exec": ("G-06", "G-08", "G-14", "G-16", "RM-02", "ERR-12", "CLI-19", "CLI-26"),
    "restore": ("RM-17", "RM-18", "RM-19", "RP-06", "RP-07", "RP-10", "RP-18", "RP-19"),
}
"""Stage -> catalogue IDs whose outcome the stage decides (a few belong to two stages)."""

STAGE_ORDER: tuple[str, ...] = ("find_spec", "pick_main", "build_globals", "alter_sys", "exec", "restore")
"""The six stages in the order the documentation numbers them (stage 1 is find_spec)."""


@dataclass(frozen=True)
class Exercise:
    """One exercise: which functions the student writes and how they are plugged in."""

    number: int
    slug: str
    title: str
    stage: str
    """A key of :data:`STAGE_BEHAVIOURS`, or ``"runpy"`` for the whole module."""
    functions: dict[str, str]
    """Function the student defines -> stage-table key it replaces (``""``: a module-level API)."""
    lesson: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.py"

    @property
    def whole_module(self) -> bool:
        return self.stage == "runpy"

    @property
    def stage_number(self) -> int:
        """The stage's place among the six (find_spec is 1, restore 6); 0 for the whole module.

        Exercise N writes stage N, and lesson N + 1 teaches it: lesson 1 is
        the overview, lesson 8 (exercise 7) puts the six stages together.
        """
        return STAGE_ORDER.index(self.stage) + 1 if self.stage in STAGE_ORDER else 0

    @property
    def lesson_number(self) -> int:
        return int(self.lesson.split("-", 1)[0])

    @property
    def behaviours(self) -> tuple[str, ...]:
        """The catalogue entries this exercise is graded on (all of them for the final one)."""
        if self.whole_module:
            seen: dict[str, None] = {}
            for ids in STAGE_BEHAVIOURS.values():
                seen.update(dict.fromkeys(ids))
            return tuple(seen)
        return STAGE_BEHAVIOURS[self.stage]

    def starter_path(self) -> Path:
        return tutorials_dir() / "exercises" / "starters" / self.filename

    def solution_path(self) -> Path:
        return tutorials_dir() / "exercises" / "solutions" / self.filename

    def work_path(self) -> Path:
        return tutorials_dir() / "exercises" / "work" / self.filename


EXERCISES: tuple[Exercise, ...] = (
    Exercise(1, "find_spec", "find_spec: ask the import system where the module is", "find_spec",
             {"find_spec": "find_spec"}, "02-find-spec.md"),
    Exercise(2, "pick_main", "pick_main: a package runs its __main__; load the code", "pick_main",
             {"pick_main": "pick_main", "pick_path": "pick_path"}, "03-pick-main.md"),
    Exercise(3, "build_globals", "build_globals: __name__, __file__, __spec__ and friends", "build_globals",
             {"build_globals": "build_globals"}, "04-build-globals.md"),
    Exercise(4, "alter_sys", "alter_sys: change sys.argv, sys.modules and sys.path", "alter_sys",
             {"alter_sys": "alter_sys"}, "05-alter-sys.md"),
    Exercise(5, "exec", "exec: run the code and report how it ended", "exec",
             {"exec_code": "exec"}, "06-exec.md"),
    Exercise(6, "restore", "restore: give the caller its sys back", "restore",
             {"restore": "restore"}, "07-restore.md"),
    Exercise(7, "runpy", "runpy: run_module, run_path and python -m, all of it", "runpy",
             {"run_module": "", "run_path": "", "_run_module_as_main": ""}, "08-implement-runpy.md"),
)


def exercise(number: int) -> Exercise:
    """The exercise numbered ``number``; a clear error for any other number."""
    for item in EXERCISES:
        if item.number == number:
            return item
    known = ", ".join(str(e.number) for e in EXERCISES)
    raise LookupError(f"there is no exercise {number}; the exercises are {known}")


def project_root() -> Path:
    """The checkout runpy_ref is imported from (tutorials/ and conformance/ live there)."""
    return Path(__file__).resolve().parent.parent.parent


def tutorials_dir() -> Path:
    """``tutorials/`` of the checkout, or ``$RUNPY_REF_TUTORIALS``."""
    override = os.environ.get("RUNPY_REF_TUTORIALS")
    return Path(override).resolve() if override else project_root() / "tutorials"
