"""H.264 encoding shared by the engines (takes) and the cut (the film).

Takes and the film use the same settings, so the cut can join takes by copying their
packets instead of encoding every frame a second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import Any

import av
import numpy as np
from av.video.frame import PictureType


@dataclass(frozen=True)
class VideoSettings:
    width: int = 1280
    height: int = 720
    fps: int = 24
    codec: str = "libx264"
    # veryfast: animatic panels are flat colour, where slower presets buy little.
    preset: str = "veryfast"
    crf: int = 20
    # No B-frames: takes then start and end on clean decode order, so their packets
    # can be concatenated without re-encoding.
    bframes: int = 0
    # A keyframe every two seconds keeps seeking in a player snappy.
    keyframe_seconds: float = 2.0
    # Encoder threads; 0 lets the encoder take every core. Takes use one (see
    # RenderRequest.take_settings).
    threads: int = 0
    # A quicker search for the few frames the cut encodes again around a transition:
    # about 2.5x faster, the bitrate a little higher for them. The stream's parameter
    # sets stay the same, so those frames' packets still join the takes'.
    quick: bool = False

    def __post_init__(self) -> None:
        if self.width % 2 or self.height % 2:
            raise ValueError(
                f"width and height must be even for yuv420p, got {self.width}x{self.height}"
            )

    @property
    def codec_options(self) -> dict[str, str]:
        options = {
            "preset": self.preset,
            "crf": str(self.crf),
            "bf": str(self.bframes),
            "g": str(max(1, round(self.fps * self.keyframe_seconds))),
            # A frame asked to be a keyframe (`keyframes`) starts a new GOP, so the
            # packets from it on decode without those before.
            "forced-idr": "1",
        }
        if self.quick:
            # Analysis only: nothing here is written in the SPS or PPS.
            options["x264-params"] = "subme=0:me=dia:rc-lookahead=0:mbtree=0:aq-mode=0"
        return options


class VideoEncoder:
    """An H.264 stream on an open container; returns packets for the caller to mux.

    `keyframes` are frame indices to encode as keyframes besides the regular ones."""

    def __init__(
        self, container: Any, settings: VideoSettings, keyframes: frozenset[int] = frozenset()
    ) -> None:
        self.settings = settings
        self.keyframes = keyframes
        stream: Any = container.add_stream(settings.codec, rate=Fraction(settings.fps))
        stream.width = settings.width
        stream.height = settings.height
        stream.pix_fmt = "yuv420p"
        stream.options = settings.codec_options
        if settings.threads:
            stream.codec_context.thread_count = settings.threads
        self.stream = stream
        self.frames = 0

    def encode(self, frame: np.ndarray | av.VideoFrame) -> list[Any]:
        if isinstance(frame, np.ndarray):
            frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
        frame.pts = self.frames
        frame.time_base = Fraction(1, self.settings.fps)
        # Set on every frame: an engine may hand the same frame object again.
        frame.pict_type = PictureType.I if self.frames in self.keyframes else PictureType.NONE
        self.frames += 1
        return list(self.stream.encode(frame))

    def flush(self) -> list[Any]:
        return list(self.stream.encode(None))


class VideoWriter:
    """Writes frames (RGB arrays or ready VideoFrames) to an H.264 MP4 file.

    Use as a context manager; the container is finalised on a clean exit only.
    """

    def __init__(
        self,
        path: Path,
        settings: VideoSettings,
        *,
        faststart: bool = False,
        metadata: dict[str, str] | None = None,
        keyframes: frozenset[int] = frozenset(),
    ) -> None:
        self.settings = settings
        options = {"movflags": "+faststart"} if faststart else {}
        self._out: Any = av.open(str(path), mode="w", format="mp4", options=options)
        # Container tags (a take's record of what it drew), written with the header.
        self._out.metadata.update(metadata or {})
        self._encoder = VideoEncoder(self._out, settings, keyframes)
        self.stream = self._encoder.stream

    @property
    def frames(self) -> int:
        return self._encoder.frames

    def write(self, frame: np.ndarray | av.VideoFrame) -> None:
        for packet in self._encoder.encode(frame):
            self._out.mux(packet)

    def close(self) -> None:
        for packet in self._encoder.flush():
            self._out.mux(packet)
        self._out.close()

    def abort(self) -> None:
        self._out.close()

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def copy_prefix(source: Path, frames: int, out: Path) -> int:
    """The first `frames` frames of the H.264 file `source` written to `out` by copying
    their packets, not decoding them: with no B-frames (`VideoSettings.bframes`) the
    packets come in display order and each decodes from those before it, so a prefix
    decodes exactly as the same frames of the whole. Returns the frames copied (fewer
    when `source` is shorter). ValueError when the stream has B-frames."""
    with av.open(str(source)) as src:
        stream: Any = src.streams.video[0]
        if stream.codec_context.has_b_frames:
            raise ValueError(f"{source}: a stream with B-frames cannot be cut by packets")
        copied = 0
        dst: Any = av.open(str(out), mode="w", format="mp4")
        try:
            # The take's own tags (what it drew) stay with its prefix.
            dst.metadata.update(src.metadata)
            target = dst.add_stream_from_template(stream)
            for packet in src.demux(stream):
                if packet.dts is None:  # the demuxer's flush packet
                    continue
                if copied == frames:
                    break
                packet.stream = target
                dst.mux(packet)
                copied += 1
        finally:
            dst.close()
    return copied
