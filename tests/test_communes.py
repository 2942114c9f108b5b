"""Ninh Bình's 129 communes come from the official list in vietnam-provinces."""

from pathlib import Path

from kh75_desktop.communes import by_code, communes, corrected_code, fold, national_wards, search


def test_129_units_97_xa_32_phuong():
    rows = communes()
    assert len(rows) == 129
    assert sum(c.kind == "xa" for c in rows) == 97
    assert sum(c.kind == "phuong" for c in rows) == 32
    assert len({c.code for c in rows}) == 129
    assert all(len(c.code) == 5 and c.code.isdigit() for c in rows)


def test_known_codes():
    assert by_code("14464").name == "Xã Gia Viễn"
    assert by_code("14464").kind == "xa"
    assert by_code("99999") is None


def test_accent_insensitive_search():
    assert [c.name for c in search("gia vien")] == ["Xã Gia Viễn"]
    assert fold("Đại Hoàng") == "dai hoang"
    found = search("phuong")
    assert {c.code for c in communes() if c.kind == "phuong"} <= {c.code for c in found}
    assert search("14464") == [by_code("14464")]


def test_national_list_has_3321_units():
    assert len(national_wards()) == 3321


def _reference() -> dict[str, tuple[str, str]]:
    """code -> (kind, name) from the reference list cross-checked against the merger map (a copy
    of shared/reference/ninh-binh-communes-2025.tsv, so the suite runs from the repository)."""
    path = Path(__file__).resolve().parent / "data" / "ninh-binh-communes-2025.tsv"
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("code\t"):
            continue
        code, kind, name = line.split("\t")
        rows[code] = (kind, name)
    return rows


def test_every_code_kind_and_name_equals_the_reference():
    ref = _reference()
    assert len(ref) == 129
    mine = {c.code: (c.kind, c.short_name) for c in communes()}
    assert mine == ref
    assert all(c.name == f"{'Xã' if c.kind == 'xa' else 'Phường'} {c.short_name}" for c in communes())


def test_the_six_corrected_codes_and_the_double_space():
    assert by_code("13285").name == "Phường Phủ Lý"
    assert by_code("13291").name == "Phường Phù Vân"
    assert by_code("13318").name == "Phường Châu Sơn"
    assert by_code("13669").name == "Phường Nam Định"
    assert by_code("13708").name == "Phường Mỹ Lộc"
    assert by_code("14614").name == "Xã Khánh Hội"
    assert by_code("14104").name == "Xã Xuân Giang"
    assert by_code("13666") is None and by_code("13735") is None and by_code("14599") is None
    assert corrected_code("13291", "Phường  Phủ Lý") == "13285"
    assert corrected_code("13291", "Phường Phù Vân") is None  # already right


def test_national_list_carries_the_corrections():
    codes = {c.code: c.name for c in national_wards()}
    assert codes["13285"] == "Phường Phủ Lý" and "13666" not in codes
