"""The cast library: one folder per subject inside a project's `cast/` folder.

    cast/
      mei/subject.yaml        name, kind, description, voice, embedding, palette
      mei/ref-1.png ...       reference images, best first
      mei/voice.wav           a clean recording of the voice (digital actors)
      小梅/subject.yaml

Plain files, so a cast can be versioned, diffed and copied to another project. A
subject is found by its name as written in its yaml, never by its folder name; folder
names are made from names (`slug_for`) and never taken from the user as paths.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from PIL import Image
from pydantic import ValidationError

from storyreel.cast import images as pictures
from storyreel.cast.errors import CastError
from storyreel.cast.subject import (
    Origin,
    Subject,
    SubjectKind,
    SubjectRef,
    slug_for,
    subject_key,
)
from storyreel.files import write_text_atomic
from storyreel.model import Script
from storyreel.voice import VoiceProfile

SUBJECT_FILE = "subject.yaml"
VOICE_FILE = "voice.wav"
CUTOUT_FILE = "cutout.png"
# Beside a subject the script brought in: the description the script last gave it
# (hidden, so the subject.yaml the user edits stays theirs alone).
SCRIPTED_FILE = ".scripted"

Writer = Callable[[Path], None]


@dataclass(frozen=True)
class Entry:
    """A subject and the folder that holds its files."""

    subject: Subject
    folder: Path

    @property
    def name(self) -> str:
        return self.subject.name

    def path(self, file_name: str) -> Path:
        return self.folder / file_name

    def ref(self) -> SubjectRef:
        s = self.subject
        return SubjectRef(
            name=s.name,
            kind=s.kind,
            description=s.description,
            images=tuple(self.path(i).resolve() for i in s.images),
            embedding=tuple(s.embedding) if s.embedding else None,
            voice=self.voice(),
            voice_sample=self.path(s.voice_sample).resolve() if s.voice_sample else None,
            palette=s.palette,
            cutout=self.path(s.cutout).resolve() if s.cutout else None,
        )

    def voice(self) -> VoiceProfile | None:
        """The voice, pointing cloning engines at the recorded sample when there is one."""
        voice = self.subject.voice
        if voice is None or self.subject.voice_sample is None:
            return voice
        sample = str(self.path(self.subject.voice_sample).resolve())
        return voice.model_copy(update={"reference": sample})


def read_subject(path: Path) -> Subject:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CastError(f"{path}: cannot be read ({error})") from None
    try:
        return Subject.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise CastError(f"{path}: {where}: {first['msg']}") from None


def subject_yaml(subject: Subject) -> str:
    data = subject.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    # Leaf lists and mappings in flow style: an embedding is one line, not 128.
    return yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )


class Cast:
    """The cast library in `folder` (created on the first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    # --- reading ------------------------------------------------------------------------

    def entries(self) -> list[Entry]:
        """Every subject, in name order. A broken subject.yaml is an error, not a skip:
        a silently missing lead would be drawn as a stranger."""
        if not self.folder.is_dir():
            return []
        found: list[Entry] = []
        for folder in sorted(self.folder.iterdir()):
            path = folder / SUBJECT_FILE
            if folder.name.startswith(".") or not path.is_file():
                continue
            found.append(Entry(read_subject(path), folder))
        return sorted(found, key=lambda e: subject_key(e.name))

    def find(self, name: str) -> Entry | None:
        key = subject_key(name)
        return next((e for e in self.entries() if subject_key(e.name) == key), None)

    def get(self, name: str) -> Entry:
        entry = self.find(name)
        if entry is None:
            names = ", ".join(e.name for e in self.entries()) or "none yet"
            raise CastError(f"no subject named {name!r} in {self.folder} (the cast: {names})")
        return entry

    def references(self) -> dict[str, SubjectRef]:
        """Every subject as engines see it, by `subject_key` of its name."""
        return {subject_key(e.name): e.ref() for e in self.entries()}

    def voices(self) -> dict[str, VoiceProfile]:
        """The voices set in the cast (digital actors, or by hand), by `subject_key`."""
        out: dict[str, VoiceProfile] = {}
        for entry in self.entries():
            voice = entry.voice()
            if voice is not None:
                out[subject_key(entry.name)] = voice
        return out

    def descriptions(self, names: Iterable[str]) -> dict[str, str]:
        """The cast's description of each of `names` (as the script writes them) that
        the cast describes. Planning reads these: the cast's descriptions win over the
        script's, so a user who described MEI in her subject.yaml sees that MEI in
        every shot's prompt."""
        described = {
            subject_key(e.name): e.subject.description
            for e in self.entries()
            if e.subject.description
        }
        return {name: described[key] for name in names if (key := subject_key(name)) in described}

    # --- writing ------------------------------------------------------------------------

    def add(
        self,
        name: str,
        *,
        images: Sequence[Path] = (),
        description: str = "",
        kind: SubjectKind = "character",
        origin: Origin = "user",
    ) -> Entry:
        """A new subject from reference images (decoded here; a broken one fails)."""
        subject = self._new_subject(name, kind=kind, description=description, origin=origin)
        loaded = [pictures.normalised(pictures.load_image(Path(p))) for p in images]
        files: dict[str, Writer] = {}
        names: list[str] = []
        for n, image in enumerate(loaded, start=1):
            file_name = f"ref-{n}.png"
            names.append(file_name)
            files[file_name] = _png_writer(image)
        update: dict[str, object] = {"images": names}
        if origin == "script":
            files[SCRIPTED_FILE] = _text_writer(description)
        if loaded:
            update.update(_read_references(loaded, kind, files))
        return self._create(subject.model_copy(update=update), files)

    def add_actor(
        self,
        name: str,
        clip: Path,
        *,
        face_index: int | None = None,
        trim: tuple[float | None, float | None] | None = None,
        description: str = "",
    ) -> Entry:
        """A digital actor: look, identity and voice from a 3–8 s clip of them speaking."""
        from storyreel.cast.actor import capture_actor
        from storyreel.wav import write_wav

        subject = self._new_subject(name, kind="character", description=description, origin="video")
        capture = capture_actor(clip, face_index=face_index, trim=trim)
        files: dict[str, Writer] = {}
        names = []
        for n, crop in enumerate(capture.crops, start=1):
            names.append(f"ref-{n}.png")
            files[names[-1]] = _png_writer(Image.fromarray(crop.image))
        best = Image.fromarray(capture.crops[0].image)
        face = capture.crops[0].face
        # The face's box inside the best crop, for the palette: the crop was cut around it.
        fx0 = face.x0 - max(0, round((face.x0 + face.x1) / 2 - face.width * 1.1))
        fy0 = face.y0 - max(0, round(face.y0 - face.height * 0.8))
        box = (fx0, fy0, fx0 + face.width, fy0 + face.height)
        update: dict[str, object] = {
            "images": names,
            "embedding": [round(float(v), 6) for v in capture.embedding],
            "palette": pictures.palette_for(best, box),
            "voice": capture.voice,
        }
        if capture.reference is not None:
            reference, rate = capture.reference, capture.sample_rate
            files[VOICE_FILE] = lambda path: write_wav(path, reference, rate)
            update["voice_sample"] = VOICE_FILE
        return self._create(subject.model_copy(update=update), files)

    def remove(self, name: str) -> Entry:
        entry = self.get(name)
        folder = entry.folder.resolve()
        if folder.parent != self.folder.resolve():
            raise CastError(f"{folder} is not inside the cast folder {self.folder}; not removed")
        # Renamed away first, so an interrupted removal never leaves half a subject.
        doomed = folder.with_name(f".removed-{secrets.token_hex(4)}")
        os.replace(folder, doomed)
        shutil.rmtree(doomed, ignore_errors=True)
        return entry

    def import_from(self, source: Path, name: str) -> Entry:
        """Copy subject `name` from another project or cast folder into this cast."""
        source = Path(source)
        if not source.is_dir():
            raise CastError(f"{source}: no such folder; give a project or its cast/ folder")
        candidates = [source / "cast", source]
        other = next((Cast(c) for c in candidates if c.is_dir() and Cast(c).entries()), None)
        if other is None:
            raise CastError(
                f"{source}: no cast found (neither {source}/cast nor {source} holds one)"
            )
        if other.folder.resolve() == self.folder.resolve():
            raise CastError(f"{source} is this project's own cast")
        entry = other.get(name)
        subject = entry.subject
        self._new_subject(subject.name, kind=subject.kind, description="", origin="user")
        files: dict[str, Writer] = {}
        for file_name in _files_of(subject):
            original = entry.path(file_name)
            if not original.is_file():
                raise CastError(f"{original}: named in {entry.folder / SUBJECT_FILE} but missing")
            if file_name.lower().endswith(".png"):
                pictures.load_image(original)  # a copied library is checked like an upload
            files[file_name] = _copier(original)
        return self._create(subject, files)

    def add_script_characters(self, script: Script) -> list[str]:
        """Add the script's characters that the cast lacks, with their first-mention
        descriptions. What the user set is never replaced: an existing subject only
        gets a description when it has none."""
        added: list[str] = []
        for character in script.characters.values():
            entry = self.find(character.name)
            if entry is None:
                self.add(character.name, description=character.description, origin="script")
                added.append(character.name)
                continue
            subject, said = entry.subject, entry.folder / SCRIPTED_FILE
            # The script's last description, while the user has not written their own:
            # a story that describes the character anew is followed.
            follows = said.is_file() and subject.description == said.read_text("utf-8")
            new = character.description
            if new and new != subject.description and (follows or not subject.description):
                filled = subject.model_copy(update={"description": new})
                write_text_atomic(entry.folder / SUBJECT_FILE, subject_yaml(filled))
                if follows:
                    write_text_atomic(said, new)
        for name, description in unnamed_people(script).items():
            # The people the text describes without a name (白发剑士, the conductor) are
            # cast too, so they look the same in every shot and the user can dress them.
            if self.find(name) is None:
                self.add(name, description=description, origin="script")
                added.append(name)
        return added

    # --- helpers ------------------------------------------------------------------------

    def _new_subject(
        self, name: str, *, kind: SubjectKind, description: str, origin: Origin
    ) -> Subject:
        try:
            subject = Subject.model_validate(
                {"name": name, "kind": kind, "description": description, "origin": origin}
            )
        except ValidationError as error:
            raise CastError(f"{name!r}: {error.errors()[0]['msg']}") from None
        existing = self.find(subject.name)
        if existing is not None:
            raise CastError(
                f"the cast already has {existing.name!r} (in {existing.folder}); "
                f"remove it first with `storyreel cast rm {existing.name}` or pick another name"
            )
        return subject

    def _create(self, subject: Subject, files: dict[str, Writer]) -> Entry:
        """Write the subject's folder under a hidden name, then rename it into place, so
        a subject is either complete or absent."""
        self.folder.mkdir(parents=True, exist_ok=True)
        work = self.folder / f".adding-{secrets.token_hex(4)}"
        work.mkdir()
        try:
            for file_name, write in files.items():
                write(work / file_name)
            (work / SUBJECT_FILE).write_text(subject_yaml(subject), encoding="utf-8")
            target = self._free_folder(slug_for(subject.name))
            os.rename(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return Entry(subject, target)

    def _free_folder(self, slug: str) -> Path:
        for n in range(1, 1000):
            path = self.folder / (slug if n == 1 else f"{slug}-{n}")
            if not path.exists():
                return path
        raise CastError(f"{self.folder}: too many subjects named like {slug!r}")


def unnamed_people(script: Script) -> dict[str, str]:
    """The people the script's world describes without a name, by the stable name
    extraction gives them, with their description; groups of extras left out."""
    # Imported here: reading the world loads the segmenter and the vocabularies, which
    # the cast's own commands never need.
    from storyreel.script.world import extract_world

    found: dict[str, str] = {}
    for world in extract_world(script):
        for person in world.people:
            if person.name not in script.characters and not person.extra:
                found.setdefault(person.name, person.description)
    return found


def script_people(script: Script) -> list[str]:
    """Everyone planning casts: the script's characters, then its unnamed people."""
    return [*script.characters, *(n for n in unnamed_people(script) if n not in script.characters)]


def _files_of(subject: Subject) -> list[str]:
    named = [*subject.images, subject.voice_sample, subject.cutout]
    return list(dict.fromkeys(n for n in named if n))


def _png_writer(image: Image.Image) -> Writer:
    return lambda path: image.save(path, format="PNG")


def _text_writer(text: str) -> Writer:
    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return write


def _copier(source: Path) -> Writer:
    def copy(path: Path) -> None:
        shutil.copyfile(source, path)

    return copy


def _read_references(
    loaded: list[Image.Image], kind: SubjectKind, files: dict[str, Writer]
) -> dict[str, object]:
    """What previs and the identity check take from the first reference image."""
    from storyreel.cast import faces

    first = loaded[0]
    out: dict[str, object] = {}
    mask = pictures.foreground(first)
    if mask is not None:
        files[CUTOUT_FILE] = _png_writer(pictures.cutout(first, mask))
        out["cutout"] = CUTOUT_FILE
    if kind != "character":
        return out
    face = pictures.detected_face(first)
    out["palette"] = pictures.palette_for(first, face)
    if face is not None:
        vectors = []
        for image in loaded:
            rgb = np.asarray(image.convert("RGB"))
            found = faces.find_faces(rgb)
            if found:
                vectors.append(faces.embed_face(rgb, max(found, key=lambda f: f.score)))
        if vectors:
            out["embedding"] = [round(float(v), 6) for v in np.mean(vectors, axis=0)]
    return out
