"""``safeside check`` prints what a practitioner needs to act on."""

from __future__ import annotations

import subprocess
import sys

import pytest
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
    shown = " ".join(result.output.split())  # as read: Rich wraps lines at the terminal width
    assert "Risk of suicide or self-harm" in shown
    assert "evidence:" in shown
    assert "reads like:" in shown and "(an invented training example)" in shown


def test_a_bad_model_setting_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import safeside
    from safeside.detectors.encoder import load_encoder

    monkeypatch.setenv("SAFESIDE_MODEL_THREADS", "abc")
    monkeypatch.setattr(safeside, "_default", None)  # restored after the test
    load_encoder.cache_clear()  # read the setting again (a failed load is not cached)

    result = CliRunner().invoke(app, ["check", "hello"])

    assert result.exit_code == 2
    assert "SAFESIDE_MODEL_THREADS must be a whole number of 1 or more, not 'abc'" in result.output
    assert "Traceback" not in result.output


def test_check_starts_without_the_database_or_digest_layers() -> None:
    """``safeside check`` is the quick path (cold start target ≤ 2 s): loading the command
    line must not import SQLAlchemy or the digest's clustering, which other commands use."""
    probe = (
        "import sys; import safeside.cli; "
        "print(sorted(m for m in ('sqlalchemy', 'safeside.learning.digest') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
