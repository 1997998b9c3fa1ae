"""Budget services: lines, copying a year, allocations and spend by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry
from converge.core.policy import NotPermitted
from converge.finance.budget import selectors, services
from converge.finance.models import Allocation, BudgetLine, SpendEntry
from converge.measurement import services as measurement
from converge.strategy.models import Initiative, SocialObjective
from tests.conftest import World
from tests.finance.builders_budget import line

pytestmark = pytest.mark.django_db


def objective(world: World, statement: str) -> SocialObjective:
    return SocialObjective.objects.create(
        workspace=world.workspace,
        statement=statement,
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )


def book(world: World, budget_line: BudgetLine, amount: str, day: date | None = None, **kw):  # type: ignore[no-untyped-def]
    return services.spend_add(
        actor=world.lead,
        workspace=world.workspace,
        line=budget_line,
        day=day or date(budget_line.year, 3, 1),
        amount=Decimal(amount),
        **kw,
    )


# --- Lines ----------------------------------------------------------------------------------


def test_a_lead_creates_a_line_and_the_audit_log_says_so(world: World) -> None:
    made = line(world, "Paid social: TikTok", platform="tiktok", planned="80000")
    assert made.planned == Decimal("80000.00")
    assert AuditEntry.objects.filter(action="budget_line.create", object_id=str(made.uuid)).exists()


def test_a_member_or_an_executive_may_not_write_the_budget(world: World) -> None:
    for person in (world.member, world.executive):
        with pytest.raises(NotPermitted):
            services.line_save(
                actor=person,
                workspace=world.workspace,
                year=2026,
                category="tools",
                name="Listening",
                planned=Decimal(1),
            )


def test_two_lines_of_one_year_cannot_share_a_name_but_two_years_can(world: World) -> None:
    line(world, "Agency")
    with pytest.raises(ConvergeError) as err:
        line(world, "agency")
    assert err.value.field == "name" and err.value.status == 409
    assert line(world, "Agency", year=2027).year == 2027


def test_only_paid_social_has_a_platform_and_only_staff_has_fte(world: World) -> None:
    with pytest.raises(ConvergeError) as err:
        line(world, "Suite", category="tools", platform="instagram")
    assert err.value.field == "platform"
    with pytest.raises(ConvergeError) as err:
        line(world, "Suite", category="tools", fte="1")
    assert err.value.field == "fte"
    staff = line(world, "Care agent", category="staff", fte="0.5", planned="240000")
    assert staff.fte == Decimal("0.50")


def test_a_negative_plan_is_refused_next_to_the_field(world: World) -> None:
    with pytest.raises(ConvergeError) as err:
        line(world, "Oops", planned="-1")
    assert err.value.field == "planned"


def test_a_line_with_spend_cannot_be_deleted_and_one_without_can(world: World) -> None:
    spent = line(world, "Spent")
    book(world, spent, "100")
    with pytest.raises(ConvergeError) as err:
        services.line_delete(actor=world.lead, line=spent)
    assert "1 spend entries" in err.value.message and err.value.status == 409
    assert BudgetLine.objects.filter(pk=spent.pk).exists()
    empty = line(world, "Empty")
    services.line_delete(actor=world.lead, line=empty)
    assert not BudgetLine.objects.filter(pk=empty.pk).exists()


def test_actual_is_the_sum_of_the_lines_spend_never_stored(world: World) -> None:
    ig = line(world, "IG", planned="1200")
    book(world, ig, "100.25")
    book(world, ig, "200.50")
    book(world, ig, "-50", note="credit note")
    assert selectors.get_line(world.workspace, ig.uuid).actual == Decimal("250.75")


# --- Copy a year ----------------------------------------------------------------------------


def test_copying_a_year_copies_lines_and_allocations_once(world: World) -> None:
    goal = objective(world, "Grow the community")
    ig = line(world, "IG", planned="1000", committed="400")
    line(world, "Lead", category="staff", fte="1", planned="600000")
    services.allocations_set(
        actor=world.lead, line=ig, kind="objective", shares={goal: Decimal(100)}
    )
    line(world, "Lead", year=2027, category="staff", fte="1", planned="650000")
    made = services.lines_copy_year(
        actor=world.lead, workspace=world.workspace, from_year=2026, to_year=2027
    )
    assert [m.name for m in made] == ["IG"]
    copy = BudgetLine.objects.get(workspace=world.workspace, year=2027, name="IG")
    assert (copy.planned, copy.committed) == (Decimal("1000.00"), Decimal("0.00"))
    assert list(Allocation.objects.filter(line=copy).values_list("objective", "share")) == [
        (goal.pk, Decimal("100.00"))
    ]
    assert BudgetLine.objects.get(year=2027, name="Lead").planned == Decimal("650000.00")
    again = services.lines_copy_year(
        actor=world.lead, workspace=world.workspace, from_year=2026, to_year=2027
    )
    assert again == []
    assert BudgetLine.objects.filter(workspace=world.workspace, year=2027).count() == 2


# --- Allocations ----------------------------------------------------------------------------


def test_shares_that_add_up_to_100_replace_the_set(world: World) -> None:
    a, b, c = (objective(world, s) for s in ("A", "B", "C"))
    ig = line(world, "IG", planned="1000")
    services.allocations_set(
        actor=world.lead, line=ig, kind="objective", shares={a: Decimal("50"), b: Decimal("50")}
    )
    services.allocations_set(
        actor=world.lead,
        line=ig,
        kind="objective",
        shares={b: Decimal("33.33"), c: Decimal("66.67")},
    )
    assert sorted(
        Allocation.objects.filter(line=ig).values_list("objective__statement", "share")
    ) == [("B", Decimal("33.33")), ("C", Decimal("66.67"))]


def test_shares_adding_up_to_99_are_refused_and_nothing_changes(world: World) -> None:
    a, b = objective(world, "A"), objective(world, "B")
    ig = line(world, "IG")
    services.allocations_set(actor=world.lead, line=ig, kind="objective", shares={a: Decimal(100)})
    with pytest.raises(ConvergeError) as err:
        services.allocations_set(
            actor=world.lead,
            line=ig,
            kind="objective",
            shares={a: Decimal("49"), b: Decimal("50")},
        )
    assert "add up to 99" in err.value.message and err.value.field == "shares"
    assert list(Allocation.objects.filter(line=ig).values_list("objective", "share")) == [
        (a.pk, Decimal("100.00"))
    ]


def test_a_share_of_zero_or_with_three_decimals_is_refused(world: World) -> None:
    a, b = objective(world, "A"), objective(world, "B")
    ig = line(world, "IG")
    with pytest.raises(ConvergeError) as err:
        services.allocations_set(
            actor=world.lead, line=ig, kind="objective", shares={a: Decimal(0), b: Decimal(100)}
        )
    assert err.value.details["problems"] == ["share_out_of_range"]
    with pytest.raises(ConvergeError) as err:
        services.allocations_set(
            actor=world.lead,
            line=ig,
            kind="objective",
            shares={a: Decimal("33.333"), b: Decimal("66.667")},
        )
    assert err.value.details["problems"] == ["share_too_precise"]


def test_ticked_targets_without_shares_split_evenly(world: World) -> None:
    targets = [objective(world, s) for s in ("A", "B", "C")]
    ig = line(world, "IG", planned="1000")
    services.allocations_set(
        actor=world.lead, line=ig, kind="objective", shares=dict.fromkeys(targets)
    )
    shares = sorted(Allocation.objects.filter(line=ig).values_list("share", flat=True))
    assert shares == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    funded = selectors.allocations(selectors.get_line(world.workspace, ig.uuid))["objective"]
    assert sum(f.planned for f in funded) == Decimal("1000.00")
    # 33.33 % of 1000 is 333.30; 33.34 % is 333.40 — the shares, not a third each
    assert sorted(f.planned for f in funded) == [
        Decimal("333.30"),
        Decimal("333.30"),
        Decimal("333.40"),
    ]


def test_some_shares_given_and_some_not_is_refused(world: World) -> None:
    a, b = objective(world, "A"), objective(world, "B")
    with pytest.raises(ConvergeError, match="every chosen item a share"):
        services.allocations_set(
            actor=world.lead,
            line=line(world, "IG"),
            kind="objective",
            shares={a: Decimal(50), b: None},
        )


def test_initiatives_and_channels_are_allocated_separately(world: World) -> None:
    ig = line(world, "IG", planned="900")
    pilot = Initiative.objects.create(
        workspace=world.workspace, title="Pilot", start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    channel = measurement.channel_save(
        actor=world.lead, workspace=world.workspace, platform="instagram", handle="@acme"
    )
    services.allocations_set(actor=world.lead, line=ig, kind="initiative", shares={pilot: None})
    services.allocations_set(actor=world.lead, line=ig, kind="channel", shares={channel: None})
    funded = selectors.allocations(selectors.get_line(world.workspace, ig.uuid))
    assert [(f.name, f.share, f.planned) for f in funded["initiative"]] == [
        ("Pilot", Decimal("100.00"), Decimal("900.00"))
    ]
    assert [f.planned for f in funded["channel"]] == [Decimal("900.00")]
    assert funded["objective"] == []


def test_another_workspaces_objective_cannot_be_funded(world: World) -> None:
    theirs = SocialObjective.objects.create(
        workspace=world.other_workspace,
        statement="Theirs",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    with pytest.raises(ConvergeError):
        services.allocations_set(
            actor=world.lead, line=line(world, "IG"), kind="objective", shares={theirs: None}
        )


# --- Spend by hand --------------------------------------------------------------------------


def test_spend_dated_in_another_year_than_its_line_is_refused(world: World) -> None:
    with pytest.raises(ConvergeError) as err:
        book(world, line(world, "IG"), "100", day=date(2025, 12, 31))
    assert err.value.field == "day"


def test_a_reference_is_booked_once_and_keys_are_natural(world: World) -> None:
    ig = line(world, "IG")
    first = book(world, ig, "100", reference="INV-1")
    assert first.key == "ref:INV-1"
    with pytest.raises(ConvergeError) as err:
        book(world, ig, "100", reference="INV-1")
    assert err.value.field == "reference"
    twice = [book(world, ig, "100"), book(world, ig, "100")]
    assert all(e.key.startswith("manual:") for e in twice) and twice[0].key != twice[1].key


def test_a_zero_amount_is_refused(world: World) -> None:
    with pytest.raises(ConvergeError) as err:
        book(world, line(world, "IG"), "0")
    assert err.value.field == "amount"


def test_deleting_spend_lowers_the_actual(world: World) -> None:
    ig = line(world, "IG")
    entry = book(world, ig, "100")
    book(world, ig, "50")
    services.spend_delete(actor=world.lead, entry=entry)
    assert selectors.get_line(world.workspace, ig.uuid).actual == Decimal("50.00")
    assert SpendEntry.objects.count() == 1


# --- Totals ---------------------------------------------------------------------------------


def test_the_year_adds_up_by_category_and_in_all(world: World) -> None:
    ig = line(world, "IG", planned="1000", committed="500")
    fb = line(world, "FB", planned="500")
    suite = line(world, "Suite", category="tools", planned="300", committed="300")
    line(world, "Next year", year=2027, planned="999999")
    book(world, ig, "400")
    book(world, fb, "100")
    book(world, suite, "300")
    budget = selectors.year_budget(world.workspace, 2026)
    by_cat = {b.category: b.totals for b in budget.categories}
    assert [b.category for b in budget.categories] == ["tools", "paid_social"]
    assert (by_cat["paid_social"].planned, by_cat["paid_social"].actual) == (
        Decimal("1500.00"),
        Decimal("500.00"),
    )
    assert by_cat["paid_social"].committed == Decimal("500.00")
    assert by_cat["paid_social"].remaining == Decimal("1000.00")
    assert budget.total.planned == Decimal("1800.00")
    assert budget.total.actual == Decimal("800.00")
    assert budget.total.burn_percent == Decimal("44")  # 800 / 1800


def test_the_multi_year_view_shows_growth_on_the_year_before(world: World) -> None:
    line(world, "IG", year=2025, planned="1000")
    line(world, "IG", year=2026, planned="1250")
    line(world, "Suite", year=2026, category="tools", planned="250")
    table = selectors.multi_year(world.workspace)
    assert table.years == [2025, 2026]
    rows = dict(table.rows)
    assert rows["Paid social"][1].growth == Decimal("25.0")
    assert rows["Tools and software"][0].planned is None
    assert rows["Tools and software"][1].growth is None
    assert table.totals[1].planned == Decimal("1500.00")
    assert table.totals[1].growth == Decimal("50.0")
