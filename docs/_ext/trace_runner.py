"""Child process of the ``runpy-trace`` directive: one traced call, as JSON.

The directive runs every example in a fresh interpreter so that examples
cannot leak into each other (a package imported by one page would otherwise
already sit in ``sys.modules`` when the next page runs, and its trace would
change with the build order).  This script sets up a predictable caller
(``sys.argv``, ``sys.path[0]`` and the working directory all point at the
fixture), evaluates the call inside ``runpy_ref.tracing(deterministic=True,
root=...)`` and prints one JSON object: the trace header, the events, the
footer, how the call ended, what the program printed, and any globals the
page asked to show.

Usage: ``python trace_runner.py JSON`` where JSON holds ``root``, ``call``,
``argv``, ``result_keys`` and optionally ``as_of`` (a version such as ``"2.6"``:
the call then runs inside ``runpy_ref.as_of(...)``, as the ``runpy-history``
directive asks).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import warnings
from typing import Any


def _show_warning(message: Any, category: type, filename: str, lineno: int, file: Any = None,
                  line: str | None = None) -> None:
    """Print a warning without its source location.

    The location is a line number inside runpy_ref; it would change the golden
    file at every unrelated edit, and it is not what a reader needs to see.
    """
    print(f"{category.__name__}: {message}", file=sys.stderr)


class Recorder(io.StringIO):
    """The program's stdout and stderr, each write noted with how many trace events came before it.

    That count is where the output happened: the docs show it between
    those events and the next.
    """

    def __init__(self, events: list[Any]) -> None:
        super().__init__()
        self.events = events
        self.chunks: list[list[Any]] = []

    def write(self, text: str) -> int:
        if text:
            count = len(self.events)
            if self.chunks and self.chunks[-1][0] == count:
                self.chunks[-1][1] += text
            else:
                self.chunks.append([count, text])
        return super().write(text)


def main() -> int:
    spec = json.loads(sys.argv[1])
    root = spec["root"]
    os.chdir(root)
    sys.path[0] = root
    sys.argv[:] = spec.get("argv") or ["caller.py"]
    warnings.showwarning = _show_warning

    import runpy_ref
    from runpy_ref.trace import plain

    namespace = {"runpy_ref": runpy_ref, "run_module": runpy_ref.run_module, "run_path": runpy_ref.run_path}
    outcome, result = "returned", None
    version = spec.get("as_of")
    emulated = runpy_ref.as_of(version) if version else contextlib.nullcontext()
    with emulated, runpy_ref.tracing(deterministic=True, root=root) as tracer:
        header = tracer.header()  # inside the block: it names the profile in force (as_of's, if any)
        output = Recorder(tracer.events)
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            try:
                result = eval(spec["call"], namespace)
            except SystemExit as exc:
                outcome = f"exit {exc.code!r}"
            except BaseException as exc:  # the page declares which failure it expects
                outcome = f"raised {type(exc).__name__}: {exc}"
    shown = {}
    if isinstance(result, dict):
        for key in spec.get("result_keys", []):
            shown[key] = plain(result.get(key, "<absent>"), relative_to=root)
    report = {
        "header": header,
        "events": [event.as_dict() for event in tracer.events],
        "footer": tracer.footer(),  # the tracing block ended: the trace is complete
        "outcome": outcome,
        "output": output.getvalue(),
        "output_at": output.chunks,
        "result": shown,
    }
    sys.__stdout__.write(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
