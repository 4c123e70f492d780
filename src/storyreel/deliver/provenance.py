"""The `c2pa` exporter: a signed C2PA manifest in the film saying how it was made.

The manifest (claim generator: storyreel and its version) holds
- a `c2pa.actions` assertion: the film was created (`c2pa.created`) by software, with
  the IPTC digital source type of what drew its pictures: `trainedAlgorithmicMedia` for
  a generative engine (a model trained on data), `algorithmicMedia` for the previs
  engine's drawings (made by a program from no training data);
- one ingredient per shot: its take file (hashed by the C2PA library), with the engine,
  model identity, seed, take key and the storyboard version as its metadata;
- an `org.storyreel.film` assertion: the storyboard version, the shots in order and
  the GB 45438 labels the film carries, which `storyreel verify` prints.

It runs last among the exporters (`order`): any byte changed after it breaks the
signature, so labels and subtitle tracks go in first.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from storyreel import __version__
from storyreel.deliver import ExportRequest
from storyreel.deliver.signing import SigningIdentity, signing_identity
from storyreel.errors import OutputError
from storyreel.files import atomic_path
from storyreel.keys import file_digest

IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = IPTC + "trainedAlgorithmicMedia"
ALGORITHMIC = IPTC + "algorithmicMedia"
FILM_ASSERTION = "org.storyreel.film"
MP4 = "video/mp4"


class C2paOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The user's certificate chain and private key (PEM); neither means the
    # installation's own self-made chain (deliver/signing.py).
    cert: Path | None = None
    key: Path | None = None
    # Engines that draw rather than generate: their films are `algorithmicMedia`.
    drawn_engines: list[str] = Field(default=["previs"], max_length=64)


class C2paExporter:
    name: ClassVar[str] = "c2pa"
    order: ClassVar[int] = 100
    rewrites_film: ClassVar[bool] = True
    Options: ClassVar[type[C2paOptions]] = C2paOptions

    def __init__(self, options: C2paOptions | None = None) -> None:
        self.options = options or C2paOptions()

    def export(self, request: ExportRequest) -> list[Path]:
        """Sign the film in place; returns it."""
        identity = signing_identity(self.options.cert, self.options.key)
        sign_file(request.film, film_manifest(request, self.options.drawn_engines), identity)
        return [request.film]


def source_type(engine: str, drawn_engines: list[str]) -> str:
    """The IPTC digital source type of pictures made by `engine`."""
    return ALGORITHMIC if engine in drawn_engines else TRAINED


def film_manifest(request: ExportRequest, drawn_engines: list[str]) -> dict[str, Any]:
    """The manifest definition for `request`'s film: actions, shots, labels; its
    ingredients (the takes) are added when signing."""
    engines = sorted({take.engine for take in request.takes.values()})
    kinds = {source_type(engine, drawn_engines) for engine in engines} or {TRAINED}
    # A film mixing drawn and generated shots is as generated as its most generated one.
    kind = TRAINED if TRAINED in kinds else ALGORITHMIC
    shots: list[dict[str, Any]] = []
    for shot in request.board.shots:
        take = request.takes.get(shot.id)
        shots.append(
            {
                "shot": shot.id,
                "scene": shot.scene,
                "engine": take.engine if take else None,
                "model": request.model,
                "seed": take.seed if take else None,
                "take": request.take_keys.get(shot.id),
                "take_sha256": file_digest(take.path) if take and take.path.is_file() else None,
            }
        )
    labels: dict[str, Any] = {
        "explicit": request.label.describe() if request.label else None,
    }
    agent = {"name": "storyreel", "version": __version__}
    return {
        "claim_generator_info": [agent],
        "title": request.film.name,
        "format": MP4,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": kind,
                            "softwareAgent": agent,
                            "description": f"filmed by storyreel with {', '.join(engines)}"
                            if engines
                            else "filmed by storyreel",
                        }
                    ]
                },
            },
            {
                "label": FILM_ASSERTION,
                "data": {
                    "storyboard": request.storyboard_key,
                    "language": request.board.language,
                    "engines": engines,
                    "model": request.model,
                    "shots": shots,
                    "labels": labels,
                },
            },
        ],
        "_ingredients": [
            {"path": str(request.takes[s["shot"]].path), **s}
            for s in shots
            if s["shot"] in request.takes and request.takes[s["shot"]].path.is_file()
        ],
        "_storyboard": request.storyboard_key,
    }


def take_manifest(request: ExportRequest, shot_id: str, drawn_engines: list[str]) -> dict[str, Any]:
    """The manifest of one shot's take, exported on its own (`storyreel export
    --collect`): created by its engine, with the shot's record as the film's has it."""
    take = request.takes[shot_id]
    film = film_manifest(request, drawn_engines)
    shot = next(s for s in film["assertions"][1]["data"]["shots"] if s["shot"] == shot_id)
    agent = {"name": "storyreel", "version": __version__}
    return {
        "claim_generator_info": [agent],
        "title": f"shot {shot_id}: {take.path.name}",
        "format": MP4,
        "assertions": [
            {
                "label": "c2pa.actions",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": source_type(take.engine, drawn_engines),
                            "softwareAgent": agent,
                            "description": f"shot {shot_id} rendered by {take.engine}",
                        }
                    ]
                },
            },
            {
                "label": FILM_ASSERTION,
                "data": {
                    "storyboard": request.storyboard_key,
                    "language": request.board.language,
                    "engines": [take.engine],
                    "model": request.model,
                    "shots": [shot],
                    "labels": {"explicit": None},
                },
            },
        ],
    }


def sign_file(path: Path, manifest: Mapping[str, Any], identity: SigningIdentity) -> None:
    """Sign the MP4 at `path` in place (atomically) with `manifest`; its
    `_ingredients` (take files with their metadata) become the manifest's ingredients."""
    import c2pa

    definition = {k: v for k, v in manifest.items() if not k.startswith("_")}
    storyboard = manifest.get("_storyboard", "")
    try:
        signer = c2pa.Signer.from_info(
            c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, identity.chain, identity.key, None)
        )
    except c2pa.C2paError as error:
        raise OutputError(f"cannot sign with this certificate and key: {error}") from None
    with signer, c2pa.Builder(definition) as builder:
        for item in manifest.get("_ingredients", []):
            take = Path(item["path"])
            metadata = {k: v for k, v in item.items() if k != "path" and v is not None}
            metadata["storyboard"] = storyboard
            ingredient = {
                "title": f"shot {item['shot']}: {take.name}",
                "relationship": "componentOf",
                "metadata": metadata,
            }
            # Read whole: a take is a few MB at most, and c2pa reads it more than once.
            builder.add_ingredient(ingredient, MP4, io.BytesIO(take.read_bytes()))
        with atomic_path(path) as tmp, path.open("rb") as src, tmp.open("w+b") as dst:
            try:
                builder.sign(signer, MP4, src, dst)
            except c2pa.C2paError as error:
                raise OutputError(f"{path}: could not be signed: {error}") from None
