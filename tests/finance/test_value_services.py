"""The value model's rules and budget scenarios, through the services the pages and the API
share: who may write, what is refused (and next to which field), and what a scenario does to
funding and KPIs on the small world of ``builders_value``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry
from converge.core.policy import NotPermitted
from converge.finance.budget import services as budget
from converge.finance.models import AllocationKind, Scenario
from converge.finance.value import selectors, services
from tests.conftest import World
from tests.finance.builders_value import Small, assumption, build_small

pytestmark = pytest.mark.django_db
D = Decimal


def refused(field: str | None, call: object, *args: object, **kwargs: object) -> ConvergeError:
    with pytest.raises(ConvergeError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    assert caught.value.field == field, caught.value.message
    return caught.value


def test_an_assumption_is_owned_sourced_dated_and_audited(world: World) -> None:
    found = assumption(world)
    assert (found.owner, found.source, found.as_of) == (
        world.executive,
        "Finance memo",
        date(2026, 2, 1),
    )
    assert AuditEntry.objects.filter(action="value_assumption.create").count() == 1


def test_only_leads_and_owners_change_the_value_model(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.assumption_save(
            actor=world.member, workspace=world.workspace, name="x", kind="lead",
            hardness="revenue", metric_key="leads", unit_value=D(1), owner=None,
            source="s", as_of=date(2026, 1, 1),
        )  # fmt: skip


def test_earned_media_value_is_always_soft(world: World) -> None:
    refused(
        "hardness", assumption, world, "EMV", metric="mentions", kind="earned_media",
        hardness="revenue",
    )  # fmt: skip


def test_a_rate_cannot_be_valued_per_unit(world: World) -> None:
    error = refused("metric_key", assumption, world, metric="engagement_rate_reach")
    assert "adds up" in error.message


def test_a_metric_has_one_hard_value_but_soft_values_may_sit_beside_it(world: World) -> None:
    assumption(world)
    error = refused("metric_key", assumption, world, "Another lead value")
    assert error.status == 409 and "Value of a lead" in error.message
    assumption(world, "Lead media value", hardness="soft", kind="other")


def test_an_archived_hard_value_comes_back_only_when_nothing_took_its_place(world: World) -> None:
    old = assumption(world)
    services.assumption_archive(actor=world.lead, assumption=old)
    assert list(selectors.assumptions(world.workspace)) == []
    assumption(world, "New lead value", value="5000")
    refused(
        "metric_key", services.assumption_archive, actor=world.lead, assumption=old, restore=True
    )
    old.refresh_from_db()
    assert old.archived_at is not None


def test_an_assumption_needs_a_source_and_a_date_not_in_the_future(world: World) -> None:
    base = dict(
        actor=world.lead, workspace=world.workspace, name="x", kind="lead", hardness="revenue",
        metric_key="leads", owner=None,
    )  # fmt: skip
    refused("source", services.assumption_save, **base, unit_value=D(1), source=" ",
            as_of=date(2026, 1, 1))  # fmt: skip
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused("as_of", services.assumption_save, **base, unit_value=D(1), source="s",
            as_of=tomorrow)  # fmt: skip
    refused("unit_value", services.assumption_save, **base, unit_value=D(0), source="s",
            as_of=date(2026, 1, 1))  # fmt: skip


@pytest.fixture
def small(world: World) -> Small:
    return build_small(world)


def scenario(world: World, name: str = "Cut") -> Scenario:
    return services.scenario_save(actor=world.lead, workspace=world.workspace, name=name, year=2026)


def test_a_scenario_shows_who_loses_funding_and_what_the_kpis_would_lose(
    world: World, small: Small
) -> None:
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="cut", line=small.paid, percent=D(25)
    )
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="move", line=small.staff, to_line=small.paid,
        amount=D(5000),
    )  # fmt: skip
    result = selectors.scenario_result(
        selectors.get_scenario(world.workspace, s.uuid), date(2026, 3, 31)
    )
    # Paid social 40,000 − 25% = 30,000, then + 5,000 from staff (20,000 → 15,000).
    assert (result.total.before, result.total.after) == (D(60000), D(50000))
    assert [(m.name, m.after) for m in result.changed_lines] == [
        ("Paid social", D(35000)),
        ("Social media lead", D(15000)),
    ]
    assert [(k, m.name, m.delta) for k, m in result.losers] == [
        (AllocationKind.OBJECTIVE, "Win B2B leads on social", D(-5000)),
        (AllocationKind.INITIATIVE, "B2B stories", D(-5000)),
    ]
    # The objective spent 10,000 on 6 leads in the last 365 days: 5,000 less is 3 leads less.
    (effect,) = result.effects
    assert (effect.observed, effect.cost, effect.delta_results) == (D(6), D(10000), D(-3))
    assert effect.delta_value == D(-12000)  # 3 leads × 4,000
    assert result.delta_value == D(-12000)


def test_cutting_a_line_to_nothing_makes_its_objectives_lose_all_funding(
    world: World, small: Small
) -> None:
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="cut", line=small.paid, percent=D(100)
    )
    result = selectors.scenario_result(s, date(2026, 3, 31))
    assert all(m.lost_all for _k, m in result.losers) and len(result.losers) == 2


def test_a_move_larger_than_what_is_left_is_refused_next_to_the_amount(
    world: World, small: Small
) -> None:
    s = scenario(world)
    error = refused(
        "amount", services.scenario_change_add, actor=world.lead, scenario=s, kind="move",
        line=small.staff, to_line=small.paid, amount=D("20000.01"),
    )  # fmt: skip
    assert "more than the line has left" in error.message
    assert not s.changes.exists()


def test_a_change_the_later_ones_depend_on_cannot_be_removed(world: World, small: Small) -> None:
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="move", line=small.staff, to_line=small.paid,
        amount=D(20000),
    )  # fmt: skip
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="move", line=small.paid, to_line=small.staff,
        amount=D(55000),
    )  # fmt: skip
    first = s.changes.get(position=0)
    refused(None, services.scenario_change_remove, actor=world.lead, change=first)
    services.scenario_change_remove(actor=world.lead, change=s.changes.get(position=1))
    services.scenario_change_remove(actor=world.lead, change=first)
    assert not s.changes.exists()


def test_a_scenario_whose_lines_changed_since_says_so_and_shows_the_budget_unchanged(
    world: World, small: Small
) -> None:
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="move", line=small.staff, to_line=small.paid,
        amount=D(20000),
    )  # fmt: skip
    budget.line_save(
        actor=world.lead, workspace=world.workspace, line=small.staff, year=2026,
        category="staff", name="Social media lead", planned=D(10000),
    )  # fmt: skip
    result = selectors.scenario_result(
        selectors.get_scenario(world.workspace, s.uuid), date(2026, 3, 31)
    )
    assert "more than the line has left" in result.problem
    assert result.total.after == result.total.before


def test_a_scenario_needs_a_budget_for_its_year_and_keeps_its_year_once_it_has_changes(
    world: World, small: Small
) -> None:
    refused("year", services.scenario_save, actor=world.lead, workspace=world.workspace,
            name="Later", year=2031)  # fmt: skip
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="cut", line=small.paid, percent=D(5)
    )
    refused("year", services.scenario_save, actor=world.lead, workspace=world.workspace,
            scenario=s, name="Cut", year=2027)  # fmt: skip


def test_scenarios_compare_side_by_side(world: World, small: Small) -> None:
    a, b = scenario(world, "A"), scenario(world, "B")
    services.scenario_change_add(
        actor=world.lead, scenario=a, kind="cut", line=small.paid, percent=D(50)
    )
    services.scenario_change_add(
        actor=world.lead, scenario=b, kind="cut", line=small.staff, percent=D(50)
    )
    found = selectors.compare(world.workspace, [a, b], date(2026, 3, 31))
    assert dict(found.objectives)["Win B2B leads on social"] == [D(20000), D(40000)]
    assert dict(found.kpis)["Qualified leads"] == [D(-12), None]


def test_without_a_hard_value_for_the_kpis_metric_a_scenario_projects_results_but_no_money(
    world: World, small: Small
) -> None:
    lead_value = selectors.assumptions(world.workspace).get(name="Value of a lead")
    services.assumption_archive(actor=world.lead, assumption=lead_value)
    s = scenario(world)
    services.scenario_change_add(
        actor=world.lead, scenario=s, kind="cut", line=small.paid, percent=D(25)
    )
    result = selectors.scenario_result(s, date(2026, 3, 31))
    (effect,) = result.effects
    assert (effect.delta_results, effect.delta_value, result.delta_value) == (D(-6), None, None)
