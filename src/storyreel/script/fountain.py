"""Fountain 1.1 screenplays (https://fountain.io/syntax), with Chinese screenplay
conventions and storyreel's `[lang=xx]` cue tag.

The parser walks the body line by line. Whether a line is a heading, a cue or a
transition depends on the blank lines around it, so each decision looks at its
neighbours; everything that is not something else is action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from storyreel.model import (
    Action,
    Centered,
    Dialogue,
    Element,
    Lyric,
    Scene,
    Script,
    Section,
    Synopsis,
    TimeOfDay,
    Transition,
)
from storyreel.script.characters import collect_characters, with_lang_overrides
from storyreel.script.conventions import (
    INHERIT,
    Cue,
    Heading,
    SceneTime,
    is_heading,
    is_transition,
    parse_colon_line,
    parse_cue,
    parse_heading,
)
from storyreel.script.lang import (
    check_dialogue_langs,
    check_lang,
    detect_lang,
    majority_lang,
    normalize_lang,
    with_title_lang,
)
from storyreel.script.marks import Mark, gather, mark_line
from storyreel.script.text import (
    collapse_spaces,
    join_lines,
    strip_emphasis,
    word_set,
)

_BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
# Marks where removed text was, so lines emptied by a removal can be dropped without
# touching lines that were blank on purpose.
_GONE = "\ue010"

_TITLE_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9 _\-]*):\s*(?P<value>.*)$")
# A first block is only a title page if it uses at least one of Fountain's keys;
# otherwise a story opening with `NOTE: ...` or `VOICEOVER: ...` would vanish into it.
_KNOWN_KEYS = word_set(
    "title|credit|author|authors|source|draft date|date|contact|copyright|notes|revision|"
    "language|format|episode|series|genre|logline|website|email|phone|address",
    "|",
)
_PAGE_BREAK = re.compile(r"^={3,}$")
_SECTION = re.compile(r"^(#+)\s*(.*)$")
_CENTERED = re.compile(r"^>(.*)<$")
_FORCED_HEADING = re.compile(r"^\.(?!\.)(?=\S)")
_PARENTHETICAL = re.compile(r"^[（(](.*)[）)]$")
_FILMABLE = (Action, Dialogue, Centered, Lyric)


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based, in the original file
    text: str


@dataclass
class _Draft:
    heading: Heading | None
    line: int
    elements: list[Element] = field(default_factory=list)


def parse_fountain(text: str) -> Script:
    """Parse a Fountain screenplay. Returns a Script that may have no scenes; the
    caller decides whether that is an error."""
    lines, notes = clean_lines(text)
    title_page, body = split_title_page(lines)
    parser = _Body(body)
    drafts = parser.parse()
    scenes = _build_scenes(drafts)
    scenes = with_lang_overrides(scenes, parser.langs)
    if "language" in title_page:
        language = normalize_lang(title_page["language"])
        check_lang(language, "the title page's Language:", allow_multi=True)
        # One named language holds for every line without a [lang=xx] tag; "multi"
        # leaves each line to detection.
        if language != "multi":
            scenes = with_title_lang(scenes, language, parser.langs)
    else:
        language = _script_lang(scenes)
    check_dialogue_langs(scenes)
    title = title_page.get("title")
    return Script(
        title=collapse_spaces(title) if title else None,
        title_page=title_page,
        language=language,
        source="fountain",
        scenes=scenes,
        characters=collect_characters(scenes, parser.langs),
        notes=notes,
    )


def looks_like_screenplay(text: str) -> bool:
    """A title page, a scene heading (a forced one only with a blank line after it),
    or cue + dialogue blocks. One bare cue is not enough: an ALL-CAPS or short Chinese
    title line right above a paragraph looks just like one. A cue that carries an
    extension, a tag or a parenthetical line is unmistakable on its own."""
    lines, _ = clean_lines(text)
    title_page, body = split_title_page(lines)
    if title_page:
        return True
    cues = 0
    for i, line in enumerate(body):
        if not _blank_before(body, i) or _is_blank(line):
            continue
        blank_after = i + 1 >= len(body) or _is_blank(body[i + 1])
        if is_heading(line.text) or (blank_after and _FORCED_HEADING.match(line.text.strip())):
            return True
        cue = None if blank_after else parse_cue(line.text)
        if cue is None:
            continue
        cues += 1
        marked = line.text.strip().startswith("@") or cue.extensions or cue.lang or cue.dual
        if marked or _PARENTHETICAL.match(body[i + 1].text.strip()) or cues >= 2:
            return True
    return False


# --- cleaning ------------------------------------------------------------------------


def clean_lines(text: str) -> tuple[list[_Line], list[str]]:
    """Remove boneyard and notes, keeping original line numbers; return the lines
    and the notes' texts. Lines that held nothing but removed text are dropped, so a
    note on its own line does not split a paragraph."""
    notes: list[str] = []

    def gone(match: re.Match[str]) -> str:
        # One marker per touched line keeps the newlines, hence the line numbers.
        return "\n".join(_GONE for _ in range(match[0].count("\n") + 1))

    def note(match: re.Match[str]) -> str:
        notes.append(collapse_spaces(match[1]))
        return gone(match)

    text = _NOTE.sub(note, _BONEYARD.sub(gone, text))
    lines: list[_Line] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        if _GONE in raw:
            raw = raw.replace(_GONE, "").rstrip()
            if not raw.strip():
                continue
        lines.append(_Line(number, raw))
    return lines, [n for n in notes if n]


def note_lines(text: str) -> list[tuple[int, str, bool]]:
    """Every one-line note `[[...]]` outside the boneyard: its 1-based line, its text
    (spaces collapsed) and whether it stands alone on its line. Branching films read
    their `[[choice: ...]]` and `[[end]]` marks from these (script/branches.py)."""
    # The boneyard becomes as many newlines as it held, so the line numbers stay.
    kept = _BONEYARD.sub(lambda m: "\n" * m[0].count("\n"), text)
    found: list[tuple[int, str, bool]] = []
    for number, raw in enumerate(kept.split("\n"), start=1):
        for match in _NOTE.finditer(raw):
            found.append((number, collapse_spaces(match[1]), raw.strip() == match[0]))
    return found


def split_title_page(lines: list[_Line]) -> tuple[dict[str, str], list[_Line]]:
    """The title page (keys lower-cased, indented continuation lines kept on their own
    lines) and the body after it; ({}, lines) when the text has none."""
    start = 0
    while start < len(lines) and _is_blank(lines[start]):
        start += 1
    page: dict[str, list[str]] = {}
    key: str | None = None
    i = start
    while i < len(lines) and not _is_blank(lines[i]):
        raw = lines[i].text
        found = _TITLE_KEY.match(raw)
        if found and not raw[0].isspace():
            key = found["key"].strip().lower()
            page[key] = [found["value"].strip()] if found["value"].strip() else []
        elif key is not None and raw[0].isspace():
            page[key].append(raw.strip())
        else:
            return {}, lines
        i += 1
    if not page.keys() & _KNOWN_KEYS:
        return {}, lines
    values = {k: "\n".join(strip_emphasis(v) for v in parts) for k, parts in page.items()}
    return values, lines[i:]


def _is_blank(line: _Line) -> bool:
    # Two spaces are Fountain's way to keep a blank line inside dialogue or action.
    return not line.text.strip() and line.text != "  "


def _blank_before(lines: list[_Line], i: int) -> bool:
    return i == 0 or _is_blank(lines[i - 1])


# --- the body ------------------------------------------------------------------------


class _Body:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.drafts: list[_Draft] = [_Draft(None, lines[0].number if lines else 1)]
        self.action: list[_Line] = []
        # [lang=xx] tags seen on cues: they hold for all of that character's lines.
        self.langs: dict[str, str] = {}

    def parse(self) -> list[_Draft]:
        i = 0
        while i < len(self.lines):
            i = self._step(i)
        self._flush_action()
        return self.drafts

    def _emit(self, element: Element) -> None:
        self._flush_action()
        self.drafts[-1].elements.append(element)

    def _step(self, i: int) -> int:
        """Handle the line at i; return the index of the next unhandled line."""
        line = self.lines[i]
        text = line.text.strip()
        if _is_blank(line):
            self._flush_action()
            return i + 1
        if text.startswith("!"):
            self.action.append(_Line(line.number, line.text.replace("!", "", 1)))
            return i + 1
        if self._forced_element(line, text):
            return i + 1
        if not self.action and _blank_before(self.lines, i):
            if _FORCED_HEADING.match(text) or is_heading(text):
                self._flush_action()
                heading = parse_heading(text[1:] if text.startswith(".") else text)
                self.drafts.append(_Draft(heading, line.number))
                return i + 1
            blank_after = i + 1 >= len(self.lines) or _is_blank(self.lines[i + 1])
            if blank_after and is_transition(text):
                self._emit(Transition(text=strip_emphasis(text), line=line.number))
                return i + 1
            cue = None if blank_after else parse_cue(text)
            if cue is not None:
                return self._dialogue(cue, i)
        colon = parse_colon_line(text)
        if colon is not None:
            self._remember_lang(colon.cue)
            self._emit(colon.dialogue(line.number))
            return i + 1
        self.action.append(line)
        return i + 1

    def _forced_element(self, line: _Line, text: str) -> bool:
        """Elements marked by their first character, wherever they stand. A marker
        with nothing after it (a lone `>` or `#`) is dropped rather than filmed."""
        element: Element
        if _PAGE_BREAK.match(text):
            self._flush_action()
            return True
        if section := _SECTION.match(text):
            element = Section(level=len(section[1]), text=section[2].strip(), line=line.number)
        elif text.startswith("=") and not text.startswith("=="):
            element = Synopsis(text=text[1:].strip(), line=line.number)
        elif centered := _CENTERED.match(text):
            element = Centered(text=strip_emphasis(centered[1].strip()), line=line.number)
        elif text.startswith(">"):
            element = Transition(text=strip_emphasis(text[1:].strip()), line=line.number)
        elif text.startswith("~"):
            element = Lyric(text=strip_emphasis(text[1:].strip()), line=line.number)
        else:
            return False
        if element.text:
            self._emit(element)
        else:
            self._flush_action()
        return True

    def _dialogue(self, cue: Cue, i: int) -> int:
        """Read the block after a cue up to the next blank line."""
        self._remember_lang(cue)
        spoken: list[str] = []
        parentheticals: list[str] = []
        translations: list[Mark] = []
        sung = False
        j = i + 1
        while j < len(self.lines) and not _is_blank(self.lines[j]):
            text = self.lines[j].text.strip()
            j += 1
            if (marks := mark_line(text)) is not None:
                translations.extend(marks)
            elif paren := _PARENTHETICAL.match(text):
                parentheticals.append(strip_emphasis(paren[1].strip()))
            elif text.startswith("~"):
                sung = True
                spoken.append(text[1:])
            elif text:
                spoken.append(text)
        words = strip_emphasis(join_lines(spoken))
        translation, by_lang = gather(translations)
        self._emit(
            Dialogue(
                character=cue.name,
                extensions=cue.extensions,
                parentheticals=parentheticals,
                text=words,
                lang=cue.lang or detect_lang(words),
                translation=strip_emphasis(translation) if translation else None,
                translations={k: strip_emphasis(v) for k, v in by_lang.items()},
                dual=cue.dual,
                sung=sung,
                line=self.lines[i].number,
            )
        )
        return j

    def _remember_lang(self, cue: Cue) -> None:
        if cue.lang:
            self.langs.setdefault(cue.name, cue.lang)

    def _flush_action(self) -> None:
        if not self.action:
            return
        body = "\n".join(strip_emphasis(line.text).rstrip() for line in self.action)
        self.drafts[-1].elements.append(Action(text=body.strip("\n"), line=self.action[0].number))
        self.action = []


# --- scenes --------------------------------------------------------------------------


def _build_scenes(drafts: list[_Draft]) -> list[Scene]:
    """Turn drafts into scenes. What stands before the first heading becomes a scene
    of its own only if there is something to film in it; sections, synopses and a
    `FADE IN:` there belong to the first real scene instead."""
    opening, headed = drafts[0], drafts[1:]
    if opening.elements and not any(isinstance(e, _FILMABLE) for e in opening.elements):
        if headed:
            headed[0].elements[:0] = opening.elements
        opening.elements = []
    scenes: list[Scene] = []
    if opening.elements:
        scenes.append(
            Scene(heading="", location="", line=opening.elements[0].line, elements=opening.elements)
        )
    previous_time = None
    for draft in headed:
        heading = draft.heading
        assert heading is not None  # only the opening draft has none
        time = _resolve_time(heading.time, previous_time)
        scenes.append(
            Scene(
                heading=heading.text,
                location=heading.location,
                interior=heading.interior,
                time=time,
                number=heading.number,
                line=draft.line,
                elements=draft.elements,
            )
        )
        previous_time = time
    return scenes


def _resolve_time(time: SceneTime, previous: TimeOfDay | None) -> TimeOfDay | None:
    return previous if time == INHERIT else time


def _script_lang(scenes: list[Scene]) -> str:
    samples: list[tuple[str, str]] = []
    for scene in scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue):
                samples.append((element.lang, element.text))
            elif isinstance(element, Action | Centered | Lyric):
                samples.append((detect_lang(element.text), element.text))
    return majority_lang(samples)


def path_is_fountain(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() in (".fountain", ".spmd")
