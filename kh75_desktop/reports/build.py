"""One entry point per document kind, so the CLI and the window make exactly the same files."""

from __future__ import annotations

from pathlib import Path

COMMUNE_KINDS = ("pdf", "docx", "xlsx", "template")


def commune_document(store, data_dir: Path, year: int, kind: str) -> bytes:
    """The commune's report (PDF or Word), its workbook, or the fill-in template."""
    if kind == "pdf":
        from .commune_pdf import build_commune_pdf

        return build_commune_pdf(store, data_dir, year)
    if kind == "docx":
        from .commune_docx import build_commune_docx

        return build_commune_docx(store, year)
    if kind == "xlsx":
        from .xlsx_export import commune_workbook

        return commune_workbook(store, year)
    if kind == "template":
        from .template import build_template

        return build_template(store, year)
    raise ValueError(kind)
