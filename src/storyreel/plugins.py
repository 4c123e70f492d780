"""Plugin groups: what storyreel finds through Python entry points, and how.

Five groups, each an entry-point group whose entries are classes with a `name`, an
optional pydantic `Options` model and one method:

    storyreel.engines    render(request) -> Take           (render/engine.py)
    storyreel.voices     synthesize(text, lang, profile)   (voice/base.py)
    storyreel.planners   plan(script, request) -> Storyboard  (direct/planner.py)
    storyreel.checks     check(take, request) -> CheckResult  (qa/)
    storyreel.exporters  export(request) -> list[Path]     (deliver/)

storyreel's own entries are registered in its pyproject.toml exactly as a separate
package registers its own::

    [project.entry-points."storyreel.voices"]
    myvoice = "my_package.voice:MyVoice"

An entry with settings declares them as `Options` (a pydantic model; extra="forbid" so
a typo is an error) and takes an instance of it as its constructor's one argument; an
entry without settings is built with no argument. `Registry.load(name, options)`
validates the user's values, builds the entry and checks it has the group's method.
Only the named entry is imported; listing a group (`describe`) imports each entry's
module but builds nothing, so no weights are read and no server is called.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from storyreel.errors import StoryreelError

if TYPE_CHECKING:
    from pydantic import BaseModel

# Every group storyreel reads, by its short name (the CLI's and the API's word for it).
GROUPS: dict[str, str] = {
    "engines": "storyreel.engines",
    "voices": "storyreel.voices",
    "planners": "storyreel.planners",
    "checks": "storyreel.checks",
    "exporters": "storyreel.exporters",
}

T = TypeVar("T")


class PluginError(StoryreelError):
    """A plugin is missing, misconfigured, or not what its group expects."""


def entries(group: str) -> dict[str, EntryPoint]:
    """The entry points registered in `group`, by name. Reading every installed
    distribution's metadata takes ~10 ms, which a make would pay once per lookup, so it
    is read once per import path (a plugin installed later needs a new process)."""
    return dict(_entries(group, tuple(sys.path)))


@functools.lru_cache(maxsize=32)
def _entries(group: str, path: tuple[str, ...]) -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=group)}


def options_model(cls: type) -> type[BaseModel] | None:
    """The entry's `Options` model, or None for an entry without settings."""
    # pydantic is imported when an entry's options are read, not when the groups are
    # listed: `storyreel --help` names the groups without building a model.
    from pydantic import BaseModel

    schema = getattr(cls, "Options", None)
    return schema if isinstance(schema, type) and issubclass(schema, BaseModel) else None


def options_schema(cls: type) -> dict[str, Any]:
    """The entry's options as JSON Schema; an entry without settings takes an empty
    object, so every entry has a schema a form can be built from."""
    schema = options_model(cls)
    if schema is None:
        return {"type": "object", "properties": {}, "additionalProperties": False}
    return schema.model_json_schema()


@dataclass(frozen=True)
class Registry(Generic[T]):
    """One plugin group: where its entries are registered and what each must be.

    `kind` names one entry in messages ("engine", "voice"); `error` is what a missing or
    misconfigured entry raises; `protocol` is the runtime-checkable protocol an entry's
    instance meets, `method` how its one method reads in an error."""

    group: str
    kind: str
    error: type[StoryreelError]
    protocol: type
    method: str

    def entries(self) -> dict[str, EntryPoint]:
        return entries(self.group)

    def plugin_class(self, name: str) -> type[T]:
        """The entry registered as `name`, imported but not built."""
        eps = self.entries()
        if name not in eps:
            known = ", ".join(sorted(eps)) or "none"
            raise self.error(f"unknown {self.kind} {name!r}; installed {self.kind}s: {known}")
        try:
            return cast(type[T], eps[name].load())
        except (ImportError, AttributeError) as exc:
            raise self.error(
                f"{self.kind} {name!r} ({eps[name].value}) cannot be imported: "
                f"{type(exc).__name__}: {exc}; reinstall the package that provides it"
            ) from exc

    def options(self, cls: type, name: str, options: Mapping[str, Any] | None) -> BaseModel | None:
        """`options` validated against the entry's `Options`; None for an entry without
        settings. A bad value is an error that names the field, the problem and the
        options the entry has."""
        schema = options_model(cls)
        if schema is None or not schema.model_fields:
            if options:
                got = ", ".join(sorted(options))
                raise self.error(f"{self.kind} {name!r} takes no options; got {got}")
            return None if schema is None else schema()
        from pydantic import ValidationError

        try:
            return schema.model_validate(dict(options or {}))
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'options'}: {e['msg']}" for e in exc.errors()
            )
            known = ", ".join(schema.model_fields)
            raise self.error(
                f"{self.kind} {name!r}: bad option ({problems}); its options are: {known}"
            ) from None

    def load(self, name: str, options: Mapping[str, Any] | None = None) -> T:
        """Build the entry registered as `name` with its `options` validated."""
        cls: Any = self.plugin_class(name)
        validated = self.options(cls, name, options)
        built = cls() if validated is None else cls(validated)
        if not isinstance(built, self.protocol):
            where = self.entries()[name].value
            raise self.error(f"{self.kind} {name!r} ({where}) does not implement {self.method}")
        return cast(T, built)


@dataclass(frozen=True)
class OptionInfo:
    """One option as a person reads it: its type, default and allowed values."""

    name: str
    type: str
    default: Any
    required: bool
    # "1 ≤ x ≤ 200", "one of: draft, final"; "" when anything of the type goes.
    limits: str
    description: str = ""


@dataclass(frozen=True)
class PluginInfo:
    """One installed entry of a group, for listings (`storyreel plugins`, the API)."""

    name: str
    target: str  # "module:Class", as registered
    summary: str
    schema: dict[str, Any]
    # Why the entry could not be imported (a broken plugin is listed, not fatal).
    error: str | None = None

    @property
    def options(self) -> list[OptionInfo]:
        return describe_options(self.schema)


def describe(group: str) -> list[PluginInfo]:
    """Every entry of `group` (a full entry-point group name), sorted by name."""
    found: list[PluginInfo] = []
    for name, ep in sorted(entries(group).items()):
        try:
            cls = ep.load()
        except Exception as exc:  # a third party's bug: listed with its error, not fatal
            empty = options_schema(object)
            found.append(PluginInfo(name, ep.value, "", empty, f"{type(exc).__name__}: {exc}"))
            continue
        doc = (getattr(cls, "__doc__", None) or "").strip()
        summary = " ".join(doc.split("\n\n", 1)[0].split())
        found.append(PluginInfo(name, ep.value, summary, options_schema(cls)))
    return found


def describe_options(schema: Mapping[str, Any]) -> list[OptionInfo]:
    """The options of a JSON Schema object as rows: name, type, default, limits."""
    required = set(schema.get("required", ()))
    defs: Mapping[str, Any] = schema.get("$defs", {})
    rows = []
    for name, prop in schema.get("properties", {}).items():
        spec = _resolve(prop, defs)
        rows.append(
            OptionInfo(
                name=name,
                type=_type_name(spec, defs),
                default=prop.get("default"),
                required=name in required,
                limits=_limits(spec, defs),
                description=str(prop.get("description", "")),
            )
        )
    return rows


def _resolve(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return cast(Mapping[str, Any], defs.get(ref.removeprefix("#/$defs/"), {}))
    return spec


def _branches(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The non-null alternatives of an optional value (`int | None` is anyOf int, null)."""
    options = spec.get("anyOf") or spec.get("oneOf") or [spec]
    return [_resolve(o, defs) for o in options if o.get("type") != "null"]


def _type_name(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    """ "integer", "string or integer", "list of string"; an optional value reads as its
    type (its default, null, says it may be left unset)."""
    names = []
    for option in _branches(spec, defs) or [spec]:
        kind = option.get("type", "enum" if "enum" in option else "any")
        if kind == "array":
            items: Mapping[str, Any] = option.get("items") or next(
                iter(option.get("prefixItems", [])), {}
            )
            kind = f"list of {_type_name(items, defs)}"
        names.append(str(kind))
    return " or ".join(dict.fromkeys(names))


def _limits(spec: Mapping[str, Any], defs: Mapping[str, Any]) -> str:
    parts = []
    for option in _branches(spec, defs):
        if "enum" in option:
            parts.append("one of: " + ", ".join(map(str, option["enum"])))
        if "const" in option:
            parts.append(f"exactly {option['const']}")
        if numeric := _range(option):
            parts.append(numeric)
        if length := _range(
            {k.replace("Length", "imum"): v for k, v in option.items() if "Length" in k}
        ):
            parts.append(length.replace("x", "length", 1))
        if "pattern" in option:
            parts.append(f"matches {option['pattern']}")
    return "; ".join(parts)


def _range(spec: Mapping[str, Any]) -> str:
    """A number's limits as "1 ≤ x ≤ 200", "x > 0" or "x ≤ 20"; "" when it has none."""
    low = _side(spec, "minimum", "exclusiveMinimum")
    high = _side(spec, "maximum", "exclusiveMaximum")
    if low and high:
        return f"{low[0]:g} {low[1]} x {high[1]} {high[0]:g}"
    if low:
        return f"x {'>' if low[1] == '<' else '≥'} {low[0]:g}"
    if high:
        return f"x {high[1]} {high[0]:g}"
    return ""


def _side(spec: Mapping[str, Any], inclusive: str, exclusive: str) -> tuple[float, str] | None:
    if inclusive in spec:
        return float(spec[inclusive]), "≤"
    if exclusive in spec:
        return float(spec[exclusive]), "<"
    return None
