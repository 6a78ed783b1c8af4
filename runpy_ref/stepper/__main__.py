"""``python -m runpy_ref.stepper TRACE.jsonl [OUT.html]``: a stepper page from a JSON Lines trace."""

from . import main

raise SystemExit(main())
