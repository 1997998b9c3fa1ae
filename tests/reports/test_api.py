"""The business case API: create and change, one case as JSON (the builder's document) and as
PDF and PPTX files — with a real token."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from pptx import Presentation

from converge.core import services as core_services
from converge.reports.models import BusinessCase
from tests.conftest import World

pytestmark = pytest.mark.django_db
URL = "/api/v1/workspaces/acme/reports/business-cases"


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_case_as_json_and_as_files(full_case: BusinessCase, world: World) -> None:
    client = client_for(world, world.executive)
    listed = client.get(URL).json()
    assert [c["title"] for c in listed] == ["Social business 2027–2029"]
    one = client.get(f"{URL}/{full_case.uuid}").json()
    assert one["case"]["cost_contingency"] == "20.00"
    assert one["document"]["figures"]["expected_value"] == "3582000.00"
    assert [s["key"] for s in one["document"]["sections"]][-1] == "reallocation"
    pdf = client.get(f"{URL}/{full_case.uuid}.pdf")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    pptx = client.get(f"{URL}/{full_case.uuid}.pptx")
    assert len(Presentation(io.BytesIO(pptx.content)).slides) == 10


def test_a_lead_creates_changes_and_deletes_a_case(world: World) -> None:
    lead = client_for(world, world.lead)
    created = lead.post(
        URL, {"title": "For the boss", "audience": "boss", "first_year": 2027},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert (
        created.json()["horizon_years"] == 3 and created.json()["schedule_contingency"] == "20.00"
    )
    changed = lead.put(
        f"{URL}/{uuid}", {"title": "For the boss", "language": "sv", "first_year": 2028},
        content_type="application/json",
    )  # fmt: skip
    assert changed.json()["language"] == "sv"
    bad = lead.put(
        f"{URL}/{uuid}", {"title": "X", "language": "fi", "first_year": 2028},
        content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400 and bad.json()["details"]["field"] == "language"
    assert lead.delete(f"{URL}/{uuid}").status_code == 204
    assert not BusinessCase.objects.exists()


def test_a_member_may_not_read_cases_and_an_executive_may_not_write(
    full_case: BusinessCase, world: World
) -> None:
    assert client_for(world, world.member).get(URL).status_code == 403
    executive = client_for(world, world.executive)
    response = executive.post(
        URL, {"title": "X", "first_year": 2027}, content_type="application/json"
    )
    assert response.status_code == 403
