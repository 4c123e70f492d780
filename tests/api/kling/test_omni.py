"""Kling's omni-video edit (a video to edit in `video_list`, `refer_type: base`) on a
real storyreel server: the Kling engine re-renders a shot from its previous take in
the documented shape and the server accepts it; a video Kling would refuse gets the
documented error in Kling's envelope."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path

import av
import numpy as np
import pytest

from storyreel.media.encode import VideoSettings, VideoWriter
from storyreel.model import Prompt, Setting, Shot, ShotSize
from storyreel.render.engine import PreviousTake, RenderRequest
from storyreel.render.engines.kling import KlingEngine, build_task

from .conftest import Server
from .test_refusals import call, refused

CHANGE = "make it a close-up"


def clip(path: Path, width: int, height: int, fps: int, frames: int) -> Path:
    with VideoWriter(path, VideoSettings(width, height, fps, threads=1)) as writer:
        for i in range(frames):
            writer.write(np.full((height, width, 3), (30 + 20 * (i % 8), 90, 160), np.uint8))
    return path


def shot_request(tmp_path: Path, previous: Path | None) -> RenderRequest:
    shot = Shot(
        id="4",
        scene=1,
        size=ShotSize.close_up,
        duration=3.0,
        subjects=["MEI"],
        setting=Setting(location="HILLTOP PARK", interior="ext", time="day"),
        action="Mei smiles",
        prompt=Prompt(en="Close-up of Mei smiling on a hilltop in the park, day."),
    )
    request = RenderRequest(
        shot=shot, cast=[], width=64, height=36, fps=8, out_path=tmp_path / "take.mp4"
    )
    if previous is None:
        return request
    return replace(request, previous=PreviousTake("ab" * 32, previous, CHANGE))


def probe(data: bytes, path: Path) -> tuple[str, int, int, float, int]:
    path.write_bytes(data)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        ctx = stream.codec_context
        return container.format.name, ctx.width, ctx.height, float(stream.average_rate), frames


def test_an_edit_is_an_omni_video_task_in_the_documented_shape(tmp_path: Path) -> None:
    old = clip(tmp_path / "old.mp4", 64, 36, 8, 24)
    body = build_task(shot_request(tmp_path, old), KlingEngine.Options()).body()
    video = body.pop("video_list")
    assert set(body) == {"model_name", "prompt", "mode", "external_task_id"}
    assert body["model_name"] == "kling-video-o1" and body["mode"] == "std"
    assert body["prompt"] == (
        f"Edit <<<video_1>>>: {CHANGE}. The shot: Close-up of Mei smiling on a hilltop in "
        "the park, day."
    )
    assert body["external_task_id"].startswith("storyreel-4-")
    [entry] = video
    assert set(entry) == {"video_url", "refer_type", "keep_original_sound"}
    assert (entry["refer_type"], entry["keep_original_sound"]) == ("base", "no")
    # Kling's floor: 720 px on both sides and 24 fps; as long as the shot (3 s).
    kind, width, height, rate, frames = probe(base64.b64decode(entry["video_url"]), tmp_path / "b")
    assert "mp4" in kind.split(",")
    assert (width, height, rate, frames) == (1280, 720, 24.0, 72)
    # A shot without a previous take, or one Kling cannot edit (under 3 s), is made afresh.
    assert (
        "video_list" not in build_task(shot_request(tmp_path, None), KlingEngine.Options()).body()
    )
    short = replace(shot_request(tmp_path, old), frames=16)
    assert "video_list" not in build_task(short, KlingEngine.Options()).body()


def test_the_engine_edits_a_take_through_this_server(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", server.key.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", server.key.secret_key)
    engine = KlingEngine(
        KlingEngine.Options(
            base_url=server.url,
            poll_interval=0.2,
            poll_max_interval=0.5,
            poll_timeout=90,
            retry_attempts=1,
        )
    )
    assert engine.capabilities.reference_video
    request = shot_request(tmp_path, clip(tmp_path / "old.mp4", 64, 36, 8, 24))
    take = engine.render(request)
    assert (take.frames, take.width, take.height) == (24, 64, 36)
    with server.client() as kling:
        (task,) = kling.list_tasks("omni-video")
    assert task.task_status == "succeed"
    # The server kept the video it was given to edit: the take, as Kling takes it.
    kept = next(server.root.glob(f".kling/{task.task_id}/project/base-video.mp4"))
    assert probe(kept.read_bytes(), tmp_path / "k")[1:] == (1280, 720, 24.0, 72)


@pytest.mark.parametrize(
    ("size", "fps", "frames", "problem"),
    [
        ((1280, 720), 24, 48, "lasts 2.00 s; Kling takes 3 to 10 s"),
        ((640, 360), 24, 72, "is 640x360; Kling takes 720 to 2160 px on both sides"),
        ((1280, 720), 12, 36, "plays at 12 fps; Kling takes 24 to 60 fps"),
    ],
    ids=["too-short", "too-small", "too-slow"],
)
def test_a_video_kling_would_refuse_is_1201(
    server: Server, tmp_path: Path, size: tuple[int, int], fps: int, frames: int, problem: str
) -> None:
    data = clip(tmp_path / "bad.mp4", *size, fps, frames).read_bytes()
    body = {
        "model_name": "kling-video-o1",
        "prompt": "Edit <<<video_1>>>: make it night.",
        "video_list": [{"video_url": base64.b64encode(data).decode(), "refer_type": "base"}],
    }
    answer = call(server, "POST", "/v1/videos/omni-video", json=body)
    assert refused(answer, 1201, 400) == f"the video {problem}"


@pytest.mark.parametrize(
    ("entry", "extra", "words"),
    [
        ({"video_url": "https://example.com/a.mp4"}, {}, "does not download"),
        ({"video_url": "not base64!"}, {}, "neither an http(s) URL nor valid base64"),
        ({"video_url": ""}, {}, "at least 1 character"),
        ({"video_url": "AAAA", "refer_type": "sideways"}, {}, "'feature' or 'base'"),
        ({"video_url": "AAAA"}, {"sound": "on"}, "sound can only be 'off'"),
    ],
    ids=["url", "not-base64", "empty", "refer-type", "sound"],
)
def test_a_request_outside_the_contract_is_refused(
    server: Server, entry: dict[str, str], extra: dict[str, str], words: str
) -> None:
    body = {"model_name": "kling-video-o1", "prompt": "Edit <<<video_1>>>.", "video_list": [entry]}
    answer = call(server, "POST", "/v1/videos/omni-video", json=body | extra)
    body_json = answer.json()
    assert answer.status_code == 400 and body_json["code"] in (1200, 1201), body_json
    assert words in body_json["message"]
