"""The smallest program to watch: ``python -m hello`` from this directory."""

import sys

print(f"hello from {__name__}, argv={sys.argv[1:]}")
