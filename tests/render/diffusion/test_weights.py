"""Model folders and options: what is wrong is named, with how to fix it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from storyreel.errors import EngineError
from storyreel.render.engine import engine_options, load_engine
from storyreel.render.engines.ltx import LtxEngine
from storyreel.render.engines.wan import WanEngine, WanOptions

from .conftest import TinyModel


def wan(path: Path | str | None, **options: object) -> WanEngine:
    return WanEngine(WanOptions.model_validate({"model_path": path and str(path), **options}))


@pytest.fixture
def wan_copy(tiny_model: TinyModel, tmp_path: Path) -> Path:
    copy = tmp_path / "Wan2.1-T2V-1.3B"
    shutil.copytree(tiny_model("wan-t2v"), copy)
    return copy


def test_no_model_path_says_to_pass_one() -> None:
    with pytest.raises(EngineError, match="no model given: pass --model-path"):
        wan(None)


def test_missing_folder_says_how_to_get_it(tmp_path: Path) -> None:
    where = tmp_path / "nowhere"
    with pytest.raises(EngineError) as caught:
        wan(where)
    message = str(caught.value)
    assert f"no model folder at {where}" in message
    assert f"hf download Wan-AI/Wan2.1-T2V-1.3B-Diffusers --local-dir {where}" in message
    assert "--allow-download" in message


def test_folder_without_model_index(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"incomplete: the file model_index\.json is missing"):
        wan(tmp_path)


def test_missing_component_weights_are_named(wan_copy: Path) -> None:
    (wan_copy / "transformer" / "diffusion_pytorch_model.safetensors").unlink()
    with pytest.raises(EngineError, match=r"the file transformer/diffusion_pytorch_model"):
        wan(wan_copy)


def test_missing_component_folder_is_named(wan_copy: Path) -> None:
    shutil.rmtree(wan_copy / "vae")
    with pytest.raises(EngineError, match=r"the folder vae is missing"):
        wan(wan_copy)


def test_missing_shard_of_a_sharded_model_is_named(wan_copy: Path) -> None:
    weights = wan_copy / "text_encoder" / "model.safetensors"
    weights.rename(wan_copy / "text_encoder" / "model-00001-of-00002.safetensors")
    index = {
        "metadata": {},
        "weight_map": {
            "a": "model-00001-of-00002.safetensors",
            "b": "model-00002-of-00002.safetensors",
        },
    }
    (wan_copy / "text_encoder" / "model.safetensors.index.json").write_text(json.dumps(index))
    with pytest.raises(EngineError, match=r"text_encoder/model-00002-of-00002\.safetensors"):
        wan(wan_copy)
    # With the shard back, the folder is complete again.
    (wan_copy / "text_encoder" / "model-00002-of-00002.safetensors").write_bytes(b"")
    assert wan(wan_copy).model.path == wan_copy


def test_repo_id_is_looked_up_in_the_local_cache_only(
    wan_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import huggingface_hub.constants

    cache = tmp_path / "hub"
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(cache))
    with pytest.raises(EngineError, match=r"not in the local Hugging Face cache.*hf download"):
        wan("tiny-org/tiny-wan")
    # The cache's layout: refs/main names the snapshot folder holding the files.
    repo = cache / "models--tiny-org--tiny-wan"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(wan_copy, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    engine = wan("tiny-org/tiny-wan")
    assert engine.model.path == repo / "snapshots" / commit
    identity = engine.model_identity()
    assert (identity["repo"], identity["revision"]) == ("tiny-org/tiny-wan", commit)


def test_bad_options_are_named_with_the_known_ones() -> None:
    with pytest.raises(EngineError, match=r"engine 'wan': bad option \(stepz: Extra inputs"):
        engine_options(WanEngine, "wan", {"stepz": 3})
    with pytest.raises(EngineError, match=r"preset: Input should be 'draft' or 'final'"):
        engine_options(WanEngine, "wan", {"preset": "fast"})
    with pytest.raises(EngineError, match=r"steps: Input should be greater than or equal to 1"):
        engine_options(LtxEngine, "ltx", {"steps": 0})
    with pytest.raises(EngineError, match="its options are: model_path, allow_download"):
        engine_options(LtxEngine, "ltx", {"variant": "14B"})  # Wan's option, not LTX's


def test_load_engine_builds_wan_through_its_entry_point(tiny_model: TinyModel) -> None:
    """Needs the `storyreel.engines` entry points in pyproject.toml (wan, wan-vace, ltx,
    cogvideox) installed into the environment."""
    engine = load_engine("wan", {"model_path": str(tiny_model("wan-t2v")), "preset": "draft"})
    assert isinstance(engine, WanEngine) and engine.settings.steps == 20
    with pytest.raises(EngineError, match="bad option"):
        load_engine("wan", {"model_path": str(tiny_model("wan-t2v")), "preset": "fast"})
