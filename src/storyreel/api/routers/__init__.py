"""One router per resource, mounted under /api by `create_app`."""

from storyreel.api.routers import (
    arena,
    cast,
    delivery,
    edits,
    files,
    health,
    makes,
    player,
    plugins,
    projects,
    quality,
    script,
    storyboard,
    takes,
    variants,
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
    quality.router,
    arena.router,
    versions.router,
    files.router,
    delivery.router,
    player.router,
    plugins.router,
    variants.router,
)

__all__ = ["ROUTERS"]
