"""A variant's script and storyboard: the brief planned at the variant's length with its
call to action, then the plan's lines and cards in the variant's language. Pure: the
translations come in as data (the brief's own `[zh: ...]` marks, else a table the LLM
filled).

    planned = variant_script(script, variant)            # its length and end card
    table = translation_table(script, "zh", ctas)        # the brief's words -> zh
    board_zh = localize_board(board, "zh", table)        # after planning
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from storyreel.direct.prompts import with_prompts
from storyreel.direct.rules import card_text
from storyreel.errors import StoryreelError
from storyreel.model import Action, Centered, Dialogue, Element, Prompt, Script, Storyboard
from storyreel.script.lang import detect_lang
from storyreel.script.marks import gather, peel
from storyreel.timeline import frames_for
from storyreel.variants.matrix import Variant


class VariantError(StoryreelError):
    """A variant cannot be made from the brief as written (a missing translation)."""


@dataclass(frozen=True)
class Text:
    """A line spoken or a text shown that a variant in another language must translate.
    `line` is the brief's line, 0 for a call to action (`cta` its 1-based number)."""

    text: str
    line: int
    kind: str  # "line", "text" (on screen) or "cta"
    cta: int = 0


def _shown(element: Element) -> str | None:
    """The words an element puts on screen: a centred card, or `Text on screen: ...`."""
    if isinstance(element, Centered):
        return element.text
    if isinstance(element, Action):
        return card_text(element.text)
    return None


def texts(script: Script, ctas: Sequence[str] = ()) -> list[tuple[Text, str, dict[str, str]]]:
    """Every text a variant translates, with the language it is written in and the
    translations its marks give."""
    found: list[tuple[Text, str, dict[str, str]]] = []
    for scene in script.scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue) and element.text:
                item = Text(element.text, element.line, "line")
                found.append((item, element.lang, dict(element.translations)))
            elif (shown := _shown(element)) is not None and isinstance(element, Action | Centered):
                found.append(
                    (
                        Text(shown, element.line, "text"),
                        detect_lang(shown),
                        dict(element.translations),
                    )
                )
    for number, cta in enumerate(ctas, start=1):
        words, marks = peel(cta)
        found.append((Text(words, 0, "cta", number), detect_lang(words), gather(marks)[1]))
    return found


def untranslated(script: Script, language: str, ctas: Sequence[str] = ()) -> list[Text]:
    """The texts that have no translation into `language` in the brief."""
    return [
        item
        for item, lang, marks in texts(script, ctas)
        if lang != language and language not in marks
    ]


def missing_error(brief: Path, language: str, item: Text) -> VariantError:
    """One line naming the first untranslated text and how to fix it."""
    where = f"{brief}:{item.line}" if item.kind != "cta" else f"--cta {item.cta}"
    what = {"line": "line", "text": "on-screen text", "cta": "call to action"}[item.kind]
    return VariantError(
        f"{where}: the {what} {item.text!r} has no {language} translation; add "
        f"[{language}: ...] after it, or pass --llm-url and --llm-model to translate it"
    )


def variant_script(script: Script, variant: Variant) -> Script:
    """`script` as `variant` plans it: its length the planner's target and its call to
    action an end card, in the brief's own words. The variant's language comes after
    planning (`localize_board`), so every language of a length and aspect gets the same
    shots at the same lengths: pictures a language does not change are shared takes."""
    scenes = list(script.scenes)
    if variant.cta is not None and scenes:
        words, _ = peel(variant.cta)
        last = scenes[-1]
        end = max((e.line for s in scenes for e in s.elements), default=last.line) + 1
        card = Centered(text=words, line=end)
        scenes[-1] = last.model_copy(update={"elements": [*last.elements, card]})
    # The title page's length is what the planner fits the shots to (it wins over a
    # "15 second ad" in the title).
    title_page = {
        k: v for k, v in script.title_page.items() if k.strip().lower() not in _LENGTH_KEYS
    }
    title_page["Duration"] = f"{variant.length} s"
    return script.model_copy(update={"scenes": scenes, "title_page": title_page})


_LENGTH_KEYS = ("duration", "length", "runtime", "时长", "片长")


def translation_table(
    script: Script,
    language: str,
    ctas: Sequence[str] = (),
    extra: Mapping[str, str] | None = None,
    *,
    brief: Path = Path("brief"),
) -> dict[str, str]:
    """Each text of the brief in `language`, by its words as written: the brief's marks,
    else `extra` (the LLM's); a text already in `language` is itself. VariantError
    names the first text that has neither."""
    extra = extra or {}
    table: dict[str, str] = {}
    for item, written, marks in texts(script, ctas):
        if written == language:
            table[item.text] = item.text
        elif language in marks:
            table[item.text] = marks[language]
        elif item.text in extra:
            table[item.text] = extra[item.text]
        else:
            raise missing_error(brief, language, item)
    return table


def localize_board(board: Storyboard, language: str, table: Mapping[str, str]) -> Storyboard:
    """`board` in `language`: every line spoken and every card shown in it (`table` maps
    the brief's words to the language's), the shots otherwise as planned. A line is
    spoken in the variant's language (the voice picks its engine by it) and subtitled
    in it alone. VariantError names a line `table` does not have."""
    shots = []
    for shot in board.shots:
        update: dict[str, object] = {}
        for line in shot.lines:
            if line.lang != language and line.text not in table:
                # A line the brief does not have (written into the storyboard file).
                raise VariantError(
                    f"shot {shot.id}: the line {line.text!r} is not in the brief, so it has "
                    f"no {language} translation; add it to the brief with [{language}: ...]"
                )
        if shot.lines:
            update["lines"] = [
                line.model_copy(
                    update={
                        "text": table[line.text],
                        "lang": language,
                        "translation": None,
                    }
                )
                if line.lang != language
                else line
                for line in shot.lines
            ]
        if shot.card is not None and shot.card in table and table[shot.card] != shot.card:
            words = table[shot.card]
            # The card's prompt names its words: composed again below.
            update |= {"card": words, "action": words, "prompt": Prompt(), "negative": Prompt()}
        shots.append(shot.model_copy(update=update) if update else shot)
    return with_prompts(board.model_copy(update={"shots": shots, "language": language}))


def locked_board(board: Storyboard, frames: Mapping[str, int]) -> Storyboard:
    """`board` with each shot lasting at least `frames[shot id]` frames (a shot not named
    keeps its length): the picture lock of the languages of a matrix, each shot as long
    as its longest language's speech needs, so that every language fits the same shots
    and a shot the words do not show is one take for all of them."""
    shots = [
        shot.model_copy(update={"duration": frames[shot.id] / board.fps})
        # Only a shot that speech lengthens: the others keep their planned seconds.
        if frames.get(shot.id, 0) > frames_for(shot.duration, board.fps)
        else shot
        for shot in board.shots
    ]
    return board.model_copy(update={"shots": shots})
