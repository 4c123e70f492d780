"""Importing a digital actor from a 5 s 720p clip, against decoding the clip alone.

    .venv/bin/python bench/cast_import.py

The clip is made first (scikit-image's astronaut portrait pushing in and drifting,
speaking through espeak-ng), then timed twice: decoding every picture and sound frame
(the floor any import pays) and `Cast.add_actor`, cold, in the same process, as
`storyreel cast add NAME --from-video` runs it: loading dlib's models, finding and
tracking the face, judging and embedding crops, measuring the voice, writing files.
The budget is 10 s on the project's 2-core machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import av
import numpy as np
from skimage import data

from storyreel.cast import Cast
from storyreel.cast.synthetic import speaking_clip

BUDGET = 10.0


def decode_seconds(path: Path) -> float:
    start = time.perf_counter()
    with av.open(str(path)) as container:
        container.streams.video[0].thread_type = "AUTO"
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.VideoFrame):
                frame.to_ndarray(format="rgb24")
    return time.perf_counter() - start


def main() -> None:
    head = np.ascontiguousarray(data.astronaut()[0:330, 90:370])  # type: ignore[no-untyped-call]
    with tempfile.TemporaryDirectory(prefix="storyreel-bench-") as tmp:
        clip = Path(tmp) / "actor.mp4"
        speaking_clip(clip, head, seconds=5.0, width=1280, height=720, fps=24)
        floor = decode_seconds(clip)
        start = time.perf_counter()
        entry = Cast(Path(tmp) / "cast").add_actor("ACTOR", clip)
        took = time.perf_counter() - start
    print("clip: 5.0 s, 1280x720, 24 fps, H.264 + AAC")
    print(f"decode every frame to RGB (baseline): {floor:.2f} s")
    print(f"import as a digital actor: {took:.2f} s ({len(entry.subject.images)} crops)")
    print(f"import / decode: {took / floor:.1f}x")
    print(f"import time vs budget: {took:.2f} s of {BUDGET:.0f} s ({took / BUDGET:.0%})")


if __name__ == "__main__":
    main()
