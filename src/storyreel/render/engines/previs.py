"""The previs engine: clean animatic panels, drawn and encoded on the CPU.

The embedded default engine: no GPU, no model weights, no network. Each shot becomes a
storyboard panel of its setting and cast, framed by the shot size, with the camera move
played as real motion over a larger canvas, a slate and a caption.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

import av

from storyreel import __version__
from storyreel.direct.grade import grade_of
from storyreel.files import atomic_path
from storyreel.media.encode import VideoWriter
from storyreel.render.drawn import Drawn, DrawnFrame
from storyreel.render.engine import Capabilities, RenderRequest, Take
from storyreel.render.previs.cards import title_card
from storyreel.render.previs.frames import FrameMaker
from storyreel.render.previs.manifest import WHOLE, drawn_frame, middle_frame
from storyreel.render.previs.overlay import overlay_parts
from storyreel.render.previs.panel import draw_plate
from storyreel.render.previs.vantage import with_riders
from storyreel.timeline import head_keyframes

# Report progress about this often (in frames), so a UI bar moves without the callback
# costing anything measurable.
_PROGRESS_EVERY = 12


def _source_version() -> str:
    """storyreel's version plus a digest of the drawing code: takes cached under one
    look are not reused once the drawing changes, even between releases."""
    here = Path(__file__).resolve()
    # The drawing, and the record of it each take carries (render/drawn.py).
    sources = [
        here,
        here.parents[1] / "drawn.py",
        *sorted((here.parents[1] / "previs").glob("*.py")),
    ]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    return f"{__version__}+{digest}"


class PrevisEngine:
    name: ClassVar[str] = "previs"
    version: ClassVar[str] = _source_version()
    capabilities: ClassVar[Capabilities] = Capabilities(
        text_to_video=True,
        image_to_video=False,
        max_duration=None,
        needs_gpu=False,
        needs_network=False,
        lip_sync=True,
    )

    def render(self, request: RenderRequest) -> Take:
        if request.shot.card is not None:
            return self._card(request)
        settings = request.take_settings
        count = request.frame_count
        plate = draw_plate(request)
        overlay, parts = overlay_parts(request)
        boxes = [part.box for part in parts]
        # What the middle frame shows, kept in the take's own file (render/drawn.py).
        drawn = drawn_frame(request, plate, parts, count)
        # A following camera carries its figures on screen, blended like the caption.
        overlay, boxes = with_riders(plate.riders, overlay, boxes)
        maker = FrameMaker(
            plate, overlay, boxes, request.mouths, fps=request.fps, grade=grade_of(request.looks)
        )
        progress = request.on_progress
        # The caller owns the folder: creating it here could resurrect a scratch folder
        # that an interrupted make has just removed.
        out = Path(request.out_path)
        # The writer is closed (or aborted) before the temporary file is renamed (or
        # removed), so an interrupted render leaves nothing at `out`. Keyframes where a
        # fade or dissolve into the shot would end let the cut copy the rest.
        with (
            atomic_path(out) as tmp,
            VideoWriter(
                tmp, settings, metadata=drawn.tags(), keyframes=head_keyframes(request.fps)
            ) as writer,
        ):
            for i in range(count):
                writer.write(maker.frame(i / (count - 1) if count > 1 else 0.0, i))
                done = i + 1
                if progress is not None and (done % _PROGRESS_EVERY == 0 or done == count):
                    progress(done / count)
        return Take.made_for(request, self.name)

    def _card(self, request: RenderRequest) -> Take:
        """A title card: its words alone, centred on black, for the whole shot."""
        card = title_card(request.shot.card or "", request.width, request.height)
        frame = av.VideoFrame.from_ndarray(card, format="rgb24").reformat(format="yuv420p")
        count = request.frame_count
        out = Path(request.out_path)
        # The card fills the frame: the record names its words over the whole picture.
        text = request.shot.card or ""
        drawn = DrawnFrame(
            frame=middle_frame(count)[0], elements=(Drawn(kind="card", name=text, box=WHOLE),)
        )
        with (
            atomic_path(out) as tmp,
            VideoWriter(tmp, request.take_settings, metadata=drawn.tags()) as writer,
        ):
            for i in range(count):
                writer.write(frame)
                if request.on_progress is not None and (i + 1 == count):
                    request.on_progress(1.0)
        return Take.made_for(request, self.name)
