"""Identity of a rendered take against the cast's embedding."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.cast import SAME_PERSON, CastError
from storyreel.cast.actor import Capture
from storyreel.cast.identity import score_identity

from .conftest import astronaut_head, clip, skdata, stranger


def test_the_same_face_scores_high_and_a_stranger_low(tmp_path: Path, captured: Capture) -> None:
    same = clip(tmp_path / "same.mp4", astronaut_head(), seconds=2.0, sound=False)
    result = score_identity(same, captured.embedding, samples=5)
    assert result.score == 1.0 and len(result.distances) == 5
    assert result.median_distance is not None and result.median_distance < SAME_PERSON

    other = clip(tmp_path / "other.mp4", stranger(), seconds=2.0, sound=False)
    drifted = score_identity(other, captured.embedding, samples=5)
    assert drifted.score == 0.0
    assert all(d is not None and d > SAME_PERSON for d in drifted.distances)


def test_no_face_in_the_take_scores_zero(tmp_path: Path, captured: Capture) -> None:
    empty = clip(tmp_path / "empty.mp4", skdata.rocket(), seconds=1.0, sound=False)
    result = score_identity(empty, captured.embedding, samples=3)
    assert result.score == 0.0 and result.distances == [None, None, None]
    with pytest.raises(CastError, match="cannot be read"):
        score_identity(tmp_path / "nothing.mp4", captured.embedding)
