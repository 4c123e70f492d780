"""InputWatch: which changes to a make's inputs call for another make, heard from the
operating system as an editor saves them."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from storyreel.run.watch import InputWatch


def inputs(tmp_path: Path) -> tuple[Path, Path, Path]:
    story = tmp_path / "story.fountain"
    story.write_text("ANNA\nThe boats are late.\n", encoding="utf-8")
    return story, tmp_path / "story.storyreel" / "storyboard.yaml", tmp_path / "cast"


def save_as_an_editor_does(path: Path, text: str) -> None:
    """A new file beside the old one, renamed over it (vim, VS Code, JetBrains)."""
    tmp = path.with_name(f".{path.name}.swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def later(seconds: float, action: object) -> threading.Thread:
    def run() -> None:
        time.sleep(seconds)
        action()  # type: ignore[operator]

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_an_edit_is_a_change_and_the_make_s_own_writes_are_not(tmp_path: Path) -> None:
    story, board, cast = inputs(tmp_path)
    watch = InputWatch([story, board, cast], made_here=[cast])
    watch.before_make()
    # The make adds the story's new character to the cast folder.
    (cast / "ANNA").mkdir(parents=True)
    (cast / "ANNA" / "subject.yaml").write_text("name: ANNA\n", encoding="utf-8")
    watch.after_make()
    assert not watch.changed()

    story.write_text("ANNA\nThe boats are very late.\n", encoding="utf-8")
    assert watch.changed()
    watch.before_make()
    watch.after_make()
    assert not watch.changed()

    # The user dresses a cast member between makes: a change.
    (cast / "ANNA" / "ref-1.png").write_bytes(b"png")
    assert watch.changed()


def test_an_edit_saved_while_the_make_ran_calls_for_another(tmp_path: Path) -> None:
    story, board, cast = inputs(tmp_path)
    watch = InputWatch([story, board, cast], made_here=[cast])
    watch.before_make()
    story.write_text("ANNA\nSaved mid-make.\n", encoding="utf-8")
    watch.after_make()
    assert watch.changed()
    assert watch.wait()  # answered at once: the edit may not be in the film


def test_wait_hears_a_save_and_a_file_that_was_not_there(tmp_path: Path) -> None:
    story, board, cast = inputs(tmp_path)
    # Heard from the system alone: the inputs are not looked at again unasked.
    watch = InputWatch([story, board, cast], made_here=[cast], look_every=60)
    watch.after_make()
    assert set(watch.folders()) == {tmp_path}  # the storyboard's folder is not there yet

    saver = later(0.3, lambda: save_as_an_editor_does(story, "ANNA\nAgain.\n"))
    start = time.perf_counter()
    assert watch.wait()
    assert time.perf_counter() - start < 5
    saver.join()
    watch.after_make()

    def new_board() -> None:
        board.parent.mkdir(parents=True)
        board.write_text("shots: []\n", encoding="utf-8")

    maker = later(0.3, new_board)
    start = time.perf_counter()
    assert watch.wait()
    assert time.perf_counter() - start < 5
    maker.join()
    assert board.exists()


def test_an_unrelated_file_starts_nothing_and_stop_ends_the_wait(tmp_path: Path) -> None:
    story, board, cast = inputs(tmp_path)
    watch = InputWatch([story, board, cast], made_here=[cast])
    watch.after_make()
    stop = threading.Event()
    heard: list[bool] = []
    waiter = threading.Thread(target=lambda: heard.append(watch.wait(stop)))
    waiter.start()
    time.sleep(0.3)
    (tmp_path / "film.mp4").write_bytes(b"the make's output")
    (tmp_path / ".story.fountain.swp").write_text("an editor's swap file", encoding="utf-8")
    time.sleep(1.5)  # past a watch round: the unrelated files were heard and dismissed
    assert waiter.is_alive()
    stop.set()
    waiter.join(5)
    assert heard == [False]
