"""No module in ``bot/`` is over 400 lines (Alembic migrations excepted): split along the seams instead."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "bot"
MAX_LINES = 400


def _too_long(root: Path) -> list[str]:
    return [
        f"{path.relative_to(root.parent)}: {n} lines"
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.relative_to(root).parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]


def test_no_module_is_over_400_lines() -> None:
    assert _too_long(ROOT) == []


def test_the_check_sees_a_long_module(tmp_path: Path) -> None:
    package = tmp_path / "bot"
    (package / "store" / "migrations").mkdir(parents=True)
    (package / "long.py").write_text("x = 1\n" * 401, encoding="utf-8")
    (package / "store" / "migrations" / "0001.py").write_text("x = 1\n" * 900, encoding="utf-8")
    (package / "short.py").write_text("x = 1\n" * 400, encoding="utf-8")
    assert _too_long(package) == ["bot/long.py: 401 lines"]
