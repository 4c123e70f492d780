"""Script -> Storyboard. `plan` is the planner the rest of storyreel calls; swap the
module behind it to change how films are directed."""

from storyreel.direct.first_cut import plan

__all__ = ["plan"]
