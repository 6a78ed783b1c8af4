"""runpy conformance suite: cases, harness and reports ("test262 for runpy").

The cases (``conformance/cases``) are data; the harness (``conformance/harness``)
runs them against any implementation of ``runpy``/``python -m`` in child
processes.  See ``INTERPRETING.md`` for the contract between the two.
"""
