"""The measurement API: channels, the catalogue, observations in bulk, and imports."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from converge.core import services as core_services
from converge.measurement.models import Observation
from tests.conftest import World

CSV = b"day,metric,channel,value\n2026-03-01,leads,,42\n2026-03-02,leads,,40\n"


def api(world: World, user=None) -> Client:  # type: ignore[no-untyped-def]
    secret = core_services.api_token_create(
        actor=user or world.lead, workspace=world.workspace, name="t"
    ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_channels_are_created_and_listed(world: World) -> None:
    client = api(world)
    created = client.post(
        "/api/v1/workspaces/acme/measurement/channels",
        data={"platform": "instagram", "handle": "@acme", "department": "customer-service"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    listed = client.get("/api/v1/workspaces/acme/measurement/channels").json()
    assert [(c["handle"], c["department"]) for c in listed] == [("@acme", "customer-service")]


def test_the_catalogue_lists_ratio_metrics_with_their_parts(world: World) -> None:
    metrics = api(world).get("/api/v1/workspaces/acme/measurement/metrics").json()
    rate = next(m for m in metrics if m["key"] == "engagement_rate_reach")
    assert (rate["aggregation"], rate["numerator"], rate["denominator"]) == (
        "ratio",
        "engagements",
        "reach",
    )


def test_figures_are_written_in_bulk_all_or_nothing_and_read_back(world: World) -> None:
    client = api(world)
    bad = client.post(
        "/api/v1/workspaces/acme/measurement/observations",
        data=[
            {"metric": "leads", "day": "2026-03-01", "value": "42"},
            {"metric": "happiness", "day": "2026-03-01", "value": "1"},
        ],
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["details"]["index"] == 1
    assert not Observation.objects.exists()
    ok = client.post(
        "/api/v1/workspaces/acme/measurement/observations",
        data=[{"metric": "leads", "day": "2026-03-01", "value": "42.5"}],
        content_type="application/json",
    )
    assert ok.json() == {"written": 1}
    rows = client.get("/api/v1/workspaces/acme/measurement/observations?metric=leads").json()
    assert [(r["day"], r["value"]) for r in rows] == [("2026-03-01", "42.5")]


def test_an_import_is_uploaded_checked_committed_and_rolled_back(world: World) -> None:
    client = api(world)
    uploaded = client.post(
        "/api/v1/workspaces/acme/measurement/imports",
        data={"file": SimpleUploadedFile("leads.csv", CSV)},
    )
    assert uploaded.status_code == 201, uploaded.content
    body = uploaded.json()
    assert (body["status"], body["new"], body["format"]) == ("previewed", 2, "generic_long_csv")
    committed = client.post(f"/api/v1/workspaces/acme/measurement/imports/{body['uuid']}/commit")
    assert committed.json()["status"] == "committed" and Observation.objects.count() == 2
    back = client.post(f"/api/v1/workspaces/acme/measurement/imports/{body['uuid']}/rollback")
    assert back.json()["status"] == "rolled_back" and not Observation.objects.exists()


def test_a_member_reads_but_cannot_import(world: World) -> None:
    client = api(world, world.member)
    assert client.get("/api/v1/workspaces/acme/measurement/imports").status_code == 200
    refused = client.post(
        "/api/v1/workspaces/acme/measurement/imports",
        data={"file": SimpleUploadedFile("leads.csv", CSV)},
    )
    assert refused.status_code == 403
