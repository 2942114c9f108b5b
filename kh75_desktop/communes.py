"""The 129 communes and wards of Ninh Bình, from the official list in `vietnam-provinces`.

Codes follow Quyết định 19/2025/QĐ-TTg (in force from 01/07/2025). The list is never typed by hand:
it comes from the package, with the six codes the package gets wrong corrected below (checked
against an independent list built from the national merger map; a test compares all 129 codes,
kinds and names with that list) and white space normalised ("Xã  Xuân Giang").
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

PROVINCE_CODE = 37

# vietnam-provinces 2025.8-2025.10 codes -> the codes in force, for Ninh Bình's six mismatches.
# Three of the package's codes are real codes of another ward (a rotation among Phủ Lý, Phù Vân
# and Châu Sơn), so a code is corrected together with the name it was given.
CODE_CORRECTIONS: dict[tuple[str, str], str] = {
    ("13291", "Phường Phủ Lý"): "13285",
    ("13318", "Phường Phù Vân"): "13291",
    ("13285", "Phường Châu Sơn"): "13318",
    ("13666", "Phường Nam Định"): "13669",
    ("13735", "Phường Mỹ Lộc"): "13708",
    ("14599", "Xã Khánh Hội"): "14614",
}


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
        name = normalise_name(w.name)
        code = f"{int(w.code):05d}"
        out.append(Commune(CODE_CORRECTIONS.get((code, name), code), name, kind))
    return tuple(out)


def normalise_name(name: str) -> str:
    """One space between words, none at the ends, composed Unicode (NFC)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def corrected_code(code: str, name: str) -> str | None:
    """The code in force for a ward that an earlier version recorded under the package's wrong
    code; None when (code, name) is not one of the six known mistakes."""
    return CODE_CORRECTIONS.get((code, normalise_name(name)))


@cache
def national_wards() -> tuple[Commune, ...]:
    """All 3,321 commune-level units of the country (used by the benchmarks)."""
    from vietnam_provinces import VietNamDivisionType, Ward

    local = {c.code: c for c in communes()}
    out = []
    for w in Ward.iter_all():
        code = f"{int(w.code):05d}"
        if w.province_code == PROVINCE_CODE:
            continue
        out.append(Commune(code, normalise_name(w.name),
                           "phuong" if w.division_type == VietNamDivisionType.PHUONG else "xa"))
    return tuple(sorted([*out, *local.values()], key=lambda c: c.code))


def by_code(code: str) -> Commune | None:
    code = code.strip().zfill(5)
    return next((c for c in communes() if c.code == code), None)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without diacritics, so "gia vien" matches "Xã Gia Viễn". Kept per text: a
    table of the country's 3,321 communes sorts by their folded names on every load."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()


def search(query: str) -> list[Commune]:
    """Communes whose name or code contains every word of the query, accents ignored."""
    words = fold(query).split()
    return [c for c in communes()
            if all(w in fold(c.name) or w in c.code for w in words)]
