"""The slate (top left) and the caption band (bottom), fixed on screen over the picture.

Drawn once per shot as an RGBA layer. For moving shots `YuvOverlay` pre-converts it to
premultiplied YUV 4:2:0 patches, so each frame blends only the pixels the overlay
covers, directly in the planes the encoder takes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from storyreel.fonts import font
from storyreel.model import CameraMove, Shot
from storyreel.render.engine import RenderRequest

Box = tuple[int, int, int, int]  # x0, y0, x1, y1

MAX_CAPTION_LINES = 3
ELLIPSIS = "…"
_TEXT = (248, 246, 240, 255)
_NAME = (255, 214, 120, 255)
_SLATE_FILL = (16, 16, 20, 150)
_BAND_FILL = (10, 10, 14, 165)

# One token per CJK character (lines may break between any two), one per Latin word or
# run of spaces.
_WIDE = (
    r"\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
)
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
# Punctuation that must not start a line: it stays on the line before, even if it
# overhangs the margin a little.
_NO_LINE_START = set("，。！？、；：”’）」』》〉】…,.!?;:)]}%")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class CaptionLine:
    text: str
    lang: str
    name: str = ""  # a speaker prefix at the start of `text`, drawn in its own colour


def guess_lang(text: str) -> str:
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if _HAN.search(text):
        return "zh"
    return "en"


def wrap(text: str, face: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking: between words for Latin, between characters for CJK."""
    lines: list[str] = []
    current = ""
    for token in _TOKEN.findall(text.replace("\n", " ")):
        if token.isspace():
            if current:
                current += " "
            continue
        candidate = current + token
        if face.getlength(candidate.rstrip()) <= width or token in _NO_LINE_START:
            current = candidate
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        # A word longer than the line is broken wherever it has to be.
        while face.getlength(token) > width and len(token) > 1:
            cut = len(token) - 1
            while cut > 1 and face.getlength(token[:cut]) > width:
                cut -= 1
            lines.append(token[:cut])
            token = token[cut:]
        current = token
    if current.strip():
        lines.append(current.rstrip())
    return lines


def truncate(text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
    """`text` shortened to fit `width` with an ellipsis."""
    while text and face.getlength(text + ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def caption_lines(shot: Shot, size: int, width: float) -> list[CaptionLine]:
    """The caption as laid-out lines: `NAME: text` per spoken line, else the action."""
    entries: list[tuple[str, str, str]] = []
    for line in shot.lines:
        colon = "：" if line.lang.split("-")[0] in ("zh", "ja", "yue") else ": "
        name = f"{line.character}{colon}"
        entries.append((name + line.text.strip(), line.lang, name))
    if not entries and shot.action.strip():
        entries.append((shot.action.strip(), guess_lang(shot.action), ""))
    out: list[CaptionLine] = []
    for text, lang, name in entries:
        for i, piece in enumerate(wrap(text, font(size, lang), width)):
            has_name = i == 0 and bool(name) and piece.startswith(name.rstrip())
            out.append(CaptionLine(piece, lang, name.rstrip() if has_name else ""))
    if len(out) > MAX_CAPTION_LINES:
        last = out[MAX_CAPTION_LINES - 1]
        short = truncate(last.text, font(size, last.lang), width)
        out = [*out[: MAX_CAPTION_LINES - 1], CaptionLine(short, last.lang, last.name)]
    return out


def slate_lines(request: RenderRequest) -> list[str]:
    shot = request.shot
    move = shot.move.value.replace("_", " ")
    if shot.move in (CameraMove.pan, CameraMove.tilt, CameraMove.track) and shot.direction:
        move = f"{move} {shot.direction}"
    return [
        # The shot's id, not its position: inserting a shot elsewhere must not change
        # this shot's pixels (and so its cache key).
        f"S{shot.scene} · shot {shot.id}",
        f"{shot.size.abbr} {shot.size.zh} · {move} {shot.move.zh}",
    ]


def draw_overlay(request: RenderRequest) -> tuple[Image.Image, list[Box]]:
    """The RGBA overlay for a shot and the boxes it covers (even-aligned for 4:2:0):
    the slate and the caption band as `request.picture` asks (none for "clean")."""
    layer, parts = overlay_parts(request)
    return layer, [part.box for part in parts]


@dataclass(frozen=True)
class OverlayPart:
    """One thing the overlay draws: its kind ("slate" or "caption"), its text, where."""

    kind: str
    text: str
    box: Box


def overlay_parts(request: RenderRequest) -> tuple[Image.Image, list[OverlayPart]]:
    """`draw_overlay`, each box with what it holds."""
    w, h = request.width, request.height
    layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    parts: list[OverlayPart] = []
    if request.picture == "clean":
        return layer, parts

    size = max(8, round(h * 0.026))
    face = font(size, "zh")
    margin = max(4, round(h * 0.025))
    pad = max(3, size // 2)
    lines = slate_lines(request)
    step = round(size * 1.3)
    text_w = max(face.getlength(t) for t in lines)
    box = _even(
        (margin, margin, margin + round(text_w) + 2 * pad, margin + step * len(lines) + pad)
    )
    draw.rounded_rectangle(box, radius=pad, fill=_SLATE_FILL)
    for i, text in enumerate(lines):
        draw.text((margin + pad, margin + pad // 2 + i * step), text, font=face, fill=_TEXT)
    parts.append(OverlayPart("slate", " / ".join(lines), _clip(box, w, h)))

    size = max(9, round(h * 0.04))
    side = round(w * 0.06)
    # Under burned subtitles ("slate") the film's own subtitles carry the words.
    caption = (
        caption_lines(request.shot, size, w - 2 * side) if request.picture == "annotated" else []
    )
    if caption:
        step = round(size * 1.38)
        pad = round(size * 0.55)
        band = _even((0, h - len(caption) * step - 2 * pad, w, h))
        draw.rectangle(band, fill=_BAND_FILL)
        y = band[1] + pad
        for line in caption:
            face = font(size, line.lang)
            x = (w - face.getlength(line.text)) / 2
            draw.text((x, y), line.text, font=face, fill=_TEXT)
            if line.name:
                draw.text((x, y), line.name, font=face, fill=_NAME)
            y += step
        text = " ".join(line.text for line in caption)
        parts.append(OverlayPart("caption", text, _clip(band, w, h)))
    return layer, parts


def overlay_image(request: RenderRequest) -> Image.Image:
    return draw_overlay(request)[0]


def _even(box: tuple[int, int, int, int]) -> Box:
    x0, y0, x1, y1 = box
    return x0 - x0 % 2, y0 - y0 % 2, x1 + x1 % 2, y1 + y1 % 2


def _clip(box: Box, w: int, h: int) -> Box:
    return max(0, box[0]), max(0, box[1]), min(w, box[2]), min(h, box[3])


# --- blending in YUV ------------------------------------------------------------------


def rgb_to_yuv(rgb: np.ndarray) -> np.ndarray:
    """BT.601 limited range, as swscale converts rgb24 to yuv420p by default."""
    m = np.array(
        [[65.481, 128.553, 24.966], [-37.797, -74.203, 112.0], [112.0, -93.786, -18.214]],
        dtype=np.float32,
    )
    out = rgb.astype(np.float32) @ (m.T / 255.0)
    out += np.array([16.0, 128.0, 128.0], dtype=np.float32)
    return out


@dataclass(frozen=True)
class _Patch:
    plane: int  # 0 Y, 1 U, 2 V
    y0: int
    y1: int
    x0: int
    x1: int
    keep: np.ndarray  # uint16, 256 - alpha (alpha in 0..256)
    add: np.ndarray  # uint16, premultiplied colour * 256 + rounding


class YuvOverlay:
    """An RGBA overlay as integer premultiplied YUV 4:2:0 patches over its boxes."""

    def __init__(self, layer: Image.Image, boxes: list[Box]) -> None:
        rgba = np.asarray(layer.convert("RGBA"))
        self.width, self.height = layer.size
        self.patches: list[_Patch] = []
        for x0, y0, x1, y1 in boxes:
            if x1 <= x0 or y1 <= y0:
                continue
            region = rgba[y0:y1, x0:x1]
            alpha = region[..., 3].astype(np.float32) / 255.0
            yuv = rgb_to_yuv(region[..., :3]) * alpha[..., None]
            self._add(0, (y0, y1, x0, x1), alpha, yuv[..., 0])
            # Chroma: average the premultiplied colour and the alpha over 2x2 blocks.
            ca = _half(alpha)
            half = (y0 // 2, y1 // 2, x0 // 2, x1 // 2)
            self._add(1, half, ca, _half(yuv[..., 1]))
            self._add(2, half, ca, _half(yuv[..., 2]))

    def _add(self, plane: int, box: Box, alpha: np.ndarray, pre: np.ndarray) -> None:
        keep = np.rint(256 - alpha * 256).astype(np.uint16)
        add = np.rint(pre * 256 + 128).astype(np.uint16)
        self.patches.append(_Patch(plane, *box, keep=keep, add=add))

    def apply(self, planes: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        """Blend into a frame's Y, U and V planes (writable uint8 views) in place."""
        for p in self.patches:
            region = planes[p.plane][p.y0 : p.y1, p.x0 : p.x1]
            mixed = region * p.keep  # uint8 * uint16 -> uint16; at most 255 * 256
            mixed += p.add
            mixed >>= 8
            region[...] = mixed


def packed_planes(
    packed: np.ndarray, width: int, height: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Y, U and V views into a packed yuv420p array (what VideoFrame.to_ndarray gives)."""
    flat = packed.reshape(-1)
    y_size = width * height
    c_size = (width // 2) * (height // 2)
    y = flat[:y_size].reshape(height, width)
    u = flat[y_size : y_size + c_size].reshape(height // 2, width // 2)
    v = flat[y_size + c_size : y_size + 2 * c_size].reshape(height // 2, width // 2)
    return y, u, v


def _half(a: np.ndarray) -> np.ndarray:
    h, w = a.shape[0] // 2 * 2, a.shape[1] // 2 * 2
    a = a[:h, :w]
    quarter: np.ndarray = (a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2]) / 4
    return quarter
