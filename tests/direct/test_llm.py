"""The LLM planner against a real HTTP server speaking the chat-completions protocol,
started here on 127.0.0.1: real sockets, the real httpx client."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from storyreel.direct import PlanSettings, plan, plan_board
from storyreel.direct.board_file import write_document
from storyreel.direct.llm import LlmOptions, ShotList
from storyreel.model import CameraMove, ShotSize
from storyreel.script import read_story

from .scripts import market_script

Reply = tuple[int, Any]  # status, JSON body


class ChatServer:
    """Answers POST /v1/chat/completions with queued replies, recording each request."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                server.requests.append(json.loads(self.rfile.read(length)))
                server.headers.append(dict(self.headers))
                status, body = server.replies.pop(0) if server.replies else (500, {"error": "?"})
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}/v1"

    def answer(self, content: str, status: int = 200) -> None:
        body = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        self.replies.append((status, body))


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    server = ChatServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


def good_answer() -> str:
    setting = {"location": "MARKET", "interior": "ext", "time": "night"}
    shots = [
        {"id": "1", "scene": 1, "size": "wide", "move": "crane_up", "duration": 4,
         "subjects": ["MEI"], "setting": setting, "action": "MEI arrives."},
        {"id": "2", "scene": 1, "size": "特写", "move": "推", "duration": 3,
         "subjects": ["SELLER"], "setting": setting,
         "lines": [{"character": "SELLER", "text": "Only for those who forgot.", "lang": "en"}],
         "prompt": {"en": "A close-up of an old seller", "zh": "老人的特写"}},
    ]  # fmt: skip
    return json.dumps({"shots": shots})


def options(chat: ChatServer) -> LlmOptions:
    return LlmOptions(url=chat.url, model="tiny-director", timeout=10)


def test_a_valid_answer_becomes_the_storyboard(
    chat: ChatServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STORYREEL_LLM_API_KEY", "sk-test")
    chat.answer(good_answer())
    warnings: list[str] = []
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=warnings)
    assert warnings == []
    assert [s.size for s in board.shots] == [ShotSize.wide, ShotSize.close_up]
    assert [s.move for s in board.shots] == [CameraMove.crane_up, CameraMove.push_in]
    # The model's own prompt is kept; a missing one is composed; sides filled in.
    assert board.shots[1].prompt.en == "A close-up of an old seller"
    assert board.shots[0].prompt.en and board.shots[0].prompt.zh
    assert board.shots[0].screen == {"MEI": pytest.approx(1 / 3, abs=1e-3)}
    assert set(board.characters) == {"MEI", "SELLER"}
    # What went over the wire: the storyboard's schema, the script, the key.
    request = chat.requests[0]
    assert request["model"] == "tiny-director"
    schema = request["response_format"]["json_schema"]["schema"]
    assert schema == ShotList.model_json_schema()
    assert "Only for those who forgot." in request["messages"][1]["content"]
    assert chat.headers[0]["Authorization"] == "Bearer sk-test"


def test_an_invalid_answer_is_repaired_on_the_second_ask(chat: ChatServer) -> None:
    bad = json.loads(good_answer())
    bad["shots"][0]["size"] = "gigantic"
    chat.answer(json.dumps(bad))
    chat.answer(good_answer())
    warnings: list[str] = []
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=warnings)
    assert warnings == [] and board.shots[0].move == CameraMove.crane_up
    assert len(chat.requests) == 2
    repair = chat.requests[1]["messages"]
    assert repair[-2] == {"role": "assistant", "content": json.dumps(bad)}
    assert "shots.0.size" in repair[-1]["content"]  # the validation error is quoted back


def test_unknown_characters_are_a_validation_error_too(chat: ChatServer) -> None:
    bad = json.loads(good_answer())
    bad["shots"][0]["subjects"] = ["GHOST"]
    chat.answer(json.dumps(bad))
    chat.answer(good_answer())
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=[])
    assert board.shots[0].subjects == ["MEI"]
    assert "GHOST" in chat.requests[1]["messages"][-1]["content"]


def test_the_llm_stages_the_world_through_the_schema(chat: ChatServer) -> None:
    world = json.loads(good_answer())
    world["shots"][0] |= {
        "things": [{"kind": "lantern", "name": "paper lantern", "holder": "MEI"}],
        "actions": {"MEI": "walk"},
        "focus": "MEI",
    }
    unknown = json.loads(json.dumps(world))
    unknown["shots"][0]["things"][0]["kind"] = "flux_capacitor"
    chat.answer(json.dumps(unknown))
    chat.answer(json.dumps(world))
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=[])
    first = board.shots[0]
    assert [(t.kind, t.holder) for t in first.things] == [("lantern", "MEI")]
    assert first.actions == {"MEI": "walk"} and first.focus == "MEI"
    assert "MEI walks" in first.prompt.en and "lantern in MEI's hand" in first.prompt.en
    # The scenes' world comes from the script (the rules' reading of it).
    assert board.scenes and board.scenes[0].setting.kind == "market"
    # The question carried the world; the unknown kind was sent back to be fixed.
    question = json.loads(chat.requests[0]["messages"][1]["content"])
    assert question["world"]["scenes"][0]["setting"]["kind"] == "market"
    schema = chat.requests[0]["response_format"]["json_schema"]["schema"]
    assert {"things", "actions", "focus", "card"} <= set(schema["$defs"]["Shot"]["properties"])
    assert "flux_capacitor" in chat.requests[1]["messages"][-1]["content"]


def test_invalid_twice_falls_back_to_the_rules_with_a_warning(chat: ChatServer) -> None:
    chat.answer("I would rather not.")
    chat.answer('{"shots": []}')
    warnings: list[str] = []
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=warnings)
    assert board == plan(market_script())
    assert len(warnings) == 1 and "rules planner" in warnings[0] and "invalid twice" in warnings[0]
    assert len(chat.requests) == 2


def test_a_server_error_falls_back(chat: ChatServer) -> None:
    chat.replies.append((503, {"error": {"message": "overloaded"}}))
    warnings: list[str] = []
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=warnings)
    assert board == plan(market_script())
    assert "HTTP 503" in warnings[0]


def test_a_server_without_structured_output_gets_plain_json_mode(chat: ChatServer) -> None:
    chat.replies.append((400, {"error": {"message": "response_format json_schema unsupported"}}))
    chat.answer(good_answer())
    board = plan(market_script(), planner="llm", planner_options=options(chat), warnings=[])
    assert board.shots[0].move == CameraMove.crane_up
    assert chat.requests[1]["response_format"] == {"type": "json_object"}


def test_an_unreachable_server_falls_back() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    warnings: list[str] = []
    llm = LlmOptions(url=f"http://127.0.0.1:{port}/v1", model="m", timeout=5)
    board = plan(market_script(), planner="llm", planner_options=llm, warnings=warnings)
    assert board == plan(market_script())
    assert "request failed" in warnings[0]


def test_the_llm_is_asked_with_the_casts_descriptions_and_again_when_they_change(
    chat: ChatServer, tmp_path: Path
) -> None:
    story = tmp_path / "market.fountain"
    story.write_text(
        "EXT. MARKET - NIGHT\n\nMEI (20s, red raincoat) weaves through the crowd.\n\n"
        "SELLER\nOnly for those who forgot.\n",
        encoding="utf-8",
    )
    board_path = tmp_path / "storyboard.yaml"
    settings = PlanSettings(planner="llm", planner_options=options(chat))

    def described(cast: dict[str, str]) -> str:
        document = plan_board(story, read_story(story), board_path, cast=cast, settings=settings)
        write_document(board_path, document)  # as `storyreel board` does
        sent = json.loads(chat.requests[-1]["messages"][1]["content"])
        assert document.board.characters["MEI"].description == cast["MEI"]
        assert document.planned is not None
        assert document.planned.characters["MEI"].description == cast["MEI"]
        return str(sent["characters"]["MEI"]["description"])

    chat.answer(good_answer())
    assert described({"MEI": "60s, grey wool coat"}) == "60s, grey wool coat"
    described({"MEI": "60s, grey wool coat"})
    assert len(chat.requests) == 1  # the same story and cast: not asked again
    chat.answer(good_answer())
    assert described({"MEI": "a child in a yellow hoodie"}) == "a child in a yellow hoodie"
    assert len(chat.requests) == 2
