"""A directory program: ``python app`` (or ``python -m runpy_ref --path app``) runs this file."""

import sys

print(f"app: __name__={__name__!r}, sys.argv[0]={sys.argv[0]!r}")
