"""The business case pages: the list (reports home), the form with errors beside the fields,
the case as a page in a fixed number of queries, its downloads, deleting, and who may."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation

from converge.reports.models import BusinessCase
from tests.conftest import World
from tests.reports.builders import business_case

pytestmark = pytest.mark.django_db
URL = "/w/acme/reports/"


def test_a_lead_creates_a_business_case_and_finds_it_on_the_reports_home(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    form = client.get(f"{URL}cases/new/").content.decode()
    assert 'name="cost_contingency"' in form and 'value="20"' in form
    response = client.post(
        f"{URL}cases/new/",
        {
            "title": "Social business 2027–2029", "audience": "board", "language": "en",
            "first_year": "2027", "horizon_years": "3", "cost_contingency": "20",
            "schedule_contingency": "25", "summary": "Why", "ask": "What",
        },
    )  # fmt: skip
    case = BusinessCase.objects.get()
    assert response.status_code == 302 and response.url == f"{URL}cases/{case.uuid}/"
    assert case.created_by == world.lead and case.schedule_contingency == 25
    home = client.get(URL).content.decode()
    assert "Social business 2027–2029" in home and f"cases/{case.uuid}/case.pptx" in home


def test_the_form_shows_errors_beside_their_fields_and_saves_nothing(
    world: World, signed_in
) -> None:
    response = signed_in(world.lead).post(
        f"{URL}cases/new/",
        {"title": "", "audience": "board", "language": "en", "first_year": "2027",
         "horizon_years": "0", "cost_contingency": "-1", "schedule_contingency": "20"},
    )  # fmt: skip
    html = response.content.decode()
    for field in ("title", "horizon_years", "cost_contingency"):
        assert f'id="id_{field}_errors"' in html, field
    assert not BusinessCase.objects.exists()


def test_a_second_case_with_the_same_title_is_refused_beside_the_title(
    world: World, signed_in
) -> None:
    business_case(world)
    response = signed_in(world.lead).post(
        f"{URL}cases/new/",
        {"title": "Social business 2027–2029", "audience": "board", "language": "en",
         "first_year": "2027", "horizon_years": "3", "cost_contingency": "20",
         "schedule_contingency": "20"},
    )  # fmt: skip
    assert 'id="id_title_errors"' in response.content.decode()


def test_the_case_page_reads_in_a_fixed_number_of_queries(
    full_case: BusinessCase, world: World, signed_in, django_assert_max_num_queries
) -> None:
    client = signed_in(world.executive)
    with django_assert_max_num_queries(45):
        response = client.get(f"{URL}cases/{full_case.uuid}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Expected return" in html and "1,800,000 SEK" in html and "3,582,000 SEK" in html
    assert 'id="chart-budget-budget"' in html and "vega_bundle" not in html
    assert (
        "Download PowerPoint" in html
        and "Edit" not in html.split("<article")[0].split("Download PowerPoint")[1]
    )


def test_the_case_downloads_as_pdf_and_pptx(
    full_case: BusinessCase, world: World, signed_in
) -> None:
    client = signed_in(world.executive)
    pdf = client.get(f"{URL}cases/{full_case.uuid}/case.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:5] == b"%PDF-"
    assert 'filename="acme-social-business-2027-2029.pdf"' in pdf["Content-Disposition"]
    pptx = client.get(f"{URL}cases/{full_case.uuid}/case.pptx")
    assert len(Presentation(io.BytesIO(pptx.content)).slides) == 10


def test_editing_and_deleting_a_case(full_case: BusinessCase, world: World, signed_in) -> None:
    client = signed_in(world.lead)
    edit = f"{URL}cases/{full_case.uuid}/edit/"
    assert 'value="Social business 2027–2029"' in client.get(edit).content.decode()
    client.post(
        edit,
        {"title": "Case for the boss", "audience": "boss", "language": "sv", "first_year": "2027",
         "horizon_years": "2", "cost_contingency": "10", "schedule_contingency": "20"},
    )  # fmt: skip
    full_case.refresh_from_db()
    assert (full_case.title, full_case.language, full_case.last_year) == (
        "Case for the boss",
        "sv",
        2028,
    )
    assert client.post(f"{URL}cases/{full_case.uuid}/delete/").status_code == 302
    assert not BusinessCase.objects.exists()


def test_who_may_see_and_change_a_case(world: World, signed_in) -> None:
    case = business_case(world)
    assert signed_in(world.member).get(f"{URL}cases/{case.uuid}/").status_code == 403
    executive = signed_in(world.executive)
    assert executive.get(f"{URL}cases/{case.uuid}/").status_code == 200
    assert executive.get(f"{URL}cases/{case.uuid}/edit/").status_code == 403
    assert executive.post(f"{URL}cases/{case.uuid}/delete/").status_code == 403
    assert BusinessCase.objects.exists()


def test_the_main_navigation_links_to_the_reports_home(world: World, signed_in) -> None:
    html = signed_in(world.executive).get("/w/acme/").content.decode()
    assert 'href="/w/acme/reports/"' in html


def test_more_data_does_not_mean_more_queries(
    full_case: BusinessCase, world: World, signed_in
) -> None:
    from datetime import date
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from converge.finance.models import BudgetLine
    from converge.strategy.models import (
        Audience,
        Competitor,
        CompetitorObservation,
        Initiative,
        Kpi,
        PlatformPresence,
        SocialObjective,
    )  # fmt: skip

    client = signed_in(world.executive)
    url = f"{URL}cases/{full_case.uuid}/"
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    ws = world.workspace
    for i in range(4):
        o = SocialObjective.objects.create(
            workspace=ws, statement=f"O{i}", start=date(2027, 1, 1), end=date(2027, 12, 31)
        )
        Kpi.objects.create(
            workspace=ws,
            objective=o,
            name=f"K{i}",
            metric_key="leads",
            baseline_value=Decimal(1),
            target_value=Decimal(2),
        )
        a = Audience.objects.create(workspace=ws, name=f"A{i}", kind="customers")
        PlatformPresence.objects.create(
            workspace=ws,
            audience=a,
            platform="x",
            figure=Decimal(5),
            source="S",
            figure_date=date(2026, 1, 1),
        )
        c = Competitor.objects.create(workspace=ws, name=f"C{i}")
        CompetitorObservation.objects.create(
            workspace=ws, competitor=c, kind="press", observed_on=date(2026, 1, 1), description="D"
        )
        Initiative.objects.create(
            workspace=ws, title=f"I{i}", start=date(2027, 1, 1), end=date(2027, 6, 30)
        )
        BudgetLine.objects.create(
            workspace=ws, year=2028, category="staff", name=f"S{i}", planned=Decimal(1000)
        )
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after) == len(before)
