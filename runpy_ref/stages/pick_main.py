"""Stage 2, pick_main: which code runs?  A package names its ``__main__``; a module loads its code.

``run_path`` makes the same decision from a path instead of a module name
(:func:`pick_path`): a directory or zip file is a ``sys.path`` entry whose
``__main__`` module will run; anything else is a file to read.
CPython: the second half of ``runpy._get_module_details``, and the start of
``runpy.run_path``.
"""

from __future__ import annotations

import os

from .._lean import TYPE_CHECKING
from ..records import MainChoice, PackageRedirect, PathChoice
from ..trace.context import failure, report, report_failure

if TYPE_CHECKING:
    from types import CodeType
    from typing import Any

    from ..profiles import Profile
    from ..records import SpecFound

__all__ = ["cannot_run_package", "code_from_file", "is_null_importer", "pick_main", "pick_path"]


def pick_main(found: SpecFound, *, error: type[Exception], profile: Profile) -> MainChoice | PackageRedirect:
    """A package redirects to its ``__main__`` submodule (RM-06); a module's code is loaded.

    Before 2.7 and 3.1 a package could not be run (RM-07); 2.5 did not
    check at all, and ran the package's own ``__init__`` code.
    """
    name = found.name
    if found.is_package and profile.package_target == "refuse":
        raise failure(error, "%s is a package and cannot be directly executed" % name, stage="pick_main",
                      ids=("RM-07", "ERR-04"))
    if found.is_package and profile.package_target == "__main__":
        if name == "__main__" or name.endswith(".__main__"):
            raise failure(error, "Cannot use package as __main__ module", stage="pick_main", ids=("RM-22", "ERR-05"))
        if profile.import_package_first:
            _import_package(name)
        return report(PackageRedirect(name, name + ".__main__"))
    loader = found.spec.loader
    if loader is None:
        message = "%r is a namespace package and cannot be executed" % name
        raise failure(error, message, stage="pick_main", ids=("ERR-09",))
    own_name = found.spec.name  # os.path's spec and loader are posixpath's (RM-27)
    try:
        if own_name != name and profile.alias_error_template:  # the loaders' own name check, before 3.11
            raise ImportError(profile.alias_error_template.format(loader=own_name, name=name), name=name)
        code = loader.get_code(own_name)
    except ImportError as exc:
        raise failure(error, format(exc), stage="pick_main", ids=("ERR-08",)) from exc
    except Exception as exc:  # a SyntaxError in the module, say: its own error, unchanged
        report_failure(exc, stage="pick_main", ids=("G-16",))
        raise
    if code is None:
        raise failure(error, "No code object available for %s" % name, stage="pick_main", ids=("ERR-08", "RM-26"))
    return report(MainChoice(name, found.spec, "loader.get_code()", code))


def _import_package(name: str) -> None:
    """Import the package before its ``__main__`` is looked up; its own errors propagate (RM-25, ERR-03)."""
    try:
        __import__(name)
    except Exception as exc:
        report_failure(exc, stage="pick_main", ids=("RM-25", "ERR-03"))
        raise


def cannot_run_package(problem: BaseException, package: str, error: type[Exception]) -> BaseException:
    """The error when a package's ``__main__`` could not be found or loaded (ERR-04)."""
    message = "%s; %r is a package and cannot be directly executed" % (problem, package)
    return failure(error, message, stage="pick_main", ids=("ERR-04",))


def pick_path(path_name: Any, *, profile: Profile) -> PathChoice:
    """Classify a run_path argument: a ``sys.path`` entry, or a file to read (RP-03, RP-04, RP-05).

    Anything an importer accepts (a directory, a zip file) is an entry whose
    ``__main__`` will be imported; everything else is read as a file,
    compiled bytecode first and source second.
    """
    from pkgutil import get_importer

    importer = get_importer(path_name)
    if profile.reject_null_importer and is_null_importer(importer):
        importer = None
    if not profile.script_dirs_run:  # 2.5 knew no directory or zip scripts: every path is a file (CLI-21)
        importer = None
    if profile.decode_path_argument:
        path_name = os.fsdecode(path_name)
    if importer is not None:
        return report(PathChoice(path_name, "sys.path entry", type(importer).__qualname__))
    code, source = code_from_file(path_name, open_code=profile.open_code)
    choice = report(PathChoice(path_name, "file", None, code, source))
    report(MainChoice(path_name, None, source, code))
    return choice


def is_null_importer(importer: object) -> bool:
    """True for Python 3.11 and older's ``imp.NullImporter`` ("no importer for this path")."""
    kind = type(importer)
    return kind.__module__ == "imp" and kind.__name__ == "NullImporter"


def code_from_file(fname: Any, *, decode: bool = True, open_code: bool = True) -> tuple[CodeType, str]:
    """Read ``fname`` as bytecode if its magic number matches, else compile it as source.

    Returns ``(code, "bytecode file" | "source file")``.  ``decode=False`` is
    3.13's reader, whose caller decodes the path first: given bytes
    directly, it fails in ``io.open_code`` as CPython's does.  Before 3.8
    (``open_code=False``) the file was opened with ``open`` under the name
    as given, which an error then shows (RP-23).
    """
    import io
    from pkgutil import read_code

    path = os.path.abspath(os.fsdecode(fname) if decode else fname) if open_code else fname
    opener = io.open_code if open_code else _open_binary
    with opener(path) as stream:
        code = read_code(stream)
    if code is not None:
        return code, "bytecode file"
    with opener(path) as stream:
        return compile(stream.read(), fname, "exec"), "source file"


def _open_binary(path: Any) -> Any:
    return open(path, "rb")
