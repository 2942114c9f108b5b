"""Report states per commune and year, and their Vietnamese labels."""

STATUS_LABELS = {
    "draft": "Đang nhập",
    "complete": "Đã đủ số liệu",
    "exported": "Đã gửi",
    "accepted": "Sở Y tế đã chấp nhận",
    "returned": "Sở Y tế trả lại",
    "corrected": "Đã sửa, chờ gửi lại",
}


def status_label(status: str, version: int = 0, official: bool = False) -> str:
    if official and status in ("draft", "complete", "corrected"):
        return "Đang cập nhật số liệu chính thức"
    label = STATUS_LABELS.get(status, status)
    if status in ("exported", "accepted", "returned") and version:
        label += f" (phiên bản {version}" + (", số liệu chính thức)" if official else ")")
    return label
