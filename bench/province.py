"""bench/province: in two cases, the province's real load (129 communes x 5 years x 1-3
versions) and the national one (3,321 units, one package each), intake through the province
window's worker (the median of three runs on fresh copies of the province) against the bare
read+verify+hash+decrypt+JSON floor (bench/packages), with the
UI's longest stall (the longest gap of a 2 ms heartbeat timer on the UI thread); then the time
to show the communes table, the province measures (on return, and worked out again after one
new version is taken in) and one measure's communes (first time and on return), each against a
plain table of the same rows filled and painted in the same run.

    QT_QPA_PLATFORM=offscreen uv run python bench/province.py
Targets (issues 6 and 19): each ratio at most 1.5x; no event-loop stall over 100 ms.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from packages import YEAR, bare, enrol, make_packages, national_plan, province_plan  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402

from kh75_desktop.packages.intake import ACCEPTED, ingest  # noqa: E402
from kh75_desktop.packages.keys import ProvinceKeys  # noqa: E402
from kh75_desktop.packages.province_side import init_province  # noqa: E402
from kh75_desktop.profile import open_store  # noqa: E402
from ui.app import make_app  # noqa: E402
from ui.province.window import ProvinceWindow  # noqa: E402
from ui.worker import busy  # noqa: E402

INTAKE_RUNS = 3


def table_floor(rows: int, cols: int) -> float:
    """The floor of a page: a plain table of the same rows and columns, filled and painted."""
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    t = time.perf_counter()
    model = QStandardItemModel(rows, cols)
    for r in range(rows):
        for c in range(cols):
            model.setItem(r, c, QStandardItem(f"{r:05d} ô {c}"))
    view = QTableView()
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    QApplication.processEvents()
    elapsed = time.perf_counter() - t
    view.close()
    return elapsed


def bench_case(app, tmp: Path, label: str, scope: str, plan) -> None:
    prov_dir = tmp / f"prov-{scope}"
    store = open_store(prov_dir)
    init_province(store, prov_dir, "bench-passphrase", "bench-decryption", scope=scope)
    identity = ProvinceKeys(prov_dir).unlock_identity("bench-decryption")
    folder = tmp / f"packages-{scope}"
    folder.mkdir()
    pairs: dict = {}
    keys = make_packages(folder, prov_dir, plan=plan, pairs=pairs)
    enrol(store, keys)
    files = sorted(folder.glob("*.kh75"))
    print(f"== {label}: {len(files)} packages of {len(keys)} communes")
    # What is loaded is frozen out of the collector's walks, as run_app does once its window is
    # shown (ui.app.resume_collector); the floor and the window run on the same heap.
    gc.freeze()
    bare(files[:50], keys, identity)  # warm the page cache
    beats: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(2)
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))

    def intake_once(store_):
        """A window on `store_` takes in the folder through its worker; the window, seconds
        and the gaps of the heartbeat meanwhile."""
        window_ = ProvinceWindow(store_, YEAR)
        window_.identity = identity
        window_.show()
        window_.show_page("intake")
        app.processEvents()
        beats.clear()
        loop = QEventLoop()
        page_ = window_.intake
        start = time.perf_counter()
        heartbeat.start()
        page_.start([folder])
        poll = QTimer()
        poll.setInterval(20)
        poll.timeout.connect(lambda: loop.quit() if not page_.progress.isVisible() else None)
        poll.start()
        loop.exec()
        poll.stop()
        heartbeat.stop()
        seconds = time.perf_counter() - start
        return window_, seconds, sorted(b - a for a, b in zip(beats, beats[1:], strict=False))

    # each run on a fresh copy of the province (keys enrolled, nothing received), the floor
    # measured before and after it: one intake's ratio swung from 1.5x to 2.0x between runs
    store.engine.dispose()
    runs = []
    for rep in range(INTAKE_RUNS):
        last = rep == INTAKE_RUNS - 1
        rep_dir = prov_dir if last else tmp / f"prov-{scope}-run{rep}"
        if not last:
            shutil.copytree(prov_dir, rep_dir)
        rep_store = open_store(rep_dir)
        before = bare(files, keys, identity)
        window, intake_s, gaps = intake_once(rep_store)
        floor = (before + bare(files, keys, identity)) / 2
        runs.append((intake_s / floor, intake_s, floor, gaps[-1], gaps[int(len(gaps) * 0.99)]))
        if last:
            store = rep_store
        else:
            window.close()
            rep_store.engine.dispose()
    page = window.intake
    ratio, intake_s, floor, longest, p99 = sorted(runs)[len(runs) // 2]
    print(f"intake through the window, median of {INTAKE_RUNS} runs: {intake_s:.2f} s, floor "
          f"(read, verify, hash, decrypt, JSON) {floor:.2f} s, ratio {ratio:.2f}x (target <= "
          f"1.5x; runs {', '.join(f'{r[0]:.2f}x' for r in runs)}); "
          f"{page.results_model.rowCount()} rows ({page.summary.text()})")
    print(f"  longest event-loop stall during intake: {max(r[3] for r in runs) * 1000:.1f} ms "
          f"(target <= 100 ms); p99 gap {p99 * 1000:.1f} ms")

    def timed_load(start_loading) -> tuple[float, float]:
        """Time until the page's worker is done and its rows shown, and the longest UI stall
        meanwhile."""
        beats.clear()
        heartbeat.start()
        t = time.perf_counter()
        start_loading()
        while busy():
            # asleep until the next event, as the window's own loop is: with a time limit this
            # call returns at once when nothing is pending, and the polling thread then fights
            # the worker for the interpreter lock (contact_book ran 2.5x slower in the worker)
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        app.processEvents()
        elapsed = time.perf_counter() - t
        heartbeat.stop()
        stalls = [b - a for a, b in zip([t, *beats], [*beats, time.perf_counter()],
                                        strict=False)]
        return elapsed, max(stalls)

    def leave_and_show(key, afresh=False):
        def run():
            window.show_page("intake")
            app.processEvents()
            if afresh:  # as after an intake: the page's data read again
                window.pages[key][1].loader.shown_stamp = None
            return timed_load(lambda: window.show_page(key))
        return run

    first_rows = iter(range(2, 30))
    commune, _year, last_version = max((p for p in plan if p[1] == YEAR), key=lambda p: p[2])
    versions = iter(range(last_version + 1, last_version + 20))

    def after_new_version():
        """As after the next intake: one commune's new version taken in (not timed), then the
        measures page shown, worked out again over every commune."""
        def run():
            window.show_page("intake")
            app.processEvents()
            version = next(versions)
            new = tmp / f"new-{scope}-{version}"
            new.mkdir()
            make_packages(new, prov_dir, plan=[(commune, YEAR, version)], pairs=pairs)
            taken = ingest(store, prov_dir, [new], None, identity=identity)
            assert [r.outcome for r in taken] == [ACCEPTED], taken
            return timed_load(lambda: window.show_page("measures"))
        return run

    def drill(row=None):
        def run():
            window.show_page("measures")
            timed_load(lambda: None)
            return timed_load(lambda: window.measures.drill(next(first_rows) if row is None
                                                            else row))
        return run

    communes = len(keys) if scope == "province" else len(plan)
    n_measures = len(store.catalogue.measures)
    cases = [(f"communes page ({communes} rows), loaded afresh",
              leave_and_show("communes", afresh=True), (communes, 8)),
             (f"communes page ({communes} rows), on return", leave_and_show("communes"),
              (communes, 8)),
             (f"measures page ({n_measures} measures over {communes} communes), on return",
              leave_and_show("measures"), (n_measures, 8)),
             ("measures page after one new version is taken in", after_new_version(),
              (n_measures, 8)),
             (f"one measure's {communes} communes with outliers, first time", drill(),
              (communes, 5)),
             (f"one measure's {communes} communes, on return", drill(2), (communes, 5))]
    for name, action, shape in cases:
        # page and floor interleaved, five of each: a page takes tens of milliseconds, about
        # what a noisy neighbour on this machine steals from a single run
        runs, floors = [], []
        for _ in range(5):
            runs.append(action())
            floors.append(table_floor(*shape))
        t, floor_s = statistics.median(r[0] for r in runs), statistics.median(floors)
        print(f"{name}: median {t * 1000:.0f} ms, floor (a plain table of the same rows) "
              f"{floor_s * 1000:.0f} ms, ratio {t / floor_s:.2f}x (target <= 1.5x); longest UI "
              f"stall {max(r[1] for r in runs) * 1000:.0f} ms (target <= 100)")
    window.close()
    store.engine.dispose()


def main() -> None:
    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        bench_case(app, tmp, "province (129 communes x 5 years x 1-3 versions)", "province",
                   province_plan())
        bench_case(app, tmp, "national (3,321 units, one package each)", "national",
                   national_plan(3321))


if __name__ == "__main__":
    main()
