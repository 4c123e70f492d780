"""Kokoro's voice stage: seconds of speech made per second of wall time, one line at a
time and one line per core, both measured in this run on the same lines.

    .venv/bin/python bench/voices.py [--lines 12] [STORY ...]

The lines are the example stories' dialogue (../shared/stories by default, else
examples/) in the languages Kokoro speaks, each character cast as the make casts them.
Both graphs are measured, the published one (the baseline) and the one with its
convolutions rewritten (voice/kokoro_graph.py, the default). The model is loaded
before the clock starts (its load time is printed on its own). Prints one line per
figure and ends with the parallel speed-up and the rewritten graph's speed-up; the
target is at least 3x real time on 2 cores in parallel.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from storyreel.model import Dialogue, Setting, Shot, ShotLine, ShotSize, Storyboard
from storyreel.script import read_story
from storyreel.voice.base import VoiceProfile
from storyreel.voice.kokoro import KokoroOptions, KokoroVoice
from storyreel.voice.stage import voice_storyboard

ROOT = Path(__file__).resolve().parent.parent
STORIES = [ROOT.parent / "shared" / "stories", ROOT.parent.parent / "shared" / "stories"]


def stories(given: list[Path]) -> list[Path]:
    if given:
        return given
    for folder in STORIES:
        if folder.is_dir():
            return sorted(p for p in folder.iterdir() if p.suffix in (".fountain", ".txt", ".md"))
    return sorted((ROOT / "examples").glob("*.fountain"))


def board_of(paths: list[Path], limit: int, langs: frozenset[str]) -> Storyboard:
    shots: list[Shot] = []
    for path in paths:
        script = read_story(path)
        for scene in script.scenes:
            for element in scene.elements:
                if not isinstance(element, Dialogue) or element.lang not in langs:
                    continue
                if len(shots) == limit:
                    break
                shots.append(
                    Shot(
                        id=str(len(shots) + 1),
                        scene=1,
                        size=ShotSize.medium,
                        duration=1.0,
                        subjects=[element.character],
                        setting=Setting(location="ROOM"),
                        lines=[
                            ShotLine(
                                character=element.character, text=element.text, lang=element.lang
                            )
                        ],
                    )
                )
    return Storyboard(shots=shots, characters={}, fps=24)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stories", nargs="*", type=Path)
    parser.add_argument("--lines", type=int, default=12)
    args = parser.parse_args()
    board = board_of(stories(args.stories), args.lines, KokoroVoice().langs)
    cores = os.cpu_count() or 1
    figures: dict[tuple[str, int], float] = {}
    for graph, fast in (("published", False), ("fast", True)):
        engine = KokoroVoice(KokoroOptions(fast_convolutions=fast))
        started = time.perf_counter()
        for threads in (0, 1):  # the sessions one line and one line per core use
            KokoroVoice(KokoroOptions(threads=threads, fast_convolutions=fast)).synthesize(
                "好。", "zh", VoiceProfile(variant="f1")
            )
        print(f"{graph} graph: model load and warm-up: {time.perf_counter() - started:.1f} s")
        for workers in (1, cores):
            started, cpu = time.perf_counter(), time.process_time()
            voiced = voice_storyboard(board, engine=engine, workers=workers)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            speech = sum(s.duration for s in voiced.speech.values())
            figures[graph, workers] = speech / wall
            # Speech per CPU second does not depend on what else the machine runs.
            print(
                f"{graph} graph: {len(voiced.speech)} lines, {speech:.1f} s of speech, "
                f"{workers} at a time: {wall:.1f} s wall, {speech / wall:.2f}x real time; "
                f"{speech / cpu:.2f} s of speech per CPU second"
            )
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {cores} cores")
    for graph in ("published", "fast"):
        ratio = figures[graph, cores] / figures[graph, 1]
        print(f"{graph} graph: parallel / one at a time on {cores} cores: {ratio:.2f}x")
    for workers in (1, cores):
        ratio = figures["fast", workers] / figures["published", workers]
        print(f"fast / published graph, {workers} at a time: {ratio:.2f}x")


if __name__ == "__main__":
    main()
