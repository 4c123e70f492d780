"""A matrix of films from one brief, made in one project.

    manifest = make_variants(brief, out_dir, matrix, MakeConfig(picture="clean"))

Every variant is a make of the same project, one after another: the cast is the
project's, and a take whose key does not change between variants comes from the
project's take cache instead of being rendered again. For each language, aspect and
call to action, the longest length is made first: planned from the brief in its own
words at that length and localized after (its lines and cards in its language), so
the languages of one aspect share every shot the words do not show (a voice-over's
picture too: run.jobs.picture_request). Each shorter length is cut down from it
(variants/cutdown.py): the same shots at re-fitted lengths, each take the first
frames of the longer film's, copied by packets, so a shorter length renders nothing.
The shots render on one executor for the whole matrix (local worker processes kept
for all its makes, or one Ray session). The manifest is written after every film, in
the matrix's order, so a matrix stopped half-way lists what it made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from storyreel.config import MakeConfig
from storyreel.events import EventFn
from storyreel.keys import file_digest
from storyreel.make import Film, Progress, make_film, voiced_frames
from storyreel.media.aspect import aspect_size
from storyreel.project import Project
from storyreel.run.executors import Executor, executor_for
from storyreel.script import read_story
from storyreel.store import open_store
from storyreel.variants.cutdown import cutdown_board
from storyreel.variants.manifest import FilmRow, Manifest, write_manifest
from storyreel.variants.matrix import Variant, VariantMatrix
from storyreel.variants.transform import (
    localize_board,
    locked_board,
    missing_error,
    translation_table,
    untranslated,
    variant_script,
)
from storyreel.voice import Voice
from storyreel.voice.engines import load_voice

if TYPE_CHECKING:
    import httpx

    from storyreel.direct.llm import LlmOptions

from storyreel.model import Script, Storyboard


@dataclass(frozen=True)
class VariantProgress:
    """Where a matrix is: film `index` (1-based) of `total`, and that make's progress."""

    index: int
    total: int
    variant: str
    make: Progress


def default_folder(brief: Path) -> Path:
    """`spring_tea.md` -> `spring_tea.variants/` beside it."""
    return brief.with_name(f"{brief.stem}.variants")


def translation_tables(
    script: Script,
    brief: Path,
    matrix: VariantMatrix,
    llm: LlmOptions | None = None,
    *,
    client: httpx.Client | None = None,
) -> dict[str, dict[str, str]]:
    """For each language of the matrix, the texts the brief leaves untranslated and
    their translations by the LLM; without `llm`, VariantError names the first one."""
    tables: dict[str, dict[str, str]] = {}
    for language in matrix.languages:
        needed = untranslated(script, language, matrix.ctas)
        if not needed:
            continue
        if llm is None:
            raise missing_error(brief, language, needed[0])
        from storyreel.direct.translate import translate_texts

        sources = list(dict.fromkeys(item.text for item in needed))
        done = translate_texts(sources, language, llm, client=client)
        tables[language] = dict(zip(sources, done, strict=True))
    return tables


def make_variants(
    brief: Path,
    folder: Path,
    matrix: VariantMatrix,
    config: MakeConfig | None = None,
    *,
    project: Project | None = None,
    llm: LlmOptions | None = None,
    progress: Callable[[VariantProgress], None] | None = None,
    on_event: EventFn | None = None,
    client: httpx.Client | None = None,
) -> Manifest:
    """Make every film of `matrix` from `brief` into `folder`, with its manifest. Every
    translation is settled before the first film is made: a missing one fails at once."""
    config = config or MakeConfig(picture="clean")
    project = project or Project.at(None, brief)
    script = read_story(brief)
    tables = translation_tables(script, brief, matrix, llm, client=client)
    variants = matrix.variants()
    by_lang = {
        lang: translation_table(script, lang, matrix.ctas, tables.get(lang), brief=brief)
        for lang in matrix.languages
    }
    folder.mkdir(parents=True, exist_ok=True)
    # One executor for every make: a Ray session, or the local worker processes, are
    # started once, not once per film.
    runner = executor_for(
        config.executor,
        workers=config.workers,
        ray_address=config.ray_address,
        keep_workers=True,
    )
    try:
        return _make_all(
            brief, folder, variants, config, project, script, by_lang, runner, progress, on_event
        )
    finally:
        close = getattr(runner, "close", None)
        if close is not None:
            close()


# The matrix's makes: what make_variants settled, passed on whole.
def _make_all(
    brief: Path,
    folder: Path,
    variants: list[Variant],
    config: MakeConfig,
    project: Project,
    script: Script,
    by_lang: Mapping[str, Mapping[str, str]],
    runner: Executor,
    progress: Callable[[VariantProgress], None] | None,
    on_event: EventFn | None,
) -> Manifest:
    manifest = Manifest(brief=str(brief))
    lock = PictureLock(by_lang, project, config)
    made: dict[str, Film] = {}
    rank = {variant.key: n for n, variant in enumerate(variants)}
    order = making_order(variants)
    for index, (variant, master) in enumerate(order, start=1):
        out = folder / f"{variant.name(brief.stem)}.mp4"
        width, height = aspect_size(variant.aspect, config.width, config.height)
        framed = config.model_copy(
            update={"width": width, "height": height, "message": f"variant {variant.key}"}
        )

        def report(event: Progress, index: int = index, variant: Variant = variant) -> None:
            if progress is not None:
                progress(VariantProgress(index, len(order), variant.key, event))

        localize: Callable[[Storyboard], Storyboard] = partial(lock.localized, variant)
        cutdown: dict[str, str] = {}
        if master is not None:
            longer = made[master.key]
            board = cutdown_board(longer.storyboard, longer.timeline, variant.length)
            localize, cutdown = partial(_instead, board), longer.take_keys
        film = make_film(
            brief,
            out,
            framed,
            project=project,
            progress=report,
            on_event=on_event,
            script=variant_script(script, variant),
            executor=runner,
            localize=localize,
            cutdown=cutdown,
        )
        made[variant.key] = film
        row = film_row(variant, film, folder, _scores(project, film))
        rows = sorted([*manifest.films, row], key=lambda r: rank[r.variant])
        manifest = manifest.model_copy(update={"films": rows})
        write_manifest(folder, manifest)
    return manifest


class PictureLock:
    """One cut of the picture for every language of a frame, length and call to action,
    as a film is localized: each shot as long as its longest language's speech needs.
    Then a shot that shows no words is one take for every language, even the one whose
    voice-over is longest (without the lock, its shot alone would be rendered again).
    Each lock is worked out when the first language's film is planned, by voicing the
    plan in every language through the project's voice cache (so the makes of the
    other languages speak nothing again)."""

    def __init__(
        self, tables: Mapping[str, Mapping[str, str]], project: Project, config: MakeConfig
    ) -> None:
        self.tables, self.project, self.config = tables, project, config
        self.voice: Voice | None = None
        self.locks: dict[tuple[str, int, str | None, int | None], dict[str, int]] = {}

    def localized(self, variant: Variant, planned: Storyboard) -> Storyboard:
        """The variant's planned storyboard, locked, in its language (make_film's
        `localize`: it runs once the plan is made, before anything is voiced)."""
        language = variant.language
        if len(self.tables) > 1:
            key = (variant.aspect, variant.length, variant.cta, variant.cta_index)
            if key not in self.locks:
                self.locks[key] = self._lock(planned)
            planned = locked_board(planned, self.locks[key])
        return localize_board(planned, language, self.tables[language])

    def _lock(self, planned: Storyboard) -> dict[str, int]:
        if self.voice is None:
            self.voice = load_voice(self.config.voice, self.config.voice_options)
        frames: dict[str, int] = {}
        for language, table in self.tables.items():
            voiced = voiced_frames(
                localize_board(planned, language, table), self.project, self.voice
            )
            for shot, count in voiced.items():
                frames[shot] = max(frames.get(shot, 0), count)
        return frames


def _instead(board: Storyboard, planned: Storyboard) -> Storyboard:
    """A cutdown's storyboard in place of the one planned from the brief at its length:
    the longer film's shots are what it cuts from."""
    return board


def making_order(variants: Sequence[Variant]) -> list[tuple[Variant, Variant | None]]:
    """The variants in the order they are made, each with the one it is cut down from
    (None: made whole): for each language, aspect and call to action, its longest
    length first, then the shorter ones cut down from it."""
    groups: dict[tuple[str, str, str | None, int | None], list[Variant]] = {}
    for variant in variants:
        key = (variant.language, variant.aspect, variant.cta, variant.cta_index)
        groups.setdefault(key, []).append(variant)
    order: list[tuple[Variant, Variant | None]] = []
    for group in groups.values():
        longest = max(group, key=lambda v: v.length)
        order.append((longest, None))
        order.extend((v, longest) for v in group if v is not longest)
    return order


def film_row(
    variant: Variant, film: Film, folder: Path, scores: Mapping[str, list[bool]]
) -> FilmRow:
    """The manifest's row of one made film; `scores` are its checks' verdicts by shot."""
    renders = film.renders
    rendered = len(renders.rendered) if renders else 0
    # A take cut down from a longer film's is reused too: no engine ran for it.
    reused = len(renders.cached) + len(renders.pinned) + len(renders.trimmed) if renders else 0
    return FilmRow(
        variant=variant.key,
        language=variant.language,
        aspect=variant.aspect,
        length=variant.length,
        cta=variant.cta,
        file=film.path.relative_to(folder).as_posix(),
        duration=media_duration(film.path),
        shots=len(film.storyboard.shots),
        takes_rendered=rendered,
        takes_reused=reused,
        qa_passed=sum(v for verdicts in scores.values() for v in verdicts),
        qa_failed=sum(not v for verdicts in scores.values() for v in verdicts),
        failing_shots=[shot for shot, verdicts in scores.items() if not all(verdicts)],
        sha256=file_digest(film.path),
    )


def _scores(project: Project, film: Film) -> dict[str, list[bool]]:
    """Each shot's checks as the store holds them for its take (a take reused from the
    cache was judged by the make that rendered it), applicable ones only."""
    keys = film.renders.keys if film.renders else {}
    store = open_store(project)
    try:
        stored = store.scores(list(keys.values()))
    finally:
        store.close()
    return {
        shot: [s.passed for s in stored.get(key, []) if s.applicable] for shot, key in keys.items()
    }


def media_duration(path: Path) -> float:
    """The film's length as its container says, in seconds."""
    import av

    with av.open(str(path)) as container:
        if container.duration is None:
            return 0.0
        return float(container.duration / av.time_base)
