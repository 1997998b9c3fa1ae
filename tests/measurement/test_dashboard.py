"""The KPI dashboard: every KPI under the business goal its objective serves, with its status
and a sparkline, in a number of queries that does not grow with the number of KPIs."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from converge.measurement import selectors
from converge.measurement.charts import sparkline
from converge.strategy import services as strategy
from tests.conftest import World
from tests.measurement.test_kpi_progress import AS_OF, channels, kpi, objective, put


def test_a_sparkline_fills_its_box_and_draws_a_flat_series_in_the_middle() -> None:
    assert sparkline([D(1), D(3), D(2)], width=12, height=12) == "1.0,11.0 6.0,1.0 11.0,6.0"
    assert sparkline([D(5), D(5)], width=12, height=12) == "1.0,6.0 11.0,6.0"
    assert sparkline([D(5)]) == ""


def test_kpis_are_grouped_under_the_goal_their_objective_serves_with_status_and_line(
    world: World, signed_in
) -> None:
    insta, _linked = channels(world)
    for i in range(120):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), str(4 + i % 3))
    served = objective(world)
    clicks = kpi(world, served, "Clicks", "link_clicks", baseline_date=date(2026, 1, 1))
    loved = strategy.goal_save(
        actor=world.lead,
        workspace=world.workspace,
        title="Be the loved brand",
        business_metric="Brand preference",
        horizon=date(2028, 12, 31),
    )
    lonely = strategy.objective_save(
        actor=world.lead,
        workspace=world.workspace,
        statement="Be liked",
        goals=[loved],
        departments=[world.department],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )
    kpi(world, lonely, "Likes", "likes")
    client: Client = signed_in(world.member)
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get("/w/acme/measurement/dashboard/").content.decode()
    first, second = html.split('data-testid="goal"')[1:]  # goals in alphabetical order
    assert "Be the loved brand" in first and "Likes" in first and "Clicks" not in first
    assert 'data-status="no_data"' in first
    assert "Grow online revenue" in second and clicks.name in second and "<polyline" in second
    status = selectors.kpi_progress(world.workspace, [clicks], AS_OF)[clicks.pk].progress.status
    assert status in ("on_track", "at_risk", "off_track")
    assert f'data-status="{status}"' in second


def test_the_dashboard_needs_the_same_queries_for_three_kpis_as_for_twelve(
    world: World, signed_in
) -> None:
    insta, _linked = channels(world)
    for i in range(60):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "5")
    served = objective(world)
    client: Client = signed_in(world.member)

    def count() -> int:
        with time_machine.travel(date(2026, 3, 31)), CaptureQueriesContext(connection) as seen:
            assert client.get("/w/acme/measurement/dashboard/").status_code == 200
        return len(seen.captured_queries)

    for n in range(3):
        kpi(world, served, f"Clicks {n}", "link_clicks")
    count()  # the first request also fills per-process caches
    few = count()
    for n in range(3, 12):
        kpi(world, served, f"Clicks {n}", "link_clicks")
    assert count() == few


def test_a_departments_dashboard_shows_only_the_kpis_of_the_objectives_serving_it(
    world: World, signed_in
) -> None:
    from converge.core.models import Department

    legal = Department.objects.create(workspace=world.workspace, name="Legal", slug="legal")
    served = objective(world)  # serves world.department
    kpi(world, served, "Clicks", "link_clicks")
    for_legal = strategy.objective_save(
        actor=world.lead,
        workspace=world.workspace,
        statement="Keep campaigns compliant",
        goals=list(served.goals.all()),
        departments=[legal],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )
    kpi(world, for_legal, "Campaigns reviewed", "posts")
    client: Client = signed_in(world.member)
    slug = world.department.slug
    with time_machine.travel(date(2026, 3, 31)):
        theirs = client.get(f"/w/acme/measurement/dashboard/?department={slug}").content.decode()
        legals = client.get("/w/acme/measurement/dashboard/?department=legal").content.decode()
        missing = client.get("/w/acme/measurement/dashboard/?department=nobody")
    assert "Clicks" in theirs and "Campaigns reviewed" not in theirs
    assert "Campaigns reviewed" in legals and ">Clicks<" not in legals
    assert missing.status_code == 404


def test_a_departments_page_links_to_its_dashboard_once_an_objective_serves_it(
    world: World, signed_in
) -> None:
    client: Client = signed_in(world.member)
    page = f"/w/acme/departments/{world.department.slug}/"
    assert 'data-testid="department-dashboard"' not in client.get(page).content.decode()
    kpi(world, objective(world), "Clicks", "link_clicks")
    html = client.get(page).content.decode()
    assert f"/w/acme/measurement/dashboard/?department={world.department.slug}" in html


def test_the_dashboard_downloads_as_csv_and_xlsx_with_the_figures_of_the_page(
    world: World, signed_in
) -> None:
    import csv
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    insta, _linked = channels(world)
    for i in range(40):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "5")
    clicks = kpi(world, objective(world), "=Clicks", "link_clicks")
    client: Client = signed_in(world.member)
    with time_machine.travel(date(2026, 3, 31)):
        found = selectors.kpi_progress(world.workspace, [clicks], AS_OF)[clicks.pk].progress
        text = client.get("/w/acme/measurement/dashboard/export.csv").content.decode("utf-8-sig")
        xlsx = client.get("/w/acme/measurement/dashboard/export.xlsx").content
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][:2] == ["Grow online revenue", "'=Clicks"]  # formula-like text escaped
    assert D(rows[1][4]) == found.current == D(150)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    assert sheet.cell(2, 2).value == "'=Clicks" and sheet.cell(2, 5).value == 150


def test_a_channels_dashboard_shows_each_metric_in_both_periods_and_links_to_its_rows(
    world: World, signed_in
) -> None:
    import re
    from html import unescape

    insta, linked = channels(world)
    for i in range(60):
        day = AS_OF - timedelta(days=i)
        put(world, "engagements", insta, day, "10" if i < 30 else "20")
        put(world, "reach", insta, day, "100")
        put(world, "engagements", linked, day, "999")
    client: Client = signed_in(world.member)
    query = "from=2026-03-02&to=2026-03-31"
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get(f"/w/acme/measurement/channels/{insta.uuid}/?{query}").content.decode()
        rate = re.search(r'data-metric="engagement_rate_reach".*?</tr>', html, re.S)
        assert rate is not None
        cells = re.findall(r'<td class="num">(?:<a href="([^"]*)"[^>]*>)?([^<]+)', rate.group(0))
        engagements = re.search(
            r'data-metric="engagements".*?data-testid="after">([^<]+)', html, re.S
        )
        assert engagements is not None
        rows = client.get(unescape(cells[0][0])).content.decode()
    # 30 days × 10 ÷ (30 days × 100) = 10 %; before: 20 %; LinkedIn's 999s never count.
    assert [c[1].strip() for c in cells] == ["10.00%", "20.00%", "−10.00"]
    assert engagements.group(1).replace(",", "") == "300"
    assert 'data-testid="figure"' in rows


def test_the_dashboard_compares_each_kpi_with_its_value_at_the_end_of_the_period_before(
    world: World, signed_in
) -> None:
    insta, _linked = channels(world)
    for i in range(150):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), str(1 + i // 30))
    clicks = kpi(world, objective(world), "Clicks", "link_clicks")
    client: Client = signed_in(world.member)
    query = "from=2026-03-02&to=2026-03-31"  # compared with 2026-01-31…2026-03-01
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get(f"/w/acme/measurement/dashboard/?{query}").content.decode()
        csv_text = client.get(f"/w/acme/measurement/dashboard/export.csv?{query}").content
    now = selectors.kpi_progress(world.workspace, [clicks], AS_OF)[clicks.pk].progress.current
    then = selectors.kpi_progress(world.workspace, [clicks], date(2026, 3, 1))[clicks.pk]
    assert now is not None and then.progress.current is not None
    assert now < then.progress.current  # fewer clicks a day lately
    row = html.split('data-testid="current"')[1]
    before = row.split('data-testid="before">')[1].split("<")[0]
    change = row.split('data-testid="change">')[1].split("<")[0]
    assert D(before.replace(",", "")) == then.progress.current
    assert change == "−" + f"{then.progress.current - now:,.0f}"
    assert 'class="num change worse"' in row  # clicks should increase
    header, line = csv_text.decode("utf-8-sig").splitlines()[:2]
    assert "2026-03-01" in header
    assert D(line.split(",")[5]) == then.progress.current


def test_a_dashboard_value_links_to_the_rows_behind_it(world: World, signed_in) -> None:
    from html import unescape

    insta, _linked = channels(world)
    for i in range(40):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "5")
    kpi(world, objective(world), "Clicks", "link_clicks")
    client: Client = signed_in(world.member)
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get("/w/acme/measurement/dashboard/").content.decode()
        cell = html.split('data-testid="current">')[1].split("</td>")[0]
        link = unescape(cell.split('href="')[1].split('"')[0])
        rows = client.get(link).content.decode()
    shown = cell.split(">")[-2].split("<")[0]
    total = rows.split('data-testid="figure">')[1].split("<")[0]
    assert link.startswith("/w/acme/measurement/metrics/link_clicks/rows/?from=")
    assert shown == total == "150"  # the rows add up to the figure they explain


def test_a_channels_dashboard_downloads_as_csv_and_xlsx(world: World, signed_in) -> None:
    import csv
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    insta, _linked = channels(world)
    for i in range(60):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "2" if i < 30 else "1")
    client: Client = signed_in(world.member)
    url = f"/w/acme/measurement/channels/{insta.uuid}/export"
    query = "from=2026-03-02&to=2026-03-31"
    with time_machine.travel(date(2026, 3, 31)):
        text = client.get(f"{url}.csv?{query}").content.decode("utf-8-sig")
        xlsx = client.get(f"{url}.xlsx?{query}").content
        assert client.get(f"{url}.pdf?{query}").status_code == 404
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][3:] == ["2026-03-02…2026-03-31", "2026-01-31…2026-03-01", "Change"]
    assert rows[1][:2] == ["Link clicks", "link_clicks"]
    assert [D(v) for v in rows[1][3:]] == [D(60), D(30), D(30)]
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None and sheet.cell(2, 2).value == "link_clicks"


def test_a_kpis_page_compares_periods_over_its_own_channels_and_says_why(
    world: World, signed_in
) -> None:
    insta, linked = channels(world)
    for i in range(60):
        day = AS_OF - timedelta(days=i)
        put(world, "engagements", linked, day, "3" if i < 30 else "1")
        put(world, "reach", linked, day, "100")
        put(world, "engagements", insta, day, "50")  # not the KPI's channel: never counts
        put(world, "reach", insta, day, "100")
    rate = kpi(
        world,
        objective(world),
        "LinkedIn engagement",
        "engagement_rate_reach",
        channels=[linked],
        baseline_value=D(1),
        target_value=D(5),
    )
    client: Client = signed_in(world.member)
    query = "from=2026-03-02&to=2026-03-31"
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get(f"/w/acme/strategy/kpis/{rate.uuid}/?{query}").content.decode()
        bad = client.get(f"/w/acme/strategy/kpis/{rate.uuid}/?from=2026-03-31&to=2026-03-01")
    section = html.split('data-testid="period"')[1]
    after = section.split('data-testid="value-after">')[1].split("<")[0]
    before = section.split('data-testid="value-before">')[1].split("<")[0]
    # 30 × 3 ÷ 3,000 = 3 %; before, 30 × 1 ÷ 3,000 = 1 %: LinkedIn's own rate, not Instagram's.
    assert (after, before) == ("3.00%", "1.00%")
    assert "Engagement rate by reach rose by 2.00 points, from 1.00% to 3.00%." in section
    assert "Instagram" not in section.split('data-testid="channels"')[1].split("</table>")[0]
    assert 'data-testid="explore-why"' in section
    assert bad.status_code == 200
    assert "The end comes before the start." in bad.content.decode()


def test_a_kpis_comparison_table_downloads_with_its_channels_only(world: World, signed_in) -> None:
    import csv
    import io

    insta, linked = channels(world)
    for i in range(60):
        day = AS_OF - timedelta(days=i)
        put(world, "link_clicks", linked, day, "3" if i < 30 else "1")
        put(world, "link_clicks", insta, day, "50")
    clicks = kpi(world, objective(world), "LinkedIn clicks", "link_clicks", channels=[linked])
    client: Client = signed_in(world.member)
    url = f"/w/acme/strategy/kpis/{clicks.uuid}/comparison"
    query = "from=2026-03-02&to=2026-03-31"
    with time_machine.travel(date(2026, 3, 31)):
        page = client.get(f"/w/acme/strategy/kpis/{clicks.uuid}/?{query}").content.decode()
        text = client.get(f"{url}.csv?{query}").content.decode("utf-8-sig")
        assert client.get(f"{url}.xlsx?{query}")["Content-Type"].startswith("application/vnd")
        assert client.get(f"{url}.pdf?{query}").status_code == 404
    assert f"{url}.csv?from=2026-03-02&amp;to=2026-03-31" in page
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[:4] for r in rows[1:]] == [
        ["LinkedIn Acme AB", "30", "90", "60"],
        ["Total", "30", "90", "60"],
    ]  # Instagram is not the KPI's channel


def test_a_kpis_values_entered_by_hand_download_with_formula_like_notes_escaped(
    world: World, signed_in
) -> None:
    import csv
    import io

    likes = kpi(world, objective(world), "Likes by hand", "likes")
    strategy.kpi_value_set(
        actor=world.lead, kpi=likes, day=date(2026, 3, 1), value=D("12.5"), note="=SUM(A1)"
    )
    strategy.kpi_value_set(actor=world.lead, kpi=likes, day=date(2026, 3, 8), value=D(14))
    client: Client = signed_in(world.member)
    url = f"/w/acme/strategy/kpis/{likes.uuid}/values"
    page = client.get(f"/w/acme/strategy/kpis/{likes.uuid}/").content.decode()
    rows = list(csv.reader(io.StringIO(client.get(f"{url}.csv").content.decode("utf-8-sig"))))
    assert f"{url}.xlsx" in page
    assert rows[0] == ["Date", "Value", "Note", "Entered by"]
    assert [r[:3] for r in rows[1:]] == [
        ["2026-03-08", "14", ""],
        ["2026-03-01", "12.5", "'=SUM(A1)"],
    ]
    assert client.get(f"{url}.pdf").status_code == 404
