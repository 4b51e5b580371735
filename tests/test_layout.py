"""The engines stay pure: an instance in, a result out, nothing of the database or the web.

`app/matching/engine/` and `app/planning/engine/` may import the standard library, the
solvers (OR-Tools), Babel and their own package; never the tables, the services, the pages.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ["app.matching.engine", "app.planning.engine"]
ALLOWED_THIRD_PARTY = {"ortools", "babel"}
FORBIDDEN = ("sqlmodel", "sqlalchemy", "fastapi", "starlette", "jinja2", "alembic", "psycopg")


def _modules(package: str) -> list[str]:
    folder = ROOT.joinpath(*package.split("."))
    return [f"{package}.{path.stem}" for path in sorted(folder.glob("*.py")) if path.stem != "__init__"]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ENGINES)
def test_engine_imports_only_itself_the_standard_library_and_the_solvers(package: str) -> None:
    strangers = {}
    for module in _modules(package):
        path = ROOT.joinpath(*module.split(".")).with_suffix(".py")
        for name in _imported(path):
            top = name.split(".")[0]
            if name == package or name.startswith(package + "."):
                continue
            if top in sys.stdlib_module_names or top in ALLOWED_THIRD_PARTY or top == "__future__":
                continue
            strangers.setdefault(module, set()).add(name)
    assert strangers == {}


@pytest.mark.parametrize("package", ENGINES)
def test_loading_an_engine_loads_no_database_or_web_module(package: str) -> None:
    """Every module of the engine, imported in a fresh interpreter, leaves these out."""
    script = (
        "import importlib, json, sys\n"
        f"for name in {_modules(package)!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = json.loads(done.stdout)
    app_outside = [name for name in loaded if name.startswith("app.") and not name.startswith(package)]
    assert [name for name in app_outside if name not in {"app.matching", "app.planning"}] == []
    assert [name for name in loaded if name.split(".")[0] in FORBIDDEN] == []
