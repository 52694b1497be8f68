"""Documentation that cannot drift: the detector catalogue matches the registry."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_detector_catalogue_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_detector_docs", ROOT / "scripts/gen_detector_docs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (ROOT / "docs/detectors.md").read_text("utf-8")
    assert committed == module.render(), (
        "docs/detectors.md is out of date: run "
        ".venv/bin/python scripts/gen_detector_docs.py > docs/detectors.md"
    )


def test_every_default_detector_is_registered_and_documented() -> None:
    from safeside.engine.registry import registry
    from safeside.pipeline.config import default_config

    catalogue = (ROOT / "docs/detectors.md").read_text("utf-8")
    config = default_config()
    for name in config.entities + config.concerns:
        assert name in registry.names()
        assert f"`{name}`" in catalogue
