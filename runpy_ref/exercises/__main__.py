"""``python -m runpy_ref.exercises``: see :mod:`runpy_ref.exercises.cli`."""

import sys

from runpy_ref.exercises.cli import main

if __name__ == "__main__":
    sys.exit(main())
