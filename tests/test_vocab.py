"""The world's vocabularies: the bundled ones, a user's extensions and the errors a bad
file gets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import get_args

import pytest

from storyreel.vocab import (
    VocabularyError,
    load_vocabulary,
    project_vocabulary_files,
)
from storyreel.world import WeatherKind


def test_bundled_sizes_and_bilingual_words() -> None:
    vocabulary = load_vocabulary()
    assert len(vocabulary.settings) >= 40
    assert len(vocabulary.props) >= 120
    assert len(vocabulary.actions) >= 15
    assert set(vocabulary.weather) == set(get_args(WeatherKind))
    for table in (vocabulary.settings, vocabulary.props, vocabulary.actions, vocabulary.weather):
        for key, entry in table.items():
            assert entry.en and entry.zh, f"{key} needs English and Chinese words"
    families = {p.family for p in vocabulary.props.values()}
    assert {"light", "weapon", "vessel", "paper", "furniture", "vehicle", "animal"} <= families
    for kind in ("street", "night_market", "bamboo_forest", "train_carriage", "temple", "cave"):
        assert kind in vocabulary.settings
    for kind in ("lantern", "sword", "cup", "tin", "map", "ticket", "kite", "cat", "horse"):
        assert kind in vocabulary.props
    for kind in ("stand", "walk", "run", "sit", "kneel", "lie", "fight", "point", "hold"):
        assert kind in vocabulary.actions
    for kind in ("give", "hug", "fall", "jump", "look", "laugh", "cry", "eat", "drink", "open"):
        assert kind in vocabulary.actions
    assert vocabulary.props["lantern"].held and not vocabulary.props["table"].held
    assert vocabulary.settings["train_carriage"].interior == "int"
    assert vocabulary.settings["station"].crowd


def test_loaded_once_and_again_when_a_file_changes(tmp_path: Path) -> None:
    assert load_vocabulary() is load_vocabulary()
    props = tmp_path / "props.yaml"
    props.write_text("drone_cam: {family: device, size: 0.3, held: false, en: [drone camera]}\n")
    first = load_vocabulary([props])
    assert load_vocabulary([props]) is first
    props.write_text("drone_cam: {family: device, size: 0.5, held: false, en: [drone camera]}\n")
    stat = props.stat()
    os.utime(props, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert load_vocabulary([props]).props["drone_cam"].size == 0.5


def test_user_file_adds_kinds_and_changes_only_the_fields_it_gives(tmp_path: Path) -> None:
    (tmp_path / "props.yaml").write_text(
        "lantern: {zh: [宫灯]}\n"
        "paper_crane: {family: toy, size: 0.1, held: true, en: [paper crane], zh: 纸鹤}\n",
        encoding="utf-8",
    )
    (tmp_path / "more.yml").write_text(
        "settings:\n  tea_house: {interior: int, en: [tea house], zh: [茶室]}\n"
        "actions:\n  bow: {en: [bow], zh: [鞠躬]}\n",
        encoding="utf-8",
    )
    assert project_vocabulary_files(tmp_path) == ()  # no vocab/ folder there
    vocab_folder = tmp_path / "film" / "vocab"
    vocab_folder.mkdir(parents=True)
    for name in ("props.yaml", "more.yml"):
        (tmp_path / name).rename(vocab_folder / name)
    files = project_vocabulary_files(tmp_path / "film")
    assert [f.name for f in files] == ["more.yml", "props.yaml"]  # in name order
    vocabulary = load_vocabulary(files)
    lantern = vocabulary.props["lantern"]
    assert lantern.zh == ("宫灯",)
    assert lantern.family == "light" and "lantern" in lantern.en  # kept from the bundled entry
    assert vocabulary.props["paper_crane"].zh == ("纸鹤",)
    assert vocabulary.settings["tea_house"].interior == "int"
    assert vocabulary.actions["bow"].en == ("bow",)
    assert "paper_crane" not in load_vocabulary().props


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("props.yaml", "kite_big: {family: toy, held: true}\n", "props entry 'kite_big'"),
        ("props.yaml", "kite: {family: spaceship}\n", "props entry 'kite' is not valid: family"),
        ("props.yaml", "kite: {colour: red}\n", "colour"),
        ("settings.yaml", "moon_base: {en: [moon base]}\n", "interior"),
        ("weather.yaml", "hail: {en: [hail]}\n", "weather has no kind 'hail'"),
        ("mine.yaml", "gadgets: {}\n", "unknown vocabulary 'gadgets'"),
        ("props.yaml", "kite: [kite]\n", "must be a mapping of fields"),
        ("props.yaml", "kite: {en: [kite\n", "is not valid YAML"),
        ("props.yaml", "- kite\n", "must be a mapping"),
    ],
)
def test_bad_entries_name_the_file_and_the_entry(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VocabularyError) as caught:
        load_vocabulary([path])
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary([tmp_path / "nope.yaml"])
