"""Whole lines through `speak_line` and the voice stage: languages, mixed scripts,
monologues, empty lines, and the same character sounding the same everywhere."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storyreel.errors import VoiceError
from storyreel.model import Character, Setting, Shot, ShotLine, ShotSize, Storyboard
from storyreel.timeline import FILM_RATE
from storyreel.voice import EspeakVoice, Speech, VoiceProfile, speak_line
from storyreel.voice.pieces import MAX_PIECE, language_runs, line_pieces, split_long
from storyreel.voice.stage import LEAD_IN, TAIL, profiles_for, voice_storyboard

ESPEAK = EspeakVoice()
NEUTRAL = VoiceProfile(variant="m3")
# (language, line, fewest and most seconds a plausible reading takes)
LINES = {
    "zh": ("我明天早上去市场买菜。", 1.5, 5.0),
    "yue": ("我哋聽日去街市買餸。", 1.2, 5.0),
    "en": ("We are going to the market tomorrow morning.", 1.5, 5.0),
    "ja": ("明日の朝、市場へ行きます。", 1.2, 5.0),
    "ko": ("내일 아침에 시장에 갑니다.", 1.0, 5.0),
    "es": ("Mañana por la mañana vamos al mercado.", 1.5, 5.0),
}


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def check_timings(speech: Speech, text: str) -> None:
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts)
    for w in speech.words:
        assert 0.0 <= w.start <= w.end <= speech.duration + 1e-9
        assert 0 <= w.char_start < w.char_end <= len(text)
    phonemes = [p.start for p in speech.phonemes]
    assert phonemes == sorted(phonemes)
    assert all(0.0 <= p.start <= p.end <= speech.duration + 1e-9 for p in speech.phonemes)


@pytest.mark.parametrize("lang", sorted(LINES))
def test_each_language_is_spoken_with_timings(lang: str) -> None:
    text, low, high = LINES[lang]
    speech = speak_line(ESPEAK, text, lang, NEUTRAL)
    assert rms(speech.samples) > 0.03  # speech, not silence
    assert low <= speech.duration <= high
    assert len(speech.words) >= 2 and speech.phonemes
    check_timings(speech, text)


def test_unsupported_language_lists_the_supported_ones() -> None:
    with pytest.raises(VoiceError, match="supported languages: en, es, ja, ko, yue, zh"):
        speak_line(ESPEAK, "Bonjour", "fr", NEUTRAL)


@pytest.mark.parametrize("text", ["", "   ", "……", "— !"])
def test_a_line_with_nothing_to_say_is_refused(text: str) -> None:
    with pytest.raises(VoiceError, match="empty"):
        speak_line(ESPEAK, text, "en", NEUTRAL)


def test_mixed_language_line_is_split_by_script() -> None:
    text = "我们去 Starbucks 吧，好不好？"
    runs = language_runs(text, "zh")
    assert [(r.lang, r.text.strip()) for r in runs] == [
        ("zh", "我们去"),
        ("en", "Starbucks"),
        ("zh", "吧，好不好？"),
    ]
    speech = speak_line(ESPEAK, text, "zh", NEUTRAL)
    check_timings(speech, text)
    # The English word is voiced, and timed where it sits in the line.
    word = next(w for w in speech.words if "Starbucks" in w.text)
    assert 0.3 < word.start < speech.duration - 0.5


def test_short_latin_runs_stay_with_their_neighbours() -> None:
    assert [r.lang for r in language_runs("OK，我知道了。", "zh")] == ["zh"]


def test_the_lines_language_decides_runs_in_its_own_script() -> None:
    # A Cantonese line keeps Cantonese even for characters Mandarin also writes, and a
    # Spanish speaker's Latin run stays Spanish.
    assert [r.lang for r in language_runs("你好 amigo", "yue")] == ["yue", "en"]
    assert [r.lang for r in language_runs("¿Vienes? 好的", "es")] == ["es", "zh"]


def test_a_monologue_is_spoken_in_pieces() -> None:
    sentence = "The kite rose over the harbour and the old woman watched it climb. "
    text = (sentence * 40)[:2000]
    pieces = line_pieces(text, "en")
    assert len(pieces) >= 7
    assert all(len(p.text) <= MAX_PIECE for p in pieces)
    # Cut at sentence ends where there are any.
    assert all(p.text.rstrip().endswith(".") for p in pieces[:-1])
    speech = speak_line(ESPEAK, text, "en", NEUTRAL)
    assert speech.duration > 60  # about 350 words
    check_timings(speech, text)
    assert speech.words[-1].char_end > 1900  # the words run to the end of the text


def test_split_long_without_boundaries_still_splits() -> None:
    spans = split_long("x" * 700, 300)
    assert spans == [(0, 300), (300, 600), (600, 700)]


def board_with(*shots: Shot, characters: dict[str, Character] | None = None) -> Storyboard:
    return Storyboard(shots=list(shots), characters=characters or {}, fps=24)


def shot(id_: str, scene: int, *lines: tuple[str, str]) -> Shot:
    return Shot(
        id=id_,
        scene=scene,
        size=ShotSize.medium,
        duration=1.0,
        subjects=[lines[0][0]],
        setting=Setting(location="ROOM"),
        lines=[ShotLine(character=who, text=text, lang="en") for who, text in lines],
    )


def test_same_character_same_voice_in_every_scene() -> None:
    mei = Character(name="MEI", description="a woman in her 20s")
    board = board_with(
        shot("1", 1, ("MEI", "Where is the kite?")),
        shot("2", 2, ("LEO", "On the roof."), ("MEI", "Where is the kite?")),
        characters={"MEI": mei},
    )
    voiced = voice_storyboard(board)
    first, second = voiced.speech[("1", 0)], voiced.speech[("2", 1)]
    assert np.array_equal(first.samples, second.samples)
    assert profiles_for(board)["MEI"] == profiles_for(board)["MEI"]
    assert profiles_for(board)["MEI"] != profiles_for(board)["LEO"]


def test_cast_voice_override_wins() -> None:
    board = board_with(shot("1", 1, ("MEI", "Hello there.")))
    low = VoiceProfile(variant="m1", pitch=10)
    high = VoiceProfile(variant="f2", pitch=90)
    a = voice_storyboard(board.model_copy(deep=True), voices={"MEI": low}).speech[("1", 0)]
    b = voice_storyboard(board.model_copy(deep=True), voices={"MEI": high}).speech[("1", 0)]
    assert not np.array_equal(a.samples[: len(b.samples)], b.samples[: len(a.samples)])
    assert profiles_for(board, {"MEI": low})["MEI"] == low


def test_shots_are_fitted_to_their_speech() -> None:
    board = board_with(shot("1", 1, ("MEI", "One."), ("LEO", "Two, three, four, five, six.")))
    voiced = voice_storyboard(board)
    (s,) = voiced.timeline.shots
    a, b = voiced.timeline.lines
    assert a.offset == pytest.approx(LEAD_IN, abs=1e-3)
    assert b.offset >= a.offset + a.duration
    assert s.frames / 24 >= b.offset + b.duration + TAIL - 1 / 24
    assert a.duration == pytest.approx(voiced.speech[a.key].duration, abs=5e-4)
    assert len(voiced.speech) == 2 and not voiced.warnings


def test_an_unspeakable_line_is_a_warning_not_a_failure() -> None:
    board = board_with(shot("1", 1, ("MEI", "...")), shot("2", 1, ("LEO", "Fine.")))
    voiced = voice_storyboard(board)
    assert list(voiced.speech) == [("2", 0)]
    assert len(voiced.warnings) == 1 and "MEI" in voiced.warnings[0]
    # The silent line has no place on the timeline and no subtitle; its shot still plays.
    assert [line.key for line in voiced.timeline.lines] == [("2", 0)]
    assert [cue.key for cue in voiced.timeline.cues] == [("2", 0)]
    assert voiced.timeline.shot("1").frames == round(board.shots[0].duration * 24)


def test_a_cached_line_is_the_line_spoken_again(tmp_path: Path) -> None:
    from storyreel.project import Project
    from storyreel.run.cache import VoiceCache

    cache = VoiceCache(Project.at(tmp_path))
    board = board_with(shot("1", 1, ("MEI", "Where is the kite?"), ("LEO", "On the roof.")))
    fresh = voice_storyboard(board.model_copy(deep=True), cache=cache)
    assert fresh.cached == 0
    again_board = board.model_copy(deep=True)
    again = voice_storyboard(again_board, cache=cache)
    assert again.cached == 2
    for key, speech in fresh.speech.items():
        back = again.speech[key]
        assert np.array_equal(back.samples, speech.samples) and back.sample_rate == FILM_RATE
        assert back.words == speech.words and back.phonemes == speech.phonemes
        assert back.phonemes  # espeak's phonemes drive the mouths; they are kept too
    # Another voice for MEI is another line to speak; LEO's is still at hand.
    other = voice_storyboard(
        board.model_copy(deep=True), cache=cache, voices={"MEI": VoiceProfile(variant="f2")}
    )
    assert other.cached == 1
    assert not np.array_equal(other.speech[("1", 0)].samples, fresh.speech[("1", 0)].samples)


def test_a_lines_key_reads_the_server_the_model_and_the_clip(tmp_path: Path) -> None:
    from storyreel.voice.http import HttpVoice, HttpVoiceOptions
    from storyreel.voice.stage import line_key

    clip = tmp_path / "mei.wav"
    clip.write_bytes(b"RIFF one take")
    server = "http://127.0.0.1:1/v1"  # never called: keys only read the engine's settings
    cloned = VoiceProfile(reference=str(clip), reference_text="Hello.")
    keys = {
        line_key(engine, "Hello.", "en", profile)
        for engine in (
            HttpVoice(HttpVoiceOptions(url=server)),
            HttpVoice(HttpVoiceOptions(url=server, model="tts-2")),
        )
        for profile in (NEUTRAL, cloned)
    }
    keys.add(line_key(ESPEAK, "Hello.", "en", NEUTRAL))
    assert len(keys) == 5
    before = line_key(ESPEAK, "Hello.", "en", cloned)
    clip.write_bytes(b"RIFF another take")  # the same file name, another voice
    assert line_key(ESPEAK, "Hello.", "en", cloned) != before


def test_the_voice_stage_leaves_the_storyboard_as_it_was_given() -> None:
    board = board_with(
        shot("1", 1, ("MEI", "Where is the kite?"), ("LEO", "On the roof, where the wind is.")),
        shot("2", 1, ("MEI", "...")),
        shot("3", 2, ("LEO", "Fine.")),
    )
    before = board.model_dump(mode="json")
    voiced = voice_storyboard(board)
    assert board.model_dump(mode="json") == before
    timeline = voiced.timeline
    # Shot 1 had to grow to hold its two lines, and the storyboard still says 1.0 s.
    assert timeline.shot("1").frames > 24 and board.shots[0].duration == 1.0
    assert timeline.filmed(board).shots[0].duration == timeline.shot("1").frames / 24
    assert board.model_dump(mode="json") == before


def test_the_timeline_tiles_the_film_and_holds_each_line_in_its_shot() -> None:
    board = board_with(
        shot("1", 1, ("MEI", "Where is the kite?")),
        shot("2", 1, ("LEO", "On the roof."), ("MEI", "Then we climb, right now, tonight.")),
        shot("3", 2, ("LEO", "Fine.")),
    )
    timeline = voice_storyboard(board).timeline
    assert [s.shot_id for s in timeline.shots] == ["1", "2", "3"]
    assert sum(s.frames for s in timeline.shots) == timeline.frames
    assert timeline.duration == timeline.frames / 24
    for before, after in zip(timeline.shots, timeline.shots[1:], strict=False):
        assert after.start == before.end
    assert len(timeline.lines) == 4
    for line in timeline.lines:
        home = timeline.shot(line.shot_id)
        assert line.shot_start == home.start
        start = timeline.line_start(line)
        assert home.start / 24 <= start < start + line.duration <= home.end / 24
    # One cue per short line, on the film's clock, and a transition at every shot change.
    assert [c.start for c in timeline.cues] == [timeline.line_start(x) for x in timeline.lines]
    assert [t.frame for t in timeline.transitions] == [s.start for s in timeline.shots[1:]]
    assert timeline.events == ()


def test_a_timeline_with_a_line_outside_its_shot_is_refused() -> None:
    from pydantic import ValidationError

    from storyreel.timeline import LineTime, ShotTime, Timeline

    shots = (ShotTime(shot_id="1", start=0, frames=24),)
    line = LineTime(
        shot_id="1", index=0, character="MEI", text="Hi.", lang="en",
        shot_start=0, offset_ms=800, duration_ms=300,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="after its shot's 24 frames"):
        Timeline(fps=24, shots=shots, lines=(line,))
    with pytest.raises(ValidationError, match="not 0"):
        Timeline(fps=24, shots=(ShotTime(shot_id="1", start=3, frames=24),))
    assert Timeline(fps=24, shots=shots, lines=(line.model_copy(update={"offset_ms": 700}),))
