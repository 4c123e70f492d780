"""Coverage: what previs records it drew, against what the shot's world asks for."""

from __future__ import annotations

from pathlib import Path

from tests.qa.defects import FPS, clean_take, with_file

from storyreel.model import Character
from storyreel.qa import inject, load_check
from storyreel.render.engine import RenderRequest


def test_coverage_holds_the_take_to_the_shot(tmp_path: Path) -> None:
    take, req = clean_take(tmp_path)
    assert load_check("coverage").check(take, req).passed
    # The same take judged against a shot with someone it does not show.
    crowded = req.shot.model_copy(update={"subjects": [*req.shot.subjects, "LIN"]})
    asked_more = RenderRequest(
        **{**vars(req), "shot": crowded, "cast": [*req.cast, Character(name="LIN")]}
    )
    result = load_check("coverage").check(take, asked_more)
    assert not result.passed and result.score < 1.0
    assert result.notes == ["person LIN is not in the picture"]
    # A take that records nothing (re-encoded without the record) is not judged.
    bare = inject.write(inject.decode(take.path), tmp_path / "bare.mp4", FPS)
    unknown = load_check("coverage").check(with_file(take, bare), req)
    assert not unknown.applicable and "does not record" in unknown.notes[0]
