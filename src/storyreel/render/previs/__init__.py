"""Drawing pieces of the previs engine: looks, settings, framing and overlays."""

from storyreel.render.previs.look import Look, look_for
from storyreel.render.previs.panel import Plate, compose_panel, draw_plate

__all__ = ["Look", "Plate", "compose_panel", "draw_plate", "look_for"]
