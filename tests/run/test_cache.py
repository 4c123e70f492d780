from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from storyreel.project import Project
from storyreel.render.engine import Take
from storyreel.run.cache import Pruned, TakeCache, VoiceCache
from storyreel.store import Store
from storyreel.voice.base import Speech, WordTiming
from storyreel.wav import read_float_wav, wav_bytes

KEY = "3f" + "a9" * 31


def finished_take(path: Path, data: bytes = b"\x00\x00\x00\x18ftypisom finished") -> Take:
    path.write_bytes(data)
    return Take(shot_id="4", path=path, frames=12, fps=12, width=96, height=64, engine="previs")


def test_put_moves_the_file_in_and_get_finds_it(project: Project, store: Store) -> None:
    cache = TakeCache(project, store)
    assert cache.get(KEY) is None and not cache.has(KEY)
    staged = cache.staging_path(KEY)
    stored = cache.put(KEY, finished_take(staged))
    assert stored.path == project.root / ".storyreel" / "takes" / "3f" / f"{KEY}.mp4"
    assert not staged.exists()  # moved, not copied
    found = cache.get(KEY)
    assert found is not None and found.path == stored.path
    assert (found.frames, found.engine, found.shot_id) == (12, "previs", "4")
    assert found.path.read_bytes().endswith(b"finished")


def test_put_from_another_folder_and_from_bytes(
    project: Project, store: Store, tmp_path: Path
) -> None:
    cache = TakeCache(project, store)
    elsewhere = finished_take(tmp_path / "worker-take.mp4")
    cache.put(KEY, elsewhere)
    assert cache.has(KEY)
    other = "b" * 64
    cache.put_bytes(other, elsewhere, b"bytes from a remote worker", ".mp4")
    found = cache.get(other)
    assert found is not None and found.path.read_bytes() == b"bytes from a remote worker"


def test_a_file_without_its_record_is_not_a_take(project: Project, store: Store) -> None:
    # A crash after the rename but before the record: the file is there, the take is not.
    cache = TakeCache(project, store)
    final = cache.path_for(KEY)
    final.parent.mkdir(parents=True)
    final.write_bytes(b"looks complete")
    assert cache.get(KEY) is None


def test_a_file_of_another_size_is_not_the_take(project: Project, store: Store) -> None:
    cache = TakeCache(project, store)
    stored = cache.put(KEY, finished_take(cache.staging_path(KEY)))
    with stored.path.open("r+b") as f:
        f.truncate(10)  # a partial copy, a disk that filled up
    assert cache.get(KEY) is None
    stored.path.unlink()
    assert cache.get(KEY) is None


def test_a_partial_staged_file_is_never_returned(project: Project, store: Store) -> None:
    cache = TakeCache(project, store)
    staged = cache.staging_path(KEY)
    staged.write_bytes(b"half a tak")  # the render was killed here
    assert cache.get(KEY) is None
    assert not cache.path_for(KEY).exists()


def test_prune_deletes_the_doomed_takes_and_leftovers_only(project: Project, store: Store) -> None:
    cache = TakeCache(project, store)
    kept = cache.put(KEY, finished_take(cache.staging_path(KEY)))
    old_key = "c4" * 32
    old = cache.put(old_key, finished_take(cache.staging_path(old_key), b"an old take"))
    cache.staging_path(KEY).write_bytes(b"half a tak")  # a render killed mid-way
    stray = cache.path_for("d5" * 32)  # renamed into place, killed before its record
    stray.parent.mkdir(parents=True)
    stray.write_bytes(b"no record")
    doomed = [t for t in store.takes() if t.key == old_key]

    dry = cache.prune(doomed, dry_run=True)
    assert dry == Pruned(
        takes=1, strays=2, bytes=len(b"an old take" + b"half a tak" + b"no record")
    )
    assert cache.has(old_key) and stray.exists()  # a dry run deletes nothing

    assert cache.prune(doomed) == dry
    assert not old.path.exists() and store.find_take(old_key) is None and not stray.exists()
    assert not list((cache.root / ".staging").iterdir())
    found = cache.get(KEY)
    assert found is not None and found.path == kept.path
    assert cache.prune([]) == Pruned()  # nothing is left over


def test_keys_must_be_digests(project: Project, store: Store) -> None:
    with pytest.raises(ValueError, match="hex digest"):
        TakeCache(project, store).path_for("../../etc/passwd")


def test_voice_cache_round_trips_samples_and_timings(project: Project) -> None:
    cache = VoiceCache(project)
    samples = np.sin(np.linspace(0, 40, 4801)).astype(np.float32)
    words = [WordTiming("wind", 0.1, 0.4, 4, 8)]
    assert cache.get_speech(KEY) is None
    cache.put_speech(KEY, Speech(samples, 24000, words))
    back = cache.get_speech(KEY)
    assert back is not None
    assert back.sample_rate == 24000 and back.words == words
    assert np.array_equal(back.samples, samples)  # float WAV: bit for bit


def test_voice_cache_ignores_audio_without_its_timings(project: Project) -> None:
    cache = VoiceCache(project)
    cache.put(KEY, np.zeros(100, np.float32), 16000, {"words": []})
    wav = project.state_dir / "voices" / KEY[:2] / f"{KEY}.wav"
    os.truncate(wav, 50)
    assert cache.get(KEY) is None  # size differs from the record
    wav.with_suffix(".json").unlink()
    wav.write_bytes(wav_bytes(np.zeros(100, np.float32), 16000, "float32"))
    assert cache.get(KEY) is None  # no completion record


def test_float_wav_is_a_wav_other_tools_can_read() -> None:
    import av

    samples = np.array([0.0, 0.5, -0.25, 1.0], dtype=np.float32)
    data = wav_bytes(samples, 8000, "float32")
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    back, rate = read_float_wav(data)
    assert rate == 8000 and np.array_equal(back, samples)

    import io

    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        assert stream.codec_context.name == "pcm_f32le" and stream.rate == 8000
        decoded = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(stream)])
    assert np.array_equal(decoded, samples)
