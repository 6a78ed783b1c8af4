"""Exercise 5: exec - run the code, and report how it ended.

Contract (from ``runpy_ref/stages/exec.py``)::

    exec_code(code, namespace, *, name) -> ExecFinished

Check your work with ``python -m runpy_ref.exercises check 5``.
"""

from __future__ import annotations

from typing import Any

from runpy_ref.exercises.kit import ExecFinished, ExecStarted, emit, namespace_kind


def exec_code(code: Any, namespace: dict[str, Any], *, name: Any) -> ExecFinished:
    """Run ``code`` with ``namespace`` as its globals; return ``ExecFinished(name, "returned")``.

    The namespace is already filled (``init_globals``, then the specials):
    the code runs *in* it, so what the code defines ends up there [RM-02].
    Before running, ``emit(ExecStarted(name, namespace_kind(namespace, name)))``:
    the kit's ``namespace_kind`` says in words what the namespace is.

    How the run ends is part of the story, and the exception itself must
    reach the caller *unchanged* - same object, same traceback [ERR-12, G-16]:

    * returned: ``return emit(ExecFinished(name, "returned"))``
    * ``SystemExit``: emit ``ExecFinished(name, "exit", "SystemExit", exc.code)``, re-raise
    * anything else (``BaseException``: ``KeyboardInterrupt`` too): emit
      ``ExecFinished(name, "raised", type(exc).__name__)``, re-raise
    """
    # TODO-BEGIN
    # TODO: 1. emit(ExecStarted(name, namespace_kind(namespace, name)))
    # TODO: 2. exec(code, namespace) inside try/except: SystemExit first, then BaseException;
    # TODO:    emit the matching ExecFinished, then re-raise with a bare "raise".
    # TODO: 3. Normal end: return emit(ExecFinished(name, "returned")).
    emit(ExecStarted(name, namespace_kind(namespace, name)))
    try:
        exec(code, namespace)
    except SystemExit as exc:
        emit(ExecFinished(name, "exit", "SystemExit", exc.code))
        raise
    except BaseException as exc:
        emit(ExecFinished(name, "raised", type(exc).__name__))
        raise
    return emit(ExecFinished(name, "returned"))
    # TODO-END
