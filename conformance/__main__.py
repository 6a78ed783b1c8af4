"""Entry point: ``python -m conformance run|list ...``."""

import sys

from conformance.harness.cli import main

sys.exit(main())
