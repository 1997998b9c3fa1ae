"""Strategy pages: leads edit, everyone reads, bad input shows beside its field, and the
alignment check's gaps appear and close as the strategy is filled in."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from converge.core.models import AuditEntry
from converge.strategy.models import BusinessGoal, Kpi, SocialObjective
from tests.conftest import World
from tests.strategy.builders import build_strategy

GOAL = {
    "title": "Grow online revenue",
    "business_metric": "Online revenue",
    "horizon": "2028-12-31",
    "priority": "1",
    "source": "Business plan 2027, p. 4",
}


def gap_rules(client) -> list[str]:
    page = client.get("/w/acme/strategy/")
    return [item["gap"].rule for item in page.context["gaps"]]


def test_a_lead_adds_a_goal_and_the_alignment_check_asks_for_an_objective(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post("/w/acme/strategy/goals/new/", GOAL)
    assert response.status_code == 302
    goal = BusinessGoal.objects.get()
    assert goal.source == "Business plan 2027, p. 4"
    assert "goal_without_objective" in gap_rules(client)
    assert AuditEntry.objects.filter(action="goal.create").exists()


def test_the_gaps_close_as_objective_and_kpi_are_added(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    client.post("/w/acme/strategy/goals/new/", GOAL)
    goal = BusinessGoal.objects.get()
    client.post(
        "/w/acme/strategy/objectives/new/",
        {
            "statement": "Double online sales from social",
            "goals": [goal.pk],
            "departments": [world.department.pk],
            "start": "2026-11-01",
            "end": "2027-12-31",
            "realism": "medium",
            "review_cadence": "quarterly",
        },
    )
    objective = SocialObjective.objects.get()
    rules = gap_rules(client)
    assert "goal_without_objective" not in rules
    assert "objective_without_kpi" in rules
    assert "department_not_served" not in rules
    client.post(
        "/w/acme/strategy/kpis/new/",
        {
            "objective": objective.pk,
            "name": "Revenue from social",
            "metric_key": "attributed_revenue",
            "direction": "increase",
            "baseline_value": "100000",
            "baseline_date": "2026-01-01",
            "target_value": "250000",
            "target_date": "2027-12-31",
            "review_cadence": "monthly",
            "amec_stage": "impact",
        },
    )
    assert Kpi.objects.count() == 1
    assert "objective_without_kpi" not in gap_rules(client)


def test_a_kpi_target_against_its_direction_is_refused_beside_the_target(
    world: World, signed_in
) -> None:
    build_strategy(world)
    objective = SocialObjective.objects.get()
    response = signed_in(world.lead).post(
        "/w/acme/strategy/kpis/new/",
        {
            "objective": objective.pk,
            "name": "Followers",
            "metric_key": "followers",
            "direction": "increase",
            "baseline_value": "5000",
            "baseline_date": "2026-01-01",
            "target_value": "4000",
            "target_date": "2027-01-01",
            "review_cadence": "monthly",
            "amec_stage": "output",
        },
    )
    assert response.status_code == 200
    assert "direction" in response.context["form"].errors["target_value"][0]
    assert Kpi.objects.count() == 1


def test_a_target_date_before_the_baseline_is_refused_beside_the_date(
    world: World, signed_in
) -> None:
    build_strategy(world)
    objective = SocialObjective.objects.get()
    response = signed_in(world.lead).post(
        "/w/acme/strategy/kpis/new/",
        {
            "objective": objective.pk,
            "name": "Leads",
            "metric_key": "leads",
            "direction": "increase",
            "baseline_value": "10",
            "baseline_date": "2027-01-01",
            "target_value": "20",
            "target_date": "2026-01-01",
            "review_cadence": "monthly",
            "amec_stage": "outcome",
        },
    )
    assert "after the baseline date" in response.context["form"].errors["target_date"][0]


def test_members_read_the_strategy_but_cannot_change_it(world: World, signed_in) -> None:
    params = build_strategy(world)
    client = signed_in(world.member)
    for path in [
        "",
        "goals/",
        "kpis/",
        "audiences/",
        "messages/",
        "roadmap/",
        "vision/",
        f"objectives/{params['objective']}/",
        f"kpis/{params['kpi']}/",
    ]:
        assert client.get(f"/w/acme/strategy/{path}").status_code == 200, path
    assert client.get("/w/acme/strategy/goals/new/").status_code == 403
    response = client.post(f"/w/acme/strategy/goal/{params['goal']}/archive/")
    assert response.status_code == 403
    assert BusinessGoal.objects.get().archived_at is None


def test_archiving_hides_a_goal_and_restoring_brings_it_back(world: World, signed_in) -> None:
    params = build_strategy(world)
    client = signed_in(world.lead)
    client.post(f"/w/acme/strategy/goal/{params['goal']}/archive/")
    assert BusinessGoal.objects.get().archived_at is not None
    assert not client.get("/w/acme/strategy/goals/").context["goals"]
    assert client.get("/w/acme/strategy/goals/?archived=1").context["goals"]
    client.post(f"/w/acme/strategy/goal/{params['goal']}/archive/", {"restore": "1"})
    assert BusinessGoal.objects.get().archived_at is None
    assert AuditEntry.objects.filter(action="goal.archive").exists()
    assert AuditEntry.objects.filter(action="goal.restore").exists()


def test_a_department_page_shows_the_objectives_that_serve_it(world: World, signed_in) -> None:
    build_strategy(world)
    page = signed_in(world.member).get("/w/acme/departments/customer-service/")
    body = page.content.decode()
    assert "Answer complaints on social within an hour" in body
    assert "Median first response time" in body


def test_the_message_matrix_shows_audiences_no_message_reaches(world: World, signed_in) -> None:
    build_strategy(world)
    client = signed_in(world.lead)
    client.post(
        "/w/acme/strategy/audiences/new/",
        {"name": "Journalists", "kind": "journalists", "priority": "2"},
    )
    page = client.get("/w/acme/strategy/messages/")
    assert [a.name for a in page.context["unreached"]] == ["Journalists"]
    assert "audience_without_message" in gap_rules(client)


@time_machine.travel(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), tick=False)
def test_a_complete_strategy_scores_100(world: World, signed_in) -> None:
    build_strategy(world)
    client = signed_in(world.lead)
    objective = SocialObjective.objects.get()
    client.post(
        f"/w/acme/strategy/objectives/{objective.uuid}/review/", {"reviewed_on": "2026-11-01"}
    )
    page = client.get("/w/acme/strategy/")
    assert page.context["gaps"] == [], [g["text"] for g in page.context["gaps"]]
    assert str(page.context["report"].score) == "100.0"


def test_the_strategy_on_a_page_renders_as_html_and_pdf(world: World, signed_in) -> None:
    build_strategy(world)
    client = signed_in(world.executive)
    page = client.get("/w/acme/strategy/on-a-page/")
    body = page.content.decode()
    assert "Cut the cost to serve" in body and "Outdoor families" in body and "<svg" in body
    pdf = client.get("/w/acme/strategy/on-a-page.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 5000


def test_a_lead_records_a_competitor_and_what_it_gained(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    client.post(
        "/w/acme/strategy/competitors/new/", {"name": "Rival Gear", "channels": ["instagram"]}
    )
    from converge.strategy.models import Competitor

    rival = Competitor.objects.get()
    response = client.post(
        "/w/acme/strategy/competitors/observations/new/",
        {
            "competitor": rival.pk,
            "observed_on": "2026-10-01",
            "kind": "press",
            "description": "Covered by 12 outdoor magazines.",
        },
    )
    assert response.status_code == 302
    client.post(
        "/w/acme/strategy/case-studies/new/",
        {
            "title": "Care on social",
            "summary": "A telecom moved cases to social.",
            "source": "Benchmark",
        },
    )
    page = signed_in(world.member).get("/w/acme/strategy/competitors/").content.decode()
    assert "Covered by 12 outdoor magazines." in page and "Care on social" in page


def test_the_strategy_is_exported_checked_and_imported_through_the_pages(
    world: World, signed_in
) -> None:
    build_strategy(world)
    client = signed_in(world.lead)
    exported = client.get("/w/acme/strategy/strategy.yaml")
    assert exported["Content-Type"].startswith("application/yaml")
    text = exported.content.decode()
    assert "converge_strategy: 1" in text and "Cut the cost to serve" in text
    changed = text.replace("Cut the cost to serve", "Cut the cost to serve by a fifth")
    preview = client.post("/w/acme/strategy/import/", {"text": changed})
    assert preview.context["result"].dry_run and preview.context["result"].changed
    assert not BusinessGoal.objects.filter(title="Cut the cost to serve by a fifth").exists()
    done = client.post("/w/acme/strategy/import/", {"text": changed, "confirm": "1"})
    assert done.status_code == 302
    assert BusinessGoal.objects.filter(title="Cut the cost to serve by a fifth").exists()


def test_a_broken_document_lists_each_problem_with_its_path_and_writes_nothing(
    world: World, signed_in
) -> None:
    build_strategy(world)
    client = signed_in(world.lead)
    text = client.get("/w/acme/strategy/strategy.yaml").content.decode()
    broken = text.replace("horizon: '2028-12-31'", "horizon: '2028-13-31'")
    before = AuditEntry.objects.count()
    page = client.post("/w/acme/strategy/import/", {"text": broken, "confirm": "1"})
    assert page.status_code == 200
    paths = [p["path"] for p in page.context["problems"]]
    assert paths == ["goals[0].horizon"]
    assert AuditEntry.objects.count() == before


def test_the_api_exports_and_imports_the_strategy_yaml(world: World) -> None:
    from django.test import Client

    from converge.core import services as core_services

    build_strategy(world)
    secret = core_services.api_token_create(
        actor=world.lead, workspace=world.workspace, name="t"
    ).secret
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    text = api.get("/api/v1/workspaces/acme/strategy/yaml").content.decode()
    assert text.startswith("converge_strategy: 1")
    same = api.post(
        "/api/v1/workspaces/acme/strategy/yaml",
        data={"yaml": text, "dry_run": True},
        content_type="application/json",
    )
    assert same.status_code == 200 and same.json()["changed"] is False
    bad = api.post(
        "/api/v1/workspaces/acme/strategy/yaml",
        data={"yaml": "converge_strategy: 99\n"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["details"]["problems"]


def test_an_archived_message_is_listed_apart_and_can_be_restored(world: World, signed_in) -> None:
    params = build_strategy(world)
    client = signed_in(world.lead)
    client.post(f"/w/acme/strategy/message/{params['message']}/archive/")
    page = client.get("/w/acme/strategy/messages/")
    assert not page.context["messages_list"]
    assert [m.title for m in page.context["archived_messages"]] == ["Gear that lasts"]
    client.post(f"/w/acme/strategy/message/{params['message']}/archive/", {"restore": "1"})
    assert [m.title for m in client.get("/w/acme/strategy/messages/").context["messages_list"]] == [
        "Gear that lasts"
    ]


def test_a_goal_keeps_its_source_document_for_readers_only(
    world: World, signed_in, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = signed_in(world.lead)
    wrong = client.post(
        "/w/acme/strategy/goals/new/",
        {**GOAL, "attachment": SimpleUploadedFile("plan.exe", b"MZ")},
    )
    assert "Attach a document" in wrong.context["form"].errors["attachment"][0]
    assert not BusinessGoal.objects.exists()
    client.post(
        "/w/acme/strategy/goals/new/",
        {**GOAL, "attachment": SimpleUploadedFile("business-plan-p4.pdf", b"%PDF-1.4 plan")},
    )
    goal = BusinessGoal.objects.get()
    response = signed_in(world.member).get(f"/w/acme/strategy/goals/{goal.uuid}/attachment/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 plan"
    outsider = signed_in(world.outsider).get(f"/w/acme/strategy/goals/{goal.uuid}/attachment/")
    assert outsider.status_code == 404
