"""Voices and sound, each figure a ratio against a baseline measured in this run.

    .venv/bin/python bench/voice_sound.py

* espeak-ng synthesis speed: seconds of speech made per second of wall time, in six
  languages (baseline: real time, the speech's own duration);
* lip timing: the lag, found by cross-correlation, between each shot's mouth track and
  the envelope of the film's mixed dialogue (baseline: one video frame);
* lip-sync cost: rendering a talking close-up with its mouth track against the same
  shot without one (baseline: the silent render);
* loudness: the finished film's integrated loudness, decoded from the MP4 and measured
  with pyloudnorm, against the target (baseline: the ±1 LU tolerance), and its true
  peak against the -1 dBTP ceiling.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pyloudnorm
from scipy.signal import resample_poly

from storyreel.config import MakeConfig
from storyreel.cut.audio import Clip, mix
from storyreel.direct import plan
from storyreel.make import make_film
from storyreel.model import ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.previs import PrevisEngine
from storyreel.script import read_story
from storyreel.timeline import FILM_RATE
from storyreel.voice import EspeakVoice, VoiceProfile, speak_line
from storyreel.voice.stage import mouths, voice_storyboard
from storyreel.voice.visemes import frame_envelope

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "the_kite_mender.fountain"
LINES = {
    "zh": "雨已经下了三天，夜市里一个人也没有，只有灯笼还亮着。",
    "yue": "落咗三日雨，夜市一個人都冇，淨係得啲燈籠仲著住。",
    "en": "The rain had not stopped for three days, and the market was empty but for lanterns.",
    "ja": "雨が三日も降り続いて、市場には誰もいない。提灯だけが灯っている。",
    "ko": "비가 사흘 동안 그치지 않았고, 시장은 텅 비어 있었다. 등불만 켜져 있었다.",
    "es": "La lluvia no había parado en tres días y el mercado estaba vacío, salvo los faroles.",
}
TARGET = -16.0


def synthesis_speed() -> float:
    voice, profile = EspeakVoice(), VoiceProfile()
    speak_line(voice, "warm up", "en", profile)
    audio = 0.0
    start = time.perf_counter()
    for _ in range(3):
        for lang, text in LINES.items():
            audio += speak_line(voice, text, lang, profile).duration
    wall = time.perf_counter() - start
    print(f"espeak synthesis: {audio:.1f} s of speech in {wall:.2f} s")
    return audio / wall


def lag_frames(a: np.ndarray, b: np.ndarray, most: int = 8) -> int:
    a = (a - a.mean()) / (a.std() or 1.0)
    b = (b - b.mean()) / (b.std() or 1.0)
    scores = {
        k: float(np.dot(a[max(0, k) : len(a) + min(0, k)], b[max(0, -k) : len(b) - max(0, k)]))
        for k in range(-most, most + 1)
    }
    return max(scores, key=lambda k: scores[k])


def lip_lag() -> int:
    """The worst lag over the example film's speaking shots, in frames."""
    board = plan(read_story(EXAMPLE))
    voiced = voice_storyboard(board)
    timeline = voiced.timeline
    clips = [
        Clip(timeline.line_start(line), voiced.speech[line.key].samples)
        for line in timeline.lines
        if line.key in voiced.speech
    ]
    track = mix(clips, timeline.frames, timeline.fps)
    lips = mouths(timeline, voiced.speech)
    worst = 0
    shots = 0
    for p in timeline.shots:
        if not lips[p.shot_id]:
            continue
        mouth = np.sum([np.array(v) for v in lips[p.shot_id].values()], axis=0)
        start = round(p.start / board.fps * FILM_RATE)
        audio = track[start : start + round(p.frames * FILM_RATE / board.fps)]
        env = frame_envelope(audio, FILM_RATE, board.fps, p.frames)
        worst = max(worst, abs(lag_frames(env, mouth)))
        shots += 1
    print(f"lip timing: {shots} speaking shots, worst cross-correlation lag {worst} frames")
    return worst


def lip_sync_cost(work: Path) -> float:
    board = plan(read_story(EXAMPLE))
    voiced = voice_storyboard(board)
    shot = next(s for s in board.shots if s.lines and s.size != ShotSize.wide)
    frames = voiced.timeline.shot(shot.id).frames
    request = RenderRequest.for_shot(board, shot, work / "silent.mp4", frames=frames)
    talking = replace(
        request,
        out_path=work / "talk.mp4",
        mouths=mouths(voiced.timeline, voiced.speech)[shot.id],
    )
    engine = PrevisEngine()
    engine.render(request)  # warm caches (fonts, backdrop code paths)
    times = []
    for r in (request, talking):
        start = time.perf_counter()
        for _ in range(3):
            engine.render(r)
        times.append((time.perf_counter() - start) / 3)
    print(
        f"previs shot {shot.id} ({shot.size.abbr}, {request.frame_count} frames): "
        f"silent {times[0]:.3f} s, lip-synced {times[1]:.3f} s"
    )
    return times[1] / times[0]


def film_loudness(work: Path) -> tuple[float, float]:
    music = work / "bed.wav"
    rate = 44_100
    t = np.arange(rate * 4) / rate
    notes = np.array([np.sin(2 * np.pi * hz * t) for hz in (196.0, 246.9, 293.7)])
    chord = (notes.sum(axis=0) / 4).astype(np.float32)
    with av.open(str(music), "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(chord.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    film = make_film(
        EXAMPLE,
        work / "film.mp4",
        MakeConfig(width=320, height=180, music=music, loudness=TARGET),
    )
    with av.open(str(film.path)) as container:
        chunks = [f.to_ndarray() for f in container.decode(audio=0)]
    stereo = np.concatenate(chunks, axis=1).T.astype(np.float64)
    lufs = float(pyloudnorm.Meter(FILM_RATE).integrated_loudness(stereo))
    peak = float(20 * np.log10(np.abs(resample_poly(stereo, 4, 1, axis=0)[400:-400]).max()))
    print(f"film loudness: {lufs:.2f} LUFS (target {TARGET:g}), true peak {peak:.2f} dBTP")
    return lufs, peak


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as folder:
        work = Path(folder)
        speed = synthesis_speed()
        lag = lip_lag()
        cost = lip_sync_cost(work)
        lufs, peak = film_loudness(work)
    print(f"synthesis speed / real time: {speed:.0f}x (needs >= 20x)")
    print(f"lip lag / one frame: {lag:.2f} (needs <= 1)")
    print(f"lip-synced render time / silent render time: {cost:.2f}")
    print(f"true peak margin under -1 dBTP: {-1.0 - peak:.2f} dB")
    print(f"loudness error / 1 LU tolerance: {abs(lufs - TARGET) / 1.0:.2f} (needs <= 1)")


if __name__ == "__main__":
    main()
