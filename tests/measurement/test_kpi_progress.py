"""KPI progress from the stored figures: scope by channel, ratio of sums from the database,
manual values kept when a KPI moves to a catalogue metric, constant queries, the KPI page, the
API, and annotations (pages, API, audit, tenancy)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from converge.core import services as core_services
from converge.core.models import AuditEntry
from converge.measurement import selectors
from converge.measurement import services as measurement
from converge.measurement.models import Annotation, Channel, Observation
from converge.strategy import services as strategy
from converge.strategy.models import Kpi, SocialObjective
from tests.conftest import World

AS_OF = date(2026, 3, 31)


def objective(world: World) -> SocialObjective:
    goal = strategy.goal_save(
        actor=world.lead,
        workspace=world.workspace,
        title="Grow online revenue",
        business_metric="Online revenue",
        horizon=date(2028, 12, 31),
    )
    return strategy.objective_save(
        actor=world.lead,
        workspace=world.workspace,
        statement="Drive revenue from social",
        goals=[goal],
        departments=[world.department],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )


def kpi(world: World, obj: SocialObjective, name: str, metric: str, **more: object) -> Kpi:
    values: dict[str, object] = {
        "direction": "increase",
        "baseline_value": D(100),
        "baseline_date": date(2026, 1, 1),
        "target_value": D(200),
        "target_date": date(2027, 1, 1),
        **more,
    }
    return strategy.kpi_save(
        actor=world.lead,
        workspace=world.workspace,
        objective=obj,
        name=name,
        metric_key=metric,
        **values,  # type: ignore[arg-type]
    )


def channels(world: World) -> tuple[Channel, Channel]:
    return (
        measurement.channel_save(
            actor=world.lead, workspace=world.workspace, platform="instagram", handle="@acme"
        ),
        measurement.channel_save(
            actor=world.lead, workspace=world.workspace, platform="linkedin", handle="Acme AB"
        ),
    )


def put(world: World, metric: str, channel: Channel | None, day: date, value: str) -> None:
    Observation.objects.create(
        workspace=world.workspace, channel=channel, metric=metric, day=day, value=D(value)
    )
    measurement.daily_totals_refresh(workspace=world.workspace, spans={metric: (day, day)})


def test_a_kpi_reads_its_channels_figures_over_its_window(world: World) -> None:
    insta, linked = channels(world)
    obj = objective(world)
    for i in range(40):
        day = AS_OF - timedelta(days=i)
        put(world, "link_clicks", insta, day, "3")
        put(world, "link_clicks", linked, day, "5")
    both = kpi(world, obj, "Clicks", "link_clicks")
    only = kpi(world, obj, "LinkedIn clicks", "link_clicks", channels=[linked], window="week")
    assert both.window == "month"  # the default for a sum
    found = selectors.kpi_progress(world.workspace, [both, only], AS_OF)
    assert found[both.pk].progress.current == D(30 * 8)
    assert found[only.pk].progress.current == D(7 * 5)
    assert found[only.pk].channels == frozenset({linked.pk})
    agg = found[only.pk].progress.aggregate
    assert agg is not None and (agg.count, agg.first_day, agg.last_day) == (
        7,
        AS_OF - timedelta(days=6),
        AS_OF,
    )


def test_channels_the_caller_has_read_already_give_the_same_progress_in_one_query_less(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    insta, linked = channels(world)
    obj = objective(world)
    for i in range(20):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "3")
        put(world, "link_clicks", linked, AS_OF - timedelta(days=i), "5")
    both = kpi(world, obj, "Clicks", "link_clicks")
    only = kpi(world, obj, "LinkedIn clicks", "link_clicks", channels=[linked], window="week")
    index = selectors.metric_index(world.workspace)
    read = selectors.kpi_progress(world.workspace, [both, only], AS_OF, index=index)
    known = {only.pk: {linked.pk}}
    with django_assert_num_queries(3):  # no channel lookup: the figures twice, the values
        given = selectors.kpi_progress(
            world.workspace, [both, only], AS_OF, index=index, known_channels=known
        )
    assert given == read
    assert given[only.pk].channels == frozenset({linked.pk}) and given[both.pk].channels is None


def test_values_the_caller_has_read_already_give_the_same_progress_without_reading_them(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    obj = objective(world)
    fairs = kpi(world, obj, "Leads from fairs", "leads_from_fairs")  # values by hand only
    visits = kpi(world, obj, "Visits", "visits_by_hand")
    for day, value in ((date(2026, 1, 1), D(100)), (date(2026, 3, 1), D(130))):
        strategy.kpi_value_set(actor=world.lead, kpi=fairs, day=day, value=value)
    strategy.kpi_value_set(actor=world.lead, kpi=visits, day=date(2026, 2, 1), value=D(7))
    # A value dated after the day asked about does not count, whoever read it.
    strategy.kpi_value_set(actor=world.lead, kpi=fairs, day=AS_OF + timedelta(days=3), value=D(1))
    index = selectors.metric_index(world.workspace)
    read = selectors.kpi_progress(world.workspace, [fairs, visits], AS_OF, index=index)
    entered = [(v.day, v.value) for v in fairs.values.order_by("-day")]  # newest first
    with django_assert_num_queries(2):  # the channels; the values of the KPI not given only
        given = selectors.kpi_progress(
            world.workspace, [fairs, visits], AS_OF, index=index, known_values={fairs.pk: entered}
        )
    assert given == read
    assert given[fairs.pk].progress.current == D(130)
    assert given[visits.pk].progress.current == D(7)


def test_the_engagement_rate_from_the_database_is_the_ratio_of_the_sums(world: World) -> None:
    insta, linked = channels(world)
    put(world, "engagements", insta, AS_OF, "10")
    put(world, "reach", insta, AS_OF, "100")
    put(world, "engagements", linked, AS_OF - timedelta(days=1), "90")
    put(world, "reach", linked, AS_OF - timedelta(days=1), "300")
    rate = kpi(world, objective(world), "Rate", "engagement_rate_reach", window="week")
    progress = selectors.kpi_progress(world.workspace, [rate], AS_OF)[rate.pk].progress
    assert progress.current == D(25)  # 100 ÷ 400, not (10 % + 30 %) ÷ 2


def test_a_kpi_keeps_its_manual_values_and_uses_them_until_there_are_figures(
    world: World,
) -> None:
    obj = objective(world)
    leads = kpi(world, obj, "Leads", "leads_from_fairs")  # not in the catalogue
    strategy.kpi_value_set(actor=world.lead, kpi=leads, day=date(2026, 3, 1), value=D(130))
    before = selectors.kpi_progress(world.workspace, [leads], AS_OF)[leads.pk]
    assert before.metric is None and before.progress.source == "manual"
    assert before.progress.current == D(130)

    # The KPI switches to the catalogue's metric; with no figures yet, the manual value counts.
    leads = kpi(world, obj, "Leads", "leads", window="month", kpi=leads)
    switched = selectors.kpi_progress(world.workspace, [leads], AS_OF)[leads.pk]
    assert switched.metric is not None and switched.progress.source == "manual"

    put(world, "leads", None, date(2026, 3, 20), "12")
    put(world, "leads", None, date(2026, 3, 25), "8")
    figures = selectors.kpi_progress(world.workspace, [leads], AS_OF)[leads.pk]
    assert figures.progress.source == "observations" and figures.progress.current == D(20)
    assert figures.progress.last_updated == date(2026, 3, 25)
    assert leads.values.count() == 1  # nothing lost


def test_the_number_of_queries_does_not_grow_with_the_number_of_kpis(world: World) -> None:
    insta, linked = channels(world)
    obj = objective(world)
    metrics = ["link_clicks", "engagement_rate_reach", "followers", "leads_by_hand"]
    for i in range(60):
        day = AS_OF - timedelta(days=i)
        for metric in ("link_clicks", "engagements", "reach", "followers"):
            put(world, metric, insta, day, str(10 + i))
            put(world, metric, linked, day, str(20 + i))
    kpis = [
        kpi(world, obj, f"KPI {i}", metrics[i % 4], channels=[insta] if i % 3 else [])
        for i in range(12)
    ]
    for by_hand in kpis[3::4]:
        strategy.kpi_value_set(actor=world.lead, kpi=by_hand, day=AS_OF, value=D(150))

    def queries(some: list[Kpi]) -> int:
        with CaptureQueriesContext(connection) as captured:
            found = selectors.kpi_progress(world.workspace, some, AS_OF)
        assert all(found[k.pk].progress.current is not None for k in some)
        return len(captured.captured_queries)

    # The index, the channels, the figures summed over every channel, the figures per channel,
    # the manual values: five, whether 3 KPIs or 12.
    assert queries(kpis[:3]) == queries(kpis) == 5


def test_the_kpi_page_shows_progress_the_formula_and_a_chart_with_annotations(
    world: World, signed_in
) -> None:
    insta, _linked = channels(world)
    for i in range(120):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), str(4 + i % 3))
    clicks = kpi(world, objective(world), "Clicks", "link_clicks")
    measurement.annotation_save(
        actor=world.lead,
        workspace=world.workspace,
        day=date(2026, 2, 10),
        title="Spring teaser",
        kind="campaign",
    )
    measurement.annotation_save(
        actor=world.lead,
        workspace=world.workspace,
        day=date(2026, 2, 12),
        title="Other channel's outage",
        kind="outage",
        channel=_linked,
    )
    clicks.channels.set([insta])
    client: Client = signed_in(world.member)

    with time_machine.travel(date(2026, 3, 31)):
        page = client.get(f"/w/acme/strategy/kpis/{clicks.uuid}/")
        listing = client.get("/w/acme/strategy/kpis/").content.decode()
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="' in html and "kpi-spec" in html
    assert "Spring teaser" in html and "Other channel" not in html
    assert "the sum of 30 daily figures" in html
    assert 'class="status ' in listing


def test_the_progress_api_gives_one_kpi_and_all(world: World) -> None:
    insta, _linked = channels(world)
    for i in range(30):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "5")
    clicks = kpi(world, objective(world), "Clicks", "link_clicks")
    secret = core_services.api_token_create(
        actor=world.member, workspace=world.workspace, name="t"
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    one = client.get(
        f"/api/v1/workspaces/acme/strategy/kpis/{clicks.uuid}/progress?as_of=2026-03-31"
    )
    assert one.status_code == 200, one.content
    data = one.json()
    assert (data["current"], data["source"], data["window"]) == ("150", "observations", "month")
    assert data["inputs"]["total"] == "150" and data["inputs"]["count"] == 30
    assert data["inputs"]["first_day"] == "2026-03-02" and data["percent_to_target"] == "50"
    assert data["status"] in {"on_track", "at_risk", "off_track"}
    every = client.get("/api/v1/workspaces/acme/strategy/progress?as_of=2026-03-31").json()
    assert [k["name"] for k in every] == ["Clicks"]


def test_annotations_are_added_edited_and_deleted_with_an_audit_trail(
    world: World, signed_in
) -> None:
    insta, _linked = channels(world)
    client: Client = signed_in(world.lead)
    url = "/w/acme/measurement/annotations/"
    bad = client.post(
        url, {"day": "2026-03-10", "end_day": "2026-03-01", "title": "X", "kind": "campaign"}
    )
    assert "must not come before" in bad.content.decode()
    added = client.post(
        url,
        {
            "day": "2026-03-10",
            "end_day": "2026-03-20",
            "title": "Spring",
            "kind": "campaign",
            "channel": insta.pk,
        },
    )
    assert added.status_code == 302
    note = Annotation.objects.get()
    assert (note.title, note.channel, note.end_day) == ("Spring", insta, date(2026, 3, 20))
    edit = client.post(
        f"{url}{note.uuid}/edit/", {"day": "2026-03-11", "title": "Spring sale", "kind": "campaign"}
    )
    assert edit.status_code == 302
    note.refresh_from_db()
    assert (note.title, note.day, note.channel) == ("Spring sale", date(2026, 3, 11), None)
    assert "Spring sale" in client.get(url).content.decode()
    assert client.post(f"{url}{note.uuid}/delete/").status_code == 302
    assert not Annotation.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="annotation").values_list("action", flat=True)
    )
    assert sorted(actions) == ["annotation.create", "annotation.delete", "annotation.update"]


def test_a_member_without_the_capability_cannot_add_annotations(world: World, signed_in) -> None:
    client: Client = signed_in(world.member)
    response = client.post(
        "/w/acme/measurement/annotations/", {"day": "2026-03-10", "title": "X", "kind": "other"}
    )
    assert response.status_code == 403 and not Annotation.objects.exists()


def test_annotations_in_a_date_range_and_through_the_api(world: World) -> None:
    insta, _linked = channels(world)
    for day, last, title in (
        (date(2026, 1, 5), None, "Before"),
        (date(2026, 2, 25), date(2026, 3, 5), "Spanning"),
        (date(2026, 3, 15), None, "Inside"),
    ):
        measurement.annotation_save(
            actor=world.lead, workspace=world.workspace, day=day, end_day=last, title=title
        )
    found = selectors.annotations_in(world.workspace, date(2026, 3, 1), date(2026, 3, 31))
    assert [a.title for a in found] == ["Spanning", "Inside"]

    secret = core_services.api_token_create(
        actor=world.lead, workspace=world.workspace, name="t"
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    base = "/api/v1/workspaces/acme/measurement/annotations"
    listed = client.get(f"{base}?start=2026-03-01&end=2026-03-31").json()
    assert [a["title"] for a in listed] == ["Spanning", "Inside"]
    created = client.post(
        base,
        data={"day": "2026-04-01", "title": "Outage", "kind": "outage", "channel": str(insta.uuid)},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    changed = client.patch(
        f"{base}/{uuid}", data={"title": "Site outage"}, content_type="application/json"
    ).json()
    assert (changed["title"], changed["kind"], changed["channel"]) == (
        "Site outage",
        "outage",
        str(insta.uuid),
    )
    assert client.delete(f"{base}/{uuid}").status_code == 204
    assert client.get(f"{base}/{uuid}").status_code == 404
    outsider = core_services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="o"
    ).secret
    first = Annotation.objects.first()
    assert first is not None
    rival = Client(HTTP_AUTHORIZATION=f"Bearer {outsider}")
    assert (
        rival.get(f"/api/v1/workspaces/rival/measurement/annotations/{first.uuid}").status_code
        == 404
    )


def test_the_strategy_document_carries_a_kpis_window_and_channels(world: World) -> None:
    import yaml

    from converge.core.errors import ConvergeError
    from converge.strategy.yaml_io import strategy_export, strategy_import

    insta, _linked = channels(world)
    clicks = kpi(world, objective(world), "Clicks", "link_clicks", window="week", channels=[insta])
    no_window = kpi(world, objective_of(clicks), "Leads", "leads")
    assert no_window.window == "month"
    document = strategy_export(world.workspace)
    data = yaml.safe_load(document)
    exported = {k["name"]: k for k in data["objectives"][0]["kpis"]}
    assert (exported["Clicks"]["window"], exported["Clicks"]["channels"]) == (
        "week",
        ["instagram:@acme"],
    )
    assert (
        strategy_import(actor=world.lead, workspace=world.workspace, text=document).changed is False
    )

    exported["Clicks"]["channels"] = []
    del exported["Leads"]["window"]
    result = strategy_import(actor=world.lead, workspace=world.workspace, text=yaml.safe_dump(data))
    assert result.counts["kpis"].updated == 1
    clicks.refresh_from_db()
    no_window.refresh_from_db()
    assert list(clicks.channels.all()) == [] and no_window.window == "month"

    exported["Clicks"]["channels"] = ["tiktok:@nobody"]
    try:
        strategy_import(actor=world.lead, workspace=world.workspace, text=yaml.safe_dump(data))
    except ConvergeError as exc:
        paths = [p["path"] for p in exc.details["problems"]]
        assert paths == ["objectives[0].kpis[0].channels[0]"]
    else:
        raise AssertionError("an unknown channel was accepted")


def objective_of(k: Kpi) -> SocialObjective:
    return k.objective


def test_the_kpis_current_value_links_to_the_rows_behind_it_which_add_up_to_it(
    world: World, signed_in
) -> None:
    import re
    from html import unescape

    insta, linked = channels(world)
    for i in range(40):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), str(4 + i % 3))
        put(world, "link_clicks", linked, AS_OF - timedelta(days=i), "100")
    clicks = kpi(world, objective(world), "Clicks", "link_clicks")
    clicks.channels.set([insta])
    client: Client = signed_in(world.member)
    with time_machine.travel(date(2026, 3, 31)):
        html = client.get(f"/w/acme/strategy/kpis/{clicks.uuid}/").content.decode()
        current = re.search(r'data-testid="current"><a href="([^"]+)"[^>]*>([^<]+)</a>', html)
        assert current is not None
        rows = client.get(unescape(current.group(1))).content.decode()
    expected = sum(4 + i % 3 for i in range(30))
    assert current.group(2).replace(",", "").replace("\u00a0", "") == str(expected)
    figure = re.search(r'data-testid="figure">([^<]+)<', rows)
    assert figure is not None
    assert figure.group(1).replace(",", "").replace("\u00a0", "").strip() == str(expected)
