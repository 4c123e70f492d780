"""The world of each scene in the storyboard: what a reader of the story expects to see
(people, places, props, weather), staged by the rules planner, edited by the user, and
carried to the engines (prompts and render requests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyreel.direct import plan, plan_board
from storyreel.direct.board_file import (
    StoryboardError,
    dump,
    load,
    read_document,
    write_document,
)
from storyreel.direct.edits import merge
from storyreel.direct.prompts import compose
from storyreel.direct.staging import target_seconds
from storyreel.model import (
    Centered,
    Dialogue,
    Scene,
    SceneWeather,
    Script,
    ShotSize,
    ShotThing,
    Storyboard,
    TransitionKind,
)
from storyreel.render.engine import RenderRequest
from storyreel.script import parse_story, read_story

STORIES = Path(__file__).resolve().parents[3] / "shared" / "stories"
LADDER = [
    ShotSize.wide,
    ShotSize.full,
    ShotSize.medium,
    ShotSize.medium_close_up,
    ShotSize.close_up,
]


def story(name: str) -> Storyboard:
    return plan(read_story(STORIES / name))


def kinds(board: Storyboard) -> set[str]:
    return {t.kind for shot in board.shots for t in shot.things}


# --- the four stories and a one-line prompt ---------------------------------------------


def test_anime_battle_shows_two_swordsmen_in_a_moonlit_bamboo_forest() -> None:
    board = story("anime_battle.txt")
    (scene,) = board.scenes
    assert scene.setting.kind == "bamboo_forest" and scene.setting.time == "night"
    assert {w.kind for w in scene.weather} >= {"moon_stars", "wind_leaves"}  # leaves
    fighters = {"白发剑士", "黑甲武士"}
    assert {p.name for p in scene.people} == fighters
    duel = next(s for s in board.shots if set(s.subjects) == fighters and s.things)
    assert duel.actions == {"白发剑士": "fight", "黑甲武士": "fight"}  # both of them
    assert fighters <= set(board.characters)  # cast like any character
    # Coverage: each fighter alone, an insert of the sword with no one in it.
    assert {tuple(s.subjects) for s in board.shots} >= {("白发剑士",), ("黑甲武士",)}
    insert = board.shots[-1]  # the closest shot: the blade that decides it
    assert insert.focus == "sword"
    assert insert.subjects == [] and [t.kind for t in insert.things] == ["sword"]
    assert list(dict.fromkeys(s.size for s in board.shots)) == LADDER
    assert all(s.duration <= 2.0 for s in board.shots)
    assert all(s.actions.get(n) in ("fight", "stand") for s in board.shots for n in s.subjects)


def test_night_market_closes_on_the_lantern_and_fades_out() -> None:
    board = story("night_market.fountain")
    market, flat = board.scenes
    assert market.setting.kind == "night_market" and market.crowd
    assert flat.setting.kind == "living_room" and flat.setting.interior == "int"
    close = next(s for s in board.shots if s.action.startswith("CLOSE ON the lantern"))
    assert close.focus == "lantern" and close.subjects == []
    assert [t.kind for t in close.things] == ["lantern"]
    assert close.size in (ShotSize.close_up, ShotSize.extreme_close_up)
    assert {"lantern", "map", "table", "noodle_cart"} <= kinds(board)
    mei_map = next(t for s in board.shots for t in s.things if t.kind == "map")
    assert mei_map.holder == "MEI"
    assert board.shots[-1].transition == TransitionKind.fade
    assert "crowd" in board.shots[0].prompt.en and "人群" in board.shots[0].prompt.zh


def test_the_ad_shows_the_woman_the_cup_and_the_tin_and_keeps_the_voice_off_screen() -> None:
    board = story("ad_brief.md")
    (scene,) = board.scenes
    (woman,) = scene.people
    assert woman.gender == "female"
    assert woman.name in {n for s in board.shots for n in s.subjects}
    assert {"cup", "tin"} <= kinds(board)
    voiced = next(s for s in board.shots if s.lines)
    assert voiced.lines[0].character == "VOICEOVER"
    assert "VOICEOVER" not in voiced.subjects and woman.name in voiced.subjects
    assert "VOICEOVER" not in {n for s in board.shots for n in s.subjects}
    # "15 second ad": the film is 15 s give or take a tenth.
    assert board.duration == pytest.approx(15.0, rel=0.1)
    # "Text on screen: ..." is a title card, not a picture of the balcony.
    assert board.shots[-1].card == "Mountain Spring Tea" and board.shots[-1].subjects == []


def test_the_travellers_ride_a_train() -> None:
    board = story("dialogue_multilang.fountain")
    assert board.scenes[0].setting.kind == "train_carriage"
    assert "train" in board.shots[0].prompt.en.lower() and "车厢" in board.shots[0].prompt.zh


def test_a_one_line_prompt_is_a_fisherman_at_sea_in_a_storm() -> None:
    board = plan(parse_story("一个渔夫在暴风雨中驾船回港"))
    (scene,) = board.scenes
    assert scene.setting.kind in ("boat_deck", "harbour", "sea")
    assert {w.kind for w in scene.weather} & {"storm_lightning", "rain"}
    assert any("渔夫" in s.subjects for s in board.shots)
    prompt = board.shots[0].prompt
    assert "storm" in prompt.en and "boat deck" in prompt.en
    assert "渔夫 (a fisherman)" in prompt.en  # said in English for an English engine
    assert "渔夫" in prompt.zh and "雷" in prompt.zh


# --- grammar ----------------------------------------------------------------------------


def scene_of(*elements: object, location: str = "KITCHEN") -> Script:
    scene = Scene(heading=f"INT. {location} - DAY", location=location, line=1)
    return Script(
        scenes=[scene.model_copy(update={"elements": list(elements)})],
        characters={},
    )


def test_an_off_screen_line_shows_the_listener_and_a_voice_over_the_scene() -> None:
    script = parse_story(
        "INT. KITCHEN - DAY\n\nANNA stands by the stove. TOM sits at the table.\n\n"
        "TOM (O.S.)\nIs it ready?\n\nANNA\nAlmost.\n\nNARRATOR (V.O.)\nShe had lied.\n"
    )
    board = plan(script)
    asked = next(s for s in board.shots if s.lines and s.lines[0].character == "TOM")
    assert asked.subjects == ["ANNA"]  # the one who hears it
    told = next(s for s in board.shots if s.lines and s.lines[0].character == "NARRATOR")
    assert "NARRATOR" not in told.subjects
    assert all("NARRATOR" not in s.subjects for s in board.shots)
    assert "says:" not in told.prompt.en and "She had lied" not in told.prompt.en


def test_centred_text_is_a_title_card_and_transitions_are_kept() -> None:
    script = parse_story(
        "INT. KITCHEN - DAY\n\nANNA waits by the window.\n\nDISSOLVE TO:\n\n"
        "EXT. GARDEN - DAY\n\nANNA waters the roses.\n\nCUT TO BLACK.\n\n> THE END <\n"
    )
    board = plan(script)
    assert any(isinstance(e, Centered) for s in script.scenes for e in s.elements)
    card = board.shots[-1]
    assert card.card == "THE END" and card.subjects == [] and not card.things
    assert "THE END" in card.prompt.en and "Title card" in card.prompt.en
    waits = next(s for s in board.shots if "waits" in s.action)
    assert waits.transition == TransitionKind.dissolve
    assert board.shots[-2].transition == TransitionKind.fade  # CUT TO BLACK


def test_a_threat_is_shot_from_below_and_loneliness_from_above() -> None:
    script = parse_story(
        "EXT. FIELD - DAY\n\nTOM looms over the village.\n\n"
        "INT. ROOM - NIGHT\n\nMEI sits alone in the dark.\n"
    )
    board = plan(script)
    looming = next(s for s in board.shots if "looms" in s.action)
    lonely = next(s for s in board.shots if "alone" in s.action)
    assert looming.angle.value == "low" and lonely.angle.value == "high"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Title: Tea\nDuration: 0:30\n\nINT. KITCHEN - DAY\n\nANNA pours tea.\n", 30.0),
        ("Title: Tea\nDuration: 20s\n\nINT. KITCHEN - DAY\n\nANNA pours tea.\n", 20.0),
        ("一支30秒的广告。一个女孩在厨房里泡茶。", 30.0),
        ("# A 15-second spot\n\nA man drinks coffee in a café.", 15.0),
    ],
)
def test_a_target_length_is_met_within_a_tenth(text: str, seconds: float) -> None:
    script = parse_story(text)
    assert target_seconds(script) == seconds
    assert plan(script).duration == pytest.approx(seconds, rel=0.1)


def test_a_story_without_a_target_length_is_not_fitted() -> None:
    script = parse_story("INT. KITCHEN - DAY\n\nANNA waits five seconds by the door.\n")
    assert target_seconds(script) is None


# --- prompts ----------------------------------------------------------------------------


def test_prompts_say_the_place_the_people_the_props_the_action_and_the_weather() -> None:
    board = story("night_market.fountain")
    walking = next(s for s in board.shots if s.actions.get("MEI") == "walk")
    en, zh = walking.prompt.en, walking.prompt.zh
    assert "MEI (20s, red raincoat, short black hair)" in en and "MEI（20s" in zh
    assert "MEI walks" in en and "MEI走" in zh
    assert "map in MEI's hand" in en and "MEI手中的地图" in zh
    assert "night market" in en and "夜市" in zh and "night" in en and "夜晚" in zh
    assert "steam" in en.lower() and "蒸汽" in zh
    assert "weaves through the crowd" not in en  # the script's words stay out
    for shot in board.shots:
        assert "says:" not in shot.prompt.en and "说：" not in shot.prompt.zh


def test_the_cast_description_wins_in_the_prompt_of_an_unnamed_person() -> None:
    board = story("anime_battle.txt")
    shot = next(s for s in board.shots if s.subjects == ["白发剑士"])
    characters = dict(board.characters)
    characters["白发剑士"] = characters["白发剑士"].model_copy(
        update={"description": "white hair, blue robe"}
    )
    prompt, _ = compose(shot, characters, board.style, board.scene_info(shot.scene))
    assert "白发剑士 (white hair, blue robe)" in prompt.en
    assert "bamboo forest" in prompt.en and "竹林" in prompt.zh


# --- the file: edits, validation, re-plan ----------------------------------------------


def test_the_world_round_trips_through_the_file_and_a_typo_names_the_allowed_kinds() -> None:
    board = story("night_market.fountain")
    assert load(dump(board)) == board
    text = dump(board).replace("kind: night_market", "kind: nite_market", 1)
    with pytest.raises(StoryboardError) as error:
        load(text)
    message = str(error.value)
    assert "scenes[0].setting.kind" in message and "'nite_market'" in message
    assert "night_market" in message and "bamboo_forest" in message
    text = dump(board).replace("kind: noodle_cart", "kind: noodle_kart", 1)
    with pytest.raises(StoryboardError, match=r"things\[\d\]\.kind: 'noodle_kart'.*lantern"):
        load(text)
    text = dump(board).replace("MEI: walk", "MEI: moonwalk", 1)
    with pytest.raises(StoryboardError, match=r"'moonwalk' is not a action.*walk"):
        load(text)


def test_edits_to_the_world_are_kept_on_a_replan() -> None:
    planned = story("night_market.fountain")
    market = planned.scenes[0]
    edited_scene = market.model_copy(
        update={"setting": market.setting.model_copy(update={"kind": "street"})}
    )
    shots = list(planned.shots)
    shots[2] = shots[2].model_copy(
        update={"things": [ShotThing(kind="umbrella", name="umbrella", holder="MEI")]}
    )
    user = planned.model_copy(update={"scenes": [edited_scene, planned.scenes[1]], "shots": shots})
    # The story changed its second scene's weather: the fresh plan says so.
    flat = planned.scenes[1]
    fresh = planned.model_copy(
        update={
            "scenes": [
                market,
                flat.model_copy(update={"weather": [SceneWeather(kind="rain", intensity=0.8)]}),
            ]
        }
    )
    merged = merge(user, planned, fresh).board
    assert merged.scenes[0].setting.kind == "street"  # the user's
    assert [w.kind for w in merged.scenes[1].weather] == ["rain"]  # the story's
    assert merged.shots[2].things[0].kind == "umbrella"
    assert "street" in merged.shots[2].prompt.en  # recomposed in the edited world


# --- to the engines ---------------------------------------------------------------------


def test_a_render_request_carries_the_scenes_world(tmp_path: Path) -> None:
    board = story("night_market.fountain")
    sits = next(s for s in board.shots if s.actions.get("OLD SELLER") == "sit")
    request = RenderRequest.for_shot(board, sits, tmp_path / "x.mp4")
    assert request.set_kind == "night_market"
    assert request.weather == (("steam", 0.5),)
    assert ("table", None) in request.things
    assert request.poses == {"OLD SELLER": "sit"}
    walking = next(s for s in board.shots if s.actions.get("MEI") == "walk")
    assert ("map", "MEI") in RenderRequest.for_shot(board, walking, tmp_path / "y.mp4").things
    # What a caller gives wins.
    given = RenderRequest.for_shot(board, sits, tmp_path / "z.mp4", set_kind="street")
    assert given.set_kind == "street"


def test_a_dialogue_scene_keeps_its_speakers_as_subjects() -> None:
    script = scene_of(
        Dialogue(character="ANNA", text="Hello.", lang="en", line=2),
        Dialogue(character="TOM", text="Hi.", lang="en", line=3),
    )
    board = plan(script)
    assert [s.subjects[0] for s in board.shots if s.lines] == ["ANNA", "TOM"]


def test_a_projects_own_words_read_its_world(tmp_path: Path) -> None:
    project = tmp_path / "tea.storyreel"
    (project / "vocab").mkdir(parents=True)
    (project / "vocab" / "my-film.yaml").write_text(
        "settings:\n  tea_house: {interior: int, crowd: false, en: [tea house], zh: [茶室]}\n"
        "props:\n  paper_crane: {family: toy, size: 0.1, held: true, en: [paper crane]}\n",
        encoding="utf-8",
    )
    story = tmp_path / "tea.fountain"
    story.write_text(
        "INT. TEA HOUSE - DAY\n\nANNA folds a paper crane.\n\nANNA\nFor you.\n", encoding="utf-8"
    )
    board_path = project / "storyboard.yaml"
    document = plan_board(story, read_story(story), board_path)
    assert document.board.scenes[0].setting.kind == "tea_house"
    assert "paper_crane" in kinds(document.board)
    write_document(board_path, document)
    assert read_document(board_path).board == document.board  # its kinds validate there
    # Elsewhere, the bundled words alone do not know them.
    with pytest.raises(StoryboardError, match="tea_house"):
        load(board_path.read_text(encoding="utf-8"))
