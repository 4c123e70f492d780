"""A real make of a tiny story through a real server: an HTTP client follows the make's
server-sent events until its final status, then plays the film by ranges."""

from __future__ import annotations

from pathlib import Path

import av
import httpx

from storyreel.api import Settings, create_app

from .support import AUTH, SCRIPT, TOKEN, running_server, sse_events


def test_make_streams_events_and_serves_the_film(tmp_path: Path) -> None:
    app = create_app(Settings(token=TOKEN, root=tmp_path / "projects"))
    with running_server(app) as url, httpx.Client(base_url=url, headers=AUTH, timeout=120) as http:
        project = http.post("/api/projects", json={"title": "Kettle", "script": SCRIPT}).json()
        base = f"/api/projects/{project['id']}"
        shots = [s["id"] for s in http.get(f"{base}/storyboard").json()["shots"]]
        started = http.post(f"{base}/makes", json={"width": 160, "height": 90, "fps": 12})
        assert started.status_code == 202, started.text
        make = started.json()
        assert make["status"] in ("queued", "running")

        events = []
        # EventSource style: no header, the token in the query.
        stream_url = f"{base}/makes/{make['id']}/events?token={TOKEN}"
        with httpx.stream("GET", url + stream_url, timeout=120) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            for name, data, _ in sse_events(response):
                events.append((name, data))
        names = [name for name, _ in events]
        assert names[-1] == "status"
        final = events[-1][1]
        assert final["status"] == "succeeded", final
        assert final["film_url"] == f"{base}/files/film.mp4"
        stages = {data["stage"] for name, data in events if name == "progress"}
        assert {"parse", "direct", "voice", "render", "cut"} <= stages
        done = {d["shot_id"] for n, d in events if n == "shot" and d["event"] == "done"}
        assert done == set(shots)
        # Each shot's own job events, from the worker that rendered it, in order.
        for shot in shots:
            seen = [d["event"] for n, d in events if n == "shot" and d["shot_id"] == shot]
            assert seen[0] in ("queued", "started") and seen[-1] == "done", seen
            assert "started" in seen, seen

        after = http.get(f"{base}/makes/{make['id']}").json()
        assert after["status"] == "succeeded"
        assert after["shots"] == {shot: 1.0 for shot in shots}
        assert http.get(base).json()["has_film"] is True

        # A late subscriber gets the final state at once and the stream ends.
        with httpx.stream("GET", url + stream_url, timeout=30) as late:
            replay = list(sse_events(late))
        assert replay[-1][1]["status"] == "succeeded"

        film = http.get(final["film_url"])
        assert film.status_code == 200
        size = len(film.content)
        head = http.get(final["film_url"], headers={"Range": "bytes=0-1023"})
        assert head.status_code == 206
        assert head.headers["content-range"] == f"bytes 0-1023/{size}"
        assert head.content == film.content[:1024]
        path = tmp_path / "film.mp4"
        path.write_bytes(film.content)
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == (160, 90)
        vtt = http.get(f"{base}/files/film.vtt")
        assert vtt.status_code == 200 and vtt.text.startswith("WEBVTT")
        assert "Tea?" in vtt.text
        sheet = http.get(f"{base}/files/sheet.png")
        assert sheet.status_code == 200 and sheet.content[:4] == b"\x89PNG"
