"""The built-in exporter: the film's subtitles as SRT, WebVTT and ASS beside it.

Sidecar files rather than a track in the MP4: every player and platform takes an SRT
or VTT upload, and ASS keeps the CJK face and the frame size for burn-in elsewhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from storyreel.cut.subtitles import to_ass, to_srt, to_vtt
from storyreel.deliver import ExportRequest
from storyreel.files import write_text_atomic


class SubtitlesExporter:
    name: ClassVar[str] = "subtitles"

    def export(self, request: ExportRequest) -> list[Path]:
        """The timeline's cues in three formats, each written atomically (the ASS at the
        board's frame size, in its language's face); the SRT first."""
        cues, board = request.timeline.cues, request.board
        texts = {
            ".srt": to_srt(cues),
            ".vtt": to_vtt(cues),
            ".ass": to_ass(cues, board.width, board.height, board.language),
        }
        paths = []
        for suffix, text in texts.items():
            path = request.beside(suffix)
            write_text_atomic(path, text)
            paths.append(path)
        return paths
