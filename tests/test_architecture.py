"""The layout's hard rules (../shared/DESIGN.md, issue 8 points 5, 6 and 9): no import cycle
between our modules, no product module over 600 lines and no function over 60.

Imports are read with `ast`, at module level and inside functions alike (an import hidden in a
function still makes a loop, it only moves the failure to run time). A submodule importing its
own parent package does not count. Migrations and tests are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("readiness", "organisations", "surveys", "reports")
MAX_LINES = 600

# Modules still over MAX_LINES, with their line count: they may only shrink, and an entry goes
# as soon as its module is under the limit (issue 8, point 6). Empty today: both modules that
# were over it, surveys/services/answers.py (718) and surveys/xlsform/reader.py (959), have been
# split (1c3b71b, ba0b652). A module that has to stay long for a while goes here with its count,
# e.g. {"surveys/xlsform/reader.py": 959}.
KNOWN_LONG: dict[str, int] = {}

MAX_FUNCTION_LINES = 60
# Functions still over MAX_FUNCTION_LINES ("path:qualified name": own lines): they may only
# shrink, and an entry goes once its function is short. Empty today: the last one,
# surveys/expressions/regex.py:translate (65), has been split. A function that has to stay
# long for a while goes here with its count.
KNOWN_LONG_FUNCTIONS: dict[str, int] = {}


def _modules(root: Path) -> dict[str, Path]:
    modules = {}
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _imported(module: str, path: Path) -> set[str]:
    """Every dotted name an import of `path` may refer to (resolving relative imports)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    modules = _modules(root)

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {module: set() for module in modules}
    for module, path in modules.items():
        for name in _imported(module, path):
            target = ours(name)
            if target and target != module and not module.startswith(target + "."):
                graph[module].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_there_is_no_import_cycle_between_our_modules():
    graph = import_graph()
    loops = [
        f"{' <-> '.join(component)}: "
        + "; ".join(f"{m} imports {sorted(graph[m] & set(component))}" for m in component)
        for component in cycles(graph)
    ]
    assert not loops, "Import cycles (tasks call services, services never import tasks):\n" + (
        "\n".join(loops)
    )


def test_the_cycle_check_finds_a_loop_hidden_in_a_function(tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "__init__.py").write_text("")
    (tmp_path / "reports" / "services.py").write_text(
        "def later():\n    from reports.tasks import run\n"
    )
    (tmp_path / "reports" / "tasks.py").write_text("from . import services\n")
    (tmp_path / "reports" / "models.py").write_text("import reports\n")  # its own package
    for app in APPS[:-1]:
        (tmp_path / app).mkdir()
    assert cycles(import_graph(tmp_path)) == [["reports.services", "reports.tasks"]]


def _line_counts() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in _modules(ROOT).values()
    }


def test_no_product_module_is_over_600_lines():
    counts = _line_counts()
    too_long = {
        name: lines
        for name, lines in counts.items()
        if lines > MAX_LINES and lines > KNOWN_LONG.get(name, 0)
    }
    assert not too_long, f"Over {MAX_LINES} lines (split by area or layer): {too_long}"


def test_the_known_long_modules_only_shrink_and_leave_the_list_once_short():
    counts = _line_counts()
    for name, allowed in KNOWN_LONG.items():
        assert name in counts, f"{name} is gone: remove it from KNOWN_LONG"
        assert counts[name] <= allowed, f"{name} grew to {counts[name]} lines (at most {allowed})"
        assert counts[name] > MAX_LINES, (
            f"{name} is {counts[name]} lines now: remove it from KNOWN_LONG"
        )


def _function_lengths(root: Path = ROOT) -> dict[str, int]:
    """ "path:qualified name" → the function's own lines: from its `def` (or first decorator)
    to its last line, without the lines of the functions and classes defined inside it (each
    of those is counted as a function of its own). Product modules and bench/."""
    paths = [*_modules(root).values(), *(root / "bench").glob("*.py")]
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, path: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef):
                    lengths[f"{path}:{name}"] = len(_own_lines(child))
                visit(child, path, name + ".")
            else:
                visit(child, path, prefix)

    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        visit(tree, path.relative_to(root).as_posix(), "")
    return lengths


def _span(node: ast.AST) -> set[int]:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return set(range(first, node.end_lineno + 1))


def _own_lines(function: ast.AST) -> set[int]:
    lines = _span(function)
    for inner in ast.walk(function):
        if inner is not function and isinstance(
            inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            lines -= _span(inner)
    return lines


def test_no_product_function_is_over_60_lines():
    too_long = {
        name: lines
        for name, lines in _function_lengths().items()
        if lines > MAX_FUNCTION_LINES and lines > KNOWN_LONG_FUNCTIONS.get(name, 0)
    }
    assert not too_long, (
        f"Functions over {MAX_FUNCTION_LINES} lines (give each step a function): {too_long}"
    )


def test_the_known_long_functions_only_shrink_and_leave_the_list_once_short():
    lengths = _function_lengths()
    for name, allowed in KNOWN_LONG_FUNCTIONS.items():
        assert name in lengths, f"{name} is gone: remove it from KNOWN_LONG_FUNCTIONS"
        assert lengths[name] <= allowed, f"{name} grew to {lengths[name]} lines (at most {allowed})"
        assert lengths[name] > MAX_FUNCTION_LINES, (
            f"{name} is {lengths[name]} lines now: remove it from KNOWN_LONG_FUNCTIONS"
        )


def test_the_function_length_counts_a_function_s_own_lines(tmp_path):
    (tmp_path / "bench").mkdir()
    for app in APPS:
        (tmp_path / app).mkdir()
    body = "\n".join(f"    x{i} = {i}" for i in range(3))
    (tmp_path / "reports" / "m.py").write_text(
        f"@decorated\ndef outer():\n{body}\n    def inner():\n        return 1\n"
        "    return inner\n\n\nclass Box:\n    def method(self):\n        return 2\n"
    )
    assert _function_lengths(tmp_path) == {
        "reports/m.py:outer": 6,  # decorator, def, three lines, return (not inner's two)
        "reports/m.py:outer.inner": 2,
        "reports/m.py:Box.method": 2,
    }
