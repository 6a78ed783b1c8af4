#!/usr/bin/env python3
"""Re-run the catalogue's probe scripts and compare with the stored log.

    python3 conformance/catalogue/verify.py            # run probes, diff against evidence/observations.txt
    python3 conformance/catalogue/verify.py --write    # run probes, rewrite evidence/observations.txt
    python3 conformance/catalogue/verify.py --table    # print the stored log as one row per check

Interpreters are looked up under $PYENV_ROOT/versions (default /root/.pyenv);
missing ones are reported and skipped.  Exit status 1 if anything differs.
This script deliberately does not import runpy_ref: the probes exercise the
real runpy of each interpreter.
"""
import argparse, collections, difflib, glob, os, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVIDENCE = os.path.join(HERE, "evidence")
LOG = os.path.join(EVIDENCE, "observations.txt")
PROBES = ["probe_api.py", "probe_cli.py"]
VERSIONS = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]


def find_interpreter(ver):
    root = os.environ.get("PYENV_ROOT", "/root/.pyenv")
    hits = sorted(glob.glob(os.path.join(root, "versions", ver + ".*", "bin", "python" + ver)))
    return hits[-1] if hits else None


def run_all(versions):
    """Return the log text: one block per (interpreter, probe)."""
    blocks = []
    for ver in versions:
        exe = find_interpreter(ver)
        if exe is None:
            blocks.append("### %s probe=* interpreter=MISSING\n" % ver)
            continue
        full = subprocess.run([exe, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
                              capture_output=True, text=True).stdout.strip()
        for probe in PROBES:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
            p = subprocess.run([exe, "-B", os.path.join(EVIDENCE, probe)], capture_output=True,
                               text=True, cwd="/", env=env, timeout=600)
            lines = [l for l in p.stdout.splitlines() if " = " in l]
            # stderr noise (e.g. warnings printed by the interpreter) is kept, marked
            lines += ["!stderr " + l for l in p.stderr.splitlines()]
            if p.returncode:
                lines.append("!exit status %d" % p.returncode)
            blocks.append("### %s (%s) probe=%s\n%s\n" % (ver, full, probe, "\n".join(lines)))
    return "\n".join(blocks)


def parse(text):
    """{check: {ver: value}} plus ordered check list."""
    table, order, ver = collections.OrderedDict(), [], None
    for line in text.splitlines():
        if line.startswith("### "):
            ver = line.split()[1]
        elif " = " in line and ver and not line.startswith("!"):
            k, v = line.split(" = ", 1)
            if k not in table:
                table[k] = {}
                order.append(k)
            table[k][ver] = v
    return table


def print_table(text):
    table = parse(text)
    for k, per in table.items():
        groups = collections.OrderedDict()
        for ver in VERSIONS:
            groups.setdefault(per.get(ver, "<no line>"), []).append(ver)
        if len(groups) == 1:
            print("%s = %s   [all]" % (k, next(iter(groups))))
        else:
            print(k)
            for val, vers in groups.items():
                print("    %-28s %s" % (",".join(vers), val))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the stored log")
    ap.add_argument("--table", action="store_true", help="print the stored log grouped by check")
    ap.add_argument("--versions", default=",".join(VERSIONS))
    a = ap.parse_args()
    if a.table:
        print_table(open(LOG).read())
        return 0
    fresh = run_all(a.versions.split(","))
    if a.write:
        with open(LOG, "w") as f:
            f.write("# Output of conformance/catalogue/evidence/probe_*.py per interpreter.\n"
                    "# Regenerate: python3 conformance/catalogue/verify.py --write\n\n" + fresh)
        print("wrote", LOG)
        return 0
    stored = open(LOG).read()
    old, new = parse(stored), parse(fresh)
    bad = 0
    for k in sorted(set(old) | set(new)):
        for ver in a.versions.split(","):
            o, n = old.get(k, {}).get(ver), new.get(k, {}).get(ver)
            if o != n:
                bad += 1
                print("DIFF %s [%s]\n   stored: %s\n   now:    %s" % (k, ver, o, n))
    print("%d difference(s)" % bad)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
