"""The contact sheet: one keyframe per shot in a grid, captions under each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from storyreel.direct import plan
from storyreel.errors import OutputError
from storyreel.model import Storyboard
from storyreel.render.previs.sheet import (
    COLUMNS,
    contact_pages,
    contact_sheet,
    layout,
    write_sheet,
)

from .scripts import market_script

PAPER = np.array([247, 245, 240])


def board() -> Storyboard:
    return plan(market_script(), width=640, height=360)


def test_the_sheet_has_one_panel_per_shot_in_a_grid() -> None:
    b = board()
    sheet = contact_sheet(b)
    box = layout(len(b.shots), 640 / 360)
    assert sheet.size == (box.width, box.height)
    assert len(box.panels) == len(b.shots) > COLUMNS
    pixels = np.asarray(sheet).astype(int)
    for x, y in box.panels:
        panel = pixels[y : y + box.panel_h, x : x + box.panel_w]
        # A drawn picture, not paper: many colours, little of it paper-white.
        assert len(np.unique(panel.reshape(-1, 3), axis=0)) > 50
        assert (np.abs(panel - PAPER).sum(axis=2) < 6).mean() < 0.2
    # Between the first two panels of a row there is only paper.
    (x0, y0), (x1, _) = box.panels[0], box.panels[1]
    gutter = pixels[y0 + 40 : y0 + box.panel_h, x0 + box.panel_w + 4 : x1 - 4]
    assert (np.abs(gutter - PAPER).sum(axis=2) < 6).all()


def test_captions_are_drawn_under_each_panel() -> None:
    b = board()
    pixels = np.asarray(contact_sheet(b)).astype(int)
    box = layout(len(b.shots), 640 / 360)
    for x, y in box.panels:
        caption = pixels[y + box.panel_h + 6 : y + box.panel_h + 60, x : x + box.panel_w]
        ink = (np.abs(caption - PAPER).sum(axis=2) > 200).mean()
        assert ink > 0.01  # text is there


def test_png_and_pdf_files(tmp_path: Path) -> None:
    b = board()
    png = write_sheet(b, tmp_path / "board.png")
    with Image.open(png) as image:
        assert image.format == "PNG" and image.size == contact_sheet(b).size
    pdf = write_sheet(b, tmp_path / "board.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    pages = contact_pages(b, per_page=4)
    assert len(pages) == -(-len(b.shots) // 4)
    with pytest.raises(OutputError, match=r"\.png or a \.pdf"):
        write_sheet(b, tmp_path / "board.gif")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["board.pdf", "board.png"]
