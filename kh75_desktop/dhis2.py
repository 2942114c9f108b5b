"""Export of consolidated figures as a DHIS2 `dataValueSets` document.

One data element per measure component (its numerator and its denominator, or the yes/no), each
named by a code "KH75_<measure>_TU" (tử số) / "KH75_<measure>_MAU" (mẫu số) / "KH75_<measure>";
organisation units by the official commune code; the period is the year ("2026"). Values are
strings, as DHIS2 expects. Import into DHIS2 with
POST /api/dataValueSets?dataElementIdScheme=CODE&orgUnitIdScheme=CODE
"""

from __future__ import annotations

from .catalogue import Catalogue
from .figures import Figure


def data_element_codes(catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """For each measure, its (data element code, catalogue element key) pairs."""
    out = {}
    for m in catalogue.measures.values():
        if m.denominator is None:
            out[m.key] = [(f"KH75_{m.key}", m.numerator)]
        else:
            out[m.key] = [(f"KH75_{m.key}_TU", m.numerator), (f"KH75_{m.key}_MAU", m.denominator)]
    return out


def data_value_set(catalogue: Catalogue, year: int, per_ward: dict[str, dict[str, Figure]]
                   ) -> dict:
    values = []
    codes = data_element_codes(catalogue)
    for ward in sorted(per_ward):
        figures = per_ward[ward]
        for pairs in codes.values():
            for code, element in pairs:
                f = figures.get(element)
                if f is None or f.number is None:
                    continue
                value = str(f.count) if f.count is not None else ("true" if f.flag else "false")
                values.append({"dataElement": code, "period": str(year), "orgUnit": ward,
                               "value": value})
    return {"dataValues": values}
