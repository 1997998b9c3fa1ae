"""The business case builder on hand-computed figures (see ``full_case``), and on an empty
workspace, where every part says plainly that it is empty."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from converge.reports.builder import build
from converge.reports.document import as_json
from converge.reports.models import BusinessCase
from converge.reports.selectors import case_document
from tests.conftest import World
from tests.reports.builders import business_case

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_budget_has_a_contingency_row_and_a_total_with_it(full_case: BusinessCase) -> None:
    doc = build(full_case)
    assert doc.figures["cost"] == D(1500000)
    assert doc.figures["contingency"] == D(300000)
    assert doc.figures["cost_with_contingency"] == D(1800000)
    table = doc.section("budget").tables[0]
    assert [r[0] for r in table.rows] == ["Tools and software", "Paid social", "Staff"]
    assert table.rows[2][1:] == [D(500000), D(600000), D(0), D(1100000)]
    assert table.footer[1][1:] == [D(120000), D(120000), D(60000), D(300000)]
    assert table.footer[2][1:] == [D(720000), D(720000), D(360000), D(1800000)]
    chart = doc.section("budget").charts[0]
    assert chart.kind == "stacked_column" and chart.categories == ["2027", "2028", "2029"]
    assert [s.name for s in chart.series][-1] == "Contingency"


def test_the_expected_return_counts_hard_value_only_from_the_year_the_target_is_due(
    full_case: BusinessCase,
) -> None:
    doc = build(full_case)
    assert doc.figures["expected_value"] == D(3582000)
    assert [doc.figures[f"expected_value_{y}"] for y in (2027, 2028, 2029)] == [
        D(650000), D(1466000), D(1466000),
    ]  # fmt: skip
    assert doc.figures["roi"] == D("0.99")
    assert doc.figures["soft_value"] == D(585000)
    section = doc.section("return")
    value_rows = {r[1]: r for r in section.tables[0].rows}
    assert set(value_rows) == {"Value of a lead", "Saving per case"}  # no soft, no archived
    assert value_rows["Saving per case"][2:] == [D(20400), D(40), D(816000), 2, D(1632000)]
    assumptions = section.tables[1]
    assert [r[0] for r in assumptions.rows] == ["Saving per case", "Value of a lead"]
    assert assumptions.rows[0][4:] == ["Olivia Owner", "CFO memo", date(2026, 9, 1)]
    assert any("Soft value, not counted" in p and "585,000 SEK" in p for p in section.paragraphs)
    chart = section.charts[0]
    assert [(s.name, s.values) for s in chart.series] == [
        ("Expected hard value", [D(650000), D(1466000), D(1466000)]),
        ("Cost with contingency", [D(720000), D(720000), D(360000)]),
    ]


def test_the_timeline_stretches_each_initiative_by_the_schedule_contingency(
    full_case: BusinessCase,
) -> None:
    rows = build(full_case).section("timeline").tables[0].rows
    assert [r[0] for r in rows] == ["LinkedIn for B2B sales"]  # the finished one lies outside
    assert rows[0][2:5] == [date(2027, 1, 1), date(2027, 12, 31), date(2028, 3, 13)]


def test_the_reallocation_takes_only_the_ticked_reviewed_activities(
    full_case: BusinessCase,
) -> None:
    doc = build(full_case)
    table = doc.section("reallocation").tables[0]
    assert [r[0] for r in table.rows] == ["Printed catalogue"]
    assert table.rows[0][4] == D(20000) and table.rows[0][6] == D(200000)
    assert doc.figures["moved_to_social"] == D(200000)


def test_the_objectives_and_the_eight_parts_come_from_the_workspace(
    full_case: BusinessCase,
) -> None:
    doc = build(full_case)
    kpis = doc.section("objectives").tables[1].rows
    assert [
        "Generate B2B leads on LinkedIn",
        "Qualified leads",
        "40",
        "300",
        date(2027, 12, 31),
    ] in kpis
    how = doc.section("how")
    assert [p.key for p in how.parts] == [
        "goals", "audiences", "tactics", "metrics", "messages", "resources", "guidelines",
        "management",
    ]  # fmt: skip
    assert not how.parts[0].empty and how.parts[1].empty
    assert how.parts[1].paragraphs == ["Nothing recorded yet: no audiences identified."]


def test_an_empty_workspace_gives_a_case_that_says_plainly_what_is_missing(world: World) -> None:
    doc = build(business_case(world))
    for key in ("who", "budget", "timeline", "return", "reallocation", "objectives", "how"):
        assert doc.section(key).empty, key
    assert "No budget lines for 2027–2029 yet" in doc.section("budget").paragraphs[0]
    assert "No KPI with a target has a hard value" in doc.section("return").paragraphs[-1]
    assert doc.figures["roi"] is None and doc.figures["expected_value"] == 0
    assert all(s.notes for s in doc.sections)


def test_the_document_is_plain_json(full_case: BusinessCase) -> None:
    data = as_json(case_document(full_case))
    assert data["figures"]["cost_with_contingency"] == "1800000.00"
    assert data["sections"][5]["key"] == "budget"
    assert data["sections"][5]["charts"][0]["series"][0]["values"] == ["100000.00", "0.00", "0.00"]
