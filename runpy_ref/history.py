"""The history of runpy and ``python -m``, 2.5 to 3.13, as one table of changes.

Each row says what one feature version changed compared with the version
it grew from (its lineage parent: 2.7 and 3.0 both grew from 2.6), and
names its sources.  :class:`ProfileTable` applies the changes in order and
gives one :class:`~runpy_ref.profiles.Profile` per version; a flag that a
row does not mention keeps its parent's value.  The first row, 2.5, states
every flag.  A row reproduces the *last* point release of its line where
behaviour changed inside a line (3.2.4's ``__doc__``, 3.5.2's bpo-14285),
and the release observed here for the versions installed on this machine.

Sources, abbreviated as in the catalogue (``conformance/catalogue``):
``D`` the runpy page of that version, ``CL`` the command-line page, ``S``
the version's ``Lib/runpy.py`` (2.5, 3.3 and 3.4 from source copies, 2.6,
3.0 and 3.1 from the 2.5 and 3.3 copies, the NEWS entries and the
catalogue's reading of them), ``WN`` What's New, ``OBS`` runs of the
interpreters installed here (2.7.18, 3.6.15-3.13.0; tests/differential).
"""

from __future__ import annotations

from ._lean import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

__all__ = ["FEATURE_VERSIONS", "HISTORY", "ProfileTable", "changed_in"]

_NAME_FILE = ("__name__", "__file__")
_NO_SPEC = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__")
_SEVEN = (*_NO_SPEC, "__spec__")
_OLD_MODULE = ("__name__", "__doc__", "__package__")

HISTORY: tuple[tuple[str, str | None, str, dict[str, Any], tuple[str, ...]], ...] = (
    # (version, lineage parent, release reproduced, changes from the parent, sources)
    ("2.5", None, "2.5.6", {
        "reject_relative_names": True, "import_parent_first": True, "parent_errors_are_lookup_errors": True,
        "warn_if_already_imported": False, "lookup_errors": ("ImportError",),
        "spec_error_template": "{reason}", "py_suffix_hint": False,
        "alias_error_template": "Loader for module {loader} cannot handle module {name}",
        "package_target": "__init__", "import_package_first": False, "package_suffix_if_imported_only": False,
        "specials": ("__name__", "__file__", "__loader__"), "cached_from_spec": False,
        "file_package_from_run_name": False, "entry_package_from_run_name": False,
        "loader_for_script_file": False,
        "module_attributes": ("__name__", "__doc__"), "restore_modules_on_error": False,
        "clear_temp_module_globals": True,
        "run_path_available": False, "main_not_found_template": "can't find '__main__.py' in {path!r}",
        "decode_path_argument": False, "reject_null_importer": True, "code_from_file_returns_name": True,
        "open_code": False,
        "argv0_while_locating": "-c", "dash_m_path0_absolute": False, "dash_m_via_run_module": True,
        "safe_path_option": False, "absolute_script_path": False, "script_dirs_run": False,
        "script_specials": _NAME_FILE, "main_annotations": False,
        "lookup_error_format": "{executable}: {message}", "audit_events": False, "interrupt_kills": False,
    }, ("D2.5", "S2.5", "PEP 338")),
    ("2.6", "2.5", "2.6.9", {
        "package_target": "refuse", "specials": ("__name__", "__file__", "__loader__", "__package__"),
        "module_attributes": _OLD_MODULE, "restore_modules_on_error": True,
        "dash_m_via_run_module": False, "script_dirs_run": True,
    }, ("D2.6", "CL2.6", "WN2.6", "PEP 366")),
    ("2.7", "2.6", "2.7.18", {
        "package_target": "__main__", "import_package_first": True, "run_path_available": True,
        "main_not_found_template": "can't find {main!r} module in {path!r}",
    }, ("D2.7", "CL2.7", "WN2.7", "S2.7", "OBS 2.7.18")),
    ("3.0", "2.6", "3.0.1", {
        "clear_temp_module_globals": False,
    }, ("D3.0p", "S3.0a", "PEP 3121")),
    ("3.1", "3.0", "3.1.5", {
        "package_target": "__main__",
    }, ("D3.1p", "WN3.1", "issue 4195")),
    ("3.2", "3.1", "3.2.6", {
        "run_path_available": True, "main_not_found_template": "can't find {main!r} module in {path!r}",
        "specials": _NO_SPEC, "file_package_from_run_name": True, "entry_package_from_run_name": True,
        "argv0_while_locating": "-m", "script_specials": (*_NAME_FILE, "__cached__"),
    }, ("D3.2", "WN3.2", "PEP 3147", "issue 8202", "issue 15230")),
    ("3.3", "3.2", "3.3.7", {
        "spec_error_template": "{error}", "loader_for_script_file": True,
        "alias_error_template": "loader cannot handle {name}",
        "script_specials": (*_NAME_FILE, "__cached__", "__loader__"),
    }, ("S3.3", "WN3.3")),
    ("3.4", "3.3", "3.4.10", {
        "reject_relative_names": False, "import_parent_first": False, "parent_errors_are_lookup_errors": False,
        "lookup_errors": ("ImportError", "AttributeError", "TypeError", "ValueError"),
        "spec_error_template": "Error while finding spec for {name!r} ({cls}: {error})",
        "alias_error_template": "loader for {loader} cannot handle {name}",
        "specials": _SEVEN, "cached_from_spec": True, "loader_for_script_file": False,
        "module_attributes": (*_OLD_MODULE, "__loader__", "__spec__"), "script_specials": _SEVEN,
    }, ("S3.4", "CL3.5", "WN3.4", "PEP 451", "issue 17115")),
    ("3.5", "3.4", "3.5.10", {
        "reject_relative_names": True, "import_parent_first": True, "warn_if_already_imported": True,
        "spec_error_template": "Error while finding module specification for {name!r} ({type}: {error})",
        "package_suffix_if_imported_only": True,
    }, ("D3.5", "CL3.5", "bpo-14285", "bpo-19771", "bpo-27487")),
    ("3.6", "3.5", "3.6.15", {"main_annotations": True}, ("D3.6", "S3.6", "PEP 526", "OBS 3.6.15")),
    ("3.7", "3.6", "3.7.16", {"dash_m_path0_absolute": True}, ("D3.7", "CL3.7", "OBS 3.7.16")),
    ("3.8", "3.7", "3.8.18", {"audit_events": True, "interrupt_kills": True, "open_code": True},
     ("D3.8", "WN3.8", "PEP 578", "OBS 3.8.18")),
    ("3.9", "3.8", "3.9.18", {"absolute_script_path": True, "py_suffix_hint": True},
     ("D3.9", "bpo-20443", "bpo-40108", "OBS 3.9.18")),
    ("3.10", "3.9", "3.10.13", {}, ("D3.10", "OBS 3.10.13")),
    ("3.11", "3.10", "3.11.7", {"safe_path_option": True, "alias_error_template": None},
     ("D3.11", "CL3.11", "OBS 3.11.7")),
    ("3.12", "3.11", "3.12.1", {"reject_null_importer": False}, ("D3.12", "OBS 3.12.1")),
    ("3.13", "3.12", "3.13.0", {"decode_path_argument": True, "code_from_file_returns_name": False},
     ("D3.13", "gh-99437", "OBS 3.13.0")),
)
"""Every feature version's changes, oldest first; a row's parent always comes before it."""

FEATURE_VERSIONS = tuple(row[0] for row in HISTORY)

_DOCS = "https://docs.python.org/{}/library/runpy.html"


class ProfileTable:
    """The profiles by feature version, oldest first; each is made the first time it is asked for.

    A read-only mapping (``table["2.7"]``, ``.get``, ``in``, iteration,
    ``.values()``, ``.items()``).  Making a profile checks every flag, and
    doing it for seventeen rows at each start of ``python -m runpy_ref``
    would cost more than the one row a run uses: the flags of every row are
    collected at import, cheaply, and the profile is made on first use.
    """

    def __init__(self, profile_class: type) -> None:
        self._class = profile_class
        self._fields: dict[str, dict[str, Any]] = {}
        for version, parent, release, changes, sources in HISTORY:
            base = {} if parent is None else self._fields[parent]
            self._fields[version] = {**base, **changes, "version": version, "release": release,
                                     "sources": (_DOCS.format(version), *sources)}
        self._made: dict[str, Any] = {}

    def __getitem__(self, version: str) -> Any:
        made = self._made.get(version)
        if made is None:
            made = self._made[version] = self._class(**self._fields[version])
        return made

    def get(self, version: str, default: Any = None) -> Any:
        return self[version] if version in self._fields else default

    def __contains__(self, version: object) -> bool:
        return version in self._fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def keys(self) -> Iterator[str]:
        return iter(self._fields)

    def values(self) -> list[Any]:
        return [self[version] for version in self._fields]

    def items(self) -> list[tuple[str, Any]]:
        return [(version, self[version]) for version in self._fields]


def changed_in(version: str, flag: str) -> str:
    """The version whose row set ``flag`` to the value ``version`` has (walking up its lineage)."""
    table = {row[0]: row for row in HISTORY}
    while True:
        _, parent, _, changes, _ = table[version]
        if flag in changes or parent is None:
            return version
        version = parent
