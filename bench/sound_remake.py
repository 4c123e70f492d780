"""The film's sound after one changed line of dialogue, against a full make's: how long
the sound thread keeps the cut waiting, and whether the re-made mix is the mix a full
make of the same inputs gives.

    .venv/bin/python bench/sound_remake.py [--rounds N]

bench/incremental.py's twelve-shot story with ambience, foley and score on (the
defaults) is made in a fresh project, then made again after its one-line edit (the
line's shot gets longer, every shot after it moves). Each make runs in a new process,
as `storyreel make` does (nothing carried over in memory), with the render beside the
sound as in any make. Printed per make: the seconds from the sound thread's start to
its AAC being written (what the cut waits for), the CPU seconds the thread spent on
that (time.thread_time: what the sound costs whatever else the machine runs), the
thread's whole time (the stems included), how long the cut waited for the sound, and
the mastered mix's loudness and true peak. The re-make's mix is then compared with a
full mix of the same inputs made in memory with nothing kept (loudness difference,
largest sample difference). Each make's sound job is also run again on its own in a
new process, the project as the make found it (three times, the median): its seconds
and CPU seconds to the AAC without the render beside it. Medians over the rounds; the
ratios re-make / full make are of seconds measured in this run.
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent


def child(mode: str, folder: Path) -> None:
    """One make in this process, timed around the sound thread (see the module doc)."""
    sys.path.insert(0, str(ROOT))
    import storyreel.make as make
    from incremental import EDIT, STORY
    from storyreel.cut.audio import write_sound
    from storyreel.cut.film import cut_film
    from storyreel.cut.sound import loudness, true_peak_db
    from storyreel.cut.soundtrack import Generated
    from storyreel.project import Project

    seen: dict[str, Any] = {}
    sound_file = make._sound_file

    def timed_write_sound(track: np.ndarray, path: Path, *args: Any) -> Path:
        out = write_sound(track, path, *args)
        seen["aac_at"] = time.perf_counter()
        seen["aac"] = seen["aac_at"] - seen["start"]
        seen["cpu"] = time.thread_time() - seen["cpu_start"]
        seen["master"] = np.array(track, dtype=np.float32)
        return out

    def timed_sound_file(project: Project, sound: Any, timeline: Any, *rest: Any) -> Path:
        seen["start"], seen["cpu_start"] = time.perf_counter(), time.thread_time()
        seen["inputs"] = (sound, timeline)
        try:
            return sound_file(project, sound, timeline, *rest)
        finally:
            seen["thread"] = time.perf_counter() - seen["start"]

    cut_run = make._Cut.run

    def timed_cut_run(self: Any, *args: Any) -> None:
        seen["cut_at"] = time.perf_counter()  # where a cut given the sound's path waits
        cut_run(self, *args)

    def timed_cut_film(takes: Any, timeline: Any, sound: Any, *args: Any, **kw: Any) -> None:
        if callable(sound):  # a cut that waits for the sound only when it needs it

            def wanted() -> Path:
                seen["cut_at"] = time.perf_counter()
                path: Path = sound()
                return path

            return cut_film(takes, timeline, wanted, *args, **kw)
        return cut_film(takes, timeline, sound, *args, **kw)

    setattr(make._Cut, "run", timed_cut_run)  # noqa: B010
    setattr(make, "cut_film", timed_cut_film)  # noqa: B010
    setattr(make, "write_sound", timed_write_sound)  # noqa: B010
    setattr(make, "_sound_file", timed_sound_file)  # noqa: B010
    project = Project.at(folder / "film")
    story = project.root / "story.fountain"
    story.write_text(STORY if mode == "full" else STORY.replace(*EDIT), encoding="utf-8")
    make.make_film(story, project.root / "film.mp4", project=project)
    with (folder / f"{mode}.pickle").open("wb") as kept:
        pickle.dump(seen["inputs"], kept)
    master = seen["master"]
    out = {
        "aac": seen["aac"],
        "cpu": seen["cpu"],
        "waited": max(0.0, seen["aac_at"] - seen["cut_at"]),
        "thread": seen["thread"],
        "lufs": loudness(master),
        "peak": true_peak_db(master),
        "seconds": len(master) / 48_000,
    }
    if mode == "edit":
        # The same inputs mixed from nothing: no kept loops, scores or filtered copies.
        sound, timeline = seen["inputs"]
        full = make._mixed(sound, timeline, Generated()).master
        out["full_lufs"] = loudness(full)
        out["full_peak"] = true_peak_db(full)
        out["max_diff"] = float(np.abs(full - master).max()) if len(full) == len(master) else -1
    print(json.dumps(out))


def alone(mode: str, folder: Path) -> None:
    """The sound job of the `mode` make again, on its own in a new process (no render
    beside it): the project as that make found it, the vocabulary loaded as the make
    had it by then."""
    import storyreel.make as make
    from storyreel.cut.audio import write_sound
    from storyreel.cut.soundtrack import score_style
    from storyreel.project import Project

    with (folder / f"{mode}.pickle").open("rb") as kept:
        sound, timeline = pickle.load(kept)
    copy = folder / f"alone-{mode}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(folder / "film", copy)
    sounds = Project.at(copy).state_dir / "sound"
    for made in sounds.iterdir():
        # The re-make finds what the first make generated; the full make nothing.
        if mode == "full" or made.name != "generated":
            shutil.rmtree(made) if made.is_dir() else made.unlink()
    score_style(sound.board)
    ready: dict[str, float] = {}

    def timed_write_sound(track: np.ndarray, path: Path, *args: Any) -> Path:
        out = write_sound(track, path, *args)
        ready.update(wall=time.perf_counter() - start, cpu=time.thread_time() - cpu)
        return out

    setattr(make, "write_sound", timed_write_sound)  # noqa: B010
    start, cpu = time.perf_counter(), time.thread_time()
    make._sound_file(Project.at(copy), sound, timeline)
    print(json.dumps({"alone": ready["wall"], "cpu": ready["cpu"]}))


def run_child(mode: str, folder: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the {mode} make failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, folder = args.child[0], Path(args.child[1])
        if mode.startswith("alone-"):
            alone(mode.removeprefix("alone-"), folder)
        else:
            child(mode, folder)
        return
    fulls, edits = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="storyreel-sound-") as tmp:
            full = run_child("full", Path(tmp))
            edit = run_child("edit", Path(tmp))
            for made in (full, edit):
                mode = "full" if made is full else "edit"
                runs = [run_child(f"alone-{mode}", Path(tmp)) for _ in range(3)]
                made["alone"] = median(run["alone"] for run in runs)
                made["alone_cpu"] = median(run["cpu"] for run in runs)
        fulls.append(full)
        edits.append(edit)
        print(
            f"full make: sound ready {full['aac']:.3f} s (CPU {full['cpu']:.3f} s, "
            f"thread {full['thread']:.3f} s), "
            f"{full['lufs']:.3f} LUFS, true peak {full['peak']:.2f} dBTP; "
            f"one line changed: sound ready {edit['aac']:.3f} s (CPU {edit['cpu']:.3f} s, "
            f"thread {edit['thread']:.3f} s), "
            f"{edit['lufs']:.3f} LUFS, true peak {edit['peak']:.2f} dBTP"
        )
        print(
            f"  the cut waited for the sound: full make {full['waited']:.3f} s, "
            f"one line changed {edit['waited']:.3f} s"
        )
        print(
            f"  the same sound jobs alone to their AAC, no render beside them (median of 3): "
            f"full {full['alone']:.3f} s (CPU {full['alone_cpu']:.3f} s), "
            f"one line changed {edit['alone']:.3f} s (CPU {edit['alone_cpu']:.3f} s)"
        )
    last = edits[-1]
    print(
        f"re-made mix against a full mix of the same inputs: {last['lufs']:.4f} vs "
        f"{last['full_lufs']:.4f} LUFS ({abs(last['lufs'] - last['full_lufs']):.4f} LU apart), "
        f"true peak {last['peak']:.3f} vs {last['full_peak']:.3f} dBTP, "
        f"largest sample difference {last['max_diff']:.2e}"
    )
    ready = (median(f["aac"] for f in fulls), median(e["aac"] for e in edits))
    thread = (median(f["thread"] for f in fulls), median(e["thread"] for e in edits))
    print(
        f"sound ready (medians of {args.rounds}): full make {ready[0]:.3f} s, "
        f"one line changed {ready[1]:.3f} s (target <= 0.45 s) -> {ready[1] / ready[0]:.2f}"
    )
    print(f"sound thread in all (medians): full make {thread[0]:.3f} s, one line {thread[1]:.3f} s")
    waited = (median(f["waited"] for f in fulls), median(e["waited"] for e in edits))
    print(
        f"the cut waited for the sound (medians): full make {waited[0]:.3f} s, "
        f"one line changed {waited[1]:.3f} s"
    )
    cpu = (median(f["cpu"] for f in fulls), median(e["cpu"] for e in edits))
    print(
        f"sound thread's CPU time to its AAC (medians): full make {cpu[0]:.3f} s, one line "
        f"changed {cpu[1]:.3f} s -> {cpu[1] / cpu[0]:.2f}"
    )
    solo = (median(f["alone"] for f in fulls), median(e["alone"] for e in edits))
    solo_cpu = (median(f["alone_cpu"] for f in fulls), median(e["alone_cpu"] for e in edits))
    print(
        f"sound job alone to its AAC (medians): full make {solo[0]:.3f} s "
        f"(CPU {solo_cpu[0]:.3f} s), "
        f"one line changed {solo[1]:.3f} s (CPU {solo_cpu[1]:.3f} s) -> {solo[1] / solo[0]:.2f}"
    )
    print(f"({time.strftime('%H:%M:%S')}, film {fulls[-1]['seconds']:.1f} s)")


if __name__ == "__main__":
    main()
