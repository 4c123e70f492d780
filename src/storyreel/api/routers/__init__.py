"""One router per resource, mounted under /api by `create_app`."""

from storyreel.api.routers import (
    cast,
    delivery,
    edits,
    files,
    health,
    makes,
    player,
    plugins,
    projects,
    script,
    storyboard,
    takes,
    versions,
)

ROUTERS = (
    health.router,
    projects.router,
    script.router,
    storyboard.router,
    edits.router,
    cast.router,
    makes.router,
    takes.router,
    versions.router,
    files.router,
    delivery.router,
    player.router,
    plugins.router,
)

__all__ = ["ROUTERS"]
