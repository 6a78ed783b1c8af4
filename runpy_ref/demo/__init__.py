"""A tiny package to watch ``python -m`` at work.

Run it with ``python -m runpy_ref --trace runpy_ref.demo [NAME]``: runpy
imports this package first (its parent), then redirects to
``runpy_ref.demo.__main__``, which greets NAME using a relative import.
"""

GREETING = "Hello"
