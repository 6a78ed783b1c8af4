"""``python -m runpy_ref``: see :mod:`runpy_ref.cli`."""

import sys

from runpy_ref.cli import main

if __name__ == "__main__":
    sys.exit(main(lasting=True))
