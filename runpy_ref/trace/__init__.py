"""Structured trace events: the story of a run, as plain data.

Read in this order:

* :mod:`.context`: the four names the stages use (``report``, ``failure``,
  ``tracing_on``, ``run_frame``);
* :mod:`.events`: the :class:`Event` record and the closed vocabulary of
  stages and event names;
* :mod:`.plain_data`: safe, bounded conversion of live objects to plain data;
* :mod:`.tracer`: the :class:`Tracer` and :func:`tracing`.

Where events go (text for people, JSON Lines for programs) is
:mod:`runpy_ref.sinks`.  The names below load on first use: an untraced run
imports only :mod:`.context` (see :mod:`runpy_ref._lean`).
"""

from __future__ import annotations

from .._lean import lazy_attributes

__all__ = [
    "EVENTS", "SCHEMA_NAME", "SCHEMA_VERSION", "STAGES", "Event", "TraceSinkError", "Tracer",
    "current", "plain", "safe_repr", "tracing",
]

__getattr__, __dir__ = lazy_attributes(__name__, {
    "EVENTS": "events", "SCHEMA_NAME": "events", "SCHEMA_VERSION": "events", "STAGES": "events",
    "Event": "events", "plain": "plain_data", "safe_repr": "plain_data", "TraceSinkError": "tracer",
    "Tracer": "tracer", "tracing": "tracer", "current": "context",
})
