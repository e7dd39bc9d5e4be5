"""The house's plan, enforced: imports run one way between layers and wings, and never in a circle.

Every import is read from the source (deferred ones inside functions and those under
TYPE_CHECKING too), so a rule cannot be broken behind a lazy import. docs/architecture.md draws
the plan these rules check.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "gmmp_quiz"

# Layers from the top: a module may import its own layer's modules and the layers below only.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("entry", ("__main__", "cli", "commands")),
    ("front ends", ("ui", "plain", "web")),
    (
        "core",
        (
            "session",
            "missed",
            "stats",
            "glance",
            "settings",
            "scheduling",
            "grading",
            "marking",
            "formats",
            "sets",
            "store",
        ),
    ),
    (
        "base",
        (
            "model",
            "vocab",
            "errors",
            "paths",
            "i18n",
            "i18n_strings",
            "cli_messages",
            "msgfmt",
            "files",
            "textmatch",
        ),
    ),
)

# Within a layer, these never import those (wings stand side by side; front ends are apart).
NEVER: tuple[tuple[str, str], ...] = (
    ("sets", "store"),
    ("store", "sets"),
    ("sets", "formats"),
    ("store", "formats"),
    ("ui", "plain"),
    ("plain", "ui"),
    ("plain", "web"),
    # The learning rules talk to the store through session.Store, never to its modules...
    ("grading", "store"),
    ("scheduling", "store"),
    ("marking", "store"),
    # ...and know nothing of files.
    ("grading", "sets"),
    ("session", "sets"),
    ("scheduling", "sets"),
)

# Only the front ends draw: nothing else may import a terminal or web toolkit.
UI_LIBRARIES = ("textual", "rich", "textual_serve", "aiohttp", "aiohttp_jinja2")
MAY_DRAW = ("ui", "web")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("gmmp_quiz", *parts))


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, by its absolute name (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            # `from gmmp_quiz import paths` imports the module gmmp_quiz.paths.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


GRAPH = _graph()


def _room(module: str) -> str:
    """The top-level room of a module: `gmmp_quiz.store.journal` -> `store`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(module: str) -> int | None:
    room = _room(module)
    for index, (_name, rooms) in enumerate(LAYERS):
        if room in rooms:
            return index
    return None


def test_every_module_has_a_layer() -> None:
    rooms = {_room(m) for m in GRAPH} - {""}
    placed = {room for _name, members in LAYERS for room in members}
    assert rooms <= placed, f"place these in LAYERS: {sorted(rooms - placed)}"
    # The plan names only rooms that exist: a stale entry would hide a renamed module.
    assert placed <= rooms, f"no such room: {sorted(placed - rooms)}"


def test_imports_never_run_up_a_layer() -> None:
    wrong = []
    for module, imported in GRAPH.items():
        for target in imported:
            if _room(target) == "" or _room(module) == "":
                continue  # the package face (__version__) is below everything
            here, there = _layer(module), _layer(target)
            assert here is not None and there is not None
            if there < here:
                wrong.append(f"{module} ({LAYERS[here][0]}) -> {target} ({LAYERS[there][0]})")
    assert not wrong, "imports running up a layer:\n" + "\n".join(sorted(wrong))


@pytest.mark.parametrize(("source", "target"), NEVER)
def test_wings_stay_apart(source: str, target: str) -> None:
    wrong = sorted(
        f"{module} -> {imported}"
        for module, targets in GRAPH.items()
        if _room(module) == source
        for imported in targets
        if _room(imported) == target
    )
    assert not wrong, f"{source} must not import {target}:\n" + "\n".join(wrong)


def test_only_front_ends_import_a_toolkit() -> None:
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        if _room(module) in MAY_DRAW:
            continue
        for imported in _imports(path):
            if imported.split(".")[0] in UI_LIBRARIES:
                wrong.append(f"{module} -> {imported}")
    assert not wrong, "\n".join(sorted(wrong))


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circles() -> None:
    # A package face that only re-exports is not a room: `import gmmp_quiz.ui.app` runs
    # gmmp_quiz/ui/__init__.py, but that does not tie ui.app to whatever the face names.
    graph = {m: {t for t in ts if not _is_face(t)} for m, ts in GRAPH.items()}
    assert _circles(graph) == []


def _is_face(module: str) -> bool:
    path = PACKAGE.joinpath(*module.split(".")[1:], "__init__.py")
    return path.exists()


def test_the_checker_sees_circles_and_deferred_imports() -> None:
    # The rules above can fail: a deferred import is read, and a loop of three is one circle.
    assert "gmmp_quiz.ui.app" in GRAPH["gmmp_quiz.commands.quiz"]  # imported inside a function
    loop = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(loop) == [["a", "b", "c"]]
