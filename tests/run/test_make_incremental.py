"""Makes after edits: only what changed renders again, versions record each make, a
killed or concurrent make never corrupts the project, a failing shot is isolated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import av
import pytest

from storyreel.config import MakeConfig
from storyreel.make import Film, ShotsFailed, make_film
from storyreel.make import Progress as MakeProgress
from storyreel.media.encode import VideoSettings
from storyreel.project import Project
from storyreel.run.lock import ProjectLocked, project_lock
from storyreel.store import open_store
from storyreel.store.versions import diff, filmed_timeline, log, take_pin

from .support import installed_engine

ROOT = Path(__file__).resolve().parents[2]
SMALL = VideoSettings(320, 180, 24)
STORY = """Title: Two Rooms

INT. KITCHEN - NIGHT

MEI (20s, red raincoat) waits by the window.

MEI
It is late.

TOM
I am on my way.

EXT. STREET - NIGHT

Tom runs through the rain.
"""


def write_story(folder: Path, text: str = STORY) -> Path:
    story = folder / "story.fountain"
    story.write_text(text, encoding="utf-8")
    return story


def make(story: Path, out: Path, progress: object = None, **options: object) -> Film:
    config = MakeConfig.model_validate({"width": 320, "height": 180, "workers": 1, **options})
    return make_film(story, out, config, progress=progress)  # type: ignore[arg-type]


def frames(film: Path) -> int:
    with av.open(str(film)) as container:
        return sum(1 for _ in container.decode(video=0))


def test_only_the_changed_shot_renders_again_and_no_change_cuts_nothing(tmp_path: Path) -> None:
    said: list[str] = []

    def voices(event: MakeProgress) -> None:
        if event.stage == "voice" and "lines" in event.detail:
            said.append(event.detail)

    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    first = make(story, film, progress=voices)
    shots = len(first.storyboard.shots)
    assert len(first.renders.rendered) == shots

    cut_at = film.stat().st_mtime_ns
    same = make(story, film, progress=voices)
    assert same.renders.rendered == [] and len(same.renders.cached) == shots
    assert film.stat().st_mtime_ns == cut_at  # the film was current: not cut again
    # Nothing new was filmed, so no new version; the one there keeps the film's timeline.
    with closing(open_store(Project.for_story(story))) as store:
        (version,) = store.versions()
        recorded = filmed_timeline(version)
    timeline = same.timeline
    assert timeline == first.timeline
    # All of it but the words, which the voice cache keeps.
    assert recorded is not None and recorded.lines and all(not x.words for x in recorded.lines)
    assert recorded == timeline.model_copy(
        update={"lines": tuple(x.model_copy(update={"words": ()}) for x in timeline.lines)}
    )

    write_story(tmp_path, STORY.replace("It is late.", "It is very late."))
    edited = make(story, film, progress=voices)
    # Lines are jobs too: only the changed one is spoken again.
    assert said == [
        "2 lines: 0 cached, 2 voiced",
        "2 lines: 2 cached, 0 voiced",
        "2 lines: 1 cached, 1 voiced",
    ]
    changed = [s.id for s in edited.storyboard.shots if any("very" in ln.text for ln in s.lines)]
    assert edited.renders.rendered == changed
    assert film.stat().st_mtime_ns != cut_at
    assert frames(film) == edited.frames


def test_a_new_line_renders_its_own_shots_and_leaves_the_rest(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    first = make(story, film)
    ids = {s.action: s.id for s in first.storyboard.shots}

    write_story(
        tmp_path, STORY.replace("TOM\nI am on my way.", "TOM\nI am on my way.\n\nMEI\nHurry.")
    )
    second = make(story, film)

    new = [s.id for s in second.storyboard.shots if s.action not in ids]
    assert new and second.renders.rendered == new
    for shot in second.storyboard.shots:
        assert shot.action not in ids or shot.id == ids[shot.action]  # no shot renumbered


def test_the_sound_is_made_once_for_every_cut_that_needs_it(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    make(story, film)
    sounds = Project.for_story(tmp_path / "story.fountain").state_dir / "sound"
    (made,) = sounds.glob("*.m4a")
    made_at = made.stat().st_mtime_ns
    cut_at = film.stat().st_mtime_ns
    make(story, film, burn_subtitles=True)  # a new picture, the same sound
    assert film.stat().st_mtime_ns != cut_at
    assert [p.stat().st_mtime_ns for p in sounds.glob("*.m4a")] == [made_at]
    with av.open(str(film)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        assert container.streams.audio[0].channels == 2

    write_story(tmp_path, STORY.replace("It is late.", "It is very late."))
    make(story, film)
    (remade,) = sounds.glob("*.m4a")  # new words, a new sound; the old one is gone
    assert remade != made


def test_a_changed_cast_image_renders_that_characters_shots(tmp_path: Path) -> None:
    from PIL import Image

    from storyreel.cast import Cast

    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    make(story, film)
    image = tmp_path / "mei.png"
    Image.new("RGB", (64, 96), (20, 90, 200)).save(image)
    cast = Cast(Project.for_story(tmp_path / "story.fountain").cast_dir)
    cast.remove("MEI")  # the make cast her from the script; now she gets a photo
    cast.add("MEI", images=[image], description="20s, red raincoat")
    again = make(story, film)
    with_mei = {s.id for s in again.storyboard.shots if "MEI" in s.subjects}
    assert with_mei and set(again.renders.rendered) == with_mei


def test_versions_diff_and_a_pinned_take_survives_edits(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    first = make(story, film)
    target = next(s for s in first.storyboard.shots if s.lines)
    project = Project.for_story(tmp_path / "story.fountain")
    with closing(open_store(project)) as store:
        pinned_key = first.renders.keys[target.id]
        take_pin(store, target.id, pinned_key[:12])

    write_story(tmp_path, STORY.replace("It is late.", "Where are you?"))
    second = make(story, film)
    assert target.id in second.renders.pinned
    assert target.id not in second.renders.rendered

    with closing(open_store(project)) as store:
        versions = log(store)
        assert sorted(v.number for v in versions) == [1, 2]
        changes = diff(store, 1, 2)
        described = " ".join(c.describe() for shot in changes.changed for c in shot.changes)
        assert "Where are you?" in described and "It is late." in described
        assert max(versions, key=lambda v: v.number).takes[target.id] == pinned_key


def test_a_second_make_of_the_same_project_is_refused(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    with (
        project_lock(Project.for_story(tmp_path / "story.fountain")),
        pytest.raises(ProjectLocked, match="in use"),
    ):
        make(story, tmp_path / "film.mp4")
    assert not (tmp_path / "film.mp4").exists()


def test_kill_9_mid_make_then_the_same_make_finishes(tmp_path: Path) -> None:
    story = write_story(tmp_path)
    film = tmp_path / "film.mp4"
    command = [
        sys.executable,
        "-m",
        "storyreel.cli",
        "make",
        str(story),
        "-o",
        str(film),
        "--size",
        "640x360",
        "--workers",
        "1",
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    staging = tmp_path / "story.storyreel" / ".storyreel" / "takes" / ".staging"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(staging.glob("*")):
        time.sleep(0.02)
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGKILL)  # no cleanup of any kind runs
    process.wait(timeout=30)
    assert not film.exists()

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert list(staging.iterdir()) == []
    with closing(open_store(Project.for_story(tmp_path / "story.fountain"))) as store:
        # Every take the store knows is complete: it decodes to its recorded length.
        for shot in {t.shot_id for t in store.find_takes("")}:
            for record in store.takes(shot):
                with av.open(str(tmp_path / "story.storyreel" / ".storyreel" / record.path)) as c:
                    assert sum(1 for _ in c.decode(video=0)) == record.frames


FAILING_ENGINE = """
from storyreel.render.engines.previs import PrevisEngine


class Flaky(PrevisEngine):
    name = "flaky"

    def render(self, request):
        if request.shot.lines:
            raise RuntimeError("the model ran out of memory")
        return super().render(request)
"""


@pytest.fixture
def flaky_engine(tmp_path: Path) -> Iterator[None]:
    with installed_engine(
        tmp_path / "site", "flaky_engine", FAILING_ENGINE, "flaky = flaky_engine:Flaky"
    ):
        yield


def test_a_failing_shot_is_isolated_and_named(tmp_path: Path, flaky_engine: None) -> None:
    project = tmp_path / "p"
    project.mkdir()
    story = write_story(project)
    film = project / "film.mp4"
    with pytest.raises(ShotsFailed) as failure:
        make(story, film, engine="flaky")
    assert failure.value.exit_code == 1
    assert "ran out of memory" in str(failure.value)
    assert not film.exists()
    with closing(open_store(Project.for_story(story))) as store:
        failed = store.jobs("failed")
        done = store.jobs("done")
        assert {j.shot_id for j in failed} == set(failure.value.failed)
        assert all("ran out of memory" in (j.error or "") for j in failed)
        assert done  # the other shots rendered and are kept


def test_a_made_storyboard_file_may_be_checked_out_over(tmp_path: Path) -> None:
    from storyreel.direct import PlanSettings, plan_board
    from storyreel.direct.board_file import write_document
    from storyreel.script import read_story
    from storyreel.store.versions import unrecorded_changes

    story = write_story(tmp_path)
    board_file = Project.for_story(tmp_path / "story.fountain").storyboard_path
    # As `storyreel board` writes it: the planned storyboard, before the voices fit
    # each shot to its speech (so it is not the storyboard the version records).
    frame = PlanSettings(width=320, height=180)
    document = plan_board(story, read_story(story), board_file, settings=frame)
    board_file.parent.mkdir()  # the story's project folder, which `board` makes
    write_document(board_file, document)
    make(story, tmp_path / "film.mp4")
    with closing(open_store(Project.for_story(tmp_path / "story.fountain"))) as store:
        assert store.versions()[-1].storyboard != document.board.model_dump(mode="json")
        assert not unrecorded_changes(store, board_file)  # the make read it
        board_file.write_text(board_file.read_text().replace("medium", "close_up", 1))
        assert unrecorded_changes(store, board_file)  # an edit no make has seen
