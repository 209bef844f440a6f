"""The dependency direction of DESIGN.md: domain and flows import no framework."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "bot"
FRAMEWORKS = ("telegram", "wechatpy", "sqlalchemy", "apscheduler", "starlette", "uvicorn", "httpx", "alembic")
FORBIDDEN = {
    "domain": FRAMEWORKS + ("bot.store", "bot.services", "bot.flows", "bot.handlers", "babel"),
    "flows": FRAMEWORKS + ("bot.store", "bot.handlers"),
    "services": ("telegram", "wechatpy", "apscheduler", "starlette", "bot.handlers", "bot.flows.runner"),
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_no_forbidden_module(layer: str) -> None:
    offenders = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN[layer]):
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
