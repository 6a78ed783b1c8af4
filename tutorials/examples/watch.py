"""Watch one runpy_ref call: ``python watch.py run_module MODULE [--run-name N] [--alter-sys]``.

Also ``python watch.py run_path PATH [--run-name N]``.  Prints the
deterministic text trace of the call on standard output (paths under this
directory are written ``<root>/...``), then how the call ended and a few of
the globals it returned.  The lessons use it to look at one stage at a time.
"""

from __future__ import annotations

import argparse
import os
import sys

import runpy_ref
from runpy_ref.sinks import JsonLinesSink, TextSink

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("api", choices=("run_module", "run_path"))
    parser.add_argument("target")
    parser.add_argument("--run-name")
    parser.add_argument("--alter-sys", action="store_true")
    parser.add_argument("--json", metavar="FILE", help="also write the trace as JSON Lines to FILE")
    args = parser.parse_args()
    kwargs = {"run_name": args.run_name}
    if args.api == "run_module":
        kwargs["alter_sys"] = args.alter_sys
    call = getattr(runpy_ref, args.api)
    sys.argv[:] = ["watch.py", "arg1"]  # what the caller's sys.argv looks like during the call
    sinks: list[object] = [TextSink(sys.stdout)]
    json_file = open(args.json, "w", encoding="utf-8") if args.json else None  # closed in finally below
    if json_file is not None:
        sinks.append(JsonLinesSink(json_file))
    try:
        with runpy_ref.tracing(*sinks, deterministic=True, root=HERE):
            result = call(args.target, **kwargs)
    except BaseException as exc:  # show how it ended, whatever it was
        print(f"=> {args.api} raised {type(exc).__name__}: {exc}")
        print(f"=> afterwards sys.argv == {sys.argv!r}")
        return 1
    finally:
        if json_file is not None:
            json_file.close()
    print(f"=> {args.api} returned the globals; __name__={result['__name__']!r}, "
          f"__package__={result['__package__']!r}")
    print(f"=> afterwards sys.argv == {sys.argv!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
