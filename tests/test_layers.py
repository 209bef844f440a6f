"""The dependency direction of DESIGN.md, checked on every module's imports (``ast``, no import side effects).

::

    handlers/<channel>  →  flows  →  services  →  domain
    scheduler, web (entry points) → services;  store implements the ports services use
    every layer  →  messages (imports nothing of ours)

``bot.bootstrap`` (the composition root) and ``bot.commands`` / ``bot.cli``
(the entry points that call it) may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "bot"
FRAMEWORKS = ("telegram", "wechatpy", "sqlalchemy", "apscheduler", "starlette", "uvicorn", "httpx", "alembic",
              "xmltodict", "openpyxl")
CHANNEL_LIBRARIES = ("telegram", "wechatpy", "xmltodict")
OURS = ("bot",)

FORBIDDEN: dict[str, tuple[str, ...]] = {
    # The vocabulary imports nothing of the project (and no framework).
    "messages": OURS + FRAMEWORKS + ("babel",),
    # Pure rules: no framework, no other layer.
    "domain": FRAMEWORKS + ("babel", "bot.store", "bot.services", "bot.flows", "bot.handlers", "bot.scheduler",
                            "bot.web", "bot.bootstrap", "bot.commands", "bot.adapters", "bot.i18n"),
    # Reading files into the domain's terms.
    "adapters": CHANNEL_LIBRARIES + ("sqlalchemy", "bot.store", "bot.services", "bot.flows", "bot.handlers",
                                     "bot.scheduler", "bot.web", "bot.bootstrap", "bot.commands"),
    # Use cases: type against the ports, know no channel, no flow, no concrete unit of work.
    "services": CHANNEL_LIBRARIES + ("apscheduler", "starlette", "uvicorn", "httpx", "bot.handlers", "bot.flows",
                                     "bot.scheduler", "bot.web", "bot.bootstrap", "bot.commands", "bot.store.uow",
                                     "bot.store.db"),
    # Conversations: no framework, no store, no channel.
    "flows": FRAMEWORKS + ("bot.store", "bot.handlers", "bot.scheduler", "bot.web", "bot.bootstrap",
                           "bot.commands"),
    # Channels reach the database only through the services.
    "handlers": ("sqlalchemy", "apscheduler", "alembic", "bot.store", "bot.scheduler", "bot.web", "bot.bootstrap",
                 "bot.commands"),
    # The scheduler only wakes the services.
    "scheduler": CHANNEL_LIBRARIES + ("starlette", "uvicorn", "httpx", "bot.handlers", "bot.flows", "bot.store",
                                      "bot.web", "bot.bootstrap", "bot.commands"),
    # The web app routes requests to what it is given (callbacks, the webhook receiver).
    "web": CHANNEL_LIBRARIES + ("apscheduler", "bot.handlers", "bot.flows", "bot.services", "bot.store",
                                "bot.scheduler", "bot.bootstrap", "bot.commands"),
    # The store implements the ports; it knows no use case above it.
    "store": CHANNEL_LIBRARIES + ("apscheduler", "starlette", "httpx", "bot.services", "bot.flows", "bot.handlers",
                                  "bot.scheduler", "bot.web", "bot.bootstrap", "bot.commands"),
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


def _offenders(layer: str) -> list[str]:
    found = []
    for path in sorted((ROOT / layer).rglob("*.py")):
        for name in _imports(path):
            forbidden = FORBIDDEN[layer]
            if layer == "store":  # the store may import bot.store and the vocabulary
                forbidden = tuple(f for f in forbidden if f != "bot.store")
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                if layer == "messages" and name.startswith("bot.messages"):
                    continue
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_no_forbidden_module(layer: str) -> None:
    assert _offenders(layer) == []


def test_every_package_has_rules() -> None:
    packages = {p.name for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"commands"} == set(FORBIDDEN)  # commands: entry points, like bot.cli and bot.bootstrap


def test_the_rule_catches_a_wrong_import(tmp_path: Path) -> None:
    bad = tmp_path / "x.py"
    bad.write_text("from bot.flows.runner import FlowRunner\nimport telegram\n", encoding="utf-8")
    assert _imports(bad) == {"bot.flows.runner", "telegram"}
