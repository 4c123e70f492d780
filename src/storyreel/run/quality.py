"""What the store knows of a project's quality: every take's check results, and the
arena's votes as duels between engines, seeds or takes.

    takes = project_quality(store)            # for `storyreel qa` and the studio
    board = leaderboard(arena_duels(store, "engine"))
"""

from __future__ import annotations

from typing import Literal

from storyreel.qa.arena import Duel
from storyreel.qa.report import TakeReport
from storyreel.run.takes import result_of
from storyreel.store.db import Store

ArenaBy = Literal["engine", "seed", "take"]


def project_quality(store: Store) -> list[TakeReport]:
    """Every take of the project with its stored check results, shot by shot in the
    latest version's order (then any other shot), the take in the film first."""
    versions = store.versions()
    in_film = versions[-1].takes if versions else {}
    takes = store.takes()
    scores = store.scores([t.key for t in takes])
    order = {shot: i for i, shot in enumerate(in_film)}
    reports = [
        TakeReport(
            shot=t.shot_id,
            key=t.key,
            engine=t.engine,
            seed=t.seed,
            in_film=in_film.get(t.shot_id) == t.key,
            results=tuple(result_of(s) for s in scores[t.key]),
        )
        for t in takes
    ]
    return sorted(reports, key=lambda r: (order.get(r.shot, len(order)), r.shot, not r.in_film))


def arena_duels(store: Store, by: ArenaBy = "engine") -> list[Duel]:
    """The project's votes as duels between what `by` names of each take: the engine
    that rendered it, its seed, or the take itself. A vote on a take since pruned is
    left out."""
    takes = {t.key: t for t in store.takes()}
    duels = []
    for vote in store.votes():
        a, b = takes.get(vote.take_a), takes.get(vote.take_b)
        if a is None or b is None:
            continue
        if by == "engine":
            names = a.engine, b.engine
        elif by == "seed":
            names = str(a.seed), str(b.seed)
        else:
            names = a.key[:12], b.key[:12]
        duels.append(Duel(names[0], names[1], vote.winner))
    return duels
