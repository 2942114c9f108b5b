"""The commune's printed summary for its meeting and its file: an administrative report with the
34 measures in a "Biểu số" table, charts, the contacts, and the package's fingerprint and QR."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..contacts import PLAN_CONTACTS
from ..disclosure import HIDDEN_NOTE, any_hidden, hides, shown_value
from ..judgement_words import status_summary
from ..measures import NOT_MET, STATUS_SHORT, completion, compute_all, measure_value
from ..numbers_vi import format_measure, format_target
from ..report_status import status_label
from ..reporting_period import estimate_words, period_of
from ..storage.exchange import ExchangeStore
from ..storage.store import Store
from .charts import trends, value_vs_target
from .pdf_common import (
    CONTENT_WIDTH,
    FONT,
    STATUS_HEX,
    build_pdf,
    closing,
    form_header,
    grid_style,
    styles,
)
from .pdf_common import header as doc_header

PLAN_REF = ("Kế hoạch số 75/KH-UBND ngày 18/09/2025 của Ủy ban nhân dân tỉnh Ninh Bình thực "
            "hiện Chương trình hành động quốc gia vì trẻ em tỉnh Ninh Bình đến năm 2030")


def shown_unit(m, share_of_communes: bool) -> str:
    """At the province a yes/no measure is the share of communes, in percent."""
    return "%" if share_of_communes and m.unit == "yesno" else m.unit


def measure_table(catalogue, results, previous: dict[str, str] | None = None,
                  share_of_communes: bool = False, estimated: dict[str, bool] | None = None
                  ) -> Table:
    """Biểu số table: A code, B measure, 1 value, 2 interval, 3 target, 4 status, 5 last year.
    A value resting on an estimated figure says so; a withheld small count shows "–"."""
    st = styles()
    head = ["Mã", "Chỉ tiêu", "Giá trị", "Khoảng tin cậy 95%", "Chỉ tiêu năm", "Đánh giá",
            "Năm trước"]
    rows = [[Paragraph(f"<b>{h}</b>", st["cellc"]) for h in head],
            [Paragraph(c, st["cellc"]) for c in ("A", "B", "1", "2", "3", "4", "5")]]
    style = grid_style(2)
    for goal, name in catalogue.goals.items():
        rows.append([Paragraph(f"<b>{name}</b>", st["cellb"]), "", "", "", "", "", ""])
        style += [("SPAN", (0, len(rows) - 1), (-1, len(rows) - 1)),
                  ("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1),
                   colors.HexColor("#f7f9fb"))]
        for r in (x for x in results if x.measure.goal == goal):
            m = r.measure
            unit = shown_unit(m, share_of_communes)
            interval = "" if r.interval is None or hides(m, r.numerator) else " – ".join(
                format_measure(v, unit) for v in r.interval)
            value = escape(shown_value(m, r.numerator, r.value, unit))
            if (estimated or {}).get(m.key):
                value += "<br/><i>ước tính</i>"
            rows.append([Paragraph(m.key, st["cellc"]), Paragraph(m.name, st["cell"]),
                         Paragraph(value, st["cellc"]),
                         Paragraph(interval, st["cellc"]),
                         Paragraph(format_target(r.target, m.unit), st["cellc"]),
                         Paragraph(f'<font color="{STATUS_HEX[r.status]}">'
                                   f'{STATUS_SHORT[r.status]}</font>', st["cellc"]),
                         Paragraph(escape((previous or {}).get(m.key, "–")), st["cellc"])])
    widths = [9 * mm, 52 * mm, 17 * mm, 25 * mm, 20 * mm, 20 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    t = Table(rows, colWidths=widths, repeatRows=2)
    t.setStyle(TableStyle(style))
    return t


def qr_drawing(text: str, size: float = 32 * mm) -> Drawing:
    widget = QrCodeWidget(text)
    x0, y0, x1, y1 = widget.getBounds()
    d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    d.add(widget)
    return d


def contacts_table(local_contacts) -> Table:
    st = styles()
    rows = [[Paragraph("<b>Liên hệ</b>", st["cell"]), Paragraph("<b>Số điện thoại</b>",
                                                               st["cellc"])]]
    for c in PLAN_CONTACTS:
        rows.append([Paragraph(f"{c.name} — {c.note}", st["cell"]),
                     Paragraph(f"<b>{c.phone}</b>", st["cellc"])])
    for c in local_contacts:
        rows.append([Paragraph(" — ".join(x for x in (c.name, c.organisation, c.note) if x),
                               st["cell"]), Paragraph(c.phone, st["cellc"])])
    t = Table(rows, colWidths=[CONTENT_WIDTH - 40 * mm, 40 * mm], repeatRows=1)
    t.setStyle(TableStyle(grid_style(1)))
    return t


def _count(figures, element: str | None) -> int | None:
    f = figures.get(element) if element else None
    return f.count if f is not None else None


def build_commune_pdf(store: Store, data_dir: Path, year: int, today: date | None = None) -> bytes:
    from ..packages.keys import CommuneKey, key_fingerprint

    today = today or date.today()
    st = styles()
    cat = store.catalogue
    p = store.profile()
    history = store.history(p.ward_code)
    results = compute_all(cat, year, p.ward_kind, history.get(year, {}), history)
    answered, total = completion(results)
    last_year = history.get(year - 1, {})
    previous = {m.key: shown_value(m, _count(last_year, m.numerator), measure_value(m, last_year))
                for m in cat.measures.values()}
    this_year = history.get(year, {})
    estimated = {m.key: any(this_year[k].estimated for k in (m.numerator, m.denominator)
                            if k in this_year) for m in cat.measures.values()}
    period = period_of(store, p.ward_code, year)
    withheld = any_hidden(results) or any(
        hides(m, _count(last_year, m.numerator)) for m in cat.measures.values())
    short = p.ward_name.split(" ", 1)[1] if " " in p.ward_name else p.ward_name
    kind_word = "xã" if p.ward_kind == "xa" else "phường"
    not_met = [r for r in results if r.status == NOT_MET]

    story = [doc_header(["ỦY BAN NHÂN DÂN", f"{kind_word.upper()} {short.upper()}"],
                        "Số:        /BC-UBND", short, today),
             Spacer(1, 10 * mm),
             Paragraph("BÁO CÁO", st["title"]),
             Paragraph(f"Kết quả thực hiện các chỉ tiêu về trẻ em năm {year}<br/>theo Kế hoạch số "
                       "75/KH-UBND ngày 18/09/2025 của UBND tỉnh Ninh Bình", st["subject"]),
             Paragraph(f"Thực hiện {PLAN_REF}, Ủy ban nhân dân {kind_word} {short} báo cáo kết quả "
                       f"thực hiện các chỉ tiêu về trẻ em năm {year} như sau:", st["body"]),
             Paragraph(f"Kỳ báo cáo: {period.words()} {estimate_words(this_year)}", st["body"]),
             Paragraph("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", st["heading"]),
             Paragraph(f"1. Đã có số liệu hoặc giải trình cho {answered}/{total} chỉ tiêu đo của "
                       f"24 chỉ tiêu. So với chỉ tiêu năm: {status_summary(results)} (với quy mô "
                       "của địa phương, một vài trường hợp làm tỷ lệ thay đổi lớn; các sự kiện "
                       "hiếm được gộp ba năm khi một năm quá ít ca; khoảng tin cậy 95% được ghi "
                       "ở cột 2).", st["body"])]
    if not_met:
        story.append(Paragraph("2. Các chỉ tiêu chưa đạt: " + "; ".join(
            f"{r.key} ({r.measure.name}: {escape(shown_value(r.measure, r.numerator, r.value))}, chỉ tiêu "
            f"{format_target(r.target, r.measure.unit)})" for r in not_met) + ".", st["body"]))
    story += [Spacer(1, 4),
              form_header("01/KH75", f"UBND {kind_word} {short}", "Sở Y tế tỉnh Ninh Bình",
                          "Đơn vị tính: %, ‰ (phần nghìn), số trẻ trên 100.000 trẻ em, số cuộc"),
              Spacer(1, 3), measure_table(cat, results, previous, estimated=estimated),
              Paragraph("<i>Ghi chú: “Quá ít ca”: quá ít trường hợp để đánh giá — khoảng tin cậy "
                        "95% chứa cả giá trị đạt và chưa đạt chỉ tiêu. “Không phát sinh”: mẫu số "
                        "bằng 0 trong năm. “Ước tính”: giá trị tính từ số liệu ước tính đến "
                        f"31/12/{year}." + (" " + HIDDEN_NOTE if withheld else "") + "</i>",
                        st["small"])]

    story += [PageBreak(), Paragraph("II. BIỂU ĐỒ", st["heading"])]
    for goal, name in cat.goals.items():
        goal_results = [r for r in results if r.measure.goal == goal
                        and not hides(r.measure, r.numerator)]
        chart = value_vs_target(goal_results, CONTENT_WIDTH)
        story.append(KeepTogether([Paragraph(f"<b>{name}</b>", st["small"]), chart,
                                   Spacer(1, 4)]))
    series = {m.key: [(y, None if hides(m, _count(history.get(y, {}), m.numerator))
                       else measure_value(m, history.get(y, {})))
                      for y in sorted(history) if y <= year]
              for m in cat.measures.values() if m.unit not in ("yesno",)}
    units = {m.key: m.unit for m in cat.measures.values()}
    t2030 = {}
    for m in cat.measures.values():
        t = m.target_for(2030, p.ward_kind)
        t2030[m.key] = t.value if t is not None and t.op != "reduce_pct" else None
    years = sorted(y for y in history if y <= year)
    if len(years) >= 2:
        story += [Paragraph(f"Diễn biến các năm {years[0]}–{years[-1]} (đường nét đứt: chỉ tiêu "
                            "năm 2030)", st["small"]),
                  trends(series, units, t2030, CONTENT_WIDTH)]

    story.append(KeepTogether([Paragraph("III. ĐƯỜNG DÂY HỖ TRỢ, LIÊN HỆ", st["heading"]),
                               contacts_table(store.contacts())]))

    exchange = ExchangeStore(store.engine)
    sent = exchange.packages(p.ward_code, year, "submission", "out")
    rs = store.report_status(p.ward_code, year)
    key = CommuneKey(data_dir)
    fp = key_fingerprint(key.public_key()) if key.exists() else "(chưa có khóa ký)"
    if sent:
        last = sent[-1]
        package_text = (f"Gói báo cáo phiên bản {last.sequence} gửi ngày "
                        f"{last.created_at[8:10]}/{last.created_at[5:7]}/{last.created_at[:4]}; "
                        f"mã băm manifest: {last.manifest_sha256[:16]}…{last.manifest_sha256[-8:]}")
        qr_text = f"KH75;{p.ward_code};{year};v{last.sequence};{last.manifest_sha256};{fp}"
    else:
        package_text = "Chưa gửi gói báo cáo cho năm này."
        qr_text = f"KH75;{p.ward_code};{year};{fp}"
    info = [Paragraph(f"Trạng thái báo cáo: <b>{status_label(rs.status, rs.version, rs.official)}</b>",
                      st["plain"]),
            Paragraph(package_text, st["plain"]),
            Paragraph(f"Dấu vân tay khóa ký của {kind_word}: <b>{fp}</b>", st["plain"]),
            Paragraph("<i>Sở Y tế đối chiếu dấu vân tay này khi nhận gói đầu tiên.</i>",
                      st["small"])]
    box = Table([[info, qr_drawing(qr_text)]], colWidths=[CONTENT_WIDTH - 36 * mm, 36 * mm])
    box.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                             ("BOX", (0, 0), (-1, -1), 0.5, colors.black)]))
    story.append(KeepTogether([Paragraph("IV. GÓI SỐ LIỆU GỬI SỞ Y TẾ", st["heading"]), box]))
    story.append(closing(["Sở Y tế tỉnh Ninh Bình (Chi cục Dân số và Trẻ em)",
                          f"Thường trực Đảng ủy, HĐND {kind_word}", "Lưu: VT."],
                         ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], "", p.officer))
    return build_pdf(story, f"Báo cáo chỉ tiêu trẻ em năm {year} — {p.ward_name}")
