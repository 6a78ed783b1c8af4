"""Every transcript shown in a lesson is the real output of its command, today, on this Python."""

from __future__ import annotations

import pytest

from runpy_ref.exercises import transcripts

BLOCKS = [block for lesson in transcripts.lessons() for block in transcripts.find(lesson)]


def test_lessons_have_transcripts() -> None:
    assert len(BLOCKS) >= 8
    assert {b.lesson.name for b in BLOCKS} >= {
        "01-what-does-python-m-do.md", "02-find-spec.md", "03-pick-main.md", "04-build-globals.md",
        "05-alter-sys.md", "06-exec.md", "07-restore.md",
    }


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: f"{b.lesson.stem}:{b.start}")
def test_transcript_is_real_output(block: transcripts.Transcript) -> None:
    fresh = transcripts.render(block)
    assert transcripts.normalise(fresh) == transcripts.normalise(block.shown), (
        f"{block.lesson.name}:{block.start} differs from the real output; "
        "run `python -m runpy_ref.exercises transcripts --update` and review the diff"
    )


def test_every_stage_lesson_shows_its_stage_at_work() -> None:
    stages = {"02": "find_spec", "03": "pick_main", "04": "build_globals", "05": "alter_sys",
              "06": "exec", "07": "restore"}
    for prefix, stage in stages.items():
        shown = "\n".join(b.shown for b in BLOCKS if b.lesson.name.startswith(prefix))
        assert f" {stage} " in shown, f"lesson {prefix} shows no {stage} event"
