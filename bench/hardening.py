"""The studio under hostile input and an unlucky operator: what an oversize upload
costs, what decompression bombs cost, whether the server stays quick while photos
decode, how soon a server restarted after kill -9 shows the make it left, and what a
200,000-character action line does to `storyreel make`.

    .venv/bin/python bench/hardening.py [--skip-make]

Runs `storyreel serve` as a process of its own (its /proc/<pid>/io and status are
read for bytes written and peak memory) and talks to it over real sockets. One line
per figure; each section ends with the ratio or the budget that matters:

- a 1 GB multipart upload declared by Content-Length: bytes the server wrote (< 1 MB);
- a 1 GB chunked upload: bytes written before the refusal (at most the clip limit);
- peak server RSS through five decompression-bomb images sent at once (<= 600 MB);
- /api/health p95 while three 12-megapixel photos upload, against idle (<= 50 ms);
- kill -9 mid-make, restart: seconds until the make is shown (<= 5), and from its
  cancel until a new make of the project is accepted (<= 10);
- `storyreel make` of a 200,000-character line against a normal 60-line story
  (the line is refused with exit 2: ratio of the two times, budget 10).
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

TOKEN = "bench-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
LAUNCH = (
    "import typer\n"
    "from storyreel.cli_serve import register\n"
    "app = typer.Typer()\n"
    "app.callback()(lambda: None)\n"
    "register(app)\n"
    "app()\n"
)
SCRIPT = "Title: Bench\n\nINT. KITCHEN - DAY\n\nMEI fills the kettle.\n\nMEI\nTea?\n"
LONG_SCRIPT = "Title: Long Night\n\n" + "\n".join(
    f"INT. ROOM {n} - NIGHT\n\nMEI paces by the window and looks out at the rain.\n\n"
    f"MEI\nScene {n}. Where is everyone tonight?\n"
    for n in range(1, 13)
)
MB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(root: Path, port: int) -> Iterator[subprocess.Popen[str]]:
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
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).is_success:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("storyreel serve did not start")
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


def proc_field(pid: int, file: str, name: str) -> int:
    for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    raise KeyError(name)


def written(pid: int) -> int:
    """Bytes the server (all its threads) has passed to write()."""
    return proc_field(pid, "io", "wchar")


def peak_rss_mb(pid: int) -> float:
    return proc_field(pid, "status", "VmHWM") / 1024


def rss_mb(pid: int) -> float:
    return proc_field(pid, "status", "VmRSS") / 1024


# --- uploads ------------------------------------------------------------------------------


def oversize(port: int, project: str, chunked: bool, total: int = 1000 * MB) -> tuple[int, str]:
    """Send a `total`-byte multipart upload; (bytes sent, status line)."""
    head = (
        f"POST /api/projects/{project}/cast HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: multipart/form-data; boundary=xx\r\n"
    )
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {total}\r\n\r\n"
    part = b'--xx\r\nContent-Disposition: form-data; name="clip"; filename="a.mp4"\r\n\r\n'
    chunk = b"\x01" * (256 * 1024)
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=60) as connection:
        connection.sendall(head.encode())
        try:
            connection.sendall(b"%x\r\n%s\r\n" % (len(part), part) if chunked else part)
            while sent < total:
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                sent += len(chunk)
        except OSError:
            pass  # the server answered and closed: it read no further
        answer = connection.recv(4096).decode("latin-1")
    return sent, answer.splitlines()[0] if answer else "(no answer)"


def bomb_png(width: int, height: int, bits: int = 1) -> bytes:
    """A valid PNG of black pixels: small on the wire, width x height when decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    colour = 0 if bits == 1 else 2
    row = 1 + (width * bits + 7) // 8 if bits == 1 else 1 + 3 * width
    compressor = zlib.compressobj(9)
    blank = b"\0" * row
    rows = b"".join(compressor.compress(blank) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bits if bits == 1 else 8, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def photo(seed: int) -> bytes:
    """A 12-megapixel JPEG with the texture of a photo (noise on a gradient)."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(0, 200, 4000, dtype=np.float32)[None, :, None]
    pixels = np.clip(ramp + rng.normal(0, 25, (3000, 4000, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=90)
    return out.getvalue()


def upload(url: str, project: str, name: str, data: bytes) -> int:
    answer = httpx.post(
        f"{url}/api/projects/{project}/cast",
        data={"name": name},
        files={"image": ("x.png", data, "image/png")},
        headers=AUTH,
        timeout=300,
    )
    return answer.status_code


def health_times(url: str, until: threading.Event) -> list[float]:
    times: list[float] = []
    with httpx.Client(base_url=url, timeout=30) as client:
        while not until.is_set():
            asked = time.perf_counter()
            client.get("/api/health")
            times.append(time.perf_counter() - asked)
            time.sleep(0.01)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def uploads_section(work: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with serve(work / "uploads", port) as server:
        project = httpx.post(
            f"{url}/api/projects", json={"title": "Bench", "script": SCRIPT}, headers=AUTH
        ).json()["id"]
        for chunked in (False, True):
            before = written(server.pid)
            sent, status = oversize(port, project, chunked)
            wrote = written(server.pid) - before
            how = "chunked" if chunked else "Content-Length"
            print(
                f"1 GB upload ({how}): {status}; client sent {sent / MB:.1f} MB, "
                f"server wrote {wrote / MB:.2f} MB"
            )

        print(
            f"server RSS before bombs: {rss_mb(server.pid):.0f} MB "
            f"(peak so far {peak_rss_mb(server.pid):.0f} MB)"
        )
        bombs = [bomb_png(9000, 9000), bomb_png(20000, 20000), bomb_png(6000, 6600, bits=8)]
        bombs += [bomb_png(6300, 6300, bits=8), bomb_png(6300, 6300, bits=8)]
        results: list[int] = []
        threads = [
            threading.Thread(
                target=lambda d=data, n=n: results.append(upload(url, project, f"Bomb {n}", d))
            )
            for n, data in enumerate(bombs)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sizes = ", ".join(f"{len(b) / 1024:.0f} KB" for b in bombs)
        print(f"decompression bombs ({sizes}): answers {sorted(results)}")
        print(
            f"server peak RSS through the bombs: {peak_rss_mb(server.pid):.0f} MB (budget 600 MB)"
        )

        stop = threading.Event()
        idle = health_times(url, _after(stop, 3.0))
        photos = [photo(seed) for seed in range(3)]
        stop = threading.Event()
        answers: list[int] = []
        loaded_times: list[float] = []
        watcher = threading.Thread(target=lambda: loaded_times.extend(health_times(url, stop)))
        watcher.start()
        started = time.perf_counter()
        senders = [
            threading.Thread(
                target=lambda d=data, n=n: answers.append(upload(url, project, f"Photo {n}", d))
            )
            for n, data in enumerate(photos)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        took = time.perf_counter() - started
        stop.set()
        watcher.join()
        print(
            f"three 12-MP photos ({len(photos[0]) / MB:.1f} MB each) uploaded in "
            f"{took:.1f} s: answers {sorted(answers)}"
        )
        print(f"/api/health p95 idle: {p95(idle) * 1000:.1f} ms ({len(idle)} requests)")
        print(
            f"/api/health p95 during the uploads: {p95(loaded_times) * 1000:.1f} ms, "
            f"max {max(loaded_times) * 1000:.1f} ms ({len(loaded_times)} requests; "
            "budget 50 ms)"
        )
        print(f"ratio health p95 uploading/idle: {p95(loaded_times) / p95(idle):.2f}")
        print(f"server peak RSS after the photos: {peak_rss_mb(server.pid):.0f} MB")


def _after(event: threading.Event, seconds: float) -> threading.Event:
    threading.Timer(seconds, event.set).start()
    return event


# --- kill -9 ------------------------------------------------------------------------------


def crash_section(work: Path) -> None:
    from storyreel.store.server import open_server_store

    root = work / "crash"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    api = httpx.Client(base_url=url, headers=AUTH, timeout=60)
    with serve(root, port) as first:
        created = api.post("/api/projects", json={"title": "Long", "script": LONG_SCRIPT}).json()
        base = f"/api/projects/{created['id']}"
        make = api.post(f"{base}/makes", json={"width": 320, "height": 180, "fps": 24}).json()
        while api.get(f"{base}/makes/{make['id']}").json()["status"] != "running":
            time.sleep(0.05)
        with open_server_store(root) as store:
            row = store.make(make["id"])
        first.kill()
        first.wait()
    assert row is not None and row.pid is not None
    orphan = Path(f"/proc/{row.pid}").exists()
    print(f"kill -9 of the server mid-make: make process {row.pid} still running: {orphan}")
    with serve(root, port):
        up = time.perf_counter()
        while True:
            found = [m for m in api.get(f"{base}/makes").json() if m["id"] == make["id"]]
            if found:
                break
            time.sleep(0.02)
        print(
            f"restarted server shows the make ({found[0]['status']}) after "
            f"{time.perf_counter() - up:.2f} s (budget 5 s)"
        )
        if found[0]["status"] == "running":
            api.post(f"{base}/makes/{make['id']}/cancel")
            while api.get(f"{base}/makes/{make['id']}").json()["status"] == "running":
                time.sleep(0.02)
        ended = time.perf_counter()
        while (
            api.post(f"{base}/makes", json={"width": 160, "height": 90, "fps": 8}).status_code
            != 202
        ):
            time.sleep(0.05)
        print(
            f"a new make of the project accepted {time.perf_counter() - ended:.2f} s after "
            "the old one ended (budget 10 s)"
        )
        for listed in api.get(f"{base}/makes").json():
            if listed["status"] in ("queued", "running"):
                api.post(f"{base}/makes/{listed['id']}/cancel")


# --- the 200,000-character line -----------------------------------------------------------


def make_time(story: Path, out: Path) -> tuple[float, int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYREEL_")}
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "storyreel.launch",
            "make",
            str(story),
            "-o",
            str(out),
            "--size",
            "320x180",
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return time.perf_counter() - started, done.returncode, lines[-1] if lines else ""


def long_line_section(work: Path) -> None:
    scenes = []
    for n in range(1, 11):  # 10 scenes of 6 lines: 60 lines
        scenes.append(
            f"INT. ROOM {n} - NIGHT\n\nMEI waits by the window.\n\nMEI\nWhere is everyone?\n\n"
            f"JUN\nOn the way.\n"
        )
    normal = work / "normal.fountain"
    normal.write_text("Title: Normal\n\n" + "\n".join(scenes), encoding="utf-8")
    words = [
        "the",
        "old",
        "man",
        "walks",
        "slowly",
        "across",
        "the",
        "wet",
        "market",
        "while",
        "lanterns",
        "sway",
        "above",
    ]
    line = " ".join(words[i % len(words)] for i in range(40_000))[:200_000]
    long = work / "long.fountain"
    long.write_text(
        f"Title: Long\n\nINT. MARKET - NIGHT\n\n{line}.\n\nMEI\nTea?\n", encoding="utf-8"
    )
    base, code, _ = make_time(normal, work / "normal.mp4")
    print(f"storyreel make of a 60-line story: {base:.1f} s (exit {code})")
    took, code, last = make_time(long, work / "long.mp4")
    print(f"storyreel make of a 200,000-character line: {took:.1f} s, exit {code}: {last}")
    print(f"ratio long-line/normal make time: {took / base:.2f} (budget 10)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-make", action="store_true", help="leave out the make timings")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="storyreel-harden-") as folder:
        work = Path(folder)
        uploads_section(work)
        crash_section(work)
        if not args.skip_make:
            long_line_section(work)


if __name__ == "__main__":
    main()
