"""Value pages: the value model, ROI and scenarios as a lead, an executive and a member without
the budget grant see them — figures on the small world of ``builders_value``, errors next to
their fields, downloads, and the pages in Swedish."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from converge.finance.models import Scenario, ScenarioChange, ValueAssumption
from converge.finance.value import services
from tests.conftest import World
from tests.finance.builders_value import Small, build_small

pytestmark = pytest.mark.django_db
BASE = "/w/acme/budget/"
Q1 = "from=2026-01-01&to=2026-03-31"


@pytest.fixture
def small(world: World) -> Small:
    return build_small(world)


def test_the_value_model_keeps_hard_and_soft_value_apart(
    world: World, small: Small, signed_in
) -> None:
    page = signed_in(world.lead).get(f"{BASE}value/").content.decode()
    hard, soft = page.split("Soft value: shown apart")
    assert "Value of a lead" in hard and "4,000.00 SEK" in hard and "Erik Executive" in hard
    assert "Earned media" in soft and "Earned media" not in hard


def test_a_lead_adds_an_assumption_and_a_clash_is_shown_next_to_the_metric(
    world: World, small: Small, signed_in
) -> None:
    client = signed_in(world.lead)
    form = {
        "name": "Value of a conversion", "kind": "conversion", "hardness": "revenue",
        "metric_key": "conversions", "unit_value": "350", "source": "Finance",
        "as_of": "2026-03-01", "owner": "",
    }  # fmt: skip
    response = client.post(f"{BASE}value/new/", form)
    assert response.status_code == 302
    assert ValueAssumption.objects.filter(name="Value of a conversion").exists()
    clash = client.post(f"{BASE}value/new/", {**form, "name": "Lead again", "metric_key": "leads"})
    page = clash.content.decode()
    assert clash.status_code == 200 and 'id="id_metric_key_errors"' in page
    assert "already has a hard value (Value of a lead)" in page


def test_the_roi_page_shows_the_figures_with_their_formula_and_drill_downs(
    world: World, small: Small, signed_in
) -> None:
    page = signed_in(world.executive).get(f"{BASE}roi/?{Q1}").content.decode()
    assert "12,000 SEK" in page and "24,000 SEK" in page and "100.0 %" in page
    assert "ROI = (hard value − cost) ÷ cost" in page
    assert "/measurement/metrics/leads/rows/?from=2026-01-01&amp;to=2026-03-31" in page
    assert (
        f"roi/cost/?{Q1.replace('&', '&amp;')}&amp;kind=channel&amp;target={small.linkedin.uuid}"
        in page
    )
    assert "New value assumption" not in page
    cost = signed_in(world.executive).get(
        f"{BASE}roi/cost/?{Q1}&kind=channel&target={small.linkedin.uuid}"
    )
    assert "7,500.00 SEK" in cost.content.decode()


def test_the_roi_tables_download_as_csv(world: World, small: Small, signed_in) -> None:
    response = signed_in(world.lead).get(f"{BASE}roi/export.csv?{Q1}")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Dimension", "Name", "Cost", "Hard value", "ROI"]
    assert ["Channels", "LinkedIn Acme AB", "7500", "12000", "0.6"] in rows
    assert rows[-1] == ["Total", "", "12000", "24000", "1"]


def test_a_bad_period_is_shown_next_to_its_field(world: World, small: Small, signed_in) -> None:
    page = signed_in(world.lead).get(f"{BASE}roi/?from=2026-03-01&to=2026-01-01").content.decode()
    assert "The end comes before the start." in page


def test_a_member_without_the_grant_sees_none_of_it(world: World, small: Small, signed_in) -> None:
    client = signed_in(world.member)
    for url in ("value/", "roi/", "roi/cost/", "scenarios/", "scenarios/compare/"):
        response = client.get(BASE + url)
        assert response.status_code == 403, url
        assert "4,000" not in response.content.decode()


def test_a_lead_builds_a_scenario_through_the_pages(world: World, small: Small, signed_in) -> None:
    client = signed_in(world.lead)
    response = client.post(f"{BASE}scenarios/new/", {"name": "Halve paid", "year": "2026"})
    scenario = Scenario.objects.get(name="Halve paid")
    assert response.url == f"{BASE}scenarios/{scenario.uuid}/"
    url = f"{BASE}scenarios/{scenario.uuid}/"
    bad = client.post(f"{url}changes/", {"kind": "cut", "line": small.paid.pk, "percent": "150"})
    assert 'id="id_percent_errors"' in bad.content.decode()
    client.post(f"{url}changes/", {"kind": "cut", "line": small.paid.pk, "percent": "50"})
    page = client.get(url).content.decode()
    assert "Cut Paid social by 50 %" in page
    assert "−20,000 SEK" in page or "-20,000 SEK" in page
    assert "Who loses funding" in page and "Win B2B leads on social" in page
    client.post(f"{url}changes/0/remove/")
    assert not ScenarioChange.objects.filter(scenario=scenario).exists()
    client.post(f"{url}delete/")
    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_scenarios_compare_side_by_side_on_a_page(world: World, small: Small, signed_in) -> None:
    ids = []
    for name, pct in (("A", "10"), ("B", "20")):
        s = services.scenario_save(
            actor=world.lead, workspace=world.workspace, name=name, year=2026
        )
        services.scenario_change_add(
            actor=world.lead, scenario=s, kind="cut", line=small.paid, percent=Decimal(pct)
        )
        ids.append(str(s.uuid))
    page = (
        signed_in(world.executive)
        .get(f"{BASE}scenarios/compare/?scenario={ids[0]}&scenario={ids[1]}")
        .content.decode()
    )
    assert "36,000 SEK" in page and "32,000 SEK" in page  # the objective's funding after each


def test_the_pages_speak_swedish(world: World, small: Small, signed_in) -> None:
    world.workspace.default_language = "sv"
    world.workspace.save()
    client = signed_in(world.lead)
    for url, words in (
        (f"roi/?{Q1}", "Avkastning på investeringen"),
        (f"roi/?{Q1}", "24\xa0000 SEK"),
        ("value/", "Värdemodell"),
        ("value/", "Mjukt värde"),
        ("scenarios/", "Scenarier"),
    ):
        page = client.get(BASE + url).content.decode()
        assert words in page or words.replace("\xa0", " ") in page, url
