"""`storyreel serve` as a real process: it prints the URL with a made-up token, answers
/api/health without it and 401 without it elsewhere."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

# The `serve` command mounted on a Typer app exactly as `register` mounts it on
# `storyreel`; a callback keeps it a command group, so the command is named.
LAUNCH = (
    "import typer\n"
    "from storyreel.cli_serve import register\n"
    "app = typer.Typer()\n"
    "app.callback()(lambda: None)\n"
    "register(app)\n"
    "app()\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_prints_a_token_and_guards_the_api(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, "serve", "--port", str(port), "--root", str(tmp_path)],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        printed = ""
        deadline = time.monotonic() + 60
        while "#token=" not in printed and time.monotonic() < deadline:
            printed += process.stderr.readline()
        found = re.search(rf"http://127\.0\.0\.1:{port}/#token=(\S+)", printed)
        assert found, printed
        token = found.group(1)
        url = f"http://127.0.0.1:{port}"
        health = None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"{url}/api/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert health is not None and health.status_code == 200
        refused = httpx.get(f"{url}/api/projects", timeout=5)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        allowed = httpx.get(
            f"{url}/api/projects", headers={"Authorization": f"Bearer {token}"}, timeout=5
        )
        assert allowed.status_code == 200 and allowed.json() == []
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
