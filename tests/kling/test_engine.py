"""The Kling engine end to end against the local contract server: requests in, takes out."""

from __future__ import annotations

import base64
from dataclasses import replace
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
from PIL import Image
from pydantic import ValidationError

from storyreel.cast.subject import SubjectRef
from storyreel.direct.prompts import compose
from storyreel.errors import EngineError
from storyreel.kling.errors import KlingContentSafetyError
from storyreel.model import Character, Prompt, Setting, Shot, ShotSize
from storyreel.render.engine import RenderRequest, load_engine, model_identity
from storyreel.render.engines.kling import (
    KlingEngine,
    aspect_ratio_for,
    kling_duration,
)

from .conftest import ACCESS_KEY, SECRET_KEY
from .contract_server import Fault, KlingContractServer

MEI = Character(name="MEI", description="20s, red raincoat")


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", ACCESS_KEY)
    monkeypatch.setenv("KLING_SECRET_KEY", SECRET_KEY)


def engine(server: KlingContractServer, **options: Any) -> KlingEngine:
    fast: dict[str, Any] = {
        "base_url": server.url,
        "poll_interval": 0.01,
        "poll_max_interval": 0.02,
        "poll_timeout": 10,
        "retry_backoff": 0.01,
    }
    return KlingEngine(KlingEngine.Options(**(fast | options)))


def request(
    out: Path,
    *,
    duration: float = 1.0,
    width: int = 64,
    height: int = 36,
    fps: int = 12,
    references: list[SubjectRef] | None = None,
    prompt: Prompt | None = None,
    progress: list[float] | None = None,
) -> RenderRequest:
    shot = Shot(
        id="4",
        scene=1,
        size=ShotSize.medium,
        duration=duration,
        subjects=["MEI"],
        setting=Setting(location="HILLTOP PARK", interior="ext", time="day"),
        action="Mei opens her umbrella",
    )
    # As planning hands it over: the director's prompt, else one composed from the shot.
    composed, negative = compose(shot, {MEI.name: MEI})
    shot = shot.model_copy(update={"prompt": prompt or composed, "negative": negative})
    return RenderRequest(
        shot=shot,
        cast=[MEI],
        width=width,
        height=height,
        fps=fps,
        out_path=out,
        references=references or [],
        on_progress=progress.append if progress is not None else None,
    )


def portrait(path: Path, size: tuple[int, int] = (320, 320)) -> Path:
    Image.new("RGB", size, (180, 60, 60)).save(path)
    return path


def decode(path: Path) -> tuple[list[np.ndarray], float, tuple[int, int]]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(stream)]
        size = (stream.codec_context.width, stream.codec_context.height)
        return frames, float(stream.average_rate or 0), size


def created_body(server: KlingContractServer) -> dict[str, Any]:
    (post,) = [c for c in server.api_calls() if c.method == "POST"]
    body: dict[str, Any] = post.body
    return body


@pytest.mark.usefixtures("keys")
def test_text_shot_becomes_an_exact_take(kling_server: KlingContractServer, tmp_path: Path) -> None:
    progress: list[float] = []
    out = tmp_path / "take.mp4"
    take = engine(kling_server).render(request(out, progress=progress))

    assert (take.frames, take.fps, take.width, take.height) == (12, 12, 64, 36)
    assert take.path == out and take.engine == "kling" and take.shot_id == "4"
    frames, rate, size = decode(out)
    assert (len(frames), rate, size) == (12, 12.0, (64, 36))
    # The clip plays at its own speed: output frame i (at i/12 s) shows source frame 2i,
    # whose grey level is 4i.
    levels = [float(f[: size[1] // 2].mean()) for f in frames]
    assert levels == pytest.approx([4 * i for i in range(12)], abs=4)
    # Nothing else is left beside the take.
    assert [p.name for p in tmp_path.iterdir()] == ["take.mp4"]

    body = created_body(kling_server)
    assert kling_server.api_calls()[0].path == "/v1/videos/text2video"
    assert body["model_name"] == "kling-v1-6" and body["mode"] == "std"
    assert body["duration"] == "5" and body["aspect_ratio"] == "16:9"
    assert "Mei opens her umbrella" in body["prompt"] and "red raincoat" in body["prompt"]
    assert "watermark" in body["negative_prompt"]
    assert body["external_task_id"].startswith("storyreel-4-")
    assert "cfg_scale" not in body and "callback_url" not in body

    assert progress == sorted(progress) and progress[-1] == 1.0 and len(progress) >= 3


@pytest.mark.usefixtures("keys")
def test_director_prompt_is_sent_and_size_picks_aspect(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    own = Prompt(en="Close on Mei under the rain", zh="小梅在雨中")
    take = engine(kling_server, mode="pro", cfg_scale=0.7).render(
        request(tmp_path / "t.mp4", width=36, height=64, fps=24, duration=0.5, prompt=own)
    )
    body = created_body(kling_server)
    assert body["prompt"] == "Close on Mei under the rain"
    assert body["aspect_ratio"] == "9:16" and body["mode"] == "pro" and body["cfg_scale"] == 0.7
    frames, rate, size = decode(take.path)
    assert (len(frames), rate, size) == (12, 24.0, (36, 64))


@pytest.mark.usefixtures("keys")
def test_a_shot_without_a_prompt_is_refused_not_composed_here(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    # Prompts are planning's to compose; an empty one is a planner's bug, never patched
    # over by the engine from the shot's fields.
    planned = request(tmp_path / "t.mp4")
    bare = replace(planned, shot=planned.shot.model_copy(update={"prompt": Prompt()}))
    with pytest.raises(EngineError, match="shot 4 has no prompt"):
        engine(kling_server).render(bare)
    assert kling_server.api_calls() == []


@pytest.mark.usefixtures("keys")
def test_reference_image_makes_an_image2video_task(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    picture = portrait(tmp_path / "mei.png")
    refs = [SubjectRef(name="MEI", images=(picture,))]
    take = engine(kling_server).render(request(tmp_path / "t.mp4", references=refs))
    assert kling_server.api_calls()[0].path == "/v1/videos/image2video"
    body = created_body(kling_server)
    assert base64.b64decode(body["image"]) == picture.read_bytes()
    assert "aspect_ratio" not in body and "element_list" not in body
    # The square clip Kling made is cropped to the request's 16:9.
    frames, _, size = decode(take.path)
    assert (len(frames), size) == (12, (64, 36))


@pytest.mark.usefixtures("keys")
def test_registered_subjects_ride_along_as_elements(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    picture = portrait(tmp_path / "mei.jpg")
    refs = [SubjectRef(name="MEI", images=(picture,))]
    kling = engine(kling_server, model_name="kling-v3", elements={"Mei": 4242, "LEO": 7})
    kling.render(request(tmp_path / "t.mp4", references=refs, duration=3.0))
    body = created_body(kling_server)
    assert body["model_name"] == "kling-v3"
    assert body["element_list"] == [{"element_id": 4242}]
    # The 3.0 models take 3 s clips.
    assert body["duration"] == "3"


def test_elements_need_a_model_that_takes_them() -> None:
    with pytest.raises(ValidationError, match="does not take elements"):
        KlingEngine.Options(model_name="kling-v1-6", elements={"MEI": 1})
    with pytest.raises(ValidationError, match="cfg_scale"):
        KlingEngine.Options(model_name="kling-v2-master", cfg_scale=0.5)
    with pytest.raises(ValidationError, match="extra"):
        KlingEngine.Options(modle_name="kling-v1")  # type: ignore[call-arg]


@pytest.mark.usefixtures("keys")
def test_callback_url_is_sent(kling_server: KlingContractServer, tmp_path: Path) -> None:
    hook = f"{kling_server.url}/_test/callback"
    engine(kling_server, callback_url=hook).render(request(tmp_path / "t.mp4"))
    assert created_body(kling_server)["callback_url"] == hook
    (callback,) = kling_server.wait_for_callbacks(1)
    assert callback["task_status"] == "succeed"


def test_missing_keys_say_which_variables_to_set(
    kling_server: KlingContractServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KLING_ACCESS_KEY", raising=False)
    monkeypatch.setenv("KLING_SECRET_KEY", SECRET_KEY)
    with pytest.raises(EngineError, match="set KLING_ACCESS_KEY to") as caught:
        engine(kling_server).render(request(tmp_path / "t.mp4"))
    assert "KLING_SECRET_KEY" not in str(caught.value).split("set ")[1].split(" to")[0]
    monkeypatch.delenv("KLING_SECRET_KEY")
    monkeypatch.setenv("MY_AK", ACCESS_KEY)
    kling = engine(kling_server, access_key_env="MY_AK", secret_key_env="MY_SK")
    with pytest.raises(EngineError, match="set MY_SK to"):
        kling.render(request(tmp_path / "t.mp4"))
    assert kling_server.api_calls() == []
    assert not (tmp_path / "t.mp4").exists()


@pytest.mark.usefixtures("keys")
def test_a_refused_shot_names_itself_and_leaves_nothing(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    kling_server.script.faults = [Fault(1301, times=None, message="prompt refused")]
    with pytest.raises(KlingContentSafetyError, match=r"shot 4: prompt refused.*reword"):
        engine(kling_server).render(request(tmp_path / "t.mp4"))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("keys")
def test_rate_limits_are_ridden_out(kling_server: KlingContractServer, tmp_path: Path) -> None:
    kling_server.script.faults = [Fault(1302, route="create", times=2)]
    take = engine(kling_server).render(request(tmp_path / "t.mp4"))
    assert take.frames == 12
    assert [c.answered for c in kling_server.api_calls() if c.method == "POST"] == [1302, 1302, 0]


@pytest.mark.usefixtures("keys")
def test_small_reference_images_are_refused_before_any_request(
    kling_server: KlingContractServer, tmp_path: Path
) -> None:
    small = portrait(tmp_path / "tiny.png", (120, 120))
    with pytest.raises(EngineError, match=r"tiny.png is 120x120; Kling needs at least 300 px"):
        engine(kling_server).render(
            request(tmp_path / "t.mp4", references=[SubjectRef(name="MEI", images=(small,))])
        )
    assert kling_server.api_calls() == []


def test_durations_round_to_what_kling_makes() -> None:
    assert kling_duration("kling-v1-6", 1.0) == "5"
    assert kling_duration("kling-v1-6", 5.4) == "5"  # slowed by 8 %, not paid twice
    assert kling_duration("kling-v1-6", 7.0) == "10"
    assert kling_duration("kling-v3", 3.2) == "3"
    assert kling_duration("kling-v3", 12.0) == "11"
    assert kling_duration("a-newer-model", 9.0) == "10"
    with pytest.raises(EngineError, match="at most 10 s"):
        kling_duration("kling-v1-6", 12.0)


def test_aspect_ratio_is_the_nearest_kling_makes() -> None:
    assert aspect_ratio_for(1280, 720) == "16:9"
    assert aspect_ratio_for(1920, 800) == "16:9"
    assert aspect_ratio_for(720, 1280) == "9:16"
    assert aspect_ratio_for(500, 480) == "1:1"


def test_engine_declares_itself_without_touching_the_network() -> None:
    kling = KlingEngine(KlingEngine.Options(base_url="http://127.0.0.1:9", mode="pro"))
    caps = KlingEngine.capabilities
    assert caps.needs_network and caps.image_to_video and caps.max_duration == 10
    assert model_identity(kling) == "kling-v1-6/pro"
    assert KlingEngine().options.base_url == "global"
    with pytest.raises(ValidationError, match="global or china"):
        KlingEngine.Options(base_url="singapore")


@pytest.mark.usefixtures("keys")
def test_loaded_by_name_once_registered(kling_server: KlingContractServer, tmp_path: Path) -> None:
    kling = load_engine("kling", {"base_url": kling_server.url, "poll_interval": 0.01})
    take = kling.render(request(tmp_path / "t.mp4"))
    assert take.engine == "kling" and take.frames == 12
