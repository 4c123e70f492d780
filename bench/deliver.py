"""What delivery costs: signing and labelling as a share of a make, and `verify`'s time.

    .venv/bin/python bench/deliver.py [--size 640x360] [--workers N] [--vertical]

One make of the bundled dialogue example with the default delivery (the visible AI
label drawn by the cut, the AIGC metadata, the C2PA signature), then, on that make's
own takes and film, in the same run:
- the cut again without the label and with it: the label's cost is the difference;
- the `aigc` and `c2pa` exporters on a copy of the film (remux + signing);
- `verify` of the signed film (about 96 s long), best of 5.
Targets: signing and labels at most 10 % of the make; verify of a 100 s film at most 1 s.
With --vertical, a 9:16 make of the same example too, and how many of its speaking
characters' heads each take records drawing inside the frame (target: all).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyreel.config import MakeConfig
from storyreel.cut.film import cut_film
from storyreel.cut.label import Label
from storyreel.deliver import load_exporter
from storyreel.deliver.verify import verify
from storyreel.exports import latest_film
from storyreel.make import make_film
from storyreel.media.aspect import aspect_size
from storyreel.project import Project
from storyreel.render.drawn import read_drawn

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "examples" / "the_kite_mender.fountain"


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--vertical", action="store_true")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        project = Project.at(work / "project")
        film_path = work / "kite.mp4"
        config = MakeConfig(width=width, height=height, workers=args.workers)
        made = seconds(lambda: make_film(STORY, film_path, config, project=project))
        request = latest_film(project)
        takes = [request.takes[shot.id] for shot in request.board.shots]
        silence = np.zeros(round(request.timeline.duration * 48_000), np.float32)
        label = Label.for_language(request.board.language)

        def cut(path: Path, drawn: Label | None) -> None:
            cut_film(takes, request.timeline, silence, path, config.video, label=drawn)

        plain = min(seconds(lambda: cut(work / "plain.mp4", None)) for _ in range(3))
        labelled = min(seconds(lambda: cut(work / "labelled.mp4", label)) for _ in range(3))
        copy = work / "signed.mp4"
        shutil.copyfile(film_path, copy)
        signed = replace(request, film=copy, out_dir=work, label=label)
        aigc = seconds(lambda: load_exporter("aigc").export(signed))
        c2pa = seconds(lambda: load_exporter("c2pa").export(signed))
        checks = [seconds(lambda: verify(copy)) for _ in range(5)]
        status = verify(copy).status

    share = (max(0.0, labelled - plain) + aigc + c2pa) / made
    print(f"make of {STORY.name} at {width}x{height}: {made:.2f} s ({len(takes)} shots)")
    print(f"cut without label: {plain:.3f} s; with the opening label: {labelled:.3f} s")
    print(f"aigc metadata (remux): {aigc:.3f} s; c2pa signing: {c2pa:.3f} s")
    print(f"verify of a {request.timeline.duration:.1f} s film: {min(checks):.3f} s ({status})")
    print(f"signing + labels as a share of the make: {share:.1%} (target <= 10%)")
    if args.vertical:
        framed, speaking = vertical_faces(width, height, args.workers)
        print(f"9:16 film: speaking characters' heads inside the frame: {framed}/{speaking}")


def vertical_faces(width: int, height: int, workers: int | None) -> tuple[int, int]:
    """A 9:16 make of the example: (speakers drawn with their head in frame, speakers),
    over every shot with a line, from each take's record of what it drew where."""
    w, h = aspect_size("9:16", width, height)
    with tempfile.TemporaryDirectory() as folder:
        project = Project.at(Path(folder) / "project")
        config = MakeConfig(width=w, height=h, workers=workers)
        film = make_film(STORY, Path(folder) / "kite.9x16.mp4", config, project=project)
        assert film.renders is not None
        framed = speaking = 0
        for shot in film.storyboard.shots:
            drawn = read_drawn(film.renders.takes[shot.id].path)
            people = {e.name: e.box for e in drawn.elements if e.kind == "person"} if drawn else {}
            for name in {line.character for line in shot.lines}:
                speaking += 1
                box = people.get(name)
                # The head is at the top centre of the figure's box.
                framed += box is not None and 0.1 < (box[0] + box[2]) / 2 < 0.9 and box[1] < 0.5
    return framed, speaking


if __name__ == "__main__":
    main()
