"""A speech engine behind any OpenAI-compatible `/v1/audio/speech` endpoint: OpenAI
itself, and self-hosted servers that speak the same protocol (CosyVoice, F5-TTS and
Kokoro front ends).

    storyreel make story.fountain -o film.mp4 --voice-engine openai \\
        --voice-url http://127.0.0.1:8880/v1 --voice-model kokoro

or `load_voice("openai", {"url": ..., "model": "kokoro"})`; every setting is a field of
`HttpVoiceOptions`.

The request is the protocol's JSON body: `model`, `input`, `voice`,
`response_format` ("wav", or "pcm": 16-bit mono at 24 kHz) and `speed`. The key is
sent as `Authorization: Bearer ...`, read from an environment variable by the CLI.

Voice cloning has no standard in this protocol; servers take a reference clip in one
of two ways, both supported (`clone=`):

* "json" (default): two extra fields in the JSON body, the clip as base64 WAV and what
  is said in it (`reference_audio`, `reference_text`; renamable with `clone_fields`
  to whatever a server calls them);
* "multipart": the same fields as multipart/form-data with the clip as a file upload.

A character's profile names its clip (`VoiceProfile.reference`) or a voice the server
already knows (`VoiceProfile.speaker`, e.g. a CosyVoice voice registered from a clip
on the server); otherwise a stock voice is picked by the profile's gender.

The server reports no word timing, so words are placed from the text and the audio
envelope (voice/estimate.py); mouth tracks follow the envelope.
"""

from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import av
import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    import httpx

from storyreel.errors import VoiceError
from storyreel.retry import Backoff, parse_retry_after, retried, wait_before_retry
from storyreel.voice.base import Gender, Speech, VoiceProfile
from storyreel.voice.espeak import SUPPORTED_LANGS
from storyreel.voice.estimate import estimate_words

ResponseFormat = Literal["wav", "pcm"]
CloneMode = Literal["json", "multipart"]
# OpenAI's stock voices; self-hosted servers map these names or take their own.
DEFAULT_SPEAKERS: dict[Gender, str] = {"female": "nova", "male": "onyx", "neutral": "alloy"}
# The protocol's pcm format: signed 16-bit little-endian mono at 24 kHz.
PCM_RATE = 24_000
# espeak-ng's words per minute that map to speed 1.0.
_BASE_RATE = 165.0
_RETRY_STATUS = (429, 503)
# Waits before retries: 1, 2, 4 ... s, never over 30 s even when the server asks more.
_MAX_WAIT = 30.0
_BACKOFF = Backoff(initial=1.0, multiplier=2.0, maximum=_MAX_WAIT, jitter=0.0)


class HttpVoiceOptions(BaseModel):
    """The HTTP voice's settings (`--voice-option key=value`, or the studio's form)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Base URL of the server ("https://api.openai.com/v1", "http://127.0.0.1:8880/v1"
    # for a self-hosted one), or the full /audio/speech URL.
    url: str = Field(min_length=1, max_length=2000)
    # What the server calls its model: "tts-1" is OpenAI's; Kokoro's servers take "kokoro".
    model: str = Field(default="tts-1", min_length=1, max_length=200)
    # The environment variable holding the API key: secrets never sit in options.
    api_key_env: str = Field(default="OPENAI_API_KEY", pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    # wav carries its own rate; pcm (16-bit mono at 24 kHz) is for servers without wav.
    response_format: ResponseFormat = "wav"
    # The server's stock voice per gender, for characters whose profile names no speaker.
    speakers: dict[Gender, str] = dict(DEFAULT_SPEAKERS)
    # How the server takes a reference clip to clone (see the module's docstring), and
    # what it calls the clip's and its transcript's fields.
    clone: CloneMode = "json"
    clone_fields: tuple[str, str] = ("reference_audio", "reference_text")
    # Retries of a busy server's 429/503 after the first try; each waits Retry-After.
    retries: int = Field(default=3, ge=0, le=10)
    # Seconds for one line: a self-hosted model on a CPU may take a while for a long one.
    timeout: float = Field(default=120.0, gt=0, le=3600)

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(
                f"the speech server URL must start with http:// or https://: {value!r}"
            )
        return value


class HttpVoice:
    """Any OpenAI-compatible speech server (OpenAI, Kokoro, CosyVoice, F5-TTS front ends)."""

    name: str = "openai"
    Options: ClassVar[type[HttpVoiceOptions]] = HttpVoiceOptions

    def __init__(
        self,
        options: HttpVoiceOptions,
        *,
        api_key: str | None = None,
        langs: frozenset[str] = SUPPORTED_LANGS,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """`api_key` overrides the one in `options.api_key_env`; `sleep` and `transport`
        let tests run without waiting or a network."""
        base = options.url.rstrip("/")
        self.options = options
        self.endpoint = base if base.endswith("/audio/speech") else f"{base}/audio/speech"
        self.model = options.model
        self.response_format = options.response_format
        self.speakers = dict(options.speakers)
        self.langs = langs
        self.clone = options.clone
        self.clone_fields = options.clone_fields
        self.retries = options.retries
        self.sleep = sleep
        import httpx  # here, not at the top: most makes never speak over HTTP

        key = api_key or os.environ.get(options.api_key_env)
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        self._client = httpx.Client(headers=headers, timeout=options.timeout, transport=transport)

    def close(self) -> None:
        self._client.close()

    def identity(self) -> dict[str, Any]:
        """What decides the sound besides the line and the profile: the server, its
        model and how it is asked (part of every cached line's key)."""
        return {
            "endpoint": self.endpoint,
            "model": self.model,
            "format": self.response_format,
            "speakers": self.speakers,
            "clone": [self.clone, *self.clone_fields],
        }

    def synthesize(self, text: str, lang: str, voice: VoiceProfile) -> Speech:
        if lang not in self.langs:
            supported = ", ".join(sorted(self.langs))
            raise VoiceError(
                f"{self.name} cannot speak language {lang!r}; supported languages: {supported}"
            )
        if not text.strip():
            raise VoiceError("nothing to say: the line is empty")
        body = self.request_body(text, voice)
        reply = self._post(body, voice)
        samples, rate = decode_audio(reply, self.response_format)
        if len(samples) == 0 or float(np.max(np.abs(samples))) < 1e-4:
            raise VoiceError(f"the speech server at {self.endpoint} returned silence for {text!r}")
        return Speech(samples=samples, sample_rate=rate, words=estimate_words(text, samples, rate))

    def request_body(self, text: str, voice: VoiceProfile) -> dict[str, Any]:
        speed = min(max(voice.rate / _BASE_RATE, 0.25), 4.0)
        return {
            "model": self.model,
            "input": text,
            "voice": voice.speaker or self.speakers.get(voice.gender, DEFAULT_SPEAKERS["neutral"]),
            "response_format": self.response_format,
            "speed": round(speed, 3),
        }

    def _post(self, body: dict[str, Any], voice: VoiceProfile) -> bytes:
        import httpx

        clip = _read_clip(voice.reference) if voice.reference else None

        def once() -> httpx.Response:
            try:
                response = self._send(body, clip, voice.reference_text)
            except httpx.HTTPError as exc:
                raise VoiceError(
                    f"cannot reach the speech server at {self.endpoint}: {exc}"
                ) from exc
            if response.status_code in _RETRY_STATUS:
                raise _Busy(response)
            return response

        try:
            response = retried(once, attempts=self.retries + 1, pause=_pause, sleep=self.sleep)
        except _Busy as busy:
            response = busy.response  # still busy after the last retry: say why below
        _check(response, self.endpoint)
        return response.content

    def _send(
        self, body: dict[str, Any], clip: bytes | None, clip_text: str | None
    ) -> httpx.Response:
        audio_field, text_field = self.clone_fields
        if clip is None:
            return self._client.post(self.endpoint, json=body)
        if self.clone == "multipart":
            data = {k: str(v) for k, v in body.items()}
            if clip_text:
                data[text_field] = clip_text
            files = {audio_field: ("reference.wav", clip, "audio/wav")}
            return self._client.post(self.endpoint, data=data, files=files)
        extra = {audio_field: base64.b64encode(clip).decode("ascii")}
        if clip_text:
            extra[text_field] = clip_text
        return self._client.post(self.endpoint, json={**body, **extra})


def _read_clip(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise VoiceError(f"cannot read the reference clip {path}: {exc.strerror}") from exc


class _Busy(Exception):
    """A busy answer (429, 503), raised only to be retried."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _pause(error: Exception, attempt: int) -> float | None:
    """Busy answers are retried after the server's Retry-After where it gives one, else
    1, 2, 4 ... s; capped so a confused server cannot stall a make for long."""
    if not isinstance(error, _Busy):
        return None
    asked = parse_retry_after(error.response.headers.get("retry-after"))
    return wait_before_retry(_BACKOFF, attempt, asked, _MAX_WAIT)


def _check(response: httpx.Response, endpoint: str) -> None:
    status = response.status_code
    if status < 400:
        return
    detail = _server_message(response)
    if status in (401, 403):
        raise VoiceError(
            f"the speech server at {endpoint} refused the API key ({status}{detail}); "
            f"check the key in the environment variable given to --voice-key-env"
        )
    if status == 429:
        raise VoiceError(f"the speech server at {endpoint} is rate limiting ({status}{detail})")
    if status == 404:
        raise VoiceError(
            f"no speech endpoint at {endpoint} ({status}{detail}); "
            f"--voice-url should end in /v1 for an OpenAI-compatible server"
        )
    if status >= 500:
        raise VoiceError(f"the speech server at {endpoint} failed ({status}{detail})")
    raise VoiceError(f"the speech server at {endpoint} rejected the request ({status}{detail})")


def _server_message(response: httpx.Response) -> str:
    """The error message from an OpenAI-style JSON error body, else a short excerpt."""
    try:
        payload = response.json()
    except ValueError:
        text = response.text.strip()
        return f": {text[:200]}" if text else ""
    if isinstance(payload, dict):
        error = payload.get("error", payload.get("detail"))
        if isinstance(error, dict):
            error = error.get("message")
        if error:
            return f": {str(error)[:200]}"
    return ""


def decode_audio(data: bytes, response_format: ResponseFormat) -> tuple[NDArray[np.float32], int]:
    """Mono float32 samples and their rate from the server's reply."""
    if response_format == "pcm":
        if len(data) % 2:
            raise VoiceError("the speech server's pcm reply has an odd number of bytes: not audio")
        pcm = np.frombuffer(data, dtype="<i2").astype(np.float32) / np.float32(32768.0)
        return pcm, PCM_RATE
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise VoiceError("the speech server's reply has no audio stream")
            stream = container.streams.audio[0]
            rate = int(stream.codec_context.sample_rate or stream.rate or 0)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            chunks = [
                out.to_ndarray().reshape(-1)
                for frame in container.decode(stream)
                for out in resampler.resample(frame)
            ]
    except (av.error.FFmpegError, ValueError) as exc:
        raise VoiceError(
            f"the speech server's reply is not {response_format} audio: {exc}"
        ) from exc
    if not chunks or rate <= 0:
        raise VoiceError(f"the speech server's reply holds no {response_format} audio")
    return np.concatenate(chunks).astype(np.float32, copy=False), rate
