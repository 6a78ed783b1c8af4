"""The version of runpy_ref, in a module of its own so that every part can read it without importing upward."""

__version__ = "0.1.0"
