"""Two versions of a small storyboard, the second edited the way a creator would."""

from __future__ import annotations

from storyreel.model import Setting, Shot, ShotLine, ShotSize, Storyboard

PARK = Setting(location="HILLTOP PARK", interior="ext", time="day")


def first_board() -> Storyboard:
    return Storyboard(
        title="The Kite Mender",
        shots=[
            Shot(id="1", scene=1, size=ShotSize.wide, duration=3.0, setting=PARK),
            Shot(
                id="2",
                scene=1,
                size=ShotSize.medium,
                duration=3.0,
                subjects=["MEI"],
                setting=PARK,
                lines=[ShotLine(character="MEI", text="Can you fix it?", lang="en")],
            ),
            Shot(id="3", scene=1, size=ShotSize.full, duration=2.0, setting=PARK),
            Shot(id="4", scene=1, size=ShotSize.wide, duration=2.0, setting=PARK),
        ],
    )


def second_board() -> Storyboard:
    board = first_board()
    one, two, three, _four = board.shots
    line = two.lines[0].model_copy(update={"text": "Can you mend it?"})
    two = two.model_copy(update={"size": ShotSize.close_up, "duration": 4.5, "lines": [line]})
    five = Shot(id="5", scene=1, size=ShotSize.close_up, duration=1.5, setting=PARK)
    # 2 now after 3; 4 cut; 5 new
    return board.model_copy(update={"shots": [one, three, two, five], "title": "The Kite Menders"})
