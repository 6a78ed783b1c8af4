"""Driver side of the conformance suite (Python 3.9+).

``probe.py`` and ``recorder.py`` in this package are *not* imported by the
driver: they are executed by the interpreters under test.
"""
