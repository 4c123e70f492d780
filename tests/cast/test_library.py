"""The cast folder: adding, finding, removing and importing subjects, safely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from storyreel.cast import SAME_PERSON, Cast, CastError, faces, slug_for
from storyreel.cast.library import read_subject

from .conftest import astronaut_head, skdata


def _png(path: Path, pixels: np.ndarray) -> Path:
    Image.fromarray(pixels).save(path)
    return path


def test_add_decodes_and_stores_images_with_identity(tmp_path: Path) -> None:
    photo = _png(tmp_path / "eileen.png", skdata.astronaut())
    cast = Cast(tmp_path / "cast")
    entry = cast.add("Eileen", images=[photo], description="40s, orange flight suit")
    assert entry.subject.images == ["ref-1.png"]
    with Image.open(entry.folder / "ref-1.png") as stored:
        assert stored.size == (512, 512)
    assert entry.subject.embedding is not None
    head = astronaut_head()
    (face,) = faces.find_faces(head)
    assert faces.distance(entry.subject.embedding, faces.embed_face(head, face)) < SAME_PERSON
    assert cast.get("EILEEN").folder == entry.folder  # names match whatever their case
    assert read_subject(entry.folder / "subject.yaml") == entry.subject


def test_broken_image_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    good = _png(tmp_path / "a.png", skdata.astronaut())
    broken = tmp_path / "b.png"
    broken.write_bytes(good.read_bytes()[:2000])  # cut off mid-file
    cast = Cast(tmp_path / "cast")
    with pytest.raises(CastError, match=r"b\.png: not a readable image"):
        cast.add("MEI", images=[good, broken])
    with pytest.raises(CastError, match="no such image file"):
        cast.add("MEI", images=[tmp_path / "missing.png"])
    assert cast.entries() == []
    leftovers = list((tmp_path / "cast").iterdir()) if (tmp_path / "cast").exists() else []
    assert leftovers == []  # not even a hidden half-written folder


def test_duplicate_and_missing_names(tmp_path: Path) -> None:
    cast = Cast(tmp_path / "cast")
    cast.add("MEI", description="20s")
    with pytest.raises(CastError, match="already has 'MEI'"):
        cast.add(" mei ")
    with pytest.raises(CastError, match=r"no subject named 'LEO'.*MEI"):
        cast.get("LEO")
    with pytest.raises(CastError, match="no subject named"):
        cast.remove("LEO")
    removed = cast.remove("Mei")
    assert not removed.folder.exists() and cast.entries() == []


def test_folder_names_are_safe_whatever_the_name(tmp_path: Path) -> None:
    cast = Cast(tmp_path / "cast")
    for name in ("../../escape", "小梅", "C:\\temp\\x", "con", "MEI / 2"):
        entry = cast.add(name)
        assert entry.folder.parent == cast.folder
        assert entry.folder.name == slug_for(name)
        assert cast.get(name).name == name
    assert slug_for("小梅") == "小梅"
    assert slug_for("../../escape") == "escape"
    assert slug_for("con") == "subject-con"
    assert not (tmp_path / "escape").exists()


def test_a_subject_yaml_cannot_point_outside_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "cast" / "mei"
    folder.mkdir(parents=True)
    (folder / "subject.yaml").write_text("name: MEI\nimages: [../../secret.png]\n")
    with pytest.raises(CastError, match="not a plain file name"):
        Cast(tmp_path / "cast").entries()
    (folder / "subject.yaml").write_text("name: MEI\ncolour: red\n")
    with pytest.raises(CastError, match="colour"):
        Cast(tmp_path / "cast").entries()


def test_import_from_another_project(tmp_path: Path) -> None:
    photo = _png(tmp_path / "eileen.png", skdata.astronaut())
    source = Cast(tmp_path / "one" / "cast")
    original = source.add("小梅", images=[photo], description="二十多岁，红色雨衣")
    here = Cast(tmp_path / "two" / "cast")
    copied = here.import_from(tmp_path / "one", "小梅")
    assert copied.subject == original.subject
    assert (copied.folder / "ref-1.png").read_bytes() == (
        original.folder / "ref-1.png"
    ).read_bytes()
    with pytest.raises(CastError, match="already has"):
        here.import_from(tmp_path / "one" / "cast", "小梅")
    with pytest.raises(CastError, match="no cast found"):
        here.import_from(tmp_path, "小梅")


def test_plain_background_gives_a_cutout(tmp_path: Path) -> None:
    pixels = np.full((300, 200, 3), 250, np.uint8)
    pixels[60:280, 50:150] = (30, 160, 40)
    entry = Cast(tmp_path / "cast").add(
        "LAMP", images=[_png(tmp_path / "l.png", pixels)], kind="prop"
    )
    assert entry.subject.cutout == "cutout.png"
    with Image.open(entry.folder / "cutout.png") as cut:
        assert cut.mode == "RGBA" and cut.size == (100, 220)
