"""The cast's nouns: a Subject as stored in `cast/<folder>/subject.yaml`, and the
SubjectRef that travels with every render request.

Files a subject names (images, the voice sample, the cut-out) are plain file names
inside the subject's own folder: a shared or hand-edited subject.yaml can never point
a reader at another path.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from storyreel.voice import VoiceProfile

SubjectKind = Literal["character", "prop", "location"]
# Where a subject came from: added by hand, found in a script, or captured from a clip.
Origin = Literal["user", "script", "video"]
RGB = tuple[int, int, int]

# dlib's face-recognition embeddings are 128 numbers; two faces closer than 0.6 (the
# threshold dlib's authors report for their LFW accuracy) are the same person.
EMBEDDING_SIZE = 128
SAME_PERSON = 0.6


def _plain_file_name(value: str) -> str:
    if (
        not value
        or value in (".", "..")
        or "/" in value
        or "\\" in value
        or "\x00" in value
        or value.startswith(".")
    ):
        raise ValueError(f"{value!r} is not a plain file name inside the subject's folder")
    return value


FileName = Annotated[str, AfterValidator(_plain_file_name)]


def _name(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    if not value:
        raise ValueError("a subject needs a name")
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise ValueError(f"a subject's name cannot hold control characters: {value!r}")
    return value


SubjectName = Annotated[str, AfterValidator(_name), Field(max_length=80)]


class _Model(BaseModel):
    # Unknown keys in a hand-edited subject.yaml are typos, not extensions.
    model_config = ConfigDict(extra="forbid")


class Palette(_Model):
    """Colours measured from the reference images; previs dresses the figure in them."""

    hair: RGB | None = None
    skin: RGB | None = None
    top: RGB | None = None  # the clothing just below the face
    bottom: RGB | None = None


class Subject(_Model):
    name: SubjectName
    kind: SubjectKind = "character"
    description: str = ""
    origin: Origin = "user"
    # Reference images, best first.
    images: list[FileName] = []
    # Characters only: how they sound, and a clean recording for voice-cloning engines.
    voice: VoiceProfile | None = None
    voice_sample: FileName | None = None
    # Identity: the mean dlib face embedding of the reference images.
    embedding: list[float] | None = Field(
        default=None, min_length=EMBEDDING_SIZE, max_length=EMBEDDING_SIZE
    )
    palette: Palette | None = None
    # A reference image with its background removed: previs draws it as a paper puppet.
    cutout: FileName | None = None


class SubjectRef(BaseModel):
    """A subject as an engine sees it: absolute paths, nothing to look up.

    Plain data, so it pickles across the render processes.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: SubjectKind = "character"
    description: str = ""
    images: tuple[Path, ...] = ()
    embedding: tuple[float, ...] | None = None
    voice: VoiceProfile | None = None
    voice_sample: Path | None = None
    palette: Palette | None = None
    cutout: Path | None = None


def subject_key(name: str) -> str:
    """How names are matched: "Mei", "MEI" and " mei " are one subject."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


_UNSAFE = re.compile(r"[^\w]+")
# Names Windows refuses as files or folders, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))} | {
    f"lpt{i}" for i in range(10)
}


def slug_for(name: str) -> str:
    """A folder name for `name` that is safe on every file system: letters and digits
    of any script (小梅 stays readable), runs of anything else as one "-"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    slug = _UNSAFE.sub("-", text).strip("-_")[:40].strip("-_")
    if not slug or slug in _RESERVED:
        slug = f"subject-{slug}".strip("-")
    return slug
