"""``safeside check`` prints what a practitioner needs to act on."""

from __future__ import annotations

from typer.testing import CliRunner

from safeside.cli import app


def test_a_model_concern_names_its_words_and_the_example_it_reads_like() -> None:
    result = CliRunner().invoke(
        app,
        [
            "check",
            "--mode",
            "review",
            "sorted out who gets the cat, posted the keys back, won't need them after tomorrow",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "Risk of suicide or self-harm" in result.output
    assert "evidence:" in result.output
    assert "reads like:" in result.output and "(an invented training example)" in result.output
