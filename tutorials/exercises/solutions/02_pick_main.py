"""Exercise 2: pick_main - which module's code runs, and where does the code come from?

Contracts (from ``runpy_ref/stages/``)::

    pick_main(found, *, error, profile) -> MainChoice | PackageRedirect   # run_module, python -m
    pick_path(path_name, *, profile) -> PathChoice        # run_path, python DIR/ZIP/FILE

Check your work with ``python -m runpy_ref.exercises check 2``.
"""

from __future__ import annotations

import os
from pkgutil import get_importer
from typing import Any

from runpy_ref.exercises.kit import (
    MainChoice,
    PackageRedirect,
    PathChoice,
    Profile,
    SpecFound,
    code_from_file,
    emit,
    failure,
    is_null_importer,
    report_failure,
)


def pick_main(found: SpecFound, *, error: type[Exception], profile: Profile) -> MainChoice | PackageRedirect:
    """Choose the code object to run for the module ``found`` describes.

    * A package (``found.is_package``) runs its ``__main__`` submodule
      instead [RM-06, CLI-05]: return
      ``emit(PackageRedirect(name, name + ".__main__"))``, and the pipeline
      goes round again, find_spec then pick_main, with that name (and adds
      "; 'pkg' is a package and cannot be directly executed" if that
      lookup fails [ERR-04]).  A package named ``__main__`` or
      ``pkg.__main__`` cannot redirect to itself: "Cannot use package as
      __main__ module" [RM-22].
    * A module without a loader is a namespace package: "'NAME' is a
      namespace package and cannot be executed" [ERR-09].
    * Otherwise ask the loader for the code (``loader.get_code(name)``); an
      ImportError from it becomes ``error`` with the same text; ``None`` means
      "No code object available for NAME" [ERR-08, RM-26].

    Every refusal is ``raise failure(error, message, stage="pick_main",
    ids=...)`` with the IDs in brackets above (RM-22 with ERR-05; ERR-08 with
    RM-26 for "No code object"), so that the trace says pick_main stopped.
    Any other exception from ``get_code`` (a SyntaxError in the module) is
    the module's own: ``report_failure(exc, stage="pick_main",
    ids=("G-16",))``, then a bare ``raise``.

    Finish with ``return emit(MainChoice(name, spec, "loader.get_code()", code))``.
    """
    # TODO-BEGIN
    # TODO: 1. If found.is_package: refuse a package named "__main__" or "*.__main__" (RM-22),
    # TODO:    else return emit(PackageRedirect(name, name + ".__main__")).
    # TODO: 2. Otherwise: no loader -> namespace package error; get the code; None -> error.
    name = found.name
    if found.is_package:
        if name == "__main__" or name.endswith(".__main__"):
            raise failure(error, "Cannot use package as __main__ module", stage="pick_main",
                          ids=("RM-22", "ERR-05"))
        return emit(PackageRedirect(name, name + ".__main__"))
    loader = found.spec.loader
    if loader is None:
        raise failure(error, f"{name!r} is a namespace package and cannot be executed", stage="pick_main",
                      ids=("ERR-09",))
    try:
        code = loader.get_code(name)
    except ImportError as exc:
        raise failure(error, format(exc), stage="pick_main", ids=("ERR-08",)) from exc
    except Exception as exc:  # a SyntaxError in the module, say: its own error, unchanged
        report_failure(exc, stage="pick_main", ids=("G-16",))
        raise
    if code is None:
        raise failure(error, f"No code object available for {name}", stage="pick_main", ids=("ERR-08", "RM-26"))
    return emit(MainChoice(name, found.spec, "loader.get_code()", code))
    # TODO-END


def pick_path(path_name: Any, *, profile: Profile) -> PathChoice:
    """Classify a ``run_path`` argument: a ``sys.path`` entry, or a file to read?

    Anything ``pkgutil.get_importer`` accepts (a directory, a zip file) is a
    sys.path entry whose ``__main__`` will be imported later; on Python 3.11
    and older an ``imp.NullImporter`` means "no importer" (check
    ``profile.reject_null_importer`` and use ``is_null_importer``) [RP-05].
    With ``profile.decode_path_argument`` the name is ``os.fsdecode``-d
    (bytes and path-like arguments) [RP-22].

    * entry: ``return emit(PathChoice(path, "sys.path entry", type(importer).__qualname__, None))``
    * file: ``code, source = code_from_file(path)`` (bytecode first, then
      source [RP-04]); emit ``PathChoice(path, "file", None, code)`` and then
      ``MainChoice(path, None, source, code)``; return the PathChoice.
    """
    # TODO-BEGIN
    # TODO: 1. importer = get_importer(path_name); a NullImporter counts as None when the profile says so.
    # TODO: 2. Decode the path when profile.decode_path_argument is set.
    # TODO: 3. An importer: return the "sys.path entry" PathChoice.  No importer: read the file (see above).
    importer = get_importer(path_name)
    if profile.reject_null_importer and is_null_importer(importer):
        importer = None
    if profile.decode_path_argument:
        path_name = os.fsdecode(path_name)
    if importer is not None:
        return emit(PathChoice(path_name, "sys.path entry", type(importer).__qualname__, None))
    code, source = code_from_file(path_name)
    choice = emit(PathChoice(path_name, "file", None, code))
    emit(MainChoice(path_name, None, source, code))
    return choice
    # TODO-END
