"""The suite catches deliberately broken runpy variants.

Each variant is the host interpreter's own ``runpy.py`` copied under another
module name and patched textually.  It takes part as a module implementation
(``--module NAME --path DIR``), exactly like runpy_ref does.  An unpatched
copy is the control: it must pass everything, so that every FAIL of a variant
is caused by its patch.  Only the API cases run (the variants' command line,
runpy's own ``__main__`` block, knows nothing of ``--path``).
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from conformance.harness.cases import load_cases
from conformance.harness.impls import Implementation
from conformance.harness.runner import BAD_STATUSES, run_matrix

from .helpers import host

# name -> (original text, replacement, cases that must FAIL)
VARIANTS: dict[str, tuple[str, str, set[str]]] = {
    "argv_not_restored": (
        "sys.argv[0] = self._saved_value",
        "pass  # broken: argv[0] is not restored",
        {"run-module-alter-sys", "run-path-script-basic", "run-path-directory", "run-path-exception-restores",
         "run-module-alter-sys-exception", "run-module-loader-without-filename"},
    ),
    "wrong_package": (
        "__package__ = pkg_name,",
        "__package__ = mod_name,  # broken",
        {"run-module-basic-toplevel", "run-module-submodule", "run-module-package-main",
         "run-module-relative-import", "run-path-script-basic", "run-path-directory"},
    ),
    "no_runtime_warning": (
        "warn(RuntimeWarning(msg))",
        "pass  # broken: no RuntimeWarning",
        {"run-module-submodule-warning"},
    ),
    "path_entry_left_behind": (
        "sys.path.remove(path_name)",
        "pass  # broken: sys.path entry left behind",
        {"run-path-directory", "run-path-zipfile", "run-path-directory-exception-restores"},
    ),
    "temp_module_left_registered": (
        "del sys.modules[self.mod_name]",
        "pass  # broken: temporary module stays in sys.modules",
        {"run-module-alter-sys", "run-path-script-basic", "run-path-exception-restores",
         "run-path-script-run-name"},
    ),
}


def _runpy_source() -> str:
    return (Path(sysconfig.get_paths()["stdlib"]) / "runpy.py").read_text()


@pytest.fixture(scope="module")
def variant_results(tmp_path_factory):
    source = _runpy_source()
    folder = tmp_path_factory.mktemp("variants")
    impls = []
    for name, (old, new, _expected) in {"control": ("", "", set()), **VARIANTS}.items():
        if old and old not in source:
            pytest.skip(f"host runpy.py has no {old!r}; cannot build variant {name}")
        text = source.replace(old, new, 1) if old else source
        (folder / f"runpy_{name}.py").write_text(text)
        impls.append(Implementation(host(), module=f"runpy_{name}", path=str(folder)))
    cases = [c for c in load_cases() if not c.is_cli]
    results = run_matrix(cases, impls, deviations=[])
    by_variant: dict[str, dict[str, str]] = {}
    for r in results:
        by_variant.setdefault(r.impl["module"].removeprefix("runpy_"), {})[r.case.id] = r.status
    return by_variant


def test_unpatched_copy_passes_everything(variant_results):
    bad = {c: s for c, s in variant_results["control"].items() if s in BAD_STATUSES}
    assert bad == {}


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_is_caught(variant_results, name):
    statuses = variant_results[name]
    failing = {c for c, s in statuses.items() if s == "FAIL"}
    print(f"{name}: {len(failing)} FAIL: {sorted(failing)}")
    missing = VARIANTS[name][2] - failing
    assert not missing, f"variant {name} not caught by {sorted(missing)}"
    assert not {c for c, s in statuses.items() if s in ("ERROR", "TIMEOUT", "XPASS")}


# A command-line variant: ``python -m runpy_VARIANT MOD`` goes through the copy's
# own ``__main__`` block, so the ``-m`` cases test the copy's _run_module_as_main.
# Excluded: the file/dir/zip forms (runpy's script block has no ``--path``) and the
# argv[0]-while-searching case (runpy's script block leaves the module name there).
CLI_VARIANT = ("sys.argv[0] = mod_spec.origin", "pass  # broken: argv[0] not set for -m")
CLI_EXPECTED = {"cli-module-basic", "cli-module-in-package", "cli-package-main", "cli-dash-m-file-ignored"}


@pytest.fixture(scope="module")
def cli_variant_results(tmp_path_factory):
    source = _runpy_source()
    if CLI_VARIANT[0] not in source:
        pytest.skip(f"host runpy.py has no {CLI_VARIANT[0]!r}")
    folder = tmp_path_factory.mktemp("cli-variants")
    (folder / "runpy_clicontrol.py").write_text(source)
    (folder / "runpy_noargv0.py").write_text(source.replace(*CLI_VARIANT, 1))
    impls = [Implementation(host(), module=m, path=str(folder))
             for m in ("runpy_clicontrol", "runpy_noargv0")]
    cases = [c for c in load_cases() if c.is_cli and c.call["cli"] == "module"
             and c.id != "cli-argv-during-search"]
    out: dict[str, dict[str, str]] = {}
    for r in run_matrix(cases, impls, deviations=[]):
        out.setdefault(r.impl["module"], {})[r.case.id] = r.status
    return out


def test_cli_variant_is_caught(cli_variant_results):
    control = cli_variant_results["runpy_clicontrol"]
    assert {c: s for c, s in control.items() if s in BAD_STATUSES} == {}
    failing = {c for c, s in cli_variant_results["runpy_noargv0"].items() if s == "FAIL"}
    print(f"noargv0: {len(failing)} FAIL: {sorted(failing)}")
    assert CLI_EXPECTED <= failing
