"""Speed of the rules planner on a 100-scene screenplay, against parsing the same text.

    .venv/bin/python bench/plan_board.py [--scenes 100]

Generates a bilingual Fountain screenplay (scene headings, action with written
direction, dialogue exchanges, transitions), then times parsing it and directing it.
The budget: planning 100 scenes in at most 2 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from storyreel.direct import plan
from storyreel.script import read_story

BUDGET_S = 2.0
PLACES = ("EXT. HILLTOP PARK - DAY", "INT. NAINAI'S KITCHEN - NIGHT", "EXT. NIGHT MARKET - NIGHT")
ACTIONS = (
    "LEO runs up the slope, dragging a torn blue kite behind him.",
    "CLOSE ON the kite: a long tear runs through its painted dragon.",
    "The camera slowly pushes in on NAINAI as she threads a needle.",
    "镜头缓缓推近发光的纸城，直到它充满画面。",
    "Slow motion. The lantern falls and the paper city scatters across the stones.",
)
LINES = (
    ("LEO", "It broke again. The wind just ate it!"),
    ("NAINAI", "风不吃风筝。风只是想跟它玩。"),
    ("LEO", "Can you fix it?"),
    ("NAINAI", "给我看看。我们一起修。"),
    ("MEI", "Is this the lantern stall, the one that remembers every street we ever walked?"),
)


def screenplay(scenes: int) -> str:
    parts = ["Title: Bench\n"]
    for n in range(scenes):
        parts.append(f"{PLACES[n % len(PLACES)]} #{n + 1}#\n")
        if n == 0:
            parts.append("LEO (10, yellow hoodie) meets NAINAI (70s, grey bun) and MEI (20s).\n")
        parts.append(f"{ACTIONS[n % len(ACTIONS)]}\n")
        for i in range(6):
            who, text = LINES[(n + i) % len(LINES)]
            parts.append(f"{who}\n{text}\n")
        parts.append(f"{ACTIONS[(n + 2) % len(ACTIONS)]}\n")
        parts.append("CUT TO:\n" if n % 4 else "DISSOLVE TO:\n")
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="storyreel-plan-bench-") as tmp:
        story = Path(tmp) / "bench.fountain"
        story.write_text(screenplay(args.scenes), encoding="utf-8")
        parse_s = plan_s = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            script = read_story(story)
            parse_s = min(parse_s, time.perf_counter() - start)
            start = time.perf_counter()
            board = plan(script)
            plan_s = min(plan_s, time.perf_counter() - start)

    elements = sum(len(s.elements) for s in script.scenes)
    print(f"screenplay: {len(script.scenes)} scenes, {elements} elements")
    print(f"storyboard: {len(board.shots)} shots, {board.duration:.0f} s")
    print(f"parse: {parse_s:.3f} s")
    print(f"plan:  {plan_s:.3f} s ({plan_s / len(board.shots) * 1000:.2f} ms a shot)")
    print(f"plan / parse: {plan_s / parse_s:.2f}")
    print(f"plan: {plan_s:.3f} s of a {BUDGET_S:.1f} s budget ({plan_s / BUDGET_S:.2f})")


if __name__ == "__main__":
    main()
