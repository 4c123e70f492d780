"""Instruction editing: how long the rules take to read an instruction, and what an
edit of one shot costs to re-make against a full make measured in the same run.

    .venv/bin/python bench/edit.py [--size 640x360]

Parsing: twelve instructions (English and Chinese: sizes, moves, angles, time, weather,
durations, deletions, an added shot, actions, the film's look) on a 12-shot storyboard.
"cold" is the first instruction in this process after the vocabularies are loaded (as a
make or `storyreel board` has them); it builds the instruction words' table. "warm" is
the median of the others. The budget is 100 ms.

Re-make: a 12-shot previs film is made in a fresh project; then `shot 5: close-up and
have Anna smile` is applied to its storyboard file and the film made again. Both makes
are timed in this process; the renders are counted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from statistics import median

from incremental import STORY as TWELVE_SHOTS
from storyreel.config import MakeConfig
from storyreel.direct.instruct import _table, edit_words, instruct
from storyreel.edit import propose_instruction, write_edit
from storyreel.make import make_film
from storyreel.project import Project
from storyreel.script import read_story
from storyreel.script.lexicon import lexicon
from storyreel.vocab import load_vocabulary

# The 12-shot film bench/incremental.py re-makes after a change of one line: the same
# film, so the two benches' figures compare.
STORY = TWELVE_SHOTS
INSTRUCTIONS = (
    "shot 3: make it a close-up at night and have Anna smile",
    "把第二场改成雨夜，镜头推近",
    "cut the second line of Anna",
    "make the whole film warmer and slower",
    "镜头4改成俯拍特写",
    "shots 1-2 handheld",
    "第一场加雪",
    "delete shot 6",
    "add a close-up of Old Li after shot 2",
    "the third shot: 5 seconds",
    "全片节奏快一点",
    "scene 2: dissolve, low angle",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        story = Path(folder) / "harbour.fountain"
        story.write_text(STORY, encoding="utf-8")
        project = Project.at(None, story)
        film = Path(folder) / "harbour.mp4"
        config = MakeConfig(width=width, height=height)

        start = time.perf_counter()
        full = make_film(story, film, config, project=project)
        full_s = time.perf_counter() - start
        assert full.renders is not None
        shots = len(full.storyboard.shots)

        vocabulary = load_vocabulary()
        lexicon(vocabulary)  # loaded by planning, as in `storyreel edit`
        read_story(story)
        board = full.storyboard
        edit_words.cache_clear()
        _table.cache_clear()
        times = []
        for instruction in INSTRUCTIONS:
            began = time.perf_counter()
            instruct(board, instruction, vocabulary=vocabulary)
            times.append((time.perf_counter() - began) * 1000)

        edit = propose_instruction(project, story, "shot 5: close-up and have Anna smile")
        start = time.perf_counter()
        write_edit(edit)
        again = make_film(
            story, film, config.model_copy(update={"message": edit.message}), project=project
        )
        edit_s = time.perf_counter() - start
        assert again.renders is not None

    print(f"rules parse, cold (first instruction in the process): {times[0]:.1f} ms")
    print(f"rules parse, warm (median of {len(times) - 1}): {median(times[1:]):.1f} ms")
    print(f"rules parse, slowest warm: {max(times[1:]):.1f} ms (budget 100 ms)")
    print(
        f"full make, {shots} shots at {width}x{height}: {full_s:.2f} s "
        f"({len(full.renders.rendered)} rendered)"
    )
    print(
        f"edit of one shot re-made: {edit_s:.2f} s ({len(again.renders.rendered)} rendered, "
        f"{len(again.renders.cached)} cached)"
    )
    print(f"ratio edit re-make / full make: {edit_s / full_s:.3f} (budget 0.25)")


if __name__ == "__main__":
    main()
