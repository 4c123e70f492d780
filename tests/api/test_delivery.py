"""The studio's delivery endpoints: the film's provenance and its editor timelines."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import opentimelineio as otio
from fastapi.testclient import TestClient

from .test_makes import _wait


def test_a_made_films_provenance_and_timelines(client: TestClient, project_id: str) -> None:
    base = f"/api/projects/{project_id}"
    assert client.get(f"{base}/provenance").status_code == 404
    assert client.get(f"{base}/timelines/film.otio").status_code == 404

    made = client.post(f"{base}/makes", json={"width": 160, "height": 96, "fps": 24}).json()
    assert _wait(client, base, made["id"])["status"] == "succeeded"

    provenance = client.get(f"{base}/provenance").json()
    assert provenance["status"] == "valid"
    assert provenance["labels"]["implicit"]["Label"] == "1"
    assert "AI-generated" in provenance["labels"]["explicit"]
    shots = client.get(f"{base}/storyboard").json()["shots"]
    assert [s["shot"] for s in provenance["shots"]] == [s["id"] for s in shots]

    otio_file = client.get(f"{base}/timelines/film.otio")
    assert otio_file.status_code == 200
    timeline = otio.adapters.read_from_string(otio_file.text, "otio_json")
    assert len(list(timeline.tracks[0].find_clips())) == len(shots)
    edl = client.get(f"{base}/timelines/film.edl").text
    assert edl.count(" V     C ") == len(shots)
    xml = ET.fromstring(client.get(f"{base}/timelines/film.xml").content)
    assert len(xml.findall(".//video/track/clipitem")) == len(shots)
    assert client.get(f"{base}/timelines/film.aaf").status_code == 422
