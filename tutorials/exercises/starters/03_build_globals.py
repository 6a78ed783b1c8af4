# Starter for exercise 3: `python -m runpy_ref.exercises start 3` copies it to your
# working copy; replace each TODO block with your code, then run
# `python -m runpy_ref.exercises check 3`.  (Generated from the instructor's solution by
# `python -m runpy_ref.exercises build-starters`: edit the solution, not this file.)
# ruff: noqa: F401 - the imports are the tools you will need
"""Exercise 3: build_globals - decide the special globals the code will see.

Contract (from ``runpy_ref/stages/build_globals.py``)::

    build_globals(*, spec, run_name, init_globals, pkg_name=None, script_name=None, loader=None, profile)
        -> GlobalsPlan

A *pure* function: it looks at its arguments and returns a plan; it changes
nothing (not even ``init_globals``).  The pipeline then fills the namespace:
first ``init_globals``, then the specials on top.

Check your work with ``python -m runpy_ref.exercises check 3``.
"""

from __future__ import annotations

from typing import Any

from runpy_ref.exercises.kit import GlobalsPlan, Profile, emit


def build_globals(
    *,
    spec: Any,
    run_name: Any,
    init_globals: dict[str, Any] | None,
    pkg_name: str | None = None,
    script_name: Any = None,
    loader: Any = None,
    profile: Profile,
) -> GlobalsPlan:
    """Return the plan: which special globals get which values.

    With a module spec (``run_module``, ``python -m``, ``run_path`` of a
    directory or zip) the specials come from the spec "as normal" [RM-09,
    RM-10, RM-13, RM-14]: ``__file__`` is ``spec.origin``, ``__cached__`` is
    ``spec.cached``, ``__loader__`` is ``spec.loader``, ``__spec__`` is the
    spec itself - the spec of the module that really runs, *whatever the
    run_name* - and ``__package__`` is ``pkg_name`` if given, else
    ``spec.parent`` [RM-11].  Without a spec (``run_path`` of a plain file)
    ``__file__`` is ``script_name`` and ``__loader__``, ``__cached__`` and
    ``__spec__`` are None [RP-13, RP-14]; ``__package__`` is ``pkg_name``.
    (``loader`` is given only for a script the interpreter runs itself,
    ``python FILE``, which names its own loader where ``run_path`` has
    ``None``: without a spec, ``__loader__`` is ``loader``.)
    Always: ``__name__`` is ``run_name`` [RM-08] and ``__doc__`` is None [G-13].

    Build ``GlobalsPlan(specials=..., kept=..., overridden=..., ids=...)``:

    * ``specials``: ``(key, value)`` pairs, in the order of ``profile.specials``
    * ``kept``: the ``init_globals`` keys that are not specials (they survive)
    * ``overridden``: the ``init_globals`` keys that are specials (they lose) [RM-15]
    * ``ids``: ``("RM-08", "RM-09", "RM-11", "RM-14", "RM-15")`` with a spec,
      ``("RP-11", "RP-12", "RP-13", "RP-14", "RP-15")`` without

    and ``return emit(plan)``.
    """
    # TODO: 1. Work out loader, __file__ and __cached__ (from the spec, or from script_name
    # TODO:    when spec is None),
    # TODO:    and the package name (pkg_name, or spec.parent when there is a spec and pkg_name is None).
    # TODO: 2. Put the seven values in a dict keyed by special name; order them by profile.specials.
    # TODO: 3. Split the init_globals keys into kept / overridden, choose the ids, and emit the plan.
    raise NotImplementedError("exercise 3: build_globals is not written yet")
