"""Uploads: read in bounded chunks, decoded before anything uses them, and stored under
names the server makes up. The client's file name never reaches the file system."""

from __future__ import annotations

import secrets
import warnings
from pathlib import Path
from typing import Literal

from fastapi import UploadFile
from PIL import Image

from storyreel.api.errors import UnsupportedUpload, UploadTooLarge

CHUNK = 1024 * 1024
UploadKind = Literal["image", "clip"]


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
        check_image(path) if kind == "image" else check_clip(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def check_image(path: Path) -> None:
    """Fails unless PIL can verify and then fully decode the file."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                image.verify()
            with Image.open(path) as image:  # verify() leaves the image unusable
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UnsupportedUpload("the image has too many pixels to be a reference image") from None
    except Exception as error:
        raise UnsupportedUpload(
            f"the image cannot be decoded ({type(error).__name__}); send a PNG, JPEG or WebP"
        ) from None


def check_clip(path: Path) -> None:
    """Fails unless the file holds a video stream with at least one decodable frame."""
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise UnsupportedUpload("the clip has no video stream; send an MP4 or MOV video")
            for _frame in container.decode(video=0):
                return
    except UnsupportedUpload:
        raise
    except Exception as error:
        raise UnsupportedUpload(
            f"the clip cannot be decoded as video ({type(error).__name__}); send an MP4 or MOV"
        ) from None
    raise UnsupportedUpload("the clip has no video frame that decodes")
