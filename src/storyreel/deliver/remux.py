"""Rewrite a finished MP4's container without touching its pictures or sound.

The exporters that change the film itself (its metadata, its subtitle tracks) copy
every video and audio packet as it is into a new file, atomically replacing the old
one: a few milliseconds a second of film, nothing encoded again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av

from storyreel.files import atomic_path


@dataclass(frozen=True)
class TextTrack:
    """A soft subtitle track: (start s, end s, text) cues in one language (ISO 639-2)."""

    language: str
    cues: Sequence[tuple[float, float, str]]
    title: str = ""


@dataclass(frozen=True)
class Chapter:
    start: float  # seconds
    end: float
    title: str


def remux(
    path: Path,
    *,
    metadata: Mapping[str, str] | None = None,
    texts: Sequence[TextTrack] | None = None,
    chapters: Sequence[Chapter] | None = None,
) -> None:
    """Rewrite `path` with `metadata` added to the file's (keys kept otherwise) and, when
    given, `texts` (subtitle tracks) and `chapters` in place of any it had."""
    with av.open(str(path)) as source, atomic_path(path) as tmp:
        keep_text = texts is None
        # use_metadata_tags: keys beyond the few iTunes ones ("AIGC") are written as
        # QuickTime metadata keys rather than dropped.
        options = {"movflags": "+faststart+use_metadata_tags"}
        with av.open(str(tmp), "w", format="mp4", options=options) as out:
            out.metadata.update({k: v for k, v in source.metadata.items() if k not in _MUXER_KEYS})
            out.metadata.update(metadata or {})
            mapping: dict[int, Any] = {}
            for stream in source.streams:
                if stream.type in ("video", "audio") or (keep_text and stream.type == "subtitle"):
                    mapping[stream.index] = out.add_stream_from_template(stream)
                    mapping[stream.index].metadata.update(stream.metadata)
            written = [_text_stream(out, track) for track in texts or []]
            kept = [] if chapters is not None else source.chapters()
            out.set_chapters(kept or [_chapter(n, c) for n, c in enumerate(chapters or [], 1)])
            for packet in source.demux(*[source.streams[i] for i in mapping]):
                if packet.dts is None:
                    continue
                packet.stream = mapping[packet.stream.index]
                out.mux(packet)
            for stream, track in zip(written, texts or [], strict=True):
                for packet in _text_packets(stream, track):
                    out.mux(packet)


# Written by the muxer itself on every file; copying them would only be overwritten.
_MUXER_KEYS = frozenset({"major_brand", "minor_version", "compatible_brands", "encoder"})
_TEXT_RATE = Fraction(1, 1000)


def _chapter(number: int, chapter: Chapter) -> Any:
    return {
        "id": number,
        "start": round(chapter.start * 1000),
        "end": round(chapter.end * 1000),
        "time_base": _TEXT_RATE,
        "metadata": {"title": chapter.title},
    }


# The mov_text encoder opens only with an ASS header (its default style); the samples
# themselves are written here, plain text needing no style records.
_ASS_HEADER = b"""[Script Info]
ScriptType: v4.00+
PlayResX: 384
PlayResY: 288

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, \
Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, \
Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Sans,16,&Hffffff,&Hffffff,&H0,&H0,0,0,0,0,100,100,0,0,1,1,0,2,10,10,10,0

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
""".replace(b"\\\n", b"")


def _text_stream(out: Any, track: TextTrack) -> Any:
    stream = out.add_stream("mov_text")
    stream.codec_context.subtitle_header = _ASS_HEADER
    stream.time_base = _TEXT_RATE
    stream.metadata["language"] = track.language
    if track.title:
        stream.metadata["title"] = track.title
    return stream


def _text_packets(stream: Any, track: TextTrack) -> Iterator[Any]:
    """One mov_text sample per cue: two bytes of length, then the UTF-8 text."""
    for start, end, text in sorted(track.cues):
        data = text.encode("utf-8")
        packet = av.Packet(len(data).to_bytes(2, "big") + data)
        packet.stream = stream
        packet.pts = packet.dts = round(start * 1000)
        packet.duration = max(1, round((end - start) * 1000))
        packet.time_base = _TEXT_RATE
        yield packet
