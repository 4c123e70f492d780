"""Story in, Script out: read a story file (Fountain screenplay, Chinese screenplay,
prose or a one-line prompt) and parse it into the model the director works from."""

from __future__ import annotations

from pathlib import Path

from storyreel.model import Action, Script
from storyreel.script.fountain import looks_like_screenplay, parse_fountain, path_is_fountain
from storyreel.script.lang import SUPPORTED_LANGS, detect_lang
from storyreel.script.marks import with_marks
from storyreel.script.prose import parse_prose, sentence_spans
from storyreel.script.read import MAX_SENTENCE_CHARS, check_lengths, read_story_text, story_error
from storyreel.script.text import strip_emphasis

__all__ = [
    "SUPPORTED_LANGS",
    "detect_lang",
    "parse_story",
    "read_story",
    "strip_emphasis",
]


def read_story(path: Path) -> Script:
    """Read, decode and parse a story file; StoryError says what is wrong with it."""
    path = Path(path)
    return parse_story(read_story_text(path), path=path)


def parse_story(text: str, *, path: Path | None = None) -> Script:
    """Parse story text as Fountain when it looks like a screenplay (or the file is
    a .fountain), else as prose. Raises StoryError when there is nothing to film."""
    if not text.strip():
        raise story_error("is empty: write a story or a screenplay in it", path=path)
    check_lengths(text, path=path)
    if path_is_fountain(path) or looks_like_screenplay(text):
        script = parse_fountain(text)
    else:
        script = parse_prose(text)
    if not script.scenes:
        raise story_error(_nothing_to_film(script), path=path)
    _check_sentences(script, path)
    # `[zh: ...]` marks after actions and cards: their words in other languages.
    return with_marks(script)


def _check_sentences(script: Script, path: Path | None) -> None:
    """The sentences as the scene reader will see them: a quote or bracket that never
    closes holds everything after it in one sentence, full stops or not."""
    for scene in script.scenes:
        for element in scene.elements:
            if not isinstance(element, Action) or len(element.text) <= MAX_SENTENCE_CHARS:
                continue
            longest = max(end - start for start, end in sentence_spans(element.text))
            if longest > MAX_SENTENCE_CHARS:
                raise story_error(
                    f"has a sentence of {longest:,} characters; a sentence may have at "
                    f"most {MAX_SENTENCE_CHARS:,}: end its sentences with . ! ? or 。, and "
                    "close every quote and bracket it opens",
                    path=path,
                    line=element.line,
                )


def _nothing_to_film(script: Script) -> str:
    if script.title_page:
        return (
            "has a title page but no scenes: add a scene heading (INT. PLACE - DAY) "
            "and some action or dialogue below it"
        )
    return (
        "has nothing to film (only notes, sections, synopses or a title): "
        "write some action or dialogue"
    )
