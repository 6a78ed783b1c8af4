"""The probe and recorder stay single-source for 2.7 and 3.6+ (and PyPy)."""

from __future__ import annotations

import json
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

from conformance.harness import runner

from .helpers import interpreters

HARNESS = Path(runner.PROBE).parent
SOURCES = [HARNESS / "probe.py", HARNESS / "recorder.py"]


@pytest.mark.parametrize("interp", interpreters(), ids=lambda i: f"{i.impl}-{i.version_text}")
def test_probe_compiles_on_every_interpreter(interp):
    for source in SOURCES:
        code = f"compile(open({str(source)!r}).read(), {str(source)!r}, 'exec')"
        subprocess.run([interp.exe, "-E", "-s", "-S", "-c", code], check=True, capture_output=True)


def test_no_fstrings_or_annotations_in_child_code():
    for source in SOURCES:
        with open(source) as handle:
            for tok in tokenize.generate_tokens(handle.readline):
                if tok.type == tokenize.STRING:
                    prefix = re.match(r"[A-Za-z]*", tok.string).group().lower()
                    assert "f" not in prefix, f"{source}:{tok.start[0]}: f-string"
                assert tokenize.tok_name[tok.type] != "FSTRING_START", f"{source}:{tok.start[0]}"
        assert "from __future__ import annotations" not in source.read_text()


def test_recorder_dumps_is_valid_json(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("_rec_under_test", HARNESS / "recorder.py")
    rec = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(rec)
    data = {"a": [1, 2.5, None, True, False], "s": 'q"uote\\ \n\t\x01 caf\u00e9 \U0001f600', "n": {"x": {}}}
    assert json.loads(rec.dumps(data)) == data
    assert json.loads(rec.dumps({"p": Path("x")}))["p"] == {"__type__": "PosixPath", "value": "x"}
