"""The deadline card follows the report: days left (amber within two weeks, red once past), sent
on time or late, returned with its comments, accepted; always with the next step."""

from __future__ import annotations

from datetime import date

import pytest

from kh75_desktop.overview import build_overview, deadline_card

DEADLINE = date(2026, 11, 15)


@pytest.mark.parametrize("status, today, sent_on, comments, headline, tone, step", [
    ("draft", date(2026, 10, 1), None, 0, "Còn 45 ngày", "neutral", "Nhập đủ số liệu"),
    ("complete", date(2026, 11, 5), None, 0, "Còn 10 ngày", "warn", "Số liệu đã đủ"),
    ("draft", date(2026, 11, 15), None, 0, "Hôm nay là hạn", "warn", "Nhập đủ số liệu"),
    ("draft", date(2026, 11, 29), None, 0, "Đã quá hạn 14 ngày", "late", "Nhập đủ số liệu"),
    ("exported", date(2026, 11, 29), date(2026, 11, 10), 0, "Đã gửi ngày 10/11/2026", "ok",
     "Chờ Sở Y tế"),
    ("exported", date(2026, 11, 29), date(2026, 11, 20), 0, "Đã gửi ngày 20/11/2026", "warn",
     "Chờ Sở Y tế"),
    ("returned", date(2026, 11, 29), date(2026, 11, 10), 3, "Sở Y tế trả lại (3 ý kiến)", "warn",
     "gửi lại"),
    ("corrected", date(2026, 11, 12), date(2026, 11, 10), 0, "Còn 3 ngày", "warn",
     "Gửi lại gói"),
    ("accepted", date(2026, 12, 20), date(2026, 11, 10), 0, "Sở Y tế đã chấp nhận", "ok",
     "Không cần làm gì thêm"),
])
def test_card_for_each_state_on_fixed_dates(status, today, sent_on, comments, headline, tone,
                                            step):
    card = deadline_card(status, DEADLINE, today, sent_on, comments)
    assert card.headline == headline and card.tone == tone and step in card.next_step


def test_a_report_sent_on_time_never_reads_overdue():
    card = deadline_card("accepted", DEADLINE, date(2026, 12, 29), date(2026, 11, 10))
    assert "quá hạn" not in card.headline + card.detail
    assert card.detail == "Gửi ngày 10/11/2026, đúng hạn (15/11/2026)"
    late = deadline_card("exported", DEADLINE, date(2026, 11, 29), date(2026, 11, 20))
    assert "muộn 5 ngày" in late.detail


def test_overview_reads_the_sent_date_from_the_package_log(store):
    from kh75_desktop.storage.exchange import ExchangeStore
    from kh75_desktop.storage.models import PackageLogRow

    with ExchangeStore(store.engine).session() as s:
        s.add(PackageLogRow(package_id="p1", kind="submission", direction="out",
                            ward_code="14464", year=2026, sequence=1, manifest_sha256="0" * 64,
                            file_name="x.kh75", status="exported",
                            created_at="2026-11-09T23:30:00+00:00"))
        s.commit()
    store.set_report_status("14464", 2026, "exported", 1)
    ov = build_overview(store, store.profile(), 2026, today=date(2026, 11, 29))
    assert ov.deadline_card.headline.startswith("Đã gửi ngày")
    assert "đúng hạn" in ov.deadline_card.detail
