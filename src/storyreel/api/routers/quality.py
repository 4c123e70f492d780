"""The Quality page's data: every take's checks, and each check's plot as a PNG."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from storyreel.api.deps import Authenticated, ProjectDep
from storyreel.api.errors import NotFound
from storyreel.api.schemas import errors, media
from storyreel.api.schemas.quality import CheckPlotPublic, QualityPublic, TakeQualityPublic
from storyreel.qa.plots import check_plot
from storyreel.qa.report import report_data
from storyreel.run.quality import project_quality
from storyreel.store import open_store

router = APIRouter(
    prefix="/api/projects/{project_id}/quality",
    tags=["quality"],
    dependencies=[Authenticated],
    responses=errors(404),
)

TakeKey = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="The take's key.")]
CheckName = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_-]{0,63}$", description="A check.")]


@router.get("", summary="Every take's checks, shot by shot")
def quality(project: ProjectDep) -> QualityPublic:
    with open_store(project.project) as store:
        takes = project_quality(store)
    base = f"/api/projects/{project.id}"
    out = []
    for take in takes:
        checks = [
            CheckPlotPublic(
                check=r.check,
                score=r.score,
                passed=r.passed,
                applicable=r.applicable,
                notes=r.notes,
                plot_url=f"{base}/quality/{take.key}/{r.check}.png" if r.series else None,
            )
            for r in take.results
        ]
        out.append(
            TakeQualityPublic(
                shot_id=take.shot,
                key=take.key,
                engine=take.engine,
                seed=take.seed,
                in_film=take.in_film,
                score=take.score,
                passed=take.passed if take.judged else None,
                checks=checks,
                video_url=f"{base}/shots/{take.shot}/takes/{take.key}/video",
            )
        )
    failing = report_data(project.id, takes)["failing_shots"]
    return QualityPublic(failing_shots=failing, takes=out)


@router.get(
    "/{key}/{check}.png",
    summary="A check's per-frame measure of a take, as a picture",
    response_class=Response,
    responses=media("image/png", "The plot."),
)
def plot(key: TakeKey, check: CheckName, project: ProjectDep) -> Response:
    with open_store(project.project) as store:
        found = {s.check: s for s in store.scores([key])[key]}
    score = found.get(check)
    if score is None:
        raise NotFound(f"take {key[:12]} has no {check} result")
    series = score.result.get("series", {})
    marks = [e["frame"] for e in score.result.get("evidence", [])]
    png = check_plot(check, series, marks, check)
    if png is None:
        raise NotFound(f"the {check} check keeps no per-frame measure to plot")
    return Response(png, media_type="image/png")
