"""New values written into a YAML file the user owns, keeping what they wrote around them.

A re-plan or a checkout changes some of storyboard.yaml's values; the user's comments,
the order they put keys in and the names they typed (`size: 特写` for a close-up) stay.
The file is loaded as a round-trip document (ruamel.yaml), the new data is applied onto
it key by key (a value that did not change is left as it was typed, a shot is matched by
its id), and the document is written back.

ruamel is imported here only: reading a storyboard (every make) goes through PyYAML,
which is quicker, and never needs the comments.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from typing import Any

# Same value, typed another way (a term's Chinese name for its English key, say):
# `same(key, old, new)` says whether `old` as written may stay.
Same = Callable[[str, Any, Any], bool]


def keep_layout(text: str, data: Mapping[str, Any], same: Same, width: int) -> str | None:
    """`text` (a YAML mapping) holding `data` instead, the rest of it as it was; None
    when `text` is not a YAML mapping to keep (the caller then writes `data` afresh)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.error import YAMLError

    yaml = _round_trip(width)
    try:
        document = yaml.load(text)
    except YAMLError:
        return None
    if not isinstance(document, CommentedMap):
        return None
    _apply_map(document, data, same)
    out = io.StringIO()
    YAML.dump(yaml, document, out)
    return out.getvalue()


def _round_trip(width: int) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    # As PyYAML writes (board_file's fresh files): Chinese as Chinese, a list under a
    # key not indented, `null` spelled out; so an untouched value reads the same.
    yaml.allow_unicode = True
    yaml.width = width
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer: Any, _value: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _apply_map(target: Any, data: Mapping[str, Any], same: Same) -> None:
    """Make the round-trip mapping `target` hold `data`: changed values replaced where
    they stand, keys `data` lacks removed, new keys put after the key that precedes
    them in `data` (so they land where the writer would have put them)."""
    for key in [k for k in target if k not in data]:
        del target[key]
    previous: str | None = None
    for key, value in data.items():
        if key in target:
            target[key] = _merged(key, target[key], value, same)
        else:
            at = list(target).index(previous) + 1 if previous in target else len(target)
            target.insert(at, key, _fresh(value))
        previous = key


def _merged(key: str, old: Any, new: Any, same: Same) -> Any:
    """The value to keep under `key`: `old` itself (updated in place) where it can be."""
    if isinstance(new, Mapping):
        if _is_map(old):
            _apply_map(old, new, same)
            return old
        return _fresh(new)
    if isinstance(new, list) and _is_list(old):
        if all(isinstance(item, Mapping) for item in new):
            _apply_records(key, old, new, same)
            return old
        return old if list(old) == new else _fresh(new)
    if _equal(old, new) or (not isinstance(new, list) and same(key, old, new)):
        return old  # as written: `3` stays `3` for 3.0, `特写` stays for close_up
    return _fresh(new)


def _equal(old: Any, new: Any) -> bool:
    # `True == 1` in Python; in a storyboard a flag and a number are different values.
    if isinstance(old, bool) != isinstance(new, bool):
        return False
    return bool(old == new)


def _apply_records(key: str, target: Any, items: list[Any], same: Same) -> None:
    """A list of mappings (shots, a shot's lines): items with an `id` are matched by
    it, others by position; the list then holds `items` in their order."""
    by_id = {_id(item): item for item in target if _id(item) is not None}
    merged: list[Any] = []
    for index, item in enumerate(items):
        old = by_id.get(_id(item)) if _id(item) is not None else None
        if old is None and _id(item) is None and index < len(target) and _is_map(target[index]):
            old = target[index]
        merged.append(_merged(key, old, item, same) if old is not None else _fresh(item))
    if [id(x) for x in merged] == [id(x) for x in target]:
        return  # same items in the same order: the list's own comments stay in place
    del target[:]
    target.extend(merged)


def _id(item: Any) -> Any:
    return item.get("id") if isinstance(item, Mapping) else None


def _fresh(value: Any) -> Any:
    """`value` as round-trip nodes, so later edits of it keep their comments too."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Mapping):
        out = CommentedMap()
        for k, v in value.items():
            out[k] = _fresh(v)
        return out
    if isinstance(value, list):
        return CommentedSeq(_fresh(v) for v in value)
    return value


def _is_map(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    return isinstance(value, CommentedMap)


def _is_list(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(value, CommentedSeq)
