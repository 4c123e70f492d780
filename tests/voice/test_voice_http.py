"""The OpenAI-compatible speech engine against a real HTTP server on 127.0.0.1: the
request it sends, and how each kind of failure reaches the user."""

from __future__ import annotations

import base64
import io
import json
import threading
import wave
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from storyreel.errors import VoiceError
from storyreel.voice import HttpVoice, VoiceProfile
from storyreel.voice.engines import load_voice
from storyreel.voice.http import HttpVoiceOptions

RATE = 24_000


def tone_wav(seconds: float = 1.0, rate: int = RATE) -> bytes:
    """A WAV of two syllable-like bursts of tone with a pause between."""
    t = np.arange(round(seconds * rate)) / rate
    gate = (t < 0.4 * seconds) | (t > 0.6 * seconds)
    pcm = (0.4 * np.sin(2 * np.pi * 180 * t) * gate * 32767).astype("<i2")
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return out.getvalue()


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    url: str
    # Replies to give, in order; the last one repeats.
    replies: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.seen.append(Seen(self.path, dict(self.headers), body))
            status, headers, payload = (
                state.replies.pop(0) if len(state.replies) > 1 else state.replies[0]
            )
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def ok(payload: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "audio/wav"}, payload if payload is not None else tone_wav()


def error(status: int, message: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    body = json.dumps({"error": {"message": message, "type": "x"}}).encode()
    return status, {"Content-Type": "application/json", **headers}, body


def test_request_shape_and_the_speech_that_comes_back(server: Server) -> None:
    server.replies = [ok()]
    voice = HttpVoice(HttpVoiceOptions(url=server.url, model="kokoro"), api_key="sk-test")
    profile = VoiceProfile(variant="f2", gender="female", rate=198)
    speech = voice.synthesize("Hello there, old friend.", "en", profile)

    (seen,) = server.seen
    assert seen.path == "/v1/audio/speech"
    assert seen.headers["Authorization"] == "Bearer sk-test"
    assert seen.headers["Content-Type"] == "application/json"
    assert json.loads(seen.body) == {
        "model": "kokoro",
        "input": "Hello there, old friend.",
        "voice": "nova",  # picked by gender
        "response_format": "wav",
        "speed": 1.2,  # 198 words a minute against espeak's 165
    }
    assert speech.sample_rate == RATE
    assert speech.duration == pytest.approx(1.0, abs=0.01)
    # Word timings estimated from text and envelope: four words, in order, inside the
    # clip, and none of them inside the pause at 0.4-0.6 s.
    assert [w.text for w in speech.words] == ["Hello", "there,", "old", "friend."]
    assert all(0 <= w.start <= w.end <= speech.duration for w in speech.words)
    assert [w.start for w in speech.words] == sorted(w.start for w in speech.words)
    assert not any(0.42 < w.start < 0.58 for w in speech.words)


def test_a_named_speaker_and_no_key(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.replies = [ok()]
    HttpVoice(HttpVoiceOptions(url=server.url)).synthesize(
        "Hi.", "en", VoiceProfile(speaker="voice1")
    )
    (seen,) = server.seen
    assert "Authorization" not in seen.headers
    assert json.loads(seen.body)["voice"] == "voice1"


def test_the_key_is_read_from_the_named_environment_variable(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOKORO_KEY", "sk-from-env")
    server.replies = [ok()]
    voice = load_voice("openai", {"url": server.url, "api_key_env": "KOKORO_KEY"})
    voice.synthesize("Hi.", "en", VoiceProfile())
    (seen,) = server.seen
    assert seen.headers["Authorization"] == "Bearer sk-from-env"


def test_a_reference_clip_travels_in_the_json_body(server: Server, tmp_path: Path) -> None:
    clip = tmp_path / "mei.wav"
    clip.write_bytes(tone_wav(0.5))
    server.replies = [ok()]
    profile = VoiceProfile(reference=str(clip), reference_text="你好。")
    HttpVoice(HttpVoiceOptions(url=server.url)).synthesize("你好，朋友。", "zh", profile)
    body = json.loads(server.seen[0].body)
    assert base64.b64decode(body["reference_audio"]) == clip.read_bytes()
    assert body["reference_text"] == "你好。"
    assert body["input"] == "你好，朋友。"


def test_a_reference_clip_as_multipart(server: Server, tmp_path: Path) -> None:
    clip = tmp_path / "mei.wav"
    clip.write_bytes(tone_wav(0.5))
    server.replies = [ok()]
    voice = HttpVoice(
        HttpVoiceOptions(
            url=server.url, clone="multipart", clone_fields=("prompt_wav", "prompt_text")
        )
    )
    voice.synthesize("Hi.", "en", VoiceProfile(reference=str(clip), reference_text="Hey."))
    seen = server.seen[0]
    assert seen.headers["Content-Type"].startswith("multipart/form-data")
    assert b'name="prompt_wav"; filename="reference.wav"' in seen.body
    assert clip.read_bytes() in seen.body
    assert b'name="prompt_text"' in seen.body and b'name="input"' in seen.body


def test_pcm_replies(server: Server) -> None:
    pcm = (0.3 * np.sin(np.arange(RATE) / RATE * 2 * np.pi * 150) * 32767).astype("<i2")
    server.replies = [(200, {"Content-Type": "audio/pcm"}, pcm.tobytes())]
    speech = HttpVoice(HttpVoiceOptions(url=server.url, response_format="pcm")).synthesize(
        "Hi.", "en", VoiceProfile()
    )
    assert json.loads(server.seen[0].body)["response_format"] == "pcm"
    assert speech.sample_rate == RATE and len(speech.samples) == RATE


def test_401_says_the_key_was_refused(server: Server) -> None:
    server.replies = [error(401, "Incorrect API key provided")]
    with pytest.raises(VoiceError, match=r"refused the API key \(401: Incorrect API key"):
        HttpVoice(HttpVoiceOptions(url=server.url), api_key="bad").synthesize(
            "Hi.", "en", VoiceProfile()
        )


def test_429_is_retried_after_the_servers_wait(server: Server) -> None:
    server.replies = [error(429, "slow down", **{"Retry-After": "2"}), ok()]
    waits: list[float] = []
    speech = HttpVoice(HttpVoiceOptions(url=server.url), sleep=waits.append).synthesize(
        "Hi.", "en", VoiceProfile()
    )
    assert len(server.seen) == 2 and waits == [2.0]
    assert speech.duration > 0.9


def test_429_that_persists_is_an_error(server: Server) -> None:
    server.replies = [error(429, "quota exceeded")]
    waits: list[float] = []
    voice = HttpVoice(HttpVoiceOptions(url=server.url, retries=2), sleep=waits.append)
    with pytest.raises(VoiceError, match=r"rate limiting.*quota exceeded"):
        voice.synthesize("Hi.", "en", VoiceProfile())
    assert len(server.seen) == 3 and waits == [1.0, 2.0]  # backoff without Retry-After


def test_500_is_an_error_with_the_servers_message(server: Server) -> None:
    server.replies = [error(500, "CUDA out of memory")]
    with pytest.raises(VoiceError, match=r"failed \(500: CUDA out of memory\)"):
        HttpVoice(HttpVoiceOptions(url=server.url)).synthesize("Hi.", "en", VoiceProfile())
    assert len(server.seen) == 1  # not retried


def test_malformed_audio_is_an_error(server: Server) -> None:
    server.replies = [ok(b"<html>this is not audio</html>")]
    with pytest.raises(VoiceError, match="not wav audio"):
        HttpVoice(HttpVoiceOptions(url=server.url)).synthesize("Hi.", "en", VoiceProfile())


def test_an_unreachable_server_is_an_error() -> None:
    with pytest.raises(VoiceError, match="cannot reach"):
        HttpVoice(HttpVoiceOptions(url="http://127.0.0.1:9/v1", timeout=2)).synthesize(
            "Hi.", "en", VoiceProfile()
        )


def test_engine_selection() -> None:
    assert load_voice("espeak").name == "espeak"
    voice = load_voice("openai", {"url": "http://127.0.0.1:8880/v1", "model": "kokoro"})
    assert isinstance(voice, HttpVoice) and voice.model == "kokoro"
    assert voice.endpoint == "http://127.0.0.1:8880/v1/audio/speech"
    with pytest.raises(VoiceError, match=r"'openai': bad option \(url: Field required\)"):
        load_voice("openai")
    with pytest.raises(VoiceError, match=r"url: .*must start with http:// or https://"):
        load_voice("openai", {"url": "ftp://example.org"})
    with pytest.raises(VoiceError, match=r"retries: .*less than or equal to 10.*its options are"):
        load_voice("openai", {"url": "http://127.0.0.1:8880/v1", "retries": 99})
    with pytest.raises(VoiceError, match="voice 'espeak' takes no options; got rate"):
        load_voice("espeak", {"rate": 3})
    with pytest.raises(VoiceError, match="installed voices: auto, espeak, kokoro, openai"):
        load_voice("festival")
