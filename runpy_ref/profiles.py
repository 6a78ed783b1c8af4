"""Version profiles: every difference between runpy versions, as data.

The pipeline never asks "which Python is this?".  It asks the active
:class:`Profile` a named question (``profile.decode_path_argument``) and the
answer comes from a table.  Adding the runpy of another version means adding
a row, not sprinkling ``if sys.version_info`` through the stages; this is the
h11 habit of keeping protocol versions in tables.

Each flag names the catalogue behaviour it encodes (IDs from
``conformance/catalogue/behaviours.json``), so a reader can go from a flag to
the documentation that motivates it.  The flags cover both halves of
``python -m``: runpy's own stages, and the interpreter's part (``sys.argv``,
``sys.path[0]``, how a script's path is written), which
:mod:`runpy_ref.interpreter` reads.  The rows themselves, 2.5 to 3.13, are
in :mod:`runpy_ref.history`.

The profile in force is chosen per context: the host's by default, another
inside ``with runpy_ref.as_of("2.6"):`` or with ``python -m runpy_ref
--as-of 2.6``.  What an emulated version cannot change is the import system
itself (loaders, specs, namespace packages, the import system's own error
messages): those stay the host's.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar

from ._lean import TYPE_CHECKING
from .history import ProfileTable
from .scoped import scoped
from .values import Value

if TYPE_CHECKING:
    from typing import Any

__all__ = ["PROFILES", "Profile", "active_profile", "as_of", "host_profile", "select_profile"]

_SEVEN = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__")


class Profile(Value):
    """What one version of runpy and of its interpreter's ``-m`` do, flag by flag.

    Fields are grouped by the stage that consults them; the class attributes
    are the defaults, which are those of the newest row (3.13).
    """

    version: str
    """Feature version this profile reproduces, e.g. ``"3.13"``."""
    release: str = ""
    """The point release the row reproduces: the last of its line, or the one checked here."""
    sources: tuple[str, ...] = ()
    """Where the row's values come from: docs, source copies, What's New, observed runs."""

    # -- find_spec ---------------------------------------------------------
    reject_relative_names: bool = True
    """A leading dot is refused before any lookup: "Relative module names not supported" (RM-05)."""
    import_parent_first: bool = True
    """The parent package is imported before the lookup, so its own errors are not wrapped (RM-25, bpo-14285)."""
    parent_errors_are_lookup_errors: bool = False
    """An ImportError while importing a parent is the lookup's own one-line error, as pkgutil made it (ERR-02)."""
    warn_if_already_imported: bool = True
    """RuntimeWarning when the submodule is in sys.modules already (RM-24)."""
    lookup_errors: tuple[str, ...] = ("ImportError", "AttributeError", "TypeError", "ValueError")
    """Exceptions of the lookup that are reworded by ``spec_error_template`` (ERR-03); others propagate."""
    spec_error_template: str = "Error while finding module specification for {name!r} ({type}: {error})"
    """How a lookup failure is reworded (ERR-02, ERR-03); also ``{cls}`` (the class) and ``{missing}``."""
    py_suffix_hint: bool = True
    """Suggest dropping ``.py`` from a module name (ERR-07, CLI-25)."""

    # -- pick_main ---------------------------------------------------------
    alias_error_template: str | None = None
    """The error when the module's loader belongs to another name, as ``os.path``'s (RM-27); None: it runs."""
    package_target: str = "__main__"
    """What a package name runs: its ``__main__`` (RM-06), ``"refuse"`` (RM-07) or its ``"__init__"`` code."""
    import_package_first: bool = False
    """The package is imported, its errors unwrapped, before its ``__main__`` is looked up (RM-25, ERR-03)."""
    package_suffix_if_imported_only: bool = True
    """"... is a package and cannot be directly executed" only when the package was imported (ERR-04)."""

    # -- build_globals -----------------------------------------------------
    specials: tuple[str, ...] = _SEVEN
    """Special globals runpy sets, overriding init_globals (RM-15, RM-16, G-13)."""
    cached_from_spec: bool = True
    """``__cached__`` is the spec's cache path, not always None (RM-13)."""
    file_package_from_run_name: bool = True
    """run_path of a file: ``__package__`` is ``run_name.rpartition('.')[0]``, not None (RP-15)."""
    entry_package_from_run_name: bool = True
    """run_path of a directory or zip: ``__package__`` from ``run_name``, not always ``''`` (RP-17)."""
    loader_for_script_file: bool = False
    """run_path of a file gives ``__loader__`` a file loader instead of None (RP-14)."""

    # -- alter_sys and restore --------------------------------------------
    module_attributes: tuple[str, ...] = ("__name__", "__doc__", "__package__", "__loader__", "__spec__")
    """The keys a new module object starts with: temporary modules and ``__main__`` (G-13, G-19)."""
    restore_modules_on_error: bool = True
    """``alter_sys`` puts ``sys.modules`` back even when the code raised (RM-18)."""
    clear_temp_module_globals: bool = False
    """A temporary module's globals become None when the module is released (G-08)."""

    # -- run_path ----------------------------------------------------------
    run_path_available: bool = True
    """``run_path`` exists (RP-01)."""
    main_not_found_template: str = "can't find {main!r} module in {path!r}"
    """The error for a directory or zip without ``__main__`` (ERR-10, CLI-24)."""
    decode_path_argument: bool = False
    """``os.fsdecode`` a path-like or bytes ``path_name`` first (RP-22)."""
    reject_null_importer: bool = True
    """Treat an ``imp.NullImporter`` as "no importer" (RP-05)."""
    code_from_file_returns_name: bool = True
    """Signature of the private ``_get_code_from_file`` helper."""
    open_code: bool = True
    """A file is opened with ``io.open_code`` under its absolute path, not with ``open`` as given (RP-23)."""

    # -- the interpreter's part of python -m and python FILE ---------------------
    argv0_while_locating: str = "-m"
    """``sys.argv[0]`` while ``-m`` looks the module up (CLI-09)."""
    dash_m_path0_absolute: bool = True
    """``-m`` puts the absolute working directory first on sys.path, not ``''`` (CLI-10)."""
    dash_m_via_run_module: bool = False
    """``-m`` is ``run_module(name, run_name='__main__', alter_sys=True)``, a temporary ``__main__`` (CLI-03)."""
    safe_path_option: bool = True
    """``-P`` / ``PYTHONSAFEPATH`` keep the working or script directory off ``sys.path`` (CLI-13, CLI-29)."""
    absolute_script_path: bool = True
    """``python script.py`` gives ``__file__`` and ``sys.path[0]`` as absolute paths (CLI-23, CLI-30)."""
    script_dirs_run: bool = True
    """``python DIR_OR_ZIP`` runs its ``__main__`` (CLI-21); otherwise it is read as a file."""
    script_specials: tuple[str, ...] = _SEVEN
    """The globals ``python FILE`` sets itself (CLI-22, G-19)."""
    main_annotations: bool = True
    """``__main__`` starts with an empty ``__annotations__`` (PEP 526)."""
    lookup_error_format: str = "{executable}: {message}"
    """The one line ``python -m`` prints when the lookup fails, then exit 1 (CLI-17)."""
    audit_events: bool = True
    """``-m`` and ``python FILE`` raise the ``cpython.run_module`` and ``run_file`` audit events (CLI-20, CLI-31)."""
    interrupt_kills: bool = True
    """An uncaught KeyboardInterrupt ends the process by SIGINT, not with status 1 (CLI-19)."""


PROFILES: ProfileTable = ProfileTable(Profile)
"""The profile table, keyed by feature version, oldest first (rows: :mod:`runpy_ref.history`)."""


def select_profile(version: Any = sys.version_info[:2]) -> Profile:
    """Return the profile for ``"X.Y"``, its release ``"X.Y.Z"``, or a ``(major, minor)`` tuple.

    Raises ``LookupError`` with the known versions listed, so that a caller
    asking for a version runpy_ref cannot emulate learns why at once.
    """
    key = version if isinstance(version, str) else "%d.%d" % tuple(version[:2])
    feature = ".".join(key.split(".")[:2])
    row = PROFILES.get(feature)
    if row is not None and key in (feature, row.release):
        return row
    known = ", ".join(PROFILES)
    if row is not None:
        raise LookupError(f"runpy_ref's profile {feature} reproduces {row.release}, not {key}; profiles exist "
                          f"for {known}")
    raise LookupError(f"runpy_ref has no profile for Python {key}; profiles exist for {known}") from None


def host_profile() -> Profile:
    """The profile of the running interpreter (the default everywhere)."""
    return select_profile(sys.version_info[:2])


_active: ContextVar[Profile | None] = ContextVar("runpy_ref_profile", default=None)


def active_profile() -> Profile:
    """The profile in force for this context: the host's unless :func:`as_of` chose another."""
    chosen = _active.get()
    if chosen is not None:
        return chosen
    return _HOST if _HOST is not None else host_profile()  # (an unknown host: the LookupError says why)


_HOST: Profile | None = PROFILES.get("%d.%d" % sys.version_info[:2])
"""The host's row, looked up once: every stage asks for the profile in force."""


def as_of(version: Any) -> scoped:
    """Behave as runpy and ``python -m`` of ``version`` did, for the length of a ``with`` block.

    ``with runpy_ref.as_of("2.6"): runpy_ref.run_module(...)``.  ``version``
    is ``"X.Y"``, a ``(major, minor)`` tuple or a :class:`Profile`.
    """
    profile = version if isinstance(version, Profile) else select_profile(version)
    return scoped(_active, profile)

