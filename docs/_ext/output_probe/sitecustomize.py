"""Loaded only by the docs' ``python -m runpy_ref`` examples: note where the program's output happened.

The ``runpy-trace`` directive runs ``python -m runpy_ref --trace-file FILE``
with this directory first on ``PYTHONPATH``.  Each write to ``sys.stdout`` or
``sys.stderr`` still goes to the real stream, and is also noted in the file
named by ``RUNPY_REF_OUTPUT_LOG`` with the number of trace records then in the
trace file (the JSON Lines sink writes each record through, so that number is
how many events came before the write).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


class _Noted:
    def __init__(self, stream: Any, name: str, log: str, trace: str) -> None:
        self._stream, self._name, self._log, self._trace = stream, name, log, trace

    def write(self, text: str) -> int:
        if text:
            try:
                with open(self._trace, "rb") as trace:
                    records = trace.read().count(b"\n")
            except OSError:
                records = 0
            with open(self._log, "a", encoding="utf-8") as log:
                log.write(json.dumps([records, text, self._name]) + "\n")
        return self._stream.write(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


if os.environ.get("RUNPY_REF_OUTPUT_LOG") and os.environ.get("RUNPY_REF_OUTPUT_TRACE"):
    sys.stdout = _Noted(sys.stdout, "stdout", os.environ["RUNPY_REF_OUTPUT_LOG"], os.environ["RUNPY_REF_OUTPUT_TRACE"])
    sys.stderr = _Noted(sys.stderr, "stderr", os.environ["RUNPY_REF_OUTPUT_LOG"], os.environ["RUNPY_REF_OUTPUT_TRACE"])
