"""Ninh Bình's 129 communes come from the official list in vietnam-provinces."""

from kh75_desktop.communes import by_code, communes, fold, national_wards, search


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
