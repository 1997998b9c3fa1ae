"""Downloads of figures and posts (CSV and XLSX): the same filter and policy as the pages,
formula-like text escaped, numbers written as the numbers stored."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from converge.measurement import services
from converge.measurement.models import Channel, Observation, Post
from tests.conftest import World

EVIL = '=HYPERLINK("http://evil","x")'


@pytest.fixture
def channel(world: World) -> Channel:
    return services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="@acme"
    )


@pytest.fixture
def posts(world: World, channel: Channel) -> list[Post]:
    common = {"workspace": world.workspace, "channel": channel, "kind": "post"}
    return [
        Post.objects.create(
            external_id="1843000000000000001",
            published_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC),
            text=EVIL,
            link="https://x.com/acme/status/1843000000000000001",
            metrics={"impressions": "1520", "likes": "12"},
            **common,
        ),
        Post.objects.create(
            external_id="1843000000000000002",
            published_at=datetime(2026, 3, 1, 8, 0, tzinfo=UTC),
            text="@rival we do it better",
            metrics={"impressions": "980", "net_follower_growth": "-3"},
            **common,
        ),
    ]


def _csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c for c in row] for row in sheet.iter_rows()]


def test_posts_come_out_escaped_in_csv_with_numbers_as_stored(
    world: World, posts: list[Post], signed_in
) -> None:
    response = signed_in(world.member).get("/w/acme/measurement/posts/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="acme-posts-' in response["Content-Disposition"]
    rows = _csv(response)
    assert [r["Text"] for r in rows] == ["'" + EVIL, "'@rival we do it better"]
    assert [r["Post id"] for r in rows] == [p.external_id for p in posts]
    assert Decimal(rows[0]["Impressions"]) == Decimal(posts[0].metrics["impressions"])
    assert rows[1]["Net follower growth"] == "-3"  # a negative number is not escaped
    assert rows[0]["Likes"] == "12" and rows[1]["Likes"] == ""


def test_posts_come_out_escaped_in_xlsx_with_typed_numbers(
    world: World, posts: list[Post], signed_in
) -> None:
    response = signed_in(world.member).get("/w/acme/measurement/posts/export.xlsx")
    assert response.status_code == 200
    rows = _xlsx(response)
    header = [c.value for c in rows[0]]
    text, growth, impressions = (
        header.index("Text"),
        header.index("Net follower growth"),
        header.index("Impressions"),
    )
    evil, mention = rows[1][text], rows[2][text]
    assert (evil.value, evil.data_type) == ("'" + EVIL, "s")
    assert (mention.value, mention.data_type) == ("'@rival we do it better", "s")
    assert (rows[2][growth].value, rows[2][growth].data_type) == (-3, "n")
    assert rows[1][impressions].value == int(posts[0].metrics["impressions"])
    assert not [c for row in rows for c in row if c.data_type == "f"]


def test_figures_export_follows_the_pages_filter_and_keeps_negative_numbers(
    world: World, channel: Channel, signed_in
) -> None:
    for day, metric, value, on in [
        (date(2026, 3, 1), "net_follower_growth", Decimal("-14"), channel),
        (date(2026, 3, 2), "net_follower_growth", Decimal("9"), channel),
        (date(2026, 3, 1), "leads", Decimal("42.5"), None),
    ]:
        services.observation_set(
            actor=world.lead,
            workspace=world.workspace,
            metric=metric,
            day=day,
            value=value,
            channel=on,
        )
    client = signed_in(world.member)
    rows = _csv(client.get(f"/w/acme/measurement/figures/export.csv?channel={channel.uuid}"))
    stored = {
        (o.day.isoformat(), o.metric): o.value for o in Observation.objects.filter(channel=channel)
    }
    assert {(r["Date"], r["Metric key"]): Decimal(r["Value"]) for r in rows} == stored
    assert [r["Value"] for r in rows] == ["9", "-14"]
    sheet = _xlsx(client.get("/w/acme/measurement/figures/export.xlsx?channel=none"))
    assert [c.value for c in sheet[1]][:2] == [datetime(2026, 3, 1), "leads"]
    cell = sheet[1][5]
    assert (cell.value, cell.data_type) == (42.5, "n")
    negative = _xlsx(client.get(f"/w/acme/measurement/figures/export.xlsx?channel={channel.uuid}"))
    assert (negative[2][5].value, negative[2][5].data_type) == (-14, "n")


def test_an_outsider_gets_404_for_every_download(
    world: World, posts: list[Post], signed_in
) -> None:
    client = signed_in(world.outsider)
    for url in (
        "/w/acme/measurement/posts/export.csv",
        "/w/acme/measurement/posts/export.xlsx",
        "/w/acme/measurement/figures/export.csv",
        "/w/acme/measurement/figures/export.xlsx",
        "/w/acme/measurement/posts/",
    ):
        assert client.get(url).status_code == 404, url


def test_an_unknown_format_is_404(world: World, signed_in) -> None:
    assert signed_in(world.lead).get("/w/acme/measurement/posts/export.pdf").status_code == 404


def test_the_posts_page_shows_each_post_with_its_source_and_pages(
    world: World, channel: Channel, posts: list[Post], signed_in
) -> None:
    page = signed_in(world.member).get(f"/w/acme/measurement/posts/?channel={channel.uuid}")
    body = page.content.decode()
    assert page.status_code == 200
    assert "=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)" in body
    assert "export.csv?channel=" in body and "export.xlsx?channel=" in body
    common = {"workspace": world.workspace, "channel": channel}
    Post.objects.bulk_create(
        Post(external_id=str(i), published_at=datetime(2025, 1, 1, tzinfo=UTC), **common)
        for i in range(30)
    )
    second = signed_in(world.member).get("/w/acme/measurement/posts/?page=2")
    assert len(second.context["rows"]) == 32 - 25
