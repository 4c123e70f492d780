from __future__ import annotations

from storyreel.model import Action, Character, Dialogue, Scene, Script, Transition

MEI = Character(name="MEI", description="20s, red raincoat")
SELLER = Character(name="SELLER", description="70s, grey beard")


def say(who: str, text: str, line: int, lang: str = "en") -> Dialogue:
    return Dialogue(character=who, text=text, lang=lang, line=line)


def market_script() -> Script:
    """Two scenes at the market, then one at home: dialogue, written direction, a cut."""
    market = Scene(
        heading="EXT. MARKET - NIGHT",
        location="MARKET",
        interior="ext",
        time="night",
        line=1,
        elements=[
            Action(text="MEI weaves through the crowd.", line=3),
            say("MEI", "Is this the lantern stall?", 5),
            say("SELLER", "Only for those who forgot.", 8),
            say("MEI", "Then I am in the right place.", 11),
            Action(text="CLOSE ON the lantern: a tiny city glows inside.", line=14),
            Transition(text="CUT TO:", line=16),
        ],
    )
    same_place = market.model_copy(
        update={
            "heading": "EXT. MARKET - LATER",
            "line": 18,
            "elements": [Action(text="The stalls close.", line=20)],
        }
    )
    home = Scene(
        heading="内景. 公寓 - 夜",
        location="公寓",
        interior="int",
        time="night",
        line=22,
        elements=[Action(text="镜头缓缓推近发光的纸城。", line=24)],
    )
    return Script(
        scenes=[market, same_place, home],
        characters={"MEI": MEI, "SELLER": SELLER},
    )


def one_scene(*elements: object, language: str = "en", location: str = "ROOFTOP") -> Script:
    scene = Scene(
        heading=f"EXT. {location} - DAY",
        location=location,
        interior="ext",
        time="day",
        line=1,
        elements=list(elements),  # type: ignore[arg-type]
    )
    return Script(scenes=[scene], language=language, characters={"MEI": MEI, "SELLER": SELLER})
