"""The `branches` exporter: a branching film's interactive player, beside the film.

    film.mp4
    film.player/index.html       plays a scene, shows its choices, goes on; an end screen
    film.player/branches.json    the scenes as a graph (script/branches.py), with the parts
    film.player/scene-N.mp4      one part per scene, cut from the film

The page is one static HTML file with its ES module, its style and the graph inline:
browsers refuse module scripts and fetches from file:// pages, and the page must play
when opened from the file system as well as when served. The make runs this exporter
on its own when the story has choices; on a linear film it writes nothing.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from storyreel.cut.segments import cut_segment, segment_key
from storyreel.deliver import ExportRequest
from storyreel.files import write_text_atomic
from storyreel.keys import file_digest, job_key
from storyreel.model import Storyboard
from storyreel.script.branches import Branches
from storyreel.timeline import Timeline

PLAYER_SUFFIX = ".player"
GRAPH_FILE = "branches.json"
PAGE_FILE = "index.html"


class BranchesExporter:
    name: ClassVar[str] = "branches"
    # After every exporter that rewrites the film, signing included: the parts are cut
    # from the film as delivered, and keyed on it, so an unchanged film keeps them.
    order: ClassVar[int] = 200

    def export(self, request: ExportRequest) -> list[Path]:
        """The parts, the graph and the page (in that order); [] for a linear film."""
        if request.branches is None:
            return []
        folder = request.beside(PLAYER_SUFFIX)
        folder.mkdir(exist_ok=True)
        ranges = scene_ranges(request.board, request.timeline)
        film = file_digest(request.film)
        written: list[Path] = []
        for number, frames in ranges.items():
            path = folder / segment_name(number)
            # The same film and frames make the same part: an unchanged film keeps them.
            key = job_key("segment", film=film, frames=frames)
            if segment_key(path) != key:
                cut_segment(request.film, frames, path, key=key)
            written.append(path)
        _remove_stale(folder, {p.name for p in written})
        graph = player_graph(request.branches, request.board, ranges, request.timeline.fps)
        text = json.dumps(graph, ensure_ascii=False, indent=2)
        write_text_atomic(folder / GRAPH_FILE, text + "\n")
        write_text_atomic(folder / PAGE_FILE, player_page(graph))
        return [*written, folder / GRAPH_FILE, folder / PAGE_FILE]


def segment_name(scene: int) -> str:
    return f"scene-{scene}.mp4"


def scene_ranges(board: Storyboard, timeline: Timeline) -> dict[int, list[tuple[int, int]]]:
    """Each scene's frames in the film as [start, end) runs, in film order: one run
    unless an edited storyboard put another scene's shots between its own."""
    scene_of = {shot.id: shot.scene for shot in board.shots}
    runs: dict[int, list[tuple[int, int]]] = {}
    for timed in timeline.shots:
        scene = scene_of[timed.shot_id]
        own = runs.setdefault(scene, [])
        if own and own[-1][1] == timed.start:
            own[-1] = (own[-1][0], timed.end)
        else:
            own.append((timed.start, timed.end))
    return dict(sorted(runs.items()))


def player_graph(
    branches: Branches, board: Storyboard, ranges: dict[int, list[tuple[int, int]]], fps: int
) -> dict[str, Any]:
    """What the page and other tools read: the graph, each scene with its part (None
    for a scene without shots: the player goes straight to its choices)."""
    scenes = []
    for scene in branches.scenes:
        frames = ranges.get(scene.number, [])
        scenes.append(
            {
                "number": scene.number,
                "heading": scene.heading,
                "line": scene.line,
                "segment": segment_name(scene.number) if frames else None,
                "duration": round(sum(end - start for start, end in frames) / fps, 3),
                "choices": [c.model_dump() for c in scene.choices],
                "next": scene.next,
            }
        )
    return {
        "title": board.title or "",
        "language": board.language,
        "width": board.width,
        "height": board.height,
        "start": 1,
        "scenes": scenes,
        "warnings": list(branches.warnings),
    }


def player_page(graph: dict[str, Any]) -> str:
    """The page with its style, its module and the graph inline."""
    folder = resources.files("storyreel.deliver") / "player"
    page = (folder / "page.html").read_text(encoding="utf-8")
    # `</` would end the inline script early; JSON reads `<\/` as `</`.
    data = json.dumps(graph, ensure_ascii=False).replace("</", "<\\/")
    title = graph["title"] or "A branching film"
    return (
        page.replace("{{lang}}", html.escape(graph["language"]))
        .replace("{{title}}", html.escape(title))
        .replace("{{style}}", (folder / "player.css").read_text(encoding="utf-8"))
        .replace("{{graph}}", data)
        .replace("{{module}}", (folder / "player.js").read_text(encoding="utf-8"))
    )


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Parts of scenes the story no longer has."""
    for old in folder.glob("scene-*.mp4"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
