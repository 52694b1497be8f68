"""Every cue id the aggregation rules name must be a shipped cue (a typo is a test failure)."""

from __future__ import annotations

import ast
import re
from importlib import resources

from safeside.detectors.concerns import builtin_cues
from safeside.taxonomy import CONCERNS

CUE_ID = re.compile(rf"^(?:{'|'.join(CONCERNS)})\.[a-z0-9_]+$")
RULE_MODULES = ("engine/aggregate.py", "detectors/arbiter.py")


def referenced_ids() -> set[str]:
    found: set[str] = set()
    for module in RULE_MODULES:
        source = resources.files("safeside").joinpath(module).read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and CUE_ID.match(value) and not value.endswith(".model"):
                found.add(value)
    return found


def test_the_rules_name_cues() -> None:
    assert len(referenced_ids()) > 40  # the rules do refer to cues by id


def test_every_cue_id_in_the_rules_exists() -> None:
    shipped = {cue.id for cue in builtin_cues()}
    missing = sorted(referenced_ids() - shipped)
    assert not missing, f"aggregation rules name cues that cues/*.yaml does not define: {missing}"
