"""Files with HTTP Range support, so a <video> element can seek in a film.

    Range: bytes=0-1023    the first KiB           -> 206, Content-Range: bytes 0-1023/N
    Range: bytes=1000-     from byte 1000 to the end
    Range: bytes=-500      the last 500 bytes
    Range: bytes=N-        (N >= size)             -> 416, Content-Range: bytes */N

One range per request: a multi-range or malformed header is ignored and the whole file
sent (RFC 9110 lets a server do so), which every player handles. Not Starlette's
FileResponse: it answers 400 (plain text) to such headers, an unknown unit included,
which RFC 9110 says a server must ignore, and its 416 is not the API's JSON error.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path

from fastapi import Request
from fastapi.responses import StreamingResponse

from storyreel.api.errors import NotFound, RangeNotSatisfiable

CHUNK = 256 * 1024
_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The inclusive (first, last) byte a Range header asks for; None for the whole
    file. Raises RangeNotSatisfiable when no byte of the range exists."""
    if not header:
        return None
    found = _RANGE.match(header)
    if found is None:
        return None
    first_text, last_text = found.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # a suffix: the last N bytes
        length = int(last_text)
        if length == 0 or size == 0:
            raise RangeNotSatisfiable(f"range {header!r} is empty for a {size}-byte file", size)
        return max(0, size - length), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None  # syntactically invalid: ignored, as the RFC says
    if first >= size:
        raise RangeNotSatisfiable(
            f"range {header!r} starts past the end of the {size}-byte file", size
        )
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


def _chunks(path: Path, first: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(first)
        left = length
        while left > 0:
            data = handle.read(min(CHUNK, left))
            if not data:
                break
            left -= len(data)
            yield data


def file_response(request: Request, path: Path, media_type: str) -> StreamingResponse:
    """`path` as a 200, or a 206 for the range the request asks for."""
    try:
        # Opened by the stat's view of the file: a make that replaces it mid-download
        # renames a new file into place, so this one stays whole.
        stat = os.stat(path)
    except FileNotFoundError:
        raise NotFound(f"{path.name} is not there yet; make the film first") from None
    size = stat.st_size
    wanted = byte_range(request.headers.get("range"), size)
    headers = {
        "Accept-Ranges": "bytes",
        "Last-Modified": formatdate(stat.st_mtime, usegmt=True),
        "ETag": f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{size:x}"',
        "Cache-Control": "no-cache",
    }
    if wanted is None:
        headers["Content-Length"] = str(size)
        return StreamingResponse(_chunks(path, 0, size), 200, headers, media_type=media_type)
    first, last = wanted
    length = last - first + 1
    headers["Content-Length"] = str(length)
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return StreamingResponse(_chunks(path, first, length), 206, headers, media_type=media_type)
