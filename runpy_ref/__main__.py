"""``python -m runpy_ref``: see :mod:`runpy_ref.cli`."""

import atexit
import sys

from runpy_ref.cli import main
from runpy_ref.interpreter import INTERRUPTED, die_by_sigint

_status = 0


def _die_if_interrupted() -> None:
    """After Ctrl-C, end by SIGINT as ``python -m`` does (CLI-19).

    Registered before the program runs, so it runs after every atexit
    handler the program registers (they run last registered, first called).
    """
    if _status == INTERRUPTED:
        die_by_sigint()


if __name__ == "__main__":
    atexit.register(_die_if_interrupted)
    _status = main(lasting=True)
    sys.exit(130 if _status == INTERRUPTED else _status)
