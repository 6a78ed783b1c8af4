"""Entry point of the demo package: what ``python -m runpy_ref.demo`` runs.

The relative import below works only because runpy sets ``__package__``
(PEP 366); the print shows the special globals runpy chose.
"""

import sys

from . import GREETING
from .greet import greet

name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(greet(name, GREETING))
print(f"__name__={__name__!r} __package__={__package__!r} __spec__.name={__spec__.name!r}")
