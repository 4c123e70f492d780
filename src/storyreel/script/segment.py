"""Chinese words and their parts of speech, with jieba.

Chinese is written without spaces, so 一个白发剑士站在竹林里 has to be cut into words
before 剑士 can be told from 剑 (a sword), and 马路 (a road) from 马 (a horse). jieba cuts
by the most probable path through a dictionary of words with frequencies and tags.

jieba's full dictionary (350 000 words) takes a second or more to load, which is most
of the budget for understanding and planning a whole screenplay. Scene understanding
only looks up words it has a vocabulary for, and those are added to the dictionary
here, so a dictionary of the most frequent words cuts just as well around them: it is
made once from jieba's own (the first `_TOP_WORDS` by frequency, with their tags) and
kept in the user's cache folder ($XDG_CACHE_HOME/storyreel, else ~/.cache/storyreel;
the system's temporary folder when that cannot be written), beside jieba's cache of
the parsed dictionary. The hidden-Markov guessing of unknown words is off: it glues
unrelated characters into "names" (雨刚停 -> 雨刚) and its tables take as long again to
load.
"""

from __future__ import annotations

import functools
import logging
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storyreel.files import atomic_path, write_text_atomic

_TOP_WORDS = 60_000
# High enough that an added word (月下, 面摊) is cut as one rather than in pieces, low
# enough not to outweigh the dictionary's own common words around it.
_ADDED_FREQ = 2_000


@dataclass(frozen=True)
class Token:
    word: str
    # jieba's part of speech: n noun, v verb, r pronoun, m numeral, q measure word,
    # p preposition, x punctuation or unknown, eng a Latin word...
    tag: str
    start: int
    end: int


class Segmenter:
    """jieba's tokenizer on the small dictionary, plus the words added to it."""

    def __init__(self, jieba: Any, dictionary: Path, tags: dict[str, str], cache: Path) -> None:
        self._tokenizer = jieba.Tokenizer(str(dictionary))
        self._tokenizer.tmp_dir = str(cache)
        self._tags = tags
        self._added: set[str] = set()
        # Adding words changes the tokenizer; two planning threads may share it.
        self._lock = threading.Lock()

    def add_words(self, words: Iterable[tuple[str, str]]) -> None:
        """Make each (word, tag) one word with that tag."""
        with self._lock:
            new = [(w, t) for w, t in words if w and w not in self._added]
            if not new:
                return
            self._tokenizer.check_initialized()
            for word, tag in new:
                self._added.add(word)
                self._tags[word] = tag
                if len(word) > 1:
                    freq = max(self._tokenizer.FREQ.get(word, 0), _ADDED_FREQ)
                    self._tokenizer.add_word(word, freq, tag)

    def cut(self, text: str) -> list[Token]:
        tokens = []
        at = 0
        with self._lock:
            words = list(self._tokenizer.cut(text, HMM=False))
        for word in words:
            end = at + len(word)
            tokens.append(Token(word, self._tag(word), at, end))
            at = end
        return tokens

    def _tag(self, word: str) -> str:
        if word in self._tags:
            return self._tags[word]
        if word.isascii() and word.isalpha():
            return "eng"
        if word.isdigit():
            return "m"
        return "x"


@functools.cache
def segmenter() -> Segmenter:
    """The one segmenter, made on first use: English-only stories never load jieba."""
    jieba = _import_jieba()
    logging.getLogger("jieba").setLevel(logging.WARNING)  # no "Building prefix dict"
    folder = _cache_folder()
    dictionary, tags = _small_dictionary(jieba, folder)
    return Segmenter(jieba, dictionary, tags, folder)


def _import_jieba() -> Any:
    # jieba tries pkg_resources only to find its own files, and finds them as well
    # without it; importing pkg_resources takes longer than all of jieba (and warns
    # that it is deprecated), so it is hidden while jieba is imported. A None entry
    # in sys.modules makes that import fail at once.
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if hide:
            sys.modules.pop("pkg_resources", None)
    return jieba


def _cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(base) / "storyreel", Path(tempfile.gettempdir()) / "storyreel"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    raise OSError("no writable cache folder for the Chinese dictionary")


def _small_dictionary(jieba: Any, folder: Path) -> tuple[Path, dict[str, str]]:
    """The dictionary file jieba reads, and each of its words' part of speech (kept in
    a marshal file beside it: reading them from the text takes longer)."""
    version = getattr(jieba, "__version__", "0")
    path = folder / f"jieba-{version}-top{_TOP_WORDS}.txt"
    tags_path = path.with_suffix(".tags")
    if path.exists() and tags_path.exists():
        try:
            tags = marshal.loads(tags_path.read_bytes())
            if isinstance(tags, dict):
                return path, tags
        except (EOFError, ValueError, TypeError):
            pass  # a damaged file is made again
    full = Path(jieba.__file__).parent / "dict.txt"
    lines = [line.split(" ") for line in full.read_text(encoding="utf-8").splitlines()]
    entries = [parts for parts in lines if len(parts) == 3]
    entries.sort(key=lambda parts: -int(parts[1]))
    entries = entries[:_TOP_WORDS]
    write_text_atomic(path, "".join(" ".join(parts) + "\n" for parts in entries))
    tags = {word: tag for word, _, tag in entries}
    with atomic_path(tags_path) as tmp:
        tmp.write_bytes(marshal.dumps(tags))
    return path, tags
