"""Reading what the ``guanai`` commands print."""

from __future__ import annotations

import re


def invite_code(out: str) -> str:
    """The invite code ``guanai invite`` printed (Chinese or English output)."""
    found = re.search(r"(?:邀请码：|Code: )([A-Za-z0-9_-]{22})", out)
    assert found, out
    return found.group(1)
