"""`guanai invite` (to be implemented)."""

from __future__ import annotations

import argparse


def cmd_invite(args: argparse.Namespace) -> int:
    raise SystemExit("not implemented yet")
