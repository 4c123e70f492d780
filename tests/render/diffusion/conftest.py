from __future__ import annotations

import os

# No test here may reach the network: the tiny models are built from config.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("DIFFUSERS_VERBOSITY", "error")

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from . import tiny

TinyModel = Callable[[str], Path]


@pytest.fixture(scope="session", autouse=True)
def one_thread() -> Iterator[None]:
    """Torch on one thread for these tests: the takes are compared bit for bit, and how
    a many-threaded kernel splits its sums can depend on what else the machine is doing.
    The models are tiny: one thread costs about a second over the whole folder."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> TinyModel:
    """Builds (once per session) and returns the folder of a tiny model by name."""
    root = tmp_path_factory.mktemp("tiny-models")
    built: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in built:
            built[name] = tiny.BUILDERS[name](root / name)
        return built[name]

    return get


@pytest.fixture(scope="session")
def red_reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A reference image: a red square on white, not the model's aspect ratio."""
    path = tmp_path_factory.mktemp("refs") / "mei.png"
    image = np.full((60, 40, 3), 255, np.uint8)
    image[10:50, 5:35] = (220, 20, 20)
    Image.fromarray(image).save(path)
    return path


@dataclass
class Calls:
    """What a pipeline class was called with, and what it returned."""

    inputs: list[dict[str, Any]] = field(default_factory=list)
    outputs: list[np.ndarray] = field(default_factory=list)


@pytest.fixture
def record(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[type], Calls]]:
    """Wraps a diffusers pipeline class's __call__ to record each call's inputs and
    frames, still running the real pipeline."""

    def wrap(cls: type) -> Calls:
        calls = Calls()
        original = cls.__call__

        def recording(self: Any, *args: Any, **kwargs: Any) -> Any:
            out = original(self, *args, **kwargs)
            calls.inputs.append(kwargs)
            calls.outputs.append(np.asarray(out.frames[0]))
            return out

        monkeypatch.setattr(cls, "__call__", recording)
        return calls

    yield wrap
