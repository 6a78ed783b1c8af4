"""Real mistakes, as edits of the reference solutions.

Each one is a slip seen when people write runpy (several are bugs CPython's
own runpy had, see the teacher's guide); the tests check that the grader
catches each with a message that names the right behaviour, and that the
excerpts of grader output quoted in ``tutorials/teachers-guide.md`` are real.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mistake:
    id: str
    exercise: int
    solution: str
    old: str
    new: str
    behaviour: str
    """The catalogue entry the grader must quote first."""


_RUN_CODE = "_run_code(code, temp.module.__dict__, init_globals, mod_name, mod_spec, pkg_name, script_name)"

MISTAKES: tuple[Mistake, ...] = (
    Mistake(
        "wrapped-parent-error", 1, "01_find_spec.py",
        "        try:\n            __import__(pkg_name)\n        except ImportError as exc:",
        "        try:\n            __import__(pkg_name)\n        except Exception as exc:\n"
        "            raise error(profile.spec_error_template.format(\n"
        "                name=mod_name, type=type(exc).__name__, error=exc)) from exc\n"
        "        except ImportError as exc:",
        "RM-25",
    ),
    Mistake(
        "unreported-refusal", 1, "01_find_spec.py",
        '        raise failure(error, "No module named %s" % mod_name, stage="find_spec", ids=("ERR-01",))',
        '        raise error("No module named %s" % mod_name)',
        "ERR-01",
    ),
    Mistake(
        "main-package-recursion", 2, "02_pick_main.py",
        '        if name == "__main__" or name.endswith(".__main__"):\n'
        '            raise failure(error, "Cannot use package as __main__ module", stage="pick_main", '
        'ids=("RM-22", "ERR-05"))\n',
        "",
        "RM-22",
    ),
    Mistake(
        "spec-from-run-name", 3, "03_build_globals.py",
        '        "__spec__": spec,',
        '        "__spec__": spec if spec is None or spec.name == run_name else None,',
        "RM-14",
    ),
    Mistake(
        "package-from-run-name", 3, "03_build_globals.py",
        "        if pkg_name is None:\n            pkg_name = spec.parent",
        '        if pkg_name is None:\n            pkg_name = run_name.rpartition(".")[0]',
        "RM-11",
    ),
    Mistake(
        "argv-rebound", 4, "04_alter_sys.py",
        "        saved, sys.argv[:] = list(sys.argv), change.values",
        "        saved = sys.argv\n        sys.argv = list(change.values)",
        "CLI-09",
    ),
    Mistake(
        "dash-c-during-search", 4, "04_alter_sys.py",
        "        saved, sys.argv[:] = list(sys.argv), change.values",
        '        saved, sys.argv[:] = list(sys.argv), [("-c" if v == "-m" else v) for v in change.values]',
        "CLI-09",
    ),
    Mistake(
        "exit-turned-into-error", 5, "05_exec.py",
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n        raise',
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n'
        '        raise RuntimeError(f"the module exited with {exc.code}") from exc',
        "ERR-12",
    ),
    Mistake(
        "path-entry-already-gone", 6, "06_restore.py",
        "        try:\n            sys.path.remove(change.entry)\n        except ValueError:\n"
        "            action = \"already gone\"  # the code removed it itself: nothing to undo (RP-07)\n"
        "        else:\n            action = \"removed\"",
        "        sys.path.remove(change.entry)\n        action = \"removed\"",
        "RP-07",
    ),
    Mistake(
        "no-restore-on-exception", 7, "07_runpy.py",
        "    with _TempModule(mod_name) as temp, _ModifiedArgv0(fname):\n"
        f"        {_RUN_CODE}\n"
        "    return temp.module.__dict__.copy()",
        "    temp, argv0 = _TempModule(mod_name), _ModifiedArgv0(fname)\n"
        "    temp.__enter__()\n    argv0.__enter__()\n"
        f"    {_RUN_CODE}\n"
        "    argv0.__exit__()\n    temp.__exit__()\n"
        "    return temp.module.__dict__.copy()",
        "RM-18",
    ),
)
