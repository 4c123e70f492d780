"""What weather costs the previs engine: one 5 s shot rendered (drawn and encoded) in
fair weather and with heavy rain (or another weather kind), static and with a pan.

    .venv/bin/python bench/previs_weather.py [--weather rain] [--width 1280 --height 720]

Three shots: a static one where nobody speaks (the cheapest shot there is: one frame
encoded again and again), the same with its subject speaking (lip sync), and a pan.
Prints one line per figure and the ratio of each weather render to its fair-weather
twin; heavy rain should add at most 25 % to a shot's render time. Times are the CPU
seconds of the process (drawing and x264 run on this thread), best of `--repeat`: on a
shared machine, wall time measures the neighbours too.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from storyreel.model import CameraMove, Character, Setting, Shot, ShotSize
from storyreel.render.engine import RenderRequest, load_engine

MEI = Character(name="MEI", description="20s, red raincoat, short black hair")
STREET = Setting(location="HARBOUR ROAD", interior="ext", time="night")


def request(
    move: CameraMove, args: argparse.Namespace, weather: float, *, speaking: bool = False
) -> RenderRequest:
    shot = Shot(
        id="1",
        scene=1,
        size=ShotSize.medium if move == CameraMove.static else ShotSize.wide,
        move=move,
        duration=5.0,
        subjects=["MEI"],
        setting=STREET,
    )
    return RenderRequest(
        shot=shot,
        cast=[MEI],
        width=args.width,
        height=args.height,
        fps=args.fps,
        out_path=Path("unused.mp4"),
        set_kind="street",
        weather=((args.weather, weather),) if weather > 0 else (),
        # A syllable every 5 frames or so, like speech.
        mouths={"MEI": [abs(math.sin(i / 1.6)) for i in range(5 * args.fps)]} if speaking else {},
    )


def best_of(req: RenderRequest, work: Path, repeat: int) -> float:
    engine = load_engine("previs")
    best = float("inf")
    for i in range(repeat):
        start = time.process_time()
        engine.render(replace(req, out_path=work / f"take{i}.mp4"))
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weather", default="rain")
    parser.add_argument("--intensity", type=float, default=1.0)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shots = (
            ("static silent", CameraMove.static, False),
            ("static speaking", CameraMove.static, True),
            ("pan", CameraMove.pan, False),
        )
        for label, move, speaking in shots:
            fair = best_of(request(move, args, 0.0, speaking=speaking), work, args.repeat)
            wet = best_of(request(move, args, args.intensity, speaking=speaking), work, args.repeat)
            name = f"{label} 5 s {args.width}x{args.height}"
            print(f"{name}, fair weather: {fair:.2f} s CPU")
            print(f"{name}, {args.weather} {args.intensity:g}: {wet:.2f} s CPU")
            print(f"{name}, {args.weather} / fair: {wet / fair:.2f}")


if __name__ == "__main__":
    main()
