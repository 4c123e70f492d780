"""An edited shot re-rendered from its previous take: with an engine that declares
`reference_video` (a throwaway plugin here, installed through real entry points), the
edit's make hands the changed shot its last take and the instruction; the unchanged
shots are cache hits, and so is every make after it, with or without an edit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.edit import propose_instruction, write_edit
from storyreel.make import make_film
from storyreel.project import Project
from storyreel.run.cache import TakeCache
from storyreel.store import open_store

from .run.support import installed_plugins
from .test_edit import CONFIG, STORY

ENGINE = '''
import json
from typing import ClassVar

from storyreel.render.engine import Capabilities
from storyreel.render.engines.previs import PrevisEngine


class RetakeEngine(PrevisEngine):
    """The previs animatic, noting what each render was handed to start from."""

    name: ClassVar[str] = "retake-previs"
    capabilities: ClassVar[Capabilities] = PrevisEngine.capabilities.model_copy(
        update={"reference_video": True}
    )
    log: ClassVar[str] = LOG

    def render(self, request):
        previous = request.previous
        line = {"shot": request.shot.id, "size": request.shot.size.value}
        if previous is not None:
            line |= {
                "key": previous.key,
                "bytes": previous.path.stat().st_size,
                "change": previous.change,
            }
        with open(self.log, "a", encoding="utf-8") as log:
            log.write(json.dumps(line) + "\\n")
        return super().render(request)
'''


@pytest.fixture
def engine_log(tmp_path: Path) -> Iterator[Path]:
    log = tmp_path / "renders.jsonl"
    source = f"LOG = {str(log)!r}\n" + ENGINE
    entries = {"storyreel.engines": ["retake-previs = retake_plugin:RetakeEngine"]}
    with installed_plugins(tmp_path / "site", "retake_plugin", source, entries):
        yield log


def renders(log: Path) -> list[dict[str, object]]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.is_file() else []
    log.unlink(missing_ok=True)
    return [json.loads(line) for line in lines]


def test_an_edited_shot_starts_from_its_previous_take(engine_log: Path, tmp_path: Path) -> None:
    story = tmp_path / "tea.fountain"
    story.write_text(STORY, encoding="utf-8")
    project, film = Project.at(None, story), tmp_path / "tea.mp4"
    config = CONFIG.model_copy(update={"engine": "retake-previs", "workers": 1})
    first = make_film(story, film, config, project=project)
    shots = [s.id for s in first.storyboard.shots]
    assert sorted(r["shot"] for r in renders(engine_log)) == sorted(shots)
    with open_store(project) as store:
        before = store.versions()[-1].takes

    instruction = "shot 2: make it a close-up"
    edit = propose_instruction(project, story, instruction)
    write_edit(edit)
    edited = config.model_copy(update={"message": instruction, "from_previous": True})
    again = make_film(story, film, edited, project=project)
    assert again.renders is not None
    assert again.renders.rendered == ["2"]
    assert sorted(again.renders.cached) == sorted(s for s in shots if s != "2")
    with open_store(project) as store:
        old = TakeCache(project, store).get(before["2"])
        latest = store.versions()[-1]
    assert old is not None
    [render] = renders(engine_log)
    assert render == {
        "shot": "2",
        "size": "close_up",
        "key": before["2"],
        "bytes": old.path.stat().st_size,
        "change": instruction,
    }
    # The new take's key is not the old one's, and the version says where it grew from.
    assert latest.takes["2"] != before["2"]
    assert latest.outputs["previous"] == {"2": {"key": before["2"], "change": instruction}}

    # The same edit made again, and a plain make after it: every shot a cache hit, the
    # edited one kept on the take the edit made; no new version.
    for follow in (edited, config):
        same = make_film(story, film, follow, project=project)
        assert same.renders is not None and same.renders.rendered == []
        assert same.renders.takes["2"].path.stem == latest.takes["2"]
    assert renders(engine_log) == []
    with open_store(project) as store:
        assert store.versions()[-1].number == latest.number


def test_an_engine_without_the_capability_renders_from_scratch(tmp_path: Path) -> None:
    story = tmp_path / "tea.fountain"
    story.write_text(STORY, encoding="utf-8")
    project, film = Project.at(None, story), tmp_path / "tea.mp4"
    make_film(story, film, CONFIG, project=project)
    instruction = "shot 2: make it a close-up"
    write_edit(propose_instruction(project, story, instruction))
    edited = CONFIG.model_copy(update={"message": instruction, "from_previous": True})
    again = make_film(story, film, edited, project=project)
    assert again.renders is not None and again.renders.rendered == ["2"]
    assert again.renders.previous == {}
    with open_store(project) as store:
        assert "previous" not in store.versions()[-1].outputs
