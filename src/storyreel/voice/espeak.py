"""The embedded speech engine: espeak-ng's C API through ctypes, no system package.

The library and its voice data come from the `espeakng-loader` wheel. What running it
showed shapes this module:

* espeak-ng keeps synthesis state in C statics that nothing resets (the pitch-flutter
  phase, gain control, echo buffer). Reusing one initialised library makes the same
  line come out a few hundred samples longer or shorter depending on what was spoken
  before it. Every utterance therefore runs in a freshly loaded library instance, which
  is unloaded again afterwards; loading and initialising costs about a millisecond, and
  buys output that depends only on (text, language, profile).
* That instance is a private copy of the shared object, so another component of the
  same process that loads the wheel's espeak-ng (a phonemizer, say) neither shares its
  global state with us nor keeps the library mapped, which would stop the reset above.
* Initialisation also seeds the breath-noise generator from the clock, so it is
  re-seeded with a constant after every initialisation.
* `espeak_Initialize(path=NULL)` looks in a path baked in when the wheel was built (a CI
  runner's home) and fails. Given a path, espeak-ng 1.52 accepts the folder that
  contains `espeak-ng-data` or that folder itself; the documented form, the parent, is
  used. An explicit path takes precedence over the ESPEAK_DATA_PATH environment
  variable, so that variable does not matter here. Without
  espeakINITIALIZE_DONT_EXIT a data error calls exit() and takes Python down with it.
"""

from __future__ import annotations

import _ctypes
import atexit
import ctypes
import functools
import os
import shutil
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

import espeakng_loader
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from storyreel.errors import VoiceError
from storyreel.voice.base import PhonemeTiming, Speech, VoiceProfile, WordTiming
from storyreel.voice.japanese import KANJI, Reading, kana_reading, unreadable_kanji

if TYPE_CHECKING:
    from ctypes import _Pointer

# storyreel language code → espeak-ng voice. Every one of these was checked to speak
# its own script with the wheel's data (cmn and yue ship the extended dictionaries, so
# hanzi are read, not spelled out).
_ESPEAK_VOICES: dict[str, str] = {
    "zh": "cmn",
    "yue": "yue",
    "en": "en-us",
    "ja": "ja",
    "ko": "ko",
    "es": "es",
}
SUPPORTED_LANGS: frozenset[str] = frozenset(_ESPEAK_VOICES)

# From espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
# Phoneme events (type 7) carry each phoneme's name; with the IPA flag the name is IPA,
# one vocabulary for every language, which is what the mouth shapes are keyed on.
_INITIALIZE_PHONEME_EVENTS = 0x0001
_INITIALIZE_PHONEME_IPA = 0x0002
_EVENT_LIST_TERMINATED = 0
# espeak_TextToPhonemes' phonememode: IPA (bit 1), with "^" (bits 8-23) tying the
# letters of one phoneme (bit 7), so t^ʃ is told from t followed by ʃ.
_PHONEMES_IPA_TIED = 0x02 | 0x80 | (ord("^") << 8)
_EVENT_WORD = 1
_EVENT_PHONEME = 7
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_RATE, _VOLUME, _PITCH, _RANGE = 1, 2, 3, 4
_EE_OK = 0
_NOISE_SEED = 1
# Milliseconds of audio per callback; larger chunks mean fewer Python round trips.
_BUFFER_MS = 200

# Lead-in and tail kept around the speech when trimming, and what counts as silence
# (about -48 dBFS: espeak-ng's pauses are digital zeros plus a faint echo tail).
_KEEP_SILENCE_S = 0.05
_SILENCE = 0.004


class _Event(ctypes.Structure):
    # espeak_EVENT. The pointer and the 8-byte union follow six 4-byte fields, so on
    # 64-bit there is no padding and the struct is 40 bytes; ctypes applies the same
    # alignment rules as the C compiler, so this also holds on 32-bit.
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),  # 1-based, in characters with espeakCHARS_UTF8
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds
        ("sample", ctypes.c_int),  # samples since the start of this message
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_char * 8),  # union { int number; const char *name; char string[8]; }
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class _Take:
    """What the callback collects during one espeak_Synth call."""

    chunks: list[NDArray[np.int16]] = field(default_factory=list)
    # (1-based character position, length in characters, sample offset)
    words: list[tuple[int, int, int]] = field(default_factory=list)
    # (IPA phoneme, sample offset)
    phonemes: list[tuple[str, int]] = field(default_factory=list)
    error: BaseException | None = None


# espeak-ng is one global state machine: the lock makes each utterance exclusive, and
# `_take` is only ever set while it is held.
_LOCK = threading.Lock()
_take: _Take | None = None
_sample_rate = 22050


def _on_synth(
    wav: _Pointer[ctypes.c_short] | None, numsamples: int, events: _Pointer[_Event] | None
) -> int:
    take = _take
    if take is None:
        return 1  # not ours: abort rather than write into nowhere
    try:
        if wav and numsamples > 0:
            # One copy per chunk: the buffer belongs to espeak-ng and is reused.
            chunk = np.ctypeslib.as_array(wav, shape=(numsamples,))
            take.chunks.append(chunk.astype(np.int16, copy=True))
        if events:
            i = 0
            while (event := events[i]).type != _EVENT_LIST_TERMINATED:
                if event.type in (_EVENT_WORD, _EVENT_PHONEME):
                    sample = event.sample
                    if sample == 0 and event.audio_position > 0:
                        sample = event.audio_position * _sample_rate // 1000
                    if event.type == _EVENT_WORD:
                        take.words.append((event.text_position, event.length, sample))
                    else:
                        name = event.id.split(b"\0", 1)[0].decode("utf-8", "replace")
                        take.phonemes.append((name, sample))
                i += 1
    except BaseException as exc:  # an exception cannot cross the C frames above us
        take.error = exc
        return 1
    return 0


# Kept referenced for the life of the process: espeak-ng holds the raw function pointer.
_SYNTH_CALLBACK = _SynthCallback(_on_synth)


class EspeakOptions(BaseModel):
    """espeak-ng has no engine-wide settings: how each character sounds (variant, pitch,
    rate) is theirs, in their `VoiceProfile`. Empty, so an unknown key is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EspeakVoice:
    """espeak-ng, embedded. Robotic but instant, offline and in every language storyreel
    writes; good for previs and as the fallback when no neural engine is configured."""

    name: str = "espeak"
    langs: frozenset[str] = SUPPORTED_LANGS
    Options: ClassVar[type[EspeakOptions]] = EspeakOptions

    def __init__(self, options: EspeakOptions | None = None) -> None:
        self.options = options or EspeakOptions()

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech:
        return synthesize(text, lang, voice)

    def identity(self) -> dict[str, str]:
        """The library and voice data that speak (part of every cached line's key)."""
        return {"espeakng-loader": _loader_version()}


@functools.cache
def _loader_version() -> str:
    return version("espeakng-loader")


def synthesize(text: str, lang: str, voice: VoiceProfile) -> Speech:
    """Speak `text` in storyreel language `lang` with `voice`.

    Japanese kanji are read as kana (see voice/japanese.py). Raises VoiceError for an
    empty line, an unsupported language, an unknown variant, a kanji with no known
    reading, or text that produces no audible sound.
    """
    code = lang.strip().lower()
    if code not in _ESPEAK_VOICES:
        supported = ", ".join(sorted(SUPPORTED_LANGS))
        raise VoiceError(f"espeak cannot speak language {lang!r}; supported languages: {supported}")
    if not text.strip():
        raise VoiceError("nothing to say: the line is empty")
    reading = None
    if code == "ja" and KANJI.search(text):
        # espeak-ng reads kana only; kanji are read through their dictionary reading.
        reading = kana_reading(text)
        if unknown := unreadable_kanji(reading.spoken):
            raise VoiceError(
                f"espeak-ng reads Japanese kana only and no reading is known for the "
                f"kanji {''.join(unknown)!r} in {text!r}; write them in kana"
            )
    if voice.variant not in _variants():
        raise VoiceError(
            f"unknown espeak-ng voice variant {voice.variant!r}; "
            f"known variants: {', '.join(sorted(_variants()))}"
        )
    # A NUL would end the C string early; a space keeps every character position.
    spoken = (reading.spoken if reading else text).replace("\x00", " ")
    pcm, take, rate = _speak(spoken, f"{_ESPEAK_VOICES[code]}+{voice.variant}", voice)
    speech = _finish(spoken, pcm, take, rate)
    return _written(speech, text, reading) if reading else speech


def _written(speech: Speech, text: str, reading: Reading) -> Speech:
    """Word timings moved from the kana that was spoken back onto the written line."""
    words = []
    for word in speech.words:
        start, end = reading.written_span(word.char_start, word.char_end)
        words.append(replace(word, text=text[start:end], char_start=start, char_end=end))
    return replace(speech, words=words)


# --- the library ------------------------------------------------------------------------


def _data_parent() -> bytes:
    data = Path(espeakng_loader.get_data_path())
    if not (data / "phontab").is_file():
        raise VoiceError(f"espeak-ng voice data is incomplete at {data}; reinstall espeakng-loader")
    return os.fsencode(data.parent)


@functools.cache
def _variants() -> frozenset[str]:
    folder = Path(espeakng_loader.get_data_path()) / "voices" / "!v"
    try:
        return frozenset(p.name for p in folder.iterdir() if p.is_file())
    except OSError as exc:
        raise VoiceError(f"cannot read espeak-ng voice variants in {folder}: {exc}") from exc


def espeak_variants() -> frozenset[str]:
    """The voice variants (f1, m3, grandma, ...) the installed data holds."""
    return _variants()


_private_copy: str | None = None
_copy_failed = False


def _library_path() -> str:
    """A per-process private copy of libespeak-ng (see the module docstring); the wheel's
    own file when a copy cannot be made or loaded, e.g. on a noexec temp folder."""
    global _private_copy
    source = str(espeakng_loader.get_library_path())
    if _copy_failed:
        return source
    # Re-made if it vanished, e.g. a forked child outliving the parent that cleaned up.
    if _private_copy is None or not os.path.exists(_private_copy):
        try:
            folder = tempfile.mkdtemp(prefix="storyreel-espeak-")
            target = os.path.join(folder, os.path.basename(source))
            shutil.copyfile(source, target)
        except OSError:
            return source
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _private_copy = target
    return _private_copy


def _load() -> ctypes.CDLL:
    global _copy_failed
    path = _library_path()
    source = str(espeakng_loader.get_library_path())
    try:
        lib = ctypes.CDLL(path)
    except OSError:
        if path == source:
            raise
        _copy_failed = True
        lib = ctypes.CDLL(source)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,  # text
        ctypes.c_size_t,  # size, including the terminator
        ctypes.c_uint,  # position
        ctypes.c_int,  # position_type
        ctypes.c_uint,  # end_position (0: none)
        ctypes.c_uint,  # flags
        ctypes.POINTER(ctypes.c_uint),  # unique_identifier
        ctypes.c_void_p,  # user_data
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Synchronize.argtypes = []
    lib.espeak_Synchronize.restype = ctypes.c_int
    lib.espeak_Terminate.argtypes = []
    lib.espeak_Terminate.restype = ctypes.c_int
    return lib


def _seeder(lib: ctypes.CDLL) -> Callable[[int], None] | None:
    """espeak_ng_SetRandSeed, where the library has it (espeak-ng 1.52 and later)."""
    try:
        function = lib.espeak_ng_SetRandSeed
    except AttributeError:
        return None
    function.argtypes = [ctypes.c_long]
    function.restype = None
    return cast("Callable[[int], None]", function)


def _unload(lib: ctypes.CDLL) -> None:
    # Dropping the last reference to a CDLL never unloads it; only this resets the statics.
    if sys.platform == "win32":
        _ctypes.FreeLibrary(lib._handle)
    else:
        _ctypes.dlclose(lib._handle)


def _speak(
    text: str, espeak_voice: str, profile: VoiceProfile
) -> tuple[NDArray[np.int16], _Take, int]:
    global _take, _sample_rate
    data = _data_parent()
    encoded = text.encode("utf-8")
    with _LOCK:
        try:
            lib = _load()
        except OSError as exc:
            raise VoiceError(f"cannot load the espeak-ng library: {exc}") from exc
        seed = _seeder(lib)
        initialised = False
        try:
            rate = lib.espeak_Initialize(
                _AUDIO_OUTPUT_SYNCHRONOUS,
                _BUFFER_MS,
                data,
                _INITIALIZE_DONT_EXIT | _INITIALIZE_PHONEME_EVENTS | _INITIALIZE_PHONEME_IPA,
            )
            if rate <= 0:
                raise VoiceError(
                    f"espeak-ng failed to initialise with its data in {data.decode()!r}"
                )
            initialised = True
            _sample_rate = rate
            # Initialize seeds the breath-noise generator from time(NULL), so breathy
            # variants (f2, f3, f5) would change from one second to the next.
            if seed is not None:
                seed(_NOISE_SEED)
            lib.espeak_SetSynthCallback(_SYNTH_CALLBACK)
            if lib.espeak_SetVoiceByName(espeak_voice.encode()) != _EE_OK:
                raise VoiceError(f"espeak-ng has no voice {espeak_voice!r} in its data")
            # After the voice: selecting a voice may reset these to its defaults.
            for parameter, value in (
                (_RATE, profile.rate),
                (_PITCH, profile.pitch),
                (_RANGE, profile.range),
                (_VOLUME, profile.volume),
            ):
                lib.espeak_SetParameter(parameter, value, 0)
            take = _Take()
            _take = take
            status = lib.espeak_Synth(
                encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
            )
            if status == _EE_OK:
                status = lib.espeak_Synchronize()
        finally:
            _take = None
            if initialised:
                lib.espeak_Terminate()
            _unload(lib)
    if take.error is not None:
        raise VoiceError(f"espeak-ng synthesis failed: {take.error}") from take.error
    if status != _EE_OK:
        raise VoiceError(f"espeak-ng synthesis failed with status {status}")
    pcm = np.concatenate(take.chunks) if take.chunks else np.zeros(0, dtype=np.int16)
    return pcm, take, rate


def ipa(text: str, lang: str) -> str:
    """`text` as espeak-ng's IPA phonemes, with stress marks and multi-letter phonemes
    tied by "^" (t^ʃ, a^ɪ), clauses joined by spaces. Punctuation is not kept: espeak-ng
    reads it as clause breaks. For engines that take phonemes rather than text (Kokoro).

    Runs in a fresh library instance under the same lock as speech (module docstring).
    """
    code = lang.strip().lower()
    # British English is read too: Kokoro's GB voices expect its phonemes.
    espeak_voice = {**_ESPEAK_VOICES, "en-gb": "en-gb"}.get(code)
    if espeak_voice is None:
        supported = ", ".join(sorted(SUPPORTED_LANGS))
        raise VoiceError(f"espeak cannot read language {lang!r}; supported languages: {supported}")
    data = _data_parent()
    source = ctypes.create_string_buffer(text.replace("\x00", " ").encode("utf-8"))
    clauses: list[str] = []
    with _LOCK:
        try:
            lib = _load()
        except OSError as exc:
            raise VoiceError(f"cannot load the espeak-ng library: {exc}") from exc
        initialised = False
        try:
            if (
                lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, _INITIALIZE_DONT_EXIT)
                <= 0
            ):
                raise VoiceError(
                    f"espeak-ng failed to initialise with its data in {data.decode()!r}"
                )
            initialised = True
            if lib.espeak_SetVoiceByName(espeak_voice.encode()) != _EE_OK:
                raise VoiceError(f"espeak-ng has no voice {espeak_voice!r} in its data")
            convert = lib.espeak_TextToPhonemes
            convert.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
            convert.restype = ctypes.c_char_p
            # The pointer is advanced clause by clause and set to NULL after the last.
            cursor = ctypes.c_void_p(ctypes.addressof(source))
            while cursor.value:
                out = convert(ctypes.byref(cursor), _CHARS_UTF8, _PHONEMES_IPA_TIED)
                if out:
                    clauses.append(out.decode("utf-8", "replace").strip())
        finally:
            if initialised:
                lib.espeak_Terminate()
            _unload(lib)
    return " ".join(c for c in clauses if c)


# --- shaping the result -----------------------------------------------------------------


def _finish(text: str, pcm: NDArray[np.int16], take: _Take, rate: int) -> Speech:
    samples = pcm.astype(np.float32) / np.float32(32768.0)
    loud = np.flatnonzero(np.abs(samples) > _SILENCE)
    if len(loud) == 0:
        raise VoiceError(f"espeak-ng produced no audible speech for {text!r}")
    keep = round(_KEEP_SILENCE_S * rate)
    lo = max(0, int(loud[0]) - keep)
    hi = min(len(samples), int(loud[-1]) + 1 + keep)
    samples = np.ascontiguousarray(samples[lo:hi])
    duration = len(samples) / rate

    # espeak-ng can report one word several times (a kana run read in pieces); the first
    # report of a position is where it starts.
    seen: set[int] = set()
    marks: list[tuple[int, int, float]] = []
    for position, length, sample in take.words:
        char = position - 1
        if char in seen or not 0 <= char < len(text):
            continue
        seen.add(char)
        start = min(max((sample - lo) / rate, 0.0), duration)
        if marks and start < marks[-1][2]:
            start = marks[-1][2]
        marks.append((char, length, start))

    words: list[WordTiming] = []
    for i, (char, length, start) in enumerate(marks):
        last = i + 1 == len(marks)
        next_char = len(text) if last else max(marks[i + 1][0], char + 1)
        end = duration if last else marks[i + 1][2]
        word_start, word_end = _word_span(text, char, next_char, length)
        words.append(
            WordTiming(
                text=text[word_start:word_end],
                start=start,
                end=end,
                char_start=word_start,
                char_end=word_end,
            )
        )
    phonemes = _phoneme_timings(take.phonemes, lo, rate, duration)
    return Speech(samples=samples, sample_rate=rate, words=words, phonemes=phonemes)


def _phoneme_timings(
    events: list[tuple[str, int]], lo: int, rate: int, duration: float
) -> list[PhonemeTiming]:
    """Each phoneme lasts until the next one starts; times clipped into the trimmed clip."""
    starts = [(name, min(max((sample - lo) / rate, 0.0), duration)) for name, sample in events]
    out: list[PhonemeTiming] = []
    for i, (name, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else duration
        if end > start:
            out.append(PhonemeTiming(name, start, max(end, start)))
    return out


def _word_span(text: str, start: int, stop: int, length: int) -> tuple[int, int]:
    """The word at `start`: up to where the next one begins, less the spaces and
    punctuation between them. espeak-ng's own length is no help for Chinese, where it
    reports 1 for a two-character word like 你好."""
    end = stop
    while end > start and _is_gap(text[end - 1]):
        end -= 1
    begin = start
    while begin < end and _is_gap(text[begin]):
        begin += 1
    if begin == end:
        return start, min(len(text), start + max(length, 1))
    return begin, end


def _is_gap(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZ"
