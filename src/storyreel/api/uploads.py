"""Uploads: read in bounded chunks, decoded before anything uses them, and stored under
names the server makes up. The client's file name never reaches the file system.

Decoding happens off the event loop (so /api/health and progress streams stay quick
while a photo decodes), one upload at a time (`decode_slot`), and only after the
header has shown the picture to be at most `MAX_IMAGE_PIXELS`: a small file can
declare a huge picture, and decoding it takes width x height x 4 bytes whatever the
file's size. Together they bound what an upload can cost the server in memory.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal, ParamSpec, TypeVar

from fastapi import UploadFile
from PIL import Image, ImageOps

from storyreel.api.errors import UnsupportedUpload, UploadTooLarge
from storyreel.files import atomic_path

CHUNK = 1024 * 1024
UploadKind = Literal["image", "clip"]
# 40 megapixels: a 12 MP phone photo and a 36 MP camera's fit; decoding one takes at
# most 160 MB (RGBA), and a reference image is kept at 1024 px anyway.
MAX_IMAGE_PIXELS = 40_000_000
# Containers a clip may come in (FFmpeg's demuxer names), and codecs that are still
# pictures rather than video even inside one.
CLIP_CONTAINERS = frozenset({"mov", "mp4", "matroska", "webm", "avi"})
STILL_CODECS = frozenset({"png", "mjpeg", "bmp", "gif", "webp", "tiff", "jpeg2000", "apng"})
# Uploaded images larger than this are scaled down once checked: twice the side the
# cast keeps (storyreel.cast.images.MAX_SIDE), so its own resize still has the detail.
SHRINK_SIDE = 2048
# One decode at a time across the server: a handful of concurrent uploads costs the
# memory of one.
decode_slot = threading.BoundedSemaphore(1)

Param = ParamSpec("Param")
Result = TypeVar("Result")


# The thread uploads decode in: one, always the same, so the memory a decode frees
# is reused by the next (each thread of a pool would keep an allocator arena of its
# own, and a handful of large decodes would pin a handful of arenas).
_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-decode")


async def decoding(
    fn: Callable[Param, Result], *args: Param.args, **kwargs: Param.kwargs
) -> Result:
    """`fn(*args)` on the decode thread, holding the decode slot: the event loop goes
    on meanwhile."""

    def held() -> Result:
        with decode_slot:
            return fn(*args, **kwargs)

    return await asyncio.get_running_loop().run_in_executor(_decoder, held)


async def receive(upload: UploadFile, folder: Path, kind: UploadKind, limit: int) -> Path:
    """Store `upload` in `folder` and check it decodes as `kind`; the file is removed
    again when it is too large (413) or does not decode (415)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"upload-{secrets.token_hex(8)}.{'img' if kind == 'image' else 'video'}"
    try:
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadTooLarge(
                        f"the {kind} is larger than {limit // (1024 * 1024)} MB; send a "
                        "smaller file (the limit is STORYREEL_MAX_"
                        f"{'IMAGE' if kind == 'image' else 'CLIP'}_BYTES)"
                    )
                out.write(chunk)
        if size == 0:
            raise UnsupportedUpload(f"the {kind} is empty")
        if kind == "image":
            await decoding(check_and_shrink, path)
        else:
            await decoding(check_clip, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def check_and_shrink(path: Path) -> None:
    """`check_image`, decoding once: the header and structure are checked, then the
    decode that shrinks the picture is the one that proves it decodes."""
    check_image(path, load=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            shrink_image(path)
    except Exception as error:
        raise UnsupportedUpload(
            f"the image cannot be decoded ({type(error).__name__}); send a PNG, JPEG or WebP"
        ) from None


def check_pixels(width: int, height: int, what: str) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise UnsupportedUpload(
            f"the {what} is {width}x{height} ({width * height / 1e6:.0f} megapixels); "
            f"send at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels"
        )


def check_image(path: Path, load: bool = True) -> None:
    """Fails unless the header declares at most MAX_IMAGE_PIXELS and PIL can verify
    and then (with `load`) fully decode the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                check_pixels(*image.size, "image")  # before a single pixel is decoded
                image.verify()
            if load:
                with Image.open(path) as image:  # verify() leaves the image unusable
                    image.load()
    except UnsupportedUpload:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedUpload("the image has too many pixels to be a reference image") from None
    except Exception as error:
        raise UnsupportedUpload(
            f"the image cannot be decoded ({type(error).__name__}); send a PNG, JPEG or WebP"
        ) from None


def shrink_image(path: Path, side: int = SHRINK_SIDE) -> None:
    """Decode the image fully and, when it is larger than `side` px, rewrite it as an
    upright PNG of at most `side`. The cast stores references at 1024 px anyway; what
    reads the upload after this (the cast's palette and cut-out) then works on a few MB
    instead of a full photo. Decoding is reduced where the format allows (JPEG's
    draft mode), and the full-size picture is never copied."""
    with Image.open(path) as image:
        if max(image.size) <= side:
            image.load()  # decodes, so a truncated file fails here
            return
        image.draft("RGB", (side, side))
        image.thumbnail((side, side), Image.Resampling.LANCZOS, reducing_gap=3.0)
        upright = ImageOps.exif_transpose(image)
        keep = "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
        small = upright.convert(keep)
    with atomic_path(path) as tmp:
        small.save(tmp, "PNG")


def check_clip(path: Path) -> None:
    """Fails unless the file is a video container (MP4, MOV, MKV, WebM, AVI) holding a
    video stream of at most MAX_IMAGE_PIXELS a frame, with at least one frame that
    decodes. A still picture is not a clip, whatever it is named."""
    import av

    try:
        with av.open(str(path)) as container:
            formats = set(container.format.name.split(","))
            if not formats & CLIP_CONTAINERS or not container.streams.video:
                raise UnsupportedUpload(
                    f"the clip is not a video (it reads as {container.format.name}); "
                    "send an MP4 or MOV video"
                )
            stream = container.streams.video[0]
            if stream.codec_context.name in STILL_CODECS and (stream.frames or 0) <= 1:
                raise UnsupportedUpload("the clip is a still picture; send an MP4 or MOV video")
            check_pixels(stream.codec_context.width, stream.codec_context.height, "clip")
            for _frame in container.decode(stream):
                return
    except UnsupportedUpload:
        raise
    except Exception as error:
        raise UnsupportedUpload(
            f"the clip cannot be decoded as video ({type(error).__name__}); send an MP4 or MOV"
        ) from None
    raise UnsupportedUpload("the clip has no video frame that decodes")
