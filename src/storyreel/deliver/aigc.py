"""The `aigc` exporter: GB 45438-2025's implicit label in the film's metadata.

The standard's implicit label for a file is a JSON object under the metadata key
`AIGC` with seven fields (docs/labels.md): `Label` ("1": the content is AI-generated),
`ContentProducer` (who generated it: the service's name or code), `ProduceID` (the
content's number from that producer), `ContentPropagator` and `PropagateID` (the
same for a platform that publishes it; empty until one does) and `ReservedCode1`/
`ReservedCode2` (left for integrity data; empty here, the C2PA manifest carries the
film's signature). The film is remuxed with it, nothing encoded again. It runs before
the `c2pa` exporter signs the film.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from storyreel.deliver import ExportRequest
from storyreel.deliver.remux import remux
from storyreel.keys import digest

KEY = "AIGC"
FIELDS = (
    "Label",
    "ContentProducer",
    "ProduceID",
    "ReservedCode1",
    "ContentPropagator",
    "PropagateID",
    "ReservedCode2",
)


class AigcOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # "1" generated, "2" possibly generated, "3" suspected (the standard's values); a
    # film storyreel made is "1".
    label: Literal["1", "2", "3"] = "1"
    # Who generated it: the name or registration code of the service; a studio that
    # runs storyreel for others puts its own here.
    producer: str = Field(default="storyreel", min_length=1, max_length=200)
    propagator: str = Field(default="", max_length=200)
    propagate_id: str = Field(default="", max_length=200)


def aigc_json(options: AigcOptions, produce_id: str) -> str:
    """The `AIGC` value: the seven fields in the standard's order, compact."""
    value = {
        "Label": options.label,
        "ContentProducer": options.producer,
        "ProduceID": produce_id,
        "ReservedCode1": "",
        "ContentPropagator": options.propagator,
        "PropagateID": options.propagate_id,
        "ReservedCode2": "",
    }
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class AigcExporter:
    name: ClassVar[str] = "aigc"
    order: ClassVar[int] = 50  # after subtitle tracks, before signing
    rewrites_film: ClassVar[bool] = True
    Options: ClassVar[type[AigcOptions]] = AigcOptions

    def __init__(self, options: AigcOptions | None = None) -> None:
        self.options = options or AigcOptions()

    def export(self, request: ExportRequest) -> list[Path]:
        """Write the label into the film; returns the film. The content number is a
        digest of what the film was made from (storyboard version, takes, size): the same
        film made again keeps its number."""
        made = [request.storyboard_key, dict(request.take_keys), request.film.name]
        produce_id = digest(made)[:32]
        remux(request.film, metadata={KEY: aigc_json(self.options, produce_id)})
        return [request.film]


def read_aigc(metadata: dict[str, str]) -> dict[str, str] | None:
    """The implicit label from a file's metadata (PyAV's `container.metadata`), or None
    when it has none or it is not the standard's JSON object."""
    raw = next((v for k, v in metadata.items() if k.upper() == KEY), None)
    if raw is None:
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        return None
    if not isinstance(value, dict) or "Label" not in value:
        return None
    return {k: str(v) for k, v in value.items()}
