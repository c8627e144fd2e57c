"""engine/ never imports Qt, pyqtgraph or gui: checked on the source and in a fresh process."""
import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "superqt", "gui", "qtpy")


def test_no_forbidden_imports_in_engine_source():
    bad = []
    for f in ENGINE.rglob("*.py"):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            bad += [f"{f.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert not bad, bad


def test_importing_engine_and_its_cli_loads_no_qt():
    code = (
        "import sys, engine, engine.cli, engine.loading, engine.runner; engine.cli.build_parser();"
        "bad=[m for m in sys.modules if m.split('.')[0] in %r]; print(bad); sys.exit(1 if bad else 0)"
        % (FORBIDDEN,)
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ENGINE.parent)
    assert r.returncode == 0, r.stdout + r.stderr
