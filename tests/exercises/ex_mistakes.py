"""The mistake corpus: typical wrong solutions, as edits of the reference solutions.

Each entry is a slip seen when people write runpy, most of them ones a lesson
warns against (several are bugs CPython's own runpy had, see the teacher's
guide).  ``test_ex_mistakes.py`` grades every one and requires that

* it fails (a grader that passes a wrong solution cannot be trusted);
* the feedback names the mistake: each phrase of ``says`` appears in the
  rendered report (a catalogue ID quoted, the lesson's own words, or the
  line of the student's file);
* where ``behaviour`` is given, that catalogue entry is the one quoted first;

and that the excerpts of grader output quoted in
``tutorials/teachers-guide.md`` are real.
"""

from __future__ import annotations

from dataclasses import dataclass

# ruff: noqa: E501 - each edit quotes a line of a solution as it is


@dataclass(frozen=True)
class Mistake:
    id: str
    exercise: int
    solution: str
    old: str
    new: str
    behaviour: str = ""
    """The catalogue entry the grader must quote first ("" when the feedback names it otherwise)."""
    says: tuple[str, ...] = ()
    """Phrases the rendered report must contain: how the feedback names this mistake."""


_RUN_CODE = "_run_code(code, temp.module.__dict__, init_globals, mod_name, mod_spec, pkg_name, script_name)"

_F1, _F2, _F3, _F4, _F5, _F6, _F7 = ("01_find_spec.py", "02_pick_main.py", "03_build_globals.py",
                                      "04_alter_sys.py", "05_exec.py", "06_restore.py", "07_runpy.py")

MISTAKES: tuple[Mistake, ...] = (
    # -- exercise 1: find_spec ------------------------------------------------------------
    Mistake(
        "wrapped-parent-error", 1, _F1,
        "        try:\n            __import__(pkg_name)\n        except ImportError as exc:",
        "        try:\n            __import__(pkg_name)\n        except Exception as exc:\n"
        "            raise error(profile.spec_error_template.format(\n"
        "                name=mod_name, type=type(exc).__name__, error=exc)) from exc\n"
        "        except ImportError as exc:",
        "RM-25", ("raised ValueError: badparent refuses to be imported",),
    ),
    Mistake(
        "parent-import-error-swallowed", 1, _F1,
        "            if missing is None or (missing != pkg_name and not pkg_name.startswith(missing + \".\")):\n"
        "                report_failure(exc, stage=\"find_spec\", ids=(\"RM-25\", \"CLI-18\"))\n"
        "                raise\n",
        "            pass  # every ImportError taken for a missing parent\n",
        "RM-25", ("brokenimport", "no_such_module_inside_brokenimport"),
    ),
    Mistake(
        "relative-name-accepted", 1, _F1,
        '    if profile.reject_relative_names and mod_name.startswith("."):\n'
        '        raise failure(error, "Relative module names not supported", stage="find_spec", ids=("RM-05", "ERR-06"))\n',
        "",
        "RM-05", ("Relative module names not supported",),
    ),
    Mistake(
        "no-py-suffix-hint", 1, _F1,
        "        if profile.py_suffix_hint and mod_name.endswith(\".py\"):\n"
        "            message += f\". Try using '{mod_name[:-3]}' instead of '{mod_name}' as the module name.\"\n",
        "",
        "ERR-07", ("a file name given as a module name", "Try using 'mod' instead of 'mod.py'"),
    ),
    Mistake(
        "no-double-import-warning", 1, _F1,
        "            warnings.warn(RuntimeWarning(message))  # noqa: B028 - stacklevel 1, as CPython's runpy\n",
        "",
        "RM-24", ("RuntimeWarning", "warnings"),
    ),
    Mistake(
        "importerror-not-error-class", 1, _F1,
        '        raise failure(error, "No module named %s" % mod_name, stage="find_spec", ids=("ERR-01",))',
        '        raise ImportError("No module named %s" % mod_name)',
        "", ("python -m on a missing module",
             "raise the `error` class the stage receives, never ImportError itself"),
    ),
    Mistake(
        "lookup-error-not-chained", 1, _F1,
        '        raise failure(error, message, stage="find_spec", ids=("ERR-02", "ERR-03")) from exc',
        '        raise failure(error, message, stage="find_spec", ids=("ERR-02", "ERR-03")) from None',
        "", ("the difference is in chained", "`from None` hides it"),
    ),
    Mistake(
        "unreported-refusal", 1, _F1,
        '        raise failure(error, "No module named %s" % mod_name, stage="find_spec", ids=("ERR-01",))',
        '        raise error("No module named %s" % mod_name)',
        "ERR-01", ("find_spec stops here", "rather than raise error(message)"),
    ),
    Mistake(
        "parent-not-told", 1, _F1,
        "        else:\n            emit(ParentImported(pkg_name, mod_name))\n",
        "",
        "RM-03", ("event", "imported parent package 'pkg'"),
    ),
    # -- exercise 2: pick_main -------------------------------------------------------------
    Mistake(
        "main-package-recursion", 2, _F2,
        '        if name == "__main__" or name.endswith(".__main__"):\n'
        '            raise failure(error, "Cannot use package as __main__ module", stage="pick_main",\n'
        '                          ids=("RM-22", "ERR-05"))\n',
        "",
        "RM-22", ("Cannot use package as __main__ module",),
    ),
    Mistake(
        "refusal-not-told", 2, _F2,
        '            raise failure(error, "Cannot use package as __main__ module", stage="pick_main",\n'
        '                          ids=("RM-22", "ERR-05"))',
        '            raise error("Cannot use package as __main__ module")',
        "RM-22", ("pick_main stops here", "rather than raise error(message)"),
    ),
    Mistake(
        "directory-read-as-file", 2, _F2,
        "    if importer is not None:\n",
        "    if importer is not None and False:  # every path read as a file\n",
        "RP-05", ("run_path('app'): a directory with __main__.py",),
    ),
    Mistake(
        "builtin-code-none-accepted", 2, _F2,
        '    if code is None:\n        raise failure(error, f"No code object available for {name}", stage="pick_main", ids=("ERR-08", "RM-26"))\n',
        "",
        "RM-26", ("No code object available for sys",),
    ),
    Mistake(
        "source-before-bytecode", 2, _F2,
        "    code, source = code_from_file(path_name)",
        "    import io\n"
        "    with io.open_code(os.path.abspath(os.fsdecode(path_name))) as stream:\n"
        "        code, source = compile(stream.read(), path_name, \"exec\"), \"source file\"",
        "", ("compiled.bin",),
    ),
    # -- exercise 3: build_globals ---------------------------------------------------------
    Mistake(
        "spec-from-run-name", 3, _F3,
        '        "__spec__": spec,',
        '        "__spec__": spec if spec is None or spec.name == run_name else None,',
        "RM-14", ("the difference is in globals.__spec__",),
    ),
    Mistake(
        "package-from-run-name", 3, _F3,
        "        if pkg_name is None:\n            pkg_name = spec.parent",
        '        if pkg_name is None:\n            pkg_name = run_name.rpartition(".")[0]',
        "RM-11", ("the difference is in globals.__package__",),
    ),
    Mistake(
        "doc-not-reset", 3, _F3,
        '        "__doc__": None,',
        '        "__doc__": (init_globals or {}).get("__doc__"),',
        "G-13", ("__doc__",),
    ),
    Mistake(
        "file-is-cached-path", 3, _F3,
        "        loader, fname, cached = spec.loader, spec.origin, spec.cached",
        "        loader, fname, cached = spec.loader, spec.cached, spec.cached",
        "RM-09", ("globals.__file__",),
    ),
    Mistake(
        "init-globals-win", 3, _F3,
        "        kept=tuple(key for key in given if key not in values),\n"
        "        overridden=tuple(key for key in given if key in values),",
        "        kept=tuple(given),\n        overridden=(),",
        "", ("data.kept: expected ['extra', 'other']",),
    ),
    # -- exercise 4: alter_sys -------------------------------------------------------------
    Mistake(
        "argv-rebound", 4, _F4,
        "        saved, sys.argv[:] = list(sys.argv), change.values",
        "        saved = sys.argv\n        sys.argv = list(change.values)",
        "CLI-09", ("sys.argv must still be the same list object afterwards",),
    ),
    Mistake(
        "dash-c-during-search", 4, _F4,
        "        saved, sys.argv[:] = list(sys.argv), change.values",
        '        saved, sys.argv[:] = list(sys.argv), [("-c" if v == "-m" else v) for v in change.values]',
        "CLI-09", ("-> ['-c', 'x']",),
    ),
    Mistake(
        "path-appended", 4, _F4,
        "        saved = MISSING\n        sys.path.insert(0, change.entry)",
        "        saved = MISSING\n        sys.path.append(change.entry)",
        "", ("globals.seen.path0", "the entry goes at the front of sys.path, never at the end"),
    ),
    Mistake(
        "module-saved-as-none", 4, _F4,
        "            saved = sys.modules.get(change.name, MISSING)",
        "            saved = sys.modules.get(change.name)",
        "", ("after.modules",),
    ),
    Mistake(
        "path-replace-first-ignored", 4, _F4,
        "    elif isinstance(change, InsertPath) and change.replace_first and sys.path:\n"
        "        saved, sys.path[0] = sys.path[0], change.entry\n",
        "",
        "", ("python DIR replaces sys.path[0] with the directory",),
    ),
    # -- exercise 5: exec ------------------------------------------------------------------
    Mistake(
        "exit-turned-into-error", 5, _F5,
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n        raise',
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n'
        '        raise RuntimeError(f"the module exited with {exc.code}") from exc',
        "ERR-12", ("raised RuntimeError: the module exited with 3",),
    ),
    Mistake(
        "reraise-by-name", 5, _F5,
        '        emit(ExecFinished(name, "raised", type(exc).__name__))\n        raise',
        '        emit(ExecFinished(name, "raised", type(exc).__name__))\n        raise exc',
        "ERR-12", ("the exception was re-raised by name", "`raise exc` at reraise-by-name.py:", "bare `raise`"),
    ),
    Mistake(
        "except-exception", 5, _F5,
        "    except BaseException as exc:",
        "    except Exception as exc:",
        "ERR-12", ("`except Exception` does not see this ending", "catch BaseException"),
    ),
    Mistake(
        "exit-swallowed", 5, _F5,
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n        raise',
        '        return emit(ExecFinished(name, "exit", "SystemExit", exc.code))',
        "", ("SystemExit(3)", "SystemExit must reach the caller as it is"),
    ),
    Mistake(
        "systemexit-after-baseexception", 5, _F5,
        "    except SystemExit as exc:\n"
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n        raise\n'
        "    except BaseException as exc:\n"
        '        emit(ExecFinished(name, "raised", type(exc).__name__))\n        raise',
        "    except BaseException as exc:\n"
        '        emit(ExecFinished(name, "raised", type(exc).__name__))\n        raise\n'
        "    except SystemExit as exc:  # never reached: BaseException caught it\n"
        '        emit(ExecFinished(name, "exit", "SystemExit", exc.code))\n        raise',
        "", ("called sys.exit(3)", "SystemExit must reach the caller as it is"),
    ),
    Mistake(
        "exec-without-namespace", 5, _F5,
        "        exec(code, namespace)",
        "        exec(code, dict(namespace))",
        "", ("globals",),
    ),
    # -- exercise 6: restore ---------------------------------------------------------------
    Mistake(
        "path-entry-already-gone", 6, _F6,
        "        try:\n            sys.path.remove(change.entry)\n            action = \"removed\"\n        except ValueError:\n"
        "            action = \"already gone\"  # the code removed it itself: nothing to undo (RP-07)",
        "        sys.path.remove(change.entry)\n        action = \"removed\"",
        "RP-07", ("raised ValueError: list.remove(x): x not in list",),
    ),
    Mistake(
        "missing-restored-as-none", 6, _F6,
        "        if saved is MISSING:\n            sys.modules.pop(change.name, None)\n            action = \"removed\"\n"
        "        else:\n            sys.modules[change.name] = saved",
        "        sys.modules[change.name] = saved",
        "", ("after.modules",),
    ),
    Mistake(
        "argv-rebound-on-restore", 6, _F6,
        "        sys.argv[:] = saved",
        "        sys.argv = list(saved)",
        "", ("sys.argv must still be the same list object afterwards",),
    ),
    Mistake(
        "path-pop-first", 6, _F6,
        "        try:\n            sys.path.remove(change.entry)\n            action = \"removed\"\n        except ValueError:\n"
        "            action = \"already gone\"  # the code removed it itself: nothing to undo (RP-07)",
        "        del sys.path[0]\n        action = \"removed\"",
        "", ("the code removes its own sys.path entry", "sys.path must end as it started"),
    ),
    Mistake(
        "argv0-left-behind", 6, _F6,
        "    if isinstance(change, SetArgv0):\n        sys.argv[0] = saved\n",
        "    if isinstance(change, SetArgv0):\n        pass  # forgotten\n",
        "", ("after.argv[0]",),
    ),
    Mistake(
        "overwritten-entry-removed", 6, _F6,
        "    elif isinstance(change, InsertPath) and saved is not MISSING:\n        sys.path[0] = saved\n",
        "",
        "", ("python -m runpy_ref --path app y", "sys.path must end as it started"),
    ),
    # -- exercise 7: all of runpy -------------------------------------------------------------
    Mistake(
        "no-restore-on-exception", 7, _F7,
        "    with _TempModule(mod_name) as temp, _ModifiedArgv0(fname):\n"
        f"        {_RUN_CODE}\n"
        "    return temp.module.__dict__.copy()",
        "    temp, argv0 = _TempModule(mod_name), _ModifiedArgv0(fname)\n"
        "    temp.__enter__()\n    argv0.__enter__()\n"
        f"    {_RUN_CODE}\n"
        "    argv0.__exit__()\n    temp.__exit__()\n"
        "    return temp.module.__dict__.copy()",
        "RM-18", ("the difference is in after.argv[0]",),
    ),
    Mistake(
        "silent-runpy", 7, _F7,
        "def _changed(change: Any, before: Any) -> None:",
        "def emit(record: Any) -> Any:  # a runpy that does the work and tells nothing\n"
        "    return record\n\n\n"
        "def _changed(change: Any, before: Any) -> None:",
        "", ("your runpy tells no story", "exercise 7 is to write the six stages"),
    ),
    Mistake(
        "spec-from-run-name-7", 7, _F7,
        '        "__spec__": mod_spec,',
        '        "__spec__": mod_spec if mod_spec is None or mod_spec.name == mod_name else None,',
        "RM-14", ("the difference is in globals.__spec__",),
    ),
    Mistake(
        "main-package-recursion-7", 7, _F7,
        '        if mod_name == "__main__" or mod_name.endswith(".__main__"):\n'
        '            raise error("Cannot use package as __main__ module")\n',
        "",
        "RM-22", ("Cannot use package as __main__ module",),
    ),
    Mistake(
        "wrapped-parent-error-7", 7, _F7,
        "        try:\n            __import__(pkg_name)\n        except ImportError as exc:",
        "        try:\n            __import__(pkg_name)\n        except Exception as exc:\n"
        "            raise error(f\"Error while finding module specification for {mod_name!r} \"\n"
        "                        f\"({type(exc).__name__}: {exc})\") from exc\n"
        "        except ImportError as exc:",
        "RM-25", ("raised ValueError: badparent refuses to be imported",),
    ),
    Mistake(
        "main-not-put-back", 7, _F7,
        "        before = read_target(change)\n        sys.modules[\"__main__\"] = saved_main\n"
        "        _restored(change, before)",
        "        pass",
        "", ("the program's own __main__ module must be back in sys.modules",),
    ),
    Mistake(
        "story-out-of-order", 7, _F7,
        "    emit(ExecStarted(mod_name, namespace_kind(run_globals, mod_name)))\n    try:\n        exec(code, run_globals)",
        "    try:\n        exec(code, run_globals)\n        emit(ExecStarted(mod_name, namespace_kind(run_globals, mod_name)))",
        "", ("exec event 1 differs",),
    ),
)
