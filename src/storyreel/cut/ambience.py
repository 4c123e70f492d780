"""Ambience beds: the sound of a place, generated, so nothing is downloaded.

    track = bed("rain", 30.0)            # 30 s of rain at 48 kHz, RMS at BED_RMS_DBFS
    layers_for("harbour", "ext", "night", [("rain", 0.8)])
    # (('harbour', 0.0), ('rain', -3.6), ('insects', -14.0))

Each kind is a loop of some seconds built from circular pieces (see synth.py), so it
repeats without a click, the same for the same (kind, seed, rate); a longer bed tiles
the loop. Loops are cached (a few dozen, bounded), so a film's scenes share them.
Which beds a scene gets is data: the `setting/`, `weather/`, `time/` and `default/`
entries of vocab/sound.yaml, which a project's vocab/sound.yaml extends.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np

from storyreel.cut.synth import (
    Array,
    Track,
    at_level,
    band,
    bird,
    circular,
    creak,
    decay,
    gull,
    lay,
    noise,
    partials,
    peak,
    periodic,
    rng_for,
    scatter,
    shaped,
    sweep,
    swell,
    tile,
    tones,
    unit,
)
from storyreel.timeline import FILM_RATE
from storyreel.vocab import Vocabulary, VocabularyError, load_vocabulary

# Every bed's RMS level, in dBFS: quiet enough under dialogue at 0 dB gain, loud
# enough to be heard; the mix sets each layer's gain relative to it. Peaks (a thunder
# clap, a gull) are bent softly under BED_PEAK_DBFS.
BED_RMS_DBFS = -26.0
BED_PEAK_DBFS = -3.0
# A weather's gain follows its intensity: +-6 dB at 1 and 0 around the middle (0.5).
_INTENSITY_DB = 12.0
# At most this many beds under one scene: more is mud.
MAX_LAYERS = 4

_Recipe = Callable[[np.random.Generator, int, int], Array]


def bed(
    kind: str, seconds: float, *, rate: int = FILM_RATE, seed: int = 0, start: float = 0.0
) -> Track:
    """`seconds` of the ambience `kind` (one of BEDS), mono float32 at `rate`, at
    BED_RMS_DBFS; the same for the same (kind, seed, rate), seamless where it loops.
    `start` is where in the bed it begins, in seconds: give a scene's film time, and two
    scenes of the same place on either side of a cut carry on one bed, without a jump."""
    if kind not in BEDS:
        raise ValueError(f"no ambience bed {kind!r}: the beds are {', '.join(sorted(BEDS))}")
    if not 0 <= seconds <= 24 * 3600:
        raise ValueError(f"a bed lasts 0 s to a day, not {seconds} s")
    if not 8000 <= rate <= 192_000:
        raise ValueError(f"a bed's rate is 8000 to 192000 Hz, not {rate}")
    if not 0 <= start <= 24 * 3600:
        raise ValueError(f"a bed starts 0 s to a day in, not {start} s")
    return tile(_loop(kind, seed, rate), round(seconds * rate), round(start * rate))


def mixed(
    layers: Sequence[tuple[str, float]],
    seconds: float,
    *,
    rate: int = FILM_RATE,
    seed: int = 0,
    start: float = 0.0,
) -> Track:
    """The beds of `layers` (kind, gain in dB: what layers_for gives) summed, each from
    `start` as in bed(); silence for no layers."""
    out = np.zeros(round(seconds * rate), dtype=np.float32)
    for kind, gain in layers:
        out += bed(kind, seconds, rate=rate, seed=seed, start=start) * np.float32(10 ** (gain / 20))
    return out


def loop(kind: str, *, rate: int = FILM_RATE, seed: int = 0) -> Track:
    """The loop a bed of `kind` repeats (read-only, shared): for a mix that lays it
    round and round itself."""
    if kind not in BEDS:
        raise ValueError(f"no ambience bed {kind!r}: the beds are {', '.join(sorted(BEDS))}")
    return _loop(kind, seed, rate)


@functools.lru_cache(maxsize=24)
def _loop(kind: str, seed: int, rate: int) -> Track:
    seconds, recipe = BEDS[kind]
    n = round(seconds * rate)
    out = at_level(recipe(rng_for("bed", kind, seed, rate), n, rate), BED_RMS_DBFS, BED_PEAK_DBFS)
    out.flags.writeable = False
    return out


# --- which beds a scene gets -----------------------------------------------------------


def layers_for(
    setting_kind: str | None,
    interior: str | None,
    time: str | None,
    weather: Sequence[tuple[str, float]],
    *,
    vocabulary: Vocabulary | None = None,
) -> tuple[tuple[str, float], ...]:
    """The beds a scene gets and their gains in dB (loudest first, at most MAX_LAYERS):
    its setting's (`setting/<kind>`; an unknown or missing kind takes `default/int` or
    `default/ext`), its time of day's (`time/night`: insects outdoors) and its
    weather's (`weather/<kind>`, louder the stronger it is). `interior` is "int" or
    "ext"; None takes the setting's own (settings.yaml), else interior."""
    vocabulary = vocabulary or load_vocabulary()
    sound = vocabulary.sound
    setting = vocabulary.settings.get(setting_kind) if setting_kind else None
    inside = (interior or (setting.interior if setting else "int")) == "int"
    gains: dict[str, float] = {}

    def take(key: str, offset: float = 0.0) -> None:
        entry = sound.get(key)
        if entry is None:
            return
        for beds in (entry.beds, entry.indoors if inside else entry.outdoors):
            for name, gain in beds.items():
                if name not in BEDS:
                    raise VocabularyError(
                        f"sound entry {key!r} names the bed {name!r}; the beds are "
                        f"{', '.join(sorted(BEDS))}"
                    )
                gains[name] = max(gains.get(name, -120.0), gain + offset)

    key = f"setting/{setting_kind}"
    take(key if setting_kind and key in sound else f"default/{'int' if inside else 'ext'}")
    if time:
        take(f"time/{time}")
    for kind, intensity in weather:
        if intensity > 0:
            take(f"weather/{kind}", _INTENSITY_DB * (min(intensity, 1.0) - 0.5))
    ranked = sorted(gains.items(), key=lambda item: (-item[1], item[0]))
    return tuple((name, round(gain, 2)) for name, gain in ranked[:MAX_LAYERS])


# --- the recipes ------------------------------------------------------------------------
# Each takes a generator, the loop's length in samples and the rate, and returns the
# loop at any level (it is set afterwards). Frequencies are in Hz, so every rate gets
# the same sound (less what lies above its Nyquist limit).


def _room(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Air and the building: a dull, steady low rumble with a faint mains hum.
    air = noise(rng, n, rate, lambda f: band(f, 25, 250, 1.5) + 0.04 * band(f, 250, 3000))
    return np.asarray(air + tones(n, rate, [60, 120, 180], [0.12, 0.06, 0.03], rng))


def _hum(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Machines: fans and ventilation, with strong tonal lines of motors and mains.
    vent = noise(rng, n, rate, lambda f: band(f, 120, 2500, 1.0) * peak(f, 700, 0.7))
    lines = tones(n, rate, [100, 200, 300, 400, 87], [0.9, 0.5, 0.35, 0.25, 0.4], rng)
    return np.asarray(0.5 * vent + lines)


def _wind(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Air moving past things: low broad noise in slow gusts, and a whistling band
    # that rises with them.
    body = noise(rng, n, rate, lambda f: band(f, 60, 450, 1.5))
    gusts = swell(rng, n, rate, 0.25, 0.85) ** 2
    whistle = noise(rng, n, rate, lambda f: peak(f, 650, 5.0) + 0.6 * peak(f, 1000, 6.0))
    return np.asarray(body * gusts + 0.35 * whistle * gusts**3)


def _blizzard(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A snowstorm: a roaring, hissing wind, higher and fiercer than a breeze.
    roar = noise(rng, n, rate, lambda f: band(f, 150, 1800, 1.0))
    hiss = noise(rng, n, rate, lambda f: band(f, 2500, 9000, 1.5))
    gusts = swell(rng, n, rate, 0.5, 0.6)
    howl = noise(rng, n, rate, lambda f: peak(f, 450, 8.0) + peak(f, 820, 8.0))
    return np.asarray(gusts * (roar + 0.7 * hiss) + 0.6 * howl * gusts**2)


def _drops(rng: np.random.Generator, n: int, rate: int, per_second: float, lo: float) -> Array:
    # Raindrops: many tiny ringing clicks, in a few pitch groups, each group's clicks
    # rung through its drop's sound in the frequency domain, one inverse FFT for all.
    spectrum = np.zeros(n // 2 + 1, dtype=np.complex128)
    m = round(0.006 * rate)
    for centre in (lo, lo * 1.6, lo * 2.5):
        ring = np.sin(sweep(m, rate, centre, centre * 1.3)) * decay(m, rate, 0.004, 0.0)
        spectrum += np.fft.rfft(scatter(rng, n, rate, per_second / 3, 0.8)) * np.fft.rfft(ring, n)
    return np.fft.irfft(spectrum, n)


def _rain(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Steady hiss of falling water, bright, with the patter of drops over it.
    wash = noise(rng, n, rate, lambda f: band(f, 900, 9000, 1.5))
    patter = unit(_drops(rng, n, rate, 900, 1800))
    return np.asarray(wash * swell(rng, n, rate, 1.0, 0.15) + 0.8 * patter)


def _storm(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Heavy rain over a low wind, and thunder rolling in twice a loop.
    wash = noise(rng, n, rate, lambda f: band(f, 300, 8000, 1.0))
    patter = unit(_drops(rng, n, rate, 1500, 1200))
    wind = noise(rng, n, rate, lambda f: band(f, 40, 300, 1.5)) * swell(rng, n, rate, 0.3, 0.7)
    out = wash + 0.6 * patter + 0.6 * wind
    for k in range(2):
        at = int((k + rng.uniform(0.1, 0.6)) * n / 2)
        lay(out, 3.5 * _rumble(rng, rate, seconds=float(rng.uniform(4.0, 6.0))), at)
    return out


def _rumble(rng: np.random.Generator, rate: int, seconds: float) -> Array:
    """Distant thunder: low noise that swells in a fraction of a second and rolls
    away over seconds, unevenly."""
    m = round(seconds * rate)
    low = noise(rng, m, rate, lambda f: band(f, 25, 160, 2.0) / np.maximum(f, 25) ** 0.5)
    roll = swell(rng, m, rate, 3.0, 0.7)
    return np.asarray(low * roll * decay(m, rate, seconds, attack=0.3))


def _sea(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Surf: waves building for seconds, breaking into a bright wash, drawing back.
    body = noise(rng, n, rate, lambda f: band(f, 120, 2500, 1.0))
    foam = noise(rng, n, rate, lambda f: band(f, 1500, 9000, 1.5))
    waves = 3
    t = np.arange(n) / n * waves
    phase = t - np.floor(t)
    offsets = rng.uniform(-0.06, 0.06, waves)
    env = np.zeros(n)
    for w in range(waves):
        # Each wave a rise to its break (at 55 % of its cycle) and a long fall.
        p = (phase - offsets[w]) % 1.0 if w == 0 else phase
        mask = np.floor(t) == w
        p = p[mask]
        env[mask] = np.where(p < 0.55, (p / 0.55) ** 3, np.exp(-(p - 0.55) * 5.0))
    env = 0.15 + 0.85 * env
    return np.asarray(body * env + 0.6 * foam * env**3)


def _harbour(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Water lapping at the quay, gulls crying now and then, ropes and hulls creaking.
    lap_env = swell(rng, n, rate, 2.5, 1.0) ** 3
    lap = noise(rng, n, rate, lambda f: band(f, 200, 1400, 2.0)) * lap_env
    deep = 0.4 * noise(rng, n, rate, lambda f: band(f, 40, 200, 2.0))
    out = lap + deep
    # A gull's cries in each quarter of the loop, so no stretch of it is without one.
    for quarter in range(4):
        at = int((quarter + rng.uniform(0, 0.5)) * n / 4)
        for note in range(int(rng.integers(2, 5))):
            lay(out, 2.5 * gull(rng, rate), at + round(note * rng.uniform(0.3, 0.45) * rate))
    for half in range(2):
        lay(out, 1.2 * creak(rng, rate), int((half + rng.uniform(0, 1)) * n / 2))
    return out


def _crowd(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Many people talking at once: voiced babble in syllables, under a murmur.
    voices = np.zeros(n)
    for v in range(10):
        f0 = rng.uniform(100, 240) * (swell(rng, n, rate, 2.0, 0.25) + 0.1)
        cycles = round(float(np.sum(f0)) / rate)  # a whole number of cycles: no seam
        phase = np.cumsum(f0) / rate * (cycles / (np.sum(f0) / rate))
        source = 2 * ((phase + rng.uniform()) % 1.0) - 1.0  # a buzz, like the voice's folds
        syllables = swell(rng, n, rate, 5.0, 1.0) ** 2 * (swell(rng, n, rate, 0.4, 0.9) ** 2)
        voices += source * syllables * (0.6 + 0.4 * (v % 3))
    murmur = noise(rng, n, rate, lambda f: band(f, 200, 2500))
    return np.asarray(_formants(voices, rate) + 0.35 * murmur)


def _formants(x: Array, rate: int) -> Array:
    """The voice band with two broad vowel resonances."""

    def vowels(f: Array) -> Array:
        return band(f, 120, 3500, 1.5) * (0.3 + peak(f, 550, 2.0) + 0.7 * peak(f, 1500, 2.5))

    return unit(shaped(x, rate, vowels))


def _traffic(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A street: the low roar of engines, cars passing one by one, a horn far off.
    roar = noise(rng, n, rate, lambda f: band(f, 30, 300, 1.5))
    out = 0.8 * roar
    for _ in range(6):
        lay(out, 1.6 * _car(rng, rate, float(rng.uniform(2.5, 4.5))), int(rng.uniform(0, n)))
    m = round(0.45 * rate)
    t = np.arange(m) / rate
    horn = (np.sign(np.sin(2 * np.pi * 415 * t)) + np.sign(np.sin(2 * np.pi * 523 * t))) * (
        np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.02)
    )
    lay(out, 0.25 * horn, int(rng.uniform(0, n)))
    return out


def _car(rng: np.random.Generator, rate: int, seconds: float) -> Array:
    """A car going by: tyre noise and an engine note swelling and falling, its pitch
    dropping as it passes."""
    m = round(seconds * rate)
    t = np.linspace(-1.0, 1.0, m)
    env = np.exp(-((t / 0.35) ** 2))
    tyres = noise(rng, m, rate, lambda f: band(f, 150, 3000, 1.0))
    engine_hz = rng.uniform(35, 70) * (1 + 0.08 * np.tanh(-t / 0.15))
    cycles = np.cumsum(engine_hz) / rate
    engine = _ENGINE[(cycles * len(_ENGINE)).astype(np.int64) % len(_ENGINE)]
    return np.asarray(env * (tyres + 0.6 * engine))


# One cycle of an engine's note (seven harmonics falling 1/k), read by phase: a table
# lookup per sample instead of seven sines.
_ENGINE: Array = np.sum(
    [np.sin(k * 2 * np.pi * np.arange(2048) / 2048) / k for k in range(1, 8)], axis=0
)


def _forest(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Leaves in a soft breeze and birds calling near and far.
    leaves = noise(rng, n, rate, lambda f: band(f, 1200, 7000, 1.0)) * swell(rng, n, rate, 0.3, 0.6)
    out = 0.35 * leaves
    for _ in range(12):
        lay(out, float(rng.uniform(0.8, 3.0)) * bird(rng, rate), int(rng.uniform(0, n)))
    return out


def _insects(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A summer night: crickets chirping in pulses, each at its own pitch and pace.
    t = np.arange(n) / rate
    out = np.zeros(n)
    for _ in range(4):
        carrier = np.sin(2 * np.pi * periodic(n, rate, rng.uniform(3800, 5200)) * t)
        chirp_hz = periodic(n, rate, rng.uniform(1.5, 3.0))
        pulse_hz = rng.uniform(28, 40)
        in_chirp = ((t * chirp_hz + rng.uniform()) % 1.0) < 0.3
        pulses = np.clip(np.sin(2 * np.pi * pulse_hz * t), 0, None) ** 2
        out += float(rng.uniform(0.5, 1.0)) * carrier * pulses * in_chirp
    hiss = noise(rng, n, rate, lambda f: band(f, 5000, 9000, 2.0))
    return np.asarray(unit(out) + 0.15 * hiss)


def _train(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Riding a train: a heavy low rumble, a rattle, wheels clacking over rail joints.
    rumble = noise(rng, n, rate, lambda f: band(f, 25, 180, 2.0)) * swell(rng, n, rate, 0.5, 0.3)
    rattle = noise(rng, n, rate, lambda f: band(f, 500, 3000, 1.5))
    out = rumble + 0.15 * rattle
    period = n / round(n / (1.15 * rate))  # joints pass about every 1.15 s, a whole number
    m = round(0.08 * rate)
    for k in range(round(n / period)):
        for offset in (0.0, 0.14):  # the two axles of a bogie: ta-tak
            thump = noise(rng, m, rate, lambda f: band(f, 80, 2500, 1.0)) * decay(m, rate, 0.07)
            lay(out, 1.4 * thump, round(k * period + offset * rate))
    return out


def _temple(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Monks chanting on one low note, and a great bell struck, ringing for seconds.
    root = rng.uniform(100, 125)
    freqs: list[float] = []
    amps: list[float] = []
    for voice, ratio in enumerate((1.0, 1.0, 1.5)):
        f = root * ratio + voice * 0.3  # two voices a hair apart: they beat slowly
        for h in range(1, 16):
            hz = f * h  # the vowel "o": partials near 450 and 800 Hz stronger
            formant = 3 * np.exp(-(((hz - 450) / 150) ** 2)) + 2 * np.exp(
                -(((hz - 800) / 200) ** 2)
            )
            freqs.append(hz)
            amps.append(float(0.5 + formant) / h)
    chant = tones(n, rate, freqs, amps, rng)
    chant *= swell(rng, n, rate, 0.3, 0.4)
    out = unit(chant)
    m = min(n, round(7.0 * rate))
    bell_hz = rng.uniform(180, 260)
    ratios = [0.5, 1.0, 1.19, 1.5, 2.0, 2.52, 3.0, 4.1]
    ring = partials(
        m,
        rate,
        [bell_hz * r for r in ratios] + [bell_hz * 1.003],  # a slow beat in the hum
        [0.8, 1.0, 0.5, 0.4, 0.35, 0.25, 0.2, 0.1, 0.7],
        [7.0, 6.0, 4.0, 3.0, 2.5, 1.8, 1.2, 0.8, 6.0],
    )
    for k in range(2):
        lay(out, 2.2 * ring, round((k + 0.2) * n / 2))
    return out


def _fire(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A fire: a soft flickering roar, hiss, and the sharp crackles and pops of wood.
    roar = noise(rng, n, rate, lambda f: band(f, 80, 700, 1.5)) * swell(rng, n, rate, 4.0, 0.4)
    hiss = noise(rng, n, rate, lambda f: band(f, 2500, 8000, 1.0))
    # Many small crackles and a few louder pops, their sizes spread only so far that
    # no single one sets the bed's level; each a click of the band's own ring.
    crackles = scatter(rng, n, rate, 60, 0.6) + 3 * scatter(rng, n, rate, 3, 0.3)
    crackles = shaped(crackles, rate, lambda f: band(f, 800, 6000, 1.0))
    return np.asarray(roar + 0.15 * hiss + 1.2 * unit(crackles))


def _underwater(rng: np.random.Generator, n: int, rate: int) -> Array:
    # Beneath the surface: a muffled low pressure, and bubbles rising.
    out = noise(rng, n, rate, lambda f: band(f, 20, 350, 2.5))
    m = round(0.05 * rate)
    for _ in range(round(3 * n / rate)):
        f0 = rng.uniform(250, 600)
        bubble = np.sin(sweep(m, rate, f0, f0 * 2.2)) * decay(m, rate, 0.05, 0.003)
        lay(out, float(rng.uniform(0.3, 1.2)) * bubble, int(rng.uniform(0, n)))
    return out


def _cave(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A cave: a dark hush, and water dripping into pools, echoing off the rock.
    out = 0.3 * noise(rng, n, rate, lambda f: band(f, 20, 150, 2.0))
    m = round(0.04 * rate)
    for _ in range(round(1.2 * n / rate)):
        f0 = rng.uniform(700, 1400)
        drip = np.sin(sweep(m, rate, f0, f0 * 1.8, 0.5)) * decay(m, rate, 0.04, 0.0005)
        at = int(rng.uniform(0, n))
        for k, delay in enumerate((0.0, 0.09, 0.17, 0.26, 0.37)):
            lay(out, drip * 2.5 * 0.55**k, at + round(delay * rate))
    return out


def _stream(rng: np.random.Generator, n: int, rate: int) -> Array:
    # A brook or river: rushing water and its many small bubbling notes.
    rush = noise(rng, n, rate, lambda f: band(f, 250, 3500, 1.0)) * swell(rng, n, rate, 2.0, 0.3)
    m = round(0.015 * rate)
    blips = np.zeros(n)
    for lo in (450.0, 700.0, 1100.0):
        blip = np.sin(sweep(m, rate, lo, lo * 1.7)) * np.sin(np.pi * np.linspace(0, 1, m))
        blips += circular(scatter(rng, n, rate, 25, 0.6), blip)
    return np.asarray(rush + 0.8 * unit(blips))


# kind: (seconds a loop lasts, recipe). Event-rich beds get longer loops, so their
# repeats are harder to hear.
BEDS: dict[str, tuple[float, _Recipe]] = {
    "room": (8.0, _room),
    "hum": (8.0, _hum),
    "wind": (16.0, _wind),
    "blizzard": (12.0, _blizzard),
    "rain": (8.0, _rain),
    "storm": (16.0, _storm),
    "sea": (21.0, _sea),
    "harbour": (16.0, _harbour),
    "crowd": (12.0, _crowd),
    "traffic": (18.0, _traffic),
    "forest": (16.0, _forest),
    "insects": (8.0, _insects),
    "train": (11.5, _train),
    "temple": (16.0, _temple),
    "fire": (10.0, _fire),
    "underwater": (10.0, _underwater),
    "cave": (12.0, _cave),
    "stream": (10.0, _stream),
}
