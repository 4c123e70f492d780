"""Translation through an OpenAI-compatible endpoint (a local fake that follows the
chat-completions contract): validated, asked once more, or a clear error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.direct.test_llm import ChatServer
from tests.variants.support import write_brief

from storyreel.direct.llm import LlmOptions
from storyreel.direct.translate import TranslationError, translate_texts
from storyreel.script import read_story
from storyreel.variants.matrix import VariantMatrix
from storyreel.variants.run import translation_tables
from storyreel.variants.transform import translation_table


@pytest.fixture
def server() -> Iterator[ChatServer]:
    chat = ChatServer()
    chat.thread.start()
    yield chat
    chat.httpd.shutdown()
    chat.httpd.server_close()


def _options(server: ChatServer) -> LlmOptions:
    return LlmOptions(url=server.url, model="fake", timeout=10)


def test_the_llm_fills_what_the_brief_leaves_untranslated(
    server: ChatServer, tmp_path: Path
) -> None:
    brief = write_brief(tmp_path)
    script = read_story(brief)
    server.answer(json.dumps({"translations": ["Le printemps, dans chaque tasse.", "Thé"]}))
    matrix = VariantMatrix.parse("en,fr,zh", "16:9", "15")
    tables = translation_tables(script, brief, matrix, _options(server))
    # zh is in the brief's marks and en is its own language: only fr is asked.
    assert list(tables) == ["fr"]
    sent = json.loads(server.requests[0]["messages"][1]["content"])
    assert sent == {"texts": ["Spring, in every cup.", "Mountain Spring Tea"]}
    assert "'fr'" in server.requests[0]["messages"][0]["content"]
    table = translation_table(script, "fr", extra=tables["fr"])
    assert table["Spring, in every cup."] == "Le printemps, dans chaque tasse."


def test_a_bad_answer_is_asked_again_with_what_was_wrong(server: ChatServer) -> None:
    server.answer(json.dumps({"translations": ["un"]}))
    server.answer(json.dumps({"translations": ["un", "deux"]}))
    assert translate_texts(["one", "two"], "fr", _options(server)) == ["un", "deux"]
    assert len(server.requests) == 2
    assert "1 translations for 2 texts" in server.requests[1]["messages"][-1]["content"]


def test_two_bad_answers_are_a_clear_error(server: ChatServer) -> None:
    server.answer("not json at all")
    server.answer(json.dumps({"translations": ["", ""]}))
    with pytest.raises(TranslationError) as error:
        translate_texts(["one", "two"], "fr", _options(server))
    message = str(error.value)
    assert "gave no usable fr translation (an empty translation)" in message
    assert "[fr: ...]" in message
