"""Scene understanding: people, place, props, actions and weather read from zh and en
scripts, the shared example stories included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from storyreel.direct import plan
from storyreel.script import parse_story, read_story, segment
from storyreel.script.lexicon import plurals, verb_forms
from storyreel.script.segment import segmenter
from storyreel.script.world import extract_world
from storyreel.vocab import load_vocabulary
from storyreel.world import Person, SceneWorld


def world(text: str) -> SceneWorld:
    (scene,) = extract_world(parse_story(text))
    return scene


def person(scene: SceneWorld, name: str) -> Person:
    found = [p for p in scene.people if p.name == name]
    assert found, f"{name!r} not among {[p.name for p in scene.people]}"
    return found[0]


def holders(scene: SceneWorld) -> dict[str, str | None]:
    return {t.kind: t.holder for t in scene.things}


def actions(scene: SceneWorld) -> list[tuple[str | None, str, str | None]]:
    return [(a.person, a.kind, a.target) for b in scene.beats for a in b.actions]


# --- unnamed people, pronouns, who holds what ---------------------------------------------


def test_unnamed_swordsman_with_sword_in_bamboo_forest() -> None:
    scene = world("一个白发剑士站在竹林里。他拔出了剑。")
    assert scene.place.kind == "bamboo_forest"
    assert scene.place.interior == "ext"
    (swordsman,) = scene.people
    assert swordsman.name == "白发剑士"
    assert swordsman.gender == "male"
    assert swordsman.named is False
    assert swordsman.colours.hair == "white"
    assert holders(scene) == {"sword": "白发剑士"}
    assert ("白发剑士", "stand", None) in actions(scene)
    assert ("白发剑士", "hold", "剑") in actions(scene)


def test_young_woman_on_the_platform_holds_a_ticket() -> None:
    scene = world("A young woman waits on the platform. She holds a ticket.")
    assert scene.place.kind == "station"
    (woman,) = scene.people
    assert (woman.name, woman.gender, woman.age) == ("the young woman", "female", "young")
    assert holders(scene) == {"ticket": "the young woman"}
    assert scene.crowd  # a station is full of people


def test_gender_from_the_pronoun_when_nothing_else_says_it() -> None:
    # A conductor and a stranger are neither; the next sentence's pronoun tells.
    scene = world("A conductor checks the tickets. She smiles at the passengers.")
    assert person(scene, "the conductor").gender == "female"
    scene = world("A conductor checks the tickets. He yawns.")
    assert person(scene, "the conductor").gender == "male"
    scene = world("一个陌生人走进寺庙。她坐了下来。")
    assert person(scene, "陌生人").gender == "female"
    assert scene.place.kind == "temple"
    scene = world("一个陌生人走进寺庙。他坐了下来。")
    assert person(scene, "陌生人").gender == "male"


def test_pronoun_goes_to_the_person_of_its_gender() -> None:
    scene = world("An old fisherman mends a net. A girl watches him. She laughs.")
    fisherman = person(scene, "the old fisherman")
    assert (fisherman.gender, fisherman.age) == ("male", "old")
    assert person(scene, "the girl").gender == "female"
    assert ("the girl", "laugh", None) in actions(scene)
    assert ("the girl", "look", "the old fisherman") in actions(scene)


def test_they_and_liang_ren_are_both_of_them() -> None:
    # "They fight": the two people just mentioned each fight; a crowd is not one of them.
    scene = world("A swordsman walks in. A woman in white waits. They fight.")
    assert ("the swordsman", "fight", None) in actions(scene)
    assert ("the woman", "fight", None) in actions(scene)
    scene = world("白发剑士走进竹林，一个少女在等他。两人交手。")
    fighters = {a[0] for a in actions(scene) if a[1] == "fight"}
    assert fighters == {"白发剑士", "少女"}


def test_a_later_mention_is_the_same_person_in_every_scene() -> None:
    script = parse_story(
        "EXT. HARBOUR - DAWN\n\nAn old fisherman hauls a net onto the pier.\n\n"
        "INT. KITCHEN - NIGHT\n\nThe fisherman drinks tea. 老和尚拿着一把伞。\n"
    )
    first, second = extract_world(script)
    assert [p.name for p in first.people] == ["the old fisherman"]
    assert "the old fisherman" in [p.name for p in second.people]
    assert ("the old fisherman", "drink", "tea") in actions(second)
    monk = person(second, "老和尚")
    assert (monk.gender, monk.age) == ("male", "old")
    assert holders(second)["umbrella"] == "老和尚"


def test_group_of_people_is_drawn_as_extras() -> None:
    scene = world("Three soldiers march across the bridge.")
    (soldiers,) = scene.people
    assert soldiers.extra and soldiers.name == "the soldiers"
    assert scene.crowd
    assert scene.place.kind == "bridge"


# --- named characters: descriptions, titles, given names ---------------------------------


def test_named_characters_gender_age_build_colours() -> None:
    script = parse_story(
        "INT. OFFICE - DAY\n\n"
        "MRS CHEN (60s, heavy, blue dress) pours tea. JAMES (a tall man in a grey suit) waits.\n"
        "WING (30s) reads a letter. She frowns.\n\n"
        "LI WEI\nGood morning.\n\n"
        "王先生\n早上好。\n"
    )
    (scene,) = extract_world(script)
    chen = person(scene, "MRS CHEN")
    assert (chen.gender, chen.age, chen.build, chen.colours.clothing) == (
        "female",
        "old",
        "heavy",
        ("blue",),
    )
    james = person(scene, "JAMES")
    assert (james.gender, james.build, james.colours.clothing) == ("male", "tall", ("grey",))
    assert person(scene, "WING").gender == "female"  # only the pronoun says so
    assert person(scene, "WING").age == "adult"
    assert person(scene, "LI WEI").gender == "male"  # a common given name
    assert person(scene, "王先生").gender == "male"  # a title
    assert holders(scene)["letter"] == "WING"


def test_short_hair_is_not_a_short_person() -> None:
    script = parse_story("EXT. PARK - DAY\n\nMEI (20s, red raincoat, short black hair) runs.\n")
    (scene,) = extract_world(script)
    mei = person(scene, "MEI")
    assert (mei.gender, mei.age, mei.build) == ("female", "young", None)
    assert (mei.colours.hair, mei.colours.clothing) == ("black", ("red",))


def test_voice_over_is_never_a_person_and_off_screen_speaker_is_not_seen() -> None:
    script = parse_story(
        "INT. BEDROOM - NIGHT\n\nANNA sits on the bed.\n\n"
        "NARRATOR (V.O.)\nShe had waited all year.\n\n"
        "TOM (O.S.)\nAnna? Are you there?\n\n"
        "ANNA\nCome in.\n"
    )
    (scene,) = extract_world(script)
    assert [p.name for p in scene.people] == ["ANNA", "TOM"]
    narrator, tom, anna = scene.beats[1:]
    assert narrator.people == () and narrator.actions == ()
    assert tom.people == () and tom.actions[0].person == "TOM"
    assert anna.people == ("ANNA",) and anna.focus == "ANNA"


# --- place, time, weather, crowd, actions, focus ------------------------------------------


def test_heading_names_the_setting_not_only_int_or_ext() -> None:
    (scene,) = extract_world(parse_story("INT. TRAIN CARRIAGE - NIGHT\n\nTOM sleeps.\n"))
    assert (scene.place.kind, scene.place.interior, scene.place.time) == (
        "train_carriage",
        "int",
        "night",
    )
    (scene,) = extract_world(parse_story("外景. 竹林 - 日\n\n风吹过。\n"))
    assert (scene.place.kind, scene.place.interior, scene.place.time) == (
        "bamboo_forest",
        "ext",
        "day",
    )
    assert [w.kind for w in scene.weather] == ["wind_leaves"]


def test_time_and_weather_from_prose() -> None:
    scene = world("黄昏时分，暴雨落在湖边，一只猫躲在船下。")
    assert scene.place.kind == "lake"
    assert scene.place.time == "dusk"
    intensity = {w.kind: w.intensity for w in scene.weather}
    assert intensity["rain"] > 0.8
    assert "sunset" in intensity
    assert "cat" in holders(scene) and "boat" in holders(scene)
    scene = world("A fine drizzle falls on the village at dawn while fog rolls in.")
    intensity = {w.kind: w.intensity for w in scene.weather}
    assert intensity["rain"] < 0.4
    assert "fog" in intensity
    assert (scene.place.kind, scene.place.time) == ("village", "dawn")


def test_weather_that_has_stopped_is_not_falling() -> None:
    assert [w.kind for w in world("Rain has just stopped. A dog shakes itself.").weather] == []
    assert [w.kind for w in world("雨刚停。一只狗抖了抖身子。").weather] == []


def test_actions_in_both_languages() -> None:
    scene = world(
        "The boy runs to the door and falls. He kneels, then jumps up and points at a kite."
    )
    kinds = [kind for _, kind, _ in actions(scene)]
    assert kinds == ["run", "fall", "kneel", "jump", "point"]
    assert ("the boy", "point", "kite") in actions(scene)
    scene = world("小女孩抱着一只小狗，哭了。她的母亲拥抱她，然后吃了一个苹果。")
    kinds = [kind for _, kind, _ in actions(scene)]
    assert kinds[:2] == ["hold", "cry"]
    assert {"hug", "eat"} <= set(kinds)
    assert holders(scene)["dog"] is None  # not an animal carried in hand by the vocabulary


def test_a_prop_word_used_as_a_verb_is_not_a_prop() -> None:
    scene = world("A bell rings. He bows. The camera slowly pans left. She rings the gong.")
    kinds = [t.kind for t in scene.things]
    assert "bell" in kinds and "drum" in kinds  # the gong is a drum: struck, it sounds
    assert "ring" not in kinds and "bow" not in kinds and "pot" not in kinds
    scene = world("Her rings glitter. Two bows lie on the table.")
    assert {"ring", "bow", "table"} <= {t.kind for t in scene.things}


def test_a_later_action_replaces_a_pose_in_the_shot() -> None:
    board = plan(
        parse_story(
            "EXT. TEMPLE COURTYARD - DAY\n\n"
            "MEI and TOM stand in the courtyard. She leaps; he falls.\n"
        )
    )
    shown = [shot.actions for shot in board.shots if "leaps" in shot.action]
    assert shown[0] == {"MEI": "jump", "TOM": "fall"}
    assert "fall" in [a for actions in shown for a in actions.values()]


def test_close_up_frames_the_prop() -> None:
    script = parse_story(
        "INT. KITCHEN - DAY\n\nANNA (30s) sets a cup on the table.\n\n"
        "CLOSE ON the cup: steam rises.\n"
    )
    (scene,) = extract_world(script)
    assert scene.beats[0].focus == "ANNA"
    assert scene.beats[1].focus == "cup"
    assert "steam" in [w.kind for w in scene.weather]
    scene = world("小梅端着茶杯。\n\n特写：茶杯里的茶冒着热气。")
    assert scene.beats[-1].focus == "茶杯"


def test_a_place_that_implies_a_crowd() -> None:
    assert world("A man buys fish at the market.").crowd
    assert not world("A man sits alone in the kitchen.").crowd
    assert world("人群涌过广场。").crowd


# --- the shared example stories -----------------------------------------------------------


def test_anime_battle(stories: Path) -> None:
    (scene,) = extract_world(read_story(stories / "anime_battle.txt"))
    assert [(p.name, p.gender) for p in scene.people] == [
        ("白发剑士", "male"),
        ("黑甲武士", "male"),
    ]
    assert scene.place.kind == "bamboo_forest"
    assert scene.place.time == "night"
    assert {"moon_stars", "wind_leaves"} <= {w.kind for w in scene.weather}
    assert holders(scene) == {"sword": "白发剑士"}
    assert "fight" in [kind for _, kind, _ in actions(scene)]


def test_night_market(stories: Path) -> None:
    market, apartment = extract_world(read_story(stories / "night_market.fountain"))
    assert (market.place.kind, market.place.time) == ("night_market", "night")
    assert [p.name for p in market.people] == ["MEI", "OLD SELLER"]
    mei, seller = market.people
    assert (mei.gender, mei.age) == ("female", "young")
    assert (seller.gender, seller.age) == ("male", "old")
    assert {"lantern", "map", "table", "noodle_cart"} <= set(holders(market))
    assert holders(market)["map"] == "MEI"
    assert market.crowd
    assert [w.kind for w in market.weather] == ["steam"]  # the rain has stopped
    close_on = next(b for b in market.beats if b.element == 6)  # CLOSE ON the lantern
    assert (close_on.people, close_on.things) == ((), ("paper lanterns",))
    assert close_on.focus == "paper lanterns"
    assert apartment.place.kind == "living_room"
    assert [p.name for p in apartment.people] == ["MEI"]
    assert ("MEI", "hang", "lantern") in actions(apartment)


def test_night_market_in_chinese(stories: Path) -> None:
    market, apartment = extract_world(read_story(stories / "灯笼.fountain"))
    assert market.place.kind == "night_market"
    assert [p.name for p in market.people] == ["小梅", "卖灯老人"]
    assert [p.gender for p in market.people] == ["female", "male"]
    assert {"lantern", "map", "table", "noodle_cart"} <= set(holders(market))
    assert holders(market)["map"] == "小梅"
    assert market.beats[-2].focus == "纸灯笼"  # 特写：灯笼
    assert apartment.place.kind == "living_room"


def test_ad_brief(stories: Path) -> None:
    (scene,) = extract_world(read_story(stories / "ad_brief.md"))
    (woman,) = scene.people  # the VOICEOVER is heard, never seen
    assert (woman.name, woman.gender) == ("the young woman", "female")
    assert {"cup", "tin"} <= set(holders(scene))
    assert holders(scene)["tin"] == "the young woman"
    assert (scene.place.kind, scene.place.time) == ("balcony", "day")
    assert "steam" in [w.kind for w in scene.weather]
    assert scene.beats[4].focus == "tin"  # Product close-up: the tin


def test_dialogue_multilang(stories: Path) -> None:
    (scene,) = extract_world(read_story(stories / "dialogue_multilang.fountain"))
    assert (scene.place.kind, scene.place.interior) == ("train_carriage", "int")
    names = ["ANNA", "KENJI", "MINJI", "WING", "LI WEI", "TOM"]
    assert [p.name for p in scene.people] == names  # the five travellers are they
    genders = [p.gender for p in scene.people]
    assert genders == ["female", "male", "female", None, "male", "male"]
    assert scene.beats[0].people == tuple(names)
    assert "table" in holders(scene)


# --- vocabulary in use ----------------------------------------------------------------------


def test_a_users_prop_is_recognised(tmp_path: Path) -> None:
    vocab = tmp_path / "props.yaml"
    vocab.write_text(
        "paper_crane: {family: toy, size: 0.1, held: true, en: [paper crane], zh: [纸鹤]}\n",
        encoding="utf-8",
    )
    vocabulary = load_vocabulary([vocab])
    script = parse_story("A girl holds up two paper cranes. 她把纸鹤放在窗台上。")
    (scene,) = extract_world(script, vocabulary)
    assert holders(scene)["paper_crane"] == "the girl"
    assert [t.name for t in scene.things if t.kind == "paper_crane"] == ["paper cranes"]
    assert ("the girl", "hang", "窗台") in actions(scene)  # 放在: puts it on the sill
    (zh,) = extract_world(parse_story("她把纸鹤放在窗台上。"), vocabulary)
    assert [t.kind for t in zh.things] == ["paper_crane", "window"]
    (bundled,) = extract_world(script)
    assert "paper_crane" not in holders(bundled)


def test_english_forms() -> None:
    assert plurals("paper lantern") == ("paper lanterns",)
    assert plurals("fisherman") == ("fishermen",)
    assert plurals("box") == ("boxes",)
    assert plurals("knife") == ("knifes", "knives")
    assert set(verb_forms("hug")) == {"hug", "hugs", "hugged", "hugging"}
    assert set(verb_forms("look at")) == {"look at", "looks at", "looked at", "looking at"}
    assert set(verb_forms("cry")) == {"cry", "cries", "cried", "crying"}
    assert "lying" in verb_forms("lie")
    assert "smiling" in verb_forms("smile")


# --- names the script never introduces -----------------------------------------------------


def test_capitalised_character_without_a_description() -> None:
    script = parse_story(
        "INT. KITCHEN - DAY\n\nANNA sets a cup on the table. The door SLAMS.\n\n"
        "CLOSE ON the cup. MEI and TOM run in, laughing.\n"
    )
    (scene,) = extract_world(script)
    assert [(p.name, p.gender, p.named) for p in scene.people] == [
        ("ANNA", "female", True),
        ("MEI", "female", True),
        ("TOM", "male", True),
    ]
    assert scene.beats[0].people == ("ANNA",)
    assert "SLAMS" not in [p.name for p in scene.people]
    assert scene.beats[1].focus == "cup"


def test_chinese_names_in_prose() -> None:
    scene = world("张三和李四在酒馆里喝酒。张三突然拔刀。王芳跑进来，看着他们。")
    assert [p.name for p in scene.people] == ["张三", "李四", "王芳"]
    assert person(scene, "王芳").gender == "female"  # 芳, a common given name
    assert scene.place.kind == "bar"
    # A verb with its object in one word: 拔刀 draws a knife, 喝酒 drinks wine.
    assert holders(scene)["knife"] == "张三"
    assert ("李四", "drink", "酒") in actions(scene)
    assert ("王芳", "run", None) in actions(scene)
    scene = world("小明走进教室，坐在椅子上。老师看着他。")
    assert [p.name for p in scene.people] == ["小明", "老师"]
    assert person(scene, "小明").gender == "male"  # 他, the teacher looks at him
    assert ("小明", "sit", "椅子") in actions(scene)


def test_a_character_named_for_what_they_are_is_not_doubled() -> None:
    script = parse_story(
        "INT. TRAIN CARRIAGE - DAY\n\nThe conductor punches a ticket.\n\n"
        "CONDUCTOR\nTickets, please.\n\nLEO (10, yellow hoodie) hides under the seat.\n"
    )
    (scene,) = extract_world(script)
    assert [p.name for p in scene.people] == ["CONDUCTOR", "LEO"]
    leo = person(scene, "LEO")
    assert (leo.age, leo.colours.clothing) == ("child", ("yellow",))


def test_the_world_round_trips_through_json_and_yaml() -> None:
    scenes = extract_world(parse_story("一个白发剑士站在竹林里。他拔出了剑。A girl flies a kite."))
    for scene in scenes:
        assert SceneWorld.model_validate(json.loads(scene.model_dump_json())) == scene
        dumped = yaml.safe_dump(scene.model_dump(mode="json"), allow_unicode=True)
        assert SceneWorld.model_validate(yaml.safe_load(dumped)) == scene


def test_holding_words_in_both_languages() -> None:
    scene = world("老人提着一盏灯笼走过桥。一个小女孩在公园里放风筝。老和尚用扫帚扫地。")
    assert holders(scene) == {"lantern": "老人", "kite": "小女孩", "broom": "老和尚"}
    scene = world("A man carrying a suitcase crosses the street. A monk sweeps with a broom.")
    assert holders(scene) == {"suitcase": "the man", "broom": "the monk"}
    assert ("the man", "walk", None) in actions(scene)


def test_the_weather_is_not_a_doer() -> None:
    scene = world("Snow falls on the temple. A monk kneels.")
    assert actions(scene) == [("the monk", "kneel", None)]
    assert [w.kind for w in scene.weather] == ["snow"]


def test_vocabulary_words_are_cut_whole_and_the_dictionary_is_cached(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    world("雨刚停，面摊冒着热气。")  # loads the segmenter with the vocabulary's words
    words = [t.word for t in segmenter().cut("月下竹林，面摊冒着热气。")]
    assert {"月下", "竹林", "面摊", "冒着热气"} <= set(words)
    assert all(t.tag == "x" for t in segmenter().cut("，。") if t.word in "，。")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert segment._cache_folder() == tmp_path / "storyreel"


def test_bundled_example() -> None:
    story = Path(__file__).resolve().parents[2] / "examples" / "the_kite_mender.fountain"
    park, kitchen, dawn = extract_world(read_story(story))
    assert (park.place.kind, kitchen.place.kind, dawn.place.kind) == ("park", "kitchen", "park")
    leo, nainai = park.people
    assert (leo.name, leo.gender, leo.age, leo.colours.hair) == ("LEO", "male", "child", "brown")
    assert (nainai.name, nainai.gender, nainai.age) == ("NAINAI", "female", "old")
    assert holders(park)["kite"] == "LEO"  # dragging a torn blue kite behind him
    assert {"lamp", "table", "pot"} <= set(holders(kitchen))
    assert "dragon" in holders(kitchen)  # not "dragon's"
    assert [w.kind for w in park.weather] == ["wind_leaves"]
    assert dawn.place.time == "dawn"


def test_how_a_line_is_said_when_it_can_be_seen() -> None:
    script = parse_story(
        "INT. BAR - NIGHT\n\nTOM\n(laughing)\nAgain!\n\n"
        "MEI\n(without looking up)\nNo.\n\n"
        "小梅\n（哭着）\n别走。\n"
    )
    tom, mei, xiaomei = extract_world(script)[0].beats
    assert [a.kind for a in tom.actions] == ["speak", "laugh"]
    assert [a.kind for a in mei.actions] == ["speak"]
    assert [(a.person, a.kind) for a in xiaomei.actions] == [("小梅", "speak"), ("小梅", "cry")]


def test_words_that_look_like_names_but_are_not() -> None:
    assert world("NIGHT falls on the village. BOOM goes the cannon.").people == ()
    assert world("胡子很长，白发飘飘。").people == ()


def test_the_sky_tells_the_time_when_nothing_else_does() -> None:
    assert world("A full moon hangs over the lake.").place.time == "night"
    assert world("日出时，渔夫划船出海。").place.time == "dawn"


def test_what_is_someones_own_is_in_their_hand() -> None:
    script = parse_story(
        "EXT. STREET - DAY\n\nLEO (8) flies LEO'S kite.\n\n"
        "MEI (30s) checks her phone while the wind pulls at Mei's umbrella.\n"
    )
    (scene,) = extract_world(script)
    assert holders(scene) == {"kite": "LEO", "phone": "MEI", "umbrella": "MEI"}
    scene = world("小梅的伞被风吹走了。")
    assert holders(scene) == {"umbrella": "小梅"}
    assert [w.kind for w in scene.weather] == ["wind_leaves"]
