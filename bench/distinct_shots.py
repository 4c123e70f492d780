"""Shot distinctness: consecutive shots whose middle frames look the same.

    .venv/bin/python bench/distinct_shots.py [STORY ...] [--size 640x360]

Makes each story (default: both bundled examples and the stories in ../shared/stories
when that folder is there) with a clean picture (no slate or caption, which differ
from shot to shot whatever is drawn), decodes the middle frame of every shot from the
film and reports each consecutive pair whose mean absolute difference is under 2 % of
255. Target: 0 pairs, unless the storyboard asks for the same picture twice.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import av
import numpy as np

from storyreel.config import MakeConfig
from storyreel.make import make_film
from storyreel.project import Project

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [
    ROOT / "examples" / "the_kite_mender.fountain",
    ROOT / "examples" / "the_bamboo_duel.fountain",
]
SHARED = ROOT.parent / "shared" / "stories"
# Near-identical: the mean absolute difference of two frames, as a fraction of 255.
THRESHOLD = 0.02


def stories() -> list[Path]:
    shared = sorted(p for p in SHARED.iterdir() if p.is_file()) if SHARED.is_dir() else []
    return [*EXAMPLES, *shared]


def middle_frames(film: Path, wanted: list[int]) -> dict[int, np.ndarray]:
    """The film's frames at the indices `wanted`, as RGB arrays."""
    targets = set(wanted)
    found: dict[int, np.ndarray] = {}
    with av.open(str(film)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in targets:
                found[index] = frame.to_ndarray(format="rgb24")
            if len(found) == len(targets):
                break
    return found


def same_pairs(story: Path, width: int, height: int, work: Path) -> tuple[int, list[str]]:
    """How many shots `story` has and its near-identical consecutive pairs, described."""
    config = MakeConfig(width=width, height=height, picture="clean")
    project = Project.at(work / story.stem)
    film = make_film(story, work / f"{story.stem}.mp4", config, project=project)
    shots = film.timeline.shots
    middles = [shot.start + shot.frames // 2 for shot in shots]
    frames = middle_frames(film.path, middles)
    pairs = []
    for a, b, fa, fb in zip(shots, shots[1:], middles, middles[1:], strict=False):
        mad = float(np.abs(frames[fa].astype(np.int16) - frames[fb]).mean()) / 255
        if mad < THRESHOLD:
            pairs.append(f"shots {a.shot_id} and {b.shot_id}: {mad:.2%}")
    return len(shots), pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("story", nargs="*", type=Path)
    parser.add_argument("--size", default="640x360", help="WIDTHxHEIGHT to make at")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    total = 0
    with tempfile.TemporaryDirectory(prefix="storyreel-distinct-") as tmp:
        for story in args.story or stories():
            count, pairs = same_pairs(story, width, height, Path(tmp))
            total += len(pairs)
            print(f"{story.name}: {count} shots, {len(pairs)} near-identical consecutive pairs")
            for pair in pairs:
                print(f"  {pair}")
    print(f"near-identical consecutive pairs: {total}")


if __name__ == "__main__":
    main()
