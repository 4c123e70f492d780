from __future__ import annotations

import functools
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter

from storyreel.api.schemas import HealthPublic

router = APIRouter(prefix="/api/health", tags=["health"])


@functools.cache
def _version() -> str:
    try:
        return version("storyreel")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


@router.get("", summary="Is the server up (no token needed)")
def health() -> HealthPublic:
    return HealthPublic(version=_version())
