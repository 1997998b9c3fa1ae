"""The whole strategy as one YAML document: it round-trips exactly, re-importing changes nothing,
an import makes the workspace equal to the document, and a bad document writes nothing at all
while saying precisely where each problem is."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
import yaml
from django.apps import apps

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry, Department, Membership, Role, Workspace
from converge.core.policy import NotPermitted
from converge.strategy import services
from converge.strategy.models import BusinessGoal, CaseStudy, Competitor, Kpi, KpiValue
from converge.strategy.yaml_io import strategy_export, strategy_import, strategy_validate
from tests.conftest import World, membership

OBJ_COMPLAINTS = "answer-complaints-on-social-within-an-hour"
OBJ_SALES = "lift-online-sales-from-social"


def build_rich_strategy(world: World) -> None:
    """Something of every kind in world.workspace, with the awkward cases a document must keep:
    several lines of text, numbers that look like other things, archived objects, titles that
    slug alike, exact decimals and unicode."""
    lead, ws, cs = world.lead, world.workspace, world.department
    marketing = Department.objects.create(
        workspace=ws, name="Marketing", slug="marketing", kind="marketing"
    )
    cost = services.goal_save(
        actor=lead,
        workspace=ws,
        title="Cut the cost to serve",
        business_metric="Cost per case",
        horizon=date(2028, 12, 31),
        priority=1,
        departments=[cs],
        description="Fewer calls.\nMore answers where people already are.",
        source="Business plan 2027, p. 4",
    )
    services.goal_save(
        actor=lead, workspace=ws, title="2027", business_metric="Yes", horizon=date(2027, 1, 1)
    )
    revenue = services.goal_save(
        actor=lead,
        workspace=ws,
        title="Grow online revenue",
        business_metric="Online revenue",
        horizon=date(2029, 6, 30),
        departments=[marketing, cs],
    )
    revenue_too = services.goal_save(
        actor=lead,
        workspace=ws,
        title="Grow online revenue!",
        business_metric="Basket size",
        horizon=date(2029, 6, 30),
        departments=[marketing],
    )
    old = services.goal_save(
        actor=lead,
        workspace=ws,
        title="Old goal",
        business_metric="Reach",
        priority=3,
        horizon=date(2025, 12, 31),
    )
    services.goal_archive(actor=lead, goal=old)

    complaints = services.objective_save(
        actor=lead,
        workspace=ws,
        statement="Answer complaints on social within an hour",
        goals=[cost],
        departments=[cs],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        realism="high",
        realism_rationale="The desk is staffed.",
        review_cadence="monthly",
    )
    sales = services.objective_save(
        actor=lead,
        workspace=ws,
        statement="Lift online sales from social",
        goals=[revenue, revenue_too],
        departments=[marketing],
        start=date(2026, 3, 1),
        end=date(2028, 2, 29),
    )
    retired = services.objective_save(
        actor=lead,
        workspace=ws,
        statement="Be on every platform",
        goals=[old],
        departments=[marketing],
        start=date(2024, 1, 1),
        end=date(2025, 1, 1),
    )
    services.objective_archive(actor=lead, objective=retired)
    services.objective_review(
        actor=lead, objective=complaints, reviewed_on=date(2025, 10, 1), note="On track."
    )
    services.objective_review(actor=lead, objective=complaints, reviewed_on=date(2025, 11, 3))
    services.tactic_save(
        actor=lead,
        objective=complaints,
        channel="facebook",
        activity="Staffed social care desk",
        frequency="Daily",
        people=2,
        hours_per_week=Decimal("40.5"),
    )
    services.tactic_save(
        actor=lead, objective=sales, channel="instagram", activity="Shoppable posts"
    )

    response = services.kpi_save(
        actor=lead,
        workspace=ws,
        objective=complaints,
        name="Median first response time",
        metric_key="median_first_response_time",
        direction="decrease",
        unit="min",
        baseline_value=Decimal("240"),
        baseline_date=date(2026, 1, 1),
        target_value=Decimal("12.5"),
        target_date=date(2027, 12, 31),
        owner=membership(world.member, ws),
        review_cadence="weekly",
        amec_stage="outtake",
    )
    services.kpi_value_set(
        actor=lead, kpi=response, day=date(2025, 9, 1), value=Decimal("180.2500"), note=" by hand"
    )
    services.kpi_value_set(
        actor=lead, kpi=response, day=date(2025, 10, 1), value=Decimal("-0.0001")
    )
    services.kpi_save(
        actor=lead,
        workspace=ws,
        objective=complaints,
        name="Share of positive mentions",
        metric_key="sentiment_share",
        direction="band",
        unit="%",
        baseline_value=Decimal("55"),
        baseline_date=date(2026, 1, 1),
        target_value=None,
        target_date=date(2027, 12, 31),
        band_low=Decimal("60"),
        band_high=Decimal("75.0001"),
    )
    dropped = services.kpi_save(
        actor=lead,
        workspace=ws,
        objective=sales,
        name="Social revenue",
        metric_key="revenue",
        direction="increase",
        baseline_value=Decimal("1000"),
        baseline_date=date(2026, 3, 1),
        target_value=Decimal("98765432.1234"),
        target_date=date(2028, 2, 1),
    )
    services.kpi_archive(actor=lead, kpi=dropped)

    families = services.audience_save(
        actor=lead,
        workspace=ws,
        name="Outdoor families",
        kind="customers",
        size=120000,
        priority=1,
        demographics="Parents 30–45\nSmåbarnsföräldrar i Norrland",
    )
    journalists = services.audience_save(
        actor=lead, workspace=ws, name="Journalists", kind="journalists"
    )
    services.presence_save(
        actor=lead,
        audience=families,
        platform="instagram",
        figure=Decimal("64"),
        unit="percent",
        source="Internetstiftelsen, Svenskarna och internet 2025",
        figure_date=date(2025, 10, 1),
        source_url="https://svenskarnaochinternet.se/",
    )
    services.presence_save(
        actor=lead,
        audience=families,
        platform="facebook",
        figure=Decimal("2100000"),
        unit="users",
        source="Meta ads manager",
        figure_date=date(2025, 9, 15),
    )
    services.message_save(
        actor=lead,
        workspace=ws,
        title="Gear that lasts",
        audiences=[families, journalists],
        channels=["instagram", "facebook"],
        tone="Warm",
        owner=membership(world.lead, ws),
        text="Repair, don't replace.\n\n“Köp bättre, köp mindre.”",
    )
    gone = services.message_save(
        actor=lead, workspace=ws, title="Summer sale", audiences=[families], channels=["tiktok"]
    )
    services.message_archive(actor=lead, message=gone)

    rival = services.competitor_save(
        actor=lead,
        workspace=ws,
        name="Rival Gear",
        channels=["youtube", "instagram"],
        website="https://rival.example/",
        notes="Strong on video.",
    )
    services.observation_add(
        actor=lead,
        competitor=rival,
        observed_on=date(2025, 5, 1),
        kind="press",
        description="Featured in Dagens Industri.",
        source_url="https://di.example/rival",
    )
    services.observation_add(
        actor=lead,
        competitor=rival,
        observed_on=date(2025, 6, 1),
        kind="speaking",
        description="Keynote at a trade fair.",
    )
    services.case_study_save(
        actor=lead,
        workspace=ws,
        title="Comcast Cares",
        summary="Customer care on X.",
        source="Safko, The Social Media Bible",
        figures="Response within 1 hour",
        source_url="https://example.org/comcast",
    )

    services.initiative_save(
        actor=lead,
        workspace=ws,
        title="Social care desk",
        start=date(2026, 1, 1),
        end=date(2029, 12, 31),
        goals=[cost],
        objectives=[complaints],
        department=cs,
        status="active",
        priority=1,
        estimated_cost=Decimal("125000.50"),
        maturity_stage=3,
        description="Two people, every weekday.",
    )
    services.initiative_save(
        actor=lead,
        workspace=ws,
        title="Social selling pilot",
        start=date(2026, 4, 1),
        end=date(2026, 4, 1),
        objectives=[sales],
    )
    services.vision_set(
        actor=lead,
        workspace=ws,
        statement="Social is how Acme listens.",
        value_employees="Pride",
        value_customers="Answers",
        value_shareholders="Loyalty",
        sponsor=membership(world.executive, ws),
        sponsor_route="champion",
        sponsor_since=date(2025, 3, 1),
    )


@pytest.fixture
def rich(world: World) -> World:
    build_rich_strategy(world)
    return world


@pytest.fixture
def twin(world: World) -> Workspace:
    """An empty workspace with the same department slugs and the same people."""
    workspace = Workspace.objects.create(name="Acme Twin", slug="acme-twin")
    for user, role in [
        (world.owner, Role.OWNER),
        (world.lead, Role.LEAD),
        (world.member, Role.MEMBER),
        (world.executive, Role.EXECUTIVE),
    ]:
        Membership.objects.create(workspace=workspace, user=user, role=role)
    for name, slug in [("Customer Service", "customer-service"), ("Marketing", "marketing")]:
        Department.objects.create(workspace=workspace, name=name, slug=slug, kind="other")
    return workspace


def rows() -> dict[str, int]:
    """How many rows every strategy model and the audit log hold, in every workspace."""
    counts = {m.__name__: m.objects.count() for m in apps.get_app_config("strategy").get_models()}
    counts["AuditEntry"] = AuditEntry.objects.count()
    return counts


def nothing_is_written(attempt: Callable[[], object], error: type[Exception]) -> Exception:
    before = rows()
    with pytest.raises(error) as caught:
        attempt()
    assert rows() == before
    return caught.value


def problems_of(error: Exception) -> list[tuple[str, str]]:
    assert isinstance(error, ConvergeError)
    assert error.status == 422
    return [(p["path"], p["message"]) for p in error.details["problems"]]


# --- Round trip and idempotence -----------------------------------------------------------


def test_a_strategy_exported_and_imported_into_an_empty_workspace_exports_identically(
    rich: World, twin: Workspace
) -> None:
    document = strategy_export(rich.workspace)

    result = strategy_import(actor=rich.lead, workspace=twin, text=document)

    assert strategy_export(twin) == document
    counts = result.counts
    assert (counts["goals"].created, counts["goals"].archived) == (5, 1)
    assert (counts["objectives"].created, counts["objectives"].archived) == (3, 1)
    assert (counts["kpis"].created, counts["kpis"].archived) == (3, 1)
    assert counts["kpi_values"].created == 2
    assert counts["reviews"].created == 2
    assert counts["evidence"].created == 2
    assert counts["observations"].created == 2
    assert counts["vision"].created == 1


def test_the_document_is_versioned_readable_and_exact(rich: World) -> None:
    document = strategy_export(rich.workspace)
    data = yaml.safe_load(document)

    assert document.startswith("converge_strategy: 1\n")
    assert [g["key"] for g in data["goals"]] == [
        "cut-the-cost-to-serve",
        "2027",
        "grow-online-revenue",
        "grow-online-revenue-2",
        "old-goal",
    ]
    assert data["goals"][-1]["archived"] is True
    assert data["goals"][1]["title"] == "2027"  # quoted, so it stays text
    complaints = next(o for o in data["objectives"] if o["key"] == OBJ_COMPLAINTS)
    response = complaints["kpis"][0]
    assert response["baseline"] == {"value": "240.0000", "date": "2026-01-01"}
    assert response["target"] == {"value": "12.5000", "date": "2027-12-31"}
    assert response["owner"] == "member@acme.example"
    assert response["values"][0] == {"day": "2025-09-01", "value": "180.2500", "note": " by hand"}
    assert data["vision"]["sponsor"] == "exec@acme.example"
    assert (
        "  description: |-\n    Fewer calls.\n    More answers where people already are.\n"
        in document
    )
    assert "Småbarnsföräldrar" in document


def test_importing_the_same_document_twice_changes_nothing_the_second_time(
    rich: World, twin: Workspace
) -> None:
    document = strategy_export(rich.workspace)
    strategy_import(actor=rich.lead, workspace=twin, text=document)
    audit_before = AuditEntry.objects.count()

    again = strategy_import(actor=rich.lead, workspace=twin, text=document)

    assert AuditEntry.objects.count() == audit_before
    assert not again.changed
    assert all(c.total == 0 for c in again.counts.values())


def test_importing_a_workspace_s_own_export_writes_nothing(rich: World) -> None:
    before = rows()

    result = strategy_import(
        actor=rich.lead, workspace=rich.workspace, text=strategy_export(rich.workspace)
    )

    assert not result.changed
    assert rows() == before


def test_an_empty_workspace_exports_a_document_that_imports_as_nothing(
    world: World, twin: Workspace
) -> None:
    document = strategy_export(world.workspace)
    assert yaml.safe_load(document)["vision"] is None

    result = strategy_import(actor=world.lead, workspace=twin, text=document)

    assert not result.changed
    assert strategy_export(twin) == document


# --- Making the workspace equal to the document -------------------------------------------


def test_an_import_creates_updates_restores_and_archives_but_never_deletes(rich: World) -> None:
    data = yaml.safe_load(strategy_export(rich.workspace))
    data["goals"] = [g for g in data["goals"] if g["title"] != "2027"]
    old = next(g for g in data["goals"] if g["title"] == "Old goal")
    old["archived"] = False
    complaints = next(o for o in data["objectives"] if o["key"] == OBJ_COMPLAINTS)
    complaints["kpis"][0]["target"]["value"] = "30"
    complaints["kpis"][0]["values"].append({"day": "2025-11-01", "value": "90", "note": ""})
    data["audiences"].append({"key": "hikers", "name": "Hikers", "kind": "customers"})
    data["competitors"] = []
    data["case_studies"] = []
    goals_before = BusinessGoal.objects.count()

    result = strategy_import(actor=rich.lead, workspace=rich.workspace, text=yaml.safe_dump(data))

    c = result.counts
    assert (c["goals"].archived, c["goals"].restored) == (1, 1)
    assert (c["kpis"].updated, c["kpi_values"].created, c["audiences"].created) == (1, 1, 1)
    assert (c["competitors"].archived, c["case_studies"].archived) == (1, 1)
    assert BusinessGoal.objects.count() == goals_before
    assert BusinessGoal.objects.get(title="2027").archived_at is not None
    assert BusinessGoal.objects.get(title="Old goal").archived_at is None
    assert Kpi.objects.get(name="Median first response time").target_value == Decimal("30")
    assert Competitor.objects.get().archived_at is not None
    assert CaseStudy.objects.get().archived_at is not None
    again = yaml.safe_load(strategy_export(rich.workspace))
    assert next(g for g in again["goals"] if g["title"] == "2027")["archived"] is True


def test_a_dry_run_counts_the_changes_and_writes_nothing(rich: World, twin: Workspace) -> None:
    document = strategy_export(rich.workspace)
    before = rows()

    result = strategy_import(actor=rich.lead, workspace=twin, text=document, dry_run=True)

    assert result.dry_run and result.counts["goals"].created == 5
    assert rows() == before


# --- Refusals -----------------------------------------------------------------------------


def test_a_member_who_may_not_edit_the_strategy_is_refused_and_nothing_is_written(
    rich: World, twin: Workspace
) -> None:
    document = strategy_export(rich.workspace)

    nothing_is_written(
        lambda: strategy_import(actor=rich.member, workspace=twin, text=document), NotPermitted
    )
    nothing_is_written(
        lambda: strategy_import(actor=rich.member, workspace=rich.workspace, text=document),
        NotPermitted,
    )


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            "converge_strategy: 2",
            "unknown version “2” of the strategy document; this Converge reads version 1",
        ),
        (
            "converge_strategy: '1'",
            "unknown version “1” of the strategy document; this Converge reads version 1",
        ),
        (
            "strategy: 1",
            "this is not a Converge strategy document: “converge_strategy: 1” is missing",
        ),
    ],
)
def test_a_document_of_an_unknown_version_is_refused_clearly(
    world: World, twin: Workspace, version: str, message: str
) -> None:
    text = f"{version}\ngoals: []\n"

    error = nothing_is_written(
        lambda: strategy_import(actor=world.lead, workspace=twin, text=text), ConvergeError
    )

    assert problems_of(error) == [("converge_strategy", message)]
    assert str(error) == message


Case = Callable[[dict[str, Any]], tuple[str, str]]


def _objective(doc: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
    return next((i, o) for i, o in enumerate(doc["objectives"]) if o["key"] == key)


def bad_target_date(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["target"]["date"] = "2027-13-01"
    return f"objectives[{i}].kpis[0].target.date", "not a date (“2027-13-01”)"


def bad_baseline_value(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][1]["baseline"]["value"] = "lots"
    return f"objectives[{i}].kpis[1].baseline.value", "not a number (“lots”)"


def too_precise_value(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["values"][1]["value"] = "1.23456"
    return f"objectives[{i}].kpis[0].values[1].value", "at most 4 decimal places (“1.23456”)"


def vision_as_a_list(doc: dict[str, Any]) -> tuple[str, str]:
    doc["vision"] = [doc["vision"]["statement"]]
    return "vision", "expected a mapping, found a list"


def goals_as_a_mapping(doc: dict[str, Any]) -> tuple[str, str]:
    doc["goals"] = {"cut": doc["goals"][0]}
    return "goals", "expected a list, found a mapping"


def title_as_a_number(doc: dict[str, Any]) -> tuple[str, str]:
    doc["goals"][0]["title"] = 12
    return "goals[0].title", "expected text, found a number"


def missing_business_metric(doc: dict[str, Any]) -> tuple[str, str]:
    del doc["goals"][2]["business_metric"]
    return "goals[2].business_metric", "this field is required"


def unknown_goal(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_SALES)
    o["goals"][1] = "no-such-goal"
    return f"objectives[{i}].goals[1]", "unknown goal “no-such-goal”"


def unknown_audience(doc: dict[str, Any]) -> tuple[str, str]:
    doc["messages"][0]["audiences"].append("astronauts")
    return "messages[0].audiences[2]", "unknown audience “astronauts”"


def unknown_department(doc: dict[str, Any]) -> tuple[str, str]:
    doc["goals"][0]["departments"] = ["legal"]
    return "goals[0].departments[0]", "unknown department “legal”"


def owner_from_another_workspace(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["owner"] = "outsider@rival.example"
    return (
        f"objectives[{i}].kpis[0].owner",
        "“outsider@rival.example” is not a member of this workspace",
    )


def unknown_sponsor(doc: dict[str, Any]) -> tuple[str, str]:
    doc["vision"]["sponsor"] = "nobody@example.org"
    return "vision.sponsor", "“nobody@example.org” is not a member of this workspace"


def duplicate_goal_title(doc: dict[str, Any]) -> tuple[str, str]:
    doc["goals"].append({**copy.deepcopy(doc["goals"][0]), "key": "cut-again"})
    return "goals[5].title", "“Cut the cost to serve” appears twice (also at goals[0].title)"


def duplicate_goal_key(doc: dict[str, Any]) -> tuple[str, str]:
    doc["goals"][1]["key"] = "cut-the-cost-to-serve"
    return "goals[1].key", "“cut-the-cost-to-serve” appears twice (also at goals[0].key)"


def duplicate_kpi_day(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["values"][1]["day"] = "2025-09-01"
    return (
        f"objectives[{i}].kpis[0].values[1].day",
        "“2025-09-01” appears twice (also at objectives[{i}].kpis[0].values[0].day)".replace(
            "{i}", str(i)
        ),
    )


def unknown_direction(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["direction"] = "sideways"
    return (
        f"objectives[{i}].kpis[0].direction",
        "unknown value “sideways”; expected one of: increase, decrease, band",
    )


def unknown_cadence(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_SALES)
    o["cadence"] = "daily"
    return (
        f"objectives[{i}].cadence",
        "unknown value “daily”; expected one of: weekly, monthly, quarterly, yearly",
    )


def unknown_platform(doc: dict[str, Any]) -> tuple[str, str]:
    doc["audiences"][0]["evidence"][0]["platform"] = "myspace"
    return (
        "audiences[0].evidence[0].platform",
        "unknown value “myspace”; expected one of: facebook, instagram, x, linkedin, youtube, tiktok, other",
    )


def unknown_channel(doc: dict[str, Any]) -> tuple[str, str]:
    doc["competitors"][0]["channels"] = ["youtube", "friendster"]
    return (
        "competitors[0].channels[1]",
        "unknown value “friendster”; expected one of: facebook, instagram, x, linkedin, youtube, tiktok, other",
    )


def unknown_field(doc: dict[str, Any]) -> tuple[str, str]:
    doc["case_studies"][0]["colour"] = "red"
    return (
        "case_studies[0].colour",
        "unknown field; expected one of: key, title, summary, figures, source, url, archived",
    )


def target_against_direction(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][0]["target"]["value"] = "300"  # a decrease from 240
    return (
        f"objectives[{i}].kpis[0].target.value",
        "The target must lie in the KPI's direction from the baseline.",
    )


def band_upside_down(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["kpis"][1]["band"] = {"low": "80", "high": "70"}
    return (
        f"objectives[{i}].kpis[1].band",
        "Enter a band whose lower bound is not above its upper bound.",
    )


def review_in_the_future(doc: dict[str, Any]) -> tuple[str, str]:
    i, o = _objective(doc, OBJ_COMPLAINTS)
    o["reviews"][0]["on"] = "2999-01-01"
    return f"objectives[{i}].reviews[0].on", "A review cannot be dated in the future."


def end_before_start(doc: dict[str, Any]) -> tuple[str, str]:
    doc["initiatives"][0]["end"] = "2025-12-31"
    return "initiatives[0].end", "The end must not come before the start."


def share_above_100(doc: dict[str, Any]) -> tuple[str, str]:
    doc["audiences"][0]["evidence"][1]["figure"] = "100.01"
    return "audiences[0].evidence[1].figure", "A share must lie between 0 and 100 percent."


def archived_not_a_flag(doc: dict[str, Any]) -> tuple[str, str]:
    doc["initiatives"][1]["archived"] = "no"
    return "initiatives[1].archived", "expected true or false, found “no”"


@pytest.mark.parametrize(
    "case",
    [
        bad_target_date,
        bad_baseline_value,
        too_precise_value,
        vision_as_a_list,
        goals_as_a_mapping,
        title_as_a_number,
        missing_business_metric,
        unknown_goal,
        unknown_audience,
        unknown_department,
        owner_from_another_workspace,
        unknown_sponsor,
        duplicate_goal_title,
        duplicate_goal_key,
        duplicate_kpi_day,
        unknown_direction,
        unknown_cadence,
        unknown_platform,
        unknown_channel,
        unknown_field,
        target_against_direction,
        band_upside_down,
        review_in_the_future,
        end_before_start,
        share_above_100,
        archived_not_a_flag,
    ],
)
def test_each_kind_of_bad_document_is_refused_with_the_path_of_the_problem_and_writes_nothing(
    rich: World, twin: Workspace, case: Case
) -> None:
    data = yaml.safe_load(strategy_export(rich.workspace))
    path, message = case(data)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)

    for target in (twin, rich.workspace):
        attempt = partial(strategy_import, actor=rich.lead, workspace=target, text=text)
        error = nothing_is_written(attempt, ConvergeError)
        assert problems_of(error) == [(path, message)]
        assert str(error) == "The document has 1 problem; nothing was imported."


def test_every_problem_is_reported_at_once(rich: World, twin: Workspace) -> None:
    data = yaml.safe_load(strategy_export(rich.workspace))
    expected = [case(data) for case in (unknown_department, bad_target_date, unknown_platform)]

    error = nothing_is_written(
        lambda: strategy_import(actor=rich.lead, workspace=twin, text=yaml.safe_dump(data)),
        ConvergeError,
    )

    assert sorted(problems_of(error)) == sorted(expected)
    assert str(error) == "The document has 3 problems; nothing was imported."


def test_a_yaml_syntax_error_is_reported_with_its_line(world: World, twin: Workspace) -> None:
    text = "converge_strategy: 1\ngoals:\n- key: a\n  title: [unclosed\n"

    error = nothing_is_written(
        lambda: strategy_import(actor=world.lead, workspace=twin, text=text), ConvergeError
    )

    assert isinstance(error, ConvergeError)
    (problem,) = error.details["problems"]
    assert problem["line"] == 5
    assert problem["message"].startswith("YAML syntax error on line 5, column 1:")


def test_a_key_repeated_in_one_mapping_is_reported_with_its_line(
    world: World, twin: Workspace
) -> None:
    text = "converge_strategy: 1\ngoals: []\ngoals: []\n"

    error = nothing_is_written(
        lambda: strategy_import(actor=world.lead, workspace=twin, text=text), ConvergeError
    )

    assert isinstance(error, ConvergeError)
    (problem,) = error.details["problems"]
    assert problem["line"] == 3
    assert "the key “goals” appears twice in one mapping" in problem["message"]


def test_an_unquoted_impossible_date_is_a_problem_at_its_path_not_a_crash(
    rich: World, twin: Workspace
) -> None:
    document = strategy_export(rich.workspace)
    assert "  horizon: '2028-12-31'\n" in document
    text = document.replace("  horizon: '2028-12-31'\n", "  horizon: 2028-02-30\n", 1)

    error = nothing_is_written(
        lambda: strategy_import(actor=rich.lead, workspace=twin, text=text), ConvergeError
    )

    assert problems_of(error) == [("goals[0].horizon", "not a date (“2028-02-30”)")]


def test_an_empty_text_is_not_a_strategy_document(world: World, twin: Workspace) -> None:
    error = nothing_is_written(
        lambda: strategy_import(actor=world.lead, workspace=twin, text=""), ConvergeError
    )

    assert problems_of(error) == [("", "expected a strategy document (a mapping), found nothing")]


def test_a_rule_a_service_still_finds_broken_rolls_everything_back(
    rich: World, twin: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: object) -> None:
        raise ConvergeError("The vision is refused.", field="statement")

    monkeypatch.setattr(services, "vision_set", refuse)
    document = strategy_export(rich.workspace)

    error = nothing_is_written(
        lambda: strategy_import(actor=rich.lead, workspace=twin, text=document), ConvergeError
    )

    assert problems_of(error) == [("vision", "The vision is refused.")]
    assert not KpiValue.objects.filter(workspace=twin).exists()


def test_validation_is_pure_and_needs_no_database() -> None:
    data = {
        "converge_strategy": 1,
        "vision": None,
        "goals": [
            {
                "key": "g",
                "title": "Grow",
                "business_metric": "Revenue",
                "horizon": "2028-01-01",
                "departments": ["sales"],
            },
        ],
        "objectives": [],
        "audiences": [],
        "messages": [],
        "competitors": [],
        "case_studies": [],
        "initiatives": [],
    }

    known = strategy_validate(data, departments={"sales"}, people=set(), today=date(2026, 1, 1))
    unknown = strategy_validate(data, departments=set(), people=set(), today=date(2026, 1, 1))

    assert known.problems == [] and known.document is not None
    assert known.document.goals[0].horizon == date(2028, 1, 1)
    assert unknown.document is None
    assert [str(p) for p in unknown.problems] == [
        "goals[0].departments[0]: unknown department “sales”"
    ]


def test_a_missing_section_is_a_problem_rather_than_an_order_to_archive_everything() -> None:
    validation = strategy_validate(
        {"converge_strategy": 1, "goals": []}, departments=(), people=(), today=date(2026, 1, 1)
    )

    assert [p.path for p in validation.problems] == [
        "objectives",
        "audiences",
        "messages",
        "competitors",
        "case_studies",
        "initiatives",
    ]


def test_people_are_matched_by_e_mail_whatever_its_case(rich: World, twin: Workspace) -> None:
    data = yaml.safe_load(strategy_export(rich.workspace))
    data["vision"]["sponsor"] = "EXEC@Acme.Example"

    strategy_import(actor=rich.lead, workspace=twin, text=yaml.safe_dump(data))

    sponsor = Membership.objects.get(workspace=twin, user=rich.executive)
    assert twin.vision.sponsor == sponsor


def test_a_hand_written_document_may_use_plain_dates_and_plain_on_keys(
    world: World, twin: Workspace
) -> None:
    text = """\
converge_strategy: 1
vision:
goals:
- key: cost
  title: Cut the cost to serve
  business_metric: Cost per case
  horizon: 2028-12-31
  departments: [customer-service]
objectives:
- key: fast
  statement: Answer within an hour
  goals: [cost]
  departments: [customer-service]
  start: 2026-01-01
  end: 2027-12-31
  reviews:
  - on: 2025-10-01
    note: On track.
audiences: []
messages: []
competitors: []
case_studies: []
initiatives: []
"""

    result = strategy_import(actor=world.lead, workspace=twin, text=text)

    assert (result.counts["objectives"].created, result.counts["reviews"].created) == (1, 1)
    data = yaml.safe_load(strategy_export(twin))
    assert data["objectives"][0]["reviews"] == [{"on": "2025-10-01", "note": "On track."}]
