"""Stage 5, exec: run the code in its namespace, and say how it ended.

The outcome is reported whether the code returns, raises, or calls
``sys.exit``; the exception itself always propagates unchanged (ERR-12).
CPython: the ``exec(code, run_globals)`` of ``runpy._run_code``.
"""

from __future__ import annotations

import sys

from .._lean import TYPE_CHECKING
from ..records import ExecFinished, ExecStarted
from ..trace.context import report, tracing_on

if TYPE_CHECKING:
    from types import CodeType
    from typing import Any

__all__ = ["exec_code", "namespace_kind"]


def exec_code(code: CodeType, namespace: dict[str, Any], *, name: Any) -> ExecFinished:
    """Run ``code`` in ``namespace``; report the start and the ending."""
    if tracing_on():
        report(ExecStarted(name, namespace_kind(namespace, name)))
    try:
        exec(code, namespace)
    except SystemExit as exc:
        report(ExecFinished(name, "exit", "SystemExit", exc.code))
        raise
    except BaseException as exc:
        report(ExecFinished(name, "raised", type(exc).__name__))
        raise
    return report(ExecFinished(name, "returned"))


def namespace_kind(namespace: dict[str, Any], name: Any) -> str:
    """What the namespace is, in words: the real ``__main__``, a temporary module, or a plain dict (not a module's)."""
    main = sys.modules.get("__main__")
    if main is not None and getattr(main, "__dict__", None) is namespace:
        return "__main__ module"
    module = sys.modules.get(name) if isinstance(name, str) else None
    if module is not None and getattr(module, "__dict__", None) is namespace:
        return "temporary module"
    return "plain dict"
