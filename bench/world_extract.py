"""Speed of scene understanding on a 100-scene screenplay, with planning beside it.

    .venv/bin/python bench/world_extract.py [--scenes 100]

Generates a bilingual Fountain screenplay whose action is full of the world (unnamed
people, props held and put down, weather, Chinese and English sentences), then, in a
fresh Python process as a user's command would be, times reading the world of every
scene the first time (jieba's dictionary loaded from its cache included), again once
loaded, and planning the storyboard. A second fresh process with an empty cache
folder times the one-off making of the Chinese dictionary, which happens once per
machine. The budget: first extraction plus planning of 100 scenes in at most 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 2.0
PLACES = (
    "EXT. BAMBOO FOREST - NIGHT",
    "INT. TRAIN CARRIAGE - DAY",
    "外景. 夜市 - 夜",
    "EXT. HARBOUR - DAWN",
    "内景. 寺庙 - 日",
)
ACTIONS = (
    "An old fisherman hauls a net onto the pier. He lights a lantern against the fog.",
    "A young woman waits by the window. She holds a ticket and a cup of tea.",
    "一个白发剑士站在竹林里。他拔出了剑，竹叶在风中飞舞。",
    "小梅攥着一张折好的地图，穿过人群。雨刚停，面摊冒着热气。",
    "CLOSE ON the lantern: a tiny paper city glows inside it.",
    "老和尚拿着一把伞走进寺庙，一只猫跟在他身后。",
    "Rain hammers the deck. The conductor points at a black horse on the bridge.",
)
LINES = (
    ("MEI", "Is this the stall that sells lanterns that remember?"),
    ("LEO", "风不吃风筝。风只是想跟它玩。"),
    ("MEI", "Then show me."),
    ("LEO", "给我看看。我们一起修。"),
)


def screenplay(scenes: int) -> str:
    parts = ["Title: World bench\n"]
    for n in range(scenes):
        parts.append(f"{PLACES[n % len(PLACES)]}\n")
        if n == 0:
            parts.append("MEI (20s, red raincoat) meets LEO (10, yellow hoodie).\n")
        parts.append(f"{ACTIONS[n % len(ACTIONS)]}\n")
        for i in range(4):
            who, text = LINES[(n + i) % len(LINES)]
            parts.append(f"{who}\n{text}\n")
        parts.append(f"{ACTIONS[(n + 3) % len(ACTIONS)]}\n")
        parts.append("CUT TO:\n")
    return "\n".join(parts)


def child(story: Path, repeat: int) -> None:
    """Runs in a fresh process: what a `storyreel` command pays."""
    start = time.perf_counter()
    from storyreel.direct import plan
    from storyreel.script import read_story
    from storyreel.script.world import extract_world

    import_s = time.perf_counter() - start
    script = read_story(story)
    start = time.perf_counter()
    worlds = extract_world(script)
    first_s = time.perf_counter() - start
    warm_s = plan_s = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        extract_world(script)
        warm_s = min(warm_s, time.perf_counter() - start)
        start = time.perf_counter()
        board = plan(script)
        plan_s = min(plan_s, time.perf_counter() - start)
    figures = {
        "scenes": len(worlds),
        "people": len({p.name for w in worlds for p in w.people}),
        "things": sum(len(w.things) for w in worlds),
        "shots": len(board.shots),
        "import_s": import_s,
        "first_s": first_s,
        "warm_s": warm_s,
        "plan_s": plan_s,
    }
    print(json.dumps(figures))


def run_child(story: Path, repeat: int, env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(story), "--repeat", str(repeat)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--scenes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.repeat)
        return

    with tempfile.TemporaryDirectory(prefix="storyreel-world-bench-") as tmp:
        story = Path(tmp) / "bench.fountain"
        story.write_text(screenplay(args.scenes), encoding="utf-8")
        empty_cache = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        cold = run_child(story, 1, empty_cache)  # makes the dictionary and jieba's cache
        again = run_child(story, 1, empty_cache)  # both found: what every later run pays
        warm = run_child(story, args.repeat, dict(os.environ))

    total = min(again["first_s"], warm["first_s"]) + warm["plan_s"]
    print(f"screenplay: {warm['scenes']:.0f} scenes, {warm['shots']:.0f} shots")
    print(f"world: {warm['people']:.0f} people, {warm['things']:.0f} things")
    print(f"import: {warm['import_s']:.3f} s")
    print(f"first extraction, dictionary made once per machine: {cold['first_s']:.3f} s")
    print(f"first extraction, dictionary from the cache: {again['first_s']:.3f} s")
    print(f"extraction once loaded: {warm['warm_s']:.3f} s")
    print(f"plan: {warm['plan_s']:.3f} s")
    print(
        f"first extraction + plan: {total:.3f} s of a {BUDGET_S:.1f} s budget "
        f"({total / BUDGET_S:.2f})"
    )


if __name__ == "__main__":
    main()
