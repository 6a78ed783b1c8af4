"""``python -m tools.count WORD...``: a submodule run as a program."""

import sys

words = sys.argv[1:]
print(f"{len(words)} word(s); __name__={__name__!r} __package__={__package__!r}")
