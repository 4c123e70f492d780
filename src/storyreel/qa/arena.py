"""The arena's leaderboard: a Bradley–Terry fit of blind A/B votes between takes.

    board = leaderboard([Duel("wan", "ltx", "a"), Duel("ltx", "previs", "tie"), ...])

Each vote is a duel between two players (the engines, the seeds or the takes that
made the two takes shown, as `storyreel arena --by` says); a tie counts as half a win
to each side (a win each, at half weight: choix takes whole comparisons, so every
decisive vote is entered twice). The strengths are fitted by choix's iterative
Luce spectral ranking (a maintained implementation of the maximum-likelihood fit),
shown on an Elo-like scale (1000 for the average player, 400 points for tenfold
odds), with 95 % intervals from a bootstrap over the votes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Outcome = Literal["a", "b", "tie"]
# A little prior pull towards the average: two players that only ever beat each
# other one way still get finite strengths.
_ALPHA = 0.01
ELO_SCALE = 400 / math.log(10)


@dataclass(frozen=True)
class Duel:
    a: str
    b: str
    winner: Outcome


@dataclass(frozen=True)
class Standing:
    player: str
    rating: float  # Elo-like: 1000 is the average player
    low: float  # the 95 % interval's ends
    high: float
    votes: int
    wins: float  # ties count half

    @property
    def interval(self) -> str:
        return f"{self.low:.0f}–{self.high:.0f}"


def strengths(players: Sequence[str], duels: Sequence[Duel]) -> NDArray[np.float64]:
    """Bradley–Terry log-strengths of `players` (mean 0) from `duels`."""
    import choix

    index = {p: i for i, p in enumerate(players)}
    data: list[tuple[int, int]] = []
    for duel in duels:
        a, b = index[duel.a], index[duel.b]
        if duel.winner == "a":
            data += [(a, b), (a, b)]
        elif duel.winner == "b":
            data += [(b, a), (b, a)]
        else:
            data += [(a, b), (b, a)]
    if not data or len(players) < 2:
        return np.zeros(len(players))
    fitted = np.asarray(choix.ilsr_pairwise(len(players), data, alpha=_ALPHA), dtype=np.float64)
    return np.asarray(fitted - fitted.mean(), dtype=np.float64)


def leaderboard(duels: Sequence[Duel], *, rounds: int = 200, seed: int = 0) -> list[Standing]:
    """The players ranked by fitted rating, best first, with bootstrap 95 % intervals."""
    duels = [d for d in duels if d.a != d.b]
    players = sorted({d.a for d in duels} | {d.b for d in duels})
    if not players:
        return []
    ratings = 1000 + ELO_SCALE * strengths(players, duels)
    rng = np.random.default_rng(seed)
    samples = np.empty((rounds, len(players)))
    for r in range(rounds):
        picks = rng.integers(0, len(duels), len(duels))
        samples[r] = 1000 + ELO_SCALE * strengths(players, [duels[i] for i in picks])
    low, high = np.percentile(samples, [2.5, 97.5], axis=0)
    votes = {p: 0 for p in players}
    wins = {p: 0.0 for p in players}
    for d in duels:
        votes[d.a] += 1
        votes[d.b] += 1
        if d.winner == "tie":
            wins[d.a] += 0.5
            wins[d.b] += 0.5
        else:
            wins[d.a if d.winner == "a" else d.b] += 1
    table = [
        Standing(p, float(ratings[i]), float(low[i]), float(high[i]), votes[p], wins[p])
        for i, p in enumerate(players)
    ]
    return sorted(table, key=lambda s: -s.rating)
