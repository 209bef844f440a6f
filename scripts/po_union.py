"""Merge PO catalogs entry by entry: what branches added or changed since a base, without git's line merge.

Git's line merge of two branches that each appended entries at the end of a catalog can splice one entry's
msgid onto another's msgstr. This rebuilds the catalog from whole entries instead: the base's entries in its
order, each replaced by the last branch version that changed it, then the entries branches added.
A base entry that a branch removed is dropped unless another branch changed it (as git does for a line).

Usage: python scripts/po_union.py OUT BASE BRANCH_FILE...
"""

import re
import sys
from pathlib import Path


def entries(text: str) -> list[tuple[str, str]]:
    """(key, block) per blank-line-separated block, keyed by its msgid (the header keyed by its text)."""
    out = []
    # An entry glued to the one before it (no blank line between, as a line merge can leave, its comment or msgid
    # right after a msgstr line) is split off.
    text = re.sub(r'^((?:msgstr|").*)\n(?=msgid |#)', r"\1\n\n", text, flags=re.M)
    for block in re.split(r"\n\s*\n", text.strip()):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, flags=re.M)
        out.append((match.group(1).strip() if match else block, block))
    return out


out_name, base_name, *others = sys.argv[1:]
base = entries(Path(base_name).read_text(encoding="utf-8"))
base_blocks = dict(base)
merged = dict(base)
order = [key for key, _ in base]
removed: set[str] = set()
changed: set[str] = set()
for name in others:
    branch = entries(Path(name).read_text(encoding="utf-8"))
    removed |= set(base_blocks) - {key for key, _ in branch}
    for key, block in branch:
        if key not in merged:
            order.append(key)
            merged[key] = block
        elif block != base_blocks.get(key):
            merged[key] = block
            changed.add(key)
order = [key for key in order if key not in removed or key in changed]
Path(out_name).write_text("\n\n".join(merged[key] for key in order) + "\n", encoding="utf-8")
print(f"{out_name}: {len(order)} entries")
