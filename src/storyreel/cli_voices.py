"""`storyreel voices`: the speech engines, their voices, and who speaks with which.

    storyreel voices                      # engines and their voices
    storyreel voices story.fountain       # ... and each character's voice in each language
    storyreel voices story.fountain --json

Mounted on the main command with `register(app)`. Everything past typer and rich is
imported when the command runs, so `storyreel --help` stays light.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

console = Console()


def voices_command(
    story: Annotated[
        Path | None,
        typer.Argument(help="A story: also show which character speaks with which voice."),
    ] = None,
    engine: Annotated[
        str, typer.Option(help="The speech engine the characters are shown for.")
    ] = "auto",
    project: Annotated[
        Path | None, typer.Option(help="Project folder (its cast sets voices by hand).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead.")] = False,
) -> None:
    """List the voice engines, their voices and, with STORY, each character's voice."""
    data: dict[str, Any] = {"engines": _engines()}
    if story is not None:
        data["characters"] = _characters(story, engine, project)
    if as_json:
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console.print(_engines_table(data["engines"]))
    if story is not None:
        console.print(_characters_table(data["characters"], engine))


def _engines() -> list[dict[str, Any]]:
    from storyreel.errors import VoiceError
    from storyreel.voice.espeak import SUPPORTED_LANGS, EspeakVoice, espeak_variants
    from storyreel.voice.kokoro import KokoroVoice, voices_folder
    from storyreel.voice.kokoro_voices import pack

    out: list[dict[str, Any]] = []
    try:
        kokoro = KokoroVoice()
        out.append(
            {
                "name": kokoro.name,
                "installed": True,
                "langs": sorted(kokoro.langs),
                "folder": str(voices_folder()),
                "voices": pack(kokoro.voices),
                "gpl_in_process": "en: for words outside the lexicon; ja, es: always",
            }
        )
    except VoiceError as error:
        out.append({"name": "kokoro", "installed": False, "error": str(error)})
    variants = sorted(espeak_variants())
    out.append(
        {
            "name": EspeakVoice.name,
            "installed": True,
            "langs": sorted(SUPPORTED_LANGS),
            "voices": {"variants": variants},
            "gpl_in_process": "always",
        }
    )
    return out


def _characters(story: Path, engine_name: str, project: Path | None) -> list[dict[str, Any]]:
    from storyreel.cast import Cast
    from storyreel.cast.subject import subject_key
    from storyreel.direct import plan
    from storyreel.model import Character, Dialogue
    from storyreel.project import Project
    from storyreel.script import read_story
    from storyreel.voice.casting import cast_board, voice_for
    from storyreel.voice.engines import load_voice

    script = read_story(story)
    cast_voices = Cast(Project.at(project, story).cast_dir).voices()
    engine = load_voice(engine_name)
    route = getattr(engine, "engine_for", None)
    langs: dict[str, list[str]] = {}
    for scene in script.scenes:
        for element in scene.elements:
            if isinstance(element, Dialogue):
                spoken = langs.setdefault(element.character, [])
                if element.lang not in spoken:
                    spoken.append(element.lang)
    # As the make casts them (the planned board: the world's genders, the lines' marks),
    # speakers in order of their first line, then the rest.
    order = [*langs, *(name for name in script.characters if name not in langs)]
    given = {
        name: cast_voices[subject_key(name)] for name in order if subject_key(name) in cast_voices
    }
    profiles = cast_board(plan(script), given)
    for name in order:
        if name not in profiles:
            character = script.characters.get(name, Character(name=name))
            profiles[name] = given.get(name) or voice_for(character)
    out: list[dict[str, Any]] = []
    for name in order:
        profile = profiles[name]
        voices: dict[str, str] = {}
        for lang in langs.get(name, []):
            speaker = route(lang) if callable(route) else engine
            voices[lang] = _voice_label(speaker, lang, profile)
        out.append(
            {
                "character": name,
                "gender": profile.gender,
                "variant": profile.variant,
                "pitch": profile.pitch,
                "rate": profile.rate,
                "from_cast": subject_key(name) in cast_voices,
                "voices": voices,
            }
        )
    return out


def _voice_label(engine: Any, lang: str, profile: Any) -> str:
    """How `engine` voices `lang` for this profile, e.g. "kokoro zf_xiaobei ×1.05"."""
    from storyreel.errors import VoiceError

    if lang not in engine.langs:
        return f"none ({engine.name} cannot speak {lang})"
    choose = getattr(engine, "choice", None)
    if not callable(choose):
        return f"{engine.name} {profile.variant} pitch {profile.pitch}"
    try:
        picked = choose(lang, profile)
    except VoiceError as error:
        return f"none ({error})"
    return f"{engine.name} {picked.label} ×{picked.speed:g}"


def _engines_table(engines: list[dict[str, Any]]) -> Table:
    table = Table("engine", "languages", "voices", title="voice engines", title_justify="left")
    for info in engines:
        if not info["installed"]:
            table.add_row(info["name"], "[red]not installed[/]", info["error"])
            continue
        rows = []
        for group, members in info["voices"].items():
            if isinstance(members, list):  # espeak-ng's variants, the same in every language
                rows.append(f"{group}: {', '.join(members)}")
                continue
            rows += [f"{group} {sex}: {', '.join(names)}" for sex, names in members.items()]
        table.add_row(info["name"], ", ".join(info["langs"]), "\n".join(rows))
        table.add_section()
    return table


def _characters_table(characters: list[dict[str, Any]], engine: str) -> Table:
    table = Table(
        "character", "gender", "voice by language", title=f"cast ({engine})", title_justify="left"
    )
    for row in characters:
        spoken = "\n".join(f"{lang}: {label}" for lang, label in row["voices"].items())
        table.add_row(row["character"], row["gender"], spoken or "[dim]no lines[/]")
    return table


def register(app: typer.Typer) -> None:
    app.command("voices")(voices_command)
