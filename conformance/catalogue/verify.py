#!/usr/bin/env python3
"""Re-run the catalogue's probe scripts and compare with the stored log.

    python3 conformance/catalogue/verify.py            # run probes, diff against evidence/observations.txt
    python3 conformance/catalogue/verify.py --write    # run probes, rewrite evidence/observations.txt
    python3 conformance/catalogue/verify.py --table    # print the stored log as one row per check
    python3 conformance/catalogue/verify.py --lint     # check behaviours.json (fields, IDs, anchors)

Interpreters are looked up under $PYENV_ROOT/versions (default /root/.pyenv);
missing ones are reported and skipped.  Exit status 1 if anything differs.
This script deliberately does not import runpy_ref: the probes exercise the
real runpy of each interpreter.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys

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
            lines = [line for line in p.stdout.splitlines() if " = " in line]
            # stderr noise (e.g. warnings printed by the interpreter) is kept, marked
            lines += [
                "!stderr " + re.sub(r"/\S*/rp(cat|cli)\w+", "<T>", line) for line in p.stderr.splitlines()
            ]
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


# The doc texts live in the project's shared folder, beside the checkout.
REFERENCE = os.environ.get(
    "RUNPY_REF_REFERENCE",
    os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(HERE))), "shared", "reference"),
)
def _model():
    """The version model (conformance/harness/versions.py), loaded without the harness package."""
    import importlib.util
    path = os.path.join(os.path.dirname(HERE), "harness", "versions.py")
    spec = importlib.util.spec_from_file_location("catalogue_version_model", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up while building classes
    spec.loader.exec_module(module)
    return module


model = _model()


def span_problems(span, versions):
    """A doc/implemented range: a version set, and unknown parts that say why and do not overlap it."""
    out = []
    if sorted(span) not in (["unknown", "versions"], ["anchors", "unknown", "versions"]):
        return ["fields %s" % sorted(span)]
    try:
        holds = model.parse(span["versions"])
    except model.VersionError as exc:
        return [str(exc)]
    if span["versions"] != holds.text(versions):
        out.append("versions %r not in canonical form %r" % (span["versions"], holds.text(versions)))
    for item in span["unknown"]:
        if sorted(item) != ["because", "versions"] or not item["because"].strip():
            out.append("unknown item %r needs versions and because" % (item,))
            continue
        try:
            unknown = model.parse(item["versions"])
        except model.VersionError as exc:
            out.append(str(exc))
            continue
        if not unknown:
            out.append("unknown item with no versions")
        if unknown & holds:
            out.append("unknown %r overlaps versions %r" % (item["versions"], span["versions"]))
    return out


def observed_problems(entry, releases):
    """An observation must agree with the implemented range at the point release that was run."""
    out = []
    span = entry["implemented"]
    holds = model.parse(span["versions"])
    unknown = model.VersionSet.nothing()
    for item in span["unknown"]:
        unknown = unknown | model.parse(item["versions"])
    for version, value in sorted(entry["observed"].items()):
        release = releases.get(version, version)
        if release in unknown:
            out.append("%s was run, so it cannot be unknown" % release)
        elif value.startswith("holds") and release not in holds:
            out.append("observed holds on %s, outside implemented %r" % (release, span["versions"]))
        elif value.startswith(("n/a", "differs")) and release in holds:
            out.append("observed %r on %s, inside implemented %r" % (value.split(":")[0], release,
                                                                    span["versions"]))
    return out


FIELDS = ["id", "section", "title", "summary", "documented", "doc", "implemented", "observed",
          "disagreements", "sources", "corrections", "notes"]
SECTIONS = {"G": "general", "RM": "run_module", "RP": "run_path", "CLI": "cli", "ERR": "errors"}


def lint():
    """Structural checks of behaviours.json; anchor phrases must occur in their files."""
    import json
    import re
    data = json.load(open(os.path.join(HERE, "behaviours.json"), encoding="utf-8"))
    problems, seen = [], set()

    def squash(text):
        return re.sub(r"\s+", " ", text).strip()

    versions = data["versions"]
    for e in data["entries"]:
        eid = e.get("id", "?")
        if list(e) != FIELDS:
            problems.append("%s: fields %s" % (eid, list(e)))
        if eid in seen:
            problems.append("%s: duplicate id" % eid)
        seen.add(eid)
        if SECTIONS.get(eid.split("-")[0]) != e.get("section"):
            problems.append("%s: section %s" % (eid, e.get("section")))
        for rng in ("doc", "implemented"):
            problems.extend("%s: %s %s" % (eid, rng, p) for p in span_problems(e[rng], versions))
        if sorted(e["observed"]) != sorted(data["executable_here"]):
            problems.append("%s: observed keys" % eid)
        for v, o in e["observed"].items():
            if not (o in ("holds", "n/a") or o.startswith(("holds (", "n/a", "differs: ", "untested: "))):
                problems.append("%s: observed[%s] = %r" % (eid, v, o))
        problems.extend("%s: %s" % (eid, p) for p in observed_problems(e, data["observed_releases"]))
        if e["documented"] != bool(e["doc"]["anchors"]):
            count = len(e["doc"]["anchors"])
            problems.append("%s: documented=%s but %d anchors" % (eid, e["documented"], count))
        for a in e["doc"]["anchors"]:
            if a["file"]:
                path = os.path.join(REFERENCE, a["file"])
                if not os.path.exists(path):
                    problems.append("%s: doc text %s not found under %s" % (eid, a["file"], REFERENCE))
                elif squash(a["phrase"]) not in squash(open(path, encoding="utf-8").read()):
                    problems.append("%s: phrase %r not in %s" % (eid, a["phrase"], a["file"]))
            if len(a["phrase"].split()) > 10:
                problems.append("%s: phrase longer than ten words" % eid)
        for d in e["disagreements"]:
            if sorted(d) != ["behaviour", "doc_says", "evidence", "versions"]:
                problems.append("%s: disagreement fields %s" % (eid, sorted(d)))
            try:
                model.parse(d["versions"])
            except model.VersionError as exc:
                problems.append("%s: disagreement versions: %s" % (eid, exc))
    if sorted(data.get("observed_releases", {})) != sorted(data["executable_here"]):
        problems.append("observed_releases must name the point release of every executable version")
    for p in problems:
        print("LINT", p)
    print("%d entries, %d problem(s)" % (len(data["entries"]), len(problems)))
    return 1 if problems else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="rewrite the stored log")
    ap.add_argument("--table", action="store_true", help="print the stored log grouped by check")
    ap.add_argument("--lint", action="store_true", help="check behaviours.json only")
    ap.add_argument("--versions", default=",".join(VERSIONS))
    a = ap.parse_args()
    if a.lint:
        return lint()
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
