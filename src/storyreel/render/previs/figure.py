"""A stylised character figure drawn from a Look with vector shapes.

Proportions are in the figure's own height (feet at 0, top of the head at 1), so the
same code draws a tiny figure in a wide shot and a face filling a close-up, each at the
frame's own resolution.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from storyreel.beats import ACTIONS as ACTIONS
from storyreel.beats import action_of as action_of
from storyreel.beats import cycle_phases as cycle_phases
from storyreel.beats import phase_at as phase_at
from storyreel.render.previs.look import Look
from storyreel.render.previs.pen import Pen, Point
from storyreel.render.previs.props import ADULT_M, draw_thing, held_box, thing_spec
from storyreel.render.previs.util import INK, RGB, luma, mix, shade


@dataclass(frozen=True)
class Body:
    """Key heights and half-widths of a figure, in its own height units."""

    head_rx: float
    head_ry: float
    head_v: float  # centre of the head
    shoulder_v: float
    hip_v: float
    shoulder_w: float
    hip_w: float


def body_for(look: Look) -> Body:
    # Children have larger heads for their height; everyone gets a slightly large,
    # friendly head, as in a storyboard, so faces read in wide shots.
    head_rx = {"child": 0.1, "teen": 0.08, "adult": 0.074, "old": 0.076}[look.age]
    head_ry = head_rx * 1.14
    head_v = 1 - head_ry
    shoulder_v = head_v - head_ry - 0.035
    hip_v = 0.42 if look.age == "child" else 0.48
    return Body(
        head_rx=head_rx,
        head_ry=head_ry,
        head_v=head_v,
        shoulder_v=shoulder_v,
        hip_v=hip_v,
        shoulder_w=0.125 * look.build,
        hip_w=0.095 * look.build,
    )


def figure_box(look: Look, unit_px: float) -> tuple[float, float, float]:
    """Half-width, height and head-centre height of the drawn figure, in pixels."""
    s = unit_px * look.height
    body = body_for(look)
    return s * 0.32 * look.build, s, s * body.head_v


@dataclass(frozen=True)
class MouthSpot:
    """Where a figure's mouth is drawn, in canvas pixels: the centre and half-sizes of
    the closed mouth, and what it is drawn over (skin, or a beard)."""

    cx: float
    cy: float
    rx: float
    ry: float
    skin: RGB
    beard: RGB | None


def mouth_spot(
    look: Look, feet: Point, unit_px: float, facing: int = 1, pose: str = "stand"
) -> MouthSpot:
    """The mouth of `look` as `draw_figure` draws it with the same arguments."""
    (hx, hy), (rx, ry) = head_spot(look, feet, unit_px, facing, pose)
    turn = facing * rx * 0.14
    if look.beard is not None:
        return MouthSpot(hx + turn, hy + ry * 0.55, rx * 0.2, ry * 0.07, look.skin, look.beard)
    return MouthSpot(hx + turn, hy + ry * 0.45, rx * 0.22, ry * 0.14, look.skin, None)


def _head(look: Look, feet: Point, unit_px: float, facing: int) -> tuple[Point, Point]:
    """Centre and radii of the head in canvas pixels."""
    s = unit_px * look.height
    b = body_for(look)
    lean = 0.03 * facing if look.stoop else 0.0
    p = _Mapper(feet[0], feet[1], s, lean, b.hip_v)
    return p(0, b.head_v), (b.head_rx * s, b.head_ry * s)


@dataclass(frozen=True)
class _Mapper:
    """Figure units (u across, v up from the feet) to canvas pixels."""

    fx: float
    fy: float
    s: float  # pixels per figure height
    lean: float
    hip_v: float

    def __call__(self, u: float, v: float) -> Point:
        # The lean grows with height, so the feet stay put and the head moves forward.
        bend = self.lean * max(0.0, v - self.hip_v) / (1 - self.hip_v)
        return self.fx + (u + bend) * self.s, self.fy - v * self.s


def draw_figure(
    pen: Pen,
    look: Look,
    feet: Point,
    unit_px: float,
    facing: int = 1,
    *,
    max_line: float = 3.0,
    pose: str = "stand",
    phase: int = 0,
    holding: str | None = None,
) -> None:
    """Draw `look` with feet at canvas point `feet`, `unit_px` per adult height.

    `facing` is +1 (looking right) or -1 (left); the face and stoop follow it. `pose`
    is an action (see ACTIONS: "walk", "sit", "hand_over"...), `phase` the step of a
    moving one's cycle, and `holding` a prop kind drawn in the near hand.
    """
    if action_of(pose) != "stand" or holding is not None:
        draw_posed(
            pen,
            look,
            feet,
            unit_px,
            facing,
            action=pose,
            phase=phase,
            holding=holding,
            max_line=max_line,
        )
        return
    s = unit_px * look.height
    fx, fy = feet
    b = body_for(look)
    lean = 0.03 * facing if look.stoop else 0.0  # an older back bends towards the gaze
    p = _Mapper(fx, fy, s, lean, b.hip_v)

    line = max(0.5, min(s * 0.006, max_line))
    outline = INK
    skin = look.skin

    pen.ellipse(fx, fy, s * 0.2 * look.build, s * 0.025, (0, 0, 0, 60))

    # Long hair and ponytails hang behind the body.
    if look.hair_style == "long":
        top = p(-b.head_rx * 1.12, b.head_v + b.head_ry * 0.2)
        bottom = p(b.head_rx * 1.12, b.shoulder_v - 0.07)
        pen.rounded(top[0], top[1], bottom[0], bottom[1], s * 0.05, look.hair)
    elif look.hair_style == "ponytail":
        tail = [
            p(-facing * b.head_rx * 0.7, b.head_v + b.head_ry * 0.3),
            p(-facing * b.head_rx * 1.45, b.head_v - b.head_ry * 0.6),
            p(-facing * b.head_rx * 1.2, b.shoulder_v - 0.04),
            p(-facing * b.head_rx * 0.9, b.head_v - b.head_ry * 0.5),
        ]
        pen.polygon(tail, look.hair, outline, line)

    _legs(pen, look, b, p, line)
    _torso(pen, look, b, p, line, facing)
    _arms(pen, look, b, p, line)

    # Neck, then the head over it.
    nx0, ny0 = p(-0.026, b.head_v - b.head_ry * 0.6)
    nx1, ny1 = p(0.026, b.shoulder_v + 0.005)
    pen.rect(nx0, ny0, nx1, ny1, shade(skin, 0.88))
    hx, hy = p(0, b.head_v)
    rx, ry = b.head_rx * s, b.head_ry * s
    for side in (-1, 1):  # ears
        pen.ellipse(
            hx + side * rx * 0.97, hy + ry * 0.05, rx * 0.16, ry * 0.18, skin, outline, line
        )
    pen.ellipse(hx, hy, rx, ry, skin, outline, line)
    _hair(pen, look, (hx, hy), (rx, ry), line, facing)
    _face(pen, look, (hx, hy), (rx, ry), line, facing)
    if look.hat is not None:
        _hat(pen, look.hat, (hx, hy), (rx, ry), line)


def _legs(pen: Pen, look: Look, b: Body, p: _Mapper, line: float) -> None:
    trousers = look.bottom
    if look.garment == "dress":
        trousers = mix(look.skin, look.bottom, 0.15)  # bare or stockinged legs
    for side in (-1, 1):
        x_out = side * b.hip_w * 0.95
        x_in = side * 0.012
        leg = [p(x_out, b.hip_v), p(x_in, b.hip_v), p(x_in * 1.5, 0.04), p(x_out * 0.75, 0.04)]
        pen.polygon(leg, trousers, INK, line)
        sx, sy = p(side * b.hip_w * 0.55, 0.022)
        pen.ellipse(sx, sy, b.hip_w * 0.5 * p.s, 0.024 * p.s, look.shoes)


def _torso(pen: Pen, look: Look, b: Body, p: _Mapper, line: float, facing: int) -> None:
    top, low = b.shoulder_v, b.hip_v
    hem = {"coat": 0.2, "dress": 0.26, "skirt": 0.3}.get(look.garment, low - 0.02)
    flare = {"coat": 1.25, "dress": 1.7, "skirt": 1.6}.get(look.garment, 1.0)
    sw, hw = b.shoulder_w, b.hip_w
    body = [
        p(-sw * 0.8, top + 0.012),
        p(sw * 0.8, top + 0.012),
        p(sw, top - 0.04),
        p(hw * 1.05, low),
        p(hw * flare, hem),
        p(-hw * flare, hem),
        p(-hw * 1.05, low),
        p(-sw, top - 0.04),
    ]
    pen.polygon(body, look.top, INK, line)
    if look.garment == "skirt":
        skirt = [
            p(hw * 1.05, low + 0.02),
            p(hw * flare, hem),
            p(-hw * flare, hem),
            p(-hw * 1.05, low + 0.02),
        ]
        pen.polygon(skirt, look.bottom, INK, line)
    trim = shade(look.top, 0.78) if luma(look.top) > 60 else shade(look.top, 1.35)
    if look.garment in ("jacket", "coat"):
        # Open front over a light shirt, and buttons down the placket.
        shirt = (236, 232, 222) if luma(look.top) < 200 else (90, 100, 120)
        pen.polygon([p(-0.04, top + 0.01), p(0.04, top + 0.01), p(0, top - 0.09)], shirt)
        for i in range(3 if look.garment == "coat" else 2):
            bx, by = p(0.012 * facing, top - 0.12 - i * 0.08)
            pen.ellipse(bx, by, 0.009 * p.s, 0.009 * p.s, trim)
        bx0, by0 = p(-hw * 1.05, low + 0.02)
        bx1, by1 = p(hw * 1.05, low)
        if look.garment == "coat":  # belt
            pen.rect(bx0, by0, bx1, by1, trim)
    elif look.garment == "hoodie":
        pen.ellipse(*p(0, top), 0.07 * p.s, 0.03 * p.s, trim, INK, line)
        px0, py0 = p(-hw * 0.8, low + 0.13)
        px1, py1 = p(hw * 0.8, low + 0.03)
        pen.rounded(px0, py0, px1, py1, 0.02 * p.s, trim)
    else:
        # Collar.
        pen.polygon([p(-0.045, top + 0.012), p(0, top - 0.03), p(0.045, top + 0.012)], trim)


def _arms(pen: Pen, look: Look, b: Body, p: _Mapper, line: float) -> None:
    sleeve = shade(look.top, 0.9)
    for side in (-1, 1):
        sx = side * (b.shoulder_w - 0.02)
        hand_u = side * (b.hip_w + 0.055)
        hand_v = b.hip_v - 0.03
        arm = [
            p(sx - side * 0.02, b.shoulder_v + 0.008),
            p(sx + side * 0.035, b.shoulder_v - 0.025),
            p(hand_u + side * 0.022, hand_v + 0.04),
            p(hand_u - side * 0.03, hand_v + 0.04),
            p(sx - side * 0.03, b.shoulder_v - 0.07),
        ]
        pen.polygon(arm, sleeve, INK, line)
        hx, hy = p(hand_u - side * 0.004, hand_v + 0.015)
        pen.ellipse(hx, hy, 0.028 * p.s, 0.032 * p.s, look.skin, INK, line)


def _hair(pen: Pen, look: Look, c: Point, r: tuple[float, float], line: float, facing: int) -> None:
    (hx, hy), (rx, ry) = c, r
    hair = look.hair
    if look.hair_style == "bald":
        if look.age == "old":  # a fringe of hair around the sides
            for side in (-1, 1):
                pen.ellipse(hx + side * rx * 0.88, hy - ry * 0.05, rx * 0.2, ry * 0.3, hair)
        return
    # The hairline: high over the forehead, dropping to the ears, swept to one side.
    long = look.hair_style in ("long", "ponytail", "bun")
    side_drop = 0.45 if long else 0.12
    outer = [
        (hx + rx * 1.06 * math.cos(a), hy - ry * 0.06 + ry * 1.06 * math.sin(a))
        for a in (math.radians(d) for d in range(170, 371, 10))
    ]
    inner = []
    for i in range(11):
        u = 1 - i / 5  # from the right side (1) to the left (-1)
        x = hx + u * rx * 0.98
        y = hy - ry * 0.5 * (1 - u**4) + ry * side_drop * u**4 - ry * 0.14 * facing * u
        inner.append((x, y))
    pen.polygon(outer + inner, hair, INK, line)
    if look.hair_style == "bun":
        pen.ellipse(hx - facing * rx * 0.2, hy - ry * 1.15, rx * 0.42, ry * 0.34, hair, INK, line)


def _face(pen: Pen, look: Look, c: Point, r: tuple[float, float], line: float, facing: int) -> None:
    (hx, hy), (rx, ry) = c, r
    # A three-quarter view: features sit a little towards the side the figure faces.
    turn = facing * rx * 0.14
    eye_y = hy + ry * 0.08
    brow = shade(look.hair, 0.7) if luma(look.hair) > 90 else look.hair
    for side in (-1, 1):
        ex = hx + turn + side * rx * 0.38
        pen.ellipse(ex, eye_y, rx * 0.11, ry * 0.13, INK)
        pen.ellipse(ex + rx * 0.035, eye_y - ry * 0.045, rx * 0.035, rx * 0.035, (255, 255, 255))
        pen.arc(ex, eye_y - ry * 0.12, rx * 0.2, ry * 0.12, 200, 340, brow, line * 1.6)
        cheek = mix(look.skin, (236, 120, 120), 0.35)
        pen.ellipse(ex - side * rx * 0.02, eye_y + ry * 0.32, rx * 0.13, ry * 0.07, cheek)
    nose = shade(look.skin, 0.82)
    pen.ellipse(hx + turn * 1.6, hy + ry * 0.3, rx * 0.07, ry * 0.06, nose)
    if look.beard is not None:
        beard = [
            (hx - rx * 0.9, hy + ry * 0.2),
            (hx - rx * 0.55, hy + ry * 0.85),
            (hx + turn, hy + ry * 1.1),
            (hx + rx * 0.55, hy + ry * 0.85),
            (hx + rx * 0.9, hy + ry * 0.2),
            (hx + rx * 0.45, hy + ry * 0.5),
            (hx - rx * 0.45, hy + ry * 0.5),
        ]
        pen.polygon(beard, look.beard, INK, line)
        pen.ellipse(hx + turn, hy + ry * 0.55, rx * 0.2, ry * 0.07, (150, 70, 70))
    else:
        pen.arc(hx + turn, hy + ry * 0.45, rx * 0.22, ry * 0.14, 20, 160, (150, 60, 60), line * 1.8)
    if look.glasses:
        frame = (60, 50, 50)
        for side in (-1, 1):
            ex = hx + turn + side * rx * 0.38
            pen.ellipse(ex, eye_y, rx * 0.25, ry * 0.2, None, frame, line * 1.5)
        pen.line(
            [(hx + turn - rx * 0.13, eye_y), (hx + turn + rx * 0.13, eye_y)], frame, line * 1.5
        )


def _hat(pen: Pen, colour: RGB, c: Point, r: tuple[float, float], line: float) -> None:
    (hx, hy), (rx, ry) = c, r
    pen.ellipse(hx, hy - ry * 0.55, rx * 1.35, ry * 0.16, shade(colour, 0.85), INK, line)
    pen.rounded(hx - rx * 0.85, hy - ry * 1.35, hx + rx * 0.85, hy - ry * 0.55, rx * 0.3, colour)


# --- poses --------------------------------------------------------------------------
#
# A posed figure is a skeleton: hips, knees and feet, shoulders, elbows and hands, and a
# head on a torso that leans. Angles are in radians from hanging straight down,
# positive towards the way the figure faces; "near" limbs are on the side it faces.
# Standing with nothing in hand draws the classic figure above; every other pose draws
# limbs as inked capsules over the same torso, head, hair and face.


@dataclass(frozen=True)
class Pose:
    lean: float = 0.0  # the torso's tilt towards the facing side
    head_tilt: float = 0.0
    thigh: tuple[float, float] = (0.0, 0.0)  # near, far
    knee: tuple[float, float] = (0.0, 0.0)  # how far each shin folds back
    arm: tuple[float, float] = (0.1, 0.1)  # near, far upper arm
    elbow: tuple[float, float] = (0.15, 0.15)  # forearm bend, forwards and up
    turn: float = 0.0  # the whole body tipped over (lie, fall); + falls backwards
    lift: float = 0.0  # feet off the ground (jump), figure heights
    face: str = "smile"  # smile, laugh, cry
    seat: bool = False  # sits on a drawn seat


def pose_for(action: str, phase: int = 0) -> Pose:
    """The skeleton's angles for `action` in cycle phase `phase`."""
    act = action_of(action)
    if act in ("walk", "run"):
        count = cycle_phases(act)
        swing = math.cos(2 * math.pi * phase / count + math.pi / 4)
        moving_forward = math.sin(2 * math.pi * phase / count + math.pi / 4) < 0
        a = (0.42 if act == "walk" else 0.7) * swing
        bend = 0.35 if act == "walk" else 1.1
        # The leg swinging forward lifts its foot; the one carrying the weight stays long.
        knees = (bend, 0.0) if moving_forward else (0.0, bend)
        if act == "walk":
            return Pose(thigh=(a, -a), knee=knees, arm=(-a * 0.8, a * 0.8), elbow=(0.25, 0.25))
        return Pose(
            lean=0.22,
            thigh=(a, -a),
            knee=knees,
            arm=(-a * 1.1, a * 1.1),
            elbow=(1.5, 1.5),
            lift=0.02,
        )
    poses: dict[str, Pose] = {
        "stand": Pose(),
        "sit": Pose(
            thigh=(1.5, 1.4), knee=(1.5, 1.4), arm=(0.35, 0.25), elbow=(0.9, 0.9), seat=True
        ),
        "kneel": Pose(
            lean=0.05, thigh=(1.45, 0.0), knee=(1.45, 1.57), arm=(0.4, 0.2), elbow=(0.9, 0.4)
        ),
        "lie": Pose(turn=math.pi / 2, arm=(0.15, 0.15), elbow=(0.1, 0.1)),
        "fight": Pose(
            lean=0.1,
            thigh=(0.45, -0.4),
            knee=(0.35, 0.0),
            arm=(2.7, 0.9) if phase == 0 else (1.25, 0.5),
            elbow=(0.3, 0.9) if phase == 0 else (-0.1, 1.0),
        ),
        "point": Pose(thigh=(0.12, -0.05), arm=(1.55, 0.1), elbow=(0.0, 0.15), head_tilt=0.05),
        "hold": Pose(arm=(0.35, 0.1), elbow=(1.25, 0.15)),
        "give": Pose(lean=0.1, thigh=(0.2, -0.12), arm=(1.35, 0.1), elbow=(0.1, 0.15)),
        "hug": Pose(lean=0.12, arm=(1.3, 1.2), elbow=(0.9, 0.9)),
        "fall": Pose(
            turn=0.9, thigh=(0.5, -0.2), knee=(0.5, 0.2), arm=(2.5, 2.0), elbow=(0.2, 0.3)
        ),
        "jump": Pose(
            thigh=(0.7, 0.45), knee=(1.4, 1.1), arm=(2.8, 2.6), elbow=(0.1, 0.1), lift=0.12
        ),
        "look": Pose(lean=0.08, head_tilt=0.1, arm=(2.2, 0.1), elbow=(1.9, 0.15)),
        "laugh": Pose(lean=-0.1, head_tilt=-0.2, arm=(0.3, 0.3), elbow=(1.7, 1.7), face="laugh"),
        "cry": Pose(lean=0.1, head_tilt=0.25, arm=(0.8, 0.2), elbow=(2.2, 0.2), face="cry"),
        "eat": Pose(head_tilt=0.12, arm=(1.0, 0.4), elbow=(2.5, 1.2)),
        "drink": Pose(head_tilt=-0.15, arm=(1.1, 0.1), elbow=(2.4, 0.15)),
        "open": Pose(lean=0.08, arm=(0.75, 0.75), elbow=(0.65, 0.65)),
        "wave": Pose(arm=(2.5, 0.1), elbow=(-0.5 if phase == 0 else 0.3, 0.15)),
        "dance": Pose(
            thigh=(0.5, 0.0) if phase == 0 else (0.0, -0.5),
            knee=(0.9, 0.0) if phase == 0 else (0.0, 0.9),
            arm=(2.6, 1.2) if phase == 0 else (1.2, 2.6),
            elbow=(0.4, 0.8) if phase == 0 else (0.8, 0.4),
        ),
    }
    return poses[act]


@dataclass(frozen=True)
class Skeleton:
    """Joint positions in figure units (forward, up), feet on the ground at up = 0."""

    hip: Point
    neck: Point
    head: Point
    up: Point  # the torso's unit direction
    shoulders: tuple[Point, Point]  # near, far
    elbows: tuple[Point, Point]
    hands: tuple[Point, Point]
    hips: tuple[Point, Point]
    knees: tuple[Point, Point]
    feet: tuple[Point, Point]


def _ray(p: Point, length: float, angle: float) -> Point:
    """From `p`, `length` along `angle` (0 = straight down, + forwards)."""
    return p[0] + length * math.sin(angle), p[1] - length * math.cos(angle)


def _bones(look: Look, pose: Pose) -> Skeleton:
    b = body_for(look)
    thigh_len, shin_len = b.hip_v * 0.52, b.hip_v * 0.48
    torso = b.shoulder_v - b.hip_v
    upper, fore = torso * 0.62, torso * 0.6
    lean = pose.lean + (0.12 if look.stoop else 0.0)
    hip = (0.0, b.hip_v)
    up = (math.sin(lean), math.cos(lean))
    across = (up[1], -up[0])
    neck = (hip[0] + up[0] * torso, hip[1] + up[1] * torso)
    tilt = lean + pose.head_tilt
    reach = 0.035 + b.head_ry
    head = (neck[0] + math.sin(tilt) * reach, neck[1] + math.cos(tilt) * reach)
    shoulders, elbows, hands, hips, knees, feet = [], [], [], [], [], []
    for i, side in enumerate((1.0, -1.0)):
        sx = side * (b.shoulder_w - 0.03)
        shoulder = (
            neck[0] + across[0] * sx - up[0] * 0.03,
            neck[1] + across[1] * sx - up[1] * 0.03,
        )
        a1 = pose.arm[i] + lean * 0.5
        elbow = _ray(shoulder, upper, a1)
        hand = _ray(elbow, fore, a1 + pose.elbow[i])
        # Legs swinging apart hang from one hip, seen from the side; standing legs
        # stand apart, seen from the front.
        apart = max(abs(pose.thigh[0]), abs(pose.thigh[1])) < 0.15
        hx = side * b.hip_w * (0.5 if apart else 0.15)
        hip_joint = (hip[0] + across[0] * hx, hip[1] + across[1] * hx)
        knee = _ray(hip_joint, thigh_len, pose.thigh[i])
        foot = _ray(knee, shin_len, pose.thigh[i] - pose.knee[i])
        shoulders.append(shoulder)
        elbows.append(elbow)
        hands.append(hand)
        hips.append(hip_joint)
        knees.append(knee)
        feet.append(foot)
    return Skeleton(
        hip,
        neck,
        head,
        up,
        (shoulders[0], shoulders[1]),
        (elbows[0], elbows[1]),
        (hands[0], hands[1]),
        (hips[0], hips[1]),
        (knees[0], knees[1]),
        (feet[0], feet[1]),
    )


def _points(sk: Skeleton) -> list[Point]:
    return [
        sk.hip,
        sk.neck,
        sk.head,
        *sk.shoulders,
        *sk.elbows,
        *sk.hands,
        *sk.hips,
        *sk.knees,
        *sk.feet,
    ]


def _moved(sk: Skeleton, turn: float, dy: float) -> Skeleton:
    """`sk` tipped by `turn` about the hips (+ backwards), then raised by `dy`."""
    c, s = math.cos(turn), math.sin(turn)
    hx, hy = sk.hip

    def move(p: Point) -> Point:
        x, y = p[0] - hx, p[1] - hy
        return hx + x * c - y * s, hy + x * s + y * c + dy

    def pair(ps: tuple[Point, Point]) -> tuple[Point, Point]:
        return move(ps[0]), move(ps[1])

    up = (sk.up[0] * c - sk.up[1] * s, sk.up[0] * s + sk.up[1] * c)
    return Skeleton(
        move(sk.hip),
        move(sk.neck),
        move(sk.head),
        up,
        pair(sk.shoulders),
        pair(sk.elbows),
        pair(sk.hands),
        pair(sk.hips),
        pair(sk.knees),
        pair(sk.feet),
    )


def skeleton(look: Look, action: str = "stand", phase: int = 0) -> Skeleton:
    """The joints of `look` doing `action` (cycle phase `phase`), standing on up = 0.

    A cycle is grounded by its first phase, so the head stays put from phase to phase
    and a speaking walker's mouth stays where lip sync draws it."""
    pose = pose_for(action, phase)
    base = pose_for(action, 0)
    b = body_for(look)
    grounded = _moved(_bones(look, base), base.turn, 0.0)
    lowest = min(p[1] for p in _points(grounded))
    if base.turn != 0.0:
        lowest = min(lowest, grounded.head[1] - b.head_ry * 0.9, grounded.hip[1] - b.hip_w)
    return _moved(_bones(look, pose), pose.turn, base.lift - lowest)


def hand_point(
    look: Look, feet: Point, unit_px: float, facing: int, action: str, phase: int = 0
) -> Point:
    """Canvas position of the near hand (the one that holds things)."""
    sk = skeleton(look, action, phase)
    s = unit_px * look.height
    return feet[0] + sk.hands[0][0] * facing * s, feet[1] - sk.hands[0][1] * s


def head_spot(
    look: Look, feet: Point, unit_px: float, facing: int, action: str
) -> tuple[Point, Point]:
    """Centre and radii of the posed head in canvas pixels."""
    if action_of(action) == "stand":
        return _head(look, feet, unit_px, facing)
    sk = skeleton(look, action)
    s = unit_px * look.height
    b = body_for(look)
    centre = (feet[0] + sk.head[0] * facing * s, feet[1] - sk.head[1] * s)
    return centre, (b.head_rx * s, b.head_ry * s)


def draw_posed(
    pen: Pen,
    look: Look,
    feet: Point,
    unit_px: float,
    facing: int = 1,
    *,
    action: str = "stand",
    phase: int = 0,
    holding: str | None = None,
    max_line: float = 3.0,
) -> None:
    """`look` doing `action` with feet at canvas point `feet`, holding `holding`."""
    act = action_of(action)
    pose = pose_for(act, phase)
    sk = skeleton(look, act, phase)
    b = body_for(look)
    s = unit_px * look.height
    fx, fy = feet
    line = max(0.5, min(s * 0.006, max_line))

    def P(p: Point) -> Point:
        return fx + p[0] * facing * s, fy - p[1] * s

    pen.ellipse(fx, fy, s * (0.2 if pose.turn < 1 else 0.45) * look.build, s * 0.025, (0, 0, 0, 60))
    if pose.seat:
        _seat(pen, P, sk, b, line)
    hx, hy = P(sk.head)
    rx, ry = b.head_rx * s, b.head_ry * s
    if look.hair_style == "long":
        pen.ellipse(
            hx - facing * rx * 0.15, hy + ry * 0.55, rx * 1.1, ry * 1.0, look.hair, INK, line
        )
    sleeve = shade(look.top, 0.9)
    trousers = mix(look.skin, look.bottom, 0.15) if look.garment == "dress" else look.bottom
    arm_w, leg_w = 0.055 * s * min(look.build, 1.15), 0.075 * s * look.build
    # Far limbs first, behind the body.
    _limb(
        pen, [P(sk.shoulders[1]), P(sk.elbows[1]), P(sk.hands[1])], arm_w, shade(sleeve, 0.85), line
    )
    _hand(pen, P(sk.hands[1]), s, look.skin, line)
    for i in (1, 0):
        _limb(pen, [P(sk.hips[i]), P(sk.knees[i]), P(sk.feet[i])], leg_w, trousers, line)
        _shoe(pen, P(sk.feet[i]), P(sk.knees[i]), s, b, look, facing, line)
    _posed_torso(pen, look, b, sk, P, line, pose)
    _limb(pen, [P(sk.shoulders[0]), P(sk.elbows[0]), P(sk.hands[0])], arm_w, sleeve, line)
    hand = P(sk.hands[0])
    _hand(pen, hand, s, look.skin, line)
    # Neck and head.
    nx, ny = P(sk.neck)
    pen.polygon(
        [(nx - 0.026 * s, ny), (nx + 0.026 * s, ny), (hx + 0.026 * s, hy), (hx - 0.026 * s, hy)],
        shade(look.skin, 0.88),
    )
    for side in (-1, 1):
        pen.ellipse(
            hx + side * rx * 0.97, hy + ry * 0.05, rx * 0.16, ry * 0.18, look.skin, INK, line
        )
    pen.ellipse(hx, hy, rx, ry, look.skin, INK, line)
    _hair(pen, look, (hx, hy), (rx, ry), line, facing)
    _face(pen, look, (hx, hy), (rx, ry), line, facing)
    if pose.face != "smile":
        _expression(pen, look, (hx, hy), (rx, ry), line, facing, pose.face)
    if look.hat is not None:
        _hat(pen, look.hat, (hx, hy), (rx, ry), line)
    if holding:
        turn = 0.0
        spec = thing_spec(holding)
        if act == "fight" and spec.family == "weapon" and spec.aspect < 0.4:
            # A blade in a fight points along the forearm: raised, or thrust forward.
            ex, ey = P(sk.elbows[0])
            turn = math.atan2(hand[0] - ex, ey - hand[1])
        box = held_box(holding, hand, unit_px / ADULT_M, turn, facing)
        draw_thing(pen, holding, box, facing=facing, max_line=max_line, fit=False, turn=turn)


def _limb(pen: Pen, points: list[Point], width: float, colour: RGB, line: float) -> None:
    """An inked capsule through `points`: an outline pass, then the fill."""
    pen.line(points, INK, width + 2 * line)
    for x, y in points[1:-1]:
        pen.ellipse(x, y, width / 2 + line, width / 2 + line, INK)
    pen.line(points, colour, width)
    for x, y in points[1:-1]:
        pen.ellipse(x, y, width / 2, width / 2, colour)


def _hand(pen: Pen, at: Point, s: float, skin: RGB, line: float) -> None:
    pen.ellipse(at[0], at[1], 0.028 * s, 0.032 * s, skin, INK, line)


def _shoe(
    pen: Pen, foot: Point, knee: Point, s: float, b: Body, look: Look, facing: int, line: float
) -> None:
    # The shoe points forward along the ground, or along the shin's normal when the
    # shin lies flat (a kneeling back leg).
    dx, dy = foot[0] - knee[0], foot[1] - knee[1]
    flat = abs(dx) > abs(dy)
    cx = foot[0] + (0 if flat else facing * b.hip_w * 0.25 * s)
    pen.ellipse(cx, foot[1], b.hip_w * 0.5 * s, 0.026 * s, look.shoes, INK, line * 0.6)


def _seat(pen: Pen, P: Callable[[Point], Point], sk: Skeleton, b: Body, line: float) -> None:
    """A plain wooden seat under sitting hips."""
    hip = P(sk.hip)
    ground_y = P((0.0, 0.0))[1]
    s = ground_y - P((0.0, 1.0))[1]
    x0, x1 = hip[0] - 0.16 * s, hip[0] + 0.16 * s
    top = hip[1] + b.hip_w * 0.2 * s
    pen.rect(x0, top, x1, top + 0.035 * s, (150, 104, 64))
    for x in (x0 + 0.02 * s, x1 - 0.04 * s):
        pen.rect(x, top + 0.035 * s, x + 0.02 * s, ground_y, (120, 82, 52))


ToCanvas = Callable[[Point], Point]


def _posed_torso(
    pen: Pen, look: Look, b: Body, sk: Skeleton, P: ToCanvas, line: float, pose: Pose
) -> None:
    torso = b.shoulder_v - b.hip_v
    hem_drop = {"coat": b.hip_v - 0.2, "dress": b.hip_v - 0.26, "skirt": b.hip_v - 0.3}.get(
        look.garment, 0.02
    )
    if pose.seat or pose.thigh[0] > 1.0:
        hem_drop = min(hem_drop, 0.06)  # a skirt rests on the lap
    flare = {"coat": 1.25, "dress": 1.7, "skirt": 1.6}.get(look.garment, 1.0)
    sw, hw = b.shoulder_w, b.hip_w
    upx, upy = sk.up
    acx, acy = upy, -upx

    def at(across: float, up: float) -> Point:
        return P((sk.hip[0] + acx * across + upx * up, sk.hip[1] + acy * across + upy * up))

    body = [
        at(-sw * 0.8, torso + 0.012),
        at(sw * 0.8, torso + 0.012),
        at(sw, torso - 0.04),
        at(hw * 1.05, 0.0),
        at(hw * flare, -hem_drop),
        at(-hw * flare, -hem_drop),
        at(-hw * 1.05, 0.0),
        at(-sw, torso - 0.04),
    ]
    pen.polygon(body, look.top, INK, line)
    if look.garment == "skirt":
        pen.polygon([at(hw * 1.05, 0.02), at(hw * flare, -hem_drop), at(-hw * flare, -hem_drop),
                     at(-hw * 1.05, 0.02)], look.bottom, INK, line)  # fmt: skip
    trim = shade(look.top, 0.78) if luma(look.top) > 60 else shade(look.top, 1.35)
    pen.polygon([at(-0.045, torso + 0.012), at(0.0, torso - 0.03), at(0.045, torso + 0.012)], trim)
    if look.garment == "coat":
        belt = [at(-hw * 1.05, 0.02), at(hw * 1.05, 0.02), at(hw * 1.05, 0.0), at(-hw * 1.05, 0.0)]
        pen.polygon(belt, trim)


def _expression(
    pen: Pen, look: Look, c: Point, r: tuple[float, float], line: float, facing: int, face: str
) -> None:
    """Laughing (eyes shut in arcs, mouth open) or crying (tears, a frown)."""
    (hx, hy), (rx, ry) = c, r
    turn = facing * rx * 0.14
    eye_y = hy + ry * 0.08
    if face == "laugh":
        for side in (-1, 1):
            ex = hx + turn + side * rx * 0.38
            pen.ellipse(ex, eye_y, rx * 0.15, ry * 0.16, look.skin)
            pen.arc(ex, eye_y + ry * 0.06, rx * 0.13, ry * 0.12, 200, 340, INK, line * 1.5)
        pen.ellipse(hx + turn, hy + ry * 0.5, rx * 0.26, ry * 0.2, (120, 40, 50), INK, line)
    elif face == "cry":
        for side in (-1, 1):
            ex = hx + turn + side * rx * 0.38
            pen.polygon([(ex - rx * 0.05, eye_y + ry * 0.2), (ex + rx * 0.05, eye_y + ry * 0.2),
                         (ex, eye_y + ry * 0.55)], (110, 170, 230))  # fmt: skip
        pen.ellipse(hx + turn, hy + ry * 0.5, rx * 0.26, ry * 0.16, look.skin)
        pen.arc(hx + turn, hy + ry * 0.62, rx * 0.2, ry * 0.12, 200, 340, (150, 60, 60), line * 1.6)
