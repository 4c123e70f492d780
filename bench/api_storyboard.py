"""The studio API's speed: the storyboard of a 200-shot project, and how soon a make's
progress reaches a browser.

    .venv/bin/python bench/api_storyboard.py [--requests 300]

Runs `storyreel serve`'s app under uvicorn in its own process and talks to it with a
real HTTP client (keep-alive, as a browser does). Figures:

- GET storyboard p50/p95 for a 200-shot project (budget: p95 <= 50 ms), against
  GET /api/health measured in the same run (the server's floor), and their ratio;
- SSE latency of a real make of a three-shot story: each event's timestamp in the
  make process against the time the client receives it (budget: max <= 1 s).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

STORYBOARD_BUDGET_S = 0.050
SSE_BUDGET_S = 1.0
TOKEN = "bench-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TINY = """Title: Kettle

INT. KITCHEN - DAY

MEI fills the kettle.

MEI
Tea?

EXT. GARDEN - NIGHT

Rain on the leaves.
"""


def script(scenes: int) -> str:
    """Three shots per scene (establishing, action, line): 67 scenes give 201 shots."""
    parts = ["Title: Bench\n"]
    for n in range(scenes):
        parts.append(f"INT. ROOM {n} - DAY\n\nMEI opens door number {n}.\n\nMEI\nHello {n}.\n")
    return "\n".join(parts)


@contextmanager
def server(root: Path) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "STORYREEL_TOKEN": TOKEN, "STORYREEL_ROOT": str(root)}
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "storyreel.api.app:create_app",
        "--factory",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{url}/api/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def timed(client: httpx.Client, path: str, count: int) -> list[float]:
    seconds = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        response.read()
        seconds.append(time.perf_counter() - start)
        response.raise_for_status()
    return seconds


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def sse_latencies(client: httpx.Client) -> list[float]:
    """Receive time minus the make process's timestamp, for every event that has one."""
    project = client.post("/api/projects", json={"title": "Tiny", "script": TINY}).json()
    base = f"/api/projects/{project['id']}"
    make = client.post(f"{base}/makes", json={"width": 160, "height": 90, "fps": 12}).json()
    latencies: list[float] = []
    data = ""
    with client.stream("GET", f"{base}/makes/{make['id']}/events", timeout=300) as response:
        for line in response.iter_lines():
            if line.startswith("data:"):
                data = line.removeprefix("data:").strip()
            elif line == "" and data:
                received = time.time()
                event = json.loads(data)
                data = ""
                if isinstance(event.get("at"), float):
                    latencies.append(received - event["at"])
                if event.get("status") in ("succeeded", "failed", "cancelled"):
                    if event["status"] != "succeeded":
                        raise RuntimeError(f"the make {event['status']}: {event.get('error')}")
                    break
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as work,
        server(Path(work)) as url,
        httpx.Client(base_url=url, headers=AUTH, timeout=120) as client,
    ):
        created = client.post("/api/projects", json={"title": "Bench", "script": script(67)})
        created.raise_for_status()
        path = f"/api/projects/{created.json()['id']}/storyboard"
        start = time.perf_counter()
        shots = len(client.get(path).json()["shots"])
        first = time.perf_counter() - start
        board = timed(client, path, args.requests)
        health = timed(client, "/api/health", args.requests)
        latencies = sse_latencies(client)
    board_p95, health_p95 = percentile(board, 0.95), percentile(health, 0.95)
    print(
        f"storyboard: {shots} shots, first GET after creating (planned then) {first * 1000:.1f} ms"
    )
    print(f"GET storyboard p50: {statistics.median(board) * 1000:.2f} ms")
    print(
        f"GET storyboard p95: {board_p95 * 1000:.2f} ms (budget {STORYBOARD_BUDGET_S * 1000:.0f})"
    )
    print(f"GET health p50: {statistics.median(health) * 1000:.2f} ms")
    print(f"GET health p95: {health_p95 * 1000:.2f} ms")
    print(f"storyboard / health p95: {board_p95 / health_p95:.1f}x")
    print(f"SSE events timed: {len(latencies)}")
    print(f"SSE latency p50: {statistics.median(latencies) * 1000:.1f} ms")
    print(f"SSE latency p95: {percentile(latencies, 0.95) * 1000:.1f} ms")
    print(f"SSE latency max: {max(latencies) * 1000:.1f} ms (budget {SSE_BUDGET_S * 1000:.0f})")
    ok = board_p95 <= STORYBOARD_BUDGET_S and max(latencies) <= SSE_BUDGET_S
    print(f"within budget: {'yes' if ok else 'NO'}")
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
