"""Architecture: the core never depends on Qt (kh75_desktop/ must not import PySide6, directly or
indirectly), and migrations stand alone."""

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "kh75_desktop"


def test_no_core_module_imports_pyside6_in_its_source():
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "PySide6" or n.startswith("PySide6.") or n == "ui" or n.startswith("ui.")
                   for n in names):
                offenders.append(f"{path.relative_to(CORE.parent)}:{node.lineno}")
    assert offenders == []


def test_the_console_script_loads_no_qt_for_core_commands():
    code = ("import sys; from ui.launcher import main; main(['catalogue', '--json']); "
            "print([m for m in sys.modules if m.startswith('PySide6')], file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stderr.strip() == "[]"


def test_importing_every_core_module_loads_no_qt():
    modules = sorted(
        ".".join(p.relative_to(CORE.parent).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if "migrations" not in p.parts and p.name != "__main__.py"
    )
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6') or m == 'ui']\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_migrations_never_import_the_app():
    """A migration is frozen history: the frozen bundle loads it by path, and it must not change
    when the app's modules do."""
    versions = CORE / "storage" / "migrations" / "versions"
    files = sorted(versions.glob("[0-9]*.py"))
    assert len(files) >= 6
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "kh75_desktop" not in text and "from .." not in text, path.name
