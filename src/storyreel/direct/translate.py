"""Lines and on-screen text translated by the LLM endpoint the planner uses.

    translate_texts(["Spring, in every cup."], "zh", options)   # ["春天，就在每一杯里。"]

The model is asked for JSON (`Translations`, one text per text sent, in order). The
answer is validated: as many texts as were sent, none empty; a bad answer is asked
once more with what was wrong; then `TranslationError` says what the endpoint did.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from storyreel.errors import StoryreelError

if TYPE_CHECKING:
    import httpx

    from storyreel.direct.llm import LlmOptions


class TranslationError(StoryreelError):
    """The endpoint gave no usable translation (twice), or could not be reached."""


class Translations(BaseModel):
    """What the model answers: the texts translated, in the order they were sent."""

    model_config = ConfigDict(extra="forbid")

    translations: list[str] = Field(min_length=1)


def translate_texts(
    texts: Sequence[str],
    language: str,
    options: LlmOptions,
    *,
    client: httpx.Client | None = None,
) -> list[str]:
    """`texts` in `language` (a code: "zh", "ja"), in order; TranslationError when the
    endpoint cannot give them."""
    if not texts:
        return []
    from storyreel.direct.llm import LlmFailure, ask

    messages = [
        {"role": "system", "content": _instructions(language)},
        {"role": "user", "content": json.dumps({"texts": list(texts)}, ensure_ascii=False)},
    ]
    try:
        return ask(
            options,
            messages,
            Translations,
            "translations",
            lambda answer: _validated(answer, len(texts)),
            client=client,
        )
    except LlmFailure as failure:
        raise TranslationError(
            f"the LLM at {options.endpoint} gave no usable {language} translation ({failure}); "
            f"add [{language}: ...] marks to the brief or try another --llm-model"
        ) from None


def _instructions(language: str) -> str:
    return (
        "You translate the spoken lines and on-screen texts of a short film for a "
        f"version in the language with code {language!r}. Keep the meaning, tone and "
        "length (a line must fit the same seconds of screen time); keep brand and "
        'product names. Answer with JSON only: {"translations": [...]}, one translated '
        "text per text sent, in the same order, nothing else."
    )


def _validated(answer: str, count: int) -> list[str]:
    from storyreel.direct.llm import LlmFailure, unfenced

    try:
        found = Translations.model_validate(json.loads(unfenced(answer))).translations
    except json.JSONDecodeError as error:
        raise LlmFailure(f"not JSON: {error}") from None
    except ValidationError as error:
        raise LlmFailure(str(error.errors()[0]["msg"])) from None
    if len(found) != count:
        raise LlmFailure(f"{len(found)} translations for {count} texts")
    if any(not t.strip() for t in found):
        raise LlmFailure("an empty translation")
    return [t.strip() for t in found]
