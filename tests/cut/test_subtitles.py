"""Subtitle files parse back (pysubs2) with the right cues; long lines split at word
boundaries by their timings; bilingual cues; subtitles burned into the picture."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import av
import numpy as np
import pysubs2
import pytest

from storyreel.cut.audio import mix
from storyreel.cut.film import cut_film
from storyreel.cut.subtitles import to_ass, to_srt, to_vtt
from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.model import Setting, Shot, ShotSize, Storyboard
from storyreel.render.engine import Take
from storyreel.timeline import (
    MAX_CJK,
    MAX_LATIN,
    Cue,
    LineTime,
    ShotTime,
    Timeline,
    lay_out,
    split_cue,
)
from storyreel.voice import EspeakVoice, VoiceProfile, speak_line

CUES = [
    Cue(0.35, 2.1, "Hello.", "LEO", "en"),
    Cue(2.5, 4.0, "风不吃风筝。", "NAINAI", "zh", translation="The wind does not eat kites."),
    Cue(3661.5, 3662.25, "A <b> & c", "LEO", "en"),
]


@pytest.mark.parametrize(("render", "fmt"), [(to_srt, "srt"), (to_vtt, "vtt")])
def test_srt_and_vtt_parse_back(render: object, fmt: str) -> None:
    text = render(CUES)  # type: ignore[operator]
    subs = pysubs2.SSAFile.from_string(text, format_=fmt)
    assert len(subs) == len(CUES)
    for event, cue in zip(subs, CUES, strict=True):
        assert event.start == round(cue.start * 1000)
        assert event.end == round(cue.end * 1000)
    assert subs[1].plaintext == "风不吃风筝。\nThe wind does not eat kites."


def test_vtt_escapes_what_it_reserves() -> None:
    text = to_vtt(CUES)
    assert text.startswith("WEBVTT\n")
    assert "A &lt;b&gt; &amp; c" in text


def test_ass_parses_back_with_styles_and_cjk_font() -> None:
    text = to_ass(CUES, 1280, 720, "en")
    subs = pysubs2.SSAFile.from_string(text, format_="ass")
    assert len(subs) == len(CUES)
    assert subs.info["PlayResX"] == "1280" and subs.info["PlayResY"] == "720"
    assert subs.styles["Default"].fontname.startswith("Noto Sans CJK")
    assert "Translation" in subs.styles
    for event, cue in zip(subs, CUES, strict=True):
        # ASS keeps centiseconds.
        assert abs(event.start - cue.start * 1000) <= 5 and abs(event.end - cue.end * 1000) <= 5
        assert event.name == cue.character
    assert subs[1].plaintext.split("\n") == ["风不吃风筝。", "The wind does not eat kites."]
    # A line in another CJK language than the film's gets that language's face.
    japanese = to_ass([Cue(0, 1, "こんにちは", "MEI", "ja")], 1280, 720, "zh")
    assert "{\\fnNoto Sans CJK JP}こんにちは" in japanese
    assert "{\\fn" not in to_ass(CUES[1:2], 1280, 720, "zh")


def test_long_lines_split_at_word_boundaries() -> None:
    text = (
        "When I was small, my mother tied a kite to the railing of this very roof, "
        "and it stayed up all night while we slept."
    )
    speech = speak_line(EspeakVoice(), text, "en", VoiceProfile())
    # The line opens shot 1, ten seconds into the film: the timeline cuts its cues.
    frames = round((speech.duration + 1) * 24)
    board = Storyboard(
        shots=[
            Shot(id=i, scene=1, size=ShotSize.medium, duration=10, setting=Setting(location="R"))
            for i in ("0", "1")
        ]
    )
    shots = [
        ShotTime(shot_id="0", start=0, frames=240),
        ShotTime(shot_id="1", start=240, frames=frames),
    ]
    line = LineTime(
        shot_id="1", index=0, character="NAINAI", text=text, lang="en", shot_start=240,
        offset_ms=0, duration_ms=round(speech.duration * 1000), words=tuple(speech.words),
    )  # fmt: skip
    pieces = list(lay_out(board, shots, [line]).cues)
    cue = Cue(10.0, 10.0 + line.duration, text, "NAINAI", "en", key=("1", 0))
    assert {p.key for p in pieces} == {cue.key}
    assert len(pieces) >= 3
    assert " ".join(p.text for p in pieces) == text  # nothing lost, nothing doubled
    assert all(len(p.text) <= MAX_LATIN for p in pieces)
    words = set(text.replace(",", "").replace(".", "").split())
    for piece in pieces:  # every cut falls between two words
        assert piece.text.split()[0].strip(",.") in words
    assert pieces[0].start == cue.start and pieces[-1].end == cue.end
    for a, b in pairwise(pieces):
        assert a.end == b.start and a.start < a.end
    # Each piece starts when its first word is heard.
    first = next(w for w in speech.words if w.text == pieces[1].text.split()[0])
    assert pieces[1].start == pytest.approx(cue.start + first.start)


def test_cjk_lines_split_with_their_translation() -> None:
    text = "风不吃风筝。风只是把它举高，让它看得更远一点，看见整个城市的屋顶。"
    speech = speak_line(EspeakVoice(), text, "zh", VoiceProfile())
    translation = "The wind does not eat kites. It only lifts them up so they can see further."
    cue = Cue(0.0, speech.duration, text, "NAINAI", "zh", translation=translation)
    pieces = split_cue(cue, speech.words)
    assert len(pieces) >= 2
    assert "".join(p.text for p in pieces) == text
    assert all(len(p.text) <= MAX_CJK for p in pieces)
    assert all(p.translation for p in pieces)
    assert " ".join(p.translation or "" for p in pieces) == translation


def test_short_lines_stay_whole() -> None:
    assert split_cue(CUES[0], []) == [CUES[0]]


def test_burned_subtitles_are_drawn_only_while_their_cue_shows(tmp_path: Path) -> None:
    settings = VideoSettings(width=320, height=180, fps=24)
    grey = np.full((180, 320, 3), 90, np.uint8)
    path = tmp_path / "t.mp4"
    with VideoWriter(path, settings) as writer:
        for _ in range(48):
            writer.write(grey)
    take = Take(shot_id="1", path=path, frames=48, fps=24, width=320, height=180, engine="t")
    out = tmp_path / "film.mp4"
    cue = Cue(0.5, 1.5, "你好 hello", "MEI", "zh", translation="hi")
    timeline = Timeline(fps=24, shots=(ShotTime(shot_id="1", start=0, frames=48),), cues=(cue,))
    cut_film([take], timeline, mix([], 48, 24), out, settings, burn=True)
    with av.open(str(out)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 48

    def inked(frame: np.ndarray) -> int:
        return int((np.abs(frame.astype(int) - 90).max(axis=2) > 60).sum())

    assert inked(frames[5]) < 20  # 0.21 s: before the cue
    assert inked(frames[24]) > 150  # 1.0 s: text drawn
    assert inked(frames[40]) < 20  # 1.67 s: after it
