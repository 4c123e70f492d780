"""How fast the sound world is made, each figure a ratio against a baseline in this run.

    .venv/bin/python bench/sound_world.py

For every ambience bed, every foley one-shot and every score style: seconds of sound
made per second of wall time at 48 kHz, and that speed as a ratio to the baseline, the
speed of drawing the same number of samples with NumPy's normal generator (what the
plainest noise costs). Beds are timed cold (the first loop of a kind, built from
nothing) and warm (a later scene's bed of the same kind, from the cached loop); foley
cold; scores for 60 s (cold but for their note shapes). One line per figure.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

import numpy as np

from storyreel.cut import ambience, foley, score
from storyreel.timeline import FILM_RATE

BED_SECONDS = 60.0
SCORE_SECONDS = 60.0


def _speed(make: Callable[[], np.ndarray]) -> float:
    """Seconds of sound made per wall second."""
    start = time.perf_counter()
    out = make()
    return len(out) / FILM_RATE / (time.perf_counter() - start)


def _baseline(seconds: float) -> float:
    rng = np.random.default_rng(0)
    n = round(seconds * FILM_RATE)
    return min(_speed(lambda: rng.standard_normal(n, dtype=np.float32)) for _ in range(3))


def main() -> None:
    base = _baseline(BED_SECONDS)
    print(f"baseline np.random normal float32: {base:,.0f} s of sound per s")
    cold, warm = [], []
    for kind in ambience.BEDS:
        make_bed = functools.partial(ambience.bed, kind, BED_SECONDS, seed=101)
        c = _speed(make_bed)
        w = _speed(make_bed)
        cold.append(c)
        warm.append(w)
        print(
            f"bed {kind}: cold {c:,.0f} s/s ({c / base:.4f} of baseline), "
            f"warm {w:,.0f} s/s ({w / base:.3f} of baseline)"
        )
    for kind in foley.FOLEY:
        s = _speed(functools.partial(foley.sound, kind, seed=101))
        print(f"foley {kind}: {s:,.0f} s/s ({s / base:.4f} of baseline)")
    scores = []
    for genre in ("ad", "fight", "drama", "night", "festive", "chase"):
        style = score.style_for("", genre)
        s = _speed(functools.partial(score.score, style, SCORE_SECONDS, seed=101))
        scores.append(s)
        print(
            f"score {genre} ({style.tempo:.0f} bpm, {', '.join(style.instrumentation)}): "
            f"60 s in {SCORE_SECONDS / s:.2f} s, {s:,.0f} s/s ({s / base:.4f} of baseline)"
        )
    print(f"beds cold, slowest: {min(cold):,.0f} s/s ({min(cold) / base:.4f} of baseline)")
    print(f"beds warm, slowest: {min(warm):,.0f} s/s ({min(warm) / base:.3f} of baseline)")
    print(
        f"score, slowest 60 s: {SCORE_SECONDS / min(scores):.2f} s "
        f"({min(scores) / base:.4f} of baseline)"
    )


if __name__ == "__main__":
    main()
