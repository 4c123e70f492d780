"""The stages of a make, named once: the progress events, the API's make state and its
schema all use these names, in this order."""

from __future__ import annotations

from typing import Literal, get_args

Stage = Literal["parse", "direct", "voice", "render", "cut"]
# In the order a make goes through them.
STAGES: tuple[Stage, ...] = get_args(Stage)
