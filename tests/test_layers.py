"""The shape of the code holds: layers, and functions a reader can call."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "storyreel"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    """import-linter's contracts of pyproject.toml over the package in `src`."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layers_hold_and_a_back_arrow_breaks_them(tmp_path: Path) -> None:
    assert lint_imports(ROOT / "src").returncode == 0
    copy = tmp_path / "src"
    shutil.copytree(SRC, copy / "storyreel", ignore=shutil.ignore_patterns("__pycache__"))
    model = copy / "storyreel" / "model.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport storyreel.make\n", "utf-8")
    broken = lint_imports(copy)
    assert broken.returncode != 0
    assert "storyreel.model is not allowed to import storyreel.make" in broken.stdout


def test_no_function_takes_more_than_ten_parameters_without_saying_why() -> None:
    """A long parameter list is a missing value object; where one is the interface (a
    command's options), a comment just above the definition says so."""
    unexplained = []
    for path in sorted(SRC.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = node.args
            named = [*args.posonlyargs, *args.args, *args.kwonlyargs]
            count = sum(a.arg not in ("self", "cls") for a in named)
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            said = first >= 2 and lines[first - 2].lstrip().startswith("#")
            if count > 10 and not said:
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert unexplained == []


def test_the_command_line_starts_without_loading_the_pipeline() -> None:
    """`storyreel --help` and each command's help load typer and rich, not the store,
    the cast library, numpy, PyAV or pydantic models (CLI start-up is paid by every
    command a user types)."""
    code = (
        "import sys\n"
        "import storyreel.cli\n"
        "heavy = ('sqlalchemy', 'numpy', 'av', 'fastapi', 'storyreel.make',"
        " 'storyreel.store', 'storyreel.cast.library', 'pydantic')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m in heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
