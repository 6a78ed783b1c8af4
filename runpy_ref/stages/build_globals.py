"""Stage 3, build_globals: which special globals will the code see?  A pure decision.

Specials come from the spec when there is one (docs 3.4+: "set as
normal"), else from the script name; they override same-named keys of
``init_globals``, which itself is never modified (RM-15, RM-16).
CPython: ``runpy._run_code``'s ``run_globals.update(...)``.
"""

from __future__ import annotations

from .._lean import TYPE_CHECKING
from ..records import GlobalsPlan, init_globals_keys
from ..trace.context import report

if TYPE_CHECKING:
    from typing import Any

    from ..profiles import Profile

__all__ = ["ALL_SPECIALS", "build_globals"]

ALL_SPECIALS = ("__name__", "__file__", "__cached__", "__doc__", "__loader__", "__package__", "__spec__")
"""Every special global runpy_ref can set, in the order the newest runpy sets them."""


def build_globals(
    *,
    spec: Any,
    run_name: Any,
    init_globals: Any,
    pkg_name: str | None = None,
    script_name: Any = None,
    loader: Any = None,
    profile: Profile,
) -> GlobalsPlan:
    """Decide the special globals, in order; nothing is changed yet.

    ``loader`` is for a script run by the interpreter itself (``python
    FILE``), which names its own loader where ``run_path`` sets ``None``.
    """
    if spec is None:
        fname, cached = script_name, None
    else:
        loader, fname = spec.loader, spec.origin
        cached = spec.cached if profile.cached_from_spec else None  # RM-13: None in 3.2 and 3.3
        if pkg_name is None:
            pkg_name = spec.parent
    values = {
        "__name__": run_name, "__file__": fname, "__cached__": cached, "__doc__": None,
        "__loader__": loader, "__package__": pkg_name, "__spec__": spec,
    }
    specials = tuple([(key, values[key]) for key in profile.specials])
    given = init_globals_keys(init_globals)
    kept = tuple([key for key in given if key not in profile.specials])
    overridden = tuple([key for key in given if key in profile.specials])
    ids = ("RM-08", "RM-09", "RM-11", "RM-14", "RM-15") if spec is not None else (
        "RP-11", "RP-12", "RP-13", "RP-14", "RP-15")
    return report(GlobalsPlan(specials, kept, overridden, ids))
