"""The report a chairman signs, read back as a person would: pdftotext for words and numbers
unbroken and the signature on the page where the body ends; DỰ THẢO until sent; the Word copy
converted by LibreOffice; workbooks whose text from outside never becomes a formula; the
signatory and the written sections checked and carried in the package."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from kh75_desktop.demo import demo_figures, demo_narrative
from kh75_desktop.errors import KH75Error
from kh75_desktop.figures import Figure
from kh75_desktop.narrative import SECTION_LIMIT, load_narrative, save_section, validate_narrative
from kh75_desktop.reports.commune_docx import build_commune_docx
from kh75_desktop.reports.commune_pdf import build_commune_pdf
from kh75_desktop.reports.content import cell_text, commune_report
from kh75_desktop.reports.xlsx_export import commune_workbook
from kh75_desktop.signatory import Signatory, checked, load_signatory, save_signatory, signatory_for

W = "14464"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="LOUD SKIP: poppler-utils not installed (.ci/run does)")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_office = pytest.mark.skipif(SOFFICE is None, reason="LOUD SKIP: LibreOffice not installed "
                                  "(apt-get install libreoffice-writer libreoffice-calc; .ci/run "
                                  "does)")


@pytest.fixture
def report_store(store):
    for year in range(2023, 2027):
        store.save_figures(W, year, demo_figures(W, year, year == 2026), who="Hoa")
    for key, text in demo_narrative(2026).items():
        save_section(store, W, 2026, key, text)
    return store


def pdf_pages(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    return out.split("\f")


def office_convert(path: Path, target: str, tmp_path: Path) -> Path:
    out = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                          "--convert-to", target, "--outdir", str(tmp_path / "conv"), str(path)],
                         capture_output=True, text=True, timeout=240)
    assert out.returncode == 0, out.stderr
    return tmp_path / "conv"


@needs_poppler
def test_every_code_and_number_is_printed_unbroken(report_store, data_dir, tmp_path):
    report = commune_report(report_store, 2026)
    text = "\n".join(pdf_pages(build_commune_pdf(report_store, data_dir, 2026), tmp_path))
    tokens = set(text.split())
    checked_tokens = 0
    for row in report.rows:
        assert row.key in tokens, row.key
        for attr in ("value", "target", "interval", "previous"):
            for token in re.findall(r"[\d][\d.,/‰%]*", cell_text(row, attr)):
                # a number split over two lines would leave only its pieces in the text
                assert any(token in t for t in tokens), (row.key, attr, token)
                checked_tokens += 1
    assert checked_tokens > 80
    assert "670/100.000" in text or "/100.000" in text


@needs_poppler
def test_signature_sits_with_the_end_of_the_body_and_the_draft_is_marked(report_store, data_dir,
                                                                        tmp_path):
    save_signatory(report_store, Signatory(
        issuer=("ỦY BAN NHÂN DÂN", "XÃ GIA VIỄN"), collective="ỦY BAN NHÂN DÂN",
        head_title="CHỦ TỊCH", deputy_title="PHÓ CHỦ TỊCH", role="deputy", on_behalf=True,
        signer="Trần Văn Nam", preparer="Nguyễn Thị Hoa",
        recipients=("Sở Y tế tỉnh Ninh Bình", "Lưu: VT.")))
    pages = pdf_pages(build_commune_pdf(report_store, data_dir, 2026), tmp_path)
    end = next(i for i, p in enumerate(pages) if "Trên đây là báo cáo" in p)
    page = " ".join(pages[end].split())
    for words in ("V. PHƯƠNG HƯỚNG", "Nơi nhận:", "NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN",
                  "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Nam", "Nguyễn Thị Hoa"):
        assert words in page, words
    body = " ".join(" ".join(pages[:end + 1]).split())
    assert body.index("I. KẾT QUẢ TRIỂN KHAI") < body.index("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU") \
        < body.index("III. KHÓ KHĂN") < body.index("IV. ĐỀ XUẤT") < body.index("V. PHƯƠNG HƯỚNG")
    assert "412 lượt người dự" in body  # the officer's own words, in section I
    annex = " ".join(" ".join(pages[end + 1:]).split())
    assert "PHỤ LỤC" in annex and "cậy 95%" in annex
    assert "manifest" not in body and "KH75;" not in body  # nothing technical in the body
    assert all("DỰ THẢO" in p for p in pages if p.strip())  # a draft, on every page
    report_store.set_report_status(W, 2026, "exported", 1)
    sent = pdf_pages(build_commune_pdf(report_store, data_dir, 2026), tmp_path)
    assert not any("DỰ THẢO" in p for p in sent)


@needs_office
@needs_poppler
def test_word_copy_converts_and_holds_the_whole_document(report_store, tmp_path):
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(build_commune_docx(report_store, 2026))
    from docx import Document

    doc = Document(str(path))
    assert doc.sections[0].left_margin.mm == pytest.approx(30, abs=0.1)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    conv = office_convert(path, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", str(conv / "bao-cao.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "ỦY BAN NHÂN DÂN", "XÃ GIA VIỄN", "BÁO CÁO", "DỰ THẢO",
                  "I. KẾT QUẢ TRIỂN KHAI", "III. KHÓ KHĂN, VƯỚNG MẮC", "IV. ĐỀ XUẤT, KIẾN NGHỊ",
                  "V. PHƯƠNG HƯỚNG", "412 lượt người dự", "Nơi nhận:", "TM. ỦY BAN NHÂN DÂN",
                  "CHỦ TỊCH", "NGƯỜI LẬP BIỂU", "Nguyễn Thị Hoa", "PHỤ LỤC", "670/100.000"):
        assert words in flat, words
    # Word breaks a line after a dash or a slash where the PDF breaks only at spaces: no line
    # of the copy ends in a number's "2–" or "3%/" (the 13th's target "giảm 2–3%/năm")
    lines = text.replace("\u2060", "").splitlines()
    assert not [line for line in lines if re.search(r"[\d%‰][–/-]$", line.rstrip())], lines
    assert "giảm 2–3%/năm" in flat.replace("\u2060", "")


@needs_office
def test_workbook_text_from_outside_is_never_a_formula(store, tmp_path):
    figures = demo_figures(W, 2026)
    figures = [Figure(f.element, f.count, f.flag, f.missing_reason, f.source,
                      '=HYPERLINK("http://x","bấm")' if f.element == "live_births" else f.note,
                      "+1-2" if f.element == "under5" else f.explanation, f.estimated)
               for f in figures]
    store.save_figures(W, 2026, figures, who="Hoa")
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(commune_workbook(store, 2026))
    wb = openpyxl.load_workbook(path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert '=HYPERLINK("http://x","bấm")' in texts and "= 100,0%" in texts
    assert not [c for c in cells if c.data_type == "f"]  # nothing is a formula
    assert all(len(ws.title) <= 31 for ws in wb.worksheets)
    conv = office_convert(path, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,"
                          "false,false,-1", tmp_path)
    sheets = list(conv.glob("*.csv"))
    assert len(sheets) == len(wb.worksheets)
    for sheet in sheets:
        content = sheet.read_text(encoding="utf-8")
        assert "Err:" not in content and "#NAME" not in content, sheet.name
    values = "".join(s.read_text(encoding="utf-8") for s in sheets)
    assert "=HYPERLINK" in values and "= 100,0%" in values


def test_small_rates_keep_the_decimals_their_target_needs(report_store, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(commune_workbook(report_store, 2026))
    ws = openpyxl.load_workbook(path)["Chỉ tiêu"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4, max_row=37)}
    assert rows["17b"][7].number_format == '0.00"%"'  # 0,11% beside "< 0,12%"
    assert rows["4a"][7].number_format == '0.0"%"'


def test_signatory_lines_follow_decree_30_and_are_bounded(store):
    sig = signatory_for(store)
    assert sig.issuer == ("ỦY BAN NHÂN DÂN", "XÃ GIA VIỄN") and sig.preparer == "Nguyễn Thị Hoa"
    assert sig.title_lines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    from dataclasses import replace

    assert replace(sig, role="deputy").title_lines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                                         "PHÓ CHỦ TỊCH"]
    assert replace(sig, role="deputy", on_behalf=False).title_lines() == ["KT. CHỦ TỊCH",
                                                                          "PHÓ CHỦ TỊCH"]
    assert replace(sig, role="acting", on_behalf=False).title_lines() == ["Q. CHỦ TỊCH"]
    for bad, words in ((replace(sig, signer="A" * 200), "Người ký dài quá"),
                       (replace(sig, signer="Nam\x1b[31m"), "ký tự điều khiển"),
                       (replace(sig, role="boss"), "Cách ký"),
                       (replace(sig, issuer=()), "1 đến 3 dòng"),
                       (replace(sig, recipients=tuple(f"Nơi {i}" for i in range(20))), "tối đa")):
        with pytest.raises(KH75Error, match=words):
            checked(bad)
    saved = save_signatory(store, replace(sig, signer="  Trần   Văn Nam "))
    assert saved.signer == "Trần Văn Nam" and load_signatory(store, sig).signer == "Trần Văn Nam"


def test_written_sections_are_bounded_locked_once_sent_and_checked_on_the_way_in(store):
    save_section(store, W, 2026, "activities", "Dòng một\r\nDòng hai\x07")
    assert load_narrative(store, 2026) == {"activities": "Dòng một\nDòng hai"}
    with pytest.raises(KH75Error, match="quá giới hạn"):
        save_section(store, W, 2026, "proposals", "x" * (SECTION_LIMIT + 1))
    store.set_report_status(W, 2026, "exported", 1)
    with pytest.raises(KH75Error, match="bị khóa"):
        save_section(store, W, 2026, "activities", "sửa sau khi gửi")
    assert load_narrative(store, 2026)["activities"] == "Dòng một\nDòng hai"
    for bad in ({"secret": "x"}, {"activities": 5}, ["activities"],
                {"activities": "x" * (SECTION_LIMIT + 1)}):
        with pytest.raises(KH75Error, match="Gói X"):
            validate_narrative(bad, "Gói X")


def test_a_package_carries_the_written_sections_and_refuses_bad_ones(world):
    from world import COMMUNE_PASS, YEAR, confirmed

    from kh75_desktop.packages.commune_side import export_submission
    from kh75_desktop.packages.payload import parse_payload
    from kh75_desktop.packages.province_side import commune_narratives

    a = world.store(world.a)
    save_section(a, a.profile().ward_code, YEAR, "proposals", "Đề nghị tập huấn.")
    out = world.a.parent / "out"
    out.mkdir()
    export_submission(a, world.a, YEAR, out, COMMUNE_PASS)
    world.ingest([out], confirmed(world.a))
    gathered = commune_narratives(world.store(world.prov), YEAR)
    assert [(c.code, n) for c, n in gathered] == [(a.profile().ward_code,
                                                   {"proposals": "Đề nghị tập huấn."})]
    doc = {"format": "kh75-payload", "commune": {"code": "14464"}, "year": YEAR, "figures": [],
           "narrative": {"proposals": "x" * (SECTION_LIMIT + 1)}}
    with pytest.raises(KH75Error, match="quá giới hạn"):
        parse_payload(json.dumps(doc).encode(), a.catalogue, "14464", YEAR, "Gói thử")
