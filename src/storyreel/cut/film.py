"""Join the takes and the sound into the finished film.

When every take was encoded with the film's own settings (the previs engine does),
their H.264 packets are copied as they are: each frame is encoded once in a make.
Takes from other engines (other sizes, codecs or rates) are decoded and encoded again.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from contextlib import ExitStack
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from storyreel.cut.audio import add_aac_stream, copied_sound, encode_aac
from storyreel.files import atomic_path
from storyreel.media.encode import VideoEncoder, VideoSettings
from storyreel.media.resample import resampled_frames
from storyreel.render.engine import Take
from storyreel.timeline import Cue, Timeline


def cut_film(
    takes: list[Take],
    timeline: Timeline,
    sound: np.ndarray | Path,
    out_path: Path,
    settings: VideoSettings,
    *,
    burn: bool = False,
) -> None:
    """Write `out_path` (MP4: H.264 + AAC) from one take per shot of `timeline` and the
    sound: a mono track to encode, or an AAC file from `write_sound` whose packets are
    copied.

    Each shot plays for its frames in the timeline; a take that is longer is cut short,
    one that is shorter holds its last frame. With `burn`, the timeline's subtitle cues
    are drawn into the picture, which means re-encoding it (see cut/burn.py).
    """
    shot_frames = timeline.shot_frames()
    cues = list(timeline.cues) if burn else []
    with ExitStack() as opened, atomic_path(out_path) as tmp:
        sources = None if cues else _copyable(takes, shot_frames, settings, opened)
        out = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
        try:
            audio = (
                copied_sound(out, sound)
                if isinstance(sound, Path)
                else encode_aac(add_aac_stream(out), sound)
            )
            video = (
                _copied_video(out, takes, sources)
                if sources is not None
                else _encoded_video(out, takes, shot_frames, settings, cues)
            )
            # Interleave by time so a player streaming the file has both at hand.
            for packet in heapq.merge(video, audio, key=_packet_seconds):
                out.mux(packet)
        finally:
            out.close()


def _packet_seconds(packet: Any) -> float:
    ts = packet.dts if packet.dts is not None else packet.pts
    return float((ts or 0) * packet.time_base)


def _copyable(
    takes: list[Take], shot_frames: list[int], settings: VideoSettings, opened: ExitStack
) -> list[Any] | None:
    """The takes, opened (and kept open for the copy: opening a file costs more than
    copying its packets), when every one is H.264 in the film's exact format and length
    with the same codec parameters, so its packets can be joined without decoding."""
    wanted = (settings.width, settings.height, settings.fps)
    if any(
        (take.width, take.height, take.fps, take.frames) != (*wanted, frames)
        for take, frames in zip(takes, shot_frames, strict=True)
    ):
        return None
    sources = []
    extradata: set[bytes | None] = set()
    for take in takes:
        container = opened.enter_context(av.open(str(take.path)))
        ctx = container.streams.video[0].codec_context
        if ctx.name != "h264" or ctx.pix_fmt != "yuv420p" or ctx.has_b_frames:
            return None
        extradata.add(ctx.extradata)
        sources.append(container)
    return sources if len(extradata) <= 1 else None


def _copied_video(out: Any, takes: list[Take], sources: list[Any]) -> Iterator[Any]:
    """Packets of every take in order, their timestamps moved to the film's clock."""
    stream: Any = None
    offset = Fraction(0)  # seconds
    for take, container in zip(takes, sources, strict=True):
        source: Any = container.streams.video[0]
        if stream is None:
            stream = out.add_stream_from_template(source)
        shift = round(offset / source.time_base)
        for packet in container.demux(source):
            if packet.dts is None or packet.pts is None:  # end-of-stream marker
                continue
            packet.pts += shift
            packet.dts += shift
            packet.stream = stream
            yield packet
        offset += Fraction(take.frames, take.fps)


def _encoded_video(
    out: Any, takes: list[Take], shot_frames: list[int], settings: VideoSettings, burn: list[Cue]
) -> Iterator[Any]:
    encoder = VideoEncoder(out, settings)
    frames: Iterator[Any] = (
        frame
        for take, count in zip(takes, shot_frames, strict=True)
        for frame in resampled_frames(take.path, count, settings)
    )
    if burn:
        # Imported here: burning draws with previs's text overlay, which a make that
        # burns nothing (most) need not load.
        from storyreel.cut.burn import burned

        frames = burned(frames, burn, settings.fps, settings.width, settings.height)
    for frame in frames:
        yield from encoder.encode(frame)
    yield from encoder.flush()
