"""`guanai demo` (to be implemented)."""

from __future__ import annotations

import argparse


def cmd_demo(args: argparse.Namespace) -> int:
    raise SystemExit("not implemented yet")
