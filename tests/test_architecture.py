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


def test_no_signal_hands_its_value_to_a_method_with_optional_arguments():
    """`button.clicked.connect(self.method)` calls method(False) when the method takes an
    argument (any signal likewise hands over its value): "Sao lưu" backed up to a path `False`
    without asking where, "Bắt đầu hồ sơ mới" skipped its confirmation, "Ký và ghi gói phản hồi"
    signed with the passphrase False. A method with optional arguments is connected through a
    lambda that calls it bare."""
    ui = CORE.parent / "ui"
    offenders = []
    for path in ui.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        takes_args = {}
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for f in cls.body:
                if isinstance(f, ast.FunctionDef):
                    # optional first argument: meant to be called bare, not to take the flag
                    # (a required one, as in _toggle_no_data(checked), wants the signal's value)
                    params = f.args.args[1:]
                    takes_args[f.name] = bool(params) and len(f.args.defaults) == len(params)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "connect"
                    and node.args and isinstance(node.args[0], ast.Attribute)
                    and isinstance(node.args[0].value, ast.Name)
                    and node.args[0].value.id == "self"
                    and takes_args.get(node.args[0].attr)):
                offenders.append(f"{path.relative_to(ui.parent)}:{node.lineno} "
                                 f"{node.args[0].attr}")
    assert offenders == []
