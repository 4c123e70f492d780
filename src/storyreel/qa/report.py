"""The quality report: every take's checks, as JSON data or one HTML page with the
plots inside it (PNG pictures as data URLs, so the page is a single file to share).

    write_report(Path("report.html"), "The Kettle", takes)
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storyreel.files import write_text_atomic
from storyreel.qa import CheckResult, take_score
from storyreel.qa.plots import check_plot


@dataclass(frozen=True)
class TakeReport:
    """One take and what its checks found."""

    shot: str
    key: str
    engine: str
    seed: int
    in_film: bool
    results: Sequence[CheckResult] = field(default_factory=tuple)

    @property
    def judged(self) -> bool:
        return bool(self.results)

    @property
    def score(self) -> float | None:
        return take_score(self.results) if self.results else None

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def data(self) -> dict[str, Any]:
        return {
            "shot": self.shot,
            "take": self.key,
            "engine": self.engine,
            "seed": self.seed,
            "in_film": self.in_film,
            "score": self.score,
            "passed": self.passed if self.judged else None,
            "checks": [r.model_dump(mode="json") for r in self.results],
        }


def report_data(title: str, takes: Sequence[TakeReport]) -> dict[str, Any]:
    failing = sorted({t.shot for t in takes if t.in_film and t.judged and not t.passed})
    return {"title": title, "failing_shots": failing, "takes": [t.data() for t in takes]}


def report_html(title: str, takes: Sequence[TakeReport]) -> str:
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Quality · {html.escape(title)}</title>",
        "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
        "padding:.25em .5em;text-align:left;vertical-align:top}.fail{color:#b00020}"
        ".pass{color:#05691c}.na{color:#777}img{display:block;margin:.5em 0}</style>",
        f"</head><body><h1>Quality · {html.escape(title)}</h1>",
    ]
    shots: dict[str, list[TakeReport]] = {}
    for take in takes:
        shots.setdefault(take.shot, []).append(take)
    for shot, group in shots.items():
        out.append(f"<h2>Shot {html.escape(shot)}</h2>")
        for take in group:
            out.append(_take_html(take))
    out.append("</body></html>")
    return "\n".join(out)


def _take_html(take: TakeReport) -> str:
    label = f"take {take.key[:12]} · {take.engine} · seed {take.seed}"
    if take.in_film:
        label += " · in the film"
    parts = [f"<h3>{html.escape(label)}</h3>"]
    if not take.judged:
        parts.append(
            "<p class='na'>Not judged: a make runs the checks on the takes it renders.</p>"
        )
        return "\n".join(parts)
    parts.append(f"<p>Weighted score {take.score:.3f}</p>")
    parts.append("<table><tr><th>check</th><th>score</th><th>verdict</th><th>notes</th></tr>")
    for r in take.results:
        verdict, css = ("pass", "pass") if r.passed else ("FAIL", "fail")
        if not r.applicable:
            verdict, css = "n/a", "na"
        notes = html.escape("; ".join(r.notes))
        parts.append(
            f"<tr><td>{html.escape(r.check)}</td><td>{r.score:.3f}</td>"
            f"<td class='{css}'>{verdict}</td><td>{notes}</td></tr>"
        )
    parts.append("</table>")
    for r in take.results:
        png = check_plot(r.check, r.series, [e.frame for e in r.evidence], f"{r.check}")
        if png is not None:
            data = base64.b64encode(png).decode("ascii")
            alt = html.escape(f"{r.check} of take {take.key[:12]}")
            parts.append(f"<img alt='{alt}' src='data:image/png;base64,{data}'>")
    return "\n".join(parts)


def write_report(path: Path, title: str, takes: Sequence[TakeReport]) -> Path:
    write_text_atomic(path, report_html(title, takes))
    return path


def judge_file(path: Path, checks: Sequence[Any]) -> TakeReport:
    """A video that is no project's take, judged on its own: against a request made
    from its own header (so conformance holds it to itself) for a still, empty shot
    (so motion, identity, lip sync and coverage have nothing to judge and say so)."""
    import av

    from storyreel.model import Setting, Shot, ShotSize
    from storyreel.render.engine import RenderRequest, Take

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        rate = round(float(stream.average_rate or 24))
        frames = stream.frames or 1
        width, height = stream.width, stream.height
    shot = Shot(
        id=path.stem[:64] or "video",
        scene=1,
        size=ShotSize.medium,
        duration=min(60.0, max(frames / rate, 1 / rate)),
        setting=Setting(location=path.stem or "video"),
    )
    request = RenderRequest(
        shot=shot, cast=[], width=width, height=height, fps=rate, out_path=path, frames=frames
    )
    take = Take.made_for(request, "file")
    results = [check.check(take, request) for check in checks]
    return TakeReport(
        shot=shot.id, key=path.name, engine="file", seed=0, in_film=True, results=results
    )
