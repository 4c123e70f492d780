"""Batched classifier-free guidance for the Wan pipelines.

diffusers' Wan pipelines run the guided and the unguided pass as two calls of the
transformer per step. On a GPU one call on a batch of two keeps the GPU busier than two
calls on a batch of one. `BatchedGuidance` takes the transformer's place: the guided
call runs both prompts as one batch and returns the guided half; the unguided call
that follows (same latents, the negative prompt) gets the other half without running
the network again. Anything it does not recognise runs the network as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

# Keyword inputs that carry one row per video and so are doubled with the batch.
_PER_VIDEO = ("encoder_hidden_states_image", "control_hidden_states")


class BatchedGuidance:
    """Installed as a transformer's `forward`; armed with the prompt pair per render."""

    def __init__(self, transformer: Any) -> None:
        self.transformer = transformer
        self.forward = transformer.forward
        self.cond: torch.Tensor | None = None
        self.uncond: torch.Tensor | None = None
        self._pending: tuple[torch.Tensor, torch.Tensor] | None = None
        self.batched_calls = 0

    @classmethod
    def install(cls, transformer: Any) -> BatchedGuidance:
        existing = transformer.__dict__.get("forward")
        if isinstance(existing, BatchedGuidance):
            return existing
        wrapper = cls(transformer)
        transformer.forward = wrapper
        return wrapper

    def arm(self, cond: torch.Tensor | None, uncond: torch.Tensor | None) -> None:
        self.cond, self.uncond, self._pending = cond, uncond, None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        states = kwargs.get("hidden_states")
        text = kwargs.get("encoder_hidden_states")
        if args or kwargs.get("return_dict", True) or states is None or self.cond is None:
            return self.forward(*args, **kwargs)
        if text is self.cond and self.uncond is not None:
            return (self._both(states, kwargs),)
        pending = self._pending
        if text is self.uncond and pending is not None and pending[0] is states:
            self._pending = None
            return (pending[1],)
        return self.forward(*args, **kwargs)

    def _both(self, states: torch.Tensor, kwargs: dict[str, Any]) -> torch.Tensor:
        import torch

        assert self.cond is not None and self.uncond is not None
        rows = states.shape[0]
        doubled = dict(kwargs)
        doubled["hidden_states"] = torch.cat([states, states])
        doubled["encoder_hidden_states"] = torch.cat([self.cond, self.uncond])
        timestep = kwargs.get("timestep")
        if isinstance(timestep, torch.Tensor) and timestep.dim() > 0:
            doubled["timestep"] = torch.cat([timestep, timestep])
        for name in _PER_VIDEO:
            value = kwargs.get(name)
            if isinstance(value, torch.Tensor):
                doubled[name] = torch.cat([value, value])
        out: torch.Tensor = self.forward(**doubled)[0]
        self.batched_calls += 1
        self._pending = (states, out[rows:])
        return out[:rows]
