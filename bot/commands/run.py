"""`guanai run` (to be implemented)."""

from __future__ import annotations

import argparse


def cmd_run(args: argparse.Namespace) -> int:
    raise SystemExit("not implemented yet")
