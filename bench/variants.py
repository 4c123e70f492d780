"""A 2x2x2 matrix of the ad brief against one of its films made alone, in the same run.

    .venv/bin/python bench/variants.py [--size 640x360] [--voice espeak] [--ray]
                                       [--repeat 3] [--in-process]

`../shared/stories/ad_brief.md` is copied into a temporary folder with `[zh: ...]` marks
on its line and its on-screen text. One variant (en, 16:9, 15 s) is made alone in a
fresh project; then the matrix (en, zh x 16:9, 9:16 x 15, 30 s) in another fresh
project, one make after another, the shots of each on the local executor; with --ray,
the matrix again in a third project with each make's shots on Ray. Printed: each
run's seconds, the takes rendered and reused and the seconds of picture the engine
rendered (what a generative engine's GPU time or a hosted API's credits scale with),
and the ratios that matter: the matrix's time over the single film's (target: at most
3), and its rendered picture over the single film's. Both are made `--repeat` times,
alternately, each round in fresh projects and each make in a fresh process (`fresh`;
with --in-process, all in this one after a warm-up make), and the median ratio is the
figure (the machine is shared: one round is noise).
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from storyreel.config import MakeConfig
from storyreel.events import JobEvent
from storyreel.project import Project
from storyreel.store import open_store
from storyreel.variants.manifest import Manifest
from storyreel.variants.matrix import VariantMatrix
from storyreel.variants.run import make_variants

BRIEF = Path(__file__).resolve().parents[1].parent / "shared" / "stories" / "ad_brief.md"
MARKS = {
    "Spring, in every cup.": "[zh: 春天，就在每一杯里。]",
    'Text on screen: "Mountain Spring Tea".': "[zh: 山泉茶]",
}


def marked_brief(folder: Path) -> Path:
    """The brief with its Chinese marks, in `folder`."""
    text = BRIEF.read_text(encoding="utf-8")
    for words, mark in MARKS.items():
        if words not in text:
            raise SystemExit(f"{BRIEF}: expected {words!r} in the brief")
        text = text.replace(words, f"{words} {mark}")
    path = folder / "ad_brief.md"
    path.write_text(text, encoding="utf-8")
    return path


def timed(
    brief: Path, name: str, matrix: VariantMatrix, config: MakeConfig
) -> tuple[float, Manifest, float]:
    """The matrix's wall seconds, its manifest and the seconds of picture rendered."""
    project = Project.at(brief.parent / f"{name}.storyreel", brief)
    done: list[str] = []

    def on_event(event: JobEvent) -> None:
        if event.kind == "render" and event.event == "done":
            done.append(event.key)

    start = time.perf_counter()
    manifest = make_variants(
        brief, brief.parent / name, matrix, config, project=project, on_event=on_event
    )
    seconds = time.perf_counter() - start
    with open_store(project) as store:
        takes = [store.find_take(key) for key in done]
    picture = sum(t.frames / t.fps for t in takes if t is not None)
    return seconds, manifest, picture


def fresh(
    brief: Path, name: str, matrix: VariantMatrix, config: MakeConfig
) -> tuple[float, Manifest, float]:
    """`timed` in a fresh Python process, as a run of the command would be: the one
    film and the matrix each pay a process's first make (its workers, plugins and
    caches warming up) once, and neither inherits what the other warmed."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as process:
        return process.submit(timed, brief, name, matrix, config).result()


def report(name: str, seconds: float, manifest: Manifest, picture: float) -> None:
    rendered = sum(r.takes_rendered for r in manifest.films)
    reused = sum(r.takes_reused for r in manifest.films)
    films = len(manifest.films)
    print(
        f"{name}: {seconds:.1f} s, {films} films, {rendered} takes rendered "
        f"({picture:.1f} s of picture), {reused} reused"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--voice", default="espeak")
    parser.add_argument("--ray", action="store_true", help="also the matrix with shots on Ray")
    parser.add_argument(
        "--repeat", type=int, default=3, help="rounds of both, each in fresh projects"
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="every make in this process after a warm-up make, as a studio serving makes",
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    config = MakeConfig(width=width, height=height, voice=args.voice, picture="clean")
    one = VariantMatrix.parse("en", "16:9", "15")
    matrix = VariantMatrix.parse("en,zh", "16:9,9:16", "15,30")
    measure = timed if args.in_process else fresh
    if args.in_process:
        with tempfile.TemporaryDirectory(prefix="storyreel-variants-") as tmp:
            timed(marked_brief(Path(tmp)), "warm-up", one, config)
    ratios: list[float] = []
    pictures: list[float] = []
    for round_ in range(1, args.repeat + 1):
        print(f"round {round_}:")
        # Each round in its own folder: fresh projects, nothing cached from the last.
        with tempfile.TemporaryDirectory(prefix="storyreel-variants-") as tmp:
            brief = marked_brief(Path(tmp))
            single_s, single, single_pic = measure(brief, "single", one, config)
            report("  one variant alone (en 16:9 15 s)", single_s, single, single_pic)
            matrix_s, made, matrix_pic = measure(brief, "matrix", matrix, config)
            report("  2x2x2 matrix, local executor", matrix_s, made, matrix_pic)
            if args.ray:
                ray_s, by_ray, ray_pic = measure(
                    brief, "ray", matrix, config.model_copy(update={"executor": "ray"})
                )
                report("  2x2x2 matrix, Ray executor", ray_s, by_ray, ray_pic)
                print(f"  ray / local: {ray_s / matrix_s:.2f}x")
        ratios.append(matrix_s / single_s)
        pictures.append(matrix_pic / single_pic)
        print(f"  matrix / one variant: {ratios[-1]:.2f}x")
    ratio = statistics.median(ratios)
    print(f"matrix / one variant, median of {len(ratios)}: {ratio:.2f}x (target <= 3x)")
    print(f"picture rendered, matrix / one variant: {statistics.median(pictures):.2f}x")


if __name__ == "__main__":
    main()
