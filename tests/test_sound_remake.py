"""A film re-made after one changed line sounds as a full mix of the same inputs does,
although the line moved everything after it: its beds are laid from what the first
make kept (loops, score, their filtered copies), not generated again; its stems are on
disk beside its AAC, and the old sound is gone."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import storyreel.make as make
from storyreel.config import MakeConfig
from storyreel.cut import ambience, score, soundtrack
from storyreel.cut.audio import write_sound
from storyreel.cut.sound import CEILING_DBTP, loudness, true_peak_db
from storyreel.cut.soundtrack import Generated
from storyreel.errors import SoundError
from storyreel.project import Project
from storyreel.wav import read_float_wav

STORY = """Title: The Late Boat

EXT. HARBOUR - DAWN

Gulls circle the masts. ANNA (30s, yellow raincoat) walks along the pier.

ANNA
The boat is late.

OLD LI (70s, grey beard) mends a net.

OLD LI
The sea decides.

INT. NET SHED - DAY

Rain drums on the roof. Anna runs in.

ANNA
Teach me the knot.
"""
EDIT = ("The boat is late.", "The boat is very, very late again this morning, Li.")


def test_a_changed_line_is_mixed_as_a_full_mix_of_the_same_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: Counter[str] = Counter()  # what was generated or filtered whole
    for module, name in (
        (ambience, "loop"),
        (score, "score"),
        (soundtrack, "k_weighted_loop"),
        (soundtrack, "k_weighted"),
    ):
        real = getattr(module, name)

        def counted(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
            made[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    mixed: list[tuple[Any, Any, np.ndarray]] = []  # each make's inputs and master
    inputs: dict[str, Any] = {}
    sound_file = make._sound_file

    def seen(project: Project, sound: Any, timeline: Any, *rest: Any) -> Path:
        inputs.update(sound=sound, timeline=timeline)
        return sound_file(project, sound, timeline, *rest)

    def written(track: np.ndarray, path: Path) -> Path:
        mixed.append((inputs["sound"], inputs["timeline"], track.copy()))
        return write_sound(track, path)

    monkeypatch.setattr(make, "_sound_file", seen)
    monkeypatch.setattr(make, "write_sound", written)
    story = tmp_path / "story.fountain"
    story.write_text(STORY, encoding="utf-8")
    project = Project.at(tmp_path / "p")
    config = MakeConfig(width=160, height=90)
    first = make.make_film(story, tmp_path / "film.mp4", config, project=project)
    assert made["loop"] >= 2 and made["score"] == 1 and made["k_weighted"] == 1
    made.clear()

    story.write_text(STORY.replace(*EDIT), encoding="utf-8")
    film = make.make_film(story, tmp_path / "film.mp4", config, project=project)
    # The line's shot grew, and every shot after it moved.
    assert film.timeline.frames > first.timeline.frames
    assert film.timeline.shots[-1].start > first.timeline.shots[-1].start
    assert made == Counter()  # nothing generated or filtered whole again
    sound, timeline, master = mixed[-1]

    # The same inputs mixed from nothing, in memory.
    full = make._mixed(sound, timeline, Generated())
    assert len(full.master) == len(master)
    assert float(np.abs(full.master - master).max()) <= 1e-6
    assert loudness(master) == pytest.approx(loudness(full.master), abs=0.01)
    assert loudness(master) == pytest.approx(config.loudness, abs=0.5)
    assert true_peak_db(master) <= CEILING_DBTP

    # The stems beside the AAC, complete, and nothing of the first make's sound left.
    assert set(film.stems) == {"dialogue", "ambience", "foley", "music"}
    for name, path in film.stems.items():
        samples, _ = read_float_wav(path.read_bytes())
        assert np.allclose(samples, full.stems[name], atol=1e-6), name
    folder = project.state_dir / "sound"
    assert {p.name for p in folder.iterdir()} == {
        f"{sound.key}.m4a",
        sound.key,
        make.GENERATED,
    }


def test_a_sound_that_fails_before_its_aac_fails_the_cut_waiting_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> Any:
        raise SoundError("the mix went wrong")

    monkeypatch.setattr(make, "_mixed", broken)
    sound = make._Sound("key", [], (None, None), -16.0, None, False, False)  # type: ignore[arg-type]
    with ThreadPoolExecutor(max_workers=1) as sounds:
        aac, job = make._sound_soon(sounds, Project.at(tmp_path), sound, None)  # type: ignore[arg-type]
        with pytest.raises(SoundError, match="the mix went wrong"):
            aac.result(timeout=30)
        with pytest.raises(SoundError):
            job.result(timeout=30)
