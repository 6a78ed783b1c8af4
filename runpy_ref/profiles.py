"""Version profiles: every difference between runpy versions, as data.

The pipeline never asks "which Python is this?".  It asks the active
:class:`Profile` a named question (``profile.decode_path_argument``) and the
answer comes from the table below.  Adding the runpy of another version means
adding a row, not sprinkling ``if sys.version_info`` through the stages; this
is the h11 habit of keeping protocol versions in tables.

Each flag names the catalogue behaviour it encodes (IDs from
``conformance/catalogue/behaviours.json``), so a reader can go from a flag to
the documentation that motivates it.

Rows exist today for CPython 3.9 to 3.13, the interpreters runpy_ref runs on.
Profiles for 2.5 to 3.8 (``__package__`` absent in 2.5, ``__cached__`` always
``None`` in 3.2/3.3, no ``__spec__`` before 3.4 ...) are the next step; the
fields below already have room for them.
"""

from __future__ import annotations

import sys

from .records import Frozen, set_field

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PROFILES", "Profile", "host_profile", "select_profile"]


class Profile(Frozen):
    """What one version of runpy does, flag by flag.

    Fields are grouped by the stage that consults them.  The class attributes
    below are the defaults; a profile stores only the flags it was given.
    """

    FIELDS = (
        "version",
        "reject_relative_names",
        "warn_if_already_imported",
        "spec_error_template",
        "py_suffix_hint",
        "specials",
        "decode_path_argument",
        "reject_null_importer",
        "code_from_file_returns_name",
    )

    def __init__(self, version: str, **flags: Any) -> None:
        unknown = sorted(set(flags) - set(self.FIELDS))
        if unknown:
            raise TypeError(f"Profile has no flag(s) {unknown}")
        set_field(self, "version", version)
        for name, value in flags.items():
            set_field(self, name, value)

    version: str
    """Feature version this profile reproduces, e.g. ``"3.13"``."""

    # -- find_spec ---------------------------------------------------------
    reject_relative_names: bool = True
    """A leading dot is refused before any lookup (RM-05)."""
    warn_if_already_imported: bool = True
    """RuntimeWarning when the submodule is in sys.modules already (RM-24)."""
    spec_error_template: str = (
        "Error while finding module specification for {name!r} ({type}: {error})"
    )
    """How a lookup failure is reworded (ERR-02, ERR-03)."""
    py_suffix_hint: bool = True
    """Suggest dropping ``.py`` from a module name (ERR-07, CLI-25)."""

    # -- build_globals -----------------------------------------------------
    specials: tuple[str, ...] = (
        "__name__",
        "__file__",
        "__cached__",
        "__doc__",
        "__loader__",
        "__package__",
        "__spec__",
    )
    """Special globals runpy sets, overriding init_globals (RM-15, RM-16)."""

    # -- run_path ----------------------------------------------------------
    decode_path_argument: bool = False
    """``os.fsdecode`` a path-like or bytes ``path_name`` first (RP-22)."""
    reject_null_importer: bool = True
    """Treat an ``imp.NullImporter`` as "no importer" (RP-05)."""
    code_from_file_returns_name: bool = True
    """Signature of the private ``_get_code_from_file`` helper."""


_BASE = Profile(version="3.9")

PROFILES: dict[str, Profile] = {
    "3.9": _BASE,
    "3.10": _BASE.replace(version="3.10"),
    "3.11": _BASE.replace(version="3.11"),
    "3.12": _BASE.replace(version="3.12", reject_null_importer=False),
    "3.13": _BASE.replace(
        version="3.13",
        reject_null_importer=False,
        decode_path_argument=True,
        code_from_file_returns_name=False,
    ),
}
"""The profile table, keyed by feature version."""


def select_profile(version_info: tuple[int, ...] = sys.version_info[:2]) -> Profile:
    """Return the profile for a ``(major, minor)`` version.

    Raises ``LookupError`` with the supported versions listed, so that a
    caller on an unsupported interpreter learns why at once.
    """
    key = "%d.%d" % tuple(version_info[:2])
    try:
        return PROFILES[key]
    except KeyError:
        known = ", ".join(PROFILES)
        raise LookupError(
            f"runpy_ref has no profile for Python {key}; profiles exist for {known}"
        ) from None


def host_profile() -> Profile:
    """The profile of the running interpreter (the default everywhere)."""
    return select_profile(sys.version_info[:2])
