"""Clips and pictures for the cast tests, all made here from data that ships inside
installed packages (scikit-image's astronaut portrait and LFW sample faces)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image

pytest.importorskip("dlib", reason="the actors extra: pip install 'storyreel[actors]'")
skdata = pytest.importorskip(
    "skimage.data", reason="scikit-image (a dev dependency) provides the test photographs"
)

from storyreel.cast.actor import Capture, capture_actor  # noqa: E402
from storyreel.cast.synthetic import speaking_clip  # noqa: E402
from storyreel.voice import Speech, VoiceProfile  # noqa: E402

# Small clips keep the suite fast; the benchmark imports a 720p one.
WIDTH, HEIGHT = 640, 360
VOICE = VoiceProfile(variant="f3", pitch=60)


def astronaut_head() -> NDArray[np.uint8]:
    """Eileen Collins' NASA portrait (public domain), cropped to head and shoulders."""
    return np.ascontiguousarray(skdata.astronaut()[0:330, 90:370])


def stranger() -> NDArray[np.uint8]:
    """Another person: the first face of scikit-image's LFW sample, enlarged."""
    face = (skdata.lfw_subset()[0] * 255).astype(np.uint8)
    return np.asarray(
        Image.fromarray(face).resize((200, 200), Image.Resampling.BICUBIC).convert("RGB")
    )


def clip(path: Path, portrait: NDArray[np.uint8] | None, **kwargs: object) -> Path:
    options: dict[str, object] = {"width": WIDTH, "height": HEIGHT, "voice": VOICE, **kwargs}
    speaking_clip(path, portrait, **options)  # type: ignore[arg-type]
    return path


@pytest.fixture(scope="session")
def actor_clip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Speech]:
    path = tmp_path_factory.mktemp("actor") / "astronaut.mp4"
    speech = speaking_clip(path, astronaut_head(), width=WIDTH, height=HEIGHT, voice=VOICE)
    assert speech is not None
    return path, speech


@pytest.fixture(scope="session")
def captured(actor_clip: tuple[Path, Speech]) -> Capture:
    return capture_actor(actor_clip[0])
