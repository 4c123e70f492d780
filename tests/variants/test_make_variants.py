"""A matrix made in one project: the takes a language does not change are rendered
once, and the manifest says what each film is and cost."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import pytest
from tests.variants.support import write_brief

from storyreel import make as make_module
from storyreel.config import MakeConfig
from storyreel.model import Setting, Shot, ShotLine, ShotSize
from storyreel.project import Project
from storyreel.render.engine import RenderRequest
from storyreel.run.executors import LocalExecutor
from storyreel.run.jobs import render_key
from storyreel.variants import run as variants_run
from storyreel.variants.manifest import CSV_COLUMNS, read_manifest
from storyreel.variants.matrix import VariantMatrix
from storyreel.variants.run import make_variants

TINY = MakeConfig(width=160, height=90, fps=8, voice="espeak", picture="clean", workers=2)


def test_a_second_language_renders_only_the_shots_that_show_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brief = write_brief(tmp_path)
    matrix = VariantMatrix.parse("en,zh", "16:9", "15")
    folder = tmp_path / "out"
    made: list[LocalExecutor] = []

    def one_executor(kind: str, **options: Any) -> LocalExecutor:
        made.append(LocalExecutor(options["workers"]))
        return made[-1]

    def none_of_its_own(kind: str, **options: Any) -> LocalExecutor:
        raise AssertionError("a make of the matrix started an executor of its own")

    # Every make of the matrix renders on the one executor the matrix starts.
    monkeypatch.setattr(variants_run, "executor_for", one_executor)
    monkeypatch.setattr(make_module, "executor_for", none_of_its_own)
    manifest = make_variants(brief, folder, matrix, TINY, project=Project.at(None, brief))
    assert len(made) == 1 and made[0].workers == 2
    en, zh = manifest.films
    assert (en.variant, zh.variant) == ("en.16x9.15s", "zh.16x9.15s")
    assert en.takes_rendered == en.shots and en.takes_reused == 0
    # The card shows its words and the voice-over's shot may be longer in Chinese; every
    # other shot is the English film's take.
    assert zh.shots == en.shots
    assert zh.takes_rendered <= 2
    assert zh.takes_reused == zh.shots - zh.takes_rendered
    assert zh.takes_reused >= zh.shots - 2
    for row in (en, zh):
        film = folder / row.file
        assert film.name == f"spring_tea.{row.variant}.mp4"
        assert row.sha256 == hashlib.sha256(film.read_bytes()).hexdigest()
        with av.open(str(film)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == (160, 90)
        # The target length, within the planner's ±10 % (a longer line may stretch a shot).
        assert 13.5 <= row.duration <= 17.0
        assert row.qa_passed > 0 and row.qa_failed == len(row.failing_shots) == 0
    # The Chinese film's subtitles are Chinese.
    srt = (folder / "spring_tea.zh.16x9.15s.srt").read_text(encoding="utf-8")
    assert "春天" in srt and "Spring" not in srt


def test_the_manifest_is_json_and_csv_with_its_columns(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    matrix = VariantMatrix.parse("ja", "9:16", "8", ["Buy now [ja: 今すぐ購入]"])
    folder = tmp_path / "out"
    make_variants(brief, folder, matrix, TINY, project=Project.at(None, brief))
    manifest = read_manifest(folder)
    assert manifest is not None and [r.variant for r in manifest.films] == ["ja.9x16.8s"]
    data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert data["films"][0]["cta"] == "Buy now [ja: 今すぐ購入]"
    with (folder / "manifest.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert rows[0] == CSV_COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["language"], row["aspect"], row["length"]) == ("ja", "9:16", "8")
    assert float(row["duration"]) > 0 and int(row["shots"]) >= 3
    with av.open(str(folder / row["file"])) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (90, 160)
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def _request(text: str, lang: str, picture: str, speaker: str = "VOICEOVER") -> RenderRequest:
    shot = Shot(
        id="1",
        scene=1,
        size=ShotSize.medium,
        duration=2.0,
        subjects=["MEI"],
        setting=Setting(location="balcony"),
        lines=[ShotLine(character=speaker, text=text, lang=lang)],
    )
    return RenderRequest(shot=shot, cast=[], width=160, height=90, fps=8, out_path=Path("x"))


def test_a_voice_overs_words_are_no_part_of_a_clean_pictures_key() -> None:
    def key(request: RenderRequest) -> str:
        return render_key(request, "previs", "1")

    en, zh = _request("Spring.", "en", "clean"), _request("春天。", "zh", "clean")
    assert key(replace(en, picture="clean")) == key(replace(zh, picture="clean"))
    # The caption band of an annotated picture shows the words.
    assert key(replace(en, picture="annotated")) != key(replace(zh, picture="annotated"))
    # An on-screen speaker's mouth follows the words.
    mei_en, mei_zh = _request("Hi.", "en", "clean", "MEI"), _request("嗨。", "zh", "clean", "MEI")
    assert key(mei_en) != key(mei_zh)


def _storyreel(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "storyreel.launch", *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
        env={**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")},
    )


def test_the_command_makes_the_matrix(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    small = ["--size", "160x90", "--fps", "8", "--voice-engine", "espeak"]
    result = _storyreel(
        "variants", str(brief), "--languages", "zh", "--aspect", "16:9,9:16", "--length", "8",
        *small, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "spring_tea.variants"
    assert sorted(p.name for p in folder.glob("*.mp4")) == [
        "spring_tea.zh.16x9.8s.mp4",
        "spring_tea.zh.9x16.8s.mp4",
    ]
    assert "manifest.csv" in result.stdout
    assert (folder / "manifest.json").is_file()


def test_the_command_names_the_first_untranslated_line(tmp_path: Path) -> None:
    brief = write_brief(tmp_path)
    result = _storyreel("variants", str(brief), "--languages", "en,fr", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert f"{brief}:5: the line 'Spring, in every cup.' has no fr translation" in lines[0]
    assert "add [fr: ...] after it" in lines[0]  # the fix, shown as written (not as markup)
    assert not (tmp_path / "spring_tea.variants").exists()


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [bytes(p) for p in container.demux(stream) if p.dts is not None]


@pytest.fixture
def films(monkeypatch: pytest.MonkeyPatch) -> dict[str, make_module.Film]:
    """Every film a matrix makes in the test, by its file's name, in the order made."""
    made: dict[str, make_module.Film] = {}
    make_film = variants_run.make_film

    def kept(*args: Any, **options: Any) -> make_module.Film:
        film = make_film(*args, **options)
        made[film.path.name] = film
        return film

    monkeypatch.setattr(variants_run, "make_film", kept)
    return made


def test_a_shorter_length_is_cut_down_from_the_longest(
    tmp_path: Path, films: dict[str, make_module.Film]
) -> None:
    brief = write_brief(tmp_path)
    matrix = VariantMatrix.parse("en", "16:9", "8,15")
    folder = tmp_path / "out"
    project = Project.at(None, brief)
    manifest = make_variants(brief, folder, matrix, TINY, project=project)
    # Listed in the matrix's order, made longest first.
    assert [r.variant for r in manifest.films] == ["en.16x9.8s", "en.16x9.15s"]
    assert list(films) == ["spring_tea.en.16x9.15s.mp4", "spring_tea.en.16x9.8s.mp4"]
    short_row, long_row = manifest.films
    assert long_row.takes_rendered == long_row.shots
    # The shorter film renders nothing: the same shots, each take cut from the longer one's.
    assert short_row.takes_rendered == 0 and short_row.takes_reused == short_row.shots
    assert short_row.shots == long_row.shots
    short, longer = films["spring_tea.en.16x9.8s.mp4"], films["spring_tea.en.16x9.15s.mp4"]
    assert short.renders is not None and longer.renders is not None
    assert [s.id for s in short.storyboard.shots] == [s.id for s in longer.storyboard.shots]
    assert short.renders.trimmed == longer.take_keys
    for shot_id, take in short.renders.takes.items():
        whole = longer.renders.takes[shot_id]
        assert take.frames == short.timeline.shot(shot_id).frames <= whole.frames
        assert _packets(take.path) == _packets(whole.path)[: take.frames]
    # Each line is heard whole in its shorter shot (the timeline checks it), and the
    # film is the target length within the planner's tolerance, every frame decoding.
    assert len(short.timeline.lines) == len(longer.timeline.lines) > 0
    assert 0.9 * 8 <= short.duration <= 1.1 * 8
    with av.open(str(short.path)) as container:
        assert sum(1 for _ in container.decode(video=0)) == short.frames
    assert abs(short_row.duration - short.duration) < 0.2
    # The cutdown's checks are its takes' (the longer ones', restricted to its frames).
    assert short_row.qa_passed > 0 and short_row.qa_failed == 0


def test_an_off_screen_speakers_mouth_is_no_part_of_a_clean_pictures_key() -> None:
    def key(request: RenderRequest) -> str:
        return render_key(request, "previs", "1")

    en, zh = _request("Spring.", "en", "clean"), _request("春天。", "zh", "clean")
    en = replace(en, picture="clean", mouths={"VOICEOVER": [0.0, 0.5, 0.2]})
    zh = replace(zh, picture="clean", mouths={"VOICEOVER": [0.0, 0.9, 0.9]})
    assert key(en) == key(zh)
    # An on-screen speaker's mouth is drawn: it keys the take.
    mei = replace(_request("Hi.", "en", "clean", "MEI"), picture="clean")
    assert key(replace(mei, mouths={"MEI": [0.1]})) != key(replace(mei, mouths={"MEI": [0.9]}))


def test_the_languages_share_one_picture_cut(
    tmp_path: Path, films: dict[str, make_module.Film]
) -> None:
    brief = write_brief(tmp_path)
    matrix = VariantMatrix.parse("en,zh", "16:9", "10")
    make_variants(brief, tmp_path / "out", matrix, TINY, project=Project.at(None, brief))
    en, zh = films["spring_tea.en.16x9.10s.mp4"], films["spring_tea.zh.16x9.10s.mp4"]
    # Every shot lasts as long in both: the voice-over's as long as its longer language
    # needs, and each line is heard whole in it (the timeline checks it).
    assert en.timeline.shot_frames() == zh.timeline.shot_frames()
    assert zh.renders is not None and en.renders is not None
    # So the Chinese film renders only the card that shows its words.
    cards = [s.id for s in zh.storyboard.shots if s.card is not None]
    assert zh.renders.rendered == cards and len(cards) == 1
    assert all(zh.renders.takes[s] == en.renders.takes[s] for s in zh.renders.cached)
