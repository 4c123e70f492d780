"""Constants and helpers shared by the API tests."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from storyreel.api import Settings

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

# Two scenes, three short shots: plans in milliseconds, makes in seconds at 160x90.
SCRIPT = """Title: The Kettle

INT. KITCHEN - DAY

MEI fills the kettle.

MEI
Tea?

EXT. GARDEN - NIGHT

Rain on the leaves.
"""

SCRIPT_ZH = """标题：雨夜

内景 厨房 - 日

小梅给水壶灌水。

小梅
喝茶吗？
"""


def project_folder(settings: Settings, project_id: str) -> Path:
    return settings.root / project_id


# --- a real server and a real SSE client ----------------------------------------------


@contextlib.contextmanager
def running_server(app: FastAPI) -> Iterator[str]:
    """`app` served by uvicorn on a free local port, in a thread; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)


def sse_events(response: httpx.Response) -> Iterator[tuple[str, dict[str, Any], float]]:
    """(event name, JSON data, receive time) for each event of a text/event-stream."""
    name, data = "message", ""
    for line in response.iter_lines():
        if line == "":
            if data:
                yield name, json.loads(data), time.time()
            name, data = "message", ""
        elif line.startswith("event:"):
            name = line.removeprefix("event:").strip()
        elif line.startswith("data:"):
            data += line.removeprefix("data:").strip()
