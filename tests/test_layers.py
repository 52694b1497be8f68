"""Import contracts, read from the source with ``ast`` (see docs/architecture.md, "Layers").

Lazy imports inside functions count: a layer that is imported late is still depended on.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import safeside

SRC = Path(safeside.__file__).parent

#: The analysis core: judges a text with no web app, database or command line.
CORE = (
    "safeside.text",
    "safeside.engine",
    "safeside.detectors",
    "safeside.taxonomy",
    "safeside.guidance",
    "safeside.rewrite",
)
#: What the core must never import.
NOT_FOR_CORE = (
    "safeside.web",
    "safeside.db",
    "safeside.cli",
    "safeside.cases",
    "safeside.access",
    "safeside.learning",
    "safeside.evidence",
    "safeside.audit_log",
    "safeside.batch",
)
#: The only ways the command line may reach into the web app: ``safeside serve`` builds it.
CLI_MAY_IMPORT_FROM_WEB = {"safeside.cli.web": {"safeside.web.app"}}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(SRC.rglob("*.py")):
        yield module_name(path), path


def imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports, anywhere in the file (``from a import b`` counts as
    ``a`` and ``a.b``, since ``b`` may be a submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - (node.level - 1)]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def within(module: str, packages: tuple[str, ...] | set[str]) -> bool:
    """Whether ``module`` is one of ``packages`` or inside one."""
    return any(module == p or module.startswith(p + ".") for p in packages)


def violations(source: tuple[str, ...], forbidden: tuple[str, ...]) -> list[str]:
    out = []
    for name, path in modules():
        if within(name, source):
            out += [
                f"{name} imports {m}" for m in sorted(imports(name, path)) if within(m, forbidden)
            ]
    return out


def test_the_analysis_core_imports_no_outer_layer() -> None:
    assert violations(CORE, NOT_FOR_CORE) == []


def test_the_engine_core_imports_nothing_that_builds_on_it() -> None:
    """``safeside.engine`` (document, registry, results, aggregation) sits under the
    detectors, guidance, rewrite and the pipeline that assembles them."""
    above = ("safeside.detectors", "safeside.guidance", "safeside.rewrite", "safeside.pipeline")
    assert violations(("safeside.engine",), above) == []


def test_the_core_does_not_reach_up_to_the_pipeline() -> None:
    assert violations(CORE, ("safeside.pipeline",)) == []


def test_the_cli_reaches_the_web_app_only_where_allowed() -> None:
    found = []
    for name, path in modules():
        if within(name, ("safeside.cli",)):
            allowed = CLI_MAY_IMPORT_FROM_WEB.get(name, set())
            found += [
                f"{name} imports {m}"
                for m in sorted(imports(name, path))
                if within(m, ("safeside.web",)) and not within(m, allowed)
            ]
    assert found == []


def test_the_test_double_is_for_tests_only() -> None:
    users = [
        name
        for name, path in modules()
        if name != "safeside.testing" and within_any(imports(name, path), ("safeside.testing",))
    ]
    assert users == []


def within_any(found: set[str], packages: tuple[str, ...]) -> bool:
    return any(within(m, packages) for m in found)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "from safeside.web.app import create_app",
            {"safeside.web.app", "safeside.web.app.create_app"},
        ),
        ("from . import names", {"safeside.detectors", "safeside.detectors.names"}),
        ("from ..cases import service", {"safeside.cases", "safeside.cases.service"}),
        ("def f():\n    import safeside.db.session", {"safeside.db.session"}),
    ],
)
def test_the_import_reader_sees_every_form(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "safeside" / "detectors" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, "utf-8")
    assert imports("safeside.detectors.x", path) == expected
