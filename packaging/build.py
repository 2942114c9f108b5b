"""Build the one-folder bundle: `uv run python packaging/build.py` -> dist/KH75-<version>/.

Qt plugins and libraries the app does not use are pruned after PyInstaller (the same list the
spec excludes, plus plugin folders such as multimedia and QML); the result is checked by running
the frozen `kh75 selftest`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kh75_desktop import __version__  # noqa: E402

# Qt plugin folders an offline widgets app never loads.
UNUSED_QT_PLUGINS = ("multimedia", "qmltooling", "sceneparsers", "renderers", "geometryloaders",
                     "webview", "sqldrivers", "position", "sensors", "texttospeech",
                     "networkinformation", "tls", "designer", "virtualkeyboard", "canbus")
UNUSED_QT_LIBS = ("Qt6Qml", "Qt6Quick", "Qt6WebEngine", "Qt6Pdf", "Qt6Multimedia", "Qt63D",
                  "Qt6Network", "Qt6OpenGL", "Qt6Sql", "Qt6Svg", "Qt6VirtualKeyboard",
                  "Qt6Designer", "Qt6Charts")


def bundle_dir(dist: Path) -> Path:
    return dist / f"KH75-{__version__}"


# Babel's hook collects every locale (35 MB); the app formats numbers in Vietnamese only.
KEEP_BABEL = {"vi.dat", "root.dat"}
# Qt's own translations: only Vietnamese is shown.
KEEP_QT_TRANSLATIONS = ("qtbase_vi", "qt_vi")


def prune(folder: Path) -> int:
    removed = 0
    for path in sorted(folder.rglob("*"), reverse=True):
        name = path.name
        if path.is_file() and path.parent.name == "locale-data" and "babel" in str(path) \
                and name not in KEEP_BABEL:
            removed += path.stat().st_size
            path.unlink()
            continue
        if path.is_file() and path.parent.name == "translations" and "PySide6" in str(path) \
                and not name.startswith(KEEP_QT_TRANSLATIONS):
            removed += path.stat().st_size
            path.unlink()
            continue
        if path.is_dir() and path.parent.name == "plugins" and name in UNUSED_QT_PLUGINS:
            removed += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
            shutil.rmtree(path)
        elif path.is_file() and name.startswith(UNUSED_QT_LIBS) and "PySide6" in str(path):
            removed += path.stat().st_size
            path.unlink()
    return removed


def build(dist: Path, work: Path) -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "packaging" / "kh75.spec")], check=True, cwd=ROOT)
    folder = bundle_dir(dist)
    saved = prune(folder)
    print(f"pruned {saved / 1e6:.1f} MB of unused Qt parts")
    return folder


def folder_size(folder: Path) -> int:
    """Bytes on disk of the bundle's files, each counted once (Qt's .so links are not files)."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def executable(folder: Path) -> Path:
    return folder / ("kh75.exe" if os.name == "nt" else "kh75")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--work", default=str(ROOT / "build"))
    parser.add_argument("--no-selftest", action="store_true")
    args = parser.parse_args()
    folder = build(Path(args.dist), Path(args.work))
    size = folder_size(folder)
    print(f"bundle: {folder} ({size / 1e6:.0f} MB)")
    if not args.no_selftest:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        subprocess.run([str(executable(folder)), "selftest"], check=True, env=env)


if __name__ == "__main__":
    main()
