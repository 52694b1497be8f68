"""Pipeline configuration: the default YAML plus an organisation's overrides.

An organisation's file can ``disable`` detectors, add ``patterns`` (entity regexes),
add ``terms`` (concern cue phrases) and name its own ``playbook`` file, all without code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from safeside.engine.registry import ConfigError, nearest, registry
from safeside.guidance.playbook import Playbook, load_playbook
from safeside.settings import engine_config_file
from safeside.taxonomy import CONCERNS, ENTITY_LABELS

__all__ = [
    "ConfigError",
    "PipelineConfig",
    "configured_playbook",
    "default_config",
    "load_config",
]


@dataclass(slots=True)
class PipelineConfig:
    entities: list[str]
    concerns: list[str]
    playbook: str
    patterns: list[dict[str, Any]] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    base_dir: Path | None = None


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{where} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a YAML mapping (key: value), not {type(data).__name__}")
    return data


def default_config() -> PipelineConfig:
    text = resources.files("safeside.config").joinpath("default.yaml").read_text("utf-8")
    data = _read_yaml(text, "the default configuration")
    return PipelineConfig(list(data["entities"]), list(data["concerns"]), str(data["playbook"]))


def load_config(path: str | Path | None) -> PipelineConfig:
    """The default pipeline, with the organisation's file at ``path`` applied if given."""
    config = default_config()
    if path is None:
        return config
    p = Path(path)
    try:
        data = _read_yaml(p.read_text("utf-8"), str(p))
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file {p}: {exc.strerror}") from None
    config.base_dir = p.parent
    keys = ("disable", "patterns", "terms", "playbook", "options")
    for key in sorted(set(data) - set(keys)):
        raise ConfigError(
            f"{p}: unknown setting {key!r}{nearest(key, keys)}; use one of {', '.join(keys)}"
        )
    _register_builtins()
    disabled = set(data.get("disable") or [])
    for name in sorted(disabled):
        registry.check_name(str(name), f"{p}: disable")
    config.entities = [d for d in config.entities if d not in disabled]
    config.concerns = [d for d in config.concerns if d not in disabled]
    for i, pat in enumerate(data.get("patterns") or []):
        if not isinstance(pat, dict) or "regex" not in pat or "label" not in pat:
            raise ConfigError(f"{p}: patterns[{i}] needs at least 'label' and 'regex'")
        if pat["label"] not in ENTITY_LABELS:
            raise ConfigError(
                f"{p}: patterns[{i}] has label {pat['label']!r}; use one of {', '.join(ENTITY_LABELS)}"
            )
        config.patterns.append(pat)
    for i, term in enumerate(data.get("terms") or []):
        if not isinstance(term, dict) or "concern" not in term or "terms" not in term:
            raise ConfigError(f"{p}: terms[{i}] needs 'concern' and a list of 'terms'")
        if term["concern"] not in CONCERNS:
            raise ConfigError(
                f"{p}: terms[{i}] has concern {term['concern']!r}; use one of {', '.join(CONCERNS)}"
            )
        config.terms.append(term)
    if data.get("playbook"):
        pb = Path(str(data["playbook"]))
        config.playbook = str(pb if pb.is_absolute() else p.parent / pb)
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise ConfigError(f"{p}: options must map detector names to settings")
    config.options = {}
    for name, values in options.items():
        if values is not None and not isinstance(values, dict):
            raise ConfigError(f"{p}: options: {name} must map option names to values")
        registry.options(str(name), values, f"{p}: options")  # checked now, built later
        config.options[str(name)] = dict(values or {})
    return config


def _register_builtins() -> None:
    import safeside.detectors  # noqa: F401  (registers the built-in detectors)


def configured_playbook(config: str | None = None) -> Playbook:
    """The playbook the engine uses: the one named by the organisation's configuration
    file (``config``, else ``SAFESIDE_CONFIG``), else ``uk-default``."""
    return _configured_playbook(config or engine_config_file())


@cache
def _configured_playbook(config: str | None) -> Playbook:
    return load_playbook(load_config(config).playbook)
