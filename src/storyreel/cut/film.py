"""Join the takes and the sound into the finished film.

When every take was encoded with the film's own settings (the previs engine does),
their H.264 packets are copied as they are: each frame is encoded once in a make.
Takes from other engines (other sizes, codecs or rates) are decoded and encoded again.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

from storyreel.cut.audio import add_aac_stream, copied_sound, encode_aac
from storyreel.cut.label import Label, labelled
from storyreel.cut.transitions import Effect, transition_effects
from storyreel.files import atomic_path
from storyreel.keys import digest
from storyreel.media.encode import VideoEncoder, VideoSettings, VideoWriter
from storyreel.media.resample import resampled_frames
from storyreel.render.engine import Take
from storyreel.render.previs.cards import dissolve_planes, fade_planes, wipe_planes
from storyreel.render.previs.frames import frame_planes
from storyreel.timeline import Cue, Timeline


def cut_film(
    takes: list[Take],
    timeline: Timeline,
    sound: np.ndarray | Path | Callable[[], Path] | None,
    out_path: Path,
    settings: VideoSettings,
    *,
    burn: bool = False,
    label: Label | None = None,
    runs: Path | None = None,
) -> None:
    """Write `out_path` (MP4: H.264 + AAC) from one take per shot of `timeline` and the
    sound: a mono track to encode, an AAC file from `write_sound` whose packets are
    copied (or a function that waits for that file: it is called only once the frames
    to encode again are encoded, so a sound still being made overlaps them), or None
    for a film without a sound track.

    Each shot plays for its frames in the timeline; a take that is longer is cut short,
    one that is shorter holds its last frame. The timeline's fades and dissolves are
    drawn in (see cut/transitions.py: they borrow frames, so the film keeps the
    timeline's length and the sound its sync). With `burn`, the timeline's subtitle
    cues are drawn into the picture, which means re-encoding it (see cut/burn.py).
    When the takes can be copied, only the frames a transition touches (to the next
    keyframe) are decoded and encoded again. A `label` (the visible AI label, see
    cut/label.py) is drawn into the frames it covers, the opening ones like a transition's.
    `runs` keeps those re-encoded runs by what they are made of (the takes around them,
    their frames, the transitions and label drawn on them), so the next cut of the same
    film encodes only the runs that changed.
    """
    shot_frames = timeline.shot_frames()
    cues = list(timeline.cues) if burn else []
    effects = transition_effects(timeline)
    with ExitStack() as opened, atomic_path(out_path) as tmp:
        whole = bool(cues) or (label is not None and label.placement == "corner")
        sources = None if whole else _copyable(takes, shot_frames, settings, opened)
        pieces = None
        if sources is not None:
            scratch = Path(opened.enter_context(tempfile.TemporaryDirectory(dir=tmp.parent)))
            drawn = _Drawn(effects, label)
            pieces = _pieces(
                takes, timeline, sources, settings, drawn, _RunStore(scratch, runs), opened
            )
        if callable(sound):
            sound = sound()
        out = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
        try:
            audio: Iterator[Any] = (
                iter(())
                if sound is None
                else copied_sound(out, sound)
                if isinstance(sound, Path)
                else encode_aac(add_aac_stream(out), sound)
            )
            video = (
                _copied_video(out, pieces, timeline.fps)
                if pieces is not None
                else _encoded_video(out, takes, timeline, settings, cues, _Drawn(effects, label))
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


@dataclass(frozen=True)
class _Drawn:
    """What the cut draws over the takes: the transitions and the AI label."""

    effects: dict[int, Effect]
    label: Label | None

    def frames(self, fps: int, total: int) -> list[int]:
        """The film frames something is drawn on, in order."""
        opening = self.label.frames(fps, total) if self.label is not None else 0
        return sorted(set(self.effects) | set(range(opening)))

    def film_frames(
        self,
        takes: list[Take],
        timeline: Timeline,
        settings: VideoSettings,
        start: int = 0,
        stop: int | None = None,
        *,
        exact: bool = False,
    ) -> Iterator[Any]:
        frames = film_frames(takes, timeline, settings, self.effects, start, stop, exact=exact)
        if self.label is None:
            return frames
        w, h = settings.width, settings.height
        return labelled(frames, self.label, settings.fps, w, h, start)


@dataclass(frozen=True)
class _Piece:
    """A run of the film's frames copied from one open file: its packets `first` to
    `first + count` (one per frame, in order: no B-frames), from film frame `start`."""

    container: Any
    first: int
    count: int
    start: int


class _RunStore:
    """Where re-encoded runs are written: the cut's scratch folder, or a lasting folder
    where each run is a file named by the key of what it is made of, so an unchanged
    run is copied from the last cut instead of being encoded again. The folder keeps
    the `KEPT_RUNS` most recently used."""

    KEPT_RUNS = 64

    def __init__(self, scratch: Path, folder: Path | None) -> None:
        self.scratch = scratch
        self.folder = folder
        self.used: list[Path] = []

    def path(self, n: int, key: str) -> tuple[Path, bool]:
        """The run's file, and whether it is already there (from an earlier cut)."""
        if self.folder is None:
            return self.scratch / f"run-{n}.mp4", False
        path = self.folder / f"{key}.mp4"
        self.used.append(path)
        if path.is_file():
            path.touch()  # recently used: kept the longest
            return path, True
        return path, False

    def trim(self) -> None:
        if self.folder is None:
            return
        runs = sorted(self.folder.glob("*.mp4"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in runs[self.KEPT_RUNS :]:
            if old not in self.used:
                old.unlink(missing_ok=True)


def _run_key(
    takes: list[Take],
    timeline: Timeline,
    settings: VideoSettings,
    drawn: _Drawn,
    start: int,
    stop: int,
) -> str:
    """What frames `start` to `stop` of the film are made of: the takes of the shots
    they cross and of the neighbours a dissolve or wipe there borrows a frame of, each
    take's file and where its shot lies from `start`, the transitions drawn there, the
    label (and the run's place in the film, where the label is drawn), the encoder."""
    shots = timeline.shots
    starts = [shot.start for shot in shots]
    around = {i for i, s in enumerate(shots) if s.start < stop and s.end > start}
    effects = [(f, drawn.effects[f]) for f in range(start, stop) if f in drawn.effects]
    for frame, effect in effects:
        index = bisect.bisect_right(starts, frame) - 1
        if effect.neighbour == "next_first" and index + 1 < len(shots):
            around.add(index + 1)
        elif effect.neighbour == "previous_last" and index > 0:
            around.add(index - 1)
    parts: list[object] = [
        repr(replace(settings, quick=True, threads=0)),
        stop - start,
        [
            (str(takes[i].path), _stamp(takes[i].path), shots[i].start - start, shots[i].frames)
            for i in sorted(around)
        ],
        [(f - start, repr(effect)) for f, effect in effects],
    ]
    if drawn.label is not None:
        opening = drawn.label.frames(timeline.fps, timeline.frames)
        parts += [repr(drawn.label), start if start < opening else None, opening]
    return digest(parts)


def _stamp(path: Path) -> tuple[int, int]:
    # A take's file is written once (atomically) and never changed in place.
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _pieces(
    takes: list[Take],
    timeline: Timeline,
    sources: list[Any],
    settings: VideoSettings,
    drawn: _Drawn,
    store: _RunStore,
    opened: ExitStack,
) -> list[_Piece] | None:
    """The film as runs of packets: the takes' own, and the frames around each
    transition encoded again into files in `store`. Packets after a re-encoded run
    start on a keyframe of their take, so the run reaches that keyframe (or the end of
    the shot). None when a re-encoded run's codec parameters differ from the takes'
    (the film is then encoded whole)."""
    starts = [shot.start for shot in timeline.shots]
    flags: dict[int, list[bool]] = {}  # keyframe flags of the takes a run ends in

    def on_keyframe(frame: int) -> bool:
        index = bisect.bisect_right(starts, frame) - 1
        if index not in flags:
            flags[index] = _keyframe_flags(takes[index].path)
        local = frame - starts[index]
        return local < len(flags[index]) and flags[index][local]

    runs = _runs(drawn.frames(timeline.fps, timeline.frames), on_keyframe, timeline.frames)
    extradata = sources[0].streams.video[0].codec_context.extradata if sources else None
    encoded: dict[int, _Piece] = {}
    for n, (start, stop) in enumerate(runs):
        key = _run_key(takes, timeline, settings, drawn, start, stop)
        path, kept = store.path(n, key)
        if not kept:
            # The film's threads and a quick search: x264's parameter sets depend on
            # neither (checked below), so the run's packets join the takes' packets.
            with (
                atomic_path(path) as tmp,
                VideoWriter(tmp, replace(settings, quick=True)) as writer,
            ):
                for frame in drawn.film_frames(takes, timeline, settings, start, stop, exact=True):
                    writer.write(frame)
        container = opened.enter_context(av.open(str(path)))
        if container.streams.video[0].codec_context.extradata != extradata:
            return None
        encoded[start] = _Piece(container, 0, stop - start, start)
    pieces: list[_Piece] = []
    frame = 0
    while frame < timeline.frames:
        if frame in encoded:
            pieces.append(encoded[frame])
            frame += encoded[frame].count
            continue
        index = bisect.bisect_right(starts, frame) - 1
        shot = timeline.shots[index]
        stop = min([shot.end, *(s for s in encoded if s > frame)])
        pieces.append(_Piece(sources[index], frame - shot.start, stop - frame, frame))
        frame = stop
    store.trim()
    return pieces


def _keyframe_flags(path: Path) -> list[bool]:
    """Whether each packet of the file's video (one per frame) starts a keyframe."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [p.is_keyframe for p in container.demux(stream) if p.dts is not None]


def _runs(
    frames: list[int], on_keyframe: Callable[[int], bool], total: int
) -> list[tuple[int, int]]:
    """Contiguous runs [start, stop) covering `frames` (sorted), each stretched to stop
    on a keyframe (or the film's end), merged where they meet."""
    runs: list[tuple[int, int]] = []
    for frame in frames:
        if runs and frame < runs[-1][1]:
            continue
        start = runs.pop()[0] if runs and runs[-1][1] == frame else frame
        runs.append((start, frame + 1))
    # Stretch each run to a keyframe; stretching may join it to the next one.
    stretched: list[tuple[int, int]] = []
    for start, stop in runs:
        if stretched and start <= stretched[-1][1]:
            start = stretched.pop()[0]
        while stop < total and not on_keyframe(stop):
            stop += 1
        stretched.append((start, stop))
    return stretched


def _copied_video(out: Any, pieces: list[_Piece], fps: int) -> Iterator[Any]:
    """Packets of every piece in order, their timestamps moved to the film's clock."""
    stream: Any = None
    read: set[int] = set()
    for piece in pieces:
        source: Any = piece.container.streams.video[0]
        if stream is None:
            stream = out.add_stream_from_template(source)
        if id(piece.container) in read:  # a second piece of one take: from the start
            piece.container.seek(0, stream=source)
        read.add(id(piece.container))
        packets = (p for p in piece.container.demux(source) if p.dts is not None)
        shift: int | None = None
        for packet in itertools.islice(packets, piece.first, piece.first + piece.count):
            if shift is None:  # the piece's first packet plays at film frame `start`
                shift = round(Fraction(piece.start, fps) / source.time_base) - packet.pts
            packet.pts += shift
            packet.dts += shift
            packet.stream = stream
            yield packet


def _encoded_video(
    out: Any,
    takes: list[Take],
    timeline: Timeline,
    settings: VideoSettings,
    burn: list[Cue],
    drawn: _Drawn,
) -> Iterator[Any]:
    encoder = VideoEncoder(out, settings)
    frames = drawn.film_frames(takes, timeline, settings)
    if burn:
        # Imported here: burning draws with previs's text overlay, which a make that
        # burns nothing (most) need not load.
        from storyreel.cut.burn import burned

        frames = burned(frames, burn, settings.fps, settings.width, settings.height)
    for frame in frames:
        yield from encoder.encode(frame)
    yield from encoder.flush()


def film_frames(
    takes: list[Take],
    timeline: Timeline,
    settings: VideoSettings,
    effects: dict[int, Effect],
    start: int = 0,
    stop: int | None = None,
    *,
    exact: bool = False,
) -> Iterator[Any]:
    """The film's frames `start` to `stop` (all by default) as yuv420p VideoFrames:
    each take resampled to its shot's frames, with the transitions' `effects` drawn.
    Only the takes that overlap the range are decoded; `exact` takes (the film's
    format and frame count, as the cut copies them) from their keyframe before it."""
    stop = timeline.frames if stop is None else stop
    held = _Held(takes, timeline, settings)
    for index, (take, shot) in enumerate(zip(takes, timeline.shots, strict=True)):
        if shot.end <= start or shot.start >= stop:
            continue
        frame: Any = None
        decoded = (
            _exact_frames(take.path, max(0, start - shot.start), settings.fps)
            if exact
            else enumerate(resampled_frames(take.path, shot.frames, settings))
        )
        for k, frame in decoded:
            at = shot.start + k
            if at >= stop:
                break
            if at < start:
                continue
            effect = effects.get(at)
            yield frame if effect is None else _with_effect(effect, frame, held, index)
        if frame is not None and shot.end <= stop:
            held.last[index] = frame


def _exact_frames(path: Path, first: int, fps: int) -> Iterator[tuple[int, Any]]:
    """A take's frames from index `first` on, with their indices, decoding from the
    keyframe at or before it rather than from the take's start."""
    with av.open(str(path)) as container:
        stream: Any = container.streams.video[0]
        stream.thread_type = "AUTO"
        base = stream.start_time or 0
        if first:
            target = base + round(Fraction(first, fps) / stream.time_base)
            container.seek(target, stream=stream, backward=True)
        for frame in container.decode(stream):
            index = round((frame.pts - base) * stream.time_base * fps)
            if index >= first:
                yield index, frame


class _Held:
    """The held frames a dissolve mixes in: a shot's first and last, decoded once."""

    def __init__(self, takes: list[Take], timeline: Timeline, settings: VideoSettings) -> None:
        self.takes, self.timeline, self.settings = takes, timeline, settings
        self.first: dict[int, Any] = {}
        self.last: dict[int, Any] = {}

    def frame(self, index: int, which: str) -> Any:
        table = self.first if which == "first" else self.last
        if index not in table:
            count = self.timeline.shots[index].frames
            frames = resampled_frames(self.takes[index].path, count, self.settings)
            try:
                for frame in frames:
                    table[index] = frame
                    if which == "first":
                        break
            finally:
                frames.close()
        return table[index]


def _with_effect(effect: Effect, frame: Any, held: _Held, index: int) -> Any:
    planes = frame_planes(frame)
    if effect.kind == "fade":
        mixed = fade_planes(planes, effect.weight)
    else:
        join = wipe_planes if effect.kind == "wipe" else dissolve_planes
        if effect.neighbour == "next_first":
            incoming = frame_planes(held.frame(index + 1, "first"))
            mixed = join(planes, incoming, effect.weight)
        else:
            mixed = join(frame_planes(held.frame(index - 1, "last")), planes, effect.weight)
    out = av.VideoFrame(frame.width, frame.height, "yuv420p")
    for view, plane in zip(frame_planes(out), mixed, strict=True):
        view[...] = plane
    return out
