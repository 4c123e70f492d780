"""The cast library: characters, props and locations with reference images, identity
embeddings and voices, kept as plain files in a project's `cast/` folder.

The face work (digital actors, identity scores) needs the optional `actors` extra;
everything else works without it.
"""

from storyreel.cast.errors import ActorError, ActorsMissingError, CastError
from storyreel.cast.library import Cast, Entry
from storyreel.cast.subject import (
    SAME_PERSON,
    Palette,
    Subject,
    SubjectKind,
    SubjectRef,
    slug_for,
    subject_key,
)

__all__ = [
    "SAME_PERSON",
    "ActorError",
    "ActorsMissingError",
    "Cast",
    "CastError",
    "Entry",
    "Palette",
    "Subject",
    "SubjectKind",
    "SubjectRef",
    "slug_for",
    "subject_key",
]
