"""Drop repeated entries from a PO file, keeping the first (branches append independently).

Usage: python scripts/po_dedupe.py locales/zh_Hans/LC_MESSAGES/messages.po
"""

import re
import sys
from pathlib import Path

for name in sys.argv[1:]:
    path = Path(name)
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip())
    seen: set[str] = set()
    kept = []
    for block in blocks:
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, flags=re.M)
        key = match.group(1).strip() if match else block
        if key in seen:
            continue
        seen.add(key)
        kept.append(block)
    path.write_text("\n\n".join(kept) + "\n", encoding="utf-8")
    print(f"{name}: {len(blocks) - len(kept)} repeated entries removed")
