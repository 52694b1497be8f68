"""An organisation changes the pipeline with one YAML file, no code."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeside.pipeline.analyzer import Analyzer
from safeside.pipeline.config import ConfigError, load_config

NORTHDALE = """
patterns:
  - name: northdale.case_id
    label: CASE_REF
    regex: '\\bNDC-\\d{6}\\b'
    score: 0.9
    explanation: Northdale case-management number
terms:
  - concern: unprofessional
    terms: [frequent flyer, bed blocker]
    weight: 0.7
    severity: medium
    explanation: derogatory slang for people who use services
"""


def write(tmp_path: Path, text: str, name: str = "northdale.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_an_organisation_adds_its_own_identifier_pattern(tmp_path: Path) -> None:
    analyzer = Analyzer.from_config(write(tmp_path, NORTHDALE))
    result = analyzer.analyze("Notes for NDC-004512 are on the system", "own")
    [ref] = [e for e in result.entities if e.label == "CASE_REF"]
    assert ref.text == "NDC-004512"
    assert ref.detector == "northdale.case_id"


def test_an_organisation_adds_its_own_concern_terms(tmp_path: Path) -> None:
    analyzer = Analyzer.from_config(write(tmp_path, NORTHDALE))
    result = analyzer.analyze("Another frequent flyer in A&E tonight, honestly", "own")
    [concern] = [c for c in result.concerns if c.label == "unprofessional"]
    assert "derogatory slang for people who use services" in concern.explanation
    assert any(span.text.lower() == "frequent flyer" for span in concern.evidence)


def test_the_default_pipeline_does_not_know_the_local_terms() -> None:
    result = Analyzer.from_config(None).analyze("Notes for NDC-004512 are on the system", "own")
    assert not any(e.text == "NDC-004512" and e.label == "CASE_REF" for e in result.entities)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "patterns:\n  - {label: CASE, regex: 'x'}\n",
            r"patterns\[0\] has label .CASE.; use one of",
        ),
        (
            "terms:\n  - {concern: gossip, terms: [x]}\n",
            r"terms\[0\] has concern .gossip.; use one of",
        ),
        ("patterns: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "must be a YAML mapping"),
    ],
)
def test_mistakes_name_the_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError, match=message) as error:
        load_config(path)
    assert "northdale.yaml" in str(error.value) or "YAML" in str(error.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read configuration file"):
        load_config(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "disable: [names.mdoel]",
            "disable: unknown detector 'names.mdoel' (did you mean 'names.model'?)",
        ),
        (
            "options: {names.modle: {min_score: 0.3}}",
            "unknown detector 'names.modle' (did you mean 'names.model'?)",
        ),
        (
            "options: {names.model: {min_scor: 0.3}}",
            "names.model: unknown option 'min_scor' (did you mean 'min_score'?)",
        ),
        ("options: {names.model: {min_score: high}}", "option 'min_score' must be float, not str"),
        ("disabel: [names.model]", "unknown setting 'disabel' (did you mean 'disable'?)"),
    ],
)
def test_a_typo_in_a_configuration_file_is_named_with_the_nearest_valid_name(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_valid_options_reach_the_detector(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text("options: {names.model: {min_score: 0.9}}", encoding="utf-8")
    analyzer = Analyzer(load_config(path))
    tagger = next(d for d in analyzer.entity_detectors if d.name == "names.model")
    assert tagger.min_score == 0.9  # type: ignore[attr-defined]
