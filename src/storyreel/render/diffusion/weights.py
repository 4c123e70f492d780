"""Model folders: where a model's weights are, whether they are all there, and what
names them.

A diffusers model folder has a `model_index.json` naming its components (transformer,
vae, text_encoder, tokenizer, scheduler, ...), each in a sub-folder with its config and
weights. Checking that every listed file exists is cheap, so an engine does it when it
is made, long before it spends minutes loading gigabytes.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyreel.errors import EngineError

_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".gguf")
_TOKENIZER_FILES = ("tokenizer.json", "spiece.model", "vocab.json", "tokenizer_config.json")
# Hub repo ids: "owner/name" with the characters the Hub allows.
_REPO_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


@dataclass(frozen=True)
class ModelFolder:
    path: Path
    # Where it came from, when it came from the Hub cache.
    repo_id: str | None = None
    revision: str | None = None

    def index(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.path / "model_index.json").read_text("utf-8"))
        return data

    def config(self, component: str) -> dict[str, Any]:
        """A component's config.json, or {} when it has none."""
        path = self.path / component / "config.json"
        if not path.is_file():
            return {}
        data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return data


def how_to_get(repo_hint: str, where: str) -> str:
    return (
        f"get the model with `hf download {repo_hint} --local-dir {where}` "
        "and pass that folder as --model-path, or pass --allow-download"
    )


def resolve_folder(model_path: str | None, allow_download: bool, repo_hint: str) -> ModelFolder:
    """The model folder `model_path` names: a local folder, or a Hub repo id found in
    the local Hugging Face cache (fetched only when `allow_download`)."""
    if not model_path:
        raise EngineError(
            "no model given: pass --model-path with a model folder or a Hub repo id "
            f"(e.g. --model-path {repo_hint}); {how_to_get(repo_hint, 'PATH')}"
        )
    path = Path(model_path).expanduser()
    if path.is_dir():
        return ModelFolder(path.resolve())
    if path.exists():
        raise EngineError(f"--model-path {model_path} is a file; it must be a model folder")
    if not _REPO_ID.match(model_path) or model_path.startswith((".", "~")):
        raise EngineError(f"no model folder at {model_path}; {how_to_get(repo_hint, model_path)}")
    return _from_hub_cache(model_path, allow_download)


def _from_hub_cache(repo_id: str, allow_download: bool) -> ModelFolder:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError

    try:
        folder = Path(snapshot_download(repo_id, local_files_only=not allow_download))
    except LocalEntryNotFoundError:
        raise EngineError(
            f"{repo_id} is not in the local Hugging Face cache; {how_to_get(repo_id, 'PATH')}"
        ) from None
    except (HfHubHTTPError, OSError) as exc:
        raise EngineError(f"could not download {repo_id}: {exc}") from None
    # The cache lays snapshots out as .../snapshots/<commit>/.
    revision = folder.name if folder.parent.name == "snapshots" else None
    return ModelFolder(folder, repo_id=repo_id, revision=revision)


def missing_files(folder: Path) -> list[str]:
    """Files the folder lacks for its model to load, relative to it; [] when complete."""
    index_path = folder / "model_index.json"
    if not index_path.is_file():
        return ["model_index.json"]
    try:
        index = json.loads(index_path.read_text("utf-8"))
    except json.JSONDecodeError:
        return ["model_index.json (not valid JSON)"]
    missing: list[str] = []
    for name, spec in index.items():
        if name.startswith("_") or not isinstance(spec, list) or spec[-1] is None:
            continue
        missing += [f"{name}/{f}" for f in _component_missing(folder / name, str(spec[-1]))]
    return missing


def _component_missing(where: Path, class_name: str) -> list[str]:
    if not where.is_dir():
        return [""]
    if "Tokenizer" in class_name:
        found = any((where / f).is_file() for f in _TOKENIZER_FILES)
        return [] if found else ["tokenizer.json"]
    if "Scheduler" in class_name:
        return [] if (where / "scheduler_config.json").is_file() else ["scheduler_config.json"]
    if "Processor" in class_name or "FeatureExtractor" in class_name:
        has = (where / "preprocessor_config.json").is_file()
        return [] if has else ["preprocessor_config.json"]
    missing = [] if (where / "config.json").is_file() else ["config.json"]
    return missing + _weights_missing(where)


def _weights_missing(where: Path) -> list[str]:
    """A model's weights: one file, or shards listed in an index (all must be there)."""
    indexes = sorted(where.glob("*.index.json"))
    if indexes:
        missing: list[str] = []
        for index in indexes:
            try:
                shards = set(json.loads(index.read_text("utf-8"))["weight_map"].values())
            except (json.JSONDecodeError, KeyError, AttributeError):
                missing.append(f"{index.name} (not a valid shard index)")
                continue
            missing += sorted(s for s in shards if not (where / s).is_file())
        return missing
    if any(p.suffix in _WEIGHT_SUFFIXES for p in where.iterdir() if p.is_file()):
        return []
    return ["diffusion_pytorch_model.safetensors (or model.safetensors)"]


def check_complete(model: ModelFolder, repo_hint: str) -> None:
    missing = missing_files(model.path)
    if missing:
        what = "folder" if missing[0].endswith("/") else "file"
        first = missing[0].rstrip("/")
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        hint = model.repo_id or repo_hint
        raise EngineError(
            f"model folder {model.path} is incomplete: the {what} {first} is missing{more}; "
            f"{how_to_get(hint, str(model.path))}"
        )


def pipeline_class(model: ModelFolder) -> str:
    name = model.index().get("_class_name")
    if not isinstance(name, str):
        raise EngineError(f"{model.path}/model_index.json has no _class_name")
    return name


def identity(model: ModelFolder) -> dict[str, Any]:
    """What names these weights: the repo and revision when known, and a digest of every
    config plus each weight file's name and size (hashing gigabytes of weights on every
    make would cost minutes; a different fine-tune changes configs or sizes)."""
    digest = hashlib.sha256()
    for path in sorted(model.path.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(model.path).as_posix()
        if path.suffix == ".json":
            digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
        elif path.suffix in _WEIGHT_SUFFIXES:
            digest.update(f"{rel}\0{path.stat().st_size}\0".encode())
    return {"repo": model.repo_id, "revision": model.revision, "files": digest.hexdigest()}
