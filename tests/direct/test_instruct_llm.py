"""What the rules cannot read goes to the LLM endpoint: a real HTTP server on
127.0.0.1 answers as a chat-completions API would."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from storyreel.direct import plan
from storyreel.direct.instruct import EditAnswer, NotUnderstood, instruct
from storyreel.direct.llm import LlmOptions
from storyreel.model import Storyboard

from .scripts import market_script
from .test_llm import ChatServer


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    server = ChatServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="module")
def board() -> Storyboard:
    return plan(market_script())


def options(chat: ChatServer) -> LlmOptions:
    return LlmOptions(url=chat.url, model="tiny-editor", timeout=10)


def test_the_llm_reads_what_the_rules_cannot(chat: ChatServer, board: Storyboard) -> None:
    answer = {
        "changes": [
            {"shot": "4", "field": "size", "value": "特写"},
            {"scene": 2, "field": "weather", "value": [{"kind": "fog", "intensity": 0.8}]},
        ],
        "delete": ["6"],
    }
    chat.answer(json.dumps(answer))
    edit = instruct(board, "make the seller's reply feel claustrophobic", llm=options(chat))
    assert edit.source == "llm"
    found = {(c.where, c.key, ".".join(c.path)): (c.before, c.after) for c in edit.diff.changes}
    assert found == {
        ("shot", "4", "size"): ("medium_close_up", "close_up"),
        ("scene", "2", "weather"): ([], [{"kind": "fog", "intensity": 0.8}]),
    }
    assert edit.diff.deleted == ("6",)
    # What went over the wire: the edit's schema, the storyboard and the instruction.
    request = chat.requests[0]
    assert request["response_format"]["json_schema"]["schema"] == EditAnswer.model_json_schema()
    sent = json.loads(request["messages"][1]["content"])
    assert sent["instruction"] == "make the seller's reply feel claustrophobic"
    assert [s["id"] for s in sent["storyboard"]["shots"]] == [str(n) for n in range(1, 10)]


def test_an_invalid_answer_is_asked_again_with_its_errors(
    chat: ChatServer, board: Storyboard
) -> None:
    chat.answer(json.dumps({"changes": [{"shot": "99", "field": "size", "value": "wide"}]}))
    chat.answer(json.dumps({"changes": [{"shot": "2", "field": "size", "value": "wide"}]}))
    edit = instruct(board, "give shot two some room to breathe", llm=options(chat))
    assert [(c.key, c.after) for c in edit.diff.changes] == [("2", "wide")]
    repair = chat.requests[1]["messages"][-1]["content"]
    assert "no shot '99'" in repair


def test_nothing_valid_twice_changes_nothing(chat: ChatServer, board: Storyboard) -> None:
    chat.answer(
        json.dumps({"changes": [{"shot": "1", "field": "actions", "value": {"MEI": "levitate"}}]})
    )
    chat.answer("not json at all")
    before = board.model_dump()
    with pytest.raises(NotUnderstood, match="gave no valid edit either") as caught:
        instruct(board, "make her float above the stalls", llm=options(chat))
    assert "cannot read" in str(caught.value)  # the rules' reason first
    assert "\n" not in str(caught.value)
    assert board.model_dump() == before


def test_an_unreachable_endpoint_changes_nothing(board: Storyboard) -> None:
    dead = LlmOptions(url="http://127.0.0.1:9/v1", model="m", timeout=2)
    with pytest.raises(NotUnderstood, match="request failed"):
        instruct(board, "make it feel like a memory", llm=dead)
