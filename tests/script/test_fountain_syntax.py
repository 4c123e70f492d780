"""Fountain 1.1 features, one small snippet each."""

from __future__ import annotations

from typing import TypeVar

import pytest

from storyreel.model import (
    Action,
    Centered,
    Dialogue,
    Element,
    Lyric,
    Script,
    Section,
    Synopsis,
    Transition,
)
from storyreel.script import parse_story


def els(script: Script) -> list[Element]:
    return [el for scene in script.scenes for el in scene.elements]


T = TypeVar("T")


def only(script: Script, kind: type[T]) -> list[T]:
    return [el for el in els(script) if isinstance(el, kind)]


def dialogue(script: Script) -> list[Dialogue]:
    return [el for el in els(script) if isinstance(el, Dialogue)]


# --- title page ----------------------------------------------------------------------


def test_title_page_keys_and_multiline_values() -> None:
    text = (
        "Title:\n"
        "    _**BRICK & STEEL**_\n"
        "    _**FULL RETIRED**_\n"
        "Credit: Written by\n"
        "Author: Stu Maschwitz\n"
        "Contact:\n"
        "    Next Level Productions\n"
        "    1588 Mission Dr.\n"
        "Draft date: 1/20/2012\n"
        "\n"
        "EXT. BRICK'S PATIO - DAY\n"
        "\n"
        "A gorgeous day.\n"
    )
    script = parse_story(text)
    assert script.title == "BRICK & STEEL FULL RETIRED"
    assert script.title_page["author"] == "Stu Maschwitz"
    assert script.title_page["contact"] == "Next Level Productions\n1588 Mission Dr."
    assert script.title_page["draft date"] == "1/20/2012"
    assert script.scenes[0].heading == "EXT. BRICK'S PATIO - DAY"
    assert script.scenes[0].line == 11


def test_language_key_sets_script_language() -> None:
    script = parse_story("Title: X\nLanguage: Chinese\n\nINT. ROOM - DAY\n\nHello.\n")
    assert script.language == "zh"


def test_unknown_keys_alone_are_not_a_title_page() -> None:
    script = parse_story("FADE IN:\n\nINT. ROOM - DAY\n\nHello.\n")
    assert script.title_page == {}
    assert script.title is None


# --- scene headings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "location", "interior", "time"),
    [
        ("INT. KITCHEN - NIGHT", "KITCHEN", "int", "night"),
        ("EXT. BEACH - DAWN", "BEACH", "ext", "dawn"),
        ("EST. CITY SKYLINE - DUSK", "CITY SKYLINE", "ext", "dusk"),
        ("INT./EXT. CAR - MORNING", "CAR", "int/ext", "day"),
        ("INT/EXT CAR - EVENING", "CAR", "int/ext", "dusk"),
        ("I/E TRAIN - SUNRISE", "TRAIN", "int/ext", "dawn"),
        ("ext. park - sunset", "park", "ext", "dusk"),
        ("INT HOUSE - DAY", "HOUSE", "int", "day"),
        ("INT. HOUSE - KITCHEN - DAY", "HOUSE - KITCHEN", "int", "day"),
        ("INT. WAREHOUSE", "WAREHOUSE", "int", None),
    ],
)
def test_heading_forms(line: str, location: str, interior: str, time: str | None) -> None:
    scene = parse_story(f"{line}\n\nSomething happens.\n").scenes[0]
    assert (scene.heading, scene.location, scene.interior, scene.time) == (
        line,
        location,
        interior,
        time,
    )


def test_heading_needs_blank_line_before() -> None:
    script = parse_story("INT. A - DAY\n\nShe walks.\nINT. B - DAY\n")
    assert len(script.scenes) == 1
    assert "INT. B - DAY" in els(script)[0].text


def test_forced_heading_and_not_an_ellipsis() -> None:
    script = parse_story(".SNIPER SCOPE POV\n\nCrosshairs.\n\n...and then nothing.\n")
    assert script.scenes[0].heading == "SNIPER SCOPE POV"
    assert script.scenes[0].location == "SNIPER SCOPE POV"
    assert isinstance(els(script)[1], Action)
    assert els(script)[1].text == "...and then nothing."


def test_scene_numbers() -> None:
    script = parse_story(
        "INT. HOUSE - DAY #1#\n\nA.\n\nEXT. YARD - NIGHT #1A#\n\nB.\n\n.FLASHBACK #I-1-A#\n\nC.\n"
    )
    assert [s.number for s in script.scenes] == ["1", "1A", "I-1-A"]
    assert script.scenes[1].heading == "EXT. YARD - NIGHT"
    assert script.scenes[1].location == "YARD"


def test_later_and_continuous_inherit_previous_time() -> None:
    script = parse_story(
        "EXT. STREET - NIGHT\n\nA.\n\nINT. CAR - CONTINUOUS\n\nB.\n\nINT. HOME - LATER\n\nC.\n"
    )
    assert [s.time for s in script.scenes] == ["night", "night", "night"]


# --- action --------------------------------------------------------------------------


def test_action_paragraph_keeps_line_breaks_and_first_line() -> None:
    script = parse_story("INT. ROOM - DAY\n\nShe waits.\n    Then waits more.\n\nHe comes.\n")
    first, second = els(script)
    assert first == Action(text="She waits.\n    Then waits more.", line=3)
    assert second == Action(text="He comes.", line=6)


def test_forced_action() -> None:
    script = parse_story("INT. ROOM - DAY\n\n!SCANNING THE AISLES\nfor milk.\n")
    assert els(script) == [Action(text="SCANNING THE AISLES\nfor milk.", line=3)]


# --- characters and dialogue ---------------------------------------------------------


def test_character_cue_and_dialogue_lines_joined() -> None:
    script = parse_story("INT. ROOM - DAY\n\nSTEEL\nThe man's a myth!\nNo one has seen him.\n")
    (line,) = dialogue(script)
    assert line.character == "STEEL"
    assert line.text == "The man's a myth! No one has seen him."
    assert line.line == 3
    assert line.lang == "en"
    assert list(script.characters) == ["STEEL"]


def test_cue_needs_a_line_after_it() -> None:
    script = parse_story("INT. ROOM - DAY\n\nBOOM.\n\nSmoke everywhere.\n")
    assert dialogue(script) == []


@pytest.mark.parametrize(
    ("cue", "name", "extensions"),
    [
        ("MOM (V.O.)", "MOM", ["V.O."]),
        ("MOM (O.S.)", "MOM", ["O.S."]),
        ("HANS (CONT'D)", "HANS", ["CONT'D"]),
        ("HANS (on the radio) (CONT'D)", "HANS", ["on the radio", "CONT'D"]),
        ("R2D2", "R2D2", []),
        ("MR. O'BRIEN-SMITH", "MR. O'BRIEN-SMITH", []),
        ("@McCLANE", "McCLANE", []),
        ("@Tom (O.C.)", "Tom", ["O.C."]),
    ],
)
def test_cue_forms(cue: str, name: str, extensions: list[str]) -> None:
    (line,) = dialogue(parse_story(f"INT. ROOM - DAY\n\n{cue}\nHello there.\n"))
    assert (line.character, line.extensions) == (name, extensions)


def test_mixed_case_line_is_not_a_cue_unless_forced() -> None:
    assert dialogue(parse_story("INT. ROOM - DAY\n\nMcClane\nHello there.\n")) == []


def test_parentheticals_are_not_spoken() -> None:
    script = parse_story(
        "INT. ROOM - DAY\n\nSTEEL\n(starting the engine)\nSo much for retirement!\n(beat)\nGo.\n"
    )
    (line,) = dialogue(script)
    assert line.parentheticals == ["starting the engine", "beat"]
    assert line.text == "So much for retirement! Go."


def test_dual_dialogue() -> None:
    script = parse_story(
        "INT. ROOM - DAY\n\nBRICK\nScrew retirement.\n\nSTEEL ^\nScrew retirement.\n"
    )
    first, second = dialogue(script)
    assert (first.dual, second.dual) == (False, True)
    assert second.character == "STEEL"


def test_lyrics_in_dialogue_are_sung() -> None:
    script = parse_story("INT. ROOM - DAY\n\nMARY\n~Happy birthday to you\n~Happy birthday\n")
    (line,) = dialogue(script)
    assert line.sung
    assert line.text == "Happy birthday to you Happy birthday"


def test_two_spaces_keep_dialogue_together() -> None:
    script = parse_story("INT. ROOM - DAY\n\nDEALER\nTen.\nFour.\n  \nDealer gets a seven.\n")
    (line,) = dialogue(script)
    assert line.text == "Ten. Four. Dealer gets a seven."


def test_lang_tag_overrides_detection_for_all_lines() -> None:
    script = parse_story(
        "INT. ROOM - DAY\n\nANNA [lang=es]\nOkay.\n\nBOB\nOkay.\n\nANNA\nNo problem.\n"
    )
    langs = [(d.character, d.lang) for d in dialogue(script)]
    assert langs == [("ANNA", "es"), ("BOB", "en"), ("ANNA", "es")]
    assert script.characters["ANNA"].lang == "es"
    assert script.characters["BOB"].lang is None


def test_colon_dialogue_in_action() -> None:
    script = parse_story("INT. ROOM - DAY\n\nHe enters.\nMOM (O.S.): Dinner!\nHe sighs.\n")
    kinds = [type(el).__name__ for el in els(script)]
    assert kinds == ["Action", "Dialogue", "Action"]
    line = dialogue(script)[0]
    assert (line.character, line.extensions, line.text, line.line) == (
        "MOM",
        ["O.S."],
        "Dinner!",
        4,
    )


def test_directive_with_colon_stays_action() -> None:
    script = parse_story("INT. ROOM - DAY\n\nCLOSE ON: the ring.\n\nINSERT: a note.\n")
    assert dialogue(script) == []
    assert len(only(script, Action)) == 2


# --- transitions, centered, lyrics ---------------------------------------------------


def test_transitions() -> None:
    script = parse_story(
        "INT. A - DAY\n\nA.\n\nCUT TO:\n\nINT. B - DAY\n\nB.\n\n> Burn to white.\n\nFADE OUT.\n"
    )
    assert [t.text for t in only(script, Transition)] == [
        "CUT TO:",
        "Burn to white.",
        "FADE OUT.",
    ]
    assert only(script, Transition)[0].line == 5


def test_transition_needs_blank_line_after() -> None:
    script = parse_story("INT. A - DAY\n\nA.\n\nCUT TO:\nthe chase.\n")
    assert only(script, Transition) == []


def test_centered() -> None:
    script = parse_story("INT. A - DAY\n\nA.\n\n>THE END<\n\n> *fin* <\n")
    assert [c.text for c in only(script, Centered)] == ["THE END", "fin"]


def test_lone_lyric_lines() -> None:
    script = parse_story("INT. A - DAY\n\n~Willy Wonka! Willy Wonka!\n~The amazing chocolatier!\n")
    lyrics = only(script, Lyric)
    assert [x.text for x in lyrics] == ["Willy Wonka! Willy Wonka!", "The amazing chocolatier!"]
    assert [x.line for x in lyrics] == [3, 4]


# --- notes, boneyard, structure ------------------------------------------------------


def test_notes_removed_and_collected() -> None:
    script = parse_story(
        "INT. A - DAY\n\nHis phone rings. [[Ringtone: 'Baby Got Back'?]]\n\n"
        "She leaves.\n[[This note\nspans lines.]]\n\nMEI\nBye.\n"
    )
    acts = only(script, Action)
    assert acts[0].text == "His phone rings."
    assert acts[1].text == "She leaves."
    assert script.notes == ["Ringtone: 'Baby Got Back'?", "This note spans lines."]
    assert dialogue(script)[0].line == 9


def test_boneyard_removed_and_line_numbers_kept() -> None:
    text = (
        "INT. A - DAY\n"  # 1
        "\n"
        "Kept. /* cut this */ Also kept.\n"  # 3
        "\n"
        "/*\n"  # 5
        "INT. GONE - NIGHT\n"
        "\n"
        "Gone.\n"
        "*/\n"  # 9
        "\n"
        "MEI\n"  # 11
        "Still here.\n"
    )
    script = parse_story(text)
    assert len(script.scenes) == 1
    assert els(script)[0] == Action(text="Kept.  Also kept.", line=3)
    assert dialogue(script)[0].line == 11
    assert "Gone" not in script.model_dump_json()


def test_sections_synopses_page_breaks() -> None:
    script = parse_story(
        "# ACT I\n\n= Set up the characters.\n\nINT. A - DAY\n\n## Sequence\n\nA.\n\n===\n\nB.\n"
    )
    assert len(script.scenes) == 1  # structure before the heading joins the first scene
    sections = only(script, Section)
    assert [(s.level, s.text) for s in sections] == [(1, "ACT I"), (2, "Sequence")]
    assert [s.text for s in only(script, Synopsis)] == ["Set up the characters."]
    assert [a.text for a in only(script, Action)] == ["A.", "B."]


def test_emphasis_stripped_from_everything_drawn_or_spoken() -> None:
    script = parse_story(
        "INT. *DARK* ROOM - NIGHT\n\n**Bold** _under_ act.\n\nMEI\n***Really*** \\*not\\*.\n"
    )
    assert script.scenes[0].heading == "INT. DARK ROOM - NIGHT"
    assert els(script)[0].text == "Bold under act."
    assert dialogue(script)[0].text == "Really *not*."


def test_elements_before_first_heading_form_an_implicit_scene() -> None:
    script = parse_story("A cold open.\n\nINT. A - DAY\n\nA.\n")
    assert [(s.heading, s.location) for s in script.scenes] == [("", ""), ("INT. A - DAY", "A")]
    assert script.scenes[0].line == 1


def test_dialogue_without_headings_is_one_scene() -> None:
    script = parse_story("BOB\nHi.\n\nALICE\nHello.\n")
    assert script.source == "fountain"
    assert len(script.scenes) == 1
    assert [d.character for d in dialogue(script)] == ["BOB", "ALICE"]


def test_fade_in_before_first_heading_joins_first_scene() -> None:
    script = parse_story("FADE IN:\n\nINT. A - DAY\n\nA.\n")
    assert len(script.scenes) == 1
    assert isinstance(script.scenes[0].elements[0], Transition)


def test_allcaps_title_over_prose_is_not_a_screenplay() -> None:
    script = parse_story("THE LANTERN\nOnce upon a time there was a lantern.\n\nIt glowed.\n")
    assert script.source == "prose"
    assert script.characters == {}


def test_one_marked_cue_is_enough_for_a_screenplay() -> None:
    assert parse_story("MEI (V.O.)\nI remember.\n").source == "fountain"
    assert parse_story("MEI\n(quietly)\nI remember.\n").source == "fountain"


def test_empty_markers_are_dropped() -> None:
    script = parse_story("INT. A - DAY\n\n>\n\n#\n\nStill here.\n")
    assert els(script) == [Action(text="Still here.", line=7)]
