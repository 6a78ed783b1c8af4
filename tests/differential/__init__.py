"""Differential tests: runpy_ref against the stdlib runpy of CPython 3.9-3.13."""
