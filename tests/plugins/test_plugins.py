"""Plugin groups: a throwaway package registers one entry in each group through real
entry points; each is found and built by name with its options validated, the planner
is what `direct.plan` dispatches to, and `storyreel plugins` lists every group."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest
from tests.run.support import request
from typer.testing import CliRunner

from storyreel.api.schemas.plugins import GroupName
from storyreel.cli import app
from storyreel.config import MakeConfig
from storyreel.deliver import ExportRequest, load_exporter
from storyreel.direct import plan
from storyreel.direct.planner import PlannerError, load_planner
from storyreel.errors import EngineError, OutputError, VoiceError
from storyreel.make import make_film
from storyreel.plugins import GROUPS, describe, describe_options
from storyreel.qa import load_check
from storyreel.render.engine import Take, load_engine
from storyreel.script import parse_story
from storyreel.timeline import ShotTime, lay_out
from storyreel.voice import VoiceProfile
from storyreel.voice.engines import load_voice

from .support import extras_installed

STORY = """Title: The Kettle

INT. KITCHEN - DAY

MEI fills the kettle.

MEI
Tea?
"""


@pytest.fixture
def extras(tmp_path: Path) -> Iterator[None]:
    with extras_installed(tmp_path / "site"):
        yield


def test_a_third_party_voice_is_loaded_by_name_with_its_options(extras: None) -> None:
    voice = load_voice("hum", {"pitch": 440, "wave": "square"})
    assert voice.name == "hum"
    speech = voice.synthesize("Tea for two?", "en", VoiceProfile())
    assert speech.sample_rate == 16_000
    assert len(speech.samples) == int(16_000 * 0.15 * 3)
    # A square wave: every sample is at the full ±0.3 (or 0 where the sine crosses).
    assert {round(float(v), 3) for v in np.abs(speech.samples)} <= {0.0, 0.3}
    sine = load_voice("hum").synthesize("Tea?", "en", VoiceProfile())
    assert float(np.max(np.abs(sine.samples))) == pytest.approx(0.3, abs=1e-3)
    assert len({round(float(v), 3) for v in sine.samples}) > 10


def test_a_voices_options_are_validated(extras: None) -> None:
    with pytest.raises(VoiceError) as error:
        load_voice("hum", {"pitch": 5})
    message = str(error.value)
    assert "voice 'hum': bad option (pitch: Input should be greater than or equal to 50)" in message
    assert message.endswith("its options are: pitch, wave, log")
    with pytest.raises(VoiceError, match=r"wave: Input should be 'sine' or 'square'"):
        load_voice("hum", {"wave": "saw"})
    with pytest.raises(VoiceError, match=r"pich: Extra inputs are not permitted"):
        load_voice("hum", {"pich": 300})
    with pytest.raises(
        VoiceError, match=r"unknown voice 'humm'; installed voices: .*hum, .*openai"
    ):
        load_voice("humm")


def test_an_entry_without_its_method_is_refused(extras: None) -> None:
    with pytest.raises(VoiceError, match=r"voice 'mute' \(reel_extras:Mute\) does not implement "):
        load_voice("mute")


def test_plan_dispatches_to_a_third_party_planner(extras: None) -> None:
    script = parse_story(STORY)
    warnings: list[str] = []
    board = plan(
        script,
        planner="titled",
        planner_options={"prefix": "WIP: "},
        width=320,
        height=180,
        warnings=warnings,
    )
    assert board.title == "WIP: The Kettle"
    assert (board.width, board.height) == (320, 180)
    assert warnings == ["titled: a working title was added"]
    # The same board as the rules planner's, which it wraps: the request reached it.
    rules = plan(script, width=320, height=180)
    assert [s.id for s in board.shots] == [s.id for s in rules.shots]
    with pytest.raises(PlannerError, match=r"prefix: String should have at most 20 characters"):
        load_planner("titled", {"prefix": "x" * 21})
    with pytest.raises(PlannerError, match=r"installed planners: llm, rules, titled"):
        plan(script, planner="nonesuch")


def test_the_built_in_planners_are_entries_too() -> None:
    script = parse_story(STORY)
    assert plan(script, planner="rules") == plan(script)
    with pytest.raises(PlannerError, match=r"planner 'rules' takes no options; got url"):
        plan(script, planner="rules", planner_options={"url": "http://localhost"})
    with pytest.raises(PlannerError, match=r"'llm': bad option \(url: Field required"):
        plan(script, planner="llm")


def test_a_third_party_check_scores_a_take(extras: None, tmp_path: Path) -> None:
    req = request(tmp_path / "take.mp4")
    take = Take.made_for(req, "previs")
    assert take.frames == req.frame_count == 3
    assert load_check("length", {"min_frames": 3}).check(take, req).passed
    failed = load_check("length", {"min_frames": 4}).check(take, req)
    assert (failed.passed, failed.score, failed.check) == (False, 0.0, "length")
    with pytest.raises(EngineError, match=r"check 'length': bad option \(min_frames: Input"):
        load_check("length", {"min_frames": 0})


def test_a_third_party_exporter_writes_its_files(extras: None, tmp_path: Path) -> None:
    board = plan(parse_story(STORY))
    film = tmp_path / "film.mp4"
    shots, start = [], 0
    for shot in board.shots:
        shots.append(ShotTime(shot_id=shot.id, start=start, frames=24))
        start += 24
    timeline = lay_out(board, shots, [])
    written = load_exporter("shotlist").export(ExportRequest(film, board, timeline, tmp_path))
    assert written == [tmp_path / "film.shots.txt"]
    assert written[0].read_text().splitlines() == [s.id for s in board.shots]
    with pytest.raises(OutputError, match=r"exporter 'shotlist' takes no options; got to"):
        load_exporter("shotlist", {"to": "x"})
    # Registered, but its module is not installed: an error that says which entry.
    with pytest.raises(OutputError, match=r"'broken' \(reel_extras_missing:Nothing\) cannot be"):
        load_exporter("broken")


def test_a_third_party_engine_is_built_from_the_same_registry(extras: None) -> None:
    engine = load_engine("toy", {"strength": 9})
    assert engine.options.strength == 9  # type: ignore[attr-defined]
    with pytest.raises(
        EngineError,
        match=r"engine 'toy': bad option \(strength: Input should be less than or equal to 9\)",
    ):
        load_engine("toy", {"strength": 10})


def test_describe_lists_entries_with_their_schemas_and_survives_a_broken_one(
    extras: None,
) -> None:
    voices = {info.name: info for info in describe(GROUPS["voices"])}
    assert {"espeak", "openai", "hum", "mute"} <= set(voices)
    hum = voices["hum"]
    assert hum.target == "reel_extras:HumVoice"
    assert hum.summary == "Hums every line: a tone per word."
    pitch = hum.schema["properties"]["pitch"]
    assert (pitch["minimum"], pitch["maximum"], pitch["default"]) == (50, 1000, 220.0)
    assert voices["espeak"].schema["properties"] == {}
    assert voices["openai"].schema["required"] == ["url"]
    exporters = {info.name: info for info in describe(GROUPS["exporters"])}
    assert exporters["broken"].error is not None
    assert "reel_extras_missing" in exporters["broken"].error
    assert exporters["shotlist"].error is None


def test_options_read_as_rows_with_types_defaults_and_limits() -> None:
    schema = {
        "properties": {
            "steps": {
                "anyOf": [{"type": "integer", "minimum": 1, "maximum": 200}, {"type": "null"}],
                "default": None,
            },
            "mode": {"$ref": "#/$defs/Mode", "default": "std"},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "default": 60.0},
            "url": {"type": "string", "minLength": 1},
            "keys": {"type": "array", "items": {"type": "string"}, "default": []},
        },
        "required": ["url"],
        "$defs": {"Mode": {"enum": ["std", "pro"], "type": "string"}},
    }
    rows = {row.name: row for row in describe_options(schema)}
    assert (rows["steps"].type, rows["steps"].limits) == ("integer", "1 ≤ x ≤ 200")
    assert (rows["mode"].type, rows["mode"].limits) == ("string", "one of: std, pro")
    assert rows["mode"].default == "std"
    assert rows["timeout"].limits == "x > 0"
    assert (rows["url"].required, rows["url"].limits) == (True, "length ≥ 1")
    assert rows["keys"].type == "list of string"
    assert not rows["steps"].required


def test_the_api_and_the_registry_name_the_same_groups() -> None:
    assert list(get_args(GroupName)) == list(GROUPS)


def _cli(*args: str) -> Any:
    result = CliRunner().invoke(app, ["plugins", *args])
    assert result.exit_code == 0, result.output
    return result


def test_storyreel_plugins_lists_every_group_and_the_third_party_entries(extras: None) -> None:
    table = _cli().output
    for group in GROUPS.values():
        assert group in table
    for entry in ("previs", "espeak", "openai", "rules", "llm", "hum", "titled", "length"):
        assert entry in table
    assert "shotlist" in table and "cannot load" in table  # the broken entry, listed

    data = json.loads(_cli("--json").output)
    assert list(data) == list(GROUPS)
    hum = next(e for e in data["voices"] if e["name"] == "hum")
    rows = {row["name"]: row for row in hum["options"]}
    assert rows["pitch"] == {
        "name": "pitch",
        "type": "number",
        "default": 220.0,
        "required": False,
        "limits": "50 ≤ x ≤ 1000",
        "description": "",
    }
    assert rows["wave"]["limits"] == "one of: sine, square"
    assert hum["schema"]["properties"]["wave"]["enum"] == ["sine", "square"]
    only = json.loads(_cli("checks", "--json").output)
    built_in = ["conformance", "coverage", "flicker", "identity", "lipsync", "motion", "temporal"]
    assert list(only) == ["checks"] and [e["name"] for e in only["checks"]] == sorted(
        [*built_in, "length"]
    )


def test_storyreel_plugins_refuses_an_unknown_group() -> None:
    result = CliRunner().invoke(app, ["plugins", "filters"])
    assert result.exit_code == 2
    assert "no plugin group 'filters'" in result.output


def test_listing_plugins_imports_no_model_library() -> None:
    """The generative engines import torch and diffusers only when they render."""
    code = (
        "import sys\n"
        "from storyreel.cli_plugins import plugins_command\n"
        "plugins_command(None, as_json=True)\n"
        "heavy = [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules]\n"
        "print('heavy:', heavy, file=sys.stderr)\n"
        "sys.exit(1 if heavy else 0)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert '"cogvideox"' in done.stdout and '"espeak"' in done.stdout


def test_the_command_line_plans_with_a_third_party_planner(extras: None, tmp_path: Path) -> None:
    story = tmp_path / "kettle.fountain"
    story.write_text(STORY, encoding="utf-8")
    board = tmp_path / "board.yaml"
    result = CliRunner().invoke(app, ["board", str(story), "--planner", "titled", "-o", str(board)])
    assert result.exit_code == 0, result.output
    assert "Draft: The Kettle" in result.output
    assert "titled: a working title was added" in result.output


def test_the_command_lines_voice_options_are_checked_before_any_work(tmp_path: Path) -> None:
    story = tmp_path / "kettle.fountain"
    story.write_text(STORY, encoding="utf-8")
    out = tmp_path / "film.mp4"

    def make(*args: str) -> Any:
        return CliRunner().invoke(app, ["make", str(story), "-o", str(out), *args])

    unknown = make("--voice-engine", "festival")
    assert isinstance(unknown.exception, VoiceError)
    assert "unknown voice 'festival'; installed voices: auto, espeak, kokoro, openai" in str(
        unknown.exception
    )
    stray = make("--voice-engine", "espeak", "--voice-model", "kokoro")  # espeak has no model
    assert isinstance(stray.exception, VoiceError)
    assert "voice 'espeak' takes no options; got model" in str(stray.exception)
    no_url = make("--voice-engine", "openai")
    assert no_url.exit_code == 2 and "--voice-url" in no_url.output
    bad_url = make("--voice-engine", "openai", "--voice-url", "ftp://example.org/v1")
    assert isinstance(bad_url.exception, VoiceError)
    assert "(url: Value error, the speech server URL must start with http" in str(bad_url.exception)
    assert not out.exists() and not (tmp_path / ".storyreel").exists()


def test_the_makes_hooks_run_the_configured_checks_and_exporters(
    extras: None, tmp_path: Path
) -> None:
    """After render, every configured check scores each rendered take (a failure is a
    warning); after the cut, every configured exporter writes beside the film."""
    story = tmp_path / "kettle.fountain"
    story.write_text(STORY, encoding="utf-8")
    config = MakeConfig(
        width=160,
        height=96,
        workers=1,
        checks={"conformance": {}, "length": {"min_frames": 10_000}},
        exporters={"subtitles": {}, "shotlist": {}},
    )
    film = make_film(story, tmp_path / "kettle.mp4", config)
    shots = [shot.id for shot in film.storyboard.shots]
    assert sorted(film.checks) == sorted(shots)
    for results in film.checks.values():
        assert [(r.check, r.passed) for r in results] == [("conformance", True), ("length", False)]
    assert sum("fails length" in w for w in film.warnings) == len(shots)
    assert film.exports["shotlist"] == [tmp_path / "kettle.shots.txt"]
    assert film.exports["shotlist"][0].read_text().splitlines() == shots
    assert [p.suffix for p in film.subtitle_files] == [".srt", ".vtt", ".ass"]

    again = make_film(story, tmp_path / "kettle.mp4", config)  # every take cached
    assert again.checks == {} and not any("fails" in w for w in again.warnings)
