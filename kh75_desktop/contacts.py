"""The contacts the plan names: the national hotline and the three provincial social-work centres.

Transcribed from section IV.4 of 75/KH-UBND. Local contacts a commune adds live in its database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BuiltinContact:
    name: str
    phone: str
    note: str


PLAN_CONTACTS: tuple[BuiltinContact, ...] = (
    BuiltinContact("Tổng đài quốc gia bảo vệ trẻ em", "111",
                   "Miễn phí, 24/7: tư vấn, tiếp nhận thông báo, tố giác xâm hại trẻ em"),
    BuiltinContact("Trung tâm Bảo trợ xã hội Ninh Bình", "1800556882",
                   "Trung tâm cung cấp dịch vụ công tác xã hội cấp tỉnh"),
    BuiltinContact("Trung tâm Bảo trợ xã hội Hà Nam", "1900571208",
                   "Trung tâm cung cấp dịch vụ công tác xã hội cấp tỉnh"),
    BuiltinContact("Trung tâm Bảo trợ xã hội Nam Định", "02283886142",
                   "Trung tâm cung cấp dịch vụ công tác xã hội cấp tỉnh"),
)
