"""A server killed outright (kill -9) mid-make, as a real `storyreel serve` process:
the make goes on as an orphan, and the next server on the root shows it within
seconds, can cancel it, and starts a new make of the project right after. Makes beyond
STORYREEL_MAX_MAKES wait as queued."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from storyreel.api import Settings, create_app
from storyreel.store.server import open_server_store

from .support import AUTH, SCRIPT, TOKEN
from .test_serve import LAUNCH

# Twelve scenes at 320x180: a make that runs for a good while on any machine.
LONG_SCRIPT = "Title: Long Night\n\n" + "\n".join(
    f"INT. ROOM {n} - NIGHT\n\nMEI paces by the window and looks out at the rain.\n\n"
    f"MEI\nScene {n}. Where is everyone tonight?\n"
    for n in range(1, 13)
)
MAKE = {"width": 320, "height": 180, "fps": 24}
FINISHED = ("succeeded", "failed", "cancelled")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(root: Path, port: int) -> Iterator[subprocess.Popen[str]]:
    """`storyreel serve` on `root`, answering /api/health when yielded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    env["STORYREEL_TOKEN"] = TOKEN
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--port", str(port), "--root", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def test_a_make_outlives_a_killed_server_and_the_next_one_takes_it_over(
    tmp_path: Path,
) -> None:
    root = tmp_path / "projects"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    api = httpx.Client(base_url=url, headers=AUTH, timeout=30)
    with serve(root, port) as first:
        created = api.post("/api/projects", json={"title": "Long", "script": LONG_SCRIPT})
        base = f"/api/projects/{created.json()['id']}"
        make_id = api.post(f"{base}/makes", json=MAKE).json()["id"]
        _until(
            lambda: api.get(f"{base}/makes/{make_id}").json()["status"] == "running",
            60,
            "the make running",
        )
        with open_server_store(root) as store:
            row = store.make(make_id)
        assert row is not None and row.pid is not None
        first.kill()  # kill -9: no shutdown, no cleanup
        first.wait()
    pid = row.pid
    assert _alive(pid), "the make died with its server"
    try:
        with serve(root, port):
            up = time.monotonic()
            shown = _until(
                lambda: next(
                    (m for m in api.get(f"{base}/makes").json() if m["id"] == make_id), None
                ),
                5,
                "the orphaned make shown",
            )
            assert time.monotonic() - up < 5
            assert shown["status"] in ("running", *FINISHED)
            if shown["status"] == "running":
                assert api.post(f"{base}/makes/{make_id}/cancel").status_code == 200
                ended = _until(
                    lambda: (
                        (m := api.get(f"{base}/makes/{make_id}").json())["status"] in FINISHED and m
                    ),
                    15,
                    "the cancel",
                )
                assert ended["status"] == "cancelled"
                assert not _alive(pid)
            over = time.monotonic()
            again = _until(
                lambda: (r := api.post(f"{base}/makes", json=MAKE)).status_code == 202 and r,
                10,
                "a new make",
            )
            assert time.monotonic() - over < 10
            api.post(f"{base}/makes/{again.json()['id']}/cancel")
        with open_server_store(root) as store:
            recorded = store.make(make_id)
        assert recorded is not None and recorded.status in FINISHED
    finally:
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)


def test_makes_beyond_the_cap_wait_queued(tmp_path: Path) -> None:
    settings = Settings(token=TOKEN, root=tmp_path / "projects", max_makes=1)
    with TestClient(create_app(settings), headers=AUTH) as client:
        ids = [
            client.post("/api/projects", json={"title": f"P{n}", "script": SCRIPT}).json()["id"]
            for n in range(2)
        ]
        small = {"width": 160, "height": 90, "fps": 12}
        first = client.post(f"/api/projects/{ids[0]}/makes", json=small).json()
        second = client.post(f"/api/projects/{ids[1]}/makes", json=small).json()
        assert second["status"] == "queued"
        time.sleep(0.5)
        assert client.get(f"/api/projects/{ids[1]}/makes/{second['id']}").json()["status"] == (
            "queued"
        )
        client.post(f"/api/projects/{ids[0]}/makes/{first['id']}/cancel")

        def status(project: str, make: str) -> str:
            return str(client.get(f"/api/projects/{project}/makes/{make}").json()["status"])

        _until(lambda: status(ids[0], first["id"]) == "cancelled", 20, "the cancel")
        # The slot is free: the queued make starts.
        _until(lambda: status(ids[1], second["id"]) != "queued", 30, "the queued make")
        client.post(f"/api/projects/{ids[1]}/makes/{second['id']}/cancel")
        _until(lambda: status(ids[1], second["id"]) in FINISHED, 20, "the second cancel")
