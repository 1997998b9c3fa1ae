"""A workspace's own metrics beside the built-in catalogue, derived ones included: the
arithmetic of a derived metric, the rules for keys and references, the pages and the API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from converge.core import services as core_services
from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry
from converge.core.policy import NotPermitted
from converge.measurement import selectors, services
from converge.measurement.catalogue import BY_KEY, MetricDef, derived_value, reference_cycle
from converge.measurement.models import Observation, WorkspaceMetric
from tests.conftest import World

# --- the arithmetic of a derived metric ------------------------------------------------------

RATE = MetricDef("r", "Rate", "Takt", "percent", "ratio", "outcome", "", "", "a", "b", scale=100)
PER = MetricDef("p", "Per", "Per", "money", "ratio", "outcome", "", "", "a", "b")


def test_a_derived_value_is_the_ratio_of_the_two_sums_scaled_for_percent() -> None:
    # Two days: 10 of 200 and 30 of 200 → 40 of 400 = 10 %, not the mean of 5 % and 15 %.
    assert derived_value(RATE, Decimal(10) + Decimal(30), Decimal(200) + Decimal(200)) == 10
    assert derived_value(PER, Decimal("1000.50"), Decimal(3)) == Decimal("333.5")
    assert isinstance(derived_value(PER, Decimal(1), Decimal(3)), Decimal)


def test_a_derived_value_is_none_without_a_base() -> None:
    assert derived_value(RATE, Decimal(5), Decimal(0)) is None
    assert derived_value(RATE, Decimal(5), None) is None
    assert derived_value(RATE, None, Decimal(5)) is None


def test_a_derived_value_of_a_summed_metric_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a derived metric"):
        derived_value(BY_KEY["impressions"], Decimal(1), Decimal(2))


def test_a_chain_of_derivations_that_comes_back_is_found() -> None:
    index = {
        "b": MetricDef("b", "B", "B", "count", "ratio", "output", "", "", "c", "reach"),
        "c": MetricDef("c", "C", "C", "count", "ratio", "output", "", "", "a", "reach"),
        **BY_KEY,
    }
    assert reference_cycle(index, "a", "b", "reach") == ["a", "b", "c", "a"]
    assert reference_cycle(index, "a", "engagements", "reach") is None
    assert reference_cycle(index, "a", "a", "reach") == ["a", "a"]


# --- services ---------------------------------------------------------------------------------


def add(world: World, key: str, **values: Any) -> WorkspaceMetric:
    fields: dict[str, Any] = {
        "name_en": key.replace("_", " ").title(),
        "name_sv": key,
        "unit": "count",
        "aggregation": "sum",
        "amec": "outcome",
        **values,
    }
    return services.metric_create(actor=world.lead, workspace=world.workspace, key=key, **fields)


def test_a_lead_adds_a_metric_and_a_rate_derived_from_it(world: World) -> None:
    visits = add(world, "store_visits", name_sv="Butiksbesök", source="Kassasystemet")
    rate = add(
        world,
        "visit_rate",
        unit="percent",
        aggregation="ratio",
        numerator="store_visits",
        denominator="reach",
    )
    index = selectors.metric_index(world.workspace)
    assert index["store_visits"].name_sv == "Butiksbesök" and index["store_visits"].own
    assert (index["visit_rate"].numerator, index["visit_rate"].denominator) == (
        "store_visits",
        "reach",
    )
    assert index["visit_rate"].scale == 100
    assert derived_value(index["visit_rate"], Decimal(30), Decimal(1200)) == Decimal("2.5")
    assert index["impressions"] is BY_KEY["impressions"]
    entries = AuditEntry.objects.filter(action="metric.create").order_by("pk")
    assert [e.object_id for e in entries] == [str(visits.uuid), str(rate.uuid)]
    assert entries[0].changes["source"] == [None, "Kassasystemet"]


def test_the_index_is_one_query_and_belongs_to_the_workspace(world: World) -> None:
    add(world, "store_visits")
    with CaptureQueriesContext(connection) as queries:
        index = selectors.metric_index(world.workspace)
    assert len(queries) == 1 and "store_visits" in index
    assert "store_visits" not in selectors.metric_index(world.other_workspace)
    assert len(selectors.metric_index(world.other_workspace)) == len(BY_KEY)


@pytest.mark.parametrize(
    ("key", "values", "field", "message"),
    [
        ("Store Visits", {}, "key", "lower-case letters"),
        ("impressions", {}, "key", "built-in metric"),
        ("store_visits", {}, "key", "already has a metric"),
        ("rate", {"aggregation": "ratio", "denominator": "reach"}, "numerator", "needs a"),
        ("rate", {"aggregation": "ratio", "numerator": "rate", "denominator": "reach"}, "numerator", "from itself"),
        ("rate", {"aggregation": "ratio", "numerator": "walk_ins", "denominator": "reach"}, "numerator", "not a metric"),
        ("rate", {"unit": "furlongs"}, "unit", "unit"),
        ("rate", {"name_sv": " "}, "name_sv", "Swedish"),
    ],
)  # fmt: skip
def test_a_metric_with_a_broken_rule_is_refused_beside_its_field(
    world: World, key: str, values: dict[str, str], field: str, message: str
) -> None:
    add(world, "store_visits")
    with pytest.raises(ConvergeError, match=message) as caught:
        add(world, key, **values)
    assert caught.value.field == field
    assert WorkspaceMetric.objects.count() == 1


def test_metrics_cannot_be_derived_from_each_other_in_a_circle(world: World) -> None:
    add(world, "walk_ins")
    add(world, "a_rate", aggregation="ratio", numerator="walk_ins", denominator="reach")
    b_rate = add(world, "b_rate", aggregation="ratio", numerator="a_rate", denominator="reach")
    a_rate = WorkspaceMetric.objects.get(key="a_rate")
    with pytest.raises(ConvergeError, match="a_rate → b_rate → a_rate"):
        services.metric_update(
            actor=world.lead,
            metric=a_rate,
            name_en="A",
            name_sv="A",
            unit="count",
            aggregation="ratio",
            amec="outcome",
            numerator="b_rate",
            denominator="reach",
        )
    a_rate.refresh_from_db()
    assert a_rate.numerator == "walk_ins"
    assert b_rate.numerator == "a_rate"


def test_an_update_keeps_the_key_clears_ratio_parts_and_is_audited(world: World) -> None:
    rate = add(world, "rate", aggregation="ratio", numerator="leads", denominator="reach")
    services.metric_update(
        actor=world.lead,
        metric=rate,
        name_en="Leads per day",
        name_sv="Leads per dag",
        unit="count",
        aggregation="sum",
        amec="outcome",
        numerator="leads",
        denominator="reach",
    )
    rate.refresh_from_db()
    assert (rate.key, rate.aggregation, rate.numerator, rate.denominator) == ("rate", "sum", "", "")
    entry = AuditEntry.objects.get(action="metric.update")
    assert entry.changes["aggregation"] == ["ratio", "sum"]
    assert entry.changes["name_sv"] == ["rate", "Leads per dag"]


def test_a_metric_others_are_derived_from_cannot_be_archived(world: World) -> None:
    visits = add(world, "store_visits")
    rate = add(world, "rate", aggregation="ratio", numerator="store_visits", denominator="reach")
    with pytest.raises(ConvergeError, match="rate is derived from this metric"):
        services.metric_archive(actor=world.lead, metric=visits)
    services.metric_archive(actor=world.lead, metric=rate)
    services.metric_archive(actor=world.lead, metric=visits)
    index = selectors.metric_index(world.workspace)
    assert "store_visits" not in index and "rate" not in index
    with pytest.raises(ConvergeError, match="store_visits” is archived"):
        services.metric_archive(actor=world.lead, metric=rate, archived=False)
    services.metric_archive(actor=world.lead, metric=visits, archived=False)
    services.metric_archive(actor=world.lead, metric=rate, archived=False)
    assert {"store_visits", "rate"} <= selectors.metric_index(world.workspace).keys()
    assert AuditEntry.objects.filter(action="metric.archive").count() == 2
    assert AuditEntry.objects.filter(action="metric.restore").count() == 2


def test_a_member_cannot_add_a_metric(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.metric_create(
            actor=world.member,
            workspace=world.workspace,
            key="store_visits",
            name_en="Store visits",
            name_sv="Butiksbesök",
            unit="count",
            aggregation="sum",
            amec="outcome",
        )
    assert not WorkspaceMetric.objects.exists()


# --- figures: entered by hand and imported -----------------------------------------------------


def test_a_figure_can_be_entered_for_a_workspace_metric_but_not_an_archived_one(
    world: World,
) -> None:
    visits = add(world, "store_visits")
    row = services.observation_set(
        actor=world.lead,
        workspace=world.workspace,
        metric="store_visits",
        day=date(2026, 3, 1),
        value=Decimal(412),
    )
    assert row.metric == "store_visits" and row.value == 412
    services.metric_archive(actor=world.lead, metric=visits)
    with pytest.raises(ConvergeError, match="metric of the catalogue"):
        services.observation_set(
            actor=world.lead,
            workspace=world.workspace,
            metric="store_visits",
            day=date(2026, 3, 2),
            value=Decimal(1),
        )
    with pytest.raises(ConvergeError, match="metric of the catalogue"):
        services.observation_set(
            actor=world.outsider,
            workspace=world.other_workspace,
            metric="store_visits",
            day=date(2026, 3, 2),
            value=Decimal(1),
        )


def test_an_imported_file_may_carry_the_workspaces_own_metrics(
    world: World, settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    text = "day,metric,channel,value\n2026-03-01,store_visits,,412\n2026-03-01,leads,,7\n"
    record, _plan = services.import_check(
        actor=world.lead, workspace=world.workspace, data=text.encode(), filename="f.csv"
    )
    assert record.rejected == 1 and record.problems[0]["column"] == "metric"
    add(world, "store_visits")
    record, _plan = services.import_check(
        actor=world.lead, workspace=world.workspace, data=text.encode(), filename="f.csv"
    )
    assert (record.status, record.new) == ("previewed", 2)
    services.import_commit(actor=world.lead, record=record)
    assert Observation.objects.get(metric="store_visits").value == 412


def test_the_figures_page_offers_workspace_metrics_but_not_derived_ones(
    world: World, signed_in
) -> None:
    add(world, "store_visits", name_en="Store visits")
    add(world, "rate", aggregation="ratio", numerator="store_visits", denominator="reach")
    client = signed_in(world.lead)
    choices = dict(
        client.get("/w/acme/measurement/figures/").context["form"].fields["metric"].choices
    )
    assert choices["store_visits"] == "Store visits"
    assert "rate" not in choices and "ctr" not in choices
    response = client.post(
        "/w/acme/measurement/figures/",
        {"metric": "store_visits", "day": "2026-03-01", "value": "412"},
    )
    assert response.status_code == 302
    assert Observation.objects.get(metric="store_visits").value == 412


# --- pages ----------------------------------------------------------------------------------------

NEW = {
    "key": "store_visits",
    "name_en": "Store visits",
    "name_sv": "Butiksbesök",
    "unit": "count",
    "aggregation": "sum",
    "amec": "outcome",
    "numerator": "",
    "denominator": "",
    "definition": "People counted at the door.",
    "source": "Door counter",
}


def test_the_catalogue_page_lists_both_and_a_lead_adds_a_metric_there(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post("/w/acme/measurement/metrics/", NEW)
    assert response.status_code == 302
    response = client.post(
        "/w/acme/measurement/metrics/",
        {**NEW, "key": "visit_rate", "aggregation": "ratio", "numerator": "store_visits",
         "denominator": "store_visits", "unit": "percent"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get("/w/acme/measurement/metrics/")
    body = page.content.decode()
    assert "Butiksbesök" not in body and "Store visits" in body
    assert "<code>impressions</code>" in body and "<code>visit_rate</code>" in body
    assert [r["metric"].key for r in page.context["own"]] == ["store_visits", "visit_rate"]
    options = dict(page.context["form"].fields["numerator"].choices)
    assert options["store_visits"] == "Store visits (store_visits)" and "ctr" in options


def test_the_catalogue_page_shows_a_refused_key_beside_the_field(world: World, signed_in) -> None:
    response = signed_in(world.lead).post("/w/acme/measurement/metrics/", {**NEW, "key": "reach"})
    assert "built-in metric" in response.context["form"].errors["key"][0]
    assert not WorkspaceMetric.objects.exists()


def test_the_catalogue_page_is_in_swedish_for_a_swedish_reader(world: World, signed_in) -> None:
    add(world, "store_visits", name_en="Store visits", name_sv="Butiksbesök")
    client = signed_in(world.lead)
    client.post("/i18n/setlang/", {"language": "sv", "next": "/w/acme/"})
    body = client.get("/w/acme/measurement/metrics/").content.decode()
    assert "Butiksbesök" in body and "Arbetsytans egna mått" in body


def test_a_lead_edits_and_archives_a_metric_on_the_pages(world: World, signed_in) -> None:
    visits = add(world, "store_visits")
    client = signed_in(world.lead)
    url = f"/w/acme/measurement/metrics/{visits.uuid}/edit/"
    form = client.get(url).context["form"]
    assert "key" not in form.fields and form.initial["name_sv"] == "store_visits"
    response = client.post(url, {**NEW, "name_sv": "Besök i butik", "key": "ignored"})
    assert response.status_code == 302
    visits.refresh_from_db()
    assert (visits.key, visits.name_sv) == ("store_visits", "Besök i butik")
    client.post(f"/w/acme/measurement/metrics/{visits.uuid}/archive/")
    visits.refresh_from_db()
    assert visits.archived_at is not None
    client.post(f"/w/acme/measurement/metrics/{visits.uuid}/archive/", {"restore": "1"})
    visits.refresh_from_db()
    assert visits.archived_at is None


def test_a_member_reads_the_catalogue_but_cannot_add_or_edit(world: World, signed_in) -> None:
    visits = add(world, "store_visits")
    client = signed_in(world.member)
    page = client.get("/w/acme/measurement/metrics/")
    assert page.status_code == 200 and "Add a metric" not in page.content.decode()
    assert client.post("/w/acme/measurement/metrics/", NEW).status_code == 403
    assert client.get(f"/w/acme/measurement/metrics/{visits.uuid}/edit/").status_code == 403


def test_an_outsider_gets_404_for_a_workspace_metric(world: World, signed_in) -> None:
    visits = add(world, "store_visits")
    client = signed_in(world.outsider)
    assert client.get(f"/w/acme/measurement/metrics/{visits.uuid}/edit/").status_code == 404
    assert client.get(f"/w/rival/measurement/metrics/{visits.uuid}/edit/").status_code == 404
    assert client.post(f"/w/rival/measurement/metrics/{visits.uuid}/archive/").status_code == 404
    visits.refresh_from_db()
    assert visits.archived_at is None


# --- API -----------------------------------------------------------------------------------------


def api(world: World, user: Any = None, workspace: Any = None) -> Client:
    secret = core_services.api_token_create(
        actor=user or world.lead, workspace=workspace or world.workspace, name="t"
    ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


BASE = "/api/v1/workspaces/acme/measurement/metrics"
BODY = {k: v for k, v in NEW.items() if k != "amec"} | {"amec_stage": "outcome"}


def test_the_api_lists_adds_and_changes_workspace_metrics(world: World) -> None:
    client = api(world)
    created = client.post(BASE, BODY, content_type="application/json")
    assert created.status_code == 201 and created.json()["workspace_defined"] is True
    rate = {**BODY, "key": "visit_rate", "aggregation": "ratio", "unit": "percent",
            "numerator": "store_visits", "denominator": "reach"}  # fmt: skip
    assert client.post(BASE, rate, content_type="application/json").status_code == 201
    listed = {m["key"]: m for m in client.get(BASE).json()}
    assert len(listed) == len(BY_KEY) + 2
    assert listed["visit_rate"]["numerator"] == "store_visits"
    assert listed["impressions"]["workspace_defined"] is False
    changed = client.put(
        f"{BASE}/store_visits",
        {**BODY, "name_sv": "Besök i butik"},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["name_sv"] == "Besök i butik"
    refused = client.post(BASE, {**BODY, "key": "ctr"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["details"]["field"] == "key"
    assert (
        client.put(f"{BASE}/impressions", BODY, content_type="application/json").status_code == 404
    )


def test_the_api_keeps_members_and_outsiders_out(world: World) -> None:
    add(world, "store_visits")
    member = api(world, world.member)
    assert (
        member.post(BASE, {**BODY, "key": "x1"}, content_type="application/json").status_code == 403
    )
    outsider = api(world, world.outsider, world.other_workspace)
    assert outsider.get(BASE).status_code == 404
    assert (
        outsider.put(f"{BASE}/store_visits", BODY, content_type="application/json").status_code
        == 404
    )
    assert "store_visits" not in {
        m["key"]
        for m in api(world, world.outsider, world.other_workspace)
        .get("/api/v1/workspaces/rival/measurement/metrics")
        .json()
    }
