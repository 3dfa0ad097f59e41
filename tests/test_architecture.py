"""The import rules of architecture.md, checked by parsing every module with ast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "relationship_mgmt"

# Third-party roots each layer may import (besides the stdlib and the package itself).
_DOMAIN_THIRD_PARTY = {"attrs", "dateutil", "email_validator"}
_ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    # layer: (third-party roots allowed, relationship_mgmt subpackages allowed)
    "domain": (_DOMAIN_THIRD_PARTY, {"errors", "domain"}),
    "ports": (_DOMAIN_THIRD_PARTY, {"errors", "domain", "ports"}),
    "services": (_DOMAIN_THIRD_PARTY, {"errors", "domain", "ports", "services"}),
    "serialization": (
        _DOMAIN_THIRD_PARTY | {"cattrs"},
        {"errors", "domain", "serialization"},
    ),
}
_FORBIDDEN_ANYWHERE_IN = {
    "adapters": {"services", "cli", "testing"},
    "interop": {"services", "cli", "testing"},
    "analytics": {"services", "cli", "testing"},
}
# The domain stays pure: no I/O, randomness or logging (house-style B2).
_DOMAIN_BANNED_STDLIB = {"os", "sys", "logging", "random", "sqlite3", "socket", "io"}
_EXTRAS = {"sqlalchemy", "alembic", "psycopg", "click", "rich", "httpx", "pandas"}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return (
        rel.parts[0].removesuffix(".py")
        if len(rel.parts) > 1 or rel.stem != "__init__"
        else ""
    )


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.append("relationship_mgmt.<relative>")
    return names


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_layer_rules(path: Path) -> None:
    layer = _layer(path)
    stdlib = sys.stdlib_module_names
    for name in _imports(path):
        root = name.split(".")[0]
        assert name != "relationship_mgmt.<relative>", "use absolute imports"
        if root == "relationship_mgmt":
            sub = name.split(".")[1] if "." in name else ""
            if layer in _ALLOWED:
                assert sub in _ALLOWED[layer][1], f"{layer} may not import {name}"
            if layer in _FORBIDDEN_ANYWHERE_IN:
                assert sub not in _FORBIDDEN_ANYWHERE_IN[layer], (
                    f"{layer} imports {name}"
                )
        elif layer in _ALLOWED:
            assert root in stdlib or root in _ALLOWED[layer][0], (
                f"{layer} may not import {name}"
            )
        if layer == "domain":
            assert root not in _DOMAIN_BANNED_STDLIB, f"domain imports {name}"


def test_domain_never_reads_a_clock() -> None:
    for path in (PACKAGE / "domain").rglob("*.py"):
        text = path.read_text()
        for banned in ("datetime.now(", "date.today(", ".utcnow(", "time.time("):
            assert banned not in text, f"{path.name} calls {banned}"


def test_importing_the_package_pulls_no_optional_extra() -> None:
    code = (
        "import sys, relationship_mgmt\n"
        f"bad = sorted(m for m in {sorted(_EXTRAS)!r} if m in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
