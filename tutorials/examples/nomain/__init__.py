"""A package without ``__main__.py``: ``python -m nomain`` cannot run it."""
