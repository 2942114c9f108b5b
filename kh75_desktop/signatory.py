"""Who issues and signs a printed report, as Nghị định 30/2020 lays it out: the issuing body's
lines at the top left, the signer's authority (TM. the collective, KT. for the head, Q. acting)
and title above the name, the preparer beside the signer, and the "Nơi nhận" list. Set once per
profile (commune or Sở Y tế), bounded and checked like anything typed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace

from .errors import KH75Error
from .safe_text import one_line

ROLES = {
    "head": "Người đứng đầu ký",
    "deputy": "Cấp phó ký thay (KT.)",
    "acting": "Quyền (Q.)",
}
NAME_LIMIT = 80
LINE_LIMIT = 120
RECIPIENT_LIMIT = 12


@dataclass(frozen=True)
class Signatory:
    issuer: tuple[str, ...]  # the issuing body, top line first: ("ỦY BAN NHÂN DÂN", "XÃ GIA VIỄN")
    collective: str  # "ỦY BAN NHÂN DÂN" where the body decides collectively (TM.), "" otherwise
    head_title: str  # "CHỦ TỊCH", "GIÁM ĐỐC"
    deputy_title: str  # "PHÓ CHỦ TỊCH", "PHÓ GIÁM ĐỐC"
    role: str = "head"
    on_behalf: bool = True  # sign "TM." the collective (only where there is one)
    signer: str = ""
    preparer: str = ""
    recipients: tuple[str, ...] = field(default_factory=tuple)

    def title_lines(self) -> list[str]:
        """The lines above the signature, e.g. ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH"]."""
        lines = [f"TM. {self.collective}"] if self.collective and self.on_behalf else []
        if self.role == "deputy":
            return lines + [f"KT. {self.head_title}", self.deputy_title]
        if self.role == "acting":
            return lines + [f"Q. {self.head_title}"]
        return lines + [self.head_title]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def commune_default(ward_name: str, ward_kind: str, officer: str) -> Signatory:
    kind = "XÃ" if ward_kind == "xa" else "PHƯỜNG"
    short = ward_name.split(" ", 1)[1] if " " in ward_name else ward_name
    return Signatory(
        issuer=("ỦY BAN NHÂN DÂN", f"{kind} {short.upper()}"), collective="ỦY BAN NHÂN DÂN",
        head_title="CHỦ TỊCH", deputy_title="PHÓ CHỦ TỊCH", preparer=officer,
        recipients=("Sở Y tế tỉnh Ninh Bình", f"Thường trực Đảng ủy, HĐND {kind.lower()}",
                    "Lưu: VT."))


PROVINCE_DEFAULT = Signatory(
    issuer=("UBND TỈNH NINH BÌNH", "SỞ Y TẾ"), collective="", head_title="GIÁM ĐỐC",
    deputy_title="PHÓ GIÁM ĐỐC", role="deputy", on_behalf=False,
    recipients=("UBND tỉnh (để báo cáo)", "Bộ Y tế (để báo cáo)", "Các xã, phường",
                "Lưu: VT, CCDSTE."))


def checked(sig: Signatory) -> Signatory:
    """The signatory with every line bounded and printable; refused in words when not."""
    if sig.role not in ROLES:
        raise KH75Error(f"Cách ký '{one_line(sig.role, 20)}' không có; chọn một trong: "
                        + ", ".join(ROLES.values()) + ".")
    issuer = tuple(_line(x, "Tên cơ quan", LINE_LIMIT) for x in sig.issuer if str(x).strip())
    if not 1 <= len(issuer) <= 3:
        raise KH75Error("Tên cơ quan ban hành cần 1 đến 3 dòng.")
    recipients = tuple(_line(x, "Nơi nhận", LINE_LIMIT) for x in sig.recipients
                       if str(x).strip())
    if len(recipients) > RECIPIENT_LIMIT:
        raise KH75Error(f"Nơi nhận có {len(recipients)} dòng, tối đa {RECIPIENT_LIMIT}.")
    return replace(sig, issuer=issuer, recipients=recipients,
                   collective=_line(sig.collective, "Tập thể", LINE_LIMIT),
                   head_title=_line(sig.head_title, "Chức danh", LINE_LIMIT).upper(),
                   deputy_title=_line(sig.deputy_title, "Chức danh cấp phó", LINE_LIMIT).upper(),
                   signer=_line(sig.signer, "Người ký", NAME_LIMIT),
                   preparer=_line(sig.preparer, "Người lập biểu", NAME_LIMIT),
                   on_behalf=bool(sig.on_behalf))


def _line(text: object, what: str, limit: int) -> str:
    s = " ".join(str(text).split())
    if len(s) > limit:
        raise KH75Error(f"{what} dài quá {limit} ký tự: “{one_line(s, 40)}”.")
    if not s.isprintable():
        raise KH75Error(f"{what} có ký tự điều khiển: “{one_line(s, 40)}”.")
    return s


SETTING_KEY = "signatory"


def load_signatory(store, default: Signatory) -> Signatory:
    """The profile's signatory, or `default` when none was set (or the stored one is unusable)."""
    from .storage.exchange import ExchangeStore

    raw = ExchangeStore(store.engine).setting(SETTING_KEY, "")
    if not raw:
        return default
    try:
        data = json.loads(raw)
        data["issuer"] = tuple(data.get("issuer", ()))
        data["recipients"] = tuple(data.get("recipients", ()))
        return checked(Signatory(**data))
    except (ValueError, TypeError, KH75Error):
        return default


def save_signatory(store, sig: Signatory) -> Signatory:
    from .storage.exchange import ExchangeStore

    sig = checked(sig)
    ExchangeStore(store.engine).set_setting(SETTING_KEY, sig.to_json())
    return sig


def signatory_for(store) -> Signatory:
    """The commune's signatory (its defaults from the profile), or Sở Y tế's."""
    profile = store.profile()
    if profile is not None and profile.mode == "commune" and profile.ward_code:
        return load_signatory(store, commune_default(profile.ward_name, profile.ward_kind,
                                                     profile.officer))
    return load_signatory(store, PROVINCE_DEFAULT)
