import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = {"api", "northstar"}  # the API itself and the project package that mounts it


def test_no_app_imports_the_api_app():
    found = []
    for source in ROOT.glob("*/**/*.py"):
        package = source.relative_to(ROOT).parts[0]
        if package in ALLOWED or package.startswith(".") or package == "node_modules":
            continue
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            found += [
                f"{source.relative_to(ROOT)}: {name}"
                for name in names
                if name.split(".")[0] == "api"
            ]
    assert found == []
