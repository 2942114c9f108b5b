"""A demo profile: realistic, rule-abiding, deterministic figures for a commune over four years.

The scale is a commune after the 1 July 2025 merger: 25-35 thousand people, 350-450 births a
year, age groups in the proportions of a Vietnamese population pyramid (one cohort a year, so the
under-5s are about five years of births, the under-16s sixteen), schools counted as schools, not
sites. Rates drift slowly towards the plan's targets; rare events (deaths, abuse, HIV, marriages)
are drawn from Poisson laws at believable national rates, so some years show zero and some noise.
Years before 2025 are marked as the sum of the communes merged into this one. Same commune and
year, same figures.
"""

from __future__ import annotations

import math
import random

from .figures import Figure

DEMO_OFFICER = "Nguyễn Thị Hoa"
DEMO_PHONE = "0912 345 678"


def _poisson(rng: random.Random, mu: float) -> int:
    limit, k, p = math.exp(-mu), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


# Counted as the year goes: at the cut-off (31/10) these are projected to 31/12 in the report.
ESTIMATED_EVENTS = frozenset({"live_births", "deaths_neonatal", "deaths_under1", "deaths_under5",
                              "infants_fully_vaccinated", "children_injured",
                              "children_injury_deaths", "child_marriages", "u5_birth_registered"})


def demo_figures(ward_code: str, year: int, estimates: bool = False) -> list[Figure]:
    """A year of believable figures; with `estimates`, the year's events are marked as
    estimates to 31/12, as in a report sent before the year ends."""
    """One year's figures for a commune, every element filled with its usual source."""
    base = random.Random(f"kh75-base-{ward_code}")
    rng = random.Random(f"kh75-{ward_code}-{year}")
    t = year - 2022  # years of progress since the start of the programme

    def frac(n: int, p: float, spread: float = 0.004) -> int:
        return max(0, min(n, round(n * min(1.0, max(0.0, p + rng.uniform(-spread, spread))))))

    # one birth cohort, drifting down slowly as births do in the Red River delta
    cohort = base.randint(360, 440) * (1 - 0.01 * t) * (1 + rng.uniform(-0.03, 0.03))
    births = round(cohort)
    u5 = round(cohort * 4.95)
    u16 = round(cohort * 16.3)
    neonatal = _poisson(rng, births * 0.0040)
    under1 = neonatal + _poisson(rng, births * 0.0015)
    under5 = under1 + _poisson(rng, births * 0.0025)
    infants = births - under1
    measured = frac(u5, 0.95, 0.01)
    schools_general = base.randint(6, 11)
    schools = schools_general + base.randint(3, 6)  # and the kindergartens
    special = frac(u16, 0.047 - 0.0005 * t, 0.002)
    c5_17 = round(cohort * 13.1)
    injured = _poisson(rng, u16 * (0.0058 - 0.0001 * t))
    c7_15 = round(cohort * 9.05)
    c11_15 = round(cohort * 5.0)
    grade1 = round(cohort * 1.01)
    grade6 = round(cohort * 1.02)
    disaster = rng.choice([0, 0, round(u16 * 0.05)])
    need_edu = base.randint(12, 30)
    marriages = max(0, base.randint(3, 8) - t // 2 + rng.choice([-1, 0, 0, 1]))
    counts = {
        "children_0_8": round(cohort * 8.9),
        "children_0_8_served": 0,
        "live_births": births,
        "deaths_neonatal": neonatal,
        "deaths_under1": under1,
        "deaths_under5": under5,
        "u5_measured": measured,
        "u5_underweight": frac(measured, 0.085 - 0.004 * t, 0.01),
        "u5_stunted": frac(measured, 0.16 - 0.004 * t, 0.01),
        "u5_obese": frac(measured, 0.04, 0.008),
        "infants_under1": infants,
        "infants_fully_vaccinated": frac(infants, 0.972 + 0.002 * t, 0.01),
        "children_under5": u5,
        "u5_fully_vaccinated": frac(u5, 0.965 + 0.002 * t, 0.005),
        "hiv_exposed_infants": _poisson(rng, births * 0.0012),
        "hiv_infected_infants": 0,
        "schools_total": schools,
        "schools_general": schools_general,
        "schools_with_toilets": schools if t >= 2 else schools - 1,
        "schools_psych_support": schools_general - (1 if t < 4 else 0),
        "schools_disability_ready": round(schools_general * (0.5 + 0.03 * t)),
        "children_under16": u16,
        "children_special": special,
        "children_special_supported": frac(special, 0.88 + 0.01 * t, 0.01),
        "children_abused": _poisson(rng, u16 * 0.0002),
        "children_5_17": c5_17,
        "child_labour_5_17": frac(c5_17, 0.05 - 0.001 * t, 0.003),
        "children_injured": injured,
        "children_injury_deaths": min(injured, _poisson(rng, u16 * 0.00012)),
        "disaster_children": disaster,
        "disaster_children_helped": disaster,
        "child_marriages": marriages,
        "u5_birth_registered": frac(u5, 0.985 + 0.002 * t, 0.003),
        "children_36_59m": round(cohort * 1.98),
        "children_5y": round(cohort * 0.99),
        "grade1_cohort": grade1,
        "primary_completed": frac(grade1, 0.965 + 0.004 * t, 0.01),
        "primary_pupils": round(grade1 * 4.95),
        "primary_dropouts": _poisson(rng, grade1 * 5 * 0.001),
        "grade6_cohort": grade6,
        "lower_secondary_graduates": frac(grade6, 0.87 + 0.01 * t, 0.02),
        "lower_secondary_pupils": round(grade6 * 3.9),
        "lower_secondary_dropouts": _poisson(rng, grade6 * 4 * 0.0012),
        "disabled_children_need_education": need_edu,
        "disabled_children_in_education": frac(need_edu, 0.8 + 0.02 * t, 0.05),
        "children_7_15": c7_15,
        "children_7plus_consulted": frac(c7_15, 0.28 + 0.01 * t, 0.02),
        "children_participation_aware": frac(c7_15, 0.84 + 0.01 * t, 0.01),
        "children_11_15": c11_15,
        "children_11plus_participating": frac(c11_15, 0.28 + 0.01 * t, 0.02),
    }
    counts["children_0_8_served"] = frac(counts["children_0_8"], 0.89 + 0.01 * t, 0.01)
    counts["children_36_59m_on_track"] = frac(counts["children_36_59m"], 0.991, 0.003)
    counts["children_5y_enrolled"] = frac(counts["children_5y"], 0.993, 0.004)
    flags = {"child_friendly_commune": base.random() < 0.6 or t >= 4,
             "play_area": base.random() < 0.5 or t >= 3}
    from .catalogue import load_catalogue

    cat = load_catalogue()
    # Before the merger of 1 July 2025 this commune did not exist: its earlier figures are the
    # sums of the communes merged into it, and say so.
    merged = ("Cộng số liệu của các xã cũ trước sáp nhập ngày 01/7/2025." if year < 2025 else "")
    out = []
    for key, element in cat.elements.items():
        if element.kind == "yesno":
            out.append(Figure(key, flag=flags[key], source=element.source, note=merged))
        else:
            explanation = ""
            if key.startswith("disaster"):  # disasters come and go: explain the swing
                explanation = (f"Năm {year} bão, lũ ảnh hưởng đến địa bàn." if counts[key]
                               else f"Năm {year} không có thiên tai ảnh hưởng đến trẻ em.")
            out.append(Figure(key, count=counts[key], source=element.source, note=merged,
                              explanation=explanation,
                              estimated=estimates and key in ESTIMATED_EVENTS))
    return out


# The written sections of a demo report, as an officer might write them.
DEMO_NARRATIVE = {
    "activities": (
        "UBND xã ban hành Kế hoạch thực hiện Chương trình hành động vì trẻ em năm {year}, lồng "
        "ghép vào kế hoạch phát triển kinh tế - xã hội của xã.\n"
        "Tổ chức 6 buổi truyền thông về quyền trẻ em và phòng, chống xâm hại trẻ em tại các thôn, "
        "có 412 lượt người dự; phối hợp với Trạm Y tế tiêm chủng đầy đủ cho trẻ dưới 1 tuổi.\n"
        "Rà soát 14 điểm có nguy cơ đuối nước, đặt biển cảnh báo tại 9 điểm."),
    "difficulties": (
        "Số liệu trẻ em bỏ học và trẻ em lao động phải tổng hợp từ nhiều nguồn, chưa thống nhất "
        "thời điểm. Cán bộ làm công tác trẻ em kiêm nhiệm, kinh phí truyền thông còn ít."),
    "proposals": (
        "Đề nghị Sở Y tế tổ chức tập huấn về thu thập số liệu các chỉ tiêu trẻ em cho cán bộ cấp "
        "xã; hỗ trợ tài liệu truyền thông về phòng, chống đuối nước."),
    "direction": (
        "Tiếp tục truyền thông phòng, chống tai nạn thương tích; phấn đấu giảm tỷ suất trẻ em bị "
        "tai nạn thương tích đạt chỉ tiêu năm {next}."),
}


def demo_narrative(year: int) -> dict[str, str]:
    return {k: v.format(year=year, next=year + 1) for k, v in DEMO_NARRATIVE.items()}
