"""Translation marks: a line or an on-screen text in other languages.

    VOICEOVER: Spring, in every cup. [zh: 春天，就在每一杯里。] [ja: 春を、一杯ごとに。]
    Text on screen: "Mountain Spring Tea". [zh: 山泉茶]

A mark is a language code (or `translation` / `译`, a translation in no named language),
a colon and the text, in square brackets. Several may follow one another, after the
words on the same line or on their own lines of a dialogue block. They are never spoken
nor shown in the film of the story's own language: the first is the line's subtitle
translation (`Dialogue.translation`), and each named one is what a variant in that
language says or shows (`translations`, by code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyreel.model import Action, Centered, Dialogue, Element, Scene, Script
from storyreel.script.lang import normalize_lang

_TAG = r"(?P<tag>[A-Za-z]{2,3}(?:[-_][A-Za-z]{2,4})?|translation|译文?|翻译)"
_MARK = re.compile(rf"\[\s*{_TAG}\s*[:：]\s*(?P<text>[^\[\]]+?)\s*\]", re.IGNORECASE)
# Marks at the end of a text; a full stop written after them belongs to the text.
_TRAILING = re.compile(rf"(?:\s*\[\s*{_TAG}\s*[:：]\s*[^\[\]]+?\s*\])+\s*[.。]?\s*$", re.IGNORECASE)
_UNNAMED = {"translation", "译", "译文", "翻译"}


@dataclass(frozen=True)
class Mark:
    lang: str | None  # a language code; None for `[translation: ...]`
    text: str


def _marks(text: str) -> list[Mark]:
    found = []
    for match in _MARK.finditer(text):
        tag = match["tag"].lower()
        lang = None if tag in _UNNAMED else normalize_lang(tag)
        found.append(Mark(lang, match["text"]))
    return found


def peel(text: str) -> tuple[str, list[Mark]]:
    """`text` without the marks at its end, and those marks in written order. Text that
    is nothing but marks stays as it is (it is no one's translation yet)."""
    found = _TRAILING.search(text)
    if found is None or found.start() == 0:
        return text, []
    return text[: found.start()].rstrip(), _marks(found.group(0))


def mark_line(line: str) -> list[Mark] | None:
    """The marks of a line that holds nothing else (`[zh: ...] [ja: ...]`), else None."""
    found = _TRAILING.match(line.strip())
    if found is None or not line.strip():
        return None
    return _marks(found.group(0))


def gather(marks: list[Mark]) -> tuple[str | None, dict[str, str]]:
    """The subtitle translation (every mark in the first mark's language, joined: a long
    translation may take several lines) and the text in each named language."""
    if not marks:
        return None, {}
    first = marks[0].lang
    translation = " ".join(m.text for m in marks if m.lang == first)
    by_lang: dict[str, list[str]] = {}
    for mark in marks:
        if mark.lang is not None:
            by_lang.setdefault(mark.lang, []).append(mark.text)
    return translation, {lang: " ".join(texts) for lang, texts in by_lang.items()}


def with_marks(script: Script) -> Script:
    """`script` with the marks after actions and centred text read off them: an action
    or card ending in marks keeps its words and gains `translations`; a sentence that
    is only marks (prose splits them off) belongs to the element before it."""
    scenes = [_scene_marks(scene) for scene in script.scenes]
    if scenes == script.scenes:
        return script
    return script.model_copy(update={"scenes": scenes})


def _scene_marks(scene: Scene) -> Scene:
    elements: list[Element] = []
    for element in scene.elements:
        if not isinstance(element, Action | Centered):
            elements.append(element)
            continue
        marks = mark_line(element.text)
        before = elements[-1] if elements else None
        if marks is not None and isinstance(before, Action | Centered | Dialogue):
            elements[-1] = _add(before, marks)
            continue
        words, marks = peel(element.text)
        if marks:
            element = _add(element.model_copy(update={"text": words}), marks)
        elements.append(element)
    if elements == scene.elements:
        return scene
    return scene.model_copy(update={"elements": elements})


def _add(element: Action | Centered | Dialogue, marks: list[Mark]) -> Action | Centered | Dialogue:
    translation, named = gather(marks)
    update: dict[str, object] = {"translations": {**element.translations, **named}}
    if isinstance(element, Dialogue) and element.translation is None:
        update["translation"] = translation
    return element.model_copy(update=update)
