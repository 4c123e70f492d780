"""`storyreel verify FILE`: is this film as it was signed, and what made it?

Reads the C2PA manifest (validated by the C2PA library: the signature over the claim,
and the hash over every byte of the file outside the manifest) and the GB 45438
labels. The exit status: 0 valid, 1 altered after signing, 2 no manifest.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import av

from storyreel.deliver.aigc import read_aigc
from storyreel.deliver.provenance import FILM_ASSERTION, MP4
from storyreel.errors import StoryreelError

Status = Literal["valid", "altered", "unsigned"]
EXIT_CODES: dict[Status, int] = {"valid": 0, "altered": 1, "unsigned": 2}


class NoFilm(StoryreelError):
    """The file to verify is not there."""


@dataclass(frozen=True)
class Verification:
    path: Path
    status: Status
    # Why the manifest does not validate (C2PA's failure codes and explanations).
    problems: list[str] = field(default_factory=list)
    signer: str | None = None  # the signing certificate's issuer and name
    trusted: bool = False  # the chain ends in a root the C2PA library trusts
    source_type: str | None = None  # the IPTC digital source type of c2pa.created
    generator: str | None = None  # e.g. "storyreel 0.1.0"
    film: dict[str, Any] = field(default_factory=dict)  # storyreel's own assertion
    implicit: dict[str, str] | None = None  # the AIGC metadata, read from the file
    explicit: str | None = None  # the visible label, as the manifest records it

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "status": self.status,
            "problems": self.problems,
            "signer": self.signer,
            "trusted": self.trusted,
            "digital_source_type": self.source_type,
            "generator": self.generator,
            "storyboard": self.film.get("storyboard"),
            "shots": self.film.get("shots", []),
            "labels": {"implicit": self.implicit, "explicit": self.explicit},
        }

    def lines(self) -> list[str]:
        """What `storyreel verify` prints."""
        head = {
            "valid": "valid: unchanged since it was signed",
            "altered": "ALTERED after signing: the manifest no longer matches the file",
            "unsigned": "no C2PA manifest: nothing says how this file was made",
        }[self.status]
        out = [f"{self.path}: {head}"]
        out += [f"  problem: {p}" for p in self.problems]
        if self.signer:
            trust = (
                "a trusted certificate"
                if self.trusted
                else "a chain no trusted authority vouches for (self-made or unknown)"
            )
            out.append(f"  signed by {self.signer}, {trust}")
        if self.generator:
            out.append(f"  made with {self.generator}; source type {self.source_type}")
        if self.film.get("storyboard"):
            out.append(f"  storyboard version {self.film['storyboard'][:12]}")
        for shot in self.film.get("shots", []):
            model = f" ({shot['model']})" if shot.get("model") else ""
            take = (shot.get("take") or "")[:12]
            out.append(
                f"  shot {shot['shot']}: {shot.get('engine')}{model}, seed {shot.get('seed')}, "
                f"take {take}"
            )
        implicit = json.dumps(self.implicit, ensure_ascii=False) if self.implicit else "none"
        out.append(f"  implicit AI label (AIGC metadata): {implicit}")
        out.append(f"  explicit AI label: {self.explicit or 'none recorded'}")
        return out


def verify(path: Path) -> Verification:
    """Validate `path`'s manifest and read its labels."""
    path = Path(path)
    if not path.is_file():
        raise NoFilm(f"{path}: no such file; give the path of a film (.mp4)")
    implicit = _implicit(path)
    import c2pa

    data = path.read_bytes()
    try:
        reader = c2pa.Reader(MP4, io.BytesIO(data))
    except c2pa.C2paError as error:
        if "ManifestNotFound" in type(error).__name__ or "not found" in str(error).lower():
            return Verification(path, "unsigned", implicit=implicit)
        return Verification(path, "altered", [f"the manifest cannot be read: {error}"])
    with reader:
        state = reader.get_validation_state() or ""
        results = reader.get_validation_results() or {}
        manifest = reader.get_active_manifest() or {}
    failures = results.get("activeManifest", {}).get("failure", [])
    # An untrusted signing certificate says who signed is unknown (a self-made chain),
    # not that the file changed: reported as untrusted, not as altered.
    untrusted = any(f.get("code") == _UNTRUSTED for f in failures)
    problems = [
        f"{f.get('code')}: {f.get('explanation', '')}"
        for f in failures
        if f.get("code") != _UNTRUSTED
    ]
    ok = state in ("Valid", "Trusted") and not problems
    signature = manifest.get("signature_info", {})
    assertions = {a.get("label"): a.get("data", {}) for a in manifest.get("assertions", [])}
    film = assertions.get(FILM_ASSERTION, {})
    created: dict[str, Any] = next(
        (
            a
            for a in assertions.get("c2pa.actions.v2", assertions.get("c2pa.actions", {})).get(
                "actions", []
            )
            if a.get("action") == "c2pa.created"
        ),
        {},
    )
    generator: dict[str, Any] = next(iter(manifest.get("claim_generator_info", [])), {})
    return Verification(
        path,
        "valid" if ok else "altered",
        problems if not ok else [],
        signer=f"{signature.get('issuer', '?')} / {signature.get('common_name', '?')}",
        trusted=state == "Trusted" and not untrusted,
        source_type=str(created.get("digitalSourceType", "")).rsplit("/", 1)[-1] or None,
        generator=f"{generator.get('name', '?')} {generator.get('version', '')}".strip(),
        film=film,
        implicit=implicit,
        explicit=film.get("labels", {}).get("explicit"),
    )


_UNTRUSTED = "signingCredential.untrusted"


def _implicit(path: Path) -> dict[str, str] | None:
    try:
        with av.open(str(path)) as container:
            return read_aigc(dict(container.metadata))
    except av.error.FFmpegError:
        return None
