"""Fades and dissolves in the cut: which frames they touch, what those frames show, and
that the film keeps the timeline's length and copies every frame no transition touches."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from storyreel.cut.audio import mix, write_sound
from storyreel.cut.film import cut_film
from storyreel.cut.label import Label
from storyreel.cut.transitions import transition_effects
from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.model import TransitionKind
from storyreel.render.engine import Take
from storyreel.timeline import ShotTime, Timeline, Transition, head_keyframes

from .test_film import BLUE, RED, SETTINGS, solid_take

GREEN = (40, 200, 60)


def timeline(
    frames: list[int],
    kinds: list[TransitionKind],
    *,
    opening: TransitionKind | None = None,
    closing: TransitionKind | None = None,
    fps: int = 24,
) -> Timeline:
    shots, start = [], 0
    for number, count in enumerate(frames, start=1):
        shots.append(ShotTime(shot_id=str(number), start=start, frames=count))
        start += count
    transitions = [
        Transition(kind=kind, frame=a.end, after=a.shot_id, before=b.shot_id)
        for kind, a, b in zip(kinds, shots[:-1], shots[1:], strict=True)
    ]
    if opening is not None:
        transitions.insert(0, Transition(kind=opening, frame=0, after=None, before="1"))
    if closing is not None:
        last = shots[-1]
        transitions.append(
            Transition(kind=closing, frame=last.end, after=last.shot_id, before=None)
        )
    return Timeline(fps=fps, shots=tuple(shots), transitions=tuple(transitions))


def test_a_fade_between_shots_darkens_out_then_in() -> None:
    effects = transition_effects(timeline([48, 48], [TransitionKind.fade]))
    assert sorted(effects) == list(range(36, 60))  # half a second each side of frame 48
    assert effects[47].weight == 0.0  # the outgoing shot's last frame is black
    assert effects[48].weight == 0.0  # the incoming shot's first frame is black
    assert 0 < effects[54].weight < 1
    assert effects[36].weight > effects[40].weight  # darkening


def test_a_dissolve_is_centred_on_the_cut_and_rises() -> None:
    effects = transition_effects(timeline([48, 48], [TransitionKind.dissolve]))
    assert sorted(effects) == list(range(36, 60))
    weights = [effects[f].weight for f in range(36, 60)]
    assert weights == sorted(weights) and 0 < weights[0] < weights[-1] < 1
    assert {effects[f].neighbour for f in range(36, 48)} == {"next_first"}
    assert {effects[f].neighbour for f in range(48, 60)} == {"previous_last"}


def test_cuts_touch_nothing_and_the_films_edges_fade() -> None:
    cut = timeline([30, 30, 30], [TransitionKind.cut, TransitionKind.match_cut])
    assert transition_effects(cut) == {}
    edges = transition_effects(
        timeline(
            [60, 60], [TransitionKind.cut], opening=TransitionKind.fade, closing=TransitionKind.fade
        )
    )
    assert sorted(edges) == [*range(0, 12), *range(96, 120)]  # in: half a second; out: one
    assert edges[0].weight == 0.0 and edges[119].weight == 0.0


def test_a_short_shot_keeps_frames_of_its_own() -> None:
    effects = transition_effects(timeline([48, 6, 48], [TransitionKind.fade, TransitionKind.fade]))
    middle = range(48, 54)
    assert sum(1 for f in middle if f in effects) <= 6
    assert [f for f in middle if f not in effects] == []  # 3 in, 3 out: all of it
    assert effects[50].weight > 0  # never black throughout


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [bytes(p) for p in container.demux(stream) if p.dts is not None]


def test_a_dissolve_shows_both_shots_and_copies_the_rest(tmp_path: Path) -> None:
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 72, SETTINGS),
        solid_take(tmp_path / "b.mp4", BLUE, 72, SETTINGS),
    ]
    line = timeline([72, 72], [TransitionKind.dissolve])
    film = tmp_path / "film.mp4"
    cut_film(takes, line, mix([], 144, 24), film, SETTINGS)
    frames = _frames(film)
    assert len(frames) == line.frames == 144  # borrowed frames: the length is kept
    middle = frames[72].astype(int).mean(axis=(0, 1))  # the cut's frame: both shots
    assert abs(middle[0] - (RED[0] + BLUE[0]) / 2) < 25
    assert abs(middle[2] - (RED[2] + BLUE[2]) / 2) < 25
    assert np.abs(frames[10].astype(int) - RED).mean() < 6  # far from the cut: the take
    assert np.abs(frames[140].astype(int) - BLUE).mean() < 6
    # Frames before the transition are the take's own packets, byte for byte.
    film_packets, take_packets = _packets(film), _packets(takes[0].path)
    assert film_packets[:60] == take_packets[:60]
    # After the transition, the second take is copied again from its next keyframe
    # (every 48 frames), so the frames from there are its own packets too.
    assert film_packets[72 + 48 :] == _packets(takes[1].path)[48:]


def test_a_wipe_carries_the_incoming_shot_across_the_frame(tmp_path: Path) -> None:
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 72, SETTINGS),
        solid_take(tmp_path / "b.mp4", BLUE, 72, SETTINGS),
    ]
    line = timeline([72, 72], [TransitionKind.wipe])
    effects = transition_effects(line)
    assert {e.kind for e in effects.values()} == {"wipe"} and sorted(effects) == list(range(60, 84))
    film = tmp_path / "film.mp4"
    cut_film(takes, line, mix([], 144, 24), film, SETTINGS)
    frames = _frames(film)
    assert len(frames) == 144
    middle = frames[72].astype(int)  # the cut's frame: one side red, the other blue
    width = middle.shape[1]
    left, right = (
        middle[:, : width // 4].mean(axis=(0, 1)),
        middle[:, -width // 4 :].mean(axis=(0, 1)),
    )
    assert np.abs(left - RED).mean() < 25 and np.abs(right - BLUE).mean() < 25

    # Earlier in the wipe less of the frame is blue than later.
    def blue_share(frame: np.ndarray) -> float:
        return float((frame[:, :, 2].astype(int) > frame[:, :, 0].astype(int)).mean())

    assert blue_share(frames[62]) < blue_share(frames[72]) < blue_share(frames[82])


def test_wipe_to_is_read_as_a_wipe() -> None:
    from storyreel.direct.grammar import transition_of

    assert transition_of("WIPE TO:") == TransitionKind.wipe
    assert transition_of("划像") == TransitionKind.wipe
    assert TransitionKind("wipe to") == TransitionKind.wipe


def test_fades_reach_black_at_the_films_edges(tmp_path: Path) -> None:
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 48, SETTINGS),
        solid_take(tmp_path / "b.mp4", GREEN, 48, SETTINGS),
    ]
    line = timeline(
        [48, 48], [TransitionKind.fade], opening=TransitionKind.fade, closing=TransitionKind.fade
    )
    film = tmp_path / "film.mp4"
    cut_film(takes, line, mix([], 96, 24), film, SETTINGS)
    frames = _frames(film)
    assert len(frames) == 96
    for black in (0, 47, 48, 95):
        assert frames[black].max() < 24, black  # black, give or take the codec
    assert frames[24].mean() > 60  # the picture between


def test_transitions_are_drawn_when_the_takes_are_encoded_again(tmp_path: Path) -> None:
    small = VideoSettings(width=160, height=90, fps=24)  # not the film's size: re-encoded
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 48, small),
        solid_take(tmp_path / "b.mp4", BLUE, 48, small),
    ]
    line = timeline([48, 48], [TransitionKind.dissolve], closing=TransitionKind.fade)
    film = tmp_path / "film.mp4"
    cut_film(takes, line, mix([], 96, 24), film, SETTINGS)
    frames = _frames(film)
    assert len(frames) == 96 and frames[0].shape == (180, 320, 3)
    middle = frames[48].astype(int).mean(axis=(0, 1))
    assert abs(middle[0] - (RED[0] + BLUE[0]) / 2) < 25
    assert frames[95].max() < 24


def test_a_short_shot_between_transitions_is_encoded_whole(tmp_path: Path) -> None:
    takes = [
        solid_take(tmp_path / "a.mp4", RED, 72, SETTINGS),
        solid_take(tmp_path / "b.mp4", GREEN, 10, SETTINGS),
        solid_take(tmp_path / "c.mp4", BLUE, 72, SETTINGS),
    ]
    line = timeline([72, 10, 72], [TransitionKind.fade, TransitionKind.dissolve])
    film = tmp_path / "film.mp4"
    cut_film(takes, line, mix([], 154, 24), film, SETTINGS)
    frames = _frames(film)
    assert len(frames) == 154
    # The short shot fades in, then dissolves into the next: green shows in between.
    assert frames[72].max() < 24
    assert frames[76][..., 1].mean() > 60
    # Every copied frame decodes to its take's colour: the packets join cleanly.
    for index, colour in ((10, RED), (40, RED), (140, BLUE), (153, BLUE)):
        assert np.abs(frames[index].astype(int) - colour).mean() < 6, index


def test_keyframes_where_transitions_end_leave_the_rest_copied(tmp_path: Path) -> None:
    keyframes = head_keyframes(24)
    assert keyframes == {12}
    takes = []
    for name, colour in (("a", RED), ("b", BLUE)):
        path = tmp_path / f"{name}.mp4"
        with VideoWriter(path, SETTINGS, keyframes=keyframes) as writer:
            for _ in range(72):
                writer.write(np.full((SETTINGS.height, SETTINGS.width, 3), colour, np.uint8))
        takes.append(solid_take_record(path))
    assert [i for i, key in enumerate(_keyframes(takes[1].path)) if key][:2] == [0, 12]
    film = tmp_path / "film.mp4"
    cut_film(takes, timeline([72, 72], [TransitionKind.dissolve]), mix([], 144, 24), film, SETTINGS)
    # Only the dissolve's own 24 frames were encoded again: the second take is copied
    # from its keyframe at 12, where the dissolve ends.
    assert _packets(film)[72 + 12 :] == _packets(takes[1].path)[12:]
    assert _packets(film)[:60] == _packets(takes[0].path)[:60]


def solid_take_record(path: Path) -> Take:
    return Take(shot_id=path.stem, path=path, frames=72, fps=24, width=320, height=180, engine="t")


def _keyframes(path: Path) -> list[bool]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [p.is_keyframe for p in container.demux(stream) if p.dts is not None]


def test_the_timeline_lays_out_the_films_edges() -> None:
    from storyreel.model import Setting, Shot, ShotSize, Storyboard
    from storyreel.timeline import lay_out

    place = Setting(location="PIER")

    def shot(number: str, transition: TransitionKind) -> Shot:
        return Shot(
            id=number, scene=1, size=ShotSize.wide, duration=1, setting=place, transition=transition
        )

    board = Storyboard(shots=[shot("1", TransitionKind.dissolve), shot("2", TransitionKind.fade)])
    times = [ShotTime(shot_id="1", start=0, frames=24), ShotTime(shot_id="2", start=24, frames=24)]
    laid = lay_out(board, times, [], opening=TransitionKind.fade)
    edges = [(t.kind, t.frame, t.after, t.before) for t in laid.transitions]
    assert edges == [
        (TransitionKind.fade, 0, None, "1"),  # FADE IN
        (TransitionKind.dissolve, 24, "1", "2"),
        (TransitionKind.fade, 48, "2", None),  # FADE OUT
    ]
    plain = lay_out(
        board.model_copy(update={"shots": [shot("1", TransitionKind.cut)]}), times[:1], []
    )
    assert plain.transitions == ()  # a film that starts and ends on a cut


def test_a_second_cut_copies_the_runs_the_first_encoded(tmp_path: Path) -> None:
    """With a runs folder, a cut of the same film encodes nothing again, and one with
    a new last take encodes only the runs that take is part of."""
    label = Label(text="AI-generated", language="en")
    takes = [
        solid_take(tmp_path / f"{name}.mp4", colour, 72, SETTINGS)
        for name, colour in (("a", RED), ("b", BLUE), ("c", GREEN), ("d", RED))
    ]
    line = timeline([72] * 4, [TransitionKind.dissolve, TransitionKind.fade, TransitionKind.cut])
    runs = tmp_path / "runs"
    runs.mkdir()

    def cut(name: str, takes: list[Take]) -> Path:
        film = tmp_path / name
        cut_film(takes, line, mix([], 288, 24), film, SETTINGS, label=label, runs=runs)
        return film

    first = cut("first.mp4", takes)
    encoded = {p.name: p.stat().st_mtime_ns for p in runs.iterdir()}
    assert len(encoded) == 3  # the label's opening, the dissolve, the fade
    again = cut("again.mp4", takes)
    assert again.read_bytes() == first.read_bytes()
    assert {p.name for p in runs.iterdir()} == set(encoded)
    plain = tmp_path / "plain.mp4"  # the same cut without a runs folder
    cut_film(takes, line, mix([], 288, 24), plain, SETTINGS, label=label)
    assert _packets(plain) == _packets(first)
    # A new take of the second shot: the dissolve into it and the fade out of it are
    # encoded again; the label's opening, on the first shot alone, is copied.
    changed = [takes[0], solid_take(tmp_path / "b2.mp4", GREEN, 72, SETTINGS), *takes[2:]]
    third = cut("third.mp4", changed)
    new = {p.name for p in runs.iterdir()} - set(encoded)
    assert len(new) == 2
    frames = _frames(third)
    assert np.abs(frames[72 + 30].astype(int) - GREEN).mean() < 6


def test_a_sound_still_being_made_is_waited_for_after_the_runs_are_encoded(
    tmp_path: Path,
) -> None:
    takes = [
        solid_take(tmp_path / f"{name}.mp4", colour, 48, SETTINGS)
        for name, colour in (("a", RED), ("b", BLUE))
    ]
    line = timeline([48, 48], [TransitionKind.dissolve])
    runs = tmp_path / "runs"
    runs.mkdir()
    sound = tmp_path / "sound.m4a"
    write_sound(mix([], 96, 24), sound)
    seen_runs: list[int] = []

    def made() -> Path:  # what the make passes: its sound future's result
        seen_runs.append(len(list(runs.iterdir())))
        return sound

    film = tmp_path / "film.mp4"
    cut_film(takes, line, made, film, SETTINGS, runs=runs)
    assert seen_runs == [1]  # asked once, the dissolve's run already encoded
    with av.open(str(film)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
