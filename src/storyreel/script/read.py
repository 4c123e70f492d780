"""Story file bytes -> text, with errors a writer can act on.

UTF-8 is the norm; the BOM-marked Unicode encodings and the legacy CJK encodings that
Chinese, Japanese and Korean writing tools still save in are accepted too. Anything
else is refused with the offset of the first byte that is not UTF-8, rather than
guessed at: a wrong guess would put mojibake into every caption and voice line.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from storyreel.errors import StoryError
from storyreel.script.text import is_han, is_hangul, is_kana

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 LE first: its BOM starts with the UTF-16 LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or .pages file is one too)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"RIFF", "a media file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 file"),
    (b"\xd0\xcf\x11\xe0", "an old Word/Office document"),
    (b"{\\rtf", "an RTF document"),
)

# Legacy encodings tried, in the order ties are broken: mainland Chinese is the most
# common legacy case, and GB18030 is a superset of GBK and GB2312.
LEGACY_ENCODINGS: tuple[str, ...] = ("gb18030", "big5", "shift_jis", "euc_kr")

# Share of a decoding's non-ASCII characters that must be everyday characters.
_PLAUSIBLE = 0.75
# What charset_normalizer's pick must still reach: it weighs coherence we do not.
_SECOND_OPINION = 0.5
_CONTROL_SHARE = 0.05
_SNIFF = 8192
_SAMPLE_CHARS = 20_000


# The longest line, and the longest run of words without a sentence's end, a story may
# have. Reading a scene weighs each word of a sentence against the others in it, so a
# sentence costs the square of its length: 5,000 characters (longer than any sentence
# in print) read in well under a second, 200,000 would take the better part of an hour.
# Longer runs are split into sentences, which are read one by one.
MAX_LINE_CHARS = 20_000
MAX_SENTENCE_CHARS = 5_000
_SENTENCE_ENDS = re.compile(r"[.!?。！？…]|\n[ \t]*\n")


def check_lengths(text: str, *, path: Path | None = None) -> None:
    """Refuse a story with a line or a sentence over the limits, naming where it is.
    Linear: one pass over the text."""
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise story_error(
                f"has a line of {len(line):,} characters; a line may have at most "
                f"{MAX_LINE_CHARS:,}: break it into sentences and paragraphs",
                path=path,
                line=number,
            )
    start = 0
    for end, after in (
        *((m.start(), m.end()) for m in _SENTENCE_ENDS.finditer(text)),
        (len(text), 0),
    ):
        if end - start > MAX_SENTENCE_CHARS:
            begins = len(text[start:end]) - len(text[start:end].lstrip())
            raise story_error(
                f"has a sentence of {end - start:,} characters without a full stop; a "
                f"sentence may have at most {MAX_SENTENCE_CHARS:,}: end its sentences "
                "with . ! ? or 。",
                path=path,
                line=text.count("\n", 0, start + begins) + 1,
            )
        start = after


def story_error(message: str, *, path: Path | None, line: int | None = None) -> StoryError:
    """A StoryError whose message reads as a sentence with or without a file name:
    "story.txt: is empty: ..." or "the story is empty: ..."."""
    if path is None:
        message = f"the story {message}"
    return StoryError(message, path=path, line=line)


def read_story_text(path: Path) -> str:
    """Read and decode a story file; raise StoryError saying what is wrong."""
    if not path.exists():
        raise story_error("does not exist: check the path and the file name", path=path)
    if path.is_dir():
        raise story_error(
            "is a folder, not a story file: pass a .fountain, .txt or .md file", path=path
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise story_error(f"cannot be read ({reason}): check its permissions", path=path) from exc
    text = decode_story(data, path=path)
    if not text.strip():
        raise story_error("is empty: write a story or a screenplay in it", path=path)
    return text


def decode_story(data: bytes, *, path: Path | None = None) -> str:
    """Decode story bytes to text with normalised newlines and no BOM."""
    if not data.strip():
        raise story_error("is empty: write a story or a screenplay in it", path=path)
    text = _decode(data, path)
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode(data: bytes, path: Path | None) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise story_error(
                    f"starts with a {encoding.upper()} byte order mark but is not valid "
                    f"{encoding.upper()} at byte {exc.start}: save it again as UTF-8",
                    path=path,
                ) from exc
    _refuse_binary(data, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        legacy = _decode_legacy(data)
        if legacy is not None:
            return legacy
        line = data.count(b"\n", 0, exc.start) + 1
        raise story_error(
            f"is not UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start} cannot be "
            "decoded) nor GB18030, Big5, Shift_JIS or EUC-KR: save the file as UTF-8",
            path=path,
            line=line,
        ) from exc


def _refuse_binary(data: bytes, path: Path | None) -> None:
    kind = next((name for magic, name in _MAGIC if data.startswith(magic)), None)
    what = f"a binary file ({kind})" if kind else None
    head = data[:_SNIFF]
    if what is None and b"\x00" in head:
        what = "a binary file (it contains NUL bytes)"
    if what is None:
        controls = sum(1 for b in head if b < 0x20 and b not in b"\t\n\r\f\x1b")
        if controls > _CONTROL_SHARE * len(head):
            what = "a binary file (it is full of control characters)"
    if what is not None:
        raise story_error(
            f"looks like {what}, not text: save the story as a plain-text "
            ".fountain, .txt or .md file",
            path=path,
        )


def _decode_legacy(data: bytes) -> str | None:
    """Decode legacy CJK bytes, or None when no candidate reads as real text.

    Every strict decoding is scored on how everyday its characters are (ties go to
    the most common legacy encoding). charset_normalizer is the second opinion for
    texts full of rarer characters: alone it picks Big5 for a two-character GB18030
    file and may drop the right candidate altogether, so it never overrides a
    clearly plausible decoding.
    """
    scored: list[tuple[float, int, str]] = []
    for rank, encoding in enumerate(LEGACY_ENCODINGS):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((-plausibility(text, encoding), rank, text))
    if scored:
        neg_score, _, text = min(scored)
        if -neg_score >= _PLAUSIBLE:
            return text
    # Imported here: only a story in a legacy encoding needs it, and importing it costs
    # every command about 30 ms.
    import charset_normalizer

    best = charset_normalizer.from_bytes(data, cp_isolation=list(LEGACY_ENCODINGS)).best()
    if best is None:
        return None
    encoding = _canonical(best.encoding)
    text = str(best)
    return text if plausibility(text, encoding) >= _SECOND_OPINION else None


def _canonical(encoding: str) -> str:
    return codecs.lookup(encoding).name.replace("-", "_")


def plausibility(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters of `text` that a writer in `encoding`'s
    language would plausibly type. Mis-decoded bytes land on rare ideographs,
    half-width katakana, the wrong script, or Han characters separated by spaces."""
    total = common = 0
    # A sample decides as well as the whole and keeps long files quick to read.
    text = text[:_SAMPLE_CHARS]
    for i, ch in enumerate(text):
        if ord(ch) < 0x80:
            continue
        total += 1
        if _everyday(ch, encoding) and not _spaced_han(text, i, encoding):
            common += 1
    return common / total if total else 0.0


def _spaced_han(text: str, i: int, encoding: str) -> bool:
    # Chinese puts no spaces between words; Korean misread as GB18030 does.
    if encoding not in ("gb18030", "big5") or i < 2:
        return False
    return text[i - 1] == " " and is_han(text[i - 2]) and is_han(text[i])


def _everyday(ch: str, encoding: str) -> bool:
    cp = ord(ch)
    if 0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF5E or 0x2010 <= cp <= 0x206F or ch == "·":
        return True
    if encoding == "shift_jis":
        return (is_kana(ch) and not 0xFF61 <= cp <= 0xFF9F) or (is_han(ch) and _common_han(ch))
    if encoding == "euc_kr":
        # Modern Korean is almost all Hangul; a page of hanja means Chinese misread.
        return is_hangul(ch)
    return is_han(ch) and _common_han(ch)


def _common_han(ch: str) -> bool:
    """In the first (frequent-character) level of GB2312, Big5 or JIS X 0208."""
    for encoding, low, high in (
        ("gb2312", 0xB0A1, 0xD7FE),
        ("big5", 0xA440, 0xC67E),
        ("shift_jis", 0x889F, 0x9872),
    ):
        try:
            raw = ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(raw) == 2 and low <= int.from_bytes(raw, "big") <= high:
            return True
    return False
