"""Foley: the one-shot sounds of what people and things do, generated.

    hit = sound("sword_clash", seed=3)        # mono float32 at 48 kHz, onset at sample 0
    track, onsets = steps("footstep", 4.0)    # a walk of 4 s and when each step falls
    for_thing("sword", "fight")               # ('sword_clash',)
    thunder_times((("storm_lightning", 0.8),), frames=96, fps=24, seed=7)

Every sound starts at its first sample: the first sample above ONSET_DBFS is sample 0,
so a sound laid at an action's frame is heard on that frame. Its peak is at
FOLEY_PEAK_DBFS times `intensity`. Which sounds an action or a thing makes is data:
the `action/`, `prop/`, `setting/` and `weather/` entries of vocab/sound.yaml.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

import numpy as np

from storyreel.beats import strike_frames
from storyreel.cut.synth import (
    Array,
    Track,
    band,
    bird,
    circular,
    creak,
    db,
    decay,
    noise,
    partials,
    rng_for,
    scatter,
    shaped,
    sweep,
    swell,
)
from storyreel.timeline import FILM_RATE
from storyreel.vocab import Vocabulary, VocabularyError, load_vocabulary

# A one-shot's peak at intensity 1, in dBFS: room above it for a loud hit (intensity up
# to 2, capped at FOLEY_CEILING_DBFS), and the mix sets it against the dialogue.
FOLEY_PEAK_DBFS = -6.0
FOLEY_CEILING_DBFS = -1.0
# Where a sound is said to start: its first sample above this level.
ONSET_DBFS = -40.0
# A walk's and a run's steps per second, when the caller gives no pace.
PACE = {"footstep": 1.9, "footstep_run": 3.2}
# Thunder follows its flash by the time sound takes to come from the strike: a strong
# storm is near (THUNDER_DELAY_S[0]), a weak one far (THUNDER_DELAY_S[1]).
THUNDER_DELAY_S = (0.15, 0.9)

_Recipe = Callable[[np.random.Generator, int], Array]


def sound(kind: str, *, rate: int = FILM_RATE, seed: int = 0, intensity: float = 1.0) -> Track:
    """The one-shot `kind` (one of FOLEY), mono float32 at `rate`, its onset at sample
    0, its peak at FOLEY_PEAK_DBFS + 20 log10(intensity) (at most FOLEY_CEILING_DBFS);
    the same for the same (kind, seed, rate, intensity)."""
    if kind not in FOLEY:
        raise ValueError(f"no foley sound {kind!r}: the sounds are {', '.join(sorted(FOLEY))}")
    if not 0.05 <= intensity <= 2.0:
        raise ValueError(f"a foley intensity is 0.05 to 2, not {intensity}")
    if not 8000 <= rate <= 192_000:
        raise ValueError(f"a foley rate is 8000 to 192000 Hz, not {rate}")
    shot = _shot(kind, seed, rate)
    gain = min(db(FOLEY_PEAK_DBFS) * intensity, db(FOLEY_CEILING_DBFS))
    out: Track = (shot * gain).astype(np.float32)
    # Trimmed at full scale, a quieter copy may open a little under the onset level:
    # drop what is under it, so sample 0 is still the onset.
    start = int(np.argmax(np.abs(out) > db(ONSET_DBFS)))
    return out[start:]


@functools.lru_cache(maxsize=64)
def _shot(kind: str, seed: int, rate: int) -> Track:
    """The sound at peak 1, trimmed to its onset, its tail faded (read-only, shared)."""
    x = FOLEY[kind](rng_for("foley", kind, seed, rate), rate)
    x = x - np.mean(x)
    x = x / max(float(np.max(np.abs(x))), 1e-12)
    # Trimmed to its onset at intensity 1; sound() trims a quieter copy further.
    start = int(np.argmax(np.abs(x) > db(ONSET_DBFS - FOLEY_PEAK_DBFS)))
    x = x[start:]
    fade = min(len(x), round(0.01 * rate))
    x[len(x) - fade :] *= np.linspace(1.0, 0.0, fade)
    out = x.astype(np.float32)
    out.flags.writeable = False
    return out


def steps(
    kind: str = "footstep",
    seconds: float = 2.0,
    *,
    rate: int = FILM_RATE,
    seed: int = 0,
    pace: float | None = None,
    intensity: float = 1.0,
) -> tuple[Track, tuple[float, ...]]:
    """A run of footsteps lasting `seconds` (`kind` footstep or footstep_run, `pace`
    steps per second, PACE[kind] by default) and the time of each step's onset in
    seconds. Steps alternate feet (the second a little softer) and vary a little in
    time and sound; one whose tail passes the end is cut there."""
    if kind not in PACE:
        raise ValueError(f"steps are {' or '.join(PACE)}, not {kind!r}")
    pace = PACE[kind] if pace is None else pace
    if not 0.2 <= pace <= 8.0:
        raise ValueError(f"a pace is 0.2 to 8 steps per second, not {pace}")
    if not 0 <= seconds <= 3600:
        raise ValueError(f"steps last 0 s to an hour, not {seconds} s")
    n = round(seconds * rate)
    out = np.zeros(n, dtype=np.float32)
    rng = rng_for("steps", kind, seed, rate)
    onsets: list[float] = []
    k = 0
    while True:
        at = (k + float(rng.uniform(-0.04, 0.04))) / pace if k else 0.0
        start = round(at * rate)
        if start >= n:
            break
        step = sound(
            kind,
            rate=rate,
            seed=seed * 7919 + k % 6,  # six steps' sounds, reused: a bounded cache
            intensity=intensity * (1.0 if k % 2 == 0 else 0.8),
        )
        end = min(n, start + len(step))
        out[start:end] += step[: end - start]
        onsets.append(start / rate)
        k += 1
    return out, tuple(onsets)


# --- which sounds -----------------------------------------------------------------------


def for_action(
    action: str, *, setting: str | None = None, vocabulary: Vocabulary | None = None
) -> tuple[str, ...]:
    """The sounds an action (an actions.yaml kind) makes on its own: `action/<kind>`'s
    foley, or what the setting makes of it (`setting/<kind>`'s `when`: a jump at a
    river splashes). Empty when it makes none."""
    sound_vocabulary = (vocabulary or load_vocabulary()).sound
    place = sound_vocabulary.get(f"setting/{setting}") if setting else None
    if place is not None and action in place.when:
        return _checked(f"setting/{setting}", place.when[action])
    entry = sound_vocabulary.get(f"action/{action}")
    return _checked(f"action/{action}", entry.foley) if entry else ()


def for_thing(
    kind: str, action: str | None, *, vocabulary: Vocabulary | None = None
) -> tuple[str, ...]:
    """The sounds a thing (a props.yaml kind) makes when `action` is done with it
    (`prop/<kind>`'s `when`: fight with a sword clashes), or on its own when `action`
    is None (a bell rings, a bird calls). Empty when it makes none."""
    entry = (vocabulary or load_vocabulary()).sound.get(f"prop/{kind}")
    if entry is None:
        return ()
    if action is None:
        return _checked(f"prop/{kind}", entry.foley)
    return _checked(f"prop/{kind}", entry.when.get(action, ()))


def for_weather(kind: str, *, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """The one-shots a weather kind brings (a storm its thunder: lay them by
    thunder_times)."""
    entry = (vocabulary or load_vocabulary()).sound.get(f"weather/{kind}")
    return _checked(f"weather/{kind}", entry.foley) if entry else ()


def heard_in(text: str, *, vocabulary: Vocabulary | None = None) -> tuple[str, ...]:
    """The sounds `text` says are heard ("Blades clash", 钟声响起): the `heard/<name>`
    entries whose words it holds, English as whole words in any simple form, Chinese as
    written; in the vocabulary's order, each once."""
    lowered = text.casefold()
    found: list[str] = []
    for key, entry in (vocabulary or load_vocabulary()).sound.items():
        if not key.startswith("heard/"):
            continue
        if any(_said(lowered, word) for word in entry.en) or any(w in text for w in entry.zh):
            found += [k for k in _checked(key, entry.foley) if k not in found]
    return tuple(found)


@functools.lru_cache(maxsize=512)
def _word_forms(word: str) -> re.Pattern[str]:
    # clash, clashes, clashed, clashing; ring, rings; shatter, shatters.
    *head, last = word.casefold().split()
    stem = re.escape(last[:-1] if last.endswith("e") else last)
    tail = rf"{stem}(?:e|es|s|ed|d|ing)?" if last.endswith("e") else rf"{stem}(?:s|es|ed|ing)?"
    lead = "".join(re.escape(w) + r"\s+" for w in head)
    return re.compile(rf"(?<![\w']){lead}{tail}(?![\w'])")


def _said(lowered: str, word: str) -> bool:
    return _word_forms(word).search(lowered) is not None


def _checked(key: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
    for name in kinds:
        if name not in FOLEY:
            raise VocabularyError(
                f"sound entry {key!r} names the foley sound {name!r}; the sounds are "
                f"{', '.join(sorted(FOLEY))}"
            )
    return kinds


def thunder_times(
    weather: Sequence[tuple[str, float]], frames: int, fps: int, seed: int
) -> tuple[float, ...]:
    """When thunder is heard in a shot, in seconds from its first frame: after each
    lightning flash the previs engine draws for the same weather, frame count, rate and
    seed (storyreel/beats.py), by a delay that shortens as the storm grows."""
    times: list[float] = []
    for kind, level in weather:
        if kind != "storm_lightning" or level <= 0:
            continue
        near, far = THUNDER_DELAY_S
        delay = far + (near - far) * min(level, 1.0)
        times += [frame / fps + delay for frame in strike_frames(seed, level, frames, fps)]
    return tuple(sorted(times))


# --- the recipes ------------------------------------------------------------------------
# Each takes a generator and the rate and returns the sound at any level; it is
# normalised, trimmed to its onset and faded at its end afterwards.


def _n(rate: int, seconds: float) -> int:
    return round(seconds * rate)


def _thud(rng: np.random.Generator, rate: int, hz: float, seconds: float) -> Array:
    """A body meeting something soft: a low tone dropping in pitch, dying fast."""
    m = _n(rate, seconds * 2)
    return np.sin(sweep(m, rate, hz * 1.6, hz * 0.7, 0.5)) * decay(m, rate, seconds, 0.0005)


def _burst(rng: np.random.Generator, rate: int, lo: float, hi: float, seconds: float) -> Array:
    """A noise burst in a band, dying over `seconds`."""
    m = _n(rate, seconds * 1.2)
    return noise(rng, m, rate, lambda f: band(f, lo, hi, 1.5)) * decay(m, rate, seconds, 0.0005)


def _at(out: Array, event: Array, seconds: float, rate: int) -> Array:
    lay_at = _n(rate, seconds)
    end = min(len(out), lay_at + len(event))
    out[lay_at:end] += event[: end - lay_at]
    return out


def _footstep(rng: np.random.Generator, rate: int) -> Array:
    # Heel, then the sole rolling onto the toe: a low knock and a scuff.
    out = np.zeros(_n(rate, 0.3))
    _at(out, _thud(rng, rate, float(rng.uniform(90, 130)), 0.05), 0.0, rate)
    _at(out, 0.6 * _burst(rng, rate, 300, 2500, 0.03), 0.0, rate)
    _at(out, 0.45 * _burst(rng, rate, 600, 4000, 0.05), float(rng.uniform(0.05, 0.08)), rate)
    return out


def _footstep_run(rng: np.random.Generator, rate: int) -> Array:
    # A running step: one hard, bright slap with a short skid.
    out = np.zeros(_n(rate, 0.18))
    _at(out, _burst(rng, rate, 400, 6000, 0.025), 0.0, rate)
    _at(out, 0.7 * _thud(rng, rate, float(rng.uniform(110, 160)), 0.03), 0.0, rate)
    _at(out, 0.3 * _burst(rng, rate, 1500, 7000, 0.05), 0.025, rate)
    return out


def _metal(rng: np.random.Generator, rate: int, f0: float, seconds: float) -> Array:
    """Struck steel: inharmonic partials, the high ones dying first."""
    ratios = [1.0, 1.51, 2.37, 3.14, 4.62, 5.93]
    m = _n(rate, seconds)
    return partials(
        m,
        rate,
        [f0 * r * float(rng.uniform(0.98, 1.02)) for r in ratios],
        [1.0, 0.8, 0.7, 0.5, 0.4, 0.3],
        [seconds, seconds * 0.8, seconds * 0.6, seconds * 0.45, seconds * 0.3, seconds * 0.2],
    )


def _sword_clash(rng: np.random.Generator, rate: int) -> Array:
    # Blade on blade: a bright crack and two steels ringing against each other.
    out = _burst(rng, rate, 2000, 12000, 0.01)
    out = np.concatenate([out, np.zeros(_n(rate, 1.0))])
    _at(out, 0.5 * _metal(rng, rate, float(rng.uniform(1300, 1700)), 0.9), 0.0, rate)
    _at(out, 0.4 * _metal(rng, rate, float(rng.uniform(1900, 2400)), 0.7), 0.0, rate)
    return out


def _sword_draw(rng: np.random.Generator, rate: int) -> Array:
    # A blade drawn from its scabbard: a rising metallic scrape that ends in a ring.
    m = _n(rate, 0.45)
    scrape = noise(rng, m, rate, lambda f: band(f, 2500, 9000, 2.0))
    scrape *= np.linspace(0.4, 1.0, m) * (0.7 + 0.3 * swell(rng, m, rate, 30.0, 1.0))
    out = np.concatenate([scrape, np.zeros(_n(rate, 0.8))])
    _at(out, 0.6 * _metal(rng, rate, float(rng.uniform(2200, 2800)), 0.7), 0.42, rate)
    return out


def _door(rng: np.random.Generator, rate: int) -> Array:
    # A latch clicks, the hinges creak, the door knocks against its stop.
    out = np.zeros(_n(rate, 1.2))
    _at(out, _burst(rng, rate, 1500, 6000, 0.012), 0.0, rate)
    _at(out, 0.6 * creak(rng, rate), 0.05, rate)
    _at(out, 0.8 * _thud(rng, rate, 90.0, 0.08), 0.95, rate)
    return out


def _knock(rng: np.random.Generator, rate: int) -> Array:
    # Three knocks of knuckles on a wooden door.
    out = np.zeros(_n(rate, 0.6))
    for k in range(3):
        m = _n(rate, 0.12)
        body = partials(
            m,
            rate,
            [float(rng.uniform(180, 210)), 420.0, 730.0, 1150.0],
            [1.0, 0.7, 0.4, 0.2],
            [0.06] * 4,
        )
        click = _burst(rng, rate, 1000, 5000, 0.006)
        body[: len(click)] += 0.5 * click[:m]
        _at(out, body * (1.0 - 0.1 * k), k * 0.17, rate)
    return out


def _thunder(rng: np.random.Generator, rate: int) -> Array:
    # A near strike: a tearing crack, then the rumble rolling away for seconds.
    out = np.zeros(_n(rate, 4.5))
    _at(out, 0.9 * _burst(rng, rate, 300, 9000, 0.25), 0.0, rate)
    m = _n(rate, 4.5)
    rumble = noise(rng, m, rate, lambda f: band(f, 25, 180, 2.0))
    rumble *= swell(rng, m, rate, 3.0, 0.7) * decay(m, rate, 4.0, 0.15)
    return out + 1.6 * rumble


def _splash(rng: np.random.Generator, rate: int) -> Array:
    # Something falling into water: a wide wash and bubbles after it.
    out = _burst(rng, rate, 250, 7000, 0.4)
    out = np.concatenate([out, np.zeros(_n(rate, 0.4))])
    m = _n(rate, 0.04)
    for _ in range(10):
        f0 = float(rng.uniform(300, 900))
        blip = np.sin(sweep(m, rate, f0, f0 * 2.0)) * decay(m, rate, 0.04, 0.002)
        _at(out, 0.25 * blip, float(rng.uniform(0.05, 0.6)), rate)
    return out


def _paper(rng: np.random.Generator, rate: int) -> Array:
    # Paper handled: a page's swish and the crisp crackle of its creases.
    m = _n(rate, 0.5)
    swish = noise(rng, m, rate, lambda f: band(f, 2500, 12000, 1.5))
    swish *= np.sin(np.pi * np.linspace(0.15, 1.0, m)) ** 2
    crackle = shaped(scatter(rng, m, rate, 90, 1.0), rate, lambda f: band(f, 4000, 0, 2.0))
    crackle[0] = 0.5 * np.max(np.abs(crackle))  # the first crease as it is touched
    return np.asarray(0.5 * swish + crackle)


def _scratch(rng: np.random.Generator, rate: int) -> Array:
    # A pen or brush on paper: a grainy hiss in strokes.
    m = _n(rate, 0.8)
    grain = noise(rng, m, rate, lambda f: band(f, 1200, 4000, 2.0))
    strokes = np.clip(
        np.sin(2 * np.pi * float(rng.uniform(4, 7)) * np.arange(m) / rate + 1.4), 0, 1
    )
    return np.asarray(grain * (0.15 + strokes) * np.linspace(1.0, 0.7, m))


def _cup(rng: np.random.Generator, rate: int) -> Array:
    # A porcelain cup set on a table: a short clink over a dull knock.
    m = _n(rate, 0.35)
    f0 = float(rng.uniform(2300, 2800))
    clink = partials(m, rate, [f0, f0 * 1.58, f0 * 2.31], [1.0, 0.6, 0.35], [0.18, 0.12, 0.08])
    return np.asarray(clink + _at(np.zeros(m), 0.8 * _thud(rng, rate, 220.0, 0.025), 0.0, rate))


def _glass(rng: np.random.Generator, rate: int) -> Array:
    # Glass breaking: a crash, then shards ringing high as they scatter.
    out = 0.7 * _burst(rng, rate, 1500, 10000, 0.04)
    out = np.concatenate([out, np.zeros(_n(rate, 1.0))])
    m = _n(rate, 0.4)
    for _ in range(24):
        f0 = float(rng.uniform(2500, 6500))
        shard = partials(m, rate, [f0, f0 * 1.7], [1.0, 0.4], [0.3, 0.15])
        _at(out, float(rng.uniform(0.2, 0.6)) * shard, float(rng.uniform(0.0, 0.7)), rate)
    return out


def _punch(rng: np.random.Generator, rate: int) -> Array:
    # A fist landing: a deep thump and the slap of skin and cloth.
    out = _thud(rng, rate, float(rng.uniform(70, 95)), 0.09)
    _at(out, 0.5 * _burst(rng, rate, 800, 5000, 0.02), 0.0, rate)
    return out


def _fall(rng: np.random.Generator, rate: int) -> Array:
    # A body hitting the ground: a heavy thud, a second as it settles, cloth.
    out = np.zeros(_n(rate, 0.8))
    _at(out, _thud(rng, rate, 55.0, 0.2), 0.0, rate)
    _at(out, 0.4 * _burst(rng, rate, 200, 3000, 0.15), 0.0, rate)
    _at(out, 0.5 * _thud(rng, rate, 75.0, 0.1), float(rng.uniform(0.12, 0.2)), rate)
    _at(out, 0.25 * _burst(rng, rate, 800, 6000, 0.25), 0.15, rate)
    return out


def _land(rng: np.random.Generator, rate: int) -> Array:
    # Landing from a jump: two feet, a moment apart, and a skid of grit.
    out = np.zeros(_n(rate, 0.4))
    for k, at in enumerate((0.0, float(rng.uniform(0.03, 0.06)))):
        _at(out, (1.0 - 0.3 * k) * _thud(rng, rate, 120.0, 0.06), at, rate)
        _at(out, 0.5 * _burst(rng, rate, 500, 4000, 0.04), at, rate)
    _at(out, 0.3 * _burst(rng, rate, 1500, 8000, 0.15), 0.08, rate)
    return out


def _bird(rng: np.random.Generator, rate: int) -> Array:
    # A bird's call: one phrase of a song bird.
    return bird(rng, rate)


def _bell(rng: np.random.Generator, rate: int) -> Array:
    # A hand bell or a small temple bell: bright partials ringing for seconds.
    f0 = float(rng.uniform(700, 1000))
    m = _n(rate, 3.0)
    ring = partials(
        m,
        rate,
        [f0, f0 * 2.0, f0 * 2.4, f0 * 3.0, f0 * 4.2, f0 * 5.4],
        [1.0, 0.6, 0.5, 0.35, 0.25, 0.15],
        [3.0, 2.2, 1.8, 1.2, 0.8, 0.5],
    )
    m2 = _n(rate, 0.005)
    ring[:m2] += 0.5 * noise(rng, m2, rate, lambda f: band(f, 2000, 10000))
    return ring


def _whoosh(rng: np.random.Generator, rate: int) -> Array:
    # A blade or a fist swung through the air: a swelling rush that rises and falls.
    m = _n(rate, 0.35)
    low = noise(rng, m, rate, lambda f: band(f, 300, 1200, 2.0))
    high = noise(rng, m, rate, lambda f: band(f, 1200, 5000, 2.0))
    t = np.linspace(0.0, 1.0, m)
    env = np.sin(np.pi * t) ** 2 + 0.05
    return np.asarray(env * (low * (1 - t) + high * np.sin(np.pi * t)))


def _gunshot(rng: np.random.Generator, rate: int) -> Array:
    # A gunshot: a sharp crack, a boom, the echo dying away.
    out = np.zeros(_n(rate, 1.2))
    _at(out, _burst(rng, rate, 500, 12000, 0.05), 0.0, rate)
    _at(out, 0.8 * _thud(rng, rate, 70.0, 0.25), 0.0, rate)
    _at(out, 0.25 * _burst(rng, rate, 200, 4000, 0.9), 0.02, rate)
    return out


def _rustle(rng: np.random.Generator, rate: int) -> Array:
    # Clothes moving: soft, dull swishes.
    m = _n(rate, 0.5)
    cloth = noise(rng, m, rate, lambda f: band(f, 500, 4000, 1.0))
    env = swell(rng, m, rate, 12.0, 1.0) ** 2 * np.sin(np.pi * np.linspace(0.02, 1.0, m)) ** 0.5
    env[: _n(rate, 0.01)] = np.maximum(env[: _n(rate, 0.01)], 0.6)
    return np.asarray(cloth * env)


def _tick(rng: np.random.Generator, rate: int) -> Array:
    # A clock: tick, and half a second later the lower tock.
    out = np.zeros(_n(rate, 0.62))
    m = _n(rate, 0.03)
    for at, f0 in ((0.0, 3200.0), (0.5, 2400.0)):
        f0 *= float(rng.uniform(0.97, 1.03))  # no two clocks alike
        click = partials(m, rate, [f0, f0 * 1.9], [1.0, 0.5], [0.012, 0.008])
        _at(out, click, at, rate)
    return out


def _pour(rng: np.random.Generator, rate: int) -> Array:
    # Tea or wine poured: a gurgling stream whose note rises as the cup fills.
    m = _n(rate, 1.2)
    stream = noise(rng, m, rate, lambda f: band(f, 400, 5000, 1.0))
    gurgle = scatter(rng, m, rate, 40, 0.5)
    k = _n(rate, 0.02)
    out = np.zeros(m)
    for part in range(4):  # the cup's resonance rises as it fills
        f0 = 500.0 * 1.25**part
        piece = slice(part * m // 4, (part + 1) * m // 4)
        blip = np.sin(sweep(k, rate, f0, f0 * 1.4)) * decay(k, rate, 0.02, 0.001)
        out[piece] = circular(gurgle[piece], blip)
    env = np.minimum(1.0, np.linspace(3.0, 0.0, m))
    env[: _n(rate, 0.05)] = np.maximum(env[: _n(rate, 0.05)], 0.8)
    return np.asarray((0.5 * stream + 2.0 * out / max(float(np.max(np.abs(out))), 1e-9)) * env)


FOLEY: dict[str, _Recipe] = {
    "footstep": _footstep,
    "footstep_run": _footstep_run,
    "sword_clash": _sword_clash,
    "sword_draw": _sword_draw,
    "door": _door,
    "knock": _knock,
    "thunder": _thunder,
    "splash": _splash,
    "paper": _paper,
    "scratch": _scratch,
    "cup": _cup,
    "glass": _glass,
    "punch": _punch,
    "fall": _fall,
    "land": _land,
    "bird": _bird,
    "bell": _bell,
    "whoosh": _whoosh,
    "gunshot": _gunshot,
    "rustle": _rustle,
    "tick": _tick,
    "pour": _pour,
}
