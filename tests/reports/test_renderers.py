"""The business case as files: the PowerPoint deck opened again by python-pptx (slides, native
chart series, speaker notes; in Swedish too), converted by LibreOffice, and the PDF rendered
to PNG with pdftoppm (saved under var/screenshots/ to be looked at)."""

from __future__ import annotations

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from pptx import Presentation

from converge.reports import renderers
from converge.reports.models import BusinessCase
from converge.reports.selectors import case_document
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db
D = Decimal

TITLES_EN = [
    "Social business 2027–2029",
    "Summary and the ask",
    "Who is using social",
    "Objectives aligned with the business plan",
    "How it will be done",
    "Resources",
    "Budget",
    "Timeline",
    "Expected return",
    "Reallocating current activities",
]


def deck(case: BusinessCase) -> bytes:
    doc = case_document(case)
    with translation.override(case.language):
        return renderers.render_pptx(doc)


def charts(prs: Any) -> dict[str, list[tuple[str, list[float]]]]:
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                found[slide.shapes.title.text] = [
                    (s.name, list(s.values)) for s in shape.chart.plots[0].series
                ]
    return found


def test_the_deck_has_a_slide_per_part_native_charts_and_notes_on_every_slide(
    full_case: BusinessCase,
) -> None:
    prs = Presentation(io.BytesIO(deck(full_case)))
    assert [s.shapes.title.text for s in prs.slides] == TITLES_EN
    assert all(
        s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in prs.slides
    )
    series = charts(prs)
    assert series["Budget"] == [
        ("Tools and software", [100000.0, 0.0, 0.0]),
        ("Paid social", [0.0, 0.0, 300000.0]),
        ("Staff", [500000.0, 600000.0, 0.0]),
        ("Contingency", [120000.0, 120000.0, 60000.0]),
    ]
    assert series["Expected return"] == [
        ("Expected hard value", [650000.0, 1466000.0, 1466000.0]),
        ("Cost with contingency", [720000.0, 720000.0, 360000.0]),
    ]
    budget_slide = prs.slides[TITLES_EN.index("Budget")]
    chart = next(s for s in budget_slide.shapes if s.has_chart).chart
    assert chart.chart_type == 52  # XL_CHART_TYPE.COLUMN_STACKED
    assert "1,800,000 SEK" in budget_slide.notes_slide.notes_text_frame.text


def test_a_swedish_case_gives_a_swedish_deck(full_case: BusinessCase) -> None:
    full_case.language = "sv"
    full_case.save()
    prs = Presentation(io.BytesIO(deck(full_case)))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[1:] == [
        "Sammanfattning och vad vi ber om",
        "Vilka som använder sociala medier",
        "Mål i linje med affärsplanen",
        "Så här genomför vi det",
        "Resurser",
        "Budget",
        "Tidsplan",
        "Förväntad avkastning",
        "Omfördelning av nuvarande aktiviteter",
    ]
    assert [name for name, _v in charts(prs)["Förväntad avkastning"]] == [
        "Förväntat hårt värde",
        "Kostnad med buffert",
    ]
    assert "1 800 000 SEK" in prs.slides[6].notes_slide.notes_text_frame.text.replace("\xa0", " ")


def test_libreoffice_converts_the_deck_without_error(
    full_case: BusinessCase, tmp_path: Path
) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (the CI script installs it)")
    source = tmp_path / "case.pptx"
    source.write_bytes(deck(full_case))
    result = subprocess.run(
        [
            soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to", "pdf", "--outdir", str(tmp_path), str(source),
        ],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "case.pdf"
    assert pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000


def test_the_pdf_renders_to_pages_that_can_be_looked_at(
    full_case: BusinessCase, tmp_path: Path
) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed (the CI script installs it)")
    doc = case_document(full_case)
    with translation.override(full_case.language):
        pdf = renderers.render_pdf(doc)
    assert pdf[:5] == b"%PDF-"
    source = tmp_path / "case.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(source), str(tmp_path / "page")],
        check=True, timeout=120,
    )  # fmt: skip
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3 and all(p.stat().st_size > 5_000 for p in pages)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for n, page in enumerate(pages, start=1):
        shutil.copy(page, SCREENSHOTS / f"business-case-pdf-{n}.png")
