"""Blame where it belongs: which behaviour each mismatch is about, and whether it is semantic.

A case lists several catalogue behaviours and checks several observation
fields.  Without attribution, one wrong field fails every behaviour the case
lists (one "``__package__`` not set" bug used to mark 37 behaviours F).  Here
each behaviour names the observation paths that check it (``FIELDS``, globs
over the paths ``expect.compare`` reports, such as ``/records/main/path0``),
so that a mismatch fails only the behaviours it is about.  The table is data
of the harness, derived from what each catalogue entry says; the cases need
no change.

Rules (INTERPRETING.md section 9):

* a mismatch belongs to a behaviour of the case when its path matches one
  of the behaviour's globs, or is an ancestor of a path the behaviour checks
  (``/records/main`` missing altogether fails everything below it);
* a mismatch that belongs to no behaviour of the case is *unattributed* and
  fails every behaviour of the case (nothing is passed by default);
* a behaviour of which the case checks no path (``FIELDS`` has nothing that
  applies here) takes the status of the whole cell.

Each mismatch is also *semantic* or *wording* (``kind``): the text of
stdout/stderr, exception and warning messages and docstrings is wording; an
exit status that differs only in which non-zero value it is (2 against 1)
is wording; everything else - values the program sees, exception types,
whether the program ran at all, exit status zero against non-zero, death by
a signal - is semantic.
"""

from __future__ import annotations

import fnmatch
from typing import Any

# Paths the program's own view is recorded under: /records/<label>/<field>.
_R = "/records/*/"

FIELDS: dict[str, tuple[str, ...]] = {
    # -- general
    "G-01": ("/outcome", "/returncode", _R + "__name__"),
    "G-02": ("/inspect/has/*",),
    "G-03": ("/inspect/all*",),
    "G-04": (_R + "__name__", _R + "argv*", _R + "main_is_self", "/records/init_argv0"),
    "G-05": ("/returncode", "/stderr"),
    "G-06": ("/after/modules/sidemod*",),
    "G-07": ("/call_after*", "/after/modules/*"),
    "G-08": ("/call_after*",),
    "G-10": ("/records/lock_held",),
    "G-11": (_R + "dunders*",),
    "G-12": ("/result_builtins_is_init", "/result/answer"),
    "G-13": (_R + "__doc__",),
    "G-14": ("/result_is*", "/result/*"),
    "G-15": ("/exception/type", "/exception/is_import_error"),
    "G-16": ("/exception/type", "/returncode", "/stderr"),
    "G-17": ("/warnings*",),
    "G-18": ("/stderr", "/returncode"),
    "G-19": (_R + "__spec__*", "/records/spec"),
    # -- run_module
    "RM-01": ("/inspect/params/run_module*", "/records/x", "/result/x", "/result/__name__"),
    "RM-02": ("/outcome", _R + "__name__"),
    "RM-03": ("/after/modules/*", _R + "in_modules"),
    "RM-04": ("/outcome", _R + "__name__", _R + "__file__"),
    "RM-05": ("/outcome", "/exception/*"),
    "RM-06": (_R + "__name__", _R + "__file__", _R + "__spec__*", "/after/modules/*.__main__*",
              "/exception/*"),
    "RM-07": ("/outcome", "/exception/*"),
    "RM-08": (_R + "__name__",),
    "RM-09": (_R + "__file__*",),
    "RM-10": (_R + "__loader__*",),
    "RM-11": (_R + "__package__",),
    "RM-12": ("/records/value", "/records/child", "/exception/type", "/returncode"),
    "RM-13": (_R + "__cached__",),
    "RM-14": (_R + "__spec__*",),
    "RM-15": ("/after/init_globals_unchanged", _R + "__custom__", "/records/x_seen", "/result/__custom__",
              "/result/x", "/result/answer", "/result_builtins_is_init"),
    "RM-16": (_R + "__cached__", _R + "__file__", _R + "__loader__", _R + "__name__", _R + "__package__",
              _R + "__spec__*", _R + "__doc__"),
    "RM-17": ("/after/argv*", "/after/modules/*", _R + "argv*", _R + "in_modules", _R + "module_is_self",
              "/records/argv0"),
    "RM-18": ("/after/argv*", "/after/modules/*", _R + "in_modules"),
    "RM-19": ("/after/main_restored", _R + "main_is_self"),
    "RM-20": ("/after/argv*", "/after/modules/*", "/after/path_restored"),
    "RM-21": ("/records/argv0", _R + "__file__"),
    "RM-22": ("/outcome", "/exception/*"),
    "RM-23": ("/outcome", "/exception/*", _R + "__name__", _R + "__package__"),
    "RM-24": ("/warnings*",),
    "RM-25": ("/exception/*", "/stderr", "/returncode"),
    "RM-26": ("/exception/*", "/stderr", "/returncode"),
    "RM-27": ("/outcome", "/exception/*", "/result/__name__", "/warnings*"),
    "RM-28": (_R + "__file__", _R + "__loader__*"),
    "RM-29": ("/inspect/doc/*",),
    # -- run_path
    "RP-01": ("/inspect/has/run_path", "/outcome"),
    "RP-02": ("/inspect/params/run_path*", "/exception/type", "/records/main/__file__"),
    "RP-03": ("/outcome", _R + "__name__", _R + "__file__"),
    "RP-04": ("/records/text", _R + "__file__", _R + "__name__"),
    "RP-05": ("/exception/type",),
    "RP-06": ("/after/path_restored", _R + "path0"),
    "RP-07": ("/after/path_restored", "/records/path0_before_removal"),
    "RP-08": (_R + "__file__", _R + "argv*", "/exception/*"),
    "RP-09": ("/exception/*",),
    "RP-10": ("/after/main_restored",),
    "RP-11": ("/after/init_globals_unchanged", _R + "__custom__", "/records/x_seen", _R + "__name__",
              _R + "__file__", _R + "__loader__", _R + "__package__", _R + "__spec__*", _R + "__cached__"),
    "RP-12": (_R + "__name__",),
    "RP-13": (_R + "__file__",),
    "RP-14": (_R + "__loader__*", _R + "__spec__", _R + "__cached__"),
    "RP-15": (_R + "__package__",),
    "RP-16": (_R + "__spec__*", _R + "__file__", _R + "__cached__", _R + "__loader__*"),
    "RP-17": (_R + "__package__",),
    "RP-18": (_R + "argv*", "/after/argv*"),
    "RP-19": ("/after/modules/*", _R + "in_modules", "/after/main_restored"),
    "RP-20": ("/inspect/params/run_path*", "/after/argv_restored", "/after/path_restored", "/after/modules/*",
              _R + "argv*", _R + "in_modules"),
    "RP-21": (_R + "__name__", _R + "in_modules"),
    "RP-22": ("/outcome", "/exception/*", _R + "__file__*", _R + "__name__", _R + "argv*"),
    "RP-23": ("/records/opened",),
    # -- the command line
    "CLI-01": ("/returncode", _R + "__name__"),
    "CLI-02": ("/returncode", "/records/pkg_in_modules", _R + "__name__"),
    "CLI-03": (_R + "main_is_self",),
    "CLI-04": ("/returncode", "/stderr", "/records/imported_as"),
    "CLI-05": ("/returncode", _R + "__name__", _R + "__file__"),
    "CLI-06": ("/returncode", "/stderr", "/outcome", "/exception/*", _R + "__name__", _R + "__package__",
               _R + "__spec__*"),
    "CLI-07": ("/returncode", "/stderr", "/outcome", "/exception/*", _R + "__file__", _R + "__loader__*",
               _R + "__cached__", _R + "__name__"),
    "CLI-08": (_R + "argv", _R + "argv[[]0]"),
    "CLI-09": ("/records/init_argv0",),
    "CLI-10": (_R + "path0",),
    "CLI-11": (_R + "path0", _R + "argv*"),
    "CLI-12": ("/returncode", "/stderr"),
    "CLI-13": ("/returncode", "/stderr"),
    "CLI-14": (_R + "argv", _R + "argv[[]1-9]*", "/records/args"),
    "CLI-15": ("/returncode", "/stderr"),
    "CLI-16": (_R + "__name__", _R + "__file__", _R + "__package__", _R + "__spec__*", _R + "__loader__*",
               _R + "__cached__", "/records/mod_in_modules", "/records/sub_in_modules"),
    "CLI-17": ("/returncode", "/stderr"),
    "CLI-18": ("/returncode", "/stderr"),
    "CLI-19": ("/returncode",),
    "CLI-20": ("/records/cpython.*",),
    "CLI-21": ("/returncode", _R + "__name__", _R + "argv*"),
    "CLI-22": (_R + "path0",),
    "CLI-23": (_R + "__file__",),
    "CLI-24": ("/returncode", "/stderr"),
    "CLI-25": ("/records/imported_as", "/returncode", "/stderr", "/outcome", "/exception/*"),
    "CLI-26": ("/returncode", "/records/child", "/records/loaded_as_*"),
    "CLI-27": ("/records/argv", "/records/spec"),
    "CLI-28": ("/returncode", "/stderr"),
    "CLI-29": ("/returncode", "/stderr"),
    "CLI-30": (_R + "__file__", _R + "path0", _R + "__package__", _R + "__spec__*", _R + "__loader__*"),
    "CLI-31": ("/records/cpython.*",),
    "CLI-32": (_R + "path0",),
    "CLI-33": ("/records/builtins_type",),
    "CLI-34": ("/returncode", "/stderr"),
    "CLI-35": (_R + "argv", _R + "argv[[]1-9]*", "/records/args"),
    "CLI-36": (_R + "__loader__*",),
    "CLI-37": ("/records/atexit_*", "/records/thread_*"),
    "CLI-38": ("/records/runs*",),
    # -- errors
    "ERR-01": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-02": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-03": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-04": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-05": ("/outcome", "/exception/*"),
    "ERR-06": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-07": ("/returncode", "/stderr", "/outcome", "/exception/*", "/records/imported_as"),
    "ERR-08": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-09": ("/outcome", "/exception/*"),
    "ERR-10": ("/outcome", "/exception/*"),
    "ERR-11": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-12": ("/returncode", "/stderr", "/outcome", "/exception/*"),
    "ERR-13": ("/returncode", "/stderr"),
}

# Observation paths whose difference is one of wording, not of meaning.
WORDING = ("/stdout", "/stderr", "/exception/message", "/warnings*/message", "/inspect/doc/*")

# Cell statuses under which the behaviours of a case can differ from each other.
_JUDGED = ("PASS", "FAIL", "XFAIL", "XPASS")


def kind(mismatch: dict[str, Any]) -> str:
    """``"wording"`` or ``"semantic"`` for one mismatch (rules in the module docstring)."""
    path = mismatch["path"]
    if any(fnmatch.fnmatchcase(path, glob) for glob in WORDING):
        return "wording"
    expected, observed = mismatch["expected"], mismatch["observed"]
    if path == "/returncode" and isinstance(expected, int) and isinstance(observed, int) \
            and not isinstance(expected, bool) and expected > 0 and observed > 0:
        return "wording"
    return "semantic"


def leaf_paths(expected: Any, path: str = "") -> list[str]:
    """Every path an expectation checks, in the notation of ``expect.compare``."""
    if isinstance(expected, dict) and expected and not all(k.startswith("$") for k in expected):
        return [p for key, value in expected.items() for p in leaf_paths(value, f"{path}/{key}")]
    if isinstance(expected, list) and any(isinstance(v, (dict, list)) for v in expected):
        return [p for i, value in enumerate(expected) for p in leaf_paths(value, f"{path}[{i}]")]
    return [path]


def _matches(path: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, glob) for glob in globs)


def _ancestor(path: str, of: str) -> bool:
    return of.startswith(path + "/") or of.startswith(path + "[")


def attribute(behaviours: list[str], expected: Any, mismatches: list[dict[str, Any]],
              fields: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any]:
    """Attribute mismatches to behaviours; classify them.

    Returns ``{"checked": {behaviour: [paths]}, "mismatches": [... with
    "behaviours" and "kind" added], "unattributed": bool}``.
    """
    fields = FIELDS if fields is None else fields
    leaves = leaf_paths(expected) if expected is not None else []
    checked = {b: [p for p in leaves if _matches(p, fields.get(b, ()))] for b in behaviours}
    out, unattributed = [], False
    for m in mismatches:
        owners = [b for b in behaviours if checked[b] and (
            _matches(m["path"], fields.get(b, ())) or any(_ancestor(m["path"], p) for p in checked[b]))]
        unattributed |= not owners
        out.append({**m, "kind": kind(m), "behaviours": owners or list(behaviours)})
    return {"checked": checked, "mismatches": out, "unattributed": unattributed}


def behaviour_status(behaviours: list[str], status: str, attributed: dict[str, Any] | None,
                     semantic_only: bool = False) -> dict[str, str]:
    """Each behaviour's own status in one cell.

    Outside PASS/FAIL/XFAIL/XPASS (CRASH, SKIP, N/A...) every behaviour
    shares the cell's status.  ``semantic_only`` ignores wording mismatches.
    """
    if status not in _JUDGED or attributed is None:
        return {b: status for b in behaviours}
    if status in ("PASS", "XPASS"):
        return {b: status for b in behaviours}
    failing = "XFAIL" if status == "XFAIL" else "FAIL"
    mismatches = [m for m in attributed["mismatches"] if not semantic_only or m["kind"] == "semantic"]
    out = {}
    for b in behaviours:
        if not attributed["checked"].get(b):  # this case checks nothing that is about b: whole-cell status
            out[b] = failing if mismatches else "PASS"
        else:
            out[b] = failing if any(b in m["behaviours"] for m in mismatches) else "PASS"
    return out
