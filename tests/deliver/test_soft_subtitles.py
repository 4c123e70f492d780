from __future__ import annotations

from pathlib import Path

import av
from tests.deliver.support import small_film

from storyreel.deliver import load_exporter
from storyreel.deliver.verify import verify
from storyreel.timeline import Cue

CUES = (
    Cue(start=0.2, end=1.0, text="要茶吗？", character="MEI", lang="zh", translation="Tea?"),
    Cue(start=1.5, end=2.5, text="好。", character="LI", lang="zh", translation="Yes."),
)


def test_each_language_is_a_track_inside_the_film_and_scenes_are_chapters(
    tmp_path: Path,
) -> None:
    request = small_film(tmp_path, language="zh", cues=CUES)
    for name in ("subtitle_tracks", "aigc", "c2pa"):
        load_exporter(name).export(request)

    with av.open(str(request.film)) as container:
        subs = [s for s in container.streams if s.type == "subtitle"]
        assert [(s.codec_context.name, s.metadata.get("language")) for s in subs] == [
            ("mov_text", "chi"),
            ("mov_text", "eng"),
        ]
        texts: dict[str, list[tuple[float, str]]] = {}
        for stream in subs:
            for packet in container.demux(stream):
                # A mov_text sample: 2 bytes of length, then UTF-8 (the muxer fills the
                # gaps between cues with empty samples).
                body = bytes(packet)[2:].decode("utf-8")
                if body:
                    start = round(float(packet.pts * packet.time_base), 3)
                    texts.setdefault(stream.metadata["language"], []).append((start, body))
            container.seek(0)
        chapters = container.chapters()
        assert len(container.streams.video) == 1 and len(container.streams.audio) == 1
    assert texts["chi"] == [(0.2, "要茶吗？"), (1.5, "好。")]
    assert texts["eng"] == [(0.2, "Tea?"), (1.5, "Yes.")]
    assert [c["metadata"].get("title") for c in chapters] == ["Scene 1: KITCHEN"]
    assert verify(request.film).status == "valid"

    # Run again (a make that found its film current): still one track per language.
    load_exporter("subtitle_tracks").export(request)
    with av.open(str(request.film)) as container:
        assert len([s for s in container.streams if s.type == "subtitle"]) == 2
