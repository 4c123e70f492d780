"""Speed of the previs engine alone, per camera move and for a film-like mix of shots,
against the encoder's own ceiling on the same machine.

    .venv/bin/python bench/previs_engine.py [--width 1280 --height 720 --fps 24]

The ceiling encodes the same number of frames from one rendered frame with the same
settings, handed over as RGB (what a renderer produces) and as ready YUV (the encoder
alone). The engine must stay at 60 % or more of the RGB ceiling.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from ceiling import encode_seconds
from storyreel.media.encode import VideoSettings
from storyreel.model import CameraMove, Character, Setting, Shot, ShotLine, ShotSize
from storyreel.render.engine import RenderRequest, load_engine
from storyreel.render.previs import compose_panel

CAST = {
    "MEI": Character(name="MEI", description="20s, red raincoat, short black hair"),
    "NAINAI": Character(name="NAINAI", description="70s, grey bun, green cardigan, glasses"),
}
MARKET = Setting(location="NIGHT MARKET", interior="ext", time="night")
KITCHEN = Setting(location="NAINAI'S KITCHEN", interior="int", time="night")
PARK = Setting(location="HILLTOP PARK", interior="ext", time="day")

# A film-like mix: mostly static coverage, some pushes and pans.
FILM: list[tuple[ShotSize, CameraMove, Setting, float]] = [
    (ShotSize.extreme_wide, CameraMove.pan, PARK, 5.0),
    (ShotSize.wide, CameraMove.static, PARK, 4.0),
    (ShotSize.medium, CameraMove.static, PARK, 3.0),
    (ShotSize.close_up, CameraMove.static, PARK, 2.5),
    (ShotSize.medium_close_up, CameraMove.push_in, PARK, 4.0),
    (ShotSize.wide, CameraMove.tilt, KITCHEN, 4.0),
    (ShotSize.medium, CameraMove.static, KITCHEN, 3.5),
    (ShotSize.close_up, CameraMove.static, KITCHEN, 3.0),
    (ShotSize.full, CameraMove.track, MARKET, 5.0),
    (ShotSize.medium, CameraMove.static, MARKET, 3.0),
    (ShotSize.close_up, CameraMove.pull_out, MARKET, 3.0),
    (ShotSize.wide, CameraMove.static, MARKET, 4.0),
]


def request(
    size: ShotSize, move: CameraMove, setting: Setting, seconds: float, args: argparse.Namespace
) -> RenderRequest:
    shot = Shot(
        id="1",
        scene=1,
        size=size,
        move=move,
        duration=seconds,
        subjects=["MEI", "NAINAI"],
        setting=setting,
        lines=[ShotLine(character="NAINAI", text="风不吃风筝。风只是想跟它玩。", lang="zh")],
    )
    return RenderRequest(
        shot=shot,
        cast=[CAST["MEI"], CAST["NAINAI"]],
        width=args.width,
        height=args.height,
        fps=args.fps,
        out_path=Path("unused.mp4"),
    )


def render_all(requests: list[RenderRequest], work: Path) -> tuple[int, float]:
    engine = load_engine("previs")
    frames = 0
    start = time.perf_counter()
    for i, req in enumerate(requests):
        frames += engine.render(replace(req, out_path=work / f"take{i}.mp4")).frames
    return frames, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=24)
    args = parser.parse_args()
    settings = VideoSettings(args.width, args.height, args.fps)

    with tempfile.TemporaryDirectory(prefix="storyreel-previs-bench-") as tmp:
        work = Path(tmp)
        busiest = request(ShotSize.wide, CameraMove.static, MARKET, 4.0, args)
        rgb_s, yuv_s = encode_seconds(compose_panel(busiest), 240, settings, work)
        rgb_fps, yuv_fps = 240 / rgb_s, 240 / yuv_s
        print(f"{args.width}x{args.height} @ {args.fps} fps")
        print(f"ceiling, encoding one rendered RGB frame: {rgb_fps:6.1f} fps")
        print(f"ceiling, encoding one ready YUV frame:    {yuv_fps:6.1f} fps")
        for move in CameraMove:
            reqs = [request(ShotSize.medium, move, PARK, 5.0, args)]
            frames, seconds = render_all(reqs, work)
            fps = frames / seconds
            print(f"{move.value:>9}: {fps:6.1f} fps  ({fps / rgb_fps:.2f} of the RGB ceiling)")
        reqs = [request(size, move, setting, secs, args) for size, move, setting, secs in FILM]
        frames, seconds = render_all(reqs, work)
        fps = frames / seconds
        print(
            f"film mix ({len(reqs)} shots, {frames} frames): {fps:6.1f} fps, "
            f"{fps / rgb_fps:.2f} of the RGB ceiling, {fps / yuv_fps:.2f} of the YUV ceiling"
        )


if __name__ == "__main__":
    main()
