"""Build the one-folder bundle: `uv run python packaging/build.py` -> dist/KH75-<version>/.

Qt plugins the app never loads, the libraries only they linked, Babel locales and Qt translations
are pruned after PyInstaller; the result is checked by running the frozen `kh75 selftest`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kh75_desktop import __version__  # noqa: E402

# The Qt plugins a widgets app needs: a platform (X11, Windows, macOS; offscreen and minimal for
# tests and `selftest`), input methods (Vietnamese typing through IBus on Linux) and the Windows
# style. Everything else the PySide6 hook collects (image formats, SVG icons, Wayland, EGL,
# evdev, the GTK theme that pulls in GTK, Pango and Cairo) is never loaded.
KEEP_QT_PLUGINS = {
    "platforms": ("qxcb", "qoffscreen", "qminimal", "qwindows", "qcocoa"),
    "platforminputcontexts": ("*",),
    "styles": ("*",),
}


def bundle_dir(dist: Path) -> Path:
    return dist / f"KH75-{__version__}"


# Babel's hook collects every locale (35 MB); the app formats numbers in Vietnamese only.
KEEP_BABEL = {"vi.dat", "root.dat"}


def _kept_plugin(path: Path, plugins: Path) -> bool:
    kind = path.relative_to(plugins).parts[0]
    stem = path.name.removeprefix("lib").split(".")[0]
    kept = KEEP_QT_PLUGINS.get(kind, ())
    return "*" in kept or stem in kept


def prune_data(folder: Path) -> int:
    """Drop Babel locales other than Vietnamese and Qt's own translations (there is no Vietnamese
    one; the app ships its own in resources/translations)."""
    removed = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        babel_locale = path.parent.name == "locale-data" and "babel" in path.parts \
            and path.name not in KEEP_BABEL
        qt_translation = path.parent.name == "translations" and "PySide6" in path.parts
        if babel_locale or qt_translation:
            removed += path.stat().st_size
            path.unlink()
    return removed


def prune_qt_plugins(folder: Path) -> int:
    removed = 0
    for plugins in folder.rglob("plugins"):
        if "PySide6" not in plugins.parts or not plugins.is_dir():
            continue
        for path in sorted(plugins.rglob("*")):
            if path.is_file() and not _kept_plugin(path, plugins):
                removed += path.stat().st_size
                path.unlink()
        for sub in sorted(plugins.iterdir()):
            if sub.is_dir() and not any(sub.rglob("*")):
                sub.rmdir()
    return removed


def _is_shared_library(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".dll", ".pyd", ".dylib")) or ".so" in name


def _is_dependency(path: Path) -> bool:
    """A library only there because something links it (Qt, ICU, pillow.libs, system libraries),
    as opposed to a root: Python extension modules, Qt plugins and the Python runtime."""
    name = path.name.lower()
    if ".cpython-" in name or name.endswith((".pyd", ".abi3.so")) or "plugins" in path.parts:
        return False
    if name.startswith(("libpython", "python3")):  # loaded by PyInstaller's bootloader
        return False
    return True


def drop_orphan_libraries(folder: Path) -> int:
    """Remove the libraries nothing left in the bundle links, once the unused Qt plugins are gone
    (the GTK theme alone brings GTK, Pango, Cairo, GLib and Kerberos)."""
    from PyInstaller.depend.bindepend import get_imports

    internal = folder / "_internal"
    binaries = [p for p in internal.rglob("*") if p.is_file() and not p.is_symlink()
                and _is_shared_library(p)]
    by_name: dict[str, list[Path]] = {}
    for p in internal.rglob("*"):
        if _is_shared_library(p):
            by_name.setdefault(p.name.lower(), []).append(p.resolve())
    roots = [p for p in binaries if not _is_dependency(p)] + [executable(folder)]
    needed: set[Path] = set()
    todo = list(roots)
    while todo:
        current = todo.pop()
        for name, _ in get_imports(str(current)):
            for lib in by_name.get(Path(name).name.lower(), []):
                if lib not in needed:
                    needed.add(lib)
                    todo.append(lib)
    removed = 0
    for p in binaries:
        if _is_dependency(p) and p.resolve() not in needed:
            removed += p.stat().st_size
            p.unlink()
    for p in internal.rglob("*"):
        if p.is_symlink() and not p.exists():
            p.unlink()
    return removed


def prune(folder: Path) -> int:
    return prune_data(folder) + prune_qt_plugins(folder) + drop_orphan_libraries(folder)


def read_province_key(key_file: Path) -> tuple[bytes, str]:
    """Sở Y tế's published key file and its fingerprint; refuses, before any build, a file that
    is not a valid, self-signed province key."""
    from kh75_desktop.errors import KH75Error
    from kh75_desktop.packages.keys import parse_province_key_file

    try:
        data = key_file.read_bytes()
        return data, parse_province_key_file(data).fingerprint
    except (OSError, KH75Error) as err:
        raise SystemExit(f"--province-key {key_file}: {getattr(err, 'message', err)}") from err


def build(dist: Path, work: Path, province_key: Path | None = None) -> Path:
    key = read_province_key(province_key) if province_key is not None else None
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
                    "--distpath", str(dist), "--workpath", str(work),
                    str(ROOT / "packaging" / "kh75.spec")], check=True, cwd=ROOT)
    folder = bundle_dir(dist)
    saved = prune(folder)
    print(f"pruned {saved / 1e6:.1f} MB the app never loads")
    if key is not None:
        from kh75_desktop.resources import BUNDLED_PROVINCE_KEY

        target = folder / "_internal" / "resources" / "keys" / BUNDLED_PROVINCE_KEY
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(key[0])
        print(f"Sở Y tế's key built in, fingerprint {key[1]}")
    return folder


def highest_glibc(folder: Path) -> tuple[tuple[int, ...], str] | None:
    """The newest GLIBC symbol version any file of a Linux bundle needs, and the file needing it:
    the bundle starts only where the system's glibc is at least that (Ubuntu 22.04 has 2.35).
    Read with binutils' objdump, as PyInstaller does; None where there is no ELF or objdump."""
    import re
    import shutil

    if shutil.which("objdump") is None:
        return None
    best: tuple[tuple[int, ...], str] | None = None
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True).stdout
        for found in set(re.findall(r"\bGLIBC_(\d+(?:\.\d+)+)\b", out)):
            version = tuple(int(n) for n in found.split("."))
            if best is None or version > best[0]:
                best = (version, path.relative_to(folder).as_posix())
    return best


def folder_size(folder: Path) -> int:
    """Bytes on disk of the bundle's files, each counted once (Qt's .so links are not files)."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def executable(folder: Path, name: str = "kh75") -> Path:
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", default=str(ROOT / "dist"))
    parser.add_argument("--work", default=str(ROOT / "build"))
    parser.add_argument("--no-selftest", action="store_true")
    parser.add_argument("--province-key", type=Path,
                        help="Sở Y tế's published .kh75key, offered at setup by this bundle")
    args = parser.parse_args()
    folder = build(Path(args.dist), Path(args.work), args.province_key)
    size = folder_size(folder)
    print(f"bundle: {folder} ({size / 1e6:.0f} MB)")
    if sys.platform.startswith("linux"):
        needed = highest_glibc(folder)
        if needed is not None:
            print(f"needs glibc {'.'.join(map(str, needed[0]))} or newer (for {needed[1]})")
    if not args.no_selftest:
        env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
        subprocess.run([str(executable(folder)), "selftest"], check=True, env=env)
    if os.name == "nt":
        print(f"installer: iscc /DAppVersion={__version__} packaging\\windows\\kh75.iss")


if __name__ == "__main__":
    main()
