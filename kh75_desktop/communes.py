"""The 129 communes and wards of Ninh Bình, from the official list in `vietnam-provinces`.

Codes follow Quyết định 19/2025/QĐ-TTg (in force from 01/07/2025). The list is never typed by hand.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

PROVINCE_CODE = 37


@dataclass(frozen=True)
class Commune:
    code: str  # five digits, as in the official list
    name: str  # "Xã Gia Viễn", "Phường Hoa Lư"
    kind: str  # "xa" or "phuong"

    @property
    def kind_label(self) -> str:
        return "xã" if self.kind == "xa" else "phường"

    @property
    def short_name(self) -> str:
        """The name without its prefix: "Gia Viễn"."""
        return self.name.split(" ", 1)[1] if " " in self.name else self.name

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "kind": self.kind}


@cache
def province_name() -> str:
    from vietnam_provinces import Province, ProvinceCode

    return Province.from_code(ProvinceCode(PROVINCE_CODE)).name


@cache
def communes() -> tuple[Commune, ...]:
    """Ninh Bình's communes in the official order."""
    from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

    out = []
    for w in Ward.iter_by_province(ProvinceCode(PROVINCE_CODE)):
        kind = "phuong" if w.division_type == VietNamDivisionType.PHUONG else "xa"
        out.append(Commune(f"{int(w.code):05d}", w.name, kind))
    return tuple(out)


@cache
def national_wards() -> tuple[Commune, ...]:
    """All 3,321 commune-level units of the country (used by the benchmarks)."""
    from vietnam_provinces import VietNamDivisionType, Ward

    return tuple(Commune(f"{int(w.code):05d}", w.name,
                         "phuong" if w.division_type == VietNamDivisionType.PHUONG else "xa")
                 for w in Ward.iter_all())


def by_code(code: str) -> Commune | None:
    code = code.strip().zfill(5)
    return next((c for c in communes() if c.code == code), None)


def fold(text: str) -> str:
    """Lower case without diacritics, so "gia vien" matches "Xã Gia Viễn"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()


def search(query: str) -> list[Commune]:
    """Communes whose name or code contains every word of the query, accents ignored."""
    words = fold(query).split()
    return [c for c in communes()
            if all(w in fold(c.name) or w in c.code for w in words)]
