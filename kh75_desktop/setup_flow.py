"""The first-run setup as a Qt-free state machine: the wizard pages only draw it.

Each step validates its own fields and says, in Vietnamese, what is wrong; `finish` writes the
profile. Later steps (signing key, province key) join the same flow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .communes import Commune, by_code, search
from .errors import KH75Error
from .resources import bundled_province_key


def default_reporting_year(today: date) -> int:
    """A new profile has no accepted report yet: the deadline rule gives this year."""
    from .catalogue import load_catalogue
    from .reporting_period import reporting_year

    return reporting_year(load_catalogue(), today, lambda year: False)


STEPS = ("commune", "officer", "year", "keys")


def officer_problem(officer: str, phone: str) -> str | None:
    """What is wrong with an officer's name and phone as typed (setup and Settings alike)."""
    if len(officer.strip()) < 2:
        return "Hãy nhập họ tên cán bộ phụ trách."
    if len(officer.strip()) > 80 or not officer.isprintable():
        return "Họ tên cán bộ dài quá 80 ký tự hoặc có ký tự lạ."
    return phone_problem(phone)


def phone_problem(phone: str) -> str | None:
    """What is wrong with a phone number as typed; an empty one is allowed."""
    digits = [c for c in phone if c.isdigit()]
    if phone.strip() and not 9 <= len(digits) <= 11:
        return "Số điện thoại cần có từ 9 đến 11 chữ số."
    if any(not (c.isdigit() or c in " .+-()") for c in phone):
        return "Số điện thoại chỉ gồm chữ số và dấu cách."
    return None
MIN_YEAR, MAX_YEAR = 2025, 2030


@dataclass
class SetupFlow:
    commune: Commune | None = None
    officer: str = ""
    phone: str = ""
    year: int = field(default_factory=lambda: default_reporting_year(date.today()))
    passphrase: str = ""
    confirm: str = ""
    # the key file Sở Y tế sent, or the one built into this installer; may also come later
    province_key: bytes | None = field(default_factory=bundled_province_key)
    errors: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def find_communes(query: str) -> list[Commune]:
        return search(query)

    def choose_commune(self, code: str) -> None:
        self.commune = by_code(code)

    def validate(self, step: str) -> str | None:
        """The problem with a step, or None when it may go on."""
        if step == "commune" and self.commune is None:
            return "Hãy chọn xã/phường của mình trong danh sách."
        if step == "officer":
            return officer_problem(self.officer, self.phone)
        if step == "year" and not MIN_YEAR <= self.year <= MAX_YEAR:
            return f"Năm báo cáo phải từ {MIN_YEAR} đến {MAX_YEAR}."
        if step == "keys":
            from .packages.keys import check_new_passphrase, parse_province_key_file

            try:
                check_new_passphrase(self.passphrase, self.confirm, self._context())
                if self.province_key is not None:
                    parse_province_key_file(self.province_key)
            except KH75Error as err:
                return err.message
        return None

    def passphrase_hint(self) -> str:
        from .packages.keys import passphrase_hint

        return passphrase_hint(self.passphrase, self._context()) if self.passphrase else ""

    def _context(self) -> tuple[str, ...]:
        """This profile's own words, which a guesser tries first."""
        return (self.commune.name if self.commune else "", self.officer, self.phone)

    @property
    def province_key_is_bundled(self) -> bool:
        return self.province_key is not None and self.province_key == bundled_province_key()

    def province_fingerprint(self) -> str | None:
        """The fingerprint of the chosen province key file, to read back over the phone."""
        if self.province_key is None:
            return None
        from .packages.keys import parse_province_key_file

        try:
            return parse_province_key_file(self.province_key).fingerprint
        except KH75Error:
            return None

    def first_problem(self) -> str | None:
        """What stops the profile from being made, step by step in order; None when nothing."""
        return next(filter(None, (self.validate(step) for step in STEPS)), None)

    def finish(self, store, data_dir) -> str:
        """Write the profile, make the signing key, import the province key; returns the
        commune key's fingerprint."""
        problem = self.first_problem()
        if problem:
            raise KH75Error(problem)
        assert self.commune is not None
        from .packages.commune_side import create_commune_key, import_province_key

        store.save_profile(mode="commune", ward_code=self.commune.code,
                           ward_name=self.commune.name, ward_kind=self.commune.kind,
                           officer=self.officer.strip(), phone=self.phone.strip(),
                           current_year=self.year)
        if self.province_key is not None:
            import_province_key(store, self.province_key)
        return create_commune_key(store, data_dir, self.passphrase)
