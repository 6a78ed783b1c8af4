"""CPython runpy's two private context managers, rebuilt on the stage table.

Third-party code occasionally uses ``runpy._TempModule`` and
``runpy._ModifiedArgv0`` directly; these classes keep their interface while
routing the change through the ``alter_sys`` and ``restore`` stages, so the
trace shows them like any other change to ``sys``.
"""

from __future__ import annotations

from types import ModuleType

from .stages import Applied, SetArgv0, SetModule, active_stages

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _TempModule:
    """Temporarily replace ``sys.modules[mod_name]`` with an empty module."""

    def __init__(self, mod_name: str) -> None:
        self.mod_name = mod_name
        self.module = ModuleType(mod_name)
        self._applied: Applied | None = None

    def __enter__(self) -> _TempModule:
        self._applied = active_stages().alter_sys(SetModule(self.mod_name, self.module))
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._applied is not None:
            applied, self._applied = self._applied, None
            active_stages().restore(applied)


class _ModifiedArgv0:
    """Temporarily replace ``sys.argv[0]``; not re-entrant, like CPython's."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._applied: Applied | None = None

    def __enter__(self) -> None:
        if self._applied is not None:
            raise RuntimeError("Already preserving saved value")
        self._applied = active_stages().alter_sys(SetArgv0(self.value))

    def __exit__(self, *exc_info: Any) -> None:
        if self._applied is not None:
            applied, self._applied = self._applied, None
            active_stages().restore(applied)
