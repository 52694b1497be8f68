"""One error tree: every exception class Safeside defines derives from ``SafesideError``
(read from the source with ``ast``), and none takes a library's name."""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

import safeside
from safeside.access.errors import AccessDenied, HashMismatch, NotReady, ViewingRefused
from safeside.errors import ContentError, InputError, SafesideError
from safeside.evaluation.readers import ReadError
from safeside.guidance.playbook import PlaybookError
from safeside.learning.capability.questionnaire import QuestionnaireError
from safeside.learning.cpd.service import CpdError
from safeside.learning.library.loader import LibraryError
from safeside.learning.scenarios.scenario import ScenarioError

SRC = Path(safeside.__file__).parent

#: Control flow inside one module, caught where raised and never shown to anyone.
INTERNAL = {
    "safeside.evaluation.suites.Skipped",
    "safeside.ingest.csvrows._TooLong",
    "safeside.ingest.jsonstream.JsonProblem",
    "safeside.ingest.jsonstream.BadRecord",
    "safeside.ingest.jsonstream.Truncated",
}
#: Names a library already uses for its own errors: ours must not shadow them.
LIBRARY_NAMES = {"IntegrityError", "OperationalError", "ValidationError", "HTTPException"}

BUILTIN_EXCEPTIONS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


def classes() -> dict[str, tuple[str, list[str]]]:
    """``module.Class`` → (class name, its bases' names), for every class in the source."""
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = [ast.unparse(b).rpartition(".")[2] for b in node.bases]
                found[f"{module}.{node.name}"] = (node.name, bases)
    return found


def test_every_safeside_exception_derives_from_safeside_error() -> None:
    every = classes()
    by_name: dict[str, list[list[str]]] = {}
    for name, bases in every.values():
        by_name.setdefault(name, []).append(bases)

    def reaches(name: str, target: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == target:
            return True
        if name in seen:
            return False
        return any(
            reaches(base, target, seen | {name})
            for bases in by_name.get(name, [])
            for base in bases
        )

    def is_exception(name: str) -> bool:
        return any(reaches(name, b) for b in BUILTIN_EXCEPTIONS)

    exceptions = {q for q, (name, _) in every.items() if is_exception(name)}
    outside = sorted(q for q in exceptions if not reaches(every[q][0], "SafesideError"))
    assert set(outside) <= INTERNAL, f"derive these from SafesideError: {set(outside) - INTERNAL}"
    assert len(exceptions) > 25, "the walk found too few exception classes: is it working?"
    shadowing = sorted(q for q in exceptions if every[q][0] in LIBRARY_NAMES)
    assert shadowing == []


def test_the_tree_keeps_value_error_where_callers_catch_it() -> None:
    for error in (InputError, ContentError, ReadError, CpdError, PlaybookError, ScenarioError):
        assert issubclass(error, SafesideError) and issubclass(error, ValueError), error
    for error in (LibraryError, QuestionnaireError, PlaybookError, ScenarioError):
        assert issubclass(error, ContentError), error
    for error in (AccessDenied, ViewingRefused, NotReady, HashMismatch):
        assert issubclass(error, SafesideError) and not issubclass(error, ValueError), error
