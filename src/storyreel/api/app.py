"""The FastAPI application: the /api routers, error handling, and the studio's pages.

    app = create_app(Settings(token="s3cret", root=Path("films")))
    uvicorn.run(app)            # what `storyreel serve` does

Everything under /api answers JSON and needs the bearer token (except /api/health);
the web studio's static pages are served at /.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from storyreel.api import errors
from storyreel.api.kling_tasks import KlingConfig
from storyreel.api.limits import FORM_SLACK, BodyLimit
from storyreel.api.makes import MakeManager
from storyreel.api.routers import ROUTERS
from storyreel.api.routers.health import _version
from storyreel.api.routers.kling import TAG as KLING_TAG
from storyreel.api.routers.kling import install as install_kling
from storyreel.api.services import Studio
from storyreel.api.settings import Settings
from storyreel.render.engine import available_engines
from storyreel.store.server import open_server_store
from storyreel.web import STATIC_DIR

TAGS = [
    {"name": "health", "description": "Is the server up."},
    {"name": "projects", "description": "A folder per film."},
    {"name": "script", "description": "The script as written; previews of its storyboard."},
    {"name": "storyboard", "description": "Shots: framing, moves, lengths, thumbnails."},
    {"name": "cast", "description": "Characters, props and locations; reference images."},
    {"name": "makes", "description": "Making the film, with live progress."},
    {"name": "takes", "description": "The rendered takes of a shot; pinning one."},
    {"name": "versions", "description": "One version per make; diffs and checkout."},
    {"name": "files", "description": "The film, subtitles and contact sheet."},
    {"name": "player", "description": "A branching film's interactive player."},
    {"name": "plugins", "description": "Engines, voices, planners: their options' schemas."},
]


def create_app(settings: Settings | None = None, kling: KlingConfig | None = None) -> FastAPI:
    """The studio's app; `kling` sets up its Kling-compatible endpoints (default: from
    the STORYREEL_KLING_* variables)."""
    settings = settings or Settings.from_env()
    engine = available_engines().get(settings.engine)
    max_duration = engine.capabilities.max_duration if engine is not None else None
    store = open_server_store(settings.root)
    makes = MakeManager(store, settings.max_makes)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Makes of a server that died on this root are shown and adopted; Kling tasks
        # it left unfinished are queued again.
        makes.open(asyncio.get_running_loop())
        app.state.kling.resume()
        yield
        makes.shutdown()  # stopped with the server that can watch and cancel them
        store.close()

    app = FastAPI(
        title="storyreel studio API",
        version=_version(),
        description="Write a story, get a film: projects, scripts, storyboards, cast, "
        "makes with live progress, takes and versions. Send `Authorization: Bearer "
        "<token>`; GET routes also take `?token=` for media elements and EventSource.",
        openapi_tags=[*TAGS, KLING_TAG],
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.studio = Studio(settings.root, max_duration)
    app.state.makes = makes
    errors.install(app)
    app.add_middleware(
        BodyLimit,
        uploads=max(settings.max_image_bytes, settings.max_clip_bytes) + FORM_SLACK,
        other=settings.max_json_bytes,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "Range"],
            expose_headers=["Content-Range", "Accept-Ranges", "Content-Length"],
        )
    for router in ROUTERS:
        app.include_router(router)
    install_kling(app, settings, kling)
    # Mounted last: /api routes match first; the pages hold no data, so no token.
    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="web")
    return app
