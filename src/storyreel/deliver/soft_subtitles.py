"""The `subtitle_tracks` exporter: subtitles inside the film, one track per language,
and a chapter per scene.

Sidecar files (the `subtitles` exporter) reach every platform; tracks inside the MP4
(`mov_text`, with their ISO 639-2 language tags) travel with the file, and a player
lists them by language. A line's translation (`[en: ...]` under it) is a track of its
own language. The film is remuxed, nothing encoded again, before it is signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from storyreel.deliver import ExportRequest
from storyreel.deliver.remux import Chapter, TextTrack, remux

# ISO 639-1 (what a cue's `lang` holds) to the ISO 639-2/B codes MP4 tracks carry.
_ISO639_2 = {
    "en": "eng",
    "zh": "chi",
    "yue": "yue",
    "ja": "jpn",
    "ko": "kor",
    "es": "spa",
    "fr": "fre",
    "de": "ger",
    "it": "ita",
    "pt": "por",
    "ru": "rus",
}
_NAMES = {"en": "English", "zh": "中文", "yue": "粵語", "ja": "日本語", "ko": "한국어"}


def iso639_2(lang: str) -> str:
    """The three-letter tag of `lang` ("zh-hant" -> "chi"); "und" when unknown."""
    return _ISO639_2.get(lang.lower().split("-")[0], "und")


def text_tracks(request: ExportRequest) -> list[TextTrack]:
    """One track per language the cues are in, then one per translation language."""
    tracks: dict[str, list[tuple[float, float, str]]] = {}
    for cue in request.timeline.cues:
        tracks.setdefault(cue.lang, []).append((cue.start, cue.end, cue.text))
    for cue in request.timeline.cues:
        if cue.translation:
            # Translations are written `[en: ...]`: English unless the cue says otherwise.
            lang = "en" if cue.lang != "en" else "und"
            tracks.setdefault(lang, []).append((cue.start, cue.end, cue.translation))
    return [
        TextTrack(iso639_2(lang), cues, _NAMES.get(lang.split("-")[0], lang))
        for lang, cues in tracks.items()
    ]


def scene_chapters(request: ExportRequest) -> list[Chapter]:
    """A chapter per scene, from its first shot to the next scene's."""
    fps = request.timeline.fps
    scenes = {shot.id: (shot.scene, shot.setting.location) for shot in request.board.shots}
    starts: list[tuple[float, str]] = []
    seen = None
    for placed in request.timeline.shots:
        scene = scenes.get(placed.shot_id)
        if scene is not None and scene[0] != seen:
            seen = scene[0]
            starts.append((placed.start / fps, f"Scene {scene[0]}: {scene[1]}"))
    end = request.timeline.frames / fps
    return [
        Chapter(start, starts[n + 1][0] if n + 1 < len(starts) else end, title)
        for n, (start, title) in enumerate(starts)
    ]


class SubtitleTracksOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    chapters: bool = True  # a chapter per scene


class SubtitleTracksExporter:
    name: ClassVar[str] = "subtitle_tracks"
    order: ClassVar[int] = 10  # before the labels' metadata and the signature
    rewrites_film: ClassVar[bool] = True
    Options: ClassVar[type[SubtitleTracksOptions]] = SubtitleTracksOptions

    def __init__(self, options: SubtitleTracksOptions | None = None) -> None:
        self.options = options or SubtitleTracksOptions()

    def export(self, request: ExportRequest) -> list[Path]:
        chapters = scene_chapters(request) if self.options.chapters else None
        remux(request.film, texts=text_tracks(request), chapters=chapters)
        return [request.film]
