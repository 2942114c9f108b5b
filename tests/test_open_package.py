"""A .kh75 file opened from the file manager goes to the right window: a commune's report to Sở Y
tế's intake, Sở Y tế's feedback to the commune's import, anything else refused in words."""

from __future__ import annotations

from world import COMMUNE_PASS, PROVINCE_PASS, YEAR, confirmed

from kh75_desktop.packages.commune_side import export_submission
from kh75_desktop.packages.container import package_kind
from kh75_desktop.packages.province_side import write_feedback


def test_each_file_opens_where_it_belongs(world, tmp_path, monkeypatch, qapp):
    from PySide6.QtWidgets import QMessageBox

    from ui import app as app_module

    out = tmp_path / "out"
    result = export_submission(world.store(world.a), world.a, YEAR, out, COMMUNE_PASS)
    world.ingest([out], confirmed(world.a))
    ward = world.store(world.a).profile().ward_code
    fb = write_feedback(world.store(world.prov), world.prov, ward, YEAR, "accept", [],
                        PROVINCE_PASS, tmp_path / "fb")
    junk = tmp_path / "hỏng.kh75"
    junk.write_bytes(b"PK\x03\x04 not really")
    assert package_kind(result.path) == "submission"
    assert package_kind(fb.path) == "feedback"
    assert package_kind(junk) is None and package_kind(tmp_path / "không có.kh75") is None

    calls, said = [], []
    monkeypatch.setattr(app_module, "run_province_app",
                        lambda d, open_file=None: calls.append(("province", open_file)) or 0)
    monkeypatch.setattr(app_module, "run_app",
                        lambda d, argv=None, open_file=None: calls.append(("commune", open_file))
                        or 0)
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name,
                            staticmethod(lambda *a, **k: said.append(a[2])))
    assert app_module.open_package(str(world.prov), result.path) == 0
    assert app_module.open_package(str(world.a), fb.path) == 0
    assert calls == [("province", result.path), ("commune", fb.path)]
    assert app_module.open_package(str(world.a), junk) == 2
    assert "không phải gói KH75" in said[-1]
    monkeypatch.setenv("KH75_DATA_DIR", str(tmp_path / "no-province-here"))
    assert app_module.open_package(None, result.path) == 2  # no Sở Y tế profile on this laptop
    assert "gửi Sở Y tế" in said[-1] and len(calls) == 2
