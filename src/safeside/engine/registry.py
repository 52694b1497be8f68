"""The detector registry: every detector is a small named component.

Built-in detectors register exactly as an organisation's own would::

    @registry.register("identifiers.uk_phone")
    def make_uk_phone(config: dict[str, Any]) -> Detector: ...

A pipeline is a list of detector names (see ``safeside/config/default.yaml``);
organisations add pattern and term detectors in their own YAML without code
(:mod:`safeside.engine.config`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from safeside.engine.doc import Doc


class Detector(Protocol):
    """Reads a :class:`Doc` and adds entities or concern signals to it."""

    name: str

    def __call__(self, doc: Doc) -> None: ...


Factory = Callable[[dict[str, Any]], Detector]


class Registry:
    """Maps detector names to factories."""

    def __init__(self) -> None:
        self._factories: dict[str, Factory] = {}

    def register(self, name: str) -> Callable[[Factory], Factory]:
        def decorator(factory: Factory) -> Factory:
            if name in self._factories:
                raise ValueError(f"detector {name!r} is already registered")
            self._factories[name] = factory
            return factory

        return decorator

    def create(self, name: str, config: dict[str, Any] | None = None) -> Detector:
        try:
            factory = self._factories[name]
        except KeyError:
            known = ", ".join(sorted(self._factories))
            raise KeyError(f"unknown detector {name!r}; known detectors: {known}") from None
        return factory(config or {})

    def names(self) -> list[str]:
        return sorted(self._factories)


registry = Registry()
