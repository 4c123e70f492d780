"""A made film sounds like a film: no digital silence outside its fades to black, at
the loudness target, with its stems kept; and the sound world can be turned off."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from storyreel.config import MakeConfig
from storyreel.cut.sound import loudness, silent_share
from storyreel.cut.soundtrack import picture_level
from storyreel.make import Film, make_film
from storyreel.project import Project
from storyreel.timeline import FILM_RATE
from storyreel.wav import read_float_wav

ROOT = Path(__file__).resolve().parents[1]
STORIES = ROOT.parent / "shared" / "stories"

# No dialogue at all: before the sound world, this film was silence from end to end.
FIGHT = """Title: Rain Duel

EXT. BAMBOO FOREST - NIGHT

Heavy rain. Thunder rolls over the bamboo. A swordsman in black walks through the
grove, sword drawn. A woman in white waits for him.

They fight. Blades clash in the rain. She leaps; he falls.

INT. TEMPLE - DAWN

The woman in white sits alone before the altar. A bell rings.
"""


def _sound(film: Film) -> np.ndarray:
    with av.open(str(film.path)) as container:
        (audio,) = container.streams.audio
        planar = np.concatenate([f.to_ndarray() for f in container.decode(audio)], axis=1)
    mono: np.ndarray = planar.mean(axis=0).astype(np.float32)
    return mono


def _silence(film: Film) -> float:
    sound = _sound(film)
    seen = picture_level(film.timeline)
    seen = np.pad(seen, (0, max(0, len(sound) - len(seen))), constant_values=1.0)
    return silent_share(sound, counted=seen[: len(sound)] > 0.999)


@pytest.fixture(scope="module")
def duel(tmp_path_factory: pytest.TempPathFactory) -> Film:
    folder = tmp_path_factory.mktemp("duel")
    story = folder / "duel.txt"
    story.write_text(FIGHT, encoding="utf-8")
    config = MakeConfig(width=160, height=90)
    return make_film(story, folder / "duel.mp4", config, project=Project.at(folder / "p"))


def test_a_film_without_dialogue_is_not_silent(duel: Film) -> None:
    assert _silence(duel) <= 0.02
    assert loudness(_sound(duel)) == pytest.approx(-16.0, abs=1.0)
    kinds = {event.kind for event in duel.timeline.events}
    assert "thunder" in kinds  # the storm's flashes are heard
    assert kinds & {"sword_clash", "punch", "whoosh"}  # the fight is heard


def test_the_stems_are_kept_and_sum_to_the_mix(duel: Film) -> None:
    assert set(duel.stems) == {"dialogue", "ambience", "foley", "music"}
    tracks = {}
    for name, path in duel.stems.items():
        samples, rate = read_float_wav(path.read_bytes())
        assert rate == FILM_RATE
        tracks[name] = samples
    assert float(np.abs(tracks["dialogue"]).max()) == 0.0  # nobody speaks
    for name in ("ambience", "foley", "music"):
        assert float(np.sqrt(np.mean(tracks[name] ** 2))) > 1e-4, name
    summed = np.sum(list(tracks.values()), axis=0)
    sound = _sound(duel)[: len(summed)]
    # The stems laid together are the film, heard window by window. Not sample by
    # sample: AAC codes noisy bands (rain, the crowd) as noise of the same energy, so
    # the film's waveform is a tenth off the stems' there while its level is not.
    # Leaving out any one stem moves 5 % of the windows by 1.2 dB or more.
    window = FILM_RATE // 10
    n = min(len(summed), len(sound)) // window * window

    def levels(x: np.ndarray) -> np.ndarray:
        power = np.mean(np.square(x[:n], dtype=np.float64).reshape(-1, window), axis=1)
        return np.asarray(10 * np.log10(power + 1e-12))

    apart = np.abs(levels(summed) - levels(sound))
    assert float(np.percentile(apart, 95)) < 0.6, np.percentile(apart, 95)
    assert float(apart.max()) < 2.0, apart.max()


def test_the_example_stories_are_heard_throughout(tmp_path: Path) -> None:
    for name in ("night_market.fountain", "灯笼.fountain"):
        story = STORIES / name
        assert story.is_file(), f"example stories not found at {story.parent}"
        film = make_film(
            story,
            tmp_path / f"{story.stem}.mp4",
            MakeConfig(width=160, height=90),
            project=Project.at(tmp_path / story.stem),
        )
        assert _silence(film) <= 0.02, name


def test_the_sound_world_can_be_left_out(tmp_path: Path) -> None:
    story = tmp_path / "duel.txt"
    story.write_text(FIGHT, encoding="utf-8")
    quiet = MakeConfig(width=160, height=90, effects=False, score=False)
    film = make_film(story, tmp_path / "quiet.mp4", quiet, project=Project.at(tmp_path / "p"))
    assert film.timeline.events == ()
    assert _silence(film) > 0.9  # no dialogue, no world, no score: silence
    assert set(film.stems) == {"dialogue"}
    mute = MakeConfig(width=160, height=90, sound=False)
    film = make_film(story, tmp_path / "mute.mp4", mute, project=Project.at(tmp_path / "p"))
    with av.open(str(film.path)) as container:
        assert not container.streams.audio
        assert container.streams.video
