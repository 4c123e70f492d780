"""A make delivers a labelled, signed film by default."""

from __future__ import annotations

from pathlib import Path

from storyreel.config import MakeConfig
from storyreel.deliver.verify import verify
from storyreel.make import make_film

STORY = """Title: The Kettle

INT. KITCHEN - DAY

MEI fills the kettle.

MEI
Tea?
"""


def test_a_made_film_is_labelled_and_signed_and_verifies(tmp_path: Path) -> None:
    story = tmp_path / "kettle.fountain"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "kettle.mp4"
    film = make_film(story, out, MakeConfig(width=160, height=96, workers=1))

    assert list(film.exports) == ["subtitles", "aigc", "c2pa"]
    found = verify(out)
    assert found.status == "valid", found.problems
    assert found.implicit is not None and found.implicit["Label"] == "1"
    assert found.explicit is not None and "AI-generated" in found.explicit
    assert [s["shot"] for s in found.film["shots"]] == [s.id for s in film.storyboard.shots]
    assert all(s["engine"] == "previs" and s["take"] for s in found.film["shots"])

    # Made again with nothing changed: the film is kept, and still verifies.
    make_film(story, out, MakeConfig(width=160, height=96, workers=1))
    assert verify(out).status == "valid"
