"""Sở Y tế's printed report: the province's measures summed over the communes against the plan's
targets, charts, and the 129 communes' submission status and lateness."""

from __future__ import annotations

from datetime import date

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from ..disclosure import HIDDEN_NOTE, any_hidden, hides
from ..judgement_words import status_summary
from ..numbers_vi import format_date
from ..packages.province_side import (
    STATUS_WORDS,
    commune_statuses,
    period_summary,
    province_measures,
)
from ..reporting_period import deadline_for
from ..storage.store import Store
from .charts import value_vs_target
from .commune_pdf import PLAN_REF, contacts_table, measure_table
from .pdf_common import CONTENT_WIDTH, build_pdf, closing, form_header, grid_style, styles
from .pdf_common import header as doc_header


def build_province_pdf(store: Store, year: int, today: date | None = None) -> bytes:
    today = today or date.today()
    st = styles()
    cat = store.catalogue
    measures = province_measures(store, year)
    results = [pm.result for pm in measures]
    statuses = commune_statuses(store, year, today)
    heard = [s for s in statuses if s.status != "nothing"]
    late = [s for s in statuses if s.late]
    deadline = deadline_for(cat, year)
    story = [doc_header(["SỞ Y TẾ TỈNH NINH BÌNH", "CHI CỤC DÂN SỐ VÀ TRẺ EM"],
                        "Số:        /BC-CCDSTE", "Ninh Bình", today),
             Spacer(1, 10 * mm), Paragraph("BÁO CÁO", st["title"]),
             Paragraph(f"Tổng hợp kết quả thực hiện các chỉ tiêu về trẻ em năm {year}<br/>của các "
                       "xã, phường theo Kế hoạch số 75/KH-UBND ngày 18/09/2025", st["subject"]),
             Paragraph(f"Thực hiện {PLAN_REF}, Sở Y tế tổng hợp báo cáo của các xã, phường năm "
                       f"{year} như sau:", st["body"]),
             Paragraph(f"Kỳ báo cáo: {period_summary(store, year)}", st["body"]),
             Paragraph("I. TÌNH HÌNH GỬI BÁO CÁO", st["heading"]),
             Paragraph(f"Đến ngày {format_date(today)}, {len(heard)}/{len(statuses)} xã, "
                       f"phường đã gửi báo cáo; {sum(s.status == 'accepted' for s in statuses)} "
                       f"báo cáo đã được chấp nhận; {len(late)} đơn vị gửi sau hạn "
                       f"{format_date(deadline)} hoặc chưa gửi.", st["body"]),
             Paragraph("II. KẾT QUẢ TOÀN TỈNH", st["heading"]),
             Paragraph(f"Tử số và mẫu số được cộng từ các xã, phường đã gửi; chỉ tiêu Có/Không "
                       f"tính theo tỷ lệ trên tổng số xã, phường. So với chỉ tiêu năm: "
                       f"{status_summary(results)}.", st["body"]),
             form_header("01/KH75-TH", "Sở Y tế tỉnh Ninh Bình", "UBND tỉnh Ninh Bình; Bộ Y tế",
                         "Đơn vị tính: %, ‰ (phần nghìn), số trẻ trên 100.000 trẻ em, số cuộc"),
             Spacer(1, 3), measure_table(cat, results, share_of_communes=True)]
    if any_hidden(results):
        story.append(Paragraph(f"<i>Ghi chú: {HIDDEN_NOTE}</i>", st["small"]))
    story += [PageBreak(), Paragraph("III. BIỂU ĐỒ", st["heading"])]
    for goal, name in cat.goals.items():
        story.append(KeepTogether([Paragraph(f"<b>{name}</b>", st["small"]),
                                   value_vs_target([r for r in results if r.measure.goal == goal
                                                    and not hides(r.measure, r.numerator)],
                                                   CONTENT_WIDTH), Spacer(1, 4)]))
    rows = [[Paragraph(f"<b>{h}</b>", st["cellc"]) for h in
             ("STT", "Mã", "Xã, phường", "Trạng thái", "Phiên bản", "Ngày nhận", "Trễ hạn")],
            [Paragraph(c, st["cellc"]) for c in ("A", "B", "C", "1", "2", "3", "4")]]
    style = grid_style(2)
    for i, s in enumerate(statuses, 1):
        received = s.received_at[:10]
        received = f"{received[8:10]}/{received[5:7]}/{received[:4]}" if received else ""
        rows.append([str(i), s.commune.code, s.commune.name, STATUS_WORDS[s.status],
                     str(s.version or ""), received, "Có" if s.late else ""])
        if s.late:
            style.append(("TEXTCOLOR", (6, len(rows) - 1), (6, len(rows) - 1),
                          colors.HexColor("#b3261e")))
    widths = [11 * mm, 15 * mm, 55 * mm, 27 * mm, 17 * mm, 22 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(style + [("FONTSIZE", (0, 2), (-1, -1), 9),
                                       ("ALIGN", (3, 2), (-1, -1), "CENTER")]))
    story += [PageBreak(), Paragraph("IV. DANH SÁCH XÃ, PHƯỜNG", st["heading"]),
              form_header("02/KH75-TH", "Sở Y tế tỉnh Ninh Bình", "UBND tỉnh Ninh Bình",
                          f"Hạn gửi báo cáo: {format_date(deadline)}"), Spacer(1, 3),
              table,
              KeepTogether([Paragraph("V. ĐƯỜNG DÂY HỖ TRỢ", st["heading"]), contacts_table([])]),
              closing(["UBND tỉnh (để báo cáo)", "Bộ Y tế (để báo cáo)", "Các xã, phường",
                       "Lưu: VT, CCDSTE."], ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], "", None)]
    return build_pdf(story, f"Báo cáo tổng hợp chỉ tiêu trẻ em năm {year} — Sở Y tế Ninh Bình")
