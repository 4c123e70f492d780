"""End-to-end speed of `storyreel make` on the bundled examples, against the encoder's
own ceiling measured in the same run.

    .venv/bin/python bench/make_film.py [STORY ...] [--workers N]

Without a story, both bundled examples: the dialogue film and the action film
(rain, props, fades and a dissolve). Targets: at least 4x real time, at least 0.6 of
the encoder-alone ceiling, peak RSS at most 1.5 GB, for each.

The ceiling encodes the same number of frames with the same encoder settings from one
pre-rendered frame, twice: handing the encoder that RGB frame (what a renderer
produces) and handing it the frame already converted to the encoder's YUV format (the
encoder alone). Peak RSS is the whole process tree's, sampled every 50 ms.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from pathlib import Path

import av
import numpy as np

from ceiling import encode_seconds
from storyreel.config import MakeConfig
from storyreel.make import make_film
from storyreel.media.encode import VideoSettings
from storyreel.project import Project
from storyreel.render.engine import RenderRequest, load_engine
from storyreel.voice.kokoro import unload_sessions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = [
    ROOT / "examples" / "the_kite_mender.fountain",
    ROOT / "examples" / "the_bamboo_duel.fountain",
]


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of `pid` and all its descendants (Linux /proc)."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class PeakRss:
    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(os.getpid()))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def one_rendered_frame(board_frame: RenderRequest, work: Path) -> np.ndarray:
    """A real previs frame: the middle frame of the film's busiest shot."""
    take = load_engine("previs").render(board_frame)
    with av.open(str(take.path)) as container:
        frames = list(container.decode(video=0))
    middle: np.ndarray = frames[len(frames) // 2].to_ndarray(format="rgb24")
    return middle


def bench(story: Path, workers: int | None, published: bool = False) -> float:
    """Make `story` at 1280x720 in a fresh project, print its figures and return its
    real-time factor. `published`: Kokoro runs its graph as published (the baseline
    of voice/kokoro_graph.py's rewrite)."""
    voice = {"voice": "kokoro", "voice_options": {"fast_convolutions": False}} if published else {}
    settings = VideoSettings()
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
        work = Path(tmp)
        with PeakRss() as rss:
            start = time.perf_counter()
            film = make_film(
                story,
                work / "film.mp4",
                MakeConfig(workers=workers, **voice),
                project=Project.at(work / "project"),  # the story's folder stays untouched
            )
            wall = time.perf_counter() - start

        board = film.storyboard
        busiest = max(board.shots, key=lambda s: (len(s.subjects), s.move != "static"))
        frames = film.timeline.shot(busiest.id).frames
        request = RenderRequest.for_shot(board, busiest, work / "frame.mp4", frames=frames)
        frame = one_rendered_frame(request, work)
        rgb_s, yuv_s = encode_seconds(frame, film.frames, settings, work)

    seconds = film.duration
    moves = sum(t.kind.value != "cut" for t in film.timeline.transitions)
    print(f"story: {story.name}" + (" (Kokoro's published graph)" if published else ""))
    print(f"shots: {len(board.shots)} ({moves} fades or dissolves)")
    print(f"frames: {film.frames} at {settings.width}x{settings.height}, {settings.fps} fps")
    print(f"film seconds: {seconds:.2f}")
    print(f"wall seconds: {wall:.2f}")
    print(f"peak RSS (process tree): {rss.peak / 2**20:.0f} MiB")
    print(f"ceiling from the RGB frame: {rgb_s:.2f} s ({film.frames / rgb_s:.0f} fps)")
    print(
        f"ceiling from the YUV frame (encoder alone): {yuv_s:.2f} s ({film.frames / yuv_s:.0f} fps)"
    )
    print(f"real-time factor: {seconds / wall:.2f}x")
    print(f"ratio to the RGB-input ceiling: {rgb_s / wall:.2f}")
    # Last, the figure that matters: against the encoder alone, the strictest ceiling.
    print(f"ratio to the ceiling (encoder alone): {yuv_s / wall:.2f}")
    return seconds / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("story", nargs="*", type=Path, default=EXAMPLES)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--baseline",
        action="store_true",
        help="first make each story with Kokoro's published graph, and print the ratio",
    )
    args = parser.parse_args()
    for i, story in enumerate(args.story):
        if i:
            print()
        before = bench(story, args.workers, published=True) if args.baseline else None
        unload_sessions()  # the baseline's session would count in the next peak RSS
        after = bench(story, args.workers)
        if before is not None:
            print(
                f"{story.name}: real-time factor, rewritten / published graph: {after / before:.2f}"
            )


if __name__ == "__main__":
    main()
