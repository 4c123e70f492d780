"""The vocabularies that turn words into a scene's world: setting kinds, props and
animals, actions, weather, kinds of people, the cues that tell a person's gender, and
the sound of it all (ambience beds, foley, score styles: sound.yaml).

Each is a YAML file in this folder; a user extends them with files of their own (a
project's vocab/*.yaml, or paths given on the command line). A user file named after
a vocabulary (props.yaml) holds entries of that vocabulary; any other file holds them
under the vocabulary's name (`props: {...}`, `settings: {...}`). A user entry with a
new key adds a kind; one with a bundled key changes only the fields it gives.

    vocabulary = load_vocabulary([Path("my-film/vocab/props.yaml")])
    vocabulary.props["lantern"].zh  # ('灯笼', '纸灯笼', ...)

Loading is cached by the files' paths and modification times: planning asks for the
vocabulary once per scene and must not read YAML each time.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from storyreel.errors import StoryreelError
from storyreel.world import AgeBand, Gender, PlaceInterior, WeatherKind

BUNDLED = Path(__file__).parent
# libyaml's loader when PyYAML was built with it: several times faster on these files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
VOCABULARIES = ("settings", "props", "actions", "weather", "people", "names", "sound")

PropFamily = Literal[
    "light",
    "weapon",
    "vessel",
    "container",
    "paper",
    "furniture",
    "vehicle",
    "device",
    "instrument",
    "food",
    "toy",
    "tool",
    "wear",
    "plant",
    "animal",
]


class VocabularyError(StoryreelError):
    """A vocabulary file cannot be read or has an entry that is not valid."""


def _words(value: object) -> object:
    # One word may be written without a list: `en: lantern`.
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return value


def _lower_words(value: object) -> object:
    value = _words(value)
    return tuple(v.lower() for v in value) if isinstance(value, tuple) else value


# English is matched case-insensitively, so its words are kept lower-case.
EnWords = Annotated[tuple[str, ...], BeforeValidator(_lower_words)]
ZhWords = Annotated[tuple[str, ...], BeforeValidator(_words)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # The words that name the kind.
    en: EnWords = ()
    zh: ZhWords = ()


class SettingKind(_Entry):
    interior: PlaceInterior
    crowd: bool = False


class PropKind(_Entry):
    family: PropFamily
    size: float = Field(gt=0, le=1000, description="typical largest dimension, metres")
    held: bool
    # English forms of the word that are also a verb ("rings", "rang"): right after a
    # subject ("A bell rings", "Mei rings it") they are read as the verb, not the thing.
    verbs: EnWords = ()


class ActionKind(_Entry):
    # The action puts its object in the doer's hand (holds, opens, drinks).
    holds: bool = False


class WeatherWords(_Entry):
    # Words that say the weather is light (drizzle, 细雨) or heavy (downpour, 暴雨).
    light: EnWords = ()
    heavy: EnWords = ()


class PersonKind(_Entry):
    gender: Gender | None = None
    age: AgeBand | None = None


class SoundEntry(_Entry):
    """What a world kind sounds like (sound.yaml; its key says which kind, e.g.
    `setting/harbour`, `weather/rain`, `action/walk`, `prop/sword`, `score/ad`)."""

    # Ambience beds and their gain in dB: anywhere, outdoors only, indoors only.
    beds: dict[str, Annotated[float, Field(ge=-60, le=12)]] = {}
    outdoors: dict[str, Annotated[float, Field(ge=-60, le=12)]] = {}
    indoors: dict[str, Annotated[float, Field(ge=-60, le=12)]] = {}
    # One-shot foley kinds: what the action (or thing) sounds like on its own.
    foley: tuple[str, ...] = ()
    # A thing's sound when an action is done with it, or an action's in a setting:
    # `when: {fight: [sword_clash]}` (not `on:`, which YAML reads as true).
    when: dict[str, tuple[str, ...]] = {}
    # A score style: the mood word, mode, tempo in bpm, instruments and the keys to
    # pick from; `weight` breaks ties between styles whose cue words are both found.
    mood: str = ""
    mode: Literal["major", "minor"] = "major"
    tempo: float = Field(default=90.0, ge=40, le=200)
    instruments: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    weight: float = Field(default=1.0, ge=0, le=100)


class GenderCues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    words: _Entry = _Entry()
    titles: _Entry = _Entry()
    given: _Entry = _Entry()


_MODELS: dict[str, type[BaseModel]] = {
    "settings": SettingKind,
    "props": PropKind,
    "actions": ActionKind,
    "weather": WeatherWords,
    "people": PersonKind,
    "names": GenderCues,
    "sound": SoundEntry,
}
_FIXED_KEYS: dict[str, tuple[str, ...]] = {
    "weather": get_args(WeatherKind),
    "names": get_args(Gender),
}


# Compared and hashed by identity: the loader hands out one per set of files, and what
# is built from it (the lexicon) is cached on it.
@dataclass(frozen=True, eq=False)
class Vocabulary:
    settings: Mapping[str, SettingKind]
    props: Mapping[str, PropKind]
    actions: Mapping[str, ActionKind]
    weather: Mapping[str, WeatherWords]
    people: Mapping[str, PersonKind]
    names: Mapping[str, GenderCues]
    sound: Mapping[str, SoundEntry]
    # The files it was read from, bundled first: a cache key for what is built from it.
    sources: tuple[str, ...] = ()


def load_vocabulary(paths: Iterable[Path] = ()) -> Vocabulary:
    """The bundled vocabularies extended by the YAML files at `paths`, in order (a later
    file wins on the same key). Raises VocabularyError naming the file and the entry."""
    files = [Path(p) for p in paths]
    keys = []
    for path in files:
        try:
            keys.append((str(path.resolve()), path.stat().st_mtime_ns))
        except OSError as exc:
            raise VocabularyError(f"{path}: cannot read the vocabulary file ({exc})") from exc
    return _load(tuple(keys))


def project_vocabulary_files(folder: Path) -> tuple[Path, ...]:
    """A project's own vocabulary files: vocab/*.yaml (and *.yml) in its folder."""
    folder = Path(folder) / "vocab"
    if not folder.is_dir():
        return ()
    return tuple(sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]))


@functools.cache
def _load(user_files: tuple[tuple[str, int], ...]) -> Vocabulary:
    raw: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in VOCABULARIES}
    origin: dict[tuple[str, str], Path] = {}
    bundled = [BUNDLED / f"{name}.yaml" for name in VOCABULARIES]
    for path in [*bundled, *(Path(p) for p, _ in user_files)]:
        for vocabulary, entries in _sections(path).items():
            for key, fields in entries.items():
                if not isinstance(fields, dict):
                    raise VocabularyError(
                        f"{path}: {vocabulary} entry {key!r} must be a mapping of fields "
                        f"(en: [...], zh: [...], ...), not {fields!r}"
                    )
                # A bundled key changes only the fields the user gives.
                raw[vocabulary].setdefault(str(key), {}).update(fields)
                origin[(vocabulary, str(key))] = path
    built: dict[str, dict[str, Any]] = {}
    for vocabulary, entries in raw.items():
        model = _MODELS[vocabulary]
        built[vocabulary] = {}
        for key, fields in entries.items():
            path = origin[(vocabulary, key)]
            fixed = _FIXED_KEYS.get(vocabulary)
            if fixed and key not in fixed:
                raise VocabularyError(
                    f"{path}: {vocabulary} has no kind {key!r}; "
                    f"the {vocabulary} kinds are {', '.join(fixed)}"
                )
            try:
                built[vocabulary][key] = model.model_validate(fields)
            except ValidationError as exc:
                raise VocabularyError(
                    f"{path}: {vocabulary} entry {key!r} is not valid: {_first_error(exc)}"
                ) from exc
    return Vocabulary(
        **built,
        sources=tuple(str(p) for p in bundled) + tuple(p for p, _ in user_files),
    )


def _sections(path: Path) -> dict[str, dict[str, Any]]:
    """The entries a file holds, per vocabulary."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except (OSError, UnicodeDecodeError) as exc:
        raise VocabularyError(f"{path}: cannot read the vocabulary file ({exc})") from exc
    except yaml.YAMLError as exc:
        raise VocabularyError(f"{path}: is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise VocabularyError(f"{path}: must be a mapping of kinds to their fields")
    if path.stem in VOCABULARIES:
        return {path.stem: data}
    unknown = [k for k in data if k not in VOCABULARIES]
    if unknown:
        raise VocabularyError(
            f"{path}: unknown vocabulary {unknown[0]!r}: name the file after a vocabulary "
            f"({', '.join(f'{v}.yaml' for v in VOCABULARIES)}) or put its entries under "
            f"one of {', '.join(VOCABULARIES)}"
        )
    sections: dict[str, dict[str, Any]] = {}
    for name, entries in data.items():
        if not isinstance(entries, dict):
            raise VocabularyError(f"{path}: {name} must be a mapping of kinds to their fields")
        sections[name] = entries
    return sections


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
