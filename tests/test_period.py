"""The reporting period: estimates per figure, the cut-off Sở Y tế sets, the official figures sent
as the next version after the year ends, the default year, and 1-4 cases never printed."""

import json
import subprocess
from datetime import date

import pyrage
import pytest
from world import COMMUNE_PASS, PROVINCE_DECRYPT_PASS, PROVINCE_PASS, YEAR, confirmed

from kh75_desktop.catalogue import load_catalogue
from kh75_desktop.demo import demo_figures
from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import Figure
from kh75_desktop.packages.commune_side import export_submission, import_feedback
from kh75_desktop.packages.container import PackageRejected, read_package
from kh75_desktop.packages.manifest import validate_manifest
from kh75_desktop.packages.payload import parse_payload
from kh75_desktop.packages.province_side import period_summary, write_feedback
from kh75_desktop.reporting_period import (
    cutoff_for,
    estimate_words,
    official_hint,
    period_of,
    reopen_for_official,
    reporting_year,
    set_cutoff,
    working_year,
)
from kh75_desktop.reports.commune_pdf import build_commune_pdf

W = "14464"
CAT = load_catalogue()


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return " ".join(out.split())


def payload_of(world, path):
    return json.loads(pyrage.decrypt(read_package(path)["payload.json.age"], [world.identity]))


def test_estimate_flag_is_stored_audited_and_counted(store):
    store.save_figures(W, 2026, demo_figures(W, 2026, estimates=True), who="Hoa")
    figures = store.figures(W, 2026)
    assert figures["live_births"].estimated and not figures["children_under16"].estimated
    fixed = Figure("live_births", count=figures["live_births"].count, source="tram_y_te")
    store.save_figure(W, 2026, fixed, who="Hoa")
    assert not store.figures(W, 2026)["live_births"].estimated
    last = store.audit(W, 2026)[-1]
    assert json.loads(last.old)["estimated"] is True and "estimated" not in json.loads(last.new)
    words = estimate_words(store.figures(W, 2026))
    assert words.startswith("Có 8/54 số liệu là số ước tính")


def test_the_printed_report_says_the_period_and_marks_estimates(store, data_dir, tmp_path):
    store.save_figures(W, 2026, demo_figures(W, 2026, estimates=True), who="Hoa")
    text = pdf_text(build_commune_pdf(store, data_dir, 2026), tmp_path)
    assert ("Kỳ báo cáo: Số liệu tính từ ngày 01/01/2026 đến ngày 31/10/2026; số liệu ghi "
            "“ước tính” được ước tính đến ngày 31/12/2026.") in text
    assert "Có 9/54 số liệu là số ước tính" in text
    assert "từ ngày 01/01/2026 đến ngày 31/12/2026" not in text  # no longer claims the full year
    assert text.count("ước tính") >= 6  # 3a, 3b, 3c, 5a, 11a, 11b, 13, 14 carry the mark


def test_payload_refuses_a_malformed_estimate_or_period():
    def doc(**extra):
        base = {"format": "kh75-payload", "commune": {"code": W}, "year": 2026,
                "figures": [{"element": "live_births", "count": 3, **extra.pop("fig", {})}]}
        base.update(extra)
        return json.dumps(base).encode()

    _, figures = parse_payload(doc(fig={"estimated": True}), CAT, W, 2026, "x")
    assert figures["live_births"].estimated
    with pytest.raises(PackageRejected, match="dấu ước tính"):
        parse_payload(doc(fig={"estimated": "có"}), CAT, W, 2026, "x")
    for period in ({"cutoff": "2025-10-31", "official": False}, {"cutoff": "31/10/2026"},
                   {"cutoff": "2026-10-31", "official": 1}, "2026-10-31"):
        with pytest.raises(PackageRejected, match="kỳ báo cáo"):
            parse_payload(doc(period=period), CAT, W, 2026, "x")


def test_feedback_cutoffs_are_bounded():
    from kh75_desktop.packages.manifest import FORMAT, FORMAT_VERSION

    m = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": "feedback",
         "package_id": "12345678-1234-1234-1234-123456789012",
         "issuer": {"ward_code": "37", "key_id": "A" * 16},
         "recipient": {"ward_code": W, "key_id": "B" * 16}, "year": 2026, "sequence": 1,
         "created_at": "2026-11-29T10:00:00+00:00",
         "files": [{"name": "p", "size": 1, "sha256": "0" * 64}],
         "in_reply_to": {"package_id": "p", "manifest_sha256": "h"}, "decision": "accept",
         "comments": []}
    assert validate_manifest(dict(m, cutoffs={"2026": "2026-09-30"}), "x")
    for bad in ({"2026": 20260930}, {"năm": "2026-09-30"}, ["2026-09-30"],
                {str(2000 + i): "2026-09-30" for i in range(21)}):
        with pytest.raises(PackageRejected, match="ngày chốt"):
            validate_manifest(dict(m, cutoffs=bad), "x")


def test_cutoff_set_by_province_reaches_the_commune(world, tmp_path):
    prov = world.store(world.prov)
    with pytest.raises(KH75Error, match="30/06/2026 – 31/12/2026"):
        set_cutoff(prov, YEAR, date(2026, 3, 1))
    set_cutoff(prov, YEAR, date(2026, 9, 30))
    out = tmp_path / "out"
    out.mkdir()
    sent = export_submission(world.store(world.a), world.a, YEAR, out, COMMUNE_PASS)
    assert payload_of(world, sent.path)["period"] == {"cutoff": "2026-10-31", "official": False}
    world.ingest([out], confirmed(world.a))
    fb = write_feedback(prov, world.prov, W, YEAR, "accept", [], PROVINCE_PASS, tmp_path / "fb")
    commune = world.store(world.a)
    import_feedback(commune, world.a, fb.path)
    assert cutoff_for(commune, YEAR) == date(2026, 9, 30)
    assert cutoff_for(commune, YEAR + 1) == date(2027, 10, 31)  # unset years keep the default
    assert "đến ngày 30/09/2026" in period_of(commune, W, YEAR).words()


def test_official_figures_are_the_next_version_with_the_estimates_changes(world, tmp_path):
    commune = world.store(world.a)
    commune.save_figures(W, YEAR, [Figure("live_births", count=350, source="tram_y_te",
                                          estimated=True, explanation="ước tính đến 31/12")],
                         who="Hoa", explain_soft="x")
    out = tmp_path / "out"
    out.mkdir()
    v1 = export_submission(commune, world.a, YEAR, out, COMMUNE_PASS)
    world.ingest([v1.path], confirmed(world.a))
    prov = world.store(world.prov)
    fb = write_feedback(prov, world.prov, W, YEAR, "accept", [], PROVINCE_PASS, tmp_path / "fb")
    import_feedback(commune, world.a, fb.path)
    assert official_hint(YEAR, "accepted", False, date(2026, 12, 1)) == ""
    with pytest.raises(KH75Error, match="từ ngày 01/01/2027"):
        reopen_for_official(commune, W, YEAR, today=date(2026, 12, 31))
    assert "trong quý I" in official_hint(YEAR, "accepted", False, date(2027, 1, 20))
    reopen_for_official(commune, W, YEAR, today=date(2027, 1, 20))
    rs = commune.report_status(W, YEAR)
    assert rs.official and rs.status == "complete"  # every figure can be changed again
    commune.save_figure(W, YEAR, Figure("live_births", count=356, source="tram_y_te",
                                        explanation="số chính thức cả năm"), who="Hoa")
    v2 = export_submission(commune, world.a, YEAR, out, COMMUNE_PASS)
    assert v2.version == v1.version + 1
    doc = payload_of(world, v2.path)
    assert doc["period"]["official"] is True
    change = next(c for c in doc["changes"] if c["element"] == "live_births")
    assert (change["old"]["count"], change["old"]["estimated"]) == (350, True)
    assert change["new"]["count"] == 356 and "estimated" not in change["new"]
    results = world.ingest([v2.path])
    assert results[0].outcome == "accepted" and results[0].version == 2
    summary = period_summary(prov, YEAR)
    assert "1/1 xã, phường đã gửi số liệu chính thức cả năm" in summary
    with pytest.raises(KH75Error, match="đã được gửi"):
        reopen_for_official(commune, W, YEAR, today=date(2027, 2, 1))


def test_reporting_year_follows_the_deadline():
    def accepted(years):
        return lambda y: y in years

    assert reporting_year(CAT, date(2026, 11, 10), accepted({2026})) == 2026  # before 15/11
    assert reporting_year(CAT, date(2026, 11, 20), accepted(set())) == 2026  # late, still 2026
    assert reporting_year(CAT, date(2026, 11, 20), accepted({2026})) == 2027
    assert reporting_year(CAT, date(2027, 1, 5), accepted({2026})) == 2027


def test_working_year_moves_on_once_the_year_is_accepted(store):
    profile = store.profile()
    assert working_year(store, profile, date(2026, 11, 29)) == 2026
    store.set_report_status(W, 2026, "accepted", version=1)
    assert working_year(store, profile, date(2026, 11, 10)) == 2026  # deadline not passed yet
    assert working_year(store, profile, date(2026, 11, 29)) == 2027


def test_small_counts_of_abuse_and_hiv_are_never_printed(world, tmp_path):
    commune = world.store(world.a)
    abused = Figure("children_abused", count=3, source="cong_an", explanation="3 trường hợp")
    commune.save_figures(W, YEAR, [abused], who="Hoa", explain_soft="x")
    text = pdf_text(build_commune_pdf(commune, world.a, YEAR), tmp_path)
    assert "(< 5 trẻ)" in text and "không lộ danh tính" in text
    rate = commune.figures(W, YEAR)
    per = 100 * 3 / rate["children_under16"].count
    assert f"{per:.2f}".replace(".", ",") + "%" not in text
    import openpyxl

    from kh75_desktop.reports.xlsx_export import commune_workbook

    book = tmp_path / "so-lieu.xlsx"
    book.write_bytes(commune_workbook(commune, YEAR))
    row = next(r for r in openpyxl.load_workbook(book)["Chỉ tiêu"].iter_rows(values_only=True)
               if r[0] == "9")
    assert row[5] == "< 5" and row[7] == "–" and "3 ca" not in " ".join(map(str, row))
    out = tmp_path / "out"
    out.mkdir()
    sent = export_submission(commune, world.a, YEAR, out, COMMUNE_PASS)
    figures = {f["element"]: f for f in payload_of(world, sent.path)["figures"]}
    assert figures["children_abused"]["count"] == 3  # Sở Y tế gets the exact figure


def test_cli_marks_estimates_reopens_and_sets_the_cutoff(tmp_path, capsys):
    from kh75_desktop.cli import main

    d = str(tmp_path / "Hồ sơ #1")
    assert main(["--data-dir", d, "demo", "--year", "2026"]) == 0
    assert main(["--data-dir", d, "set", "deaths_neonatal", "2", "--final"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", d, "status", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["period"] == {"cutoff": "2026-10-31", "official": False}
    assert doc["estimates"]["estimated"] == 8  # nine demo estimates, one now final
    assert main(["--data-dir", d, "official"]) == 2  # not sent yet: refused in words
    assert "chưa gửi Sở Y tế" in capsys.readouterr().err
    secret = tmp_path / "pass.txt"
    secret.write_text(PROVINCE_PASS, encoding="utf-8")
    p = str(tmp_path / "Sở Y tế")
    decrypt = tmp_path / "decrypt.txt"
    decrypt.write_text(PROVINCE_DECRYPT_PASS, encoding="utf-8")
    assert main(["--data-dir", p, "province", "init", "--passphrase-file", str(secret),
                 "--decrypt-passphrase-file", str(decrypt)]) == 0
    assert main(["--data-dir", p, "province", "period", "--year", "2026", "--cutoff",
                 "30/09/2026"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", p, "province", "period", "--year", "2026"]) == 0
    assert "Ngày chốt số liệu năm 2026: 30/09/2026." in capsys.readouterr().out
    assert main(["--data-dir", p, "province", "period", "--year", "2026", "--cutoff",
                 "31/13/2026"]) == 2
    assert "không phải là ngày hợp lệ" in capsys.readouterr().err
