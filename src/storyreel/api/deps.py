"""Dependencies as `Annotated` aliases: a route says `project: ProjectDep` and gets the
project folder, checked to exist, with auth already done by its router."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from storyreel.api.makes import MakeManager
from storyreel.api.services import PROJECT_ID, Studio, StudioProject
from storyreel.api.settings import Settings


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_studio(request: Request) -> Studio:
    studio: Studio = request.app.state.studio
    return studio


def get_makes(request: Request) -> MakeManager:
    makes: MakeManager = request.app.state.makes
    return makes


SettingsDep = Annotated[Settings, Depends(get_settings)]
StudioDep = Annotated[Studio, Depends(get_studio)]
MakesDep = Annotated[MakeManager, Depends(get_makes)]

# auto_error off: a missing header is answered by `require_token` with our own 401
# body, and GET routes may carry the token as ?token= instead.
_bearer = HTTPBearer(auto_error=False, description="The token `storyreel serve` printed.")


def token_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so response timing says nothing about the token."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def require_token(
    request: Request,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """The bearer token, from the Authorization header or, on GET routes only, from
    `?token=` (a <video>, <img> or EventSource cannot send headers)."""
    given = credentials.credentials if credentials is not None else None
    if given is None and request.method in ("GET", "HEAD"):
        given = request.query_params.get("token")
    if not token_matches(given, settings.token):
        raise HTTPException(
            status_code=401,
            detail="missing or wrong token: send Authorization: Bearer <token> "
            "(the token `storyreel serve` printed)",
            headers={"WWW-Authenticate": "Bearer"},
        )


Authenticated = Depends(require_token)

ProjectId = Annotated[
    str,
    Path(
        pattern=PROJECT_ID,
        description="The project's id, as POST /api/projects returned it.",
        examples=["the-kite-mender-3fa9c1"],
    ),
]


def get_project(project_id: ProjectId, studio: StudioDep) -> StudioProject:
    return studio.get(project_id)


ProjectDep = Annotated[StudioProject, Depends(get_project)]
