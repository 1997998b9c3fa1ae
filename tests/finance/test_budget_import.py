"""Spend CSV import: checked whole, committed whole or not at all, idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from converge.core.errors import ConvergeError
from converge.finance.budget import imports, selectors, services
from converge.finance.models import SpendEntry, SpendImport
from tests.conftest import World
from tests.finance.builders_budget import line

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"

GOOD = (
    b"date,amount,line,supplier,reference,note\n"
    b"2026-03-05,12500.00,Paid social: Instagram,Meta Platforms Ireland,INV-311,March campaign\n"
    b'2026-03-31,"1 234,50",Content production,Nordljus Produktion,,Product shoot\n'
    b"2026-04-30,999,Content production,Nordljus Produktion,,\n"
    b"2026-04-30,999,Content production,Nordljus Produktion,,\n"
)


@pytest.fixture
def lines(world: World) -> None:
    line(world, "Paid social: Instagram", platform="instagram", planned="300000")
    line(world, "Content production", category="content", planned="200000")
    line(world, "Content production", year=2025, category="content", planned="150000")


def check(world: World, data: bytes, name: str = "spend.csv"):  # type: ignore[no-untyped-def]
    return services.spend_import_check(
        actor=world.lead, workspace=world.workspace, data=data, filename=name
    )


def codes(record: SpendImport) -> list[tuple[int, str, str]]:
    return [(p["row"], p["column"], p["code"]) for p in record.problems]


def test_a_good_file_is_previewed_then_committed_in_full(world: World, lines: None) -> None:
    record, plan = check(world, GOOD)
    assert record.problems == []
    assert [r.row for r in plan.added] == [2, 3, 4, 5]
    assert SpendEntry.objects.count() == 0  # the check writes nothing
    services.spend_import_commit(actor=world.lead, record=record)
    record.refresh_from_db()
    assert (record.rows_added, record.rows_unchanged) == (4, 0)
    assert record.committed_at is not None
    content = selectors.lines(world.workspace).get(year=2026, name="Content production")
    assert content.actual == Decimal("3232.50")  # 1234.50 + 999 + 999
    first = SpendEntry.objects.get(reference="INV-311")
    assert (first.key, first.day, first.supplier, first.source_id) == (
        "ref:INV-311",
        date(2026, 3, 5),
        "Meta Platforms Ireland",
        record.pk,
    )


def test_two_identical_rows_without_reference_are_two_payments(world: World, lines: None) -> None:
    record, plan = check(world, GOOD)
    keys = [r.key for r in plan.added]
    assert len(set(keys)) == 4
    services.spend_import_commit(actor=world.lead, record=record)
    assert SpendEntry.objects.filter(amount=Decimal("999")).count() == 2


def test_importing_the_same_file_again_adds_nothing(world: World, lines: None) -> None:
    services.spend_import_commit(actor=world.lead, record=check(world, GOOD)[0])
    again, plan = check(world, GOOD, "spend-again.csv")
    assert (len(plan.added), len(plan.unchanged)) == (0, 4)
    services.spend_import_commit(actor=world.lead, record=again)
    again.refresh_from_db()
    assert (again.rows_added, again.rows_unchanged) == (0, 4)
    assert SpendEntry.objects.count() == 4


def test_a_longer_file_adds_only_its_new_rows(world: World, lines: None) -> None:
    services.spend_import_commit(actor=world.lead, record=check(world, GOOD)[0])
    longer = GOOD + b"2026-05-31,500,Content production,Nordljus Produktion,,May\n"
    _record, plan = check(world, longer)
    assert [r.row for r in plan.added] == [6]
    assert len(plan.unchanged) == 4


def test_a_committed_import_cannot_be_committed_twice(world: World, lines: None) -> None:
    record = check(world, GOOD)[0]
    services.spend_import_commit(actor=world.lead, record=record)
    with pytest.raises(ConvergeError) as err:
        services.spend_import_commit(actor=world.lead, record=record)
    assert err.value.status == 409
    assert SpendEntry.objects.count() == 4


def test_a_swedish_excel_export_with_semicolons_and_decimal_commas_reads(
    world: World, lines: None
) -> None:
    data = (
        "Datum;Belopp;Rad;Leverantör;Referens;Anteckning\r\n"
        "2026-03-05;12 500,00;Paid social: Instagram;Meta Platforms Ireland;F-1001;Mars\r\n"
        "2026-03-06;1.234,50;Content production;Nordljus Produktion;F-1002;Fotografering åt\r\n"
        "2026-03-07;-500,00;Content production;Nordljus Produktion;F-1003;Kreditnota\r\n"
    ).encode("cp1252")
    record, plan = check(world, data, "export.csv")
    assert record.problems == []
    assert [r.amount for r in plan.added] == [
        Decimal("12500.00"),
        Decimal("1234.50"),
        Decimal("-500.00"),
    ]
    assert plan.added[1].note == "Fotografering åt"
    assert plan.added[0].supplier == "Meta Platforms Ireland"


def test_the_swedish_fixture_file_imports(world: World, lines: None) -> None:
    record, plan = check(world, (FILES / "spend-sv-excel.csv").read_bytes(), "spend-sv-excel.csv")
    assert record.problems == []
    assert len(plan.added) == 3
    assert sum(r.amount for r in plan.added) == Decimal("27734.50")


def test_every_kind_of_bad_row_is_named_with_its_row_and_column(world: World, lines: None) -> None:
    data = (
        "date,amount,line,supplier,reference,note\n"
        "2026-03-05,100,Paid social: Instagram,,A-1,\n"  # 2: good
        "05/03/2026,100,Paid social: Instagram,,,\n"  # 3: date not ISO
        "2026-02-30,100,Paid social: Instagram,,,\n"  # 4: no such day
        "2026-03-05,1,234,Paid social: Instagram,,,\n"  # 5: unquoted comma: too many cells
        '2026-03-05,"1,234",Paid social: Instagram,,,\n'  # 6: ambiguous
        "2026-03-05,12.345,Paid social: Instagram,,,\n"  # 7: ambiguous too
        "2026-03-05,1000.555,Paid social: Instagram,,,\n"  # 8: three decimals
        "2026-03-05,100 kr,Paid social: Instagram,,,\n"  # 9: not a number
        "2026-03-05,0,Paid social: Instagram,,,\n"  # 10: zero
        "2026-03-05,,Paid social: Instagram,,,\n"  # 11: empty amount
        "2026-03-05,100,,,,\n"  # 12: no line
        "2026-03-05,100,Paid social: Instagam,,,\n"  # 13: unknown line (typo)
        "2025-03-05,100,Paid social: Instagram,,,\n"  # 14: no such line in 2025
        "2026-03-05,100,Paid social: Instagram,,A-1,\n"  # 15: repeated reference
        f"2026-03-05,100,Paid social: Instagram,{'x' * 201},,\n"  # 16: supplier too long
    ).encode()
    record, _plan = check(world, data)
    assert codes(record) == [
        (3, "date", "date_not_a_date"),
        (4, "date", "date_no_such_day"),
        (5, "", "wrong_cell_count"),
        (6, "amount", "amount_ambiguous"),
        (7, "amount", "amount_ambiguous"),
        (8, "amount", "amount_too_many_decimals"),
        (9, "amount", "amount_not_a_number"),
        (10, "amount", "amount_zero"),
        (11, "amount", "amount_empty"),
        (12, "line", "line_empty"),
        (13, "line", "line_unknown_suggest"),
        (14, "line", "line_unknown"),
        (15, "reference", "reference_repeated"),
        (16, "supplier", "too_long"),
    ]
    by_row = {p["row"]: p for p in record.problems}
    assert "Did you mean “Paid social: Instagram”?" in by_row[13]["message"]
    assert "The 2025 budget has no line" in by_row[14]["message"]
    assert "row 2" in by_row[15]["message"]
    assert "05/03/2026" in by_row[3]["message"]


def test_one_bad_row_among_good_ones_commits_nothing(world: World, lines: None) -> None:
    data = GOOD + b"2026-13-01,100,Content production,,,\n"
    record, plan = check(world, data)
    assert codes(record) == [(6, "date", "date_no_such_day")]
    assert len(plan.added) == 4
    with pytest.raises(ConvergeError) as err:
        services.spend_import_commit(actor=world.lead, record=record)
    assert err.value.status == 422 and "1 problems" in err.value.message
    assert SpendEntry.objects.count() == 0
    record.refresh_from_db()
    assert record.committed_at is None


def test_a_line_deleted_between_check_and_commit_stops_the_commit(
    world: World, lines: None
) -> None:
    extra = line(world, "Agency", category="consultants")
    record, _plan = check(world, GOOD + b"2026-06-01,100,Agency,,,\n")
    assert record.problems == []
    services.line_delete(actor=world.lead, line=extra)
    with pytest.raises(ConvergeError):
        services.spend_import_commit(actor=world.lead, record=record)
    assert SpendEntry.objects.count() == 0
    record.refresh_from_db()
    assert codes(record) == [(6, "line", "line_unknown")]


def test_a_reference_already_booked_with_other_figures_is_a_problem(
    world: World, lines: None
) -> None:
    services.spend_import_commit(actor=world.lead, record=check(world, GOOD)[0])
    changed = GOOD.replace(b"12500.00", b"12600.00")
    record, _plan = check(world, changed)
    assert codes(record) == [(2, "reference", "reference_taken")]


def test_a_hand_booked_invoice_is_recognised_by_the_import(world: World, lines: None) -> None:
    instagram = selectors.lines(world.workspace).get(year=2026, name="Paid social: Instagram")
    services.spend_add(
        actor=world.lead,
        workspace=world.workspace,
        line=instagram,
        day=date(2026, 3, 5),
        amount=Decimal("12500"),
        reference="INV-311",
    )
    _record, plan = check(world, GOOD)
    assert [r.row for r in plan.unchanged] == [2]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_file"),
        (b"\n\n", "empty_file"),
        (b"date,amount,supplier\n2026-01-01,1,x\n", "missing_columns"),
        (b"date,amount,line,cost centre\n", "unknown_columns"),
        (b"date,amount,line,line\n", "repeated_columns"),
    ],
)
def test_a_file_that_is_not_a_spend_file_says_why(
    world: World, lines: None, data: bytes, code: str
) -> None:
    record, plan = check(world, data)
    assert [p["code"] for p in record.problems] == [code]
    assert plan.rows == []


def test_a_member_may_not_import(world: World, lines: None) -> None:
    from converge.core.policy import NotPermitted

    with pytest.raises(NotPermitted):
        services.spend_import_check(
            actor=world.member, workspace=world.workspace, data=GOOD, filename="x.csv"
        )


def test_amounts_are_read_strictly() -> None:
    assert imports.parse_amount("1 234 567,89") == Decimal("1234567.89")
    assert imports.parse_amount("1,234,567.89") == Decimal("1234567.89")
    assert imports.parse_amount("1.234.567,89") == Decimal("1234567.89")
    assert imports.parse_amount("\u00a01\u00a0234,5") == Decimal("1234.50")
    assert imports.parse_amount("−75") == Decimal("-75.00")
    assert imports.parse_amount("1234,567") == "too_many_decimals"
    assert imports.parse_amount("1,234,50") == "not_a_number"
    assert imports.parse_amount("12 34") == "not_a_number"
    assert imports.parse_amount("1e5") == "not_a_number"
