"""docs/architecture.md's module table is true: one row per module in src/calfcare (migration
scripts aside), and no row for a module that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "calfcare"
DOC = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\| `([\w/]+\.py)` \|", re.M)


def modules_on_disk() -> set[str]:
    return {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "migrations/versions" not in path.as_posix()
    }


def modules_in_table() -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    return ROW.findall(text[text.index("## Modules") :])


def test_the_module_table_names_every_module_once() -> None:
    rows = modules_in_table()
    on_disk = modules_on_disk()
    add = sorted(on_disk - set(rows))
    remove = sorted(set(rows) - on_disk)
    repeated = sorted({r for r in rows if rows.count(r) > 1})
    assert not (add or remove or repeated), (
        "docs/architecture.md, ## Modules: "
        + "".join(f"\n  add row: | `{m}` | <one-line purpose> |" for m in add)
        + "".join(f"\n  remove row: `{m}`" for m in remove)
        + "".join(f"\n  keep one row of: `{m}`" for m in repeated)
    )


MAX_LINES = 400
"""docs/architecture.md: rooms a newcomer can hold in their head, none over 400 lines."""


def test_no_module_is_over_400_lines() -> None:
    long = {
        m: n
        for m in modules_on_disk()
        if (n := len((PACKAGE / m).read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (over {MAX_LINES} lines): {sorted(long.items())}"
