"""The layering the package promises (docs/architecture.md), checked on the code itself.

CLI → library API (ledger.api) → core (figures, names, reconcile, provenance,
transfer, model) and storage. The core imports no database or CLI library;
the CLI never reaches storage but through the API. Modules and packages are
found by walking the tree, so a new one is checked without editing this file.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ledger"
CORE = ("figures", "names", "reconcile", "model", "provenance", "transfer", "reports")
FORBIDDEN_IN_CORE = ("sqlalchemy", "sqlmodel", "alembic", "typer", "click", "ledger.storage", "ledger.api", "ledger.cli")
MAX_LINES = 450  # "no file over about 400 lines"


def _modules(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> list[str]:
    """Every module an import statement names, at any depth (imports inside functions count too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _names(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def _is(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


@pytest.mark.parametrize("package", CORE)
def test_core_packages_import_no_database_or_cli_library(package):
    offences = [
        f"{_names(path)} imports {module}"
        for path in _modules(PACKAGE / package)
        for module in _imports(path)
        if any(_is(module, forbidden) for forbidden in FORBIDDEN_IN_CORE)
    ]
    assert offences == []


def test_the_cli_reaches_storage_only_through_the_library():
    offences = [
        f"{_names(path)} imports {module}"
        for path in _modules(PACKAGE / "cli")
        for module in _imports(path)
        if any(_is(module, forbidden) for forbidden in ("ledger.storage", "sqlalchemy", "sqlmodel", "alembic"))
    ]
    assert offences == []


def test_importing_the_core_loads_no_database_library():
    packages = ", ".join(f"ledger.{p}" for p in CORE)
    code = (
        f"import sys, importlib\n"
        f"for name in '{packages}'.split(', '): importlib.import_module(name)\n"
        f"print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"('sqlalchemy', 'sqlmodel', 'alembic', 'typer', 'click') or m.startswith('ledger.storage'))))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def test_starting_the_cli_loads_no_database_or_matching_library():
    code = ("import sys, ledger.cli, ledger\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'sqlalchemy', 'sqlmodel', 'alembic', 'rapidfuzz', 'numpy', 'tabulate'})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded == []


def _init_statements_that_are_not_reexports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    problems = []
    for i, node in enumerate(tree.body):
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]:
            continue
        problems.append(f"{_names(path)}:{node.lineno}: {ast.unparse(node).splitlines()[0]}")
    return problems


def test_package_inits_only_reexport():
    # ledger/__init__.py re-exports too, lazily through __getattr__, so `import ledger` stays cheap.
    inits = [p for p in PACKAGE.rglob("__init__.py") if p.parent != PACKAGE and "migrations" not in p.parts]
    assert len(inits) >= 9
    problems = [problem for path in inits for problem in _init_statements_that_are_not_reexports(path)]
    assert problems == []


def test_no_module_is_long():
    long = [f"{_names(p)}: {n} lines" for p in _modules(PACKAGE)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


def test_the_library_surface_is_what_the_docs_promise():
    import ledger

    for name in ledger.__all__:
        assert getattr(ledger, name) is not None, name
    with pytest.raises(AttributeError):
        ledger.no_such_thing  # noqa: B018
    api_doc = (PACKAGE.parent / "docs" / "python-api.md").read_text(encoding="utf-8")
    from ledger.api import Ledger

    public = [name for name in vars(Ledger) if not name.startswith("_")]
    undocumented = [name for name in public if f"`{name}" not in api_doc]
    assert undocumented == []


def test_every_package_folder_is_a_regular_package():
    folders = {p.parent for p in _modules(PACKAGE)}
    assert [str(f) for f in folders if not (f / "__init__.py").is_file()] == []


def test_no_file_of_the_package_is_ignored_by_git():
    # A fresh clone has only what git tracks: an ignore rule that matches a package file
    # (it happened: "reports/" for generated reports matched ledger/reports/) breaks CI and users.
    files = [str(p.relative_to(PACKAGE.parent)) for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    result = subprocess.run(["git", "check-ignore", "--no-index", *files], cwd=PACKAGE.parent, capture_output=True, text=True)
    assert result.returncode in (0, 1), result.stderr  # 128: not a git checkout, which CI and developers never are
    assert result.stdout.split() == []
