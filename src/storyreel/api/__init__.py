"""The studio's REST API: a thin shell over storyreel's functions (`storyreel serve`).

    from storyreel.api import Settings, create_app
    app = create_app(Settings(token="s3cret", root=Path("films")))

One router per resource in `routers/`, a family of schemas per resource in `schemas/`,
makes run in their own processes (`makes.py`).
"""

from storyreel.api.app import create_app
from storyreel.api.settings import Settings

__all__ = ["Settings", "create_app"]
