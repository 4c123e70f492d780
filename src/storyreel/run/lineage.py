"""Which take an edited shot is re-rendered from.

An engine that declares `reference_video` can start a shot from its previous take
(Wan VACE's conditioning video, Kling's video to edit). A version records, per shot,
the take it used and, for a take re-rendered that way, the take it grew from and the
change asked (`outputs["previous"]`). From these, for each shot of a new make:

- its request as it is has the key of the last version's take: unchanged, a cache hit;
- its request re-rendered from the take the last take grew from has that key: the
  shot is unchanged since an edit re-rendered it, so keep that (a cache hit, on any
  make, with or without an edit);
- otherwise, only for a make that asks for it (an edit), the request starts from the
  last version's take, so the shot keeps what the edit did not touch.

The new take's key holds the previous take's key, never its own: no loop, and the
same edit made again is a cache hit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from storyreel.render.engine import PreviousTake, RenderRequest
from storyreel.run.cache import TakeCache

# Where a version's outputs keep each re-rendered shot's source: shot id -> {key, change}.
PREVIOUS = "previous"


@dataclass(frozen=True)
class FromPrevious:
    """What a make knows of its shots' previous takes: each shot as the last version
    made it, whether a changed shot starts from its last take (an edit), and what the
    edit asked."""

    lineage: Mapping[str, Lineage]
    renew: bool = False
    change: str = ""


@dataclass(frozen=True)
class Lineage:
    """A shot as the last version made it."""

    take: str  # the key of the take it used
    grew_from: str | None = None  # the take that take was re-rendered from
    change: str = ""  # what the edit that re-rendered it asked


def lineages(takes: Mapping[str, str], outputs: Mapping[str, Any]) -> dict[str, Lineage]:
    """Per shot id, its lineage in a version (its take keys and recorded outputs)."""
    recorded = outputs.get(PREVIOUS)
    sources = recorded if isinstance(recorded, dict) else {}
    out: dict[str, Lineage] = {}
    for shot_id, key in takes.items():
        source = sources.get(shot_id)
        if isinstance(source, dict) and isinstance(source.get("key"), str):
            out[shot_id] = Lineage(key, source["key"], str(source.get("change", "")))
        else:
            out[shot_id] = Lineage(key)
    return out


def recorded(previous: Mapping[str, PreviousTake]) -> dict[str, dict[str, str]]:
    """What a version's outputs keep of the takes its shots were re-rendered from."""
    return {shot_id: {"key": p.key, "change": p.change} for shot_id, p in sorted(previous.items())}


def with_previous(
    request: RenderRequest,
    last: Lineage | None,
    key_of: Callable[[RenderRequest], str],
    cache: TakeCache,
    *,
    renew: bool,
    change: str = "",
) -> RenderRequest:
    """`request`, starting from a previous take where the rules above say so."""
    if last is None or key_of(request) == last.take:
        return request
    if last.grew_from is not None:
        source = cache.get(last.grew_from)
        path = source.path if source is not None else cache.path_for(last.grew_from)
        kept = replace(request, previous=PreviousTake(last.grew_from, path, last.change))
        # The key ignores the file, so this holds even if the source take was pruned;
        # but then it must not render (it would have nothing to start from).
        if key_of(kept) == last.take and (source is not None or cache.has(last.take)):
            return kept
    if not renew:
        return request
    previous = cache.get(last.take)
    if previous is None:  # pruned: render from scratch
        return request
    return replace(request, previous=PreviousTake(last.take, previous.path, change))
