"""A make delivers a labelled, signed film by default."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
from typer.testing import CliRunner

from storyreel.cli import app
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

    assert list(film.exports) == ["subtitles", "subtitle_tracks", "aigc", "c2pa"]
    found = verify(out)
    assert found.status == "valid", found.problems
    assert found.implicit is not None and found.implicit["Label"] == "1"
    assert found.explicit is not None and "AI-generated" in found.explicit
    assert [s["shot"] for s in found.film["shots"]] == [s.id for s in film.storyboard.shots]
    assert all(s["engine"] == "previs" and s["take"] for s in found.film["shots"])

    # Made again with nothing changed: the film is kept as delivered, and verifies.
    delivered = out.read_bytes()
    make_film(story, out, MakeConfig(width=160, height=96, workers=1))
    assert out.read_bytes() == delivered
    assert verify(out).status == "valid"
    # Another producer in the label is another film: delivered again.
    exporters = {**MakeConfig().exporters, "aigc": {"producer": "Kettle Studio"}}
    make_film(story, out, MakeConfig(width=160, height=96, workers=1, exporters=exporters))
    relabelled = verify(out).implicit
    assert relabelled is not None and relabelled["ContentProducer"] == "Kettle Studio"

    # The made film, exported again for an editor, its media collected beside it.
    collected = tmp_path / "edit"
    result = CliRunner().invoke(
        app,
        [
            "export",
            str(tmp_path / "kettle.storyreel"),
            "--format",
            "otio",
            "--collect",
            str(collected),
        ],
    )
    assert result.exit_code == 0, result.output
    timeline = otio.adapters.read_from_file(str(collected / "kettle.otio"))
    clips = list(timeline.tracks[0].find_clips())
    assert len(clips) == len(film.storyboard.shots)
    assert sum(round(c.source_range.duration.value) for c in clips) == film.frames
    for clip in clips:
        target = collected / clip.media_reference.target_url
        assert target.is_file() and target.parent == collected / "media"
        # Each exported take is signed too, as its shot.
        take = verify(target)
        assert take.status == "valid", take.problems
        assert [s["shot"] for s in take.film["shots"]] == [clip.metadata["storyreel"]["shot"]]
