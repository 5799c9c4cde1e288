#!/usr/bin/env python3
"""Views stay thin and policy decides, checked by reading the code (no Django needed).

Fails, printing file:line and why, on:

- a query built in any app's ``views.py`` or ``api.py``: ``.objects`` (or another
  default manager) on anything, a queryset method such as ``.filter()`` or
  ``.order_by()``, or ``get_object_or_404``. The query belongs in the app's
  ``queries.py``, scoped through ``accounts/policy.py`` when it reads someone's data.
- a role-name check outside ``accounts/policy.py``: a comparison with ``RoleName.X``
  or a role's name as a string, a lookup by role name, or ``has_role``. Ask policy
  what the person may do instead.

Usage: ``python scripts/lint_model_usage_in_views.py [--root DIRECTORY]``.
"""

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_APP_CODE = {
    ".venv",
    "node_modules",
    "migrations",
    "tests",
    "static",
    "var",
    "docs",
    "data",
    "scripts",
    "build",
    "__pycache__",
}
HANDLER_MODULES = {"views.py", "api.py"}
MANAGERS = {"objects", "_default_manager", "_base_manager"}
QUERYSET_METHODS = {
    "filter",
    "exclude",
    "order_by",
    "select_related",
    "prefetch_related",
    "annotate",
    "aggregate",
    "values_list",
    "distinct",
    "only",
    "defer",
    "extra",
    "raw",
    "select_for_update",
    "in_bulk",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
LOOKUPS = {"filter", "exclude", "get", "get_or_create", "update_or_create"}
# Where roles are named and decided: the model that declares them, and policy.
ROLE_HOMES = {Path("accounts/models.py"), Path("accounts/policy.py")}
ENUM_API = {"values", "choices", "labels", "names"}


def app_modules(root):
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        parts = relative.parts
        if len(parts) < 2 or any(p in NOT_APP_CODE or p.startswith(".") for p in parts):
            continue
        if any(p.endswith(".egg-info") for p in parts):
            continue
        yield relative


def role_names(root):
    """The values of ``RoleName`` in accounts/models.py, as stored."""
    tree = ast.parse((root / "accounts" / "models.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "RoleName":
            return {
                statement.value.elts[0].value
                for statement in node.body
                if isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Tuple)
                and isinstance(statement.value.elts[0], ast.Constant)
            }
    return set()


def _called(node):
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return None


def query_problems(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            yield node.lineno, f"`.{node.attr}` queries a model directly"
        elif isinstance(node, ast.Call):
            name = _called(node)
            if isinstance(node.func, ast.Attribute) and name in QUERYSET_METHODS:
                yield node.lineno, f"`.{name}()` builds a query"
            elif name in SHORTCUTS:
                yield node.lineno, f"`{name}()` builds a query"


class _RoleChecks:
    def __init__(self, names):
        self.names = names

    def names_a_role(self, node):
        if isinstance(node, ast.Constant):
            return node.value in self.names
        if isinstance(node, ast.Attribute):
            return (
                isinstance(node.value, ast.Name)
                and node.value.id == "RoleName"
                and node.attr not in ENUM_API
            )
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return any(self.names_a_role(element) for element in node.elts)
        return False

    def problems(self, tree):
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare):
                if any(self.names_a_role(o) for o in [node.left, *node.comparators]):
                    yield node.lineno, "compares a role's name"
            elif isinstance(node, ast.MatchValue) and self.names_a_role(node.value):
                yield node.lineno, "matches a role's name"
            elif isinstance(node, ast.Call):
                name = _called(node)
                if name == "has_role":
                    yield node.lineno, "`has_role()` checks a role by name"
                elif name in LOOKUPS and any(self.names_a_role(k.value) for k in node.keywords):
                    yield node.lineno, "looks a role up by name"


def problems(root=ROOT):
    """Every problem found under ``root``, as ``path:line: why``."""
    roles = _RoleChecks(role_names(root))
    found = []
    for relative in app_modules(root):
        tree = ast.parse((root / relative).read_text(encoding="utf-8"), filename=str(relative))
        here = []
        if relative.name in HANDLER_MODULES:
            here += [
                (line, f"{why}: move it to {relative.parent}/queries.py")
                for line, why in query_problems(tree)
            ]
        if relative not in ROLE_HOMES:
            here += [
                (line, f"{why}: ask accounts/policy.py instead")
                for line, why in roles.problems(tree)
            ]
        found += [f"{relative}:{line}: {why}" for line, why in sorted(here)]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="the project's directory")
    found = problems(parser.parse_args(argv).root.resolve())
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} problem(s): views and API handlers call queries.py; policy decides.")
        return 1
    print("No queries in views or API handlers, and no role-name checks outside policy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
