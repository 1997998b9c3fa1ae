"""The business case's renderers: one document (``converge.reports.document``), three outputs —
the web page's HTML, a PDF from the same HTML (WeasyPrint), and a PowerPoint deck with native,
editable charts and speaker notes on every slide. Each renders in the case's language."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from converge.finance.money import money
from converge.reports.document import DATE, MONEY, NUMBER, PERCENT, Chart, Document, Table
from converge.strategy.charts import SCHEMA, Spec

PALETTE = ["#2f6f5e", "#d08c2b", "#4a78a8", "#a0522d", "#7a5ca8", "#5b8f2d", "#8c8c8c", "#c04a5a"]


def format_cell(value: Any, kind: str, currency: str) -> str:
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, str):
        return value
    if kind == MONEY and isinstance(value, Decimal | int):
        # Small amounts with öre or cents (a value per unit of 0.42) show them; the rest whole.
        amount = Decimal(value)
        small = abs(amount) < 1000 and amount != amount.to_integral_value()
        return money(amount, currency, cents=small)
    if kind == DATE and isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == PERCENT and isinstance(value, Decimal | int):
        return f"{number_format(value, decimal_pos=0, use_l10n=True)} %"
    if isinstance(value, Decimal):
        places = 0 if value == value.to_integral_value() else 2
        return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


@dataclass
class TableView:
    caption: str
    head: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]
    footer: list[list[tuple[str, bool]]]


def table_view(table: Table, currency: str) -> TableView:
    numeric = [c.kind in (MONEY, NUMBER, PERCENT) for c in table.columns]

    def line(row: list[Any]) -> list[tuple[str, bool]]:
        return [
            (format_cell(v, table.columns[i].kind, currency), numeric[i]) for i, v in enumerate(row)
        ]

    return TableView(
        caption=table.caption,
        head=[(c.label, numeric[i]) for i, c in enumerate(table.columns)],
        rows=[line(r) for r in table.rows],
        footer=[line(r) for r in table.footer],
    )


def vega_spec(chart: Chart) -> Spec:
    """A chart's data series as a Vega-Lite spec (stacked or grouped columns)."""
    values = [
        {"category": cat, "series": s.name, "value": float(s.values[i]), "order": n}
        for n, s in enumerate(chart.series)
        for i, cat in enumerate(chart.categories)
    ]
    names = [s.name for s in chart.series]
    encoding: dict[str, Any] = {
        "x": {"field": "category", "type": "nominal", "title": None, "axis": {"labelAngle": 0}},
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": chart.unit,
            "axis": {"format": "~s"},
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "sort": names,
            "scale": {"domain": names, "range": PALETTE[: len(names)]},
            "legend": {"orient": "bottom", "columns": 3, "columnPadding": 18, "labelLimit": 220},
        },
        "order": {"field": "order"},
        "tooltip": [
            {"field": "category", "title": ""},
            {"field": "series", "title": ""},
            {"field": "value", "type": "quantitative", "format": ",.0f", "title": chart.unit},
        ],
    }
    if chart.kind == "clustered_column":
        encoding["xOffset"] = {"field": "series", "sort": names}
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 260,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": encoding,
    }


def _svg(chart: Chart) -> SafeString:
    import vl_convert

    spec = vega_spec(chart)
    spec["width"] = 440
    spec["height"] = 200
    return mark_safe(vl_convert.vegalite_to_svg(spec))  # our own spec, rendered by vl-convert


def context(doc: Document, *, for_pdf: bool = False) -> dict[str, Any]:
    """What the templates need: tables formatted, charts as specs (page) or SVG (PDF)."""

    def section_view(section: Any) -> dict[str, Any]:
        return {
            "s": section,
            "tables": [table_view(t, doc.currency) for t in section.tables],
            "charts": [
                {
                    "chart": c,
                    "spec": vega_spec(c),
                    "svg": _svg(c) if for_pdf else "",
                    "id": f"chart-{section.key}-{c.key}",
                }
                for c in section.charts
            ],
            "parts": [section_view(p) for p in section.parts],
        }

    return {"doc": doc, "sections": [section_view(s) for s in doc.sections], "for_pdf": for_pdf}


def render_body(doc: Document, *, for_pdf: bool = False) -> str:
    """The case's HTML (without the page around it). Call inside the case's language."""
    return render_to_string("reports/_case_body.html", context(doc, for_pdf=for_pdf))


def render_pdf(doc: Document) -> bytes:
    from converge.reports.pdf import html_to_pdf

    html = render_to_string(
        "reports/case_pdf.html", {"doc": doc, "body": mark_safe(render_body(doc, for_pdf=True))}
    )
    return html_to_pdf(html)


# --- PowerPoint -----------------------------------------------------------------------------


def render_pptx(doc: Document) -> bytes:
    """A 16:9 deck: a title slide, then one slide per section (the eight parts of the plan on
    one slide), with native charts (stacked/clustered columns) and speaker notes."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Emu, Inches, Pt

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
    title_layout, content_layout = prs.slide_layouts[0], prs.slide_layouts[5]  # title only

    def notes(slide: Any, text: str) -> None:
        slide.notes_slide.notes_text_frame.text = text or doc.title

    def title_only(heading: str) -> Any:
        slide = prs.slides.add_slide(content_layout)
        slide.shapes.title.text = heading
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(30)
        return slide

    def text_box(
        slide: Any, left: int, top: int, width: int, height: int, lines: list[str], size: int = 14
    ) -> None:
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for n, line in enumerate(lines):
            para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
            para.text = line
            para.font.size = Pt(size)
            para.space_after = Pt(6)

    def add_table(
        slide: Any,
        table: Table,
        left: int,
        top: int,
        width: int,
        max_rows: int = 12,
        size: int | None = None,
    ) -> None:
        view = table_view(table, doc.currency)
        body = view.rows[:max_rows] + view.footer
        rows, cols = len(body) + 1, len(view.head)
        height = Emu(int(Inches(0.3)) * rows)
        shape = slide.shapes.add_table(rows, cols, left, top, width, height)
        grid = shape.table
        font = Pt(size or (11 if cols <= 5 else 9))
        for c, (label, _num) in enumerate(view.head):
            grid.cell(0, c).text = label
            grid.cell(0, c).text_frame.paragraphs[0].font.size = font
            grid.cell(0, c).text_frame.paragraphs[0].font.bold = True
        for r, row in enumerate(body, start=1):
            for c, (text, _num) in enumerate(row):
                cell = grid.cell(r, c)
                cell.text = text[:160]
                para = cell.text_frame.paragraphs[0]
                para.font.size = font
                para.font.bold = r > len(view.rows[:max_rows])

    def add_chart(slide: Any, chart: Chart, left: int, top: int, width: int, height: int) -> None:
        data = CategoryChartData()
        data.categories = chart.categories
        for s in chart.series:
            data.add_series(s.name, [float(v) for v in s.values])
        kind = (
            XL_CHART_TYPE.COLUMN_STACKED
            if chart.kind == "stacked_column"
            else XL_CHART_TYPE.COLUMN_CLUSTERED
        )
        graphic = slide.shapes.add_chart(kind, left, top, width, height, data).chart
        graphic.font.size = Pt(11)
        graphic.has_legend = True
        graphic.legend.position = XL_LEGEND_POSITION.BOTTOM
        graphic.legend.include_in_layout = False
        graphic.has_title = True
        graphic.chart_title.text_frame.text = f"{chart.title} ({chart.unit})"
        graphic.chart_title.text_frame.paragraphs[0].font.size = Pt(14)
        graphic.value_axis.tick_labels.number_format = "#,##0"
        graphic.value_axis.tick_labels.number_format_is_linked = False

    margin, top = Inches(0.6), Inches(1.5)
    full = prs.slide_width - 2 * margin

    slide = prs.slides.add_slide(title_layout)
    slide.shapes.title.text = doc.title
    slide.placeholders[1].text = doc.subtitle
    notes(
        slide,
        _("%(title)s: the business case for social media, %(subtitle)s.")
        % {"title": doc.title, "subtitle": doc.subtitle},
    )

    for section in doc.sections:
        slide = title_only(section.heading)
        lines = list(section.paragraphs) + [f"• {b}" for b in section.bullets]
        if section.key == "how":
            rows = [
                [p.heading, _("empty") if p.empty else _("filled"), _part_summary(p)]
                for p in section.parts
            ]
            from converge.reports.document import Column

            add_table(
                slide,
                Table(
                    columns=[Column(_("Part")), Column(_("Status")), Column(_("What we have"))],
                    rows=rows,
                ),
                margin,
                top,
                full,
                max_rows=8,
            )
        elif section.charts:
            half = Emu(int(full) // 2)
            table = section.tables[-1] if section.key == "return" else section.tables[0]
            add_table(slide, table, margin, top, half - Inches(0.3), max_rows=8, size=10)
            add_chart(slide, section.charts[0], margin + half, top, half, Inches(5.4))
        elif section.tables:
            text_box(slide, margin, top, full, Inches(0.9), lines[:1], 13)
            add_table(slide, section.tables[0], margin, top + Inches(1.0), full, max_rows=10)
        else:
            text_box(slide, margin, top, full, Inches(5), lines, 16)
        notes(slide, section.notes)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _part_summary(part: Any) -> str:
    if part.empty:
        return part.paragraphs[0] if part.paragraphs else ""
    bits = list(part.paragraphs) + list(part.bullets)
    if part.tables:
        bits.append(_("%(n)s rows") % {"n": len(part.tables[0].rows)} if not bits else "")
    text = "; ".join(b for b in bits if b)
    return text if len(text) <= 220 else text[:217] + "…"
