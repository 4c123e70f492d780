from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from storyreel.api import Settings
from storyreel.api.errors import RangeNotSatisfiable
from storyreel.api.ranges import byte_range

from .support import project_folder


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=5-1", None),  # invalid: ignored
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("items=0-1", None),
    ],
)
def test_byte_range(header: str | None, expected: tuple[int, int] | None) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 1000)


def test_files_route_serves_ranges(client: TestClient, project_id: str, settings: Settings) -> None:
    url = f"/api/projects/{project_id}/files/film.vtt"
    assert client.get(url).status_code == 404
    data = bytes(range(256)) * 4
    (project_folder(settings, project_id) / "film.vtt").write_bytes(data)

    whole = client.get(url)
    assert whole.status_code == 200
    assert whole.content == data
    assert whole.headers["accept-ranges"] == "bytes"
    assert whole.headers["content-type"].startswith("text/vtt")

    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == data[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert part.headers["content-length"] == "10"

    tail = client.get(url, headers={"Range": "bytes=-24"})
    assert tail.status_code == 206 and tail.content == data[-24:]

    beyond = client.get(url, headers={"Range": f"bytes={len(data)}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"

    assert client.get(f"/api/projects/{project_id}/files/secret.txt").status_code == 422
