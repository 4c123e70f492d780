"""`make --takes 2`: every shot is rendered twice, both takes are kept with their
scores, the better one goes into the film, and a second make renders nothing."""

from __future__ import annotations

from pathlib import Path

from storyreel.config import MakeConfig
from storyreel.make import make_film
from storyreel.project import Project
from storyreel.qa import take_score
from storyreel.run.takes import result_of
from storyreel.store import open_store

STORY = """Title: The Kettle

INT. KITCHEN - DAY

MEI fills the kettle.

MEI
Tea?
"""


def test_best_of_two_takes_goes_into_the_film(tmp_path: Path) -> None:
    story = tmp_path / "kettle.fountain"
    story.write_text(STORY, encoding="utf-8")
    config = MakeConfig(width=160, height=96, workers=1, takes=2)
    film = make_film(story, tmp_path / "kettle.mp4", config)
    shots = [shot.id for shot in film.storyboard.shots]
    assert sorted(film.checks) == sorted(shots)
    with open_store(Project.at(None, story)) as store:
        version = store.versions()[-1]
        for shot in shots:
            takes = store.takes(shot)
            assert len(takes) == 2 and len({t.seed for t in takes}) == 2
            scores = store.scores([t.key for t in takes])
            assert all(len(rows) == len(config.checks) for rows in scores.values())
            ranked = {k: take_score([result_of(r) for r in rows]) for k, rows in scores.items()}
            assert ranked[version.takes[shot]] == max(ranked.values())
    again = make_film(story, tmp_path / "kettle.mp4", config)
    assert again.renders is not None and again.renders.rendered == []
    assert again.checks == {}
