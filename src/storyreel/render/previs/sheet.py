"""The contact sheet: every shot's previs keyframe in a grid, with its number, size,
move, length and the line spoken — what a director prints and pins to the wall.

    storyreel board story.fountain --sheet board.png     # or board.pdf, one page per 12 shots
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from storyreel.errors import OutputError
from storyreel.files import atomic_path
from storyreel.fonts import font
from storyreel.model import Angle, Shot, Storyboard
from storyreel.render.engine import RenderRequest
from storyreel.render.previs import compose_panel
from storyreel.render.previs.cards import title_card
from storyreel.render.previs.overlay import guess_lang, truncate, wrap

# A panel a printed page can show four across; the caption block under it holds the
# framing line and two lines of dialogue or action.
PANEL_WIDTH = 400
COLUMNS = 4
ROWS_PER_PAGE = 3  # PDF pages: 12 shots each, landscape
MARGIN = 40
GAP = 28
HEADER = 96
CAPTION = 92

_PAPER = (247, 245, 240)
_INK = (28, 28, 32)
_GREY = (110, 110, 118)
_RULE = (206, 202, 194)
_BADGE = (28, 28, 32)
_BADGE_TEXT = (255, 214, 120)
_NAME = (168, 60, 44)
_BADGE_SCENE = (70, 70, 78)
SUFFIXES = (".png", ".pdf")


@dataclass(frozen=True)
class Layout:
    """Where everything goes on one page, in pixels."""

    width: int
    height: int
    panel_w: int
    panel_h: int
    panels: list[tuple[int, int]]  # top-left corner of each shot's keyframe


def layout(
    count: int, aspect: float, *, columns: int = COLUMNS, panel_width: int = PANEL_WIDTH
) -> Layout:
    """A page for `count` shots of frame aspect `aspect` (width / height)."""
    panel_h = 2 * round(panel_width / aspect / 2)
    columns = max(1, min(columns, count))
    rows = max(1, -(-count // columns))
    width = 2 * MARGIN + columns * panel_width + (columns - 1) * GAP
    cell_h = panel_h + CAPTION + GAP
    height = HEADER + MARGIN + rows * cell_h - GAP + MARGIN // 2
    panels = [
        (MARGIN + (i % columns) * (panel_width + GAP), HEADER + (i // columns) * cell_h)
        for i in range(count)
    ]
    return Layout(width, height, panel_width, panel_h, panels)


def contact_sheet(
    board: Storyboard, *, columns: int = COLUMNS, panel_width: int = PANEL_WIDTH
) -> Image.Image:
    """All shots on one page."""
    return _page(board, board.shots, 1, 1, columns, panel_width)


def contact_pages(
    board: Storyboard, *, per_page: int = COLUMNS * ROWS_PER_PAGE
) -> list[Image.Image]:
    """The sheet split into pages for printing."""
    chunks = [board.shots[i : i + per_page] for i in range(0, len(board.shots), per_page)] or [[]]
    return [
        _page(board, chunk, n, len(chunks), COLUMNS, PANEL_WIDTH)
        for n, chunk in enumerate(chunks, 1)
    ]


def check_sheet(path: Path) -> Path:
    """Fail before any work if a contact sheet cannot be written at `path`."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise OutputError(f"{path}: a contact sheet is a .png or a .pdf file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"folder {parent} does not exist; create it or choose another --sheet")
    return path


def write_sheet(board: Storyboard, path: Path) -> Path:
    """Write the contact sheet as a PNG (one page) or a PDF (pages of 12 shots)."""
    path = check_sheet(path)
    suffix = path.suffix.lower()
    with atomic_path(path) as tmp:
        if suffix == ".png":
            contact_sheet(board).save(tmp, format="PNG", optimize=True)
        else:
            pages = contact_pages(board)
            pages[0].save(tmp, format="PDF", save_all=True, append_images=pages[1:], resolution=150)
    return path


def keyframe(board: Storyboard, shot: Shot, index: int, width: int, height: int) -> Image.Image:
    """The shot's previs frame halfway through its move, without slate or caption (the
    sheet writes its own, legible at print size)."""
    if shot.card is not None:
        return Image.fromarray(title_card(shot.card, width, height))  # as the film shows it
    request = RenderRequest.for_shot(
        board, shot, Path("unused.mp4"), width=width, height=height, seed=index
    )
    return Image.fromarray(compose_panel(request, overlay=False, t=0.5))


def _page(
    board: Storyboard, shots: list[Shot], page: int, pages: int, columns: int, panel_width: int
) -> Image.Image:
    box = layout(len(shots), board.width / board.height, columns=columns, panel_width=panel_width)
    image = Image.new("RGB", (box.width, box.height), _PAPER)
    draw = ImageDraw.Draw(image)
    _header(draw, board, box, page, pages)
    first = board.shots.index(shots[0]) + 1 if shots else 1
    for offset, (shot, (x, y)) in enumerate(zip(shots, box.panels, strict=True)):
        number = first + offset
        image.paste(keyframe(board, shot, number, box.panel_w, box.panel_h), (x, y))
        draw.rectangle((x - 1, y - 1, x + box.panel_w, y + box.panel_h), outline=_INK, width=1)
        _badge(draw, shot, x, y)
        _caption(draw, shot, x, y + box.panel_h, box.panel_w)
    return image


def _header(
    draw: ImageDraw.ImageDraw, board: Storyboard, box: Layout, page: int, pages: int
) -> None:
    title = board.title or "Untitled"
    minutes, seconds = divmod(round(board.duration), 60)
    face = font(34, guess_lang(title))
    draw.text((MARGIN, MARGIN - 14), title, font=face, fill=_INK)
    facts = f"{len(board.shots)} shots · {minutes}:{seconds:02d}"
    if pages > 1:
        facts += f" · page {page}/{pages}"
    small = font(18, "zh")
    right = box.width - MARGIN - small.getlength(facts)
    draw.text((right, MARGIN + 4), facts, font=small, fill=_GREY)
    draw.line((MARGIN, HEADER - 14, box.width - MARGIN, HEADER - 14), fill=_RULE, width=2)


def _badge(draw: ImageDraw.ImageDraw, shot: Shot, x: int, y: int) -> None:
    """The shot number on the panel's corner, and the scene beside it."""
    face = font(20, "en")
    label = shot.id
    w = face.getlength(label) + 18
    draw.rectangle((x, y, x + w, y + 30), fill=_BADGE)
    draw.text((x + 9, y + 3), label, font=face, fill=_BADGE_TEXT)
    scene = font(14, "en")
    tag = f"scene {shot.scene}"
    draw.rectangle((x + w, y, x + w + scene.getlength(tag) + 14, y + 22), fill=_BADGE_SCENE)
    draw.text((x + w + 7, y + 3), tag, font=scene, fill=(236, 236, 236))


def _caption(draw: ImageDraw.ImageDraw, shot: Shot, x: int, y: int, width: int) -> None:
    """Under the panel: framing and length on one line, then what is said or done."""
    framing = f"{shot.size.abbr} {shot.size.zh} · {shot.move.en} {shot.move.zh}"
    if shot.angle != Angle.eye_level:
        framing += f" · {shot.angle.en} {shot.angle.zh}"
    seconds = f"{shot.duration:.1f} s"
    face = font(17, "zh")
    draw.text(
        (x, y + 8),
        truncate_to(framing, face, width - face.getlength(seconds) - 12),
        font=face,
        fill=_INK,
    )
    draw.text((x + width - face.getlength(seconds), y + 8), seconds, font=face, fill=_INK)
    if shot.lines:
        line = shot.lines[0]
        name, text, colour = f"{line.character}：", line.text, _INK
        if len(shot.lines) > 1:
            text += " …"
    else:
        name, text, colour = "", shot.action, _GREY
    lang = shot.lines[0].lang if shot.lines else guess_lang(text)
    body = font(16, lang)
    rows = wrap(name + text, body, width) or [""]
    if len(rows) > 2:
        rows = [rows[0], truncate(rows[1], body, width)]
    for i, row in enumerate(rows):
        ty = y + 36 + i * 24
        draw.text((x, ty), row, font=body, fill=colour)
        if i == 0 and name and row.startswith(name):
            draw.text((x, ty), name, font=body, fill=_NAME)


def truncate_to(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    return text if face.getlength(text) <= width else truncate(text, face, width)
