"""What ``python -m greeter NAME`` runs; the relative import needs ``__package__``."""

import sys

from . import GREETING
from .words import exclaim

name = sys.argv[1] if len(sys.argv) > 1 else "world"
print(exclaim(f"{GREETING}, {name}"))
