"""The story's sound world on the film's clock: foley on the frames the picture shows
the action, thunder after the flash it belongs to, ambience per scene with cross-fades,
no room under title cards, and the picture's fades."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from storyreel.beats import beat_frames, phase_at, strike_frames
from storyreel.cut import ambience, foley, score
from storyreel.cut.dsp import gated_loudness, k_weighted
from storyreel.cut.soundtrack import (
    Generated,
    ambience_track,
    card_gain,
    foley_track,
    picture_level,
    score_track,
    sound_events,
)
from storyreel.model import (
    SceneInfo,
    SceneWeather,
    SetPlace,
    Setting,
    Shot,
    ShotSize,
    ShotThing,
    Storyboard,
    TransitionKind,
)
from storyreel.render.previs.figure import pose_for
from storyreel.render.previs.weather import particles_for
from storyreel.timeline import FILM_RATE, ShotTime, Timeline, frames_for, lay_out

FPS = 24


def _shot(shot_id: str, scene: int, seconds: float, **fields: object) -> Shot:
    return Shot.model_validate(
        {
            "id": shot_id,
            "scene": scene,
            "size": ShotSize.full,
            "duration": seconds,
            "setting": Setting(location="PLACE", interior="ext", time="day"),
            **fields,
        }
    )


def _timeline(board: Storyboard, opening: TransitionKind = TransitionKind.cut) -> Timeline:
    shots, frame = [], 0
    for shot in board.shots:
        shots.append(ShotTime(shot_id=shot.id, start=frame, frames=frames_for(shot.duration, FPS)))
        frame = shots[-1].end
    return lay_out(board, shots, [], opening=opening)


def _onsets(track: np.ndarray, floor_db: float = -40.0) -> list[int]:
    """Samples where the track rises over the floor after at least 50 ms under it."""
    loud = np.abs(track) > 10 ** (floor_db / 20)
    out, quiet_since = [], -FILM_RATE
    for i in np.flatnonzero(loud):
        if i - quiet_since > FILM_RATE // 20:
            out.append(int(i))
        quiet_since = i
    return out


def test_footsteps_and_blows_land_on_the_frames_the_picture_moves() -> None:
    board = Storyboard(
        fps=FPS,
        shots=[
            _shot("1", 1, 2.0, subjects=["MEI"], actions={"MEI": "walk"}),
            _shot(
                "2",
                1,
                2.0,
                subjects=["LEO"],
                actions={"LEO": "fight"},
                things=[ShotThing(kind="sword", holder="LEO")],
            ),
        ],
    )
    timeline = _timeline(board)
    events = sound_events(board, timeline, {})
    walk, fight = timeline.shots
    steps = [e.frame for e in events if walk.start <= e.frame < walk.end]
    blows = [e.frame for e in events if fight.start <= e.frame < fight.end]
    assert steps == [walk.start + f for f in beat_frames("walk", walk.frames, FPS)]
    assert sorted(set(blows)) == [fight.start + f for f in beat_frames("fight", fight.frames, FPS)]
    assert any(e.kind != events[0].kind for e in events)  # steps and blows sound apart
    # The picture changes pose on each of those frames (the drawn cycle's phases).
    for frame in beat_frames("walk", walk.frames, FPS):
        assert pose_for("walk", phase_at("walk", frame, FPS)) != pose_for(
            "walk", phase_at("walk", frame - 1, FPS)
        )
    # Each effect is heard within one frame of its event.
    track = foley_track(events, timeline)
    heard = _onsets(track)
    frame_samples = FILM_RATE // FPS
    for event in events:
        at = event.frame * frame_samples
        assert any(abs(h - at) <= frame_samples for h in heard), event


def test_thunder_follows_the_flash_the_picture_draws() -> None:
    board = Storyboard(
        fps=FPS,
        scenes=[SceneInfo(scene=1, weather=[SceneWeather(kind="storm_lightning", intensity=0.9)])],
        shots=[_shot("1", 1, 4.0)],
    )
    timeline = _timeline(board)
    seed = 1234
    events = sound_events(board, timeline, {"1": seed})
    thunder = [e.frame for e in events if e.kind == "thunder"]
    strikes = strike_frames(seed, 0.9, timeline.frames, FPS)
    particles = particles_for(
        (("storm_lightning", 0.9),), 64, 36, FPS, timeline.frames, seed, interior=False
    )
    assert particles is not None and particles.flashes is not None
    flashed = set(np.flatnonzero(particles.flashes.levels > 0).tolist())
    assert thunder, "a storm shot has thunder"
    assert set(strikes) <= flashed  # the picture flashes on every strike
    # Each clap comes after a strike, by less than a second (the storm is near).
    for frame in thunder:
        assert any(0 < frame - strike <= FPS for strike in strikes)


def test_scenes_get_their_own_beds_and_cross_fade() -> None:
    board = Storyboard(
        fps=FPS,
        scenes=[
            SceneInfo(scene=1, setting=SetPlace(kind="forest", interior="ext", time="day")),
            SceneInfo(scene=2, setting=SetPlace(kind="train_carriage", interior="int", time="day")),
        ],
        shots=[_shot("1", 1, 3.0), _shot("2", 2, 3.0)],
    )
    timeline = _timeline(board)
    track = ambience_track(board, timeline)
    cut = timeline.shots[1].start * FILM_RATE // FPS
    first, second = track[FILM_RATE : cut - FILM_RATE // 2], track[cut + FILM_RATE // 2 :]

    def centroid(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x))
        freqs = np.fft.rfftfreq(len(x), 1 / FILM_RATE)
        return float((spectrum * freqs).sum() / spectrum.sum())

    assert abs(centroid(first) - centroid(second)) > 200  # birdsong vs a train's rumble
    # No gap at the cut: the level across it stays within 6 dB of the scenes' own.
    around = track[cut - FILM_RATE // 10 : cut + FILM_RATE // 10]
    rms = lambda x: float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))  # noqa: E731
    assert rms(around) > 0.5 * min(rms(first), rms(second))


def test_a_title_card_carries_no_room() -> None:
    board = Storyboard(
        fps=FPS,
        scenes=[SceneInfo(scene=1, setting=SetPlace(kind="street", interior="ext"))],
        shots=[_shot("1", 1, 2.0), _shot("2", 1, 2.0, card="THE END")],
    )
    timeline = _timeline(board)
    card = timeline.shots[1]
    gain = card_gain(board, timeline)
    lo = card.start * FILM_RATE // FPS
    hi = card.end * FILM_RATE // FPS
    assert float(gain[lo:hi].max()) == 0.0
    assert float(gain[: lo - FILM_RATE // 2].min()) == 1.0
    track = ambience_track(board, timeline)
    assert float(np.abs(track[lo:hi]).max()) == 0.0
    assert sound_events(board, timeline, {}) == ()


def test_the_world_fades_with_the_picture() -> None:
    board = Storyboard(
        fps=FPS,
        shots=[
            _shot("1", 1, 2.0, transition=TransitionKind.fade),
            _shot("2", 2, 2.0, transition=TransitionKind.fade),
        ],
    )
    timeline = _timeline(board, opening=TransitionKind.fade)
    level = picture_level(timeline)
    edges = picture_level(timeline, edges_only=True)
    between = timeline.shots[1].start * FILM_RATE // FPS
    assert level[0] == 0.0 and level[-1] < 0.01  # from black, into black
    assert level[between] < 0.01  # the fade between the scenes goes through black
    assert edges[between] == 1.0  # the score plays through it
    assert edges[0] == 0.0


def test_every_foley_kind_named_by_the_vocabulary_exists() -> None:
    for action in ("walk", "run", "fight", "fall", "open", "drink", "throw", "jump"):
        for kind in foley.for_action(action):
            assert len(foley.sound(kind)) > 0


def test_what_the_text_says_is_heard_is_heard_once() -> None:
    said = "Blades clash. A bell rings far away."
    board = Storyboard(
        fps=FPS,
        shots=[
            _shot("1", 1, 1.0, action=said),
            _shot("2", 1, 1.0, action=said),  # the same sentence, another angle
            _shot("3", 1, 1.0, action="远处传来钟声。"),
        ],
    )
    timeline = _timeline(board)
    events = [(e.frame, e.kind) for e in sound_events(board, timeline, {})]
    first, _, third = timeline.shots
    assert sorted(k for f, k in events if first.start <= f < first.end) == ["bell", "sword_clash"]
    assert [k for f, k in events if third.start <= f < third.end] == ["bell"]
    assert len(events) == 3  # the second shot of the sentence repeats nothing
    assert foley.heard_in("The clasher waits.") == ()  # a whole word, not a part of one


def test_beds_laid_from_filtered_loops_measure_as_the_beds_filtered() -> None:
    # Three scenes (two cross-fades), a title card's dip and fades to and from black.
    board = Storyboard(
        fps=FPS,
        title="Harbour",
        scenes=[
            SceneInfo(scene=1, setting=SetPlace(kind="harbour", interior="ext", time="dawn")),
            SceneInfo(scene=2, setting=SetPlace(kind="forest", interior="ext", time="night")),
            SceneInfo(scene=3, setting=SetPlace(kind="temple", interior="int", time="day")),
        ],
        shots=[
            _shot("1", 1, 4.0, transition=TransitionKind.fade),
            _shot("2", 2, 3.0),
            _shot("3", 2, 2.0, card="LATER"),
            _shot("4", 3, 4.0, transition=TransitionKind.fade),
        ],
    )
    timeline = _timeline(board, opening=TransitionKind.fade)
    seen = picture_level(timeline)
    plain, filtered = Generated(), Generated(weighted=True)
    beds = {
        "ambience": (
            ambience_track(board, timeline, generated=plain) * seen,
            ambience_track(board, timeline, generated=filtered) * seen,
        ),
        "score": (
            score_track(board, timeline, generated=plain),
            score_track(board, timeline, generated=filtered),
        ),
    }
    for name, (track, laid) in beds.items():
        exact = k_weighted(track, FILM_RATE)
        assert gated_loudness(laid, FILM_RATE) == pytest.approx(
            gated_loudness(exact, FILM_RATE), abs=0.01
        ), name
        # Sample by sample too: only the fades' and cross-fades' slopes part them.
        error = np.sqrt(np.mean((laid - exact) ** 2) / np.mean(exact**2))
        assert error < 0.01, name


def test_kept_loops_and_scores_are_read_back_not_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: Counter[str] = Counter()
    for module, name in ((ambience, "loop"), (score, "score")):
        real = getattr(module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            made[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    board = Storyboard(
        fps=FPS,
        title="Harbour",
        scenes=[SceneInfo(scene=1, setting=SetPlace(kind="harbour", interior="ext"))],
        shots=[_shot("1", 1, 8.0)],
    )
    timeline = _timeline(board)
    kept = Generated(tmp_path)
    first = [
        track(board, timeline, generated=generated)
        for track in (ambience_track, score_track)
        for generated in (kept, replace(kept, weighted=True))
    ]
    assert made["loop"] >= 1 and made["score"] == 1
    made.clear()
    # A longer film (the shot grew): the same loops and score, read back, and the same
    # music where the two overlap.
    longer = Storyboard(fps=FPS, title="Harbour", scenes=board.scenes, shots=[_shot("1", 1, 9.0)])
    timeline = _timeline(longer)
    again = [
        track(longer, timeline, generated=generated)
        for track in (ambience_track, score_track)
        for generated in (kept, replace(kept, weighted=True))
    ]
    assert made == Counter()
    for before, after in zip(first, again, strict=True):
        assert len(after) > len(before)
        # Up to where the shorter film's score starts to fade out.
        assert np.array_equal(before[: 4 * FILM_RATE], after[: 4 * FILM_RATE])
