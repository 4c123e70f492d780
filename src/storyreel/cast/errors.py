"""What can go wrong with the cast library, each with a message a user can act on."""

from __future__ import annotations

from storyreel.errors import StoryreelError


class CastError(StoryreelError):
    """A subject cannot be added, found, read or written."""


class ActorError(CastError):
    """A clip cannot be turned into a digital actor (no face, two faces, wrong length...)."""


class ActorsMissingError(CastError):
    """The optional face libraries are not installed."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} needs the optional face libraries (dlib and its face models); "
            "install them with: pip install 'storyreel[actors]'"
        )
