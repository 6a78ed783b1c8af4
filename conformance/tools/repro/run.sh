#!/bin/sh
# Hand-made reproductions of the tools matrix's failures, outside the harness: a few-line module
# (mods/) run under plain python and under each tool, output side by side.
#
#   conformance/tools/repro/run.sh PYTHON [TOOL...]      (default: every tool below)
#
# PYTHON is a CPython 3.11+ (PYTHONSAFEPATH needs 3.11); installed tools are taken from the venvs of
# `python -m conformance run --tool NAME` ($RUNPY_CONFORMANCE_VENVS, default
# ~/.cache/runpy-conformance/venvs/TOOL/cpython-X.Y.Z/). Output: output/TOOL.txt, with the path of
# mods/ written as MODS (a timeout of 20 s stops a debugger that restarts the program: status 124).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
base=$1; shift
version=$("$base" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
venvs=${RUNPY_CONFORMANCE_VENVS:-$HOME/.cache/runpy-conformance/venvs}
scratch=$(mktemp -d)
tools=${*:-"python cProfile profile trace pdb coverage pyinstrument viztracer memray scalene debugpy kernprof ipython ipdb py-spy runpy_ref"}

# The command standing for `python -m` (M) and for `python FILE` (F) under each tool, and what the
# tool's documentation puts between the program and its arguments (AM after -m MOD, AF after FILE),
# as in the adapter files.
commands() {
  py=$base
  AM=""; AF=""
  case $1 in scalene) AM="---"; AF="---";; ipython) AM="--"; AF="--";; viztracer) AM="--";; esac
  case $1 in
    coverage|pyinstrument|viztracer|memray|scalene|debugpy|kernprof|ipython|ipdb|py-spy)
      py=$venvs/$1/cpython-$version/bin/python;;
  esac
  case $1 in
    python)       M="$py -m";                F="$py";;
    cProfile)     M="$py -m cProfile -o $scratch/p -m"; F="$py -m cProfile -o $scratch/p";;
    profile)      M="$py -m profile -o $scratch/p -m";  F="$py -m profile -o $scratch/p";;
    trace)        M="$py -m trace --count -C $scratch --module"; F="$py -m trace --count -C $scratch";;
    pdb)          M="$py -m pdb -m";             F="$py -m pdb";;
    ipdb)         M="$py -m ipdb -m";            F="$py -m ipdb";;
    coverage)     M="$py -m coverage run --data-file=$scratch/c -m"; F="$py -m coverage run --data-file=$scratch/c";;
    pyinstrument) M="$py -m pyinstrument -o $scratch/p -m"; F="$py -m pyinstrument -o $scratch/p";;
    viztracer)    M="$py -m viztracer --quiet -o $scratch/v.json -m"; F="$py -m viztracer --quiet -o $scratch/v.json --";;
    memray)       M="$py -m memray run -q -f -o $scratch/m.bin -m"; F="$py -m memray run -q -f -o $scratch/m.bin";;
    scalene)      M="$py -m scalene run -o $scratch/s.json -m"; F="$py -m scalene run -o $scratch/s.json";;
    debugpy)      M="$py -m debugpy --listen 127.0.0.1:0 -m"; F="$py -m debugpy --listen 127.0.0.1:0";;
    kernprof)     M="$py -m kernprof -l -o $scratch/k.lprof -m"; F="$py -m kernprof -l -o $scratch/k.lprof";;
    ipython)      M="$py -m IPython --no-banner --quick --ipython-dir=$scratch -m"; F="$py -m IPython --no-banner --quick --ipython-dir=$scratch";;
    py-spy)       M="$(dirname "$py")/py-spy record -f speedscope -o $scratch/s.json -- $py -m";
                  F="$(dirname "$py")/py-spy record -f speedscope -o $scratch/s.json -- $py";;
    runpy_ref)    M="env PYTHONPATH=$root $py -m runpy_ref"; F="env PYTHONPATH=$root $py -m runpy_ref --path";;
  esac
}

show() {  # run one command in mods/ (debuggers get 'continue' commands), print it, its output and status
  printf '\n$ %s\n' "$*"
  (cd "$here/mods" && printf 'continue\ncontinue\ncontinue\n' \
     | PYDEVD_DISABLE_FILE_VALIDATION=1 timeout 20 "$@" >"$scratch/out" 2>&1)
  status=$?
  head -n 14 "$scratch/out"
  echo "[exit status $status]"
}

mkdir -p "$here/output"
for tool in $tools; do
  commands "$tool"
  out="$here/output/$tool.txt"
  {
    echo "# $tool on CPython $version (python -m conformance's cases in a few lines; see ../README.md)"
    show $M show $AM a -b --c                                # what a -m module sees
    show $F show.py $AF a -b --c                              # what a script sees
    show $M nosuchmod                                        # unknown module: one line, status 1
    show $M boom                                             # uncaught exception: traceback, status 1
    show $F exit3.py                                         # sys.exit(3): status 3
    show $F app.zip $AF a                                    # a zip application
    show env PYTHONSAFEPATH=1 $F uses_sibling.py             # safe path: the script's directory not on sys.path
  } 2>&1 | sed -e "s|$here/mods|MODS|g" -e "s|$root|ROOT|g" -e "s|$scratch|SCRATCH|g" -e "s|$venvs|VENVS|g" > "$out"
  echo "wrote $out"
done
rm -rf "$scratch"
