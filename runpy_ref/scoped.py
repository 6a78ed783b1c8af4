"""``with scoped(variable, value):``, the one way runpy_ref switches a setting on for a block.

The tracer, the stage table and the version profile in force are context
variables (:class:`contextvars.ContextVar`): each thread and each asyncio
task sees its own, so a traced run in one thread leaves an untraced run in
another alone.  Each is switched for the length of a ``with`` block by this
small class (rather than :func:`contextlib.contextmanager`, whose import
``python -m runpy_ref`` would pay at every start).
"""

from __future__ import annotations

from ._lean import TYPE_CHECKING

if TYPE_CHECKING:
    from contextvars import ContextVar, Token
    from typing import Any

__all__ = ["scoped"]


class scoped:  # lower case: used like a function, in a with statement
    """Set ``variable`` to ``value`` inside the block; put the old value back on every way out.

    ``with`` gives ``value``.
    """

    def __init__(self, variable: ContextVar[Any], value: Any) -> None:
        self.variable = variable
        self.value = value
        self._token: Token[Any] | None = None

    def __enter__(self) -> Any:
        self._token = self.variable.set(self.value)
        return self.value

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            token, self._token = self._token, None
            self.variable.reset(token)
