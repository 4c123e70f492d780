"""Parts of a finished film as files of their own: a branching film's player plays one
per scene (deliver/branches.py).

A part is cut from the film rather than made again from the takes, so it holds exactly
what the film shows and the sound as mixed and mastered. Where each of its runs starts
on a keyframe (a scene starts with a shot, and the cut starts every take on one) its
H.264 packets are copied; otherwise its frames are encoded again. Its sound is decoded
and encoded again, so it starts clean instead of on a half AAC frame.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from storyreel.cut.audio import add_aac_stream
from storyreel.files import atomic_path
from storyreel.media.encode import VideoEncoder, VideoSettings

# The container tag holding the part's key: a later export whose part would be the
# same keeps the file instead of encoding it again.
KEY_TAG = "comment"


def segment_key(path: Path) -> str | None:
    """The key a part was written with, or None when there is no readable part."""
    try:
        with av.open(str(path)) as container:
            value = container.metadata.get(KEY_TAG)
    except (OSError, av.FFmpegError):
        return None
    return str(value) if value else None


def cut_segment(film: Path, ranges: Sequence[tuple[int, int]], out: Path, *, key: str = "") -> None:
    """Write `out` (MP4: H.264 + AAC) from the film's frames in `ranges` (film frames
    [start, end), played one after the other) and the sound under them."""
    if not ranges or any(end <= start for start, end in ranges):
        raise ValueError(f"a part needs frame ranges with end > start, got {list(ranges)}")
    with av.open(str(film)) as source, atomic_path(out) as tmp:
        video_in = source.streams.video[0]
        fps = round(video_in.average_rate or 24)
        settings = VideoSettings(width=video_in.width, height=video_in.height, fps=fps)
        out_file: Any = av.open(
            str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"}
        )
        try:
            if key:
                out_file.metadata[KEY_TAG] = key
            audio_in = source.streams.audio[0] if source.streams.audio else None
            if _copyable(source, video_in, ranges, fps):
                copied = out_file.add_stream_from_template(video_in)
                audio_out = add_aac_stream(out_file, audio_in.rate) if audio_in else None
                for packet in _copied(source, video_in, copied, ranges, fps):
                    out_file.mux(packet)
            else:
                encoder = VideoEncoder(out_file, settings)
                audio_out = add_aac_stream(out_file, audio_in.rate) if audio_in else None
                for start, end in ranges:
                    for frame in _frames(source, video_in, start, end, fps):
                        for packet in encoder.encode(frame):
                            out_file.mux(packet)
                for packet in encoder.flush():
                    out_file.mux(packet)
            if audio_in is not None and audio_out is not None:
                for packet in _sound(source, audio_in, audio_out, ranges, fps):
                    out_file.mux(packet)
        finally:
            out_file.close()


def _index(packet_or_frame: Any, stream: Any, fps: int) -> int:
    """The film frame a packet or frame plays at (the film has one per 1/fps)."""
    return round(float(packet_or_frame.pts * stream.time_base) * fps)


def _copyable(source: Any, stream: Any, ranges: Sequence[tuple[int, int]], fps: int) -> bool:
    """Whether every run starts on a keyframe of a stream without B-frames, so that its
    packets decode on their own, in order, one per frame."""
    if stream.codec_context.has_b_frames:
        return False
    for start, _ in ranges:
        source.seek(int(start / fps / stream.time_base), stream=stream, backward=True)
        first = next(
            (
                p
                for p in source.demux(stream)
                if p.pts is not None and _index(p, stream, fps) >= start
            ),
            None,
        )
        if first is None or _index(first, stream, fps) != start or not first.is_keyframe:
            return False
    return True


def _copied(
    source: Any, stream: Any, out: Any, ranges: Sequence[tuple[int, int]], fps: int
) -> Iterator[Any]:
    """The packets of `ranges`, their timestamps moved to the part's clock."""
    written = 0
    for start, end in ranges:
        source.seek(int(start / fps / stream.time_base), stream=stream, backward=True)
        for packet in source.demux(stream):
            if packet.pts is None or packet.dts is None:  # the end-of-stream marker
                continue
            index = _index(packet, stream, fps)
            if index >= end:
                break
            if index < start:
                continue
            shift = round(Fraction(written + index - start, fps) / stream.time_base) - packet.pts
            packet.pts += shift
            packet.dts += shift
            packet.stream = out
            yield packet
        written += end - start


def _frames(source: Any, stream: Any, start: int, end: int, fps: int) -> Iterator[Any]:
    """The decoded frames `start` to `end` of the film (its frame index from each
    frame's time: the film has one frame per 1/fps)."""
    source.seek(int(start / fps / stream.time_base), stream=stream, backward=True)
    for frame in source.decode(stream):
        index = _index(frame, stream, fps)
        if index >= end:
            return
        if index >= start:
            yield frame


def _sound(
    source: Any, stream: Any, out: Any, ranges: Sequence[tuple[int, int]], fps: int
) -> Iterator[Any]:
    """The film's sound under `ranges`, joined and encoded again."""
    rate = stream.rate
    written = 0
    for start, end in ranges:
        first, last = round(start * rate / fps), round(end * rate / fps)
        source.seek(int(start / fps / stream.time_base), stream=stream, backward=True)
        for frame in source.decode(stream):
            at = round(float(frame.pts * stream.time_base) * rate)
            if at >= last:
                break
            samples = frame.to_ndarray()
            cut = samples[:, max(0, first - at) : max(0, last - at)]
            if not cut.shape[1]:
                continue
            piece = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(cut), format=frame.format.name, layout=frame.layout.name
            )
            piece.sample_rate = rate
            piece.pts = written
            piece.time_base = Fraction(1, rate)
            written += cut.shape[1]
            yield from out.encode(piece)
    yield from out.encode(None)
