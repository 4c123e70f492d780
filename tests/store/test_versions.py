from __future__ import annotations

import pytest

from storyreel.store import Store
from storyreel.store.versions import (
    FieldChange,
    UnknownShot,
    UnknownTake,
    UnknownVersion,
    checkout,
    diff,
    diff_boards,
    get_version,
    log,
    pinned_takes,
    record_version,
    storyboard_key,
    take_list,
    take_pin,
    take_unpin,
    unused_takes,
)

from .boards import first_board, second_board
from .test_store import take

T1 = "1a" * 32
T2 = "2b" * 32
T2_NEW = "2c" * 32


def two_versions(store: Store) -> None:
    store.record_take(take(T1, "1"))
    store.record_take(take(T2, "2"))
    record_version(store, first_board(), {"1": T1, "2": T2}, {"film": "/films/a.mp4"})
    store.record_take(take(T2_NEW, "2"))
    record_version(store, second_board(), {"1": T1, "2": T2_NEW}, message="tighter")


def test_log_lists_versions_newest_first(store: Store) -> None:
    assert log(store) == []
    two_versions(store)
    versions = log(store)
    assert [v.number for v in versions] == [2, 1]
    assert versions[0].message == "tighter"
    assert versions[1].outputs == {"film": "/films/a.mp4"}
    assert versions[1].storyboard_key == storyboard_key(first_board())


def test_diff_names_each_changed_field(store: Store) -> None:
    two_versions(store)
    changes = diff(store, 1, 2)
    assert changes.added == ["5"]
    assert changes.removed == ["4"]
    assert changes.moved == ["2"]
    [shot] = changes.changed
    assert shot.shot_id == "2"
    described = [c.describe() for c in shot.changes]
    assert described == [
        "size: medium → close_up",
        "duration: 3.0 → 4.5",
        'lines[0].text: "Can you fix it?" → "Can you mend it?"',
    ]
    assert [c.describe() for c in changes.board] == [
        'title: "The Kite Mender" → "The Kite Menders"'
    ]
    # The other way round is the mirror image.
    back = diff(store, 2, 1)
    assert (back.added, back.removed) == (["4"], ["5"])
    assert back.changed[0].changes[0].describe() == "size: close_up → medium"
    assert diff(store, 1, 1).empty


def test_diff_of_added_and_removed_lines() -> None:
    before = first_board()
    two = before.shots[1]
    please = two.lines[0].model_copy(update={"text": "Please?"})
    two = two.model_copy(update={"lines": [*two.lines, please]})
    after = before.model_copy(update={"shots": [before.shots[0], two, *before.shots[2:]]})
    [shot] = diff_boards(before, after).changed
    [change] = shot.changes
    assert change.path == "lines[1]" and change.before is None
    assert change.after["text"] == "Please?"
    assert diff_boards(after, before).changed[0].changes[0].after is None


def test_checkout_gives_back_the_recorded_storyboard(store: Store) -> None:
    two_versions(store)
    assert checkout(store, 1) == first_board()
    assert checkout(store, 2) == second_board()


def test_unknown_versions_are_one_clear_error(store: Store) -> None:
    with pytest.raises(UnknownVersion, match="no version 1; no version is recorded yet"):
        checkout(store, 1)
    two_versions(store)
    with pytest.raises(UnknownVersion, match="no version 7; versions are 1 to 2"):
        diff(store, 1, 7)
    assert get_version(store, 2).number == 2


def test_takes_of_a_shot_with_pins_and_versions(store: Store) -> None:
    two_versions(store)
    listing = take_list(store, "2")
    assert [(t.take.key, t.pinned, t.versions) for t in listing] == [
        (T2, False, [1]),
        (T2_NEW, False, [2]),
    ]
    pinned = take_pin(store, "2", T2[:6])
    assert pinned.key == T2
    assert pinned_takes(store) == {"2": T2}
    assert [t.pinned for t in take_list(store, "2")] == [True, False]
    # The pin survives later versions until it is removed.
    record_version(store, second_board(), {"1": T1, "2": T2})
    assert pinned_takes(store) == {"2": T2}
    take_unpin(store, "2")
    assert pinned_takes(store) == {}


def test_take_errors_name_what_is_wrong(store: Store) -> None:
    two_versions(store)
    with pytest.raises(UnknownShot, match="no shot '99'"):
        take_list(store, "99")
    with pytest.raises(UnknownShot, match="no shot '99'"):
        take_pin(store, "99", T2)
    with pytest.raises(UnknownTake, match="shot 2 has no take ffff"):
        take_pin(store, "2", "ffff")
    with pytest.raises(UnknownTake, match="shot 2 has no take 1a1a"):
        take_pin(store, "2", T1[:4])  # shot 1's take, not shot 2's
    with pytest.raises(UnknownTake, match="at least 4 characters"):
        take_pin(store, "2", "2b")
    with pytest.raises(UnknownShot, match="shot 2 has no pinned take"):
        take_unpin(store, "2")
    assert take_list(store, "5") == []  # known from version 2, not rendered yet


def test_ambiguous_take_prefixes_are_refused(store: Store) -> None:
    store.record_take(take("abcd01" + "0" * 58, "1"))
    store.record_take(take("abcd02" + "0" * 58, "1"))
    with pytest.raises(UnknownTake, match="ambiguous"):
        take_pin(store, "1", "abcd")
    assert take_pin(store, "1", "abcd02").key.startswith("abcd02")


def test_unused_takes_spare_kept_versions_pins_and_an_unfinished_make(store: Store) -> None:
    assert unused_takes(store) == []  # before the first version every take is wanted
    two_versions(store)
    later = "3d" * 32
    store.record_take(take(later, "3"))  # made since version 2: a make not yet finished
    assert unused_takes(store) == []  # every version keeps its takes by default
    assert [t.key for t in unused_takes(store, keep_versions=1)] == [T2]
    take_pin(store, "2", T2[:8])
    assert unused_takes(store, keep_versions=1) == []
    assert [t.key for t in unused_takes(store, keep_versions=0)] == [T1, T2_NEW]
    with pytest.raises(ValueError, match="0 or more"):
        unused_takes(store, keep_versions=-1)


def test_a_change_deep_in_a_long_text_is_shown_where_it_is() -> None:
    head = "Medium shot, static camera. ANNA in a yellow raincoat walks the pier. "
    change = FieldChange(
        path="prompt.en",
        before=head + "She says: the boats are very late today. Harbour, dawn.",
        after=head + "She says: the boats are late today. Harbour, dawn.",
    )
    assert change.describe() == (
        'prompt.en: "…She says: the boats are very late today. Harbour, daw…" → '
        '"…She says: the boats are late today. Harbour, daw…"'
    )
    timing = FieldChange(path="duration", before=3.2916666666666665, after=3.0)
    assert timing.describe() == "duration: 3.292 → 3.0"
