"""Bodies over the server's limits, sent as a hostile client would over a real socket:
refused on their declared length before a byte is read, or at the first chunk past
the cap when they declare none; nothing written past the cap, no file left behind."""

from __future__ import annotations

import io
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from storyreel.api import Settings, create_app
from storyreel.api.uploads import MAX_IMAGE_PIXELS

from .support import AUTH, SCRIPT, TOKEN, running_server

IMAGE_LIMIT = 512 * 1024
CLIP_LIMIT = 1024 * 1024
JSON_LIMIT = 256 * 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    root = tmp_path_factory.mktemp("limits") / "projects"
    settings = Settings(
        token=TOKEN,
        root=root,
        max_image_bytes=IMAGE_LIMIT,
        max_clip_bytes=CLIP_LIMIT,
        max_json_bytes=JSON_LIMIT,
    )
    with running_server(create_app(settings)) as url:
        created = httpx.post(
            f"{url}/api/projects", json={"title": "Limits", "script": SCRIPT}, headers=AUTH
        )
        assert created.status_code == 201, created.text
        yield url, created.json()["id"], root / created.json()["id"]


# The threads that read a request's body and write what it holds: uvicorn's event loop
# (running_server names it), the worker threads Starlette hands file writes to, and
# the upload decoder. Counting only theirs leaves out the server's other threads (the
# makes' leases, the store) and pytest's own output, which a busy machine times
# differently from run to run.
SERVING = ("uvicorn", "AnyIO worker thread", "upload-decode")


def serving_writes() -> dict[int, int]:
    """Bytes each request-serving thread has passed to write(), by its native id."""
    counts = {}
    for thread in threading.enumerate():
        if thread.name.startswith(SERVING) and thread.native_id is not None:
            try:
                io_stats = Path(f"/proc/self/task/{thread.native_id}/io").read_text()
            except FileNotFoundError:  # it has just ended
                continue
            wchar = next(line for line in io_stats.splitlines() if line.startswith("wchar:"))
            counts[thread.native_id] = int(wchar.split()[1])
    assert counts, "no request-serving thread found"
    return counts


def written_since(before: dict[int, int]) -> int:
    """Bytes the request-serving threads wrote since `before` (a thread started since
    counts from nothing)."""
    return sum(n - before.get(tid, 0) for tid, n in serving_writes().items())


def _head(url: str, path: str, extra: str) -> bytes:
    host = url.removeprefix("http://")
    return (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {TOKEN}\r\n"
        f"Content-Type: multipart/form-data; boundary=xx\r\n{extra}\r\n"
    ).encode()


def test_a_declared_gigabyte_is_refused_before_it_is_read(
    served: tuple[str, str, Path],
) -> None:
    url, project_id, folder = served
    host, port = url.removeprefix("http://").split(":")
    before = serving_writes()
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            _head(url, f"/api/projects/{project_id}/cast", "Content-Length: 1000000000\r\n")
        )
        connection.sendall(b"--xx\r\n" + b"\0" * 65536)
        received = b""
        while chunk := connection.recv(65536):  # the server closes after answering
            received += chunk
        answer = received.decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer
    assert "STORYREEL_MAX_CLIP_BYTES" in answer
    assert written_since(before) < 1024 * 1024
    assert not list((folder / ".storyreel").rglob("upload-*"))


# A client in a process of its own, so its writes to the socket are not counted as
# the server's: it streams `total` bytes of a multipart body in chunks, without a
# Content-Length, then prints the status line of the answer.
CHUNKED = """
import socket, sys
host, port, head, total = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
c = socket.create_connection((host, port), timeout=20)
c.sendall(head.encode().decode('unicode_escape').encode('latin-1'))
part = b'--xx\\r\\nContent-Disposition: form-data; name="clip"; filename="a.mp4"\\r\\n\\r\\n'
c.sendall(b'%x\\r\\n%s\\r\\n' % (len(part), part))
chunk = b'\\x01' * 65536
sent = 0
try:
    while sent < total:
        c.sendall(b'%x\\r\\n%s\\r\\n' % (len(chunk), chunk))
        sent += len(chunk)
    c.sendall(b'0\\r\\n\\r\\n')
except OSError:
    pass
print(c.recv(4096).decode('latin-1').splitlines()[0])
"""


def test_a_chunked_body_is_cut_off_at_the_cap(served: tuple[str, str, Path]) -> None:
    url, project_id, folder = served
    host, port = url.removeprefix("http://").split(":")
    head = _head(url, f"/api/projects/{project_id}/cast", "Transfer-Encoding: chunked\r\n")
    before = serving_writes()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            CHUNKED,
            host,
            port,
            head.decode().encode("unicode_escape").decode(),
            str(32 * CLIP_LIMIT),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.startswith("HTTP/1.1 413"), (done.stdout, done.stderr)
    written = written_since(before)
    # The multipart parser spools the part as chunks come (to a temporary file past
    # 1 MB), so at most the cap of it can have been written; a body read whole would
    # have written all 32 caps.
    assert written <= CLIP_LIMIT, written
    assert not list((folder / ".storyreel").rglob("upload-*"))


def test_a_json_body_over_its_cap_is_413(served: tuple[str, str, Path]) -> None:
    url, project_id, _ = served
    big = {"text": "x" * (JSON_LIMIT + 1)}
    answer = httpx.put(f"{url}/api/projects/{project_id}/script", json=big, headers=AUTH)
    assert answer.status_code == 413
    assert "STORYREEL_MAX_JSON_BYTES" in answer.json()["detail"]

    def streamed() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(2 * JSON_LIMIT // 4096):
            yield b"y" * 4096
        yield b'"}'

    chunked = httpx.put(
        f"{url}/api/projects/{project_id}/script",
        content=streamed(),
        headers={**AUTH, "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413, chunked.text
    assert (
        httpx.get(f"{url}/api/projects/{project_id}/script", headers=AUTH)
        .json()["text"]
        .startswith("Title: The Kettle")
    )


def png(width: int, height: int, colour: tuple[int, int, int] = (10, 200, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def add(url: str, project_id: str, name: str, part: str, data: bytes) -> httpx.Response:
    return httpx.post(
        f"{url}/api/projects/{project_id}/cast",
        data={"name": name},
        files={part: (f"x.{'png' if part == 'image' else 'mp4'}", data, "image/png")},
        headers=AUTH,
        timeout=60,
    )


def test_a_small_upload_still_goes_through(served: tuple[str, str, Path]) -> None:
    url, project_id, _ = served
    assert add(url, project_id, "Green", "image", png(64, 64)).status_code == 201


def bomb_png(width: int, height: int) -> bytes:
    """A real, valid PNG of `width` x `height` black pixels at one bit each: tens of
    KB on the wire, width x height bytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = zlib.compress(b"\0" * ((1 + (width + 7) // 8) * height), 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_a_decompression_bomb_is_refused_from_its_header(served: tuple[str, str, Path]) -> None:
    url, project_id, _ = served
    bomb = bomb_png(9000, 9000)  # 81 megapixels
    assert len(bomb) < IMAGE_LIMIT
    started = time.monotonic()
    answer = add(url, project_id, "Bomb", "image", bomb)
    assert answer.status_code == 415, answer.text
    assert "81 megapixels" in answer.json()["detail"]
    assert f"at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels" in answer.json()["detail"]
    # Refused by the header: nothing was decoded.
    assert time.monotonic() - started < 1.0


def test_a_picture_sent_as_a_clip_is_refused(served: tuple[str, str, Path]) -> None:
    url, project_id, _ = served
    answer = add(url, project_id, "Still", "clip", png(320, 240))
    assert answer.status_code == 415, answer.text
    assert "not a video" in answer.json()["detail"]


def test_the_server_answers_while_an_image_decodes(served: tuple[str, str, Path]) -> None:
    url, project_id, _ = served
    big = png(4000, 3000, (200, 120, 40))  # a 12 MP photo: seconds of decoding and resizing
    result: list[httpx.Response] = []
    upload = threading.Thread(
        target=lambda: result.append(add(url, project_id, "Big", "image", big))
    )
    started = time.monotonic()
    upload.start()
    waits: list[float] = []
    while upload.is_alive():
        asked = time.monotonic()
        assert httpx.get(f"{url}/api/health", timeout=30).status_code == 200
        waits.append(time.monotonic() - asked)
        time.sleep(0.02)
    upload.join()
    took = time.monotonic() - started
    assert result and result[0].status_code == 201, result[0].text if result else None
    assert len(waits) >= 3, (took, waits)
    assert max(waits) < max(0.3, took / 3), (took, waits)
