"""A plain script: ``python script.py`` / ``runpy.run_path("script.py")``."""

import sys

print(f"script: __name__={__name__!r}, sys.argv={sys.argv!r}")
