"""What a matrix made: one row per film, as JSON and CSV beside the films.

Each row says which variant a file is (language, aspect, target length), what it is
(its measured duration, its shots, its SHA-256), what it cost (takes rendered and takes
reused from the project's cache) and what the make's checks found. The studio's grid
reads the JSON; `picked` records the creator's choice.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from storyreel.files import write_text_atomic

MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"


class FilmRow(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str  # en.16x9.15s
    language: str
    aspect: str
    length: int  # the target, seconds
    cta: str | None = None
    file: str  # the film's name in the manifest's folder
    duration: float  # seconds, measured from the file
    shots: int
    takes_rendered: int
    takes_reused: int  # from the project's cache (or pinned)
    qa_passed: int  # checks that passed, over every take checked
    qa_failed: int
    failing_shots: list[str] = []
    sha256: str


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    brief: str
    films: list[FilmRow] = []
    picked: str | None = None  # a row's `variant`, chosen in the studio

    def film(self, variant: str) -> FilmRow | None:
        return next((row for row in self.films if row.variant == variant), None)


CSV_COLUMNS = [
    "variant",
    "language",
    "aspect",
    "length",
    "cta",
    "file",
    "duration",
    "shots",
    "takes_rendered",
    "takes_reused",
    "qa_passed",
    "qa_failed",
    "failing_shots",
    "sha256",
]


def manifest_csv(manifest: Manifest) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in manifest.films:
        values = row.model_dump()
        values["failing_shots"] = " ".join(row.failing_shots)
        values["duration"] = f"{row.duration:.3f}"
        writer.writerow(["" if values[c] is None else values[c] for c in CSV_COLUMNS])
    return out.getvalue()


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Both files, each written whole or not at all."""
    write_text_atomic(folder / MANIFEST_JSON, manifest.model_dump_json(indent=2) + "\n")
    write_text_atomic(folder / MANIFEST_CSV, manifest_csv(manifest))


def read_manifest(folder: Path) -> Manifest | None:
    path = folder / MANIFEST_JSON
    if not path.is_file():
        return None
    return Manifest.model_validate_json(path.read_text(encoding="utf-8"))


def pick(folder: Path, variant: str) -> Manifest:
    """Record `variant` as the creator's pick; KeyError when the manifest has no such film."""
    manifest = read_manifest(folder)
    if manifest is None or manifest.film(variant) is None:
        raise KeyError(variant)
    picked = manifest.model_copy(update={"picked": variant})
    write_manifest(folder, picked)
    return picked
