"""The stage table: which function does each stage's job, in this context.

The pipeline never calls ``find_spec`` directly; it asks
:func:`active_stages` and calls what is there.  :func:`use_stages` swaps
one implementation for another inside a ``with`` block, which is how the
classroom exercises run the whole pipeline on a student's ``pick_main``.
"""

from __future__ import annotations

from contextvars import ContextVar

from .._lean import TYPE_CHECKING
from ..scoped import scoped
from ..values import Value
from .alter_sys import alter_sys
from .build_globals import build_globals
from .exec import exec_code
from .find_spec import find_spec
from .pick_main import pick_main, pick_path
from .restore import restore

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["DEFAULT_STAGES", "STAGE_NAMES", "Stages", "active_stages", "use_stages"]


class Stages(Value):
    """One implementation per stage; the pipeline calls whatever is here."""

    find_spec: Callable[..., Any] = find_spec
    pick_main: Callable[..., Any] = pick_main
    pick_path: Callable[..., Any] = pick_path
    build_globals: Callable[..., Any] = build_globals
    alter_sys: Callable[..., Any] = alter_sys
    exec: Callable[..., Any] = exec_code
    restore: Callable[..., Any] = restore


DEFAULT_STAGES = Stages()
STAGE_NAMES = Stages.FIELDS

_active: ContextVar[Stages] = ContextVar("runpy_ref_stages", default=DEFAULT_STAGES)


def active_stages() -> Stages:
    """The stage table in force for this context."""
    return _active.get()


def use_stages(**overrides: Callable[..., Any]) -> scoped:
    """Swap stage implementations for the length of a ``with`` block.

    ``use_stages(pick_main=my_pick_main)`` runs the whole pipeline with the
    given function in place of the one in force, keeping the same contract.
    Unknown stage names are an error, caught here rather than mid-run.
    """
    unknown = sorted(set(overrides) - set(STAGE_NAMES))
    if unknown:
        raise TypeError(f"unknown stage(s) {unknown}; stages are {list(STAGE_NAMES)}")
    return scoped(_active, active_stages().replace(**overrides))
