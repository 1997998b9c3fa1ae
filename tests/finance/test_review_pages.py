"""The review pages: ranked per unit with the proposal, the lead's review form, the forms'
errors beside their fields, downloads, and who may see what."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from converge.finance.models import CommActivity
from tests.conftest import World
from tests.finance.builders_review import build_activities

pytestmark = pytest.mark.django_db
URL = "/w/acme/budget/review/"


def test_the_page_ranks_activities_by_cost_per_result_within_each_unit(
    world: World, signed_in, django_assert_max_num_queries
) -> None:
    build_activities(world)
    client = signed_in(world.lead)
    with django_assert_max_num_queries(13):
        response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    order = [
        html.index(n)
        for n in ("Trade fair", "Organic social", "Newsletter", "Printed catalogue", "Posters")
    ]
    assert order == sorted(order)
    assert "Results in leads" in html and "Results in store visits" in html
    assert "No social activity produces this kind of result" in html
    assert "1,666.67" in html  # social's cost per lead: 100,000 / 60


def test_the_page_reads_in_the_same_number_of_queries_however_many_activities(
    world: World, signed_in, django_assert_max_num_queries
) -> None:
    build_activities(world)
    for i in range(20):
        CommActivity.objects.create(
            workspace=world.workspace, name=f"Flyer {i}", kind="print", year=2026,
            cost=Decimal(1000 + i), results=Decimal(1), result_unit="leads",
            department=world.department,
        )  # fmt: skip
    client = signed_in(world.lead)
    with django_assert_max_num_queries(13):
        assert client.get(URL).status_code == 200


def test_a_lead_reviews_the_suggestion_and_takes_it_into_the_business_case(
    world: World, signed_in
) -> None:
    items = build_activities(world)
    client = signed_in(world.lead)
    form = client.get(f"{URL}{items['newsletter'].uuid}/review/").content.decode()
    assert 'value="15000.00"' in form  # the suggestion: reduce, half of 30,000
    response = client.post(
        f"{URL}{items['newsletter'].uuid}/review/",
        {"proposal": "stop", "move_to_social": "30000", "in_business_case": "on"},
    )
    assert response.status_code == 302
    items["newsletter"].refresh_from_db()
    assert items["newsletter"].proposal == "stop" and items["newsletter"].in_business_case
    assert items["newsletter"].reviewed_by == world.lead


def test_a_review_that_moves_more_than_the_cost_is_shown_beside_the_amount(
    world: World, signed_in
) -> None:
    items = build_activities(world)
    response = signed_in(world.lead).post(
        f"{URL}{items['newsletter'].uuid}/review/",
        {"proposal": "stop", "move_to_social": "99999"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_move_to_social_errors"' in html and "more than the activity costs" in html


def test_adding_an_activity_with_errors_shows_them_and_saves_nothing(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post(
        f"{URL}new/",
        {
            "name": "Radio",
            "kind": "radio",
            "year": "2026",
            "cost": "-5",
            "results": "3",
            "result_unit": "",
        },
    )
    html = response.content.decode()
    assert 'id="id_cost_errors"' in html and 'id="id_result_unit_errors"' in html
    assert not CommActivity.objects.exists()
    response = client.post(
        f"{URL}new/",
        {"name": "Radio", "kind": "radio", "year": "2026", "cost": "5000", "results": "3",
         "result_unit": "leads", "department": world.department.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert CommActivity.objects.get().department == world.department


def test_editing_and_deleting_an_activity(world: World, signed_in) -> None:
    items = build_activities(world)
    client = signed_in(world.lead)
    url = f"{URL}{items['fair'].uuid}/"
    assert client.get(f"{url}edit/").status_code == 200
    client.post(
        f"{url}edit/",
        {
            "name": "Trade fair",
            "kind": "events",
            "year": "2026",
            "cost": "55000",
            "results": "50",
            "result_unit": "leads",
        },
    )
    items["fair"].refresh_from_db()
    assert items["fair"].cost == Decimal(55000)
    assert client.get(f"{url}delete/").status_code == 200
    assert client.post(f"{url}delete/").status_code == 302
    assert not CommActivity.objects.filter(pk=items["fair"].pk).exists()


def test_the_ranking_downloads_as_csv_and_xlsx(world: World, signed_in) -> None:
    build_activities(world)
    client = signed_in(world.executive)
    response = client.get(f"{URL}export.csv?year=2026")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][1] == "Activity" and len(rows) == 8
    assert rows[1][1] == "Trade fair" and rows[1][9] == "keep"
    xlsx = client.get(f"{URL}export.xlsx?year=2026")
    assert xlsx.content[:2] == b"PK"


def test_an_executive_sees_the_review_but_cannot_change_it(world: World, signed_in) -> None:
    items = build_activities(world)
    client = signed_in(world.executive)
    html = client.get(URL).content.decode()
    assert "Printed catalogue" in html and "New activity" not in html
    assert client.get(f"{URL}{items['catalogue'].uuid}/review/").status_code == 403


def test_a_member_without_the_budget_grant_does_not_see_money(world: World, signed_in) -> None:
    build_activities(world)
    response = signed_in(world.member).get(URL)
    assert response.status_code == 403
    assert "Printed catalogue" not in response.content.decode()
