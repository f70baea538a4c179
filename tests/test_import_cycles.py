"""No import circles in calfcare: a module never imports (even inside a function) something
that imports it back, directly or round a longer loop. grimp (import-linter's engine) reads
every import statement, at the top or in a function; `if TYPE_CHECKING:` ones count too.

On failure the message names each circle's modules; break it by moving the shared piece
down into a module both can import (as `cli/verdict_words.py`, `content/screening_text.py`
and `core/split_leg_result.py` do).
"""

from __future__ import annotations

import grimp

ALLOWED: set[frozenset[str]] = set()  # none: every circle found is a failure


def import_circles(package: str) -> list[list[str]]:
    """The package's import circles (`circles`), function-level imports included."""
    graph = grimp.build_graph(package)
    return circles(
        {
            m: {n for n in graph.find_modules_directly_imported_by(m) if n in graph.modules}
            for m in graph.modules
        }
    )


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import each other round a loop (strongly connected
    components of more than one module, or a module importing itself), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iteratively
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1 or node in edges[node]:
                    found.append(sorted(members))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return sorted(found)


def test_no_import_circles() -> None:
    left = [c for c in import_circles("calfcare") if frozenset(c) not in ALLOWED]
    assert not left, "import circles (each list imports round a loop): " + "; ".join(
        " <-> ".join(c) for c in left
    )


def test_allowed_circles_still_exist() -> None:
    """An allowed circle that is gone must leave ALLOWED too (so it cannot come back)."""
    found = {frozenset(c) for c in import_circles("calfcare")}
    gone = [sorted(c) for c in ALLOWED if c not in found]
    assert not gone, f"remove from ALLOWED in tests/test_import_cycles.py: {gone}"


def test_the_finder_sees_a_circle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "d"}, "e": set()}
    assert circles(edges) == [["a", "b", "c"], ["d"]]
