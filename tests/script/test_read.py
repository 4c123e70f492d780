"""Bad and unusual input through read_story: every failure is a one-line StoryError
that names the file (and the line where there is one)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from storyreel.errors import StoryError
from storyreel.script import read_story

LANTERN = (
    "外景. 夜市 - 夜\n\n雨刚停。纸灯笼在窄巷上方摇晃。\n\n小梅\n请问，这里是卖灯笼的摊位吗？\n"
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error_of(path: Path) -> StoryError:
    with pytest.raises(StoryError) as caught:
        read_story(path)
    message = str(caught.value)
    assert "\n" not in message
    assert str(path) in message
    return caught.value


def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in str(error_of(tmp_path / "nope.fountain"))


def test_directory(tmp_path: Path) -> None:
    assert "is a folder" in str(error_of(tmp_path))


@pytest.mark.parametrize("data", [b"", b"   \n\n\t\n", codecs.BOM_UTF8 + b"\n"])
def test_empty(tmp_path: Path, data: bytes) -> None:
    message = str(error_of(write(tmp_path, "empty.txt", data)))
    assert "is empty: write a story or a screenplay in it" in message


def test_empty_utf16(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.txt", " \n".encode("utf-16"))
    assert "is empty" in str(error_of(path))


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "binary file (a PNG image)"),
        (b"PK\x03\x04" + bytes(50), "ZIP"),
        (b"%PDF-1.7\n" + b"x" * 50, "PDF"),
        (b"hello\x00world" * 10, "NUL"),
        (bytes(range(1, 9)) * 20 + b"abc", "control characters"),
    ],
)
def test_binary(tmp_path: Path, data: bytes, what: str) -> None:
    message = str(error_of(write(tmp_path, "story.txt", data)))
    assert "not text" in message
    assert what in message


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_unknown_encoding(tmp_path: Path, codec: str) -> None:
    text = "INT. CAFE - DAY\n\n" + "Café crème, déjà vu - naïve façade.\n" * 4
    error = error_of(write(tmp_path, "story.fountain", text.encode(codec)))
    offset = text.encode(codec).index("é".encode(codec))
    assert f"offset {offset}" in str(error)
    assert "save the file as UTF-8" in str(error)
    assert error.line == 3


def test_cyrillic_legacy_encoding_is_refused(tmp_path: Path) -> None:
    data = "Привет, как дела? Это тест.\n".encode("cp1251")
    assert "offset 0" in str(error_of(write(tmp_path, "story.txt", data)))


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "gb2312"])
def test_gb_encoded_chinese(tmp_path: Path, codec: str) -> None:
    script = read_story(write(tmp_path, "灯笼.fountain", LANTERN.encode(codec)))
    assert script.scenes[0].location == "夜市"
    assert list(script.characters) == ["小梅"]


def test_short_gb18030_file(tmp_path: Path) -> None:
    script = read_story(write(tmp_path, "p.txt", "你好".encode("gb18030")))
    assert script.scenes[0].elements[0].text == "你好"


def test_big5_shift_jis_euc_kr(tmp_path: Path) -> None:
    big5 = read_story(write(tmp_path, "a.txt", "雨剛停。紙燈籠在窄巷上方搖晃。\n".encode("big5")))
    assert big5.scenes[0].elements[0].text == "雨剛停。紙燈籠在窄巷上方搖晃。"
    ja_text = "雨が止んだ。東京まで行きます。\n"
    sjis = read_story(write(tmp_path, "b.txt", ja_text.encode("shift_jis")))
    assert sjis.language == "ja"
    ko_text = "비가 그쳤어요. 저는 서울에 가요.\n"
    euc = read_story(write(tmp_path, "c.txt", ko_text.encode("euc_kr")))
    assert euc.language == "ko"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_bom(tmp_path: Path, codec: str) -> None:
    data = LANTERN.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    script = read_story(write(tmp_path, "s.fountain", data))
    assert script.scenes[0].heading == "外景. 夜市 - 夜"


def test_crlf_newlines(tmp_path: Path) -> None:
    path = write(tmp_path, "s.fountain", b"INT. A - DAY\r\n\r\nMEI\r\nHi.\r\n")
    script = read_story(path)
    assert script.scenes[0].elements[0].text == "Hi."


def test_title_page_only_has_no_scenes(tmp_path: Path) -> None:
    path = write(tmp_path, "t.fountain", b"Title: Nothing Yet\nAuthor: Me\n\n")
    assert "has a title page but no scenes" in str(error_of(path))


def test_only_notes_boneyard_and_sections(tmp_path: Path) -> None:
    data = b"# Act one\n\n= the idea\n\n[[write this later]]\n\n/* old draft\nstuff */\n"
    message = str(error_of(write(tmp_path, "t.fountain", data)))
    assert "nothing to film" in message
