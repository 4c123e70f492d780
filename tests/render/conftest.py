from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.render.engine import RenderRequest

from .previs_support import MakeRequest, make_request


@pytest.fixture
def request_for(tmp_path: Path) -> MakeRequest:
    """Builds a small, short request writing to tmp_path/take.mp4."""

    def build(**kwargs: object) -> RenderRequest:
        return make_request(tmp_path / "take.mp4", **kwargs)  # type: ignore[arg-type]

    return build
