"""The metric explorer: a metric over a period against the one before, by channel and day by
day, why it changed, and a drill-down from every number to the rows behind it — here with
Instagram's real daily exports (Meta Business Suite: reach and interactions, 31 October to
31 December 2025) imported through the import services, so each row names its file and line."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import formats, translation
from hypothesis import given
from hypothesis import strategies as st

from converge.measurement import explorer, services
from converge.measurement.catalogue import BY_KEY
from converge.measurement.models import Channel, Observation, Post
from converge.measurement.selectors import Period
from tests.conftest import World

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
VINTAGE = DATA / "meta-business-suite-export" / "vsbperoto-restaurant-vintage"
pytestmark = pytest.mark.skipif(
    not VINTAGE.is_dir(), reason=f"the real export files are not present at {VINTAGE}"
)
DECEMBER = Period(date(2025, 12, 1), date(2025, 12, 31))
NOVEMBER = Period(date(2025, 10, 31), date(2025, 11, 30))  # the 31 days before December
QUERY = "from=2025-12-01&to=2025-12-31"
BASE = "/w/acme/measurement/metrics"


def daily(name: str) -> dict[date, tuple[int, Decimal]]:
    """day → (line, value) of a Meta daily chart export, read with the csv module."""
    raw = (VINTAGE / name).read_bytes()
    text = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8-sig")
    lines = text.splitlines()
    skip = 3 if lines[0].startswith("sep=") else 2
    delimiter = "," if skip == 3 else ";"
    out = {}
    for number, line in enumerate(lines[skip:], start=skip + 1):
        if line.strip():
            cells = next(csv.reader([line], delimiter=delimiter))
            out[date.fromisoformat(cells[0][:10])] = (number, Decimal(cells[1]))
    return out


def total(rows: dict[date, tuple[int, Decimal]], period: Period) -> Decimal:
    return sum((v for d, (_n, v) in rows.items() if period.start <= d <= period.end), Decimal(0))


@pytest.fixture
def instagram(world: World) -> Channel:
    channel = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="instagram", handle="@acme"
    )
    for name in ("IG_REACH.csv", "IG_INTERACTIONS.csv"):
        record, _plan = services.import_check(
            actor=world.lead,
            workspace=world.workspace,
            data=(VINTAGE / name).read_bytes(),
            filename=name,
            channel=channel,
        )
        services.import_commit(actor=world.lead, record=record)
    return channel


@pytest.fixture
def linkedin(world: World) -> Channel:
    """A second channel with generated figures: 2,000 reached and 100 engagements a day in
    November, 1,000 and 20 in December."""
    channel = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="linkedin", handle="Acme AB"
    )
    rows = []
    day = NOVEMBER.start
    while day <= DECEMBER.end:
        reach, engagements = (1000, 20) if day >= DECEMBER.start else (2000, 100)
        rows += [
            Observation(workspace=world.workspace, channel=channel, metric="reach", day=day, value=reach),
            Observation(workspace=world.workspace, channel=channel, metric="engagements", day=day, value=engagements),
        ]  # fmt: skip
        day += timedelta(days=1)
    Observation.objects.bulk_create(rows)
    services.daily_totals_refresh(workspace=world.workspace)
    return channel


def rate(engagements: Decimal, reach: Decimal) -> str:
    return f"{(engagements * 100 / reach).quantize(Decimal('0.01')):,}%"


def links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link to a drill-down on the page."""
    return [
        (unescape(href), re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a href="([^"]*/rows/\?[^"]*)"[^>]*>(.*?)</a>', html)
    ]


def shown(html: str, name: str) -> str:
    found = re.search(rf'data-testid="{name}"[^>]*>(.*?)</', html, re.S)
    assert found, name
    return unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def test_engagement_rate_is_the_ratio_of_the_sums_of_each_period(
    world: World, instagram: Channel, linkedin: Channel, signed_in
) -> None:
    reach, interactions = daily("IG_REACH.csv"), daily("IG_INTERACTIONS.csv")
    assert len(reach) == len(interactions) == 62
    after_n = total(interactions, DECEMBER) + 31 * 20
    after_d = total(reach, DECEMBER) + 31 * 1000
    before_n = total(interactions, NOVEMBER) + 31 * 100
    before_d = total(reach, NOVEMBER) + 31 * 2000
    page = signed_in(world.member).get(f"{BASE}/engagement_rate_reach/?{QUERY}")
    assert page.status_code == 200
    html = page.content.decode()
    assert shown(html, "value-after") == rate(after_n, after_d)
    assert shown(html, "value-before") == rate(before_n, before_d)
    # …and not the mean of the daily rates.
    daily_rates = [
        interactions[d][1] / reach[d][1] for d in reach if DECEMBER.start <= d and reach[d][1]
    ]
    assert rate(sum(daily_rates, Decimal(0)) / len(daily_rates), Decimal(1)) != shown(
        html, "value-after"
    )


def test_every_number_drills_down_to_rows_whose_totals_make_that_number(
    world: World, instagram: Channel, linkedin: Channel, signed_in
) -> None:
    client: Client = signed_in(world.member)
    html = client.get(f"{BASE}/engagement_rate_reach/?{QUERY}").content.decode()
    found = links(html)
    assert len(found) >= 3 + 2 * 6
    by_url: dict[str, set[str]] = {}
    for href, text in found:
        by_url.setdefault(href, set()).add(text)
    for href, texts in by_url.items():
        drill = client.get(href).content.decode()
        if "vs_from" in href and "channel=" in href:
            # A channel's part of a ratio's change: its rate and mix effects, their sum, its
            # share, and the weights they come from.
            parts = {
                shown(drill, name)
                for name in ("weights", "rate-effect", "mix-effect", "part-change", "part-share")
            }
            assert texts == parts, href
        elif "vs_from" in href:
            assert {shown(drill, "change")} == texts, href
        else:
            assert {shown(drill, "figure")} == texts, href
    drill = client.get(f"{BASE}/engagement_rate_reach/rows/?{QUERY}").content.decode()
    assert (
        "Σ engagements ÷ Σ reach × 100 over 2025-12-01…2025-12-31; channels: "
        "Instagram @acme, LinkedIn Acme AB." in unescape(drill)
    )


def test_the_parts_of_the_change_add_up_and_each_channels_rows_make_its_figure(
    world: World, instagram: Channel, linkedin: Channel
) -> None:
    metric = BY_KEY["engagement_rate_reach"]
    data = explorer.build(world.workspace, metric, DECEMBER, NOVEMBER)
    assert data.change is not None
    assert sum(c.rate_effect + c.mix_effect for c in data.why.channels) == data.change
    for row in data.channels:
        assert explorer.drill(world.workspace, metric, DECEMBER, row.ref.id).figure == row.after
        assert explorer.drill(world.workspace, metric, NOVEMBER, row.ref.id).figure == row.before
    assert explorer.drill(world.workspace, metric, DECEMBER).figure == data.after


def test_a_drill_down_names_the_file_and_line_of_each_imported_row(
    world: World, instagram: Channel, linkedin: Channel, signed_in
) -> None:
    reach = daily("IG_REACH.csv")
    line, value = reach[date(2025, 12, 31)]
    url = f"{BASE}/reach/rows/?{QUERY}&channel={instagram.uuid}"
    html = unescape(signed_in(world.member).get(url).content.decode())
    assert f"IG_REACH.csv</a>, line {line}" in html
    assert f"{value:,}" in html or f"{value}" in html
    assert "31 rows" in html
    generated = unescape(
        signed_in(world.member)
        .get(f"{BASE}/reach/rows/?{QUERY}&channel={linkedin.uuid}")
        .content.decode()
    )
    assert "entered by hand or generated" in generated


def test_the_downloaded_rows_add_up_to_the_totals_and_escape_formula_like_text(
    world: World, instagram: Channel, signed_in
) -> None:
    instagram.handle = "@acme"  # starts like a formula in a spreadsheet
    client: Client = signed_in(world.member)
    response = client.get(f"{BASE}/engagement_rate_reach/rows/export.csv?{QUERY}")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["Channel"] for r in rows} == {"'@acme"}
    sums: dict[str, Decimal] = {}
    for r in rows:
        sums[r["Metric key"]] = sums.get(r["Metric key"], Decimal(0)) + Decimal(r["Value"])
    assert sums == {
        "engagements": total(daily("IG_INTERACTIONS.csv"), DECEMBER),
        "reach": total(daily("IG_REACH.csv"), DECEMBER),
    }
    assert {r["Import file"] for r in rows} == {"IG_REACH.csv", "IG_INTERACTIONS.csv"}
    xlsx = client.get(f"{BASE}/engagement_rate_reach/export.xlsx?{QUERY}")
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[1][0] == "Instagram @acme"
    assert table[-1][0] == "Total"
    assert Decimal(str(table[-1][3])) == Decimal(str(table[1][3]))  # one channel: all of it


def test_a_period_ending_before_it_starts_is_shown_next_to_the_field(
    world: World, signed_in
) -> None:
    response = signed_in(world.member).get(f"{BASE}/reach/?from=2025-12-31&to=2025-12-01")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="id_to_errors"[^>]*><p>The end comes before the start\.', html)


def test_an_unknown_metric_or_another_workspaces_channel_is_not_found(
    world: World, signed_in
) -> None:
    other = Channel.objects.create(workspace=world.other_workspace, platform="x", handle="@rival")
    client: Client = signed_in(world.member)
    assert client.get(f"{BASE}/happiness/").status_code == 404
    assert client.get(f"{BASE}/reach/rows/?channel={other.uuid}").status_code == 404


def test_the_explorer_asks_the_same_few_queries_whatever_the_number_of_channels(
    world: World, signed_in
) -> None:
    client: Client = signed_in(world.member)

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(f"{BASE}/link_clicks/?{QUERY}").status_code == 200
        return len(seen)

    def add_channel(i: int) -> None:
        channel = Channel.objects.create(workspace=world.workspace, platform="x", handle=f"@c{i}")
        Observation.objects.bulk_create(
            Observation(workspace=world.workspace, channel=channel, metric="link_clicks", day=d, value=i)
            for d in (date(2025, 11, 15), date(2025, 12, 15))
        )  # fmt: skip
        services.daily_totals_refresh(workspace=world.workspace)
        Post.objects.create(
            workspace=world.workspace,
            channel=channel,
            external_id=str(i),
            published_at="2025-12-10T10:00:00+00:00",
            metrics={"link_clicks": str(i)},
            campaign=f"camp{i % 2}",
        )

    add_channel(1)
    queries()  # the first visit also remembers the workspace in the session
    few = queries()
    for i in range(2, 8):
        add_channel(i)
    assert queries() == few <= 16  # the "why" reads whole months and the days at the ends apart


def test_the_why_of_a_sum_names_the_channel_and_the_posts_that_carried_it(
    world: World, signed_in
) -> None:
    x = Channel.objects.create(workspace=world.workspace, platform="x", handle="@acme")
    fb = Channel.objects.create(workspace=world.workspace, platform="facebook", handle="Acme")
    for channel, before, after in ((x, 100, 400), (fb, 200, 100)):
        Observation.objects.bulk_create([
            Observation(workspace=world.workspace, channel=channel, metric="link_clicks", day=date(2025, 11, 20), value=before),
            Observation(workspace=world.workspace, channel=channel, metric="link_clicks", day=date(2025, 12, 20), value=after),
        ])  # fmt: skip
    services.daily_totals_refresh(workspace=world.workspace)
    for ident, clicks, campaign in (
        ("1", "250", "Winter boots"),
        ("2", "90", ""),
        ("3", "60", "Winter boots"),
    ):
        Post.objects.create(
            workspace=world.workspace, channel=x, external_id=ident, text=f"Post {ident}",
            published_at="2025-12-05T09:00:00+00:00", metrics={"link_clicks": clicks}, campaign=campaign,
        )  # fmt: skip
    data = explorer.build(world.workspace, BY_KEY["link_clicks"], DECEMBER, NOVEMBER)
    # 300 → 500: +200; X +300 (150 % of the rise), Facebook −100.
    assert (data.before, data.after, data.change) == (300, 500, 200)
    assert data.explanation == (
        "Link clicks rose by 200, from 300 to 500. 150% of the rise came from X/Twitter @acme "
        "(300). The other channels together moved the other way. The 3 posts of the period with the most link clicks: “Post 1” on X/Twitter "
        "@acme (250); “Post 2” on X/Twitter @acme (90); “Post 3” on X/Twitter @acme (60)."
    )
    assert [(c.label, c.value, c.share_of_change) for _p, c in data.posts] == [
        ("Post 1", 250, Decimal("125.0")),
        ("Post 2", 90, Decimal("45.0")),
        ("Post 3", 60, Decimal("30.0")),
    ]
    assert [(c.label, c.count, c.value, c.share_of_posts) for c in data.campaigns] == [
        ("Winter boots", 2, 310, Decimal("77.5"))
    ]
    html = signed_in(world.member).get(f"{BASE}/link_clicks/?{QUERY}").content.decode()
    assert "Winter boots" in html and "150% of the rise" in unescape(html)


def test_post_figures_drill_down_to_the_posts_that_make_them(world: World, signed_in) -> None:
    x = Channel.objects.create(workspace=world.workspace, platform="x", handle="@acme")
    for ident, clicks, campaign in (
        ("1", "250", "Winter boots"),
        ("2", "90", ""),
        ("3", "60", "Winter boots"),
    ):
        Post.objects.create(
            workspace=world.workspace, channel=x, external_id=ident, text=f"Post {ident}",
            published_at="2025-12-05T09:00:00+00:00", metrics={"link_clicks": clicks}, campaign=campaign,
        )  # fmt: skip
    Post.objects.create(  # published before the period: not counted
        workspace=world.workspace, channel=x, external_id="0", text="Old",
        published_at="2025-11-30T09:00:00+00:00", metrics={"link_clicks": "999"},
    )  # fmt: skip
    client: Client = signed_in(world.member)
    html = client.get(f"{BASE}/link_clicks/?{QUERY}").content.decode()
    found = [
        (unescape(href), re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a href="([^"]*/posts/\?[^"]*)"[^>]*>(.*?)</a>', html)
    ]
    by_url: dict[str, set[str]] = {}
    for href, text in found:
        by_url.setdefault(href, set()).add(text)
    assert len(by_url) == 3 + 1 + 1  # three posts, one campaign, all the posts
    for href, texts in by_url.items():
        drill = client.get(href).content.decode()
        total, count = shown(drill, "post-total"), shown(drill, "post-count")
        if "post=" in href:
            assert texts == {total} and count == "1", href  # its value and its own rate
        elif "campaign=" in href:
            assert texts == {count, total} == {"2", "310"}, href
        else:  # the shares of all the posts, and all of them together
            assert (total, count) == ("400", "3")
            assert texts == {"62%", "22%", "15%", "78%", "Together they carry 400."}
    one = client.get(f"{BASE}/link_clicks/posts/?{QUERY}&campaign=Winter+boots").content.decode()
    assert shown(one, "post-total") == "310" and "Post 3" in one and "Post 2" not in one
    assert "Σ link_clicks of the posts published over 2025-12-01…2025-12-31." in unescape(one)


def test_the_why_in_swedish(world: World, instagram: Channel, linkedin: Channel) -> None:
    reach, interactions = daily("IG_REACH.csv"), daily("IG_INTERACTIONS.csv")

    def swedish(value: Decimal) -> str:
        return f"{value.quantize(Decimal('0.01'))}".replace(".", ",") + "\u00a0%"

    before = swedish(total(interactions, NOVEMBER) * 100 / total(reach, NOVEMBER))
    after = swedish(total(interactions, DECEMBER) * 100 / total(reach, DECEMBER))
    metric = BY_KEY["engagement_rate_reach"]
    with translation.override("sv"):
        data = explorer.build(world.workspace, metric, DECEMBER, NOVEMBER)
    lead = data.why.lead()
    assert lead is not None and lead.channel == instagram.pk and lead.share is not None
    share = f"{lead.share.quantize(Decimal(1))}\u00a0%"
    assert data.explanation.startswith("Engagemangsgrad per räckvidd föll med ")
    assert data.explanation.endswith(
        f"procentenheter, från {swedish(data.before)} till {swedish(data.after)}. {share} av "
        f"nedgången kom från Instagram @acme, där själva graden gick från {before} till {after}."
    )


@pytest.mark.parametrize(
    ("key", "before", "after"),
    [
        # followers: each channel's last figure of the period, added up: (110 + 210) → (130 + 230)
        ("followers", Decimal(320), Decimal(360)),
        # response time: the mean of the days with a figure: (10+20+110+120)/4 → (30+40+130+140)/4
        ("median_first_response_time", Decimal(65), Decimal(85)),
    ],
)
def test_last_values_and_means_drill_down_to_the_rows_they_are_made_of(
    world: World, key: str, before: Decimal, after: Decimal
) -> None:
    channels = [
        Channel.objects.create(workspace=world.workspace, platform="x", handle=f"@c{i}")
        for i in (1, 2)
    ]
    rows = []
    for base, channel in zip((0, 100), channels, strict=True):
        for day, value in (
            (date(2025, 11, 1), 10), (date(2025, 11, 30), 20),
            (date(2025, 12, 1), 30), (date(2025, 12, 31), 40),
        ):  # fmt: skip
            value = value if key != "followers" else value + 90
            rows.append(
                Observation(
                    workspace=world.workspace,
                    channel=channel,
                    metric=key,
                    day=day,
                    value=base + value,
                )
            )
    Observation.objects.bulk_create(rows)
    services.daily_totals_refresh(workspace=world.workspace)
    metric = BY_KEY[key]
    data = explorer.build(world.workspace, metric, DECEMBER, NOVEMBER)
    assert (data.before, data.after) == (before, after)
    assert sum(c.effect for c in data.why.channels) == data.change == after - before
    drill = explorer.drill(world.workspace, metric, DECEMBER)
    assert drill.figure == after
    expected_rows = 2 if key == "followers" else 4  # the last day of each channel only
    assert drill.rows.count() == expected_rows
    for row in data.channels:
        assert explorer.drill(world.workspace, metric, DECEMBER, row.ref.id).figure == row.after


def test_a_drill_down_asks_the_same_few_queries_whatever_the_number_of_rows(
    world: World, signed_in
) -> None:
    client: Client = signed_in(world.member)
    url = f"{BASE}/ctr/rows/?{QUERY}&vs_from=2025-11-01&vs_to=2025-11-30"

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    def add_channel(i: int) -> None:
        channel = Channel.objects.create(workspace=world.workspace, platform="x", handle=f"@c{i}")
        Observation.objects.bulk_create(
            Observation(workspace=world.workspace, channel=channel, metric=m, day=d, value=i)
            for d in (date(2025, 11, 15), date(2025, 12, 15), date(2025, 12, 16))
            for m in ("link_clicks", "impressions")
        )
        services.daily_totals_refresh(workspace=world.workspace)

    add_channel(1)
    queries()
    few = queries()
    for i in range(2, 9):
        add_channel(i)
    assert queries() == few <= 16


def test_the_downloaded_posts_of_a_campaign_add_up_and_escape_formula_like_text(
    world: World, signed_in
) -> None:
    x = Channel.objects.create(workspace=world.workspace, platform="x", handle="@acme")
    for ident, clicks, text in (("1", "250", '=HYPERLINK("http://evil")'), ("2", "60", "+1 boots")):
        Post.objects.create(
            workspace=world.workspace, channel=x, external_id=ident, text=text, campaign="Winter",
            published_at="2025-12-05T09:00:00+00:00", metrics={"link_clicks": clicks},
        )  # fmt: skip
    client: Client = signed_in(world.member)
    response = client.get(f"{BASE}/link_clicks/posts/export.csv?{QUERY}&campaign=Winter")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["Text"], r["Channel"], r["link_clicks"]) for r in rows] == [
        ('\'=HYPERLINK("http://evil")', "'@acme", "250"),
        ("'+1 boots", "'@acme", "60"),
    ]
    xlsx = client.get(f"{BASE}/link_clicks/posts/export.xlsx?{QUERY}&campaign=Winter")
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cells[1][4] == '\'=HYPERLINK("http://evil")' and cells[1][6] == 250


def test_the_daily_chart_shows_the_annotations_of_the_period_only(
    world: World, instagram: Channel, signed_in
) -> None:
    for day, title in ((date(2025, 12, 5), "Winter sale"), (date(2025, 10, 1), "Autumn outage")):
        services.annotation_save(
            actor=world.lead, workspace=world.workspace, day=day, title=title, kind="campaign"
        )
    found = explorer.build(world.workspace, BY_KEY["engagement_rate_reach"], DECEMBER, NOVEMBER)
    layers = found.spec["layer"]
    titles = {v["title"] for layer in layers[:-1] for v in layer["data"]["values"]}
    assert titles == {"Winter sale"}
    assert layers[-1]["mark"]["type"] == "line" and layers[-1]["data"]["values"]


@given(
    st.decimals(min_value=-(10**13), max_value=10**13, places=6, allow_nan=False),
    st.sampled_from([0, 1, 2, 4]),
    st.sampled_from(["en", "sv"]),
)
def test_figures_are_written_as_djangos_number_format_writes_them(
    value: Decimal, places: int, language: str
) -> None:
    """The explorer formats its numbers itself (ten times quicker); the text must be Django's,
    rounded half to even first — no "-0" for a negative figure that rounds to zero."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    with translation.override(language):
        expected = formats.number_format(rounded, places, use_l10n=True, force_grouping=True)
        assert explorer.words().number(value, places) == expected
