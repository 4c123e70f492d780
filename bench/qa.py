"""What the checks cost against the render, and how well they find defects.

    .venv/bin/python bench/qa.py

Figures, one a line:

- the default checks (conformance, temporal, flicker, coverage), then motion, identity
  and lip sync, on a 5 s 1280x720 previs take: seconds per second of footage, and the
  ratio to the previs render of the same take measured in this run;
- the temporal defects found by NumPy over small grey frames against FFmpeg's own
  freezedetect + blackdetect filters (PyAV's bundled FFmpeg) on the same take;
- detection on injected defects (12 frozen frames, 3 dropped, 2 black, a white flash)
  at three places in clean previs takes of several moves and actions: recall (found
  within 2 frames) and false alarms (clean takes that fail);
- the arena's Bradley–Terry fit: Kendall's tau on 300 simulated votes between 4
  players, and how often the 95 % intervals cover the true ratings.
"""

from __future__ import annotations

import itertools
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import av
import numpy as np
from skimage import data as skdata

from storyreel.cast import faces
from storyreel.cast.subject import SubjectRef
from storyreel.model import Character, Setting, Shot, ShotSize
from storyreel.qa import inject, load_check
from storyreel.qa.arena import ELO_SCALE, Duel, leaderboard
from storyreel.qa.frames import _read, read_take
from storyreel.qa.temporal import TemporalOptions, judge
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine

FPS = 24
T = TypeVar("T")


def request(
    path: Path, move: str, action: str, width: int, height: int, **extra: object
) -> RenderRequest:
    shot = Shot(
        id="1",
        scene=1,
        size=ShotSize.medium,
        move=move,
        duration=5.0,
        subjects=["MEI"],
        actions={"MEI": action},
        setting=Setting(location="HILLTOP PARK", interior="ext", time="day"),
    )
    return RenderRequest(
        shot=shot,
        cast=[Character(name="MEI")],
        width=width,
        height=height,
        fps=FPS,
        out_path=path,
        seed=11,
        poses={"MEI": action},
        **extra,  # type: ignore[arg-type]
    )


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def cost(folder: Path) -> None:
    req = request(folder / "take.mp4", "pan", "walk", 1280, 720)
    render_s, take = timed(lambda: PrevisEngine().render(req))
    seconds = take.frames / take.fps
    print(f"previs render of a 5 s 1280x720 take: {render_s:.2f} s")
    default = [load_check(n) for n in ("conformance", "temporal", "flicker", "coverage")]
    _read.cache_clear()
    spent, _ = timed(lambda: [c.check(take, req) for c in default])
    print(
        f"default checks: {spent:.2f} s, {spent / seconds:.3f} s per s of footage,"
        f" {spent / render_s:.2f}x the render"
    )
    spent_m, _ = timed(lambda: load_check("motion").check(take, req))
    print(
        f"motion (after the shared decode): {spent_m:.2f} s, {spent_m / render_s:.2f}x the render"
    )
    # Identity and lip sync need a face: the astronaut laid into the take.
    head = np.ascontiguousarray(skdata.astronaut()[0:300, 110:350])  # type: ignore[no-untyped-call]
    target = faces.embed_face(head, faces.find_faces(head)[0])
    frames = inject.pasted(inject.decode(take.path), head, 0, 10**6, (800, 200))
    faced = take.model_copy(update={"path": inject.write(frames, folder / "face.mp4", FPS)})
    ref = SubjectRef(name="MEI", embedding=tuple(float(v) for v in target))
    track = [float(v) for v in np.abs(np.sin(np.arange(take.frames) / 3))]
    with_face = RenderRequest(**{**vars(req), "references": [ref], "mouths": {"MEI": track}})
    faces.face_models()
    load_check("lipsync").check(faced, with_face)  # loads the 68-point model once
    _read.cache_clear()
    spent_i, _ = timed(lambda: load_check("identity").check(faced, with_face))
    spent_l, _ = timed(lambda: load_check("lipsync").check(faced, with_face))
    print(
        f"identity (8 sampled frames, with the decode): {spent_i:.2f} s,"
        f" {spent_i / render_s:.2f}x the render"
    )
    print(
        f"lip sync (every frame, after the decode): {spent_l:.2f} s,"
        f" {spent_l / render_s:.2f}x the render"
    )
    total = spent + spent_m + spent_i + spent_l
    print(
        f"all seven checks: {total:.2f} s, {total / seconds:.3f} s per s of footage,"
        f" {total / render_s:.2f}x the render"
    )
    ffmpeg_vs_numpy(take.path)


def ffmpeg_vs_numpy(path: Path) -> None:
    _read.cache_clear()
    numpy_s, _ = timed(lambda: judge(read_take(path), TemporalOptions()))

    def filters() -> None:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            graph = av.filter.Graph()
            source = graph.add_buffer(template=stream)
            freeze = graph.add("freezedetect", "n=0.001:d=0.4")
            black = graph.add("blackdetect", "d=0.04")
            sink = graph.add("buffersink")
            source.link_to(freeze)
            freeze.link_to(black)
            black.link_to(sink)
            graph.configure()
            for frame in container.decode(stream):
                graph.push(frame)
                while True:
                    try:
                        graph.pull()
                    except (av.BlockingIOError, av.EOFError):
                        break

    ffmpeg_s, _ = timed(filters)
    print(
        f"temporal defects: NumPy {numpy_s:.2f} s, "
        f"FFmpeg freezedetect+blackdetect {ffmpeg_s:.2f} s, ratio {ffmpeg_s / numpy_s:.2f}"
    )


def detection(folder: Path) -> None:
    found = missed = false_alarms = cleans = 0
    for move, action in itertools.product(("pan", "track", "push_in"), ("stand", "walk")):
        req = request(folder / "d.mp4", move, action, 640, 360)
        take = PrevisEngine().render(req)
        cleans += 1
        if not load_check("temporal").check(take, req).passed:
            false_alarms += 1
        frames = inject.decode(take.path)
        for at in (30, 55, 80):
            defects: list[tuple[str, Callable[[inject.Frames, int], inject.Frames], int]] = [
                ("frozen", lambda f, a: inject.frozen(f, a, 12), 1),
                ("dropped", lambda f, a: inject.dropped(f, a, 3), 0),
                ("black", lambda f, a: inject.black(f, a, 2), 0),
                ("flash", lambda f, a: inject.flash(f, a), 0),
            ]
            for kind, put_in, where in defects:
                path = inject.write(put_in(frames, at), folder / f"{kind}.mp4", FPS)
                result = load_check("temporal").check(take.model_copy(update={"path": path}), req)
                hit = any(
                    e.kind == kind and abs(e.frame - at - where) <= 2 for e in result.evidence
                )
                found += hit
                missed += not hit
                if not hit:
                    print(f"  missed: {kind} at frame {at} in a {move} with {action}")
    print(
        f"injected defects found within 2 frames: {found}/{found + missed} "
        f"({found / (found + missed):.0%})"
    )
    print(f"clean takes failing the temporal check: {false_alarms}/{cleans}")


def arena() -> None:
    from scipy.stats import kendalltau

    truth = np.array([1.2, 0.4, -0.3, -1.3])
    truth -= truth.mean()
    names = [f"p{i}" for i in range(4)]
    rng = np.random.default_rng(0)
    taus, covered, total = [], 0, 0
    for run in range(40):
        duels = []
        for _ in range(300):
            i, j = rng.choice(4, 2, replace=False)
            p = 1 / (1 + np.exp(truth[j] - truth[i]))
            duels.append(Duel(names[i], names[j], "a" if rng.random() < p else "b"))
        board = leaderboard(duels, rounds=200, seed=run)
        ranks = [names.index(s.player) for s in board]
        taus.append(kendalltau(ranks, range(4)).statistic)
        for s in board:
            real = 1000 + ELO_SCALE * truth[names.index(s.player)]
            covered += s.low <= real <= s.high
            total += 1
    perfect = float(np.mean(np.array(taus) == 1))
    print(f"Bradley-Terry, 300 votes, 4 players: Kendall tau = 1 in {perfect:.0%} of 40 runs")
    print(f"95% intervals cover the true rating: {covered / total:.1%}")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        cost(folder)
        detection(folder)
    arena()


if __name__ == "__main__":
    main()
