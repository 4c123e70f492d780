"""GB 45438-2025's two labels: the visible one the cut draws, the AIGC metadata."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np
import pytest
from tests.deliver.support import SETTINGS, small_film

from storyreel.cut.label import Label, label_box
from storyreel.deliver import load_exporter
from storyreel.deliver.aigc import FIELDS
from storyreel.deliver.verify import verify


def luma(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="gray") for f in container.decode(video=0)]


def packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def text_rows(frame: np.ndarray, box: tuple[int, int, int, int]) -> int:
    """How many rows of `box` hold the label's white text (the takes' luma is near 100,
    under the label's dark plate below 50, the text above 200 before compression)."""
    x0, y0, x1, y1 = box
    return int((frame[y0:y1, x0:x1] > 160).any(axis=1).sum())


@pytest.mark.parametrize(("language", "text"), [("en", "AI-generated"), ("zh", "AI生成")])
def test_the_label_shows_on_the_opening_two_seconds_at_the_standards_size(
    tmp_path: Path, language: str, text: str
) -> None:
    label = Label.for_language(language)
    assert label.text == text
    request = small_film(tmp_path, language=language, label=label)
    plain = small_film(tmp_path / "plain", language=language)
    frames, without = luma(request.film), luma(plain.film)
    w, h, fps = SETTINGS.width, SETTINGS.height, SETTINGS.fps

    box = label_box(label, w, h)
    # The ink is at least 5 % of the short side tall, and in the top-right corner.
    assert box[3] - box[1] >= 0.05 * min(w, h)
    assert box[2] > w * 3 / 4 and box[1] < h / 4
    shown = [text_rows(f, box) >= 0.05 * min(w, h) for f in frames]
    assert all(shown[: 2 * fps])  # every frame of the first 2 s
    assert not any(shown[3 * fps :])  # gone once the run it was drawn in ends
    assert not any(text_rows(f, box) for f in without)
    # Outside the opening, the film is still the takes' packets, copied.
    assert packets(request.film)[-10:] == packets(plain.film)[-10:]


def test_a_corner_mark_stays_on_every_frame(tmp_path: Path) -> None:
    label = Label.for_language("en", "corner")
    request = small_film(tmp_path, label=label)
    box = label_box(label, SETTINGS.width, SETTINGS.height)
    assert all(text_rows(f, box) >= 0.05 * SETTINGS.height for f in luma(request.film))


def test_a_label_below_the_standards_floor_is_refused() -> None:
    with pytest.raises(ValueError, match=r"at least 2\.0 s"):
        Label("AI-generated", "en", seconds=1.0)
    with pytest.raises(ValueError, match="5% of the frame's short side"):
        Label("AI-generated", "en", height=0.03)


def test_the_implicit_label_reads_back_with_pyav_and_survives_signing(tmp_path: Path) -> None:
    request = small_film(tmp_path, language="zh", label=Label.for_language("zh"))
    before = packets(request.film)
    load_exporter("aigc", {"producer": "Kettle Studio"}).export(request)
    load_exporter("c2pa").export(request)

    with av.open(str(request.film)) as container:
        value = json.loads(container.metadata["AIGC"])
    assert tuple(value) == FIELDS
    assert value["Label"] == "1" and value["ContentProducer"] == "Kettle Studio"
    assert len(value["ProduceID"]) == 32
    assert packets(request.film) == before  # remuxed, not encoded again

    found = verify(request.film)
    assert found.status == "valid"
    assert found.implicit == value
    assert found.explicit is not None and "AI生成" in found.explicit
