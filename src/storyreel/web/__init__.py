"""The web studio: static pages (HTML, CSS, ES modules) with no build step.

The API serves them at `/`:

    app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="studio")

Everything the pages need ships in this folder; nothing is fetched from the internet.
"""

from __future__ import annotations

from pathlib import Path

STATIC_DIR: Path = Path(__file__).resolve().parent

__all__ = ["STATIC_DIR"]
