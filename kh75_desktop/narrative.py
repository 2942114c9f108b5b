"""The written parts of a commune's yearly report (section VII of the plan asks for "kết quả
triển khai, thực hiện các mục tiêu, chỉ tiêu"): what was done, the difficulties, the proposals
and the direction for next year. Section II, the figures, is generated. The text is the
officer's own, stored per year, carried in the signed package, bounded and checked on the way in."""

from __future__ import annotations

import json
from dataclasses import dataclass

from .errors import KH75Error

SECTION_LIMIT = 8000  # characters: about two printed pages per section


@dataclass(frozen=True)
class Section:
    key: str
    numeral: str
    title: str
    prompt: str


# The prompts follow the plan's tasks for communes (IV.1–7 and VI.12).
SECTIONS = (
    Section("activities", "I", "KẾT QUẢ TRIỂN KHAI THỰC HIỆN KẾ HOẠCH",
            "Việc đã làm trong năm: ban hành kế hoạch của xã, lồng ghép vào kế hoạch phát triển "
            "kinh tế - xã hội; truyền thông về quyền trẻ em (số buổi, số người dự); kiểm tra, rà "
            "soát môi trường an toàn cho trẻ; phòng, chống xâm hại, tai nạn, đuối nước; kinh phí "
            "đã bố trí."),
    Section("difficulties", "III", "KHÓ KHĂN, VƯỚNG MẮC",
            "Điều gì làm chậm hoặc cản trở: thiếu người, thiếu kinh phí, số liệu khó thu thập, "
            "phối hợp giữa các ngành, địa bàn khó khăn…"),
    Section("proposals", "IV", "ĐỀ XUẤT, KIẾN NGHỊ",
            "Xã đề nghị Sở Y tế, UBND tỉnh hoặc các sở, ngành hỗ trợ điều gì."),
    Section("direction", "V", "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM TỚI",
            "Những việc chính xã sẽ làm năm tới để đạt các chỉ tiêu còn chưa đạt."),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
FIGURES_HEADING = ("II", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU")


def clean_section(text: str) -> str:
    """The text as stored: line breaks kept, other control characters dropped, trailing blanks
    trimmed; longer than the limit is refused rather than cut."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch == "\n" or ch == "\t" or ch.isprintable())
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    if len(text) > SECTION_LIMIT:
        raise KH75Error(f"Phần viết dài {_thousands(len(text))} ký tự, quá giới hạn "
                        f"{_thousands(SECTION_LIMIT)} ký tự (khoảng hai trang); hãy rút gọn.")
    return text


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def validate_narrative(raw: object, where: str) -> dict[str, str]:
    """A narrative read from outside (a package): a mapping of known sections to bounded text."""
    if raw is None:
        return {}
    if type(raw) is not dict or any(k not in SECTION_KEYS for k in raw) \
            or any(type(v) is not str for v in raw.values()):
        raise KH75Error(f"{where}: phần viết của báo cáo không hợp lệ.")
    try:
        return {k: clean_section(v) for k, v in raw.items() if v.strip()}
    except KH75Error as err:
        raise KH75Error(f"{where}: {err.message}") from err


def _setting_key(year: int) -> str:
    return f"narrative:{year}"


def load_narrative(store, year: int) -> dict[str, str]:
    from .storage.exchange import ExchangeStore

    raw = ExchangeStore(store.engine).setting(_setting_key(year), "")
    if not raw:
        return {}
    try:
        return validate_narrative(json.loads(raw), "Hồ sơ")
    except (ValueError, KH75Error):
        return {}


def save_section(store, ward: str, year: int, key: str, text: str) -> dict[str, str]:
    """Store one section's text for `year`; refused once the report is sent and locked (the
    printed report must match what Sở Y tế received)."""
    from .storage.exchange import ExchangeStore
    from .storage.store import LOCKED_STATES

    if key not in SECTION_KEYS:
        raise KH75Error(f"Không có phần viết '{key[:30]}'.")
    status = store.report_status(ward, year)
    if status.status in LOCKED_STATES:
        raise KH75Error(f"Báo cáo năm {year} đã gửi (phiên bản {status.version}); phần viết bị "
                        "khóa cùng số liệu cho đến khi Sở Y tế trả lại hoặc mở cập nhật.")
    narrative = load_narrative(store, year)
    cleaned = clean_section(text)
    if cleaned:
        narrative[key] = cleaned
    else:
        narrative.pop(key, None)
    ExchangeStore(store.engine).set_setting(_setting_key(year),
                                            json.dumps(narrative, ensure_ascii=False))
    return narrative


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs (blank lines and single line breaks both start a new one)."""
    return [p.strip() for p in text.split("\n") if p.strip()]
