"""The `stems` exporter: the sound's stems (dialogue, ambience, foley, music) as WAV
files for a mixer, beside the film or in a folder of the user's (`--stems DIR`).

The sound stage keeps them in the project at the mix's gain, so the stems summed are
the film's mix before mastering. A WAV is copied as it is; any other audio file is
decoded and written as 32-bit float WAV at its own rate.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import ClassVar

import av
import numpy as np
from pydantic import BaseModel, ConfigDict

from storyreel.deliver import ExportRequest
from storyreel.errors import OutputError
from storyreel.files import atomic_path
from storyreel.wav import write_wav


class StemsOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Where to write them: None is beside the film, named FILM.dialogue.wav and so on;
    # a folder gets dialogue.wav, ambience.wav, ...
    folder: Path | None = None


class StemsExporter:
    name: ClassVar[str] = "stems"
    Options: ClassVar[type[StemsOptions]] = StemsOptions

    def __init__(self, options: StemsOptions | None = None) -> None:
        self.options = options or StemsOptions()

    def export(self, request: ExportRequest) -> list[Path]:
        """Each stem the make wrote, as WAV; nothing when it wrote none."""
        folder = self.options.folder
        if folder is not None:
            if folder.exists() and not folder.is_dir():
                raise OutputError(f"{folder} is a file; --stems takes a folder to write into")
            folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, source in request.stems.items():
            target = (
                folder / f"{name}.wav" if folder is not None else request.beside(f".{name}.wav")
            )
            _export_wav(source, target)
            written.append(target)
        return written


def _export_wav(source: Path, target: Path) -> None:
    if source.suffix.lower() == ".wav":
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
        return
    with av.open(str(source)) as container:
        stream = container.streams.audio[0]
        rate = stream.rate
        chunks = [f.to_ndarray().astype(np.float32) for f in container.decode(stream)]
    samples = np.concatenate(chunks, axis=1) if chunks else np.zeros((1, 0), np.float32)
    write_wav(target, samples.mean(axis=0), rate, "float32")
