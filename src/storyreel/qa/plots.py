"""Line plots of the checks' per-frame series as PNG pictures, drawn with Pillow
(no plotting library is installed with storyreel): the per-frame difference, identity
similarity over time, the lip-sync cross-correlation.

    png = line_plot({"difference": [...]}, title="shot 3 · temporal", marks=[51, 63])
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from PIL import Image, ImageDraw, ImageFont

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf")
_MARGIN = (44, 22, 12, 26)  # left, top, right, bottom, pixels


def line_plot(
    series: Mapping[str, Sequence[float]],
    *,
    title: str = "",
    x: Sequence[float] | None = None,
    marks: Sequence[float] = (),
    size: tuple[int, int] = (640, 200),
) -> bytes:
    """A PNG of each series against its index (or `x`), one colour each, with a
    legend; `marks` are x positions drawn as red ticks (the frames a check flagged).
    Values of -1 (a check's "nothing seen") are left as gaps."""
    width, height = size
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    left, top, right, bottom = _MARGIN
    box = (left, top, width - right, height - bottom)
    draw.rectangle(box, outline="#888888")
    draw.text((left, 4), title, fill="black", font=font)
    values = [v for ys in series.values() for v in ys if v != -1]
    longest = max((len(ys) for ys in series.values()), default=0)
    xs_all = list(x) if x is not None else list(range(longest))
    if not values or not xs_all:
        draw.text((left + 8, top + 8), "no data", fill="#888888", font=font)
        return _png(image)
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        lo, hi = lo - 1, hi + 1
    x0, x1 = min(xs_all), max(xs_all)
    span = (x1 - x0) or 1

    def at(px: float, py: float) -> tuple[float, float]:
        return (
            box[0] + (px - x0) / span * (box[2] - box[0]),
            box[3] - (py - lo) / (hi - lo) * (box[3] - box[1]),
        )

    for mark in marks:
        mx, _ = at(mark, lo)
        draw.line([(mx, box[1]), (mx, box[3])], fill="#f4a6a6", width=2)
    for n, (name, ys) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        xs = list(x) if x is not None else list(range(len(ys)))
        run: list[tuple[float, float]] = []
        for px, py in zip(xs, ys, strict=False):
            if py == -1:
                _polyline(draw, run, colour)
                run = []
                continue
            run.append(at(px, py))
        _polyline(draw, run, colour)
        draw.text((box[2] - 150, box[1] + 4 + 12 * n), name, fill=colour, font=font)
    draw.text((2, box[1] - 2), f"{hi:.3g}", fill="black", font=font)
    draw.text((2, box[3] - 10), f"{lo:.3g}", fill="black", font=font)
    draw.text((box[0], box[3] + 4), f"{x0:g}", fill="black", font=font)
    draw.text((box[2] - 30, box[3] + 4), f"{x1:g}", fill="black", font=font)
    return _png(image)


def _polyline(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], colour: str) -> None:
    if len(points) == 1:
        px, py = points[0]
        draw.ellipse([px - 2, py - 2, px + 2, py + 2], fill=colour)
    elif points:
        draw.line(points, fill=colour, width=2)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def check_plot(
    check: str, series: Mapping[str, Sequence[float]], marks: Sequence[float], title: str
) -> bytes | None:
    """The plot that shows what `check` measured, or None when it keeps no series."""
    if check == "lipsync" and "correlation" in series:
        return line_plot(
            {"correlation": series["correlation"]},
            x=series.get("lags"),
            title=f"{title} · cross-correlation by lag (frames)",
        )
    if check == "identity":
        frames = series.get("frames")
        shown = {k: v for k, v in series.items() if k.startswith("similarity")}
        return (
            line_plot(shown, x=frames, marks=marks, title=f"{title} · identity similarity")
            if shown
            else None
        )
    wanted = {"temporal": "difference", "flicker": "ripple", "motion": "flow"}.get(check)
    if wanted and wanted in series:
        return line_plot(
            {wanted: series[wanted]}, marks=marks, title=f"{title} · {wanted} per frame"
        )
    return None
