"""Dependencies run one way: ondernemerspunt (the foundation) ← intake ← coaching (DESIGN.md).

Read from the source, so that a forbidden import fails here even on a code path no other test
runs. Imports inside functions count too: a lazy import is still a tie.
"""

import ast
from pathlib import Path

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

ROOT = Path(settings.BASE_DIR)
APPS = ("ondernemerspunt", "intake", "coaching")
LAYER = {app: level for level, app in enumerate(APPS)}
# Parts of the foundation that count or gather across the apps by design (DESIGN.md: its root
# URLconf and the progress package), its management commands that seed or generate
# data for every app, and the page benchmark (``make bench``), which fills every app's tables.
FOUNDATION_EXCEPTIONS = (
    "ondernemerspunt/urls.py",
    "ondernemerspunt/progress/",
    "ondernemerspunt/management/commands/",
    "ondernemerspunt/bench/",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules this file imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in modules
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in APPS)
    return found


def upward_imports(app: str) -> list[str]:
    modules = project_modules()
    problems = []
    for name, path in modules.items():
        relative = str(path.relative_to(ROOT))
        if name.split(".")[0] != app or relative.startswith(FOUNDATION_EXCEPTIONS):
            continue
        for imported in imports_of(path, modules):
            if LAYER[imported.split(".")[0]] > LAYER[app]:
                problems.append(f"{relative} imports {imported}")
    return problems


def test_the_foundation_imports_nothing_from_the_apps_above_it():
    assert upward_imports("ondernemerspunt") == []


def test_intake_imports_nothing_from_coaching():
    assert upward_imports("intake") == []


def test_no_migration_of_a_lower_app_depends_on_a_higher_one():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    problems = [
        f"{app}.{name} depends on {dep_app}.{dep_name}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in LAYER
        for dep_app, dep_name in migration.dependencies
        if dep_app in LAYER and LAYER[dep_app] > LAYER[app]
    ]
    assert problems == []


def test_the_project_has_no_import_cycle():
    modules = project_modules()
    graph = {name: imports_of(path, modules) & modules.keys() for name, path in modules.items()}
    # An app's AppConfig.ready() imports what it registers; nothing imports apps.py back, so it
    # can close no cycle, but a package's __init__ is implied by every submodule import.
    cycles = strongly_connected(graph)
    assert cycles == []


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan: every group of modules that import each other (directly or round about)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
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
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_checker_sees_a_cycle_and_an_upward_import():
    # The checks above pass on an empty graph too; this one shows they can fail.
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c"]]
    modules = project_modules()
    assert "coaching.models" in imports_of(ROOT / "coaching" / "access.py", modules)
