"""What a branching film's player costs: a make of a branching story against the same
story made as a linear film in the same run, and the parts cut again against parts kept.

    .venv/bin/python bench/branches.py [--size 640x360]

The story has five scenes (a choice of two doors, each path two scenes). The linear
baseline is the same text without its marks, made in a project of its own, so both
render the same shots. Then the `branches` exporter runs on the finished film twice:
into an empty folder (every part cut) and again (every part kept by its key).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from storyreel.config import MakeConfig
from storyreel.deliver import ExportRequest
from storyreel.deliver.branches import BranchesExporter
from storyreel.make import make_film
from storyreel.project import Project
from storyreel.script import read_story
from storyreel.script.branches import read_branches

STORY = """\
Title: Two Doors

INT. HALL - NIGHT

Mira stands between two doors. Rain drums on the skylight.

MIRA
Left, or right?

[[choice: Open the left door -> LEFT ROOM]]
[[choice: Open the right door -> GARDEN]]

INT. LEFT ROOM - NIGHT

A lamp on a desk. A letter, sealed.

MIRA
Who left this for me?

INT. STAIRS - NIGHT

She climbs with the letter held to her chest.

[[end]]

EXT. GARDEN - NIGHT

Rain on the roses. A gate stands open.

MIRA
Somebody was here.

EXT. GATE - NIGHT

The gate swings shut behind her.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT of the film")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    config = MakeConfig(width=width, height=height)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        linear = root / "linear.fountain"
        linear.write_text(re.sub(r"^\[\[.*\]\]\n", "", STORY, flags=re.M), encoding="utf-8")
        branching = root / "branching.fountain"
        branching.write_text(STORY, encoding="utf-8")

        start = time.perf_counter()
        make_film(linear, root / "linear.mp4", config, project=Project.at(root / "p1"))
        baseline = time.perf_counter() - start
        start = time.perf_counter()
        film = make_film(branching, root / "film.mp4", config, project=Project.at(root / "p2"))
        made = time.perf_counter() - start
        print(f"linear make ({args.size}, {len(film.storyboard.shots)} shots): {baseline:.2f} s")
        print(f"branching make, player included: {made:.2f} s")
        print(f"ratio branching/linear make: {made / baseline:.3f}")

        graph = read_branches(branching, read_story(branching))
        request = ExportRequest(
            film.path, film.storyboard, film.timeline, root / "out", branches=graph
        )
        request.out_dir.mkdir()
        exporter = BranchesExporter()
        start = time.perf_counter()
        exporter.export(request)
        cut = time.perf_counter() - start
        start = time.perf_counter()
        exporter.export(request)
        kept = time.perf_counter() - start
        print(f"player written, {len(graph.scenes) if graph else 0} parts cut: {cut:.2f} s")
        print(f"player written again, parts kept: {kept:.3f} s")
        print(f"ratio parts cut/linear make: {cut / baseline:.3f}")
        print(f"ratio parts kept/parts cut: {kept / cut:.3f}")


if __name__ == "__main__":
    main()
