"""The strategy API: goals, objectives, KPIs, audiences, messages and initiatives are read by
every member and written by those who may edit the strategy, through the same services as the
pages; references are checked before anything is written; the alignment check is served."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from converge.core import services as core_services
from converge.core.models import AuditEntry, Membership
from converge.strategy import services
from converge.strategy.models import (
    Audience,
    BusinessGoal,
    Initiative,
    Kpi,
    KpiValue,
    Message,
    PlatformPresence,
    SocialObjective,
)
from tests.conftest import World
from tests.strategy.builders import build_strategy

URL = "/api/v1/workspaces/acme/strategy"
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def token_for(world: World, user: Any, workspace: Any = None) -> Client:
    workspace = workspace or world.workspace
    return api(core_services.api_token_create(actor=user, workspace=workspace, name="t").secret)


@pytest.fixture
def lead_api(world: World) -> Client:
    return token_for(world, world.lead)


@pytest.fixture
def member_api(world: World) -> Client:
    return token_for(world, world.member)


@pytest.fixture
def strategy(world: World) -> dict[str, str]:
    """One of everything (see tests/strategy/builders.py), by the names used in the paths."""
    return build_strategy(world)


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def member_uuid(world: World, user: Any) -> str:
    return str(Membership.objects.get(user=user, workspace=world.workspace).uuid)


def a_goal(world: World, title: str = "Grow online revenue") -> BusinessGoal:
    return services.goal_save(
        actor=world.lead,
        workspace=world.workspace,
        title=title,
        business_metric="Online revenue",
        horizon=date(2028, 12, 31),
        departments=[world.department],
    )


def an_objective(world: World, goal: BusinessGoal) -> SocialObjective:
    return services.objective_save(
        actor=world.lead,
        workspace=world.workspace,
        statement="Double online sales from social",
        goals=[goal],
        departments=[world.department],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )


def written() -> int:
    """How many audited writes there have been."""
    return AuditEntry.objects.count()


# --- Round trips ----------------------------------------------------------------------------


def test_a_goal_is_created_read_listed_and_changed(world: World, lead_api: Client) -> None:
    created = send(
        lead_api,
        "post",
        "/goals",
        {
            "title": "Grow online revenue",
            "business_metric": "Online revenue",
            "horizon": "2028-12-31",
            "priority": 1,
            "departments": ["customer-service"],
            "source": "Business plan 2027, p. 4",
        },
    )
    assert created.status_code == 201, created.content
    goal = created.json()
    assert goal["departments"] == ["customer-service"] and goal["priority"] == 1
    assert lead_api.get(f"{URL}/goals/{goal['uuid']}").json() == goal
    assert [g["title"] for g in lead_api.get(f"{URL}/goals").json()] == ["Grow online revenue"]
    changed = send(lead_api, "patch", f"/goals/{goal['uuid']}", {"title": "Grow web revenue"})
    assert changed.status_code == 200 and changed.json()["title"] == "Grow web revenue"
    assert BusinessGoal.objects.get().title == "Grow web revenue"
    assert AuditEntry.objects.filter(action="goal.update", actor=world.lead).exists()


def test_an_objective_is_created_read_and_changed(world: World, lead_api: Client) -> None:
    goal = a_goal(world)
    created = send(
        lead_api,
        "post",
        "/objectives",
        {
            "statement": "Double online sales from social",
            "goals": [str(goal.uuid)],
            "departments": ["customer-service"],
            "start": "2026-01-01",
            "end": "2027-12-31",
            "realism": "high",
        },
    )
    assert created.status_code == 201, created.content
    objective = created.json()
    assert objective["goals"] == [str(goal.uuid)] and objective["realism"] == "high"
    assert objective["kpis"] == [] and objective["review_cadence"] == "quarterly"
    assert lead_api.get(f"{URL}/objectives/{objective['uuid']}").json() == objective
    changed = send(
        lead_api, "patch", f"/objectives/{objective['uuid']}", {"review_cadence": "monthly"}
    ).json()
    assert changed["review_cadence"] == "monthly" and changed["goals"] == [str(goal.uuid)]
    assert len(lead_api.get(f"{URL}/objectives").json()) == 1


def test_a_kpi_takes_decimals_as_strings_or_numbers_and_returns_exact_strings(
    world: World, lead_api: Client
) -> None:
    objective = an_objective(world, a_goal(world))
    created = send(
        lead_api,
        "post",
        "/kpis",
        {
            "objective": str(objective.uuid),
            "name": "Engagement rate",
            "metric_key": "engagement_rate",
            "unit": "%",
            "direction": "increase",
            "baseline": {"value": "0.1", "date": "2026-01-01"},
            "target": {"value": 2.25, "date": "2027-12-31"},
            "owner": member_uuid(world, world.member),
        },
    )
    assert created.status_code == 201, created.content
    kpi = created.json()
    assert kpi["baseline"] == {"value": "0.1", "date": "2026-01-01"}
    assert kpi["target"] == {"value": "2.25", "date": "2027-12-31"}
    assert kpi["band"] is None and kpi["owner"] == member_uuid(world, world.member)
    assert Kpi.objects.get().baseline_value == Decimal("0.1")
    assert lead_api.get(f"{URL}/kpis/{kpi['uuid']}").json() == kpi
    assert [k["name"] for k in lead_api.get(f"{URL}/kpis").json()] == ["Engagement rate"]


def test_a_kpi_figure_with_more_places_than_the_column_holds_is_refused(
    world: World, lead_api: Client
) -> None:
    objective = an_objective(world, a_goal(world))
    response = send(
        lead_api,
        "post",
        "/kpis",
        {
            "objective": str(objective.uuid),
            "name": "Engagement rate",
            "metric_key": "engagement_rate",
            "baseline": {"value": "0.12345", "date": "2026-01-01"},
            "target": {"value": "2", "date": "2027-12-31"},
        },
    )
    assert response.status_code == 422
    assert not Kpi.objects.exists()


def test_a_kpi_value_is_entered_and_read_back(strategy: dict[str, str], lead_api: Client) -> None:
    path = f"/kpis/{strategy['kpi']}/values"
    entered = send(lead_api, "post", path, {"day": "2025-06-30", "value": "212.5", "note": "Q2"})
    assert entered.status_code == 201, entered.content
    assert entered.json() == {"day": "2025-06-30", "value": "212.5", "note": "Q2"}
    corrected = send(lead_api, "post", path, {"day": "2025-06-30", "value": 210})
    assert corrected.json()["value"] == "210"
    assert lead_api.get(f"{URL}{path}").json() == [
        {"day": "2025-06-30", "value": "210", "note": ""}
    ]
    assert KpiValue.objects.get().value == Decimal("210")


def test_a_kpi_value_cannot_be_dated_in_the_future(
    strategy: dict[str, str], lead_api: Client
) -> None:
    response = send(
        lead_api, "post", f"/kpis/{strategy['kpi']}/values", {"day": "2999-01-01", "value": 1}
    )
    assert response.status_code == 400 and response.json()["details"] == {"field": "day"}
    assert not KpiValue.objects.exists()


def test_an_audience_is_created_and_shows_the_evidence_of_where_it_is(
    world: World, lead_api: Client
) -> None:
    created = send(
        lead_api,
        "post",
        "/audiences",
        {"name": "Outdoor families", "kind": "customers", "size": 120000, "priority": 1},
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["evidence"] == []
    evidence = send(
        lead_api,
        "put",
        f"/audiences/{uuid}/evidence/instagram",
        {
            "figure": "64.5",
            "unit": "percent",
            "source": "Svenskarna och internet 2025",
            "figure_date": "2025-10-01",
            "source_url": "https://svenskarnaochinternet.se/",
        },
    )
    assert evidence.status_code == 200, evidence.content
    audience = lead_api.get(f"{URL}/audiences/{uuid}").json()
    assert audience["evidence"] == [
        {
            "platform": "instagram",
            "figure": "64.5",
            "unit": "percent",
            "source": "Svenskarna och internet 2025",
            "source_url": "https://svenskarnaochinternet.se/",
            "figure_date": "2025-10-01",
        }
    ]
    changed = send(lead_api, "patch", f"/audiences/{uuid}", {"size": None}).json()
    assert changed["size"] is None and changed["name"] == "Outdoor families"
    assert lead_api.delete(f"{URL}/audiences/{uuid}/evidence/instagram").status_code == 204
    assert lead_api.get(f"{URL}/audiences/{uuid}").json()["evidence"] == []


def test_evidence_beyond_a_hundred_percent_is_refused(
    strategy: dict[str, str], lead_api: Client
) -> None:
    response = send(
        lead_api,
        "put",
        f"/audiences/{strategy['audience']}/evidence/tiktok",
        {"figure": 140, "unit": "percent", "source": "Survey", "figure_date": "2025-10-01"},
    )
    assert response.status_code == 400 and response.json()["details"] == {"field": "figure"}
    assert not PlatformPresence.objects.filter(platform="tiktok").exists()


def test_a_message_is_created_read_and_changed(world: World, lead_api: Client) -> None:
    audience = services.audience_save(
        actor=world.lead, workspace=world.workspace, name="Outdoor families", kind="customers"
    )
    created = send(
        lead_api,
        "post",
        "/messages",
        {
            "title": "Gear that lasts",
            "audiences": [str(audience.uuid)],
            "channels": ["instagram", "facebook"],
            "tone": "Warm",
            "owner": member_uuid(world, world.lead),
        },
    )
    assert created.status_code == 201, created.content
    message = created.json()
    assert message["channels"] == ["facebook", "instagram"]
    assert message["audiences"] == [str(audience.uuid)]
    assert lead_api.get(f"{URL}/messages/{message['uuid']}").json() == message
    changed = send(lead_api, "patch", f"/messages/{message['uuid']}", {"owner": None}).json()
    assert changed["owner"] is None and changed["tone"] == "Warm"


def test_an_initiative_is_created_read_and_changed(world: World, lead_api: Client) -> None:
    goal = a_goal(world)
    created = send(
        lead_api,
        "post",
        "/initiatives",
        {
            "title": "Social care desk",
            "start": "2026-01-01",
            "end": "2029-12-31",
            "goals": [str(goal.uuid)],
            "department": "customer-service",
            "estimated_cost": "125000.50",
            "maturity_stage": 3,
        },
    )
    assert created.status_code == 201, created.content
    initiative = created.json()
    assert initiative["estimated_cost"] == "125000.5" and initiative["maturity_stage"] == 3
    assert initiative["department"] == "customer-service" and initiative["status"] == "planned"
    assert lead_api.get(f"{URL}/initiatives/{initiative['uuid']}").json() == initiative
    changed = send(
        lead_api,
        "patch",
        f"/initiatives/{initiative['uuid']}",
        {"status": "active", "department": None},
    ).json()
    assert changed["status"] == "active" and changed["department"] is None
    assert changed["goals"] == [str(goal.uuid)] and changed["estimated_cost"] == "125000.5"


# --- Partial updates ------------------------------------------------------------------------


def test_a_partial_patch_keeps_every_field_it_does_not_name(world: World, lead_api: Client) -> None:
    goal = services.goal_save(
        actor=world.lead,
        workspace=world.workspace,
        title="Cut the cost to serve",
        business_metric="Cost per case",
        horizon=date(2028, 12, 31),
        priority=1,
        description="Fewer calls, more answers online.",
        departments=[world.department],
        source="Business plan 2027, p. 4",
    )
    before = lead_api.get(f"{URL}/goals/{goal.uuid}").json()
    after = send(lead_api, "patch", f"/goals/{goal.uuid}", {"description": "Shorter."}).json()
    assert after == {**before, "description": "Shorter."}


def test_a_kpi_patch_changes_only_the_part_of_the_target_it_names(
    strategy: dict[str, str], lead_api: Client
) -> None:
    before = lead_api.get(f"{URL}/kpis/{strategy['kpi']}").json()
    after = send(lead_api, "patch", f"/kpis/{strategy['kpi']}", {"target": {"value": "45"}})
    assert after.status_code == 200, after.content
    assert after.json() == {**before, "target": {"value": "45", "date": before["target"]["date"]}}


def test_a_patch_that_changes_nothing_writes_no_audit_entry(
    strategy: dict[str, str], lead_api: Client
) -> None:
    count = written()
    same = lead_api.get(f"{URL}/kpis/{strategy['kpi']}").json()
    response = send(
        lead_api,
        "patch",
        f"/kpis/{strategy['kpi']}",
        {"name": same["name"], "baseline": same["baseline"]},
    )
    assert response.status_code == 200
    assert written() == count


def test_an_objective_keeps_an_archived_goal_it_already_serves_when_changed(
    world: World, lead_api: Client
) -> None:
    goal = a_goal(world)
    objective = an_objective(world, goal)
    services.goal_archive(actor=world.lead, goal=goal)
    response = send(lead_api, "patch", f"/objectives/{objective.uuid}", {"realism": "low"})
    assert response.status_code == 200, response.content
    assert response.json()["goals"] == [str(goal.uuid)]


# --- Archiving ------------------------------------------------------------------------------

RESOURCES = ["goal", "objective", "kpi", "audience", "message", "initiative"]


@pytest.mark.parametrize("kind", RESOURCES)
def test_an_archived_item_leaves_the_default_list_and_appears_with_archived_true(
    kind: str, strategy: dict[str, str], lead_api: Client
) -> None:
    uuid = strategy[kind]
    archived = lead_api.post(f"{URL}/{kind}s/{uuid}/archive")
    assert archived.status_code == 200 and archived.json()["archived_at"], archived.content
    assert uuid not in [i["uuid"] for i in lead_api.get(f"{URL}/{kind}s").json()]
    assert uuid in [i["uuid"] for i in lead_api.get(f"{URL}/{kind}s?archived=true").json()]
    assert lead_api.get(f"{URL}/{kind}s/{uuid}").json()["archived_at"]
    restored = lead_api.post(f"{URL}/{kind}s/{uuid}/restore")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert uuid in [i["uuid"] for i in lead_api.get(f"{URL}/{kind}s").json()]


def test_archiving_what_is_already_archived_writes_nothing(
    strategy: dict[str, str], lead_api: Client
) -> None:
    lead_api.post(f"{URL}/goals/{strategy['goal']}/archive")
    count = written()
    assert lead_api.post(f"{URL}/goals/{strategy['goal']}/archive").status_code == 200
    assert written() == count


# --- Permissions and tenancy ----------------------------------------------------------------


@pytest.mark.parametrize("kind", RESOURCES)
def test_a_member_can_read_every_kind(
    kind: str, strategy: dict[str, str], member_api: Client
) -> None:
    assert member_api.get(f"{URL}/{kind}s").status_code == 200
    assert member_api.get(f"{URL}/{kind}s/{strategy[kind]}").json()["uuid"] == strategy[kind]


WRITES = [
    ("post", "/goals", {"title": "X", "business_metric": "Y", "horizon": "2028-01-01"}),
    ("patch", "/goals/{goal}", {"title": "Changed"}),
    ("post", "/goals/{goal}/archive", None),
    ("patch", "/objectives/{objective}", {"statement": "Changed"}),
    ("post", "/objectives/{objective}/archive", None),
    ("patch", "/kpis/{kpi}", {"name": "Changed"}),
    ("post", "/kpis/{kpi}/restore", None),
    ("post", "/kpis/{kpi}/values", {"day": "2025-06-30", "value": 1}),
    ("post", "/audiences", {"name": "Investors", "kind": "investors"}),
    (
        "put",
        "/audiences/{audience}/evidence/linkedin",
        {"figure": 10, "source": "Survey", "figure_date": "2025-10-01"},
    ),
    ("delete", "/audiences/{audience}/evidence/instagram", None),
    ("patch", "/messages/{message}", {"tone": "Cold"}),
    ("post", "/initiatives/{initiative}/archive", None),
]


@pytest.mark.parametrize(("method", "path", "data"), WRITES)
def test_a_member_gets_403_on_writes_and_nothing_is_written(
    method: str, path: str, data: Any, strategy: dict[str, str], member_api: Client
) -> None:
    count = written()
    response = send(member_api, method, path.format(**strategy), data)
    assert response.status_code == 403, response.content
    assert response.json()["details"] == {"action": "edit_strategy"}
    assert written() == count


def test_a_token_for_another_workspace_gets_404(world: World, strategy: dict[str, str]) -> None:
    outsider = token_for(world, world.outsider, world.other_workspace)
    assert outsider.get(f"{URL}/goals").status_code == 404
    assert outsider.get(f"{URL}/goals/{strategy['goal']}").status_code == 404
    assert outsider.get(f"{URL}/alignment").status_code == 404
    response = send(outsider, "patch", f"/goals/{strategy['goal']}", {"title": "Mine now"})
    assert response.status_code == 404
    # Through its own workspace's path, the other workspace's goal does not exist either.
    rival = f"/api/v1/workspaces/rival/strategy/goals/{strategy['goal']}"
    assert outsider.get(rival).status_code == 404
    assert BusinessGoal.objects.get().title == "Cut the cost to serve"


def test_an_unknown_item_gets_404(strategy: dict[str, str], lead_api: Client) -> None:
    assert lead_api.get(f"{URL}/kpis/{UNKNOWN}").status_code == 404
    assert lead_api.post(f"{URL}/messages/{UNKNOWN}/archive").status_code == 404


# --- Bad input ------------------------------------------------------------------------------


def test_a_kpi_whose_target_is_not_in_its_direction_gets_400_beside_the_target(
    world: World, lead_api: Client
) -> None:
    objective = an_objective(world, a_goal(world))
    response = send(
        lead_api,
        "post",
        "/kpis",
        {
            "objective": str(objective.uuid),
            "name": "Median first response time",
            "metric_key": "median_first_response_time",
            "direction": "decrease",
            "baseline": {"value": "60", "date": "2026-01-01"},
            "target": {"value": "240", "date": "2027-12-31"},
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "The target must lie in the KPI's direction from the baseline."
    assert body["details"]["field"] == "target.value"
    assert not Kpi.objects.exists()


def fill(value: Any, samples: dict[str, str]) -> Any:
    """``value`` with "{goal}", "{objective}", … replaced by the sample objects' ids."""
    if isinstance(value, str):
        return value.format(**samples)
    if isinstance(value, list):
        return [fill(v, samples) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, samples) for k, v in value.items()}
    return value


VALID: dict[str, dict[str, Any]] = {
    "/objectives": {"statement": "New", "start": "2026-01-01", "end": "2026-12-31"},
    "/kpis": {
        "name": "New",
        "metric_key": "leads",
        "baseline": {"value": 1, "date": "2026-01-01"},
        "target": {"value": 2, "date": "2026-12-31"},
    },
    "/messages": {"title": "New", "channels": ["instagram"]},
    "/initiatives": {"title": "New", "start": "2026-01-01", "end": "2026-12-31"},
}
UNKNOWN_REFERENCES = [
    # method, path, payload (beside VALID[path]), the field named, what is missing
    (
        "post",
        "/objectives",
        {"goals": [UNKNOWN], "departments": ["customer-service"]},
        "goals",
        UNKNOWN,
    ),
    (
        "post",
        "/objectives",
        {"goals": ["{goal}"], "departments": ["legal"]},
        "departments",
        "legal",
    ),
    ("post", "/kpis", {"objective": UNKNOWN}, "objective", UNKNOWN),
    ("post", "/kpis", {"objective": "{objective}", "owner": UNKNOWN}, "owner", UNKNOWN),
    ("post", "/messages", {"audiences": ["{audience}", UNKNOWN]}, "audiences", UNKNOWN),
    ("post", "/initiatives", {"objectives": [UNKNOWN]}, "objectives", UNKNOWN),
    ("post", "/initiatives", {"department": "legal"}, "department", "legal"),
    ("patch", "/objectives/{objective}", {"goals": [UNKNOWN]}, "goals", UNKNOWN),
    ("patch", "/messages/{message}", {"owner": UNKNOWN}, "owner", UNKNOWN),
]


@pytest.mark.parametrize(("method", "path", "data", "field", "missing"), UNKNOWN_REFERENCES)
def test_an_unknown_reference_gets_422_naming_it_and_nothing_is_written(
    method: str,
    path: str,
    data: dict[str, Any],
    field: str,
    missing: str,
    strategy: dict[str, str],
    lead_api: Client,
) -> None:
    count = written()
    payload = fill({**VALID.get(path, {}), **data}, strategy)
    response = send(lead_api, method, fill(path, strategy), payload)
    assert response.status_code == 422, response.content
    assert response.json()["details"] == {"field": field, "missing": [missing]}
    assert response.json()["message"]
    assert written() == count


def test_a_new_reference_to_an_archived_goal_is_unknown(world: World, lead_api: Client) -> None:
    goal = a_goal(world)
    services.goal_archive(actor=world.lead, goal=goal)
    response = send(
        lead_api,
        "post",
        "/objectives",
        {**VALID["/objectives"], "goals": [str(goal.uuid)], "departments": ["customer-service"]},
    )
    assert response.status_code == 422
    assert response.json()["details"] == {"field": "goals", "missing": [str(goal.uuid)]}
    assert not SocialObjective.objects.exists()


def test_a_rule_the_service_enforces_comes_back_as_400_with_its_field(
    world: World, lead_api: Client
) -> None:
    goal = a_goal(world)
    response = send(
        lead_api,
        "post",
        "/objectives",
        {
            "statement": "Backwards",
            "goals": [str(goal.uuid)],
            "departments": ["customer-service"],
            "start": "2027-01-01",
            "end": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "The end must come after the start.",
        "details": {"field": "end"},
    }
    empty = send(lead_api, "post", "/messages", {"title": "Nobody", "channels": ["x"]})
    assert empty.status_code == 400 and empty.json()["details"] == {"field": "audiences"}
    assert not Message.objects.exists() and not SocialObjective.objects.exists()


def test_a_duplicate_title_gets_409_and_nothing_is_written(world: World, lead_api: Client) -> None:
    a_goal(world, "Grow online revenue")
    response = send(
        lead_api,
        "post",
        "/goals",
        {"title": "Grow online revenue", "business_metric": "Revenue", "horizon": "2028-01-01"},
    )
    assert response.status_code == 409
    assert BusinessGoal.objects.count() == 1


def test_an_unknown_platform_or_kind_is_not_valid(
    strategy: dict[str, str], lead_api: Client
) -> None:
    evidence = send(
        lead_api,
        "put",
        f"/audiences/{strategy['audience']}/evidence/myspace",
        {"figure": 10, "source": "Survey", "figure_date": "2025-10-01"},
    )
    assert evidence.status_code == 422
    kind = send(lead_api, "post", "/audiences", {"name": "Aliens", "kind": "martians"})
    assert kind.status_code == 422 and kind.json()["message"] == "The request is not valid."
    assert Audience.objects.count() == 1 and Initiative.objects.count() == 1


# --- Alignment ------------------------------------------------------------------------------


def test_the_alignment_reports_a_goal_without_objective_until_one_is_created(
    world: World, lead_api: Client
) -> None:
    goal = a_goal(world)
    report = lead_api.get(f"{URL}/alignment").json()
    gap = {
        "rule": "goal_without_objective",
        "kind": "goal",
        "ref": str(goal.uuid),
        "label": "Grow online revenue",
        "detail": [],
    }
    assert gap in report["gaps"]
    assert report["passed"] < report["total"]
    assert report["score"] == str(
        (Decimal(report["passed"]) * 100 / report["total"]).quantize(Decimal("0.1"))
    )
    send(
        lead_api,
        "post",
        "/objectives",
        {**VALID["/objectives"], "goals": [str(goal.uuid)], "departments": ["customer-service"]},
    )
    after = lead_api.get(f"{URL}/alignment").json()
    assert gap not in after["gaps"]
    assert "goal_without_objective" not in [g["rule"] for g in after["gaps"]]


def test_an_empty_strategy_scores_zero(world: World, lead_api: Client) -> None:
    report = lead_api.get(f"{URL}/alignment").json()
    assert report["score"] == "0.0" and report["passed"] == 0
    assert [g["rule"] for g in report["gaps"]] == ["department_not_served", "roadmap_short"]


# --- The OpenAPI document -------------------------------------------------------------------


def resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Follow ``$ref`` ("#/components/schemas/Name") until a schema proper is reached."""
    while "$ref" in schema:
        node: Any = document
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def missing_required(value: Any, schema: dict[str, Any], document: dict[str, Any]) -> list[str]:
    """Paths of the properties the schema requires that ``value`` lacks, at any depth."""
    schema = resolve(schema, document)
    if "anyOf" in schema:
        if value is None:
            return []
        found = [missing_required(value, s, document) for s in schema["anyOf"]]
        return min(found, key=len)
    if schema.get("type") == "array" and isinstance(value, list):
        return [
            f"[{i}]{p}"
            for i, item in enumerate(value)
            for p in missing_required(item, schema["items"], document)
        ]
    if schema.get("type") == "object" and isinstance(value, dict):
        missing = [f".{name}" for name in schema.get("required", []) if name not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                missing += [f".{name}{p}" for p in missing_required(value[name], sub, document)]
        return missing
    return []


OPENAPI_CHECKED = [
    "/goals",
    "/goals/{goal}",
    "/objectives/{objective}",
    "/kpis",
    "/kpis/{kpi}",
    "/audiences/{audience}",
    "/messages",
    "/initiatives/{initiative}",
    "/alignment",
]


def test_responses_carry_every_property_the_openapi_document_requires(
    strategy: dict[str, str], lead_api: Client
) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for path in OPENAPI_CHECKED:
        operation = document["paths"][f"/api/v1/workspaces/{{slug}}/strategy{path}"]["get"]
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        body = lead_api.get(f"{URL}{path.format(**strategy)}").json()
        assert body, path
        assert missing_required(body, schema, document) == [], path


def test_the_resolver_notices_a_missing_required_property(strategy: dict[str, str]) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schema = {"$ref": "#/components/schemas/AudienceOut"}
    audience = {"uuid": strategy["audience"], "name": "x", "evidence": [{"platform": "x"}]}
    missing = missing_required(audience, schema, document)
    assert ".kind" in missing and ".evidence[0].figure" in missing
