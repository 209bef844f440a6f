"""`guanai importing` (to be implemented)."""

from __future__ import annotations

import argparse


def cmd_import(args: argparse.Namespace) -> int:
    raise SystemExit("not implemented yet")
