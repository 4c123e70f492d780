from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, Request, Response, UploadFile

from storyreel.api.deps import Authenticated, ProjectDep, SettingsDep
from storyreel.api.errors import NotFound
from storyreel.api.ranges import file_response
from storyreel.api.schemas import SubjectPublic, SubjectUpdate, VoicePublic, errors, media
from storyreel.api.services import StudioProject
from storyreel.api.uploads import decoding, receive
from storyreel.cast import Cast
from storyreel.cast.errors import CastError
from storyreel.cast.library import SUBJECT_FILE, Entry, subject_yaml
from storyreel.cast.subject import SubjectKind
from storyreel.files import write_text_atomic
from storyreel.model import Character
from storyreel.script import detect_lang
from storyreel.voice.casting import voice_for
from storyreel.voice.engines import load_voice
from storyreel.voice.speak import speak_line
from storyreel.wav import wav_bytes

router = APIRouter(
    prefix="/api/projects/{project_id}/cast",
    tags=["cast"],
    dependencies=[Authenticated],
    responses=errors(404),
)

Slug = Annotated[
    str, Path(min_length=1, max_length=64, description="The subject's folder name (`slug`).")
]


def _cast(project: StudioProject) -> Cast:
    return Cast(project.project.cast_dir)


def _entry(project: StudioProject, slug: str) -> Entry:
    for entry in _cast(project).entries():
        if entry.folder.name == slug:
            return entry
    raise NotFound(f"no subject {slug!r} in the cast; GET .../cast lists them")


def subject_public(project: StudioProject, entry: Entry) -> SubjectPublic:
    s = entry.subject
    base = f"/api/projects/{project.id}/cast/{entry.folder.name}/images"
    voice = VoicePublic.model_validate(s.voice.model_dump()) if s.voice is not None else None
    return SubjectPublic(
        slug=entry.folder.name,
        name=s.name,
        kind=s.kind,
        description=s.description,
        image_urls=[f"{base}/{i}" for i in range(len(s.images))],
        voice=voice,
    )


@router.get("", summary="The cast: characters, props and locations")
def list_cast(project: ProjectDep) -> list[SubjectPublic]:
    return [subject_public(project, e) for e in _cast(project).entries()]


@router.post(
    "",
    status_code=201,
    summary="Add a subject, from a reference image or a clip of an actor speaking",
    # 413 by the app's BodyLimit, before the form is parsed.
    responses=errors(409, 413, 415),
)
async def add_subject(
    project: ProjectDep,
    settings: SettingsDep,
    name: Annotated[str, Form(min_length=1, max_length=80)],
    kind: Annotated[SubjectKind, Form()] = "character",
    description: Annotated[str, Form(max_length=2000)] = "",
    image: Annotated[UploadFile | None, File(description="A reference image.")] = None,
    clip: Annotated[
        UploadFile | None, File(description="A 3–8 s clip of the actor speaking.")
    ] = None,
) -> SubjectPublic:
    cast = _cast(project)
    if image is not None and clip is not None:
        raise CastError("send either an image or a clip, not both")
    if clip is not None and kind != "character":
        raise CastError("a clip makes a digital actor, which is a character")
    uploads = project.project.state_dir / "uploads"
    upload: FilePath | None = None
    try:
        if image is not None:
            upload = await receive(image, uploads, "image", settings.max_image_bytes)
        elif clip is not None:
            upload = await receive(clip, uploads, "clip", settings.max_clip_bytes)
        # Adding decodes the image or clip again: off the loop too, in the decode slot.
        if clip is not None and upload is not None:
            entry = await decoding(cast.add_actor, name, upload, description=description)
        else:
            images = [upload] if upload is not None else []
            entry = await decoding(
                cast.add, name, images=images, description=description, kind=kind
            )
    except CastError as error:
        # The upload's server-side path means nothing to the client.
        message = str(error).replace(str(upload), f"the {kind} image") if upload else str(error)
        raise CastError(message) from None
    finally:
        if upload is not None:
            upload.unlink(missing_ok=True)
    return subject_public(project, entry)


@router.get("/{slug}", summary="One subject")
def get_subject(slug: Slug, project: ProjectDep) -> SubjectPublic:
    return subject_public(project, _entry(project, slug))


@router.patch("/{slug}", summary="Change a subject's kind or description")
def update_subject(slug: Slug, body: SubjectUpdate, project: ProjectDep) -> SubjectPublic:
    entry = _entry(project, slug)
    changes = body.model_dump(exclude_none=True)
    subject = entry.subject.model_copy(update=changes)
    write_text_atomic(entry.folder / SUBJECT_FILE, subject_yaml(subject))
    return subject_public(project, Entry(subject, entry.folder))


@router.delete("/{slug}", status_code=204, summary="Remove a subject and its files")
def delete_subject(slug: Slug, project: ProjectDep) -> Response:
    entry = _entry(project, slug)
    _cast(project).remove(entry.name)
    return Response(status_code=204)


@router.get(
    "/{slug}/images/{index}",
    summary="One of the subject's reference images",
    response_class=Response,
    responses=media("image/png", "The reference image (PNG)."),
)
def get_image(
    slug: Slug,
    index: Annotated[int, Path(ge=0, le=999)],
    request: Request,
    project: ProjectDep,
) -> Response:
    entry = _entry(project, slug)
    if index >= len(entry.subject.images):
        count = len(entry.subject.images)
        raise NotFound(f"{entry.name} has {count} image{'s' if count != 1 else ''}")
    return file_response(request, entry.path(entry.subject.images[index]), "image/png")


@router.get(
    "/{slug}/voice-preview",
    summary="The character's voice saying a line",
    response_class=Response,
    responses=media("audio/wav", "16-bit mono WAV."),
)
def voice_preview(
    slug: Slug,
    project: ProjectDep,
    text: Annotated[str, Query(min_length=1, max_length=300, description="The line to say.")],
) -> Response:
    entry = _entry(project, slug)
    profile = entry.voice() or voice_for(
        Character(name=entry.name, description=entry.subject.description)
    )
    speech = speak_line(load_voice("espeak"), text, detect_lang(text), profile)
    return Response(wav_bytes(speech.samples, speech.sample_rate), media_type="audio/wav")
