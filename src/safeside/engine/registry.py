"""The detector registry: every detector is a small named component with typed options.

Built-in detectors register exactly as an organisation's own would, declaring the options
they accept as a dataclass (like spaCy's factories with a config schema)::

    @dataclass(frozen=True)
    class NameOptions:
        min_score: float = 0.5

    @registry.register("names.model", options=NameOptions)
    def make_names(options: NameOptions) -> Detector: ...

A detector that takes no options registers without ``options`` and gets :class:`NoOptions`.
An unknown detector, an unknown option or a value of the wrong type is a
:class:`ConfigError` naming the nearest valid name, never a silent default.
A pipeline is a list of detector names (see ``safeside/config/default.yaml``).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, get_type_hints

from safeside.engine.doc import Doc
from safeside.errors import SafesideError


class ConfigError(SafesideError, ValueError):
    """A configuration cannot be used; the message names the file, the key and a fix."""


class Detector(Protocol):
    """Reads a :class:`Doc` and adds entities or concern signals to it."""

    name: str

    def __call__(self, doc: Doc) -> None: ...


@dataclasses.dataclass(frozen=True, slots=True)
class NoOptions:
    """For detectors that take no options."""


Factory = Callable[[Any], Detector]


def nearest(name: str, choices: Iterable[str]) -> str:
    """' (did you mean X?)' for the closest valid name, or '' when none is close."""
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def build_options(cls: type[Any], values: Mapping[str, Any], where: str) -> Any:
    """An instance of the options dataclass ``cls`` from ``values``, checked key by key."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    hints = get_type_hints(cls)
    for key, value in values.items():
        if key not in fields:
            valid = ", ".join(sorted(fields)) or "none"
            raise ConfigError(
                f"{where}: unknown option {key!r}{nearest(key, fields)}; valid options: {valid}"
            )
        if not _fits(value, hints.get(key, Any)):
            raise ConfigError(
                f"{where}: option {key!r} must be {_type_name(hints.get(key, Any))}, "
                f"not {type(value).__name__} ({value!r})"
            )
    return cls(**dict(values))


def _fits(value: Any, hint: Any) -> bool:
    if hint is Any:
        return True
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint in (int, str, bool):
        return isinstance(value, hint) and (hint is bool or not isinstance(value, bool))
    args = getattr(hint, "__args__", None)
    origin = getattr(hint, "__origin__", None)
    if args and origin is None:  # a union such as ``float | None``
        return any(_fits(value, a) for a in args)
    if origin in (list, tuple):
        return isinstance(value, list | tuple)
    if origin is dict:
        return isinstance(value, dict)
    if hint is type(None):
        return value is None
    return True


def _type_name(hint: Any) -> str:
    return getattr(hint, "__name__", str(hint)).replace("NoneType", "None")


@dataclasses.dataclass(frozen=True, slots=True)
class Registration:
    factory: Factory
    options: type[Any]


class Registry:
    """Maps detector names to factories and their option schemas."""

    def __init__(self) -> None:
        self._entries: dict[str, Registration] = {}

    def register(self, name: str, options: type[Any] = NoOptions) -> Callable[[Factory], Factory]:
        def decorator(factory: Factory) -> Factory:
            if name in self._entries:
                raise ValueError(f"detector {name!r} is already registered")
            self._entries[name] = Registration(factory, options)
            return factory

        return decorator

    def check_name(self, name: str, where: str = "configuration") -> None:
        """Raise :class:`ConfigError` unless ``name`` is a registered detector."""
        if name not in self._entries:
            raise ConfigError(
                f"{where}: unknown detector {name!r}{nearest(name, self._entries)}; "
                f"see docs/detectors.md for the list"
            )

    def options(
        self, name: str, values: Mapping[str, Any] | None, where: str = "configuration"
    ) -> Any:
        """The checked options object for ``name`` (defaults for anything not given)."""
        self.check_name(name, where)
        return build_options(self._entries[name].options, values or {}, f"{where}: {name}")

    def create(
        self, name: str, config: Mapping[str, Any] | None = None, where: str = "configuration"
    ) -> Detector:
        options = self.options(name, config, where)
        return self._entries[name].factory(options)

    def names(self) -> list[str]:
        return sorted(self._entries)


registry = Registry()
