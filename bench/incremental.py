"""Re-making a film after an edit, against a full make measured in the same run; and
rendering on Ray with 2 workers against 1.

    .venv/bin/python bench/incremental.py [--no-ray] [--rounds N]

A 12-shot previs film (1280x720, 24 fps) is made in a fresh project; then made again
with no change, after changing one line of dialogue, and after adding one. Each make is
timed in this process; the no-change make is also run through the installed `storyreel` script,
twice: the first takes the full incremental path (start-up and imports included), the
second is answered by the launcher's up-to-date check. The full make and the one-line
change are also run through the CLI in a second project, start-up included, and through
`storyreel make --watch` in a third: its first make from the command's start to the
film, then the edit saved once the command says it is watching, timed from the save to
the re-made film. The Ray
figures render the same 12 requests through RayExecutor with num_cpus 1 and 2, three
rounds each, and compare the medians (Ray's start-up is excluded: a first round of one
job per worker is not timed).
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from pathlib import Path
from statistics import median

from storyreel.events import ignore
from storyreel.make import make_film, render_requests
from storyreel.project import Project
from storyreel.render.engine import RenderRequest
from storyreel.run.executors import Job, RayExecutor
from storyreel.run.jobs import RenderJob, longest_first, render_job
from storyreel.store import open_store
from storyreel.voice.kokoro import CACHE_ENV, cache_folder

STORY = """Title: Twelve Shots

EXT. HARBOUR - DAWN

Fishing boats rock against the pier. Gulls circle the masts.

ANNA (30s, yellow raincoat, long black hair) walks along the pier with a basket.

ANNA
The boats are late today.

OLD LI (70s, grey beard, blue jacket) mends a net on an upturned crate.

OLD LI
The sea decides, not the clock.

INT. NET SHED - DAY

Ropes and floats hang from the rafters. Light falls through a dusty window.

ANNA
Will you teach me the knot?

OLD LI
Over, under, and pull. Again.

Anna ties the knot. It holds.

Old Li laughs and hands her the net.

FADE OUT.
"""
EDIT = ("The boats are late today.", "The boats are very late today.")
# A new line mid-scene: its shot comes in, the shots after it keep their ids and takes.
INSERT = (
    "OLD LI\nThe sea decides, not the clock.\n",
    "OLD LI\nThe sea decides, not the clock.\n\nANNA\nThen we wait.\n",
)


def timed_make(story: Path, out: Path, project: Project) -> tuple[float, int, int]:
    start = time.perf_counter()
    film = make_film(story, out, project=project)
    seconds = time.perf_counter() - start
    assert film.renders is not None
    return seconds, len(film.renders.rendered), len(film.storyboard.shots)


def cli_seconds(story: Path, out: Path, project: Path, cache: Path) -> tuple[float, str]:
    """One `storyreel make` as a user runs it (the installed script), and what it said.
    The launcher's stamps go to a cache folder of this run; Kokoro's rewritten graph is
    the one the in-process makes already made, as on a machine that has made a film
    before (a first make's one-time rewrite would otherwise count in the full make)."""
    command = [str(Path(sys.executable).with_name("storyreel")), "make", str(story)]
    start = time.perf_counter()
    done = subprocess.run(
        [*command, "-o", str(out), "--project", str(project)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), CACHE_ENV: str(cache_folder())},
    )
    return time.perf_counter() - start, done.stdout


def watch_seconds(story: Path, out: Path, project: Path, cache: Path) -> tuple[float, float]:
    """`storyreel make --watch` as a creator uses it: seconds from the command's start
    to its first film, and from saving a one-line edit to the re-made film."""
    command = [str(Path(sys.executable).with_name("storyreel")), "make", str(story)]
    start = time.perf_counter()
    watching = subprocess.Popen(
        [*command, "-o", str(out), "--project", str(project), "--watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), CACHE_ENV: str(cache_folder())},
    )
    said: queue.Queue[tuple[float, str]] = queue.Queue()

    def read() -> None:  # each line with when it was said
        assert watching.stdout is not None
        for line in watching.stdout:
            said.put((time.perf_counter(), line))

    threading.Thread(target=read, daemon=True).start()

    def until(words: str) -> float:
        while True:
            at, line = said.get(timeout=300)
            if words in line:
                return at
            assert "error" not in line, line

    try:
        full = until(" shots, ") - start  # the film's summary: made
        until("watching")
        saved = time.perf_counter()
        story.write_text(STORY.replace(*EDIT), encoding="utf-8")
        line = until(" shots, ") - saved
    finally:
        watching.terminate()
        watching.wait(30)
    return full, line


def ray_seconds(requests: list[RenderRequest], cpus: int, rounds: int) -> list[float]:
    """Seconds to render every request on a Ray of `cpus` workers, once per round."""
    made = [
        Job(f"k{i}", "render", RenderJob("previs", r, "bytes"), shot_id=r.shot.id)
        for i, r in enumerate(requests)
    ]
    jobs = [made[i] for i in longest_first(made)]  # as render_takes hands them out
    times = []
    with RayExecutor(init_options={"num_cpus": cpus}) as executor:
        # One job per worker, at once: every worker process up, the engine imported.
        executor.map(render_job, jobs[:cpus], ignore)
        for _ in range(rounds):
            start = time.perf_counter()
            results = executor.map(render_job, jobs, ignore)
            times.append(time.perf_counter() - start)
            assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-ray", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="timed Ray rounds per size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
        root = Path(tmp)
        project = Project.at(root / "film")
        story = project.root / "story.fountain"
        story.write_text(STORY, encoding="utf-8")
        out = project.root / "film.mp4"

        full, rendered, shots = timed_make(story, out, project)
        print(f"full make: {full:.2f} s ({rendered} of {shots} shots rendered)")
        unchanged, rendered, _ = timed_make(story, out, project)
        print(f"no change: {unchanged:.2f} s ({rendered} rendered)")
        cache = root / "cache"
        first, said = cli_seconds(story, out, project.root, cache)
        assert "up to date" not in said
        print(
            f"no change through the CLI, full incremental path (start-up included): {first:.2f} s"
        )
        cli, said = cli_seconds(story, out, project.root, cache)
        assert "up to date" in said, said
        print(f"no change through the CLI, answered by the launcher: {cli:.2f} s")
        story.write_text(STORY.replace(*EDIT), encoding="utf-8")
        one_line, rendered, _ = timed_make(story, out, project)
        print(f"one line of dialogue changed: {one_line:.2f} s ({rendered} rendered)")
        story.write_text(STORY.replace(*EDIT).replace(*INSERT), encoding="utf-8")
        added, rendered, shots = timed_make(story, out, project)
        print(f"one line of dialogue added: {added:.2f} s ({rendered} of {shots} rendered)")

        # The same two makes as a user types them, each a new process that starts
        # Python and imports storyreel, in a second project.
        other = Project.at(root / "typed")
        typed = other.root / "story.fountain"
        typed.write_text(STORY, encoding="utf-8")
        cli_full, _ = cli_seconds(typed, other.root / "film.mp4", other.root, cache)
        typed.write_text(STORY.replace(*EDIT), encoding="utf-8")
        cli_line, _ = cli_seconds(typed, other.root / "film.mp4", other.root, cache)
        print(f"through the CLI: full make {cli_full:.2f} s, one line changed {cli_line:.2f} s")
        kept = Project.at(root / "watched")
        watched = kept.root / "story.fountain"
        watched.write_text(STORY, encoding="utf-8")
        watch_full, watch_line = watch_seconds(watched, kept.root / "film.mp4", kept.root, cache)
        print(
            f"through `make --watch`: full make {watch_full:.2f} s, "
            f"one line changed {watch_line:.2f} s"
        )

        if not args.no_ray:
            with closing(open_store(project)) as store:
                film = make_film(story, out, project=project)
                requests = list(render_requests(film.storyboard, film.timeline, project, store))
            # Several rounds per size, medians compared: on a two-core machine one
            # background hiccup would otherwise decide the ratio.
            one = ray_seconds(requests, 1, args.rounds)
            two = ray_seconds(requests, 2, args.rounds)
            print(f"ray, 1 worker: {' '.join(f'{t:.2f}' for t in one)} s")
            print(f"ray, 2 workers: {' '.join(f'{t:.2f}' for t in two)} s")
            print(f"ray speed-up with 2 workers (medians): {median(one) / median(two):.2f}x")

        print(f"no change (CLI) vs 1.5 s budget: {cli / 1.5:.2f}")
        print(
            f"no change (in-process, full incremental path) vs 1.5 s budget: {unchanged / 1.5:.2f}"
        )
        print(f"one-line change / full make: {one_line / full:.2f}")
        print(f"one line added / full make: {added / full:.2f}")
        print(f"one-line change / full make, through the CLI: {cli_line / cli_full:.2f}")
        print(f"one-line change / full make, through `make --watch`: {watch_line / watch_full:.2f}")


if __name__ == "__main__":
    main()
