"""The Kokoro voice: the model joined from its packages, real speech in zh and en, each
character's voice in its expected pitch range, routing, missing pieces and the voice
stage run in parallel. One model session serves the whole module (loading takes about
a second); sentences are short to keep it quick."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from storyreel.cast.voiceprint import measure_voice
from storyreel.errors import VoiceError
from storyreel.model import Character, Setting, Shot, ShotLine, ShotSize, Storyboard
from storyreel.voice import VoiceProfile, voice_for
from storyreel.voice.auto import AutoVoice
from storyreel.voice.casting import cast_characters
from storyreel.voice.espeak import EspeakVoice
from storyreel.voice.g2p import MAX_TOKENS, chunks, phonemize, tokens
from storyreel.voice.kokoro import (
    MODEL_SHA256,
    KokoroOptions,
    KokoroVoice,
    model_bytes,
    voices_folder,
)
from storyreel.voice.kokoro_voices import ORDER, choose, palette, parse_speaker
from storyreel.voice.stage import voice_storyboard


@pytest.fixture(scope="module")
def kokoro() -> KokoroVoice:
    return KokoroVoice()


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_the_model_joined_from_its_four_packages_is_the_pinned_file() -> None:
    model = model_bytes()
    assert len(model) == 92_361_271
    assert hashlib.sha256(model).hexdigest() == MODEL_SHA256


@pytest.mark.parametrize(
    ("lang", "text", "low", "high"),
    [
        ("zh", "我明天早上去市场买菜。", 1.2, 4.5),
        ("en", "We are going to the market tomorrow.", 1.2, 4.5),
    ],
)
def test_a_short_line_is_speech_of_a_plausible_length(
    kokoro: KokoroVoice, lang: str, text: str, low: float, high: float
) -> None:
    speech = kokoro.synthesize(text, lang, VoiceProfile(variant="f1", gender="female"))
    assert speech.sample_rate == 24_000
    assert rms(speech.samples) > 0.02  # speech, not silence
    assert low <= speech.duration <= high
    # Word timings for subtitles and mouths: every word, in order, inside the clip.
    assert len(speech.words) >= 4
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts) and speech.words[-1].end <= speech.duration + 1e-9
    assert "".join(w.text for w in speech.words if w.text.isalpha() or lang == "zh")


# Characters as the stories describe them; casting reads the pronouns.
FEMALE = [
    Character(name="ANNA", description="she runs the tea stall, 30s"),
    Character(name="JUNE", description="she is a young painter"),
    Character(name="小梅", description="她是卖灯笼的姑娘"),
]
MALE = [
    Character(name="TOM", description="he is a fisherman in his 40s"),
    Character(name="KENJI", description="he carries a bamboo sword"),
]
SENTENCES = {"zh": "今天晚上的灯笼特别亮。", "en": "The lanterns are bright tonight."}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_women_sound_female_and_men_male(kokoro: KokoroVoice, lang: str) -> None:
    for character in FEMALE + MALE:
        speech = kokoro.synthesize(SENTENCES[lang], lang, voice_for(character))
        measured = measure_voice(speech.samples, speech.sample_rate)
        assert measured is not None
        if character in FEMALE:
            assert measured.pitch_hz >= 165, (character.name, measured.pitch_hz)
        else:
            assert measured.pitch_hz <= 150, (character.name, measured.pitch_hz)


def test_distinct_characters_get_distinct_voices_and_keep_them(kokoro: KokoroVoice) -> None:
    names = kokoro.voices
    for lang, gender in ORDER:
        letter = gender[0]
        variants = [f"{letter}{i}" for i in range(1, 6 if letter == "f" else 8)]
        for pitch in (45, 55):
            chosen = [
                choose(lang, VoiceProfile(variant=v, gender=gender, pitch=pitch), names).mix
                for v in variants
            ]
            # Every variant is its own voice: the palette blends voices where the pack
            # has too few (es has one woman, zh four).
            assert len(set(chosen)) == len(chosen), (lang, gender)
        if len(palette(lang, gender, names)) >= 2 * len(variants):
            # Where the palette has room, the side of the pitch makes another voice.
            both = {
                choose(lang, VoiceProfile(variant=v, gender=gender, pitch=p), names).mix
                for v in variants
                for p in (45, 55)
            }
            assert len(both) == 2 * len(variants), (lang, gender)
    cast = cast_characters(FEMALE + MALE)
    for lang in ("zh", "en"):
        voices = [kokoro.choice(lang, cast[c.name]).mix for c in FEMALE + MALE]
        assert len(set(voices)) == len(voices)
        again = cast_characters(FEMALE + MALE)
        assert [kokoro.choice(lang, again[c.name]).mix for c in FEMALE + MALE] == voices


def test_a_blend_of_two_voices_lies_between_them(kokoro: KokoroVoice) -> None:
    from storyreel.voice.kokoro import blended_style

    folder = voices_folder()
    a = blended_style(folder, (("zf_xiaobei", 1.0),))
    b = blended_style(folder, (("zf_xiaoni", 1.0),))
    mixed = blended_style(folder, parse_speaker("zf_xiaobei:0.7+zf_xiaoni:0.3", kokoro.voices))
    assert np.allclose(mixed, 0.7 * a + 0.3 * b, atol=1e-5)
    assert len(palette("zh", "female", kokoro.voices)) > 4


def test_a_speaker_names_a_voice_or_a_blend(kokoro: KokoroVoice) -> None:
    profile = VoiceProfile(speaker="zf_xiaobei:3+zf_xiaoni:1", rate=198)
    choice = kokoro.choice("zh", profile)
    assert choice.mix == (("zf_xiaobei", 0.75), ("zf_xiaoni", 0.25))
    assert choice.speed == pytest.approx(1.2)
    assert kokoro.choice("en", VoiceProfile(speaker="bf_emma")).accent == "gb"
    with pytest.raises(VoiceError, match="no voice 'nova'"):
        kokoro.choice("en", VoiceProfile(speaker="nova"))
    with pytest.raises(VoiceError, match="cannot read the speaker"):
        kokoro.choice("en", VoiceProfile(speaker="af_heart*2"))


def test_elderly_and_children_get_their_own_voices(kokoro: KokoroVoice) -> None:
    grandpa = kokoro.choice("zh", voice_for(Character(name="老王", description="白发老人，他")))
    assert grandpa.mix[0][0] in ("zm_yunyang", "zm_yunjian") and grandpa.speed < 1.0
    child = kokoro.choice("en", voice_for(Character(name="LILY", description="a little girl")))
    assert child.mix[0][0] in ("af_jessica", "af_heart")
    boy = kokoro.choice("zh", voice_for(Character(name="小虎", description="八岁的小男孩")))
    assert boy.mix == (("zm_yunxia", 1.0),)


def test_a_recorded_voice_speaks_with_the_nearest_voice(kokoro: KokoroVoice) -> None:
    # A digital actor's profile (cast/voiceprint.py): the pitch is on espeak-ng's scale,
    # pitch 20 of m3 about 84 Hz, pitch 50 of f3 about 205 Hz.
    deep = VoiceProfile(variant="m3", gender="male", pitch=20, reference="actor.wav")
    assert kokoro.choice("en", deep).mix == (("am_onyx", 1.0),)
    assert kokoro.choice("zh", deep).mix == (("zm_yunjian", 1.0),)
    bright = VoiceProfile(variant="f3", gender="female", pitch=50, reference="actor.wav")
    assert kokoro.choice("en", bright).mix == (("af_jessica", 1.0),)
    high = bright.model_copy(update={"pitch": 90})
    assert kokoro.choice("zh", high).mix == (("zf_xiaoyi", 1.0),)


def test_missing_voices_name_the_folder_and_the_command(tmp_path: Path) -> None:
    absent = tmp_path / "no-voices"
    with pytest.raises(VoiceError) as error:
        KokoroVoice(KokoroOptions(voices_dir=absent))
    assert str(absent) in str(error.value) and "make .venv/.runtime" in str(error.value)


def test_a_voice_file_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zf_xiaobei.bin").write_bytes(b"\0" * 1000)
    engine = KokoroVoice(KokoroOptions(voices_dir=tmp_path))
    with pytest.raises(VoiceError, match="holds 1000 bytes"):
        engine.synthesize("你好。", "zh", VoiceProfile(speaker="zf_xiaobei"))


def test_mandarin_and_known_english_words_need_no_espeak(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import storyreel.voice.g2p as g2p

    def refuse(text: str, lang: str) -> str:
        raise AssertionError(f"espeak-ng was asked for {text!r}")

    monkeypatch.setattr(g2p, "ipa", refuse)
    assert "↓" in phonemize("我买了灯笼。", "zh") or "↘" in phonemize("我买了灯笼。", "zh")
    assert phonemize("The lantern is ready.", "en") == "ðə lˈæntəɹn ɪz ɹˈɛdi."
    assert phonemize("Mr. Lee, an apple.", "en") == "mˈɪstəɹ lˈi, ɐn ˈæpᵊl."


def test_words_outside_the_lexicon_are_read_by_espeak() -> None:
    read = phonemize("Zxqvort", "en")
    assert read and all(ch in " ˈˌ" or tokens(ch) for ch in read)


def test_long_phonemes_are_cut_under_the_models_limit() -> None:
    text = ("ðə lˈæntəɹn ɪz ɹˈɛdi, " * 60).strip()
    parts = chunks(text)
    assert len(parts) > 1 and all(len(p) <= MAX_TOKENS for p in parts)
    assert all(p.endswith(",") for p in parts[:-1])  # cut at a clause mark


def test_cantonese_and_korean_go_to_espeak(kokoro: KokoroVoice) -> None:
    auto = AutoVoice()
    assert auto.kokoro is not None
    for lang in ("yue", "ko"):
        assert isinstance(auto.engine_for(lang), EspeakVoice)
    for lang in ("zh", "en", "ja", "es"):
        assert auto.engine_for(lang) is auto.kokoro
    line = "내일 시장에 갑니다."
    profile = VoiceProfile(variant="f2", gender="female")
    routed = auto.synthesize(line, "ko", profile)
    assert np.array_equal(routed.samples, EspeakVoice().synthesize(line, "ko", profile).samples)


def test_without_kokoro_everything_goes_to_espeak(tmp_path: Path) -> None:
    auto = AutoVoice(kokoro=KokoroOptions(voices_dir=tmp_path / "none"))
    assert auto.kokoro is None and auto.absent and "none" in auto.absent
    assert isinstance(auto.engine_for("zh"), EspeakVoice)
    assert not auto.concurrent


def test_parallel_voicing_is_the_sequential_voicing() -> None:
    def shot(id_: str, *lines: tuple[str, str, str]) -> Shot:
        return Shot(
            id=id_,
            scene=1,
            size=ShotSize.medium,
            duration=1.0,
            subjects=[lines[0][0]],
            setting=Setting(location="ROOM"),
            lines=[ShotLine(character=c, text=t, lang=lang) for c, t, lang in lines],
        )

    board = Storyboard(
        shots=[
            shot("1", ("MEI", "我来了。", "zh"), ("TOM", "Good.", "en")),
            shot("2", ("ANNA", "Bonjour.", "fr"), ("MINJI", "네.", "ko")),
            shot("3", ("MEI", "走吧。", "zh")),
        ],
        characters={},
        fps=24,
    )
    engine = AutoVoice()
    runs = []
    for workers in (1, 2):
        calls: list[tuple[int, int, str]] = []
        voiced = voice_storyboard(
            board,
            engine=engine,
            workers=workers,
            on_line=lambda done, total, who, calls=calls: calls.append((done, total, who)),
        )
        runs.append((voiced, calls))
    (one, one_calls), (two, two_calls) = runs
    assert one.timeline == two.timeline
    assert one.warnings == two.warnings and len(one.warnings) == 1  # French is not spoken
    assert one_calls == two_calls == [(i, 5, who) for i, who in enumerate(
        ["MEI", "TOM", "ANNA", "MINJI", "MEI"], start=1)]  # fmt: skip
    for key, speech in one.speech.items():
        assert np.array_equal(speech.samples, two.speech[key].samples)


def test_the_voices_command_lists_engines_voices_and_the_cast(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    story = tmp_path / "tea.fountain"
    story.write_text(
        "INT. TEA HOUSE - NIGHT\n\n"
        "ANNA (30s, she pours the tea) waits. TOM (he is late) runs in.\n\n"
        "ANNA\nYou are late again.\n\nTOM\nThe rain, Anna.\n\n"
        "MINJI [lang=ko]\n안녕하세요.\n",
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "storyreel.launch", "voices", str(story), "--json"]
    command += ["--project", str(tmp_path / "project")]
    # The launcher's up-to-date stamps go to the test's folder, not the user's.
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    engines = {engine["name"]: engine for engine in listed["engines"]}
    assert engines["kokoro"]["installed"]
    assert engines["kokoro"]["voices"]["zh"]["female"] == [
        "zf_xiaobei", "zf_xiaoni", "zf_xiaoxiao", "zf_xiaoyi"
    ]  # fmt: skip
    assert "f1" in engines["espeak"]["voices"]["variants"]
    cast = {row["character"]: row for row in listed["characters"]}
    assert cast["ANNA"]["voices"]["en"].startswith("kokoro af_")
    assert cast["TOM"]["voices"]["en"].startswith("kokoro am_")
    assert cast["MINJI"]["voices"]["ko"].startswith("espeak ")
