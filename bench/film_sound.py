"""How the made films sound: digital silence, loudness and true peak of every story,
each against its bound; and what the sound world costs, against the same make without it.

    .venv/bin/python bench/film_sound.py [STORY ...] [--size 640x360]

Each story (default: the examples and ../shared/stories) is made with the previs engine
in a fresh project, then its sound decoded from the MP4:

* silence: the share of 100 ms windows below -60 dBFS, fades to black excepted
  (bound: 2 %);
* loudness: integrated, measured with pyloudnorm on the decoded stereo (bound: the
  target ±1 LU), and the true peak (bound: -1 dBTP);
* cost: the make's wall time with the sound world (ambience, foley, score) against the
  same make with --no-effects --no-score, in a second fresh project (ratio; the baseline
  is measured in this run).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import av
import numpy as np
import pyloudnorm

from storyreel.config import MakeConfig
from storyreel.cut.sound import silent_share, true_peak_db
from storyreel.cut.soundtrack import picture_level
from storyreel.make import Film, make_film
from storyreel.project import Project
from storyreel.timeline import FILM_RATE

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "stories"


def decoded(path: Path) -> np.ndarray:
    """The film's sound as (samples, channels) float32 at FILM_RATE."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros((0, 2), np.float32)
        chunks = [frame.to_ndarray() for frame in container.decode(container.streams.audio[0])]
    planar = np.concatenate(chunks, axis=1)
    return np.ascontiguousarray(planar.T, dtype=np.float32)


def made(story: Path, out: Path, config: MakeConfig) -> tuple[float, Film]:
    start = time.perf_counter()
    film = make_film(story, out, config, project=Project(out.parent / "project"))
    return time.perf_counter() - start, film


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("stories", nargs="*", type=Path)
    parser.add_argument("--size", default="640x360")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    stories = args.stories or [
        *sorted((ROOT / "examples").glob("*.fountain")),
        *sorted(p for p in SHARED.iterdir() if p.is_file()),
    ]
    meter = pyloudnorm.Meter(FILM_RATE)
    worst_silence, costs = 0.0, []
    for story in stories:
        config = MakeConfig(width=width, height=height)
        plain = config.model_copy(update={"effects": False, "score": False})
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            seconds, film = made(story, Path(a) / "film.mp4", config)
            base, _ = made(story, Path(b) / "film.mp4", plain)
            sound = decoded(film.path)
            timeline = film.timeline
        mono = sound.mean(axis=1)
        seen = picture_level(timeline)[: len(mono)] > 0.999
        silence = silent_share(mono, counted=np.pad(seen, (0, max(0, len(mono) - len(seen)))))
        lufs = meter.integrated_loudness(sound)
        peak = true_peak_db(mono)
        worst_silence = max(worst_silence, silence)
        costs.append(seconds / base)
        print(
            f"{story.name}: {timeline.duration:.1f} s film, silence {100 * silence:.1f} % "
            f"(bound 2 %), {lufs:.2f} LUFS (target -16 ±1), true peak {peak:.2f} dBTP "
            f"(ceiling -1); make {seconds:.2f} s with the sound world, {base:.2f} s without "
            f"-> {seconds / base:.2f}x"
        )
    print(f"worst silence share: {100 * worst_silence:.1f} % (bound 2 %)")
    print(
        f"sound world cost, median over stories: {float(np.median(costs)):.2f}x a make without it"
    )


if __name__ == "__main__":
    main()
