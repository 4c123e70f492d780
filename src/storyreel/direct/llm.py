"""The LLM planner: a storyboard from any OpenAI-compatible chat endpoint.

    storyreel board story.fountain --planner llm \\
        --llm-url http://localhost:11434/v1 --llm-model qwen2.5:14b

The model is asked for JSON matching the storyboard's own pydantic schema (through
`response_format: json_schema` where the server takes it). The answer is validated; if
it does not validate, the model is asked once more with the errors; if that fails too,
or the server cannot be reached, the rules planner directs the film and a warning says
so. The API key comes from an environment variable, never from the command line.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    import httpx

from storyreel.direct.planner import PlanRequest
from storyreel.direct.prompts import with_prompts
from storyreel.direct.rules import MAX_SLOW_SHOT, plan_rules, scene_cast, screen_sides
from storyreel.model import Angle, CameraMove, Script, Shot, ShotSize, Storyboard, TransitionKind
from storyreel.vocab import Vocabulary, load_vocabulary


class LlmOptions(BaseModel):
    """Where and how to ask. Unknown keys are rejected, so a typo is not ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Base URL of the API ("http://localhost:11434/v1"), or the full chat-completions URL.
    url: str = Field(min_length=1)
    model: str = Field(min_length=1)
    # Environment variables tried in order for the API key; local servers need none.
    api_key_env: tuple[str, ...] = ("STORYREEL_LLM_API_KEY", "OPENAI_API_KEY")
    # Planning a long screenplay takes a local model a while; a dead server fails fast
    # on connect anyway.
    timeout: float = Field(default=300.0, gt=0, le=3600)
    # Low: a storyboard should come out the same when asked twice.
    temperature: float = Field(default=0.2, ge=0, le=2)

    @property
    def endpoint(self) -> str:
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else url + "/chat/completions"

    def api_key(self) -> str | None:
        return next((os.environ[n] for n in self.api_key_env if os.environ.get(n)), None)


class LlmPlanner:
    """A language model directs, through any OpenAI-compatible chat endpoint (a local
    Ollama or llama.cpp server, or a hosted API); the rules direct when it cannot."""

    name: ClassVar[str] = "llm"
    Options: ClassVar[type[LlmOptions]] = LlmOptions

    def __init__(self, options: LlmOptions) -> None:
        self.options = options

    def plan(self, script: Script, request: PlanRequest) -> Storyboard:
        return plan_llm(
            script,
            self.options,
            width=request.width,
            height=request.height,
            fps=request.fps,
            max_duration=request.max_duration,
            warnings=request.warnings,
            vocabulary=request.vocabulary,
        )


class ShotList(BaseModel):
    """What the model answers: the storyboard's shots, in the storyboard's own schema."""

    model_config = ConfigDict(extra="forbid")

    shots: list[Shot] = Field(min_length=1)


class LlmFailure(Exception):
    """One attempt did not give a usable storyboard; the message says why."""


class InvalidTwice(LlmFailure):
    """Both answers failed validation; the message is the second one's problems."""


def plan_llm(
    script: Script,
    options: LlmOptions,
    *,
    width: int = 1280,
    height: int = 720,
    fps: int = 24,
    max_duration: float | None = None,
    warnings: list[str] | None = None,
    client: httpx.Client | None = None,
    vocabulary: Vocabulary | None = None,
) -> Storyboard:
    """Ask the model for a storyboard; on failure, the rules planner's with a warning."""
    fallback = plan_rules(
        script,
        width=width,
        height=height,
        fps=fps,
        max_duration=max_duration,
        vocabulary=vocabulary,
    )
    longest = max_duration or MAX_SLOW_SHOT
    messages = [
        {"role": "system", "content": _instructions(longest)},
        {"role": "user", "content": _script_message(script, fallback)},
    ]
    people = list(fallback.characters)
    try:
        shots = ask(
            options,
            messages,
            ShotList,
            "storyboard",
            lambda answer: validate_answer(answer, script, longest, people),
            client=client,
        )
    except LlmFailure as failure:
        if isinstance(failure, InvalidTwice):
            failure = LlmFailure(f"invalid twice; last: {_first_line(str(failure))}")
        if warnings is not None:
            warnings.append(
                f"the LLM planner at {options.endpoint} gave no usable storyboard ({failure}); "
                "the rules planner directed this one"
            )
        return fallback
    return _finish(shots, fallback, script)


_T = TypeVar("_T")


def ask(
    options: LlmOptions,
    messages: list[dict[str, str]],
    schema: type[BaseModel],
    name: str,
    validate: Callable[[str], _T],
    *,
    client: httpx.Client | None = None,
) -> _T:
    """Two tries at a JSON answer in `schema`: the question, then the question with
    what `validate` (which raises LlmFailure) found wrong in the first answer. The
    planner, the instruction editor and the translator all ask this way."""
    import httpx  # here, not at the top: only the LLM's users need it

    owned = client is None
    http = client or httpx.Client(timeout=options.timeout)
    try:
        answer = chat(http, options, messages, schema, name)
        try:
            return validate(answer)
        except LlmFailure as first:
            repair = [
                *messages,
                {"role": "assistant", "content": answer},
                {
                    "role": "user",
                    "content": "That answer is not valid:\n"
                    f"{first}\nReply with the corrected JSON object only.",
                },
            ]
            second = chat(http, options, repair, schema, name)
            try:
                return validate(second)
            except LlmFailure as again:
                raise InvalidTwice(str(again)) from None
    finally:
        if owned:
            http.close()


def unfenced(answer: str) -> str:
    """A model's answer without the Markdown code fence some models wrap JSON in."""
    return re.sub(r"^\s*```(?:json)?\s*|\s*```\s*$", "", answer)


def chat(
    http: httpx.Client,
    options: LlmOptions,
    messages: list[dict[str, str]],
    schema: type[BaseModel],
    name: str,
) -> str:
    """One chat completion asking for JSON in `schema` (called `name`); the answer's
    text. The instruction editor asks the same endpoint for a storyboard diff."""
    body: dict[str, Any] = {
        "model": options.model,
        "messages": messages,
        "temperature": options.temperature,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema.model_json_schema()},
        },
    }
    import httpx

    headers = {"Authorization": f"Bearer {key}"} if (key := options.api_key()) else {}
    try:
        response = http.post(options.endpoint, json=body, headers=headers)
        if response.status_code == 400:
            # Servers without structured output reject the schema; plain JSON mode is
            # the next best thing, and the schema is in the instructions anyway.
            body["response_format"] = {"type": "json_object"}
            response = http.post(options.endpoint, json=body, headers=headers)
    except httpx.HTTPError as error:
        raise LlmFailure(f"request failed: {error}") from None
    if response.status_code >= 400:
        raise LlmFailure(f"HTTP {response.status_code}: {_first_line(response.text)[:200]}")
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise LlmFailure("the reply is not a chat completion") from None
    if not isinstance(content, str):
        raise LlmFailure("the reply has no text content")
    return content


def validate_answer(
    answer: str, script: Script, longest: float, people: Sequence[str] = ()
) -> list[Shot]:
    """The shots in the model's answer, or LlmFailure listing every problem. `people`
    are the names beyond the script's characters a shot may show (the unnamed people
    of the scenes' world)."""
    text = unfenced(answer)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LlmFailure(f"not JSON: {error}") from None
    if isinstance(data, list):
        data = {"shots": data}
    try:
        shots = ShotList.model_validate(data).shots
    except ValidationError as error:
        raise LlmFailure(_errors(error)) from None
    problems = _story_problems(shots, script, longest, people)
    if problems:
        raise LlmFailure("\n".join(problems))
    return shots


def _story_problems(
    shots: list[Shot], script: Script, longest: float, people: Sequence[str] = ()
) -> list[str]:
    """What the schema cannot say: ids unique, scenes and characters that exist,
    prop and action kinds of the vocabulary, durations the engine can make."""
    problems: list[str] = []
    names = {*script.characters, *people}
    vocabulary = load_vocabulary()
    seen: set[str] = set()
    for i, shot in enumerate(shots):
        if shot.id in seen:
            problems.append(f"shots[{i}].id: {shot.id!r} is used twice")
        seen.add(shot.id)
        if shot.scene > len(script.scenes):
            problems.append(f"shots[{i}].scene: {shot.scene}, the script has {len(script.scenes)}")
        unknown = [n for n in shot.subjects if n not in names]
        if unknown and names:
            known = ", ".join(sorted(names))
            problems.append(f"shots[{i}].subjects: unknown {unknown}; characters are {known}")
        kinds = [t.kind for t in shot.things if t.kind not in vocabulary.props]
        if kinds:
            problems.append(f"shots[{i}].things: unknown kinds {kinds}; use the props vocabulary")
        acts = [a for a in shot.actions.values() if a not in vocabulary.actions]
        if acts:
            allowed = ", ".join(vocabulary.actions)
            problems.append(f"shots[{i}].actions: unknown {acts}; actions are {allowed}")
        if shot.duration > longest:
            problems.append(f"shots[{i}].duration: {shot.duration} s, the longest is {longest} s")
    return problems


def _errors(error: ValidationError) -> str:
    return "\n".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:20]
    )


def _finish(shots: list[Shot], fallback: Storyboard, script: Script) -> Storyboard:
    """The model's shots as a storyboard: sides of the frame and prompts (composed from
    the script's characters, as the cast describes them) filled in where the model left
    them out."""
    sides = {
        n: screen_sides(scene_cast(s, script.characters)) for n, s in enumerate(script.scenes, 1)
    }
    done: list[Shot] = []
    for shot in shots:
        update: dict[str, Any] = {}
        if not shot.screen and shot.subjects:
            scene_sides = sides.get(shot.scene, {})
            update["screen"] = {n: scene_sides.get(n, 0.5) for n in shot.subjects}
        done.append(shot.model_copy(update=update) if update else shot)
    return with_prompts(fallback.model_copy(update={"shots": done}))


def _instructions(longest: float) -> str:
    def names(cls: Any) -> str:
        return ", ".join(f"{m.value} ({m.zh})" for m in cls)

    return (
        "You are a film director and cinematographer. Turn the screenplay (JSON) into a "
        'shot list: a JSON object {"shots": [...]} whose shots follow the schema.\n'
        "Film grammar: an establishing shot when the location changes; open a dialogue on "
        "a two-shot, then over-the-shoulder shots and singles of the speaker; reaction "
        "shots when a line lands; the 180-degree rule (`screen`: each subject's place "
        "across the frame, 0 left to 1 right, kept for the whole scene); never two "
        "consecutive shots of the same subject at the same size and angle; follow any "
        "camera direction written in the text.\n"
        f"size: {names(ShotSize)}\nangle: {names(Angle)}\nmove: {names(CameraMove)}\n"
        f"transition: {names(TransitionKind)}\n"
        f"duration: seconds, at most {longest:g}. scene: the 1-based scene number. "
        "subjects: character names exactly as in `characters` or the people of `world`; "
        "a voice-over speaker is never a subject, an off-screen (O.S.) line shows the "
        "listener. things: the props and animals seen ({kind, name, holder}), kinds as in "
        "`world`; actions: what each subject does (name -> one of "
        f"{', '.join(load_vocabulary().actions)}); focus: the subject or thing kind framed "
        "first (an insert of a prop has no subjects and the prop as focus); card: the "
        "text of a title card (centred text). Every spoken line goes in "
        "exactly one shot's `lines`, with the speaker and text as written. Write `prompt` "
        "and `negative` (a text-to-video prompt and what to avoid) in English (en) and "
        "Chinese (zh). Answer with the JSON object only."
    )


def _script_message(script: Script, planned: Storyboard | None = None) -> str:
    """The screenplay, with the world read from it (each scene's place, weather and
    people, and the props its shots show) when there is one."""
    data = script.model_dump(mode="json", exclude={"notes", "title_page"})
    if planned is not None and planned.scenes:
        things = sorted({t.kind for shot in planned.shots for t in shot.things})
        data["world"] = {
            "scenes": [info.model_dump(mode="json") for info in planned.scenes],
            "props": things,
        }
    return json.dumps(data, ensure_ascii=False)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""
