from __future__ import annotations

import asyncio

from fastapi import APIRouter
from pydantic import ValidationError

from storyreel.api.deps import Authenticated, MakesDep, ProjectDep, SettingsDep, StudioDep
from storyreel.api.errors import Conflict
from storyreel.api.schemas import MakeCreate, errors
from storyreel.api.schemas.edits import EditCreate, EditPublic
from storyreel.edit import ProposedEdit, propose_instruction, write_edit

router = APIRouter(
    prefix="/api/projects/{project_id}/storyboard/edit",
    tags=["storyboard"],
    dependencies=[Authenticated],
    responses=errors(404, 409),
)


@router.post(
    "",
    summary="Change the storyboard in words: the diff, then (apply) the file and a make",
)
async def edit_storyboard(
    body: EditCreate,
    project: ProjectDep,
    studio: StudioDep,
    makes: MakesDep,
    settings: SettingsDep,
) -> EditPublic:
    """An instruction in English or Chinese becomes a storyboard diff. With `apply`,
    the diff is written to storyboard.yaml and a make starts: only the shots it touched
    render, and the version it records has the instruction as its message. An
    instruction nothing can read is a 422 whose message says so; nothing changes."""
    story = project.script_path
    if story is None:
        raise Conflict("the project has no script yet; PUT one to .../script first")
    if body.apply and makes.running(project.id) is not None:
        raise Conflict("a make of this project is running; apply the edit when it is done")
    # Planning and reading the instruction take a moment: off the event loop.
    edit: ProposedEdit = await asyncio.to_thread(
        propose_instruction, project.project, story, body.instruction, shot=body.shot
    )
    public = EditPublic(
        instruction=edit.message,
        source="llm" if edit.source == "llm" else "rules",
        changes=edit.lines(),
        shots=sorted(edit.diff.shots, key=lambda i: (len(i), i)),
        applied=False,
    )
    if not body.apply:
        return public
    await asyncio.to_thread(write_edit, edit)
    studio.boards.forget(project.id)
    request = body.make or _at_frame(edit)
    request = request.model_copy(update={"message": edit.message, "from_previous": True})
    record = makes.start(project, request, request.engine or settings.engine)
    return public.model_copy(update={"applied": True, "make": record.public()})


def _at_frame(edit: ProposedEdit) -> MakeCreate:
    """A make at the storyboard's frame; the studio's default where a hand-edited file
    holds one a make cannot take (an odd width, 120 fps)."""
    board = edit.board
    try:
        return MakeCreate(width=board.width, height=board.height, fps=board.fps)
    except ValidationError:
        return MakeCreate()
