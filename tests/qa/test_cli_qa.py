"""`storyreel qa` on a lone video and on a project, `storyreel arena` on stored votes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tests.qa.defects import FPS, clean_take
from typer.testing import CliRunner

from storyreel.cli import app
from storyreel.project import Project
from storyreel.qa import inject
from storyreel.qa.arena import Duel, leaderboard
from storyreel.store import TakeRecord, VoteRecord, open_store

runner = CliRunner()


def test_qa_of_a_video_finds_the_flash_and_writes_the_report(tmp_path: Path) -> None:
    take, _ = clean_take(tmp_path)
    flashed = inject.write(inject.flash(inject.decode(take.path), 30), tmp_path / "f.mp4", FPS)
    report = tmp_path / "report.html"
    result = runner.invoke(app, ["qa", str(flashed), "--json", "--report", str(report)])
    assert result.exit_code == 1, result.output  # a failing take fails the command
    data = json.loads(result.output)
    temporal = next(c for c in data["takes"][0]["checks"] if c["check"] == "temporal")
    assert not temporal["passed"] and [e["frame"] for e in temporal["evidence"]] == [30]
    page = report.read_text(encoding="utf-8")
    assert "FAIL" in page and page.count("<img") >= 2  # difference and ripple plots
    clean = runner.invoke(app, ["qa", str(take.path)])
    assert clean.exit_code == 0 and "temporal" not in clean.output.split("failed checks")[1]


def test_qa_of_a_folder_with_no_takes_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["qa", str(tmp_path)])
    assert result.exit_code == 2 and "no takes yet" in result.output


def test_arena_ranks_engines_from_the_votes(tmp_path: Path) -> None:
    project = Project.at(tmp_path / "film")
    with open_store(project) as store:
        for key, engine in (("a" * 64, "wan"), ("b" * 64, "previs"), ("c" * 64, "ltx")):
            store.record_take(
                TakeRecord(
                    key=key,
                    shot_id="1",
                    engine=engine,
                    path=f"takes/{key}.mp4",
                    frames=1,
                    fps=24,
                    width=64,
                    height=64,
                    seed=1,
                    size=1,
                )
            )
        for a, b, winner in (
            [("a", "b", "a")] * 8
            + [("a", "c", "a")] * 5
            + [("c", "b", "a")] * 6
            + [("b", "c", "tie")] * 2
        ):
            store.record_vote(VoteRecord(shot_id="1", take_a=a * 64, take_b=b * 64, winner=winner))  # type: ignore[arg-type]
    result = runner.invoke(
        app, ["arena", "--project", str(project.root), "--by", "engine", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["votes"] == 21
    assert [row["player"] for row in data["leaderboard"]] == ["wan", "ltx", "previs"]
    top = data["leaderboard"][0]
    assert top["low"] < top["rating"] < top["high"] and top["votes"] == 13 and top["wins"] == 13


def test_bradley_terry_recovers_a_known_ranking() -> None:
    rng = np.random.default_rng(3)
    truth = {"p0": 1.2, "p1": 0.4, "p2": -0.3, "p3": -1.3}
    names = list(truth)
    duels = []
    for _ in range(300):
        i, j = rng.choice(4, 2, replace=False)
        p = 1 / (1 + np.exp(truth[names[j]] - truth[names[i]]))
        duels.append(Duel(names[i], names[j], "a" if rng.random() < p else "b"))
    board = leaderboard(duels, rounds=50)
    assert [s.player for s in board] == names  # Kendall's tau = 1
    assert all(s.low < s.rating < s.high for s in board)
    assert sum(s.votes for s in board) == 600
