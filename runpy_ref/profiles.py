"""Version profiles: every difference between runpy versions, as data.

The pipeline never asks "which Python is this?".  It asks the active
:class:`Profile` a named question (``profile.decode_path_argument``) and the
answer comes from the table below.  Adding the runpy of another version means
adding a row, not sprinkling ``if sys.version_info`` through the stages; this
is the h11 habit of keeping protocol versions in tables.

Each flag names the catalogue behaviour it encodes (IDs from
``conformance/catalogue/behaviours.json``), so a reader can go from a flag to
the documentation that motivates it.  The flags cover both halves of
``python -m``: runpy's own stages, and the interpreter's part (``sys.argv``,
``sys.path[0]``, how a script's path is written), which
:mod:`runpy_ref.interpreter` reads.

The profile in force is chosen per context: the host's by default, another
inside ``with runpy_ref.as_of("3.11"):`` or with ``python -m runpy_ref
--as-of 3.11``.  What an emulated version cannot change is the import system
itself (loaders, specs, namespace packages): those stay the host's.
"""

from __future__ import annotations

import sys
from contextvars import ContextVar

from ._lean import TYPE_CHECKING
from .scoped import scoped
from .values import Value

if TYPE_CHECKING:
    from typing import Any

__all__ = ["PROFILES", "Profile", "active_profile", "as_of", "host_profile", "select_profile"]


class Profile(Value):
    """What one version of runpy and of its interpreter's ``-m`` do, flag by flag.

    Fields are grouped by the stage that consults them; the class attributes
    are the defaults, which are those of the newest row.
    """

    version: str
    """Feature version this profile reproduces, e.g. ``"3.13"``."""
    sources: tuple[str, ...] = ()
    """Where the row's values come from: docs, What's New, observed runs."""

    # -- find_spec ---------------------------------------------------------
    reject_relative_names: bool = True
    """A leading dot is refused before any lookup (RM-05)."""
    warn_if_already_imported: bool = True
    """RuntimeWarning when the submodule is in sys.modules already (RM-24)."""
    spec_error_template: str = "Error while finding module specification for {name!r} ({type}: {error})"
    """How a lookup failure is reworded (ERR-02, ERR-03)."""
    py_suffix_hint: bool = True
    """Suggest dropping ``.py`` from a module name (ERR-07, CLI-25)."""

    # -- build_globals -----------------------------------------------------
    specials: tuple[str, ...] = (
        "__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__",
    )
    """Special globals runpy sets, overriding init_globals (RM-15, RM-16)."""

    # -- run_path ----------------------------------------------------------
    decode_path_argument: bool = False
    """``os.fsdecode`` a path-like or bytes ``path_name`` first (RP-22)."""
    reject_null_importer: bool = True
    """Treat an ``imp.NullImporter`` as "no importer" (RP-05)."""
    code_from_file_returns_name: bool = True
    """Signature of the private ``_get_code_from_file`` helper."""

    # -- the interpreter's part of python -m and python FILE ---------------------
    argv0_while_locating: str = "-m"
    """``sys.argv[0]`` while ``-m`` looks the module up (CLI-09)."""
    safe_path_option: bool = True
    """``-P`` / ``PYTHONSAFEPATH`` keep the working or script directory off ``sys.path`` (CLI-13, CLI-29)."""
    absolute_script_path: bool = True
    """``python script.py`` gives ``__file__`` and ``sys.path[0]`` as absolute paths (CLI-23, CLI-30)."""
    lookup_error_format: str = "{executable}: {message}"
    """The one line ``python -m`` prints when the lookup fails, then exit 1 (CLI-17)."""


_DOCS = "https://docs.python.org/{}/library/runpy.html"


def _row(version: str, **flags: Any) -> Profile:
    return Profile(version=version, sources=(_DOCS.format(version), "observed on CPython " + version), **flags)


PROFILES: dict[str, Profile] = {
    "3.9": _row("3.9", safe_path_option=False),
    "3.10": _row("3.10", safe_path_option=False),
    "3.11": _row("3.11"),
    "3.12": _row("3.12", reject_null_importer=False),
    "3.13": _row("3.13", reject_null_importer=False, decode_path_argument=True, code_from_file_returns_name=False),
}
"""The profile table, keyed by feature version."""


def select_profile(version: Any = sys.version_info[:2]) -> Profile:
    """Return the profile for ``"X.Y"`` or a ``(major, minor)`` tuple.

    Raises ``LookupError`` with the known versions listed, so that a caller
    asking for a version runpy_ref cannot emulate learns why at once.
    """
    key = version if isinstance(version, str) else "%d.%d" % tuple(version[:2])
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(PROFILES)
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

    ``with runpy_ref.as_of("3.10"): runpy_ref.run_path(...)``.  ``version`` is
    ``"X.Y"``, a ``(major, minor)`` tuple or a :class:`Profile`.
    """
    profile = version if isinstance(version, Profile) else select_profile(version)
    return scoped(_active, profile)
