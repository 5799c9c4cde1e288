"""The apps stand in layers: no import cycle between apps, and ``core`` (tables,
presenters, layout) imports none of them.

Read from the source with ``ast``, tests and migrations left out: an import
inside a function counts as much as one at the top of a module."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def project_apps(root):
    return sorted(path.parent.name for path in root.glob("*/apps.py"))


def _source_files(root, app):
    for path in sorted((root / app).rglob("*.py")):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts or path.name.startswith("test_"):
            continue
        yield path


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module


def import_graph(root):
    """{(importing app, imported app): ["path:line", ...]} for every import
    from one project app into another."""
    apps = project_apps(root)
    edges = defaultdict(list)
    for app in apps:
        for path in _source_files(root, app):
            tree = ast.parse(path.read_text(), filename=str(path))
            for line, module in _imported_modules(tree):
                target = module.split(".")[0]
                if target in apps and target != app:
                    edges[app, target].append(f"{path.relative_to(root)}:{line}")
    return dict(edges)


def cycles(edges):
    """Every elementary cycle, each once, starting from its smallest app."""
    following = defaultdict(set)
    for source, target in edges:
        following[source].add(target)
    found = []

    def walk(start, path):
        for target in sorted(following[path[-1]]):
            if target == start:
                found.append([*path, start])
            elif target > start and target not in path:
                walk(start, [*path, target])

    for start in sorted(following):
        walk(start, [start])
    return found


def describe(cycle, edges):
    lines = [" -> ".join(cycle)]
    for source, target in zip(cycle, cycle[1:], strict=False):
        lines.append(f"  {source} -> {target}: {', '.join(edges[source, target])}")
    return "\n".join(lines)


def test_no_import_cycle_between_apps():
    edges = import_graph(ROOT)
    found = cycles(edges)
    assert not found, "Import cycles between apps:\n" + "\n".join(
        describe(cycle, edges) for cycle in found
    )


def test_core_imports_no_domain_app():
    wrong_way = {
        target: files for (source, target), files in import_graph(ROOT).items() if source == "core"
    }
    assert not wrong_way, "core imports domain apps:\n" + "\n".join(
        f"  core -> {target}: {', '.join(files)}" for target, files in sorted(wrong_way.items())
    )


def _app(root, name, **modules):
    (root / name).mkdir()
    (root / name / "apps.py").write_text("")
    for module, source in modules.items():
        (root / name / f"{module}.py").write_text(source)


def test_a_cycle_is_reported_with_the_files_that_make_it(tmp_path):
    _app(tmp_path, "alpha", services="import json\n\nfrom beta.models import Thing\n")
    _app(tmp_path, "beta", models="def f():\n    import alpha.services\n")
    _app(tmp_path, "gamma", views="from alpha import services\nfrom . import models\n")
    (tmp_path / "alpha" / "tests").mkdir()
    (tmp_path / "alpha" / "tests" / "test_x.py").write_text("import gamma\n")

    edges = import_graph(tmp_path)
    found = cycles(edges)

    assert edges == {
        ("alpha", "beta"): ["alpha/services.py:3"],
        ("beta", "alpha"): ["beta/models.py:2"],
        ("gamma", "alpha"): ["gamma/views.py:1"],
    }
    assert found == [["alpha", "beta", "alpha"]]
    assert describe(found[0], edges) == (
        "alpha -> beta -> alpha\n"
        "  alpha -> beta: alpha/services.py:3\n"
        "  beta -> alpha: beta/models.py:2"
    )


def test_a_longer_cycle_is_found_once():
    edges = {("a", "b"): ["x"], ("b", "c"): ["y"], ("c", "a"): ["z"], ("c", "b"): ["w"]}
    assert cycles(edges) == [["a", "b", "c", "a"], ["b", "c", "b"]]
