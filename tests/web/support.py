"""What the browser tests share besides fixtures: the server handle and the stories."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

# Saves a screenshot of the page under a name and returns its path (the `shoot` fixture).
Shoot = Callable[[Page, str], Path]

# Long enough for a previs make on a busy 2-core machine; short enough to fail usefully.
MAKE_TIMEOUT_MS = 120_000

# Three shots: a wide establishing shot, then one per spoken line.
ENGLISH_STORY = """\
Title: The Lab

INT. LAB - NIGHT

ADA
It works.

BEN
Then switch it off.
"""
ENGLISH_SHOTS = 3

# A Chinese screenplay: the shot list and the subtitles carry CJK text (four shots: the
# planner ends the scene on a reaction).
CHINESE_STORY = """\
Title: 夜市

外景 夜市 - 夜

灯笼在风中摇晃。小美（二十多岁，红雨衣）穿过人群。

小美
老板，来一碗面。

老板
好嘞，马上就来！
"""

# Line 5 tags a language storyreel cannot voice: the server answers 422 naming line 5.
BROKEN_STORY = """\
INT. LAB - DAY

Ada checks the dials.

ADA [lang=xx]
It works.
"""
BROKEN_LINE = 5


@dataclass(frozen=True)
class Studio:
    """The server under test."""

    url: str
    token: str
    root: Path
    client: httpx.Client = field(repr=False)

    def api(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the API directly (setup and checks beside the browser); fails on 4xx/5xx."""
        response = self.client.request(method, f"/api{path}", **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.text}"
        return response.json() if response.content else None

    def new_project(self, title: str, script: str | None = None) -> str:
        body: dict[str, str] = {"title": title}
        if script is not None:
            body["script"] = script
        made = self.api("POST", "/projects", json=body)
        project_id: str = made["id"]
        return project_id

    def page_url(self, route: str = "/projects") -> str:
        return f"{self.url}/#{route}"
