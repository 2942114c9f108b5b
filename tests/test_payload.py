"""The payload reader refuses every malformed figure with the figure named."""

import json

import pytest

from kh75_desktop.packages.container import PackageRejected
from kh75_desktop.packages.payload import parse_payload


def payload(*figures):
    return json.dumps({"format": "kh75-payload", "commune": {"code": "14464"}, "year": 2026,
                       "figures": list(figures)}).encode()


def test_texts_at_their_limits_are_taken(catalogue):
    from kh75_desktop.figures import TEXT_LIMITS

    _doc, figs = parse_payload(payload(
        {"element": "live_births", "count": 5, "note": "n" * TEXT_LIMITS["note"],
         "explanation": "e" * TEXT_LIMITS["explanation"], "source": "s" * TEXT_LIMITS["source"]},
        {"element": "child_marriages", "missing_reason": "r" * TEXT_LIMITS["missing_reason"]}),
        catalogue, "14464", 2026, "p")
    assert len(figs["live_births"].explanation) == 1000
    assert len(figs["child_marriages"].missing_reason) == 500


def test_good_payload(catalogue):
    doc, figs = parse_payload(payload({"element": "live_births", "count": 5},
                                      {"element": "play_area", "flag": True},
                                      {"element": "child_marriages", "missing_reason": "chưa có"}),
                              catalogue, "14464", 2026, "p")
    assert figs["live_births"].count == 5 and figs["play_area"].flag is True
    assert figs["child_marriages"].is_explained_gap


@pytest.mark.parametrize("figure,reason", [
    ({"element": "nope", "count": 1}, "số liệu lạ"),
    ({"element": "live_births", "count": -1}, "số không hợp lệ"),
    ({"element": "live_births", "count": 1.5}, "số không hợp lệ"),
    ({"element": "live_births", "count": True}, "số không hợp lệ"),
    ({"element": "play_area", "count": 1}, "số không hợp lệ"),
    ({"element": "live_births", "flag": True}, "Có/Không không hợp lệ"),
    ({"element": "live_births", "count": 1, "note": 7}, "trường chữ"),
    # every text bounded: a sentence or two, not megabytes kept and shown at Sở Y tế
    ({"element": "live_births", "count": 1, "note": "x" * 501},
     "Số trẻ đẻ ra sống trong năm: ghi chú dài 501 ký tự, quá giới hạn 500 ký tự"),
    ({"element": "live_births", "count": 1, "explanation": "x" * 4_000_000},
     "giải thích dài 4.000.000 ký tự, quá giới hạn 1.000 ký tự"),
    ({"element": "live_births", "missing_reason": "x" * 501}, "lý do không có số liệu dài 501"),
    ({"element": "live_births", "count": 1, "source": "x" * 41}, "nguồn số liệu dài 41"),
    # shapes the fast path must refuse in words, never by tripping over them (TypeError)
    ({"element": ["live_births"], "count": 1}, "số liệu lạ"),
    ({"element": None, "flag": True}, "số liệu lạ"),
    ({"element": "live_births", "count": "5"}, "số không hợp lệ"),
    ({"element": "live_births", "count": 10**40}, "vượt giới hạn"),
    ({"element": "play_area", "count": 1, "flag": True}, "số không hợp lệ"),
    ({"element": "live_births", "count": 1, "flag": True}, "Có/Không không hợp lệ"),
    ({"element": "play_area", "flag": 1}, "Có/Không không hợp lệ"),
    ({"element": "live_births", "missing_reason": ["x"]}, "trường chữ"),
    ({"element": "live_births", "count": 1, "source": 3}, "trường chữ"),
    ({"element": "live_births", "count": 1, "estimated": "yes"}, "ước tính"),
])
def test_bad_figures(catalogue, figure, reason):
    with pytest.raises(PackageRejected, match=reason):
        parse_payload(payload(figure), catalogue, "14464", 2026, "p")


def test_duplicate_and_wrong_commune(catalogue):
    f = {"element": "live_births", "count": 1}
    with pytest.raises(PackageRejected, match="hai lần"):
        parse_payload(payload(f, f), catalogue, "14464", 2026, "p")
    with pytest.raises(PackageRejected, match="khác với manifest"):
        parse_payload(payload(f), catalogue, "14494", 2026, "p")


def test_text_and_bytes_read_alike_and_broken_utf8_is_refused_in_words(catalogue):
    from kh75_desktop.packages.payload import payload_text

    data = payload({"element": "live_births", "count": 5, "note": "Sổ A6 — trạm y tế"})
    assert parse_payload(payload_text(data, "p"), catalogue, "14464", 2026, "p") == \
        parse_payload(data, catalogue, "14464", 2026, "p")
    broken = data.replace(b"A6", b"A\xe1\xba")  # a letter cut in half
    for reader in (lambda: payload_text(broken, "Gói 5"),
                   lambda: parse_payload(broken, catalogue, "14464", 2026, "Gói 5")):
        with pytest.raises(PackageRejected, match="Gói 5: .*không đọc được JSON"):
            reader()
