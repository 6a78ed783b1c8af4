"""A program that fails: watch what exec and restore do with the exception."""

import os
import sys

print(f"boom: while I run, sys.argv[0] ends with {os.path.basename(sys.argv[0])!r}")
raise SystemExit("boom: giving up with a message")
