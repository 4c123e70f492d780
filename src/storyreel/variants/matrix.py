"""The matrix of films one brief asks for: languages x aspects x lengths (x calls to
action when more than one is given), as frozen values.

    matrix = VariantMatrix(languages=("en", "zh"), aspects=("16:9", "9:16"), lengths=(15, 30))
    [v.name("spring_tea") for v in matrix.variants()]   # spring_tea.en.16x9.15s, ...
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storyreel.media.aspect import Aspect, parse_aspects
from storyreel.script.lang import normalize_lang

# A variant's length is the planner's target (within its ±10 %): seconds an ad or a
# short is cut to, from a 5 s bumper to a 3 min film.
MIN_LENGTH, MAX_LENGTH = 5, 180


class Variant(BaseModel):
    """One film of the matrix."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field(min_length=2, max_length=16)
    aspect: Aspect
    length: int = Field(ge=MIN_LENGTH, le=MAX_LENGTH)  # the target, seconds
    # The end card's words as given (with their `[zh: ...]` marks), or None; `cta_index`
    # (1-based) names it in the file when the matrix has several.
    cta: str | None = None
    cta_index: int | None = None

    @property
    def key(self) -> str:
        """The variant's name without the brief's: en.16x9.15s (.cta2)."""
        parts = [self.language, self.aspect.replace(":", "x"), f"{self.length}s"]
        if self.cta_index is not None:
            parts.append(f"cta{self.cta_index}")
        return ".".join(parts)

    def name(self, stem: str) -> str:
        return f"{stem}.{self.key}"


class VariantMatrix(BaseModel):
    """What `storyreel variants` is asked for. One call to action is on every film; two
    or more are a dimension of the matrix (each film has one of them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    languages: tuple[str, ...] = Field(min_length=1)
    aspects: tuple[Aspect, ...] = Field(min_length=1)
    lengths: tuple[int, ...] = Field(min_length=1)
    ctas: tuple[str, ...] = ()

    @field_validator("languages")
    @classmethod
    def _codes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        codes = tuple(dict.fromkeys(normalize_lang(v) for v in value if v.strip()))
        if not codes:
            raise ValueError("give a language code such as en, zh or ja")
        return codes

    @field_validator("lengths")
    @classmethod
    def _lengths(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        for length in value:
            if not MIN_LENGTH <= length <= MAX_LENGTH:
                raise ValueError(f"a length is {MIN_LENGTH} to {MAX_LENGTH} seconds, got {length}")
        return tuple(dict.fromkeys(value))

    @classmethod
    def parse(
        cls, languages: str, aspects: str, lengths: str, ctas: list[str] | None = None
    ) -> VariantMatrix:
        """From the command line's comma lists; ValueError names what is wrong."""
        try:
            seconds = tuple(int(w.strip().removesuffix("s")) for w in lengths.split(","))
        except ValueError:
            raise ValueError(
                f"--length takes whole seconds joined by commas, got {lengths!r}"
            ) from None
        return cls(
            languages=tuple(w for w in languages.split(",")),
            aspects=tuple(parse_aspects(aspects)),
            lengths=seconds,
            ctas=tuple(c.strip() for c in ctas or () if c.strip()),
        )

    def variants(self) -> list[Variant]:
        """Every film, language first (the order they are listed and made in)."""
        ctas: list[tuple[str | None, int | None]] = [(None, None)]
        if len(self.ctas) == 1:
            ctas = [(self.ctas[0], None)]
        elif self.ctas:
            ctas = [(text, i) for i, text in enumerate(self.ctas, start=1)]
        return [
            Variant(language=lang, aspect=aspect, length=length, cta=cta, cta_index=index)
            for lang in self.languages
            for aspect in self.aspects
            for length in self.lengths
            for cta, index in ctas
        ]
