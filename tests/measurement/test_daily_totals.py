"""Daily totals (every channel's figures of a metric on a day, added up) and channel months (one
channel's figures of a metric in a calendar month). Both are derived data, so after every
write — an import, a correction by hand, a rollback, the demo — they must equal the aggregate
of the observations themselves, added up here in Python."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from converge.core.demo import build_demo
from converge.measurement import services
from converge.measurement.models import Channel, ChannelMonth, DailyTotal, Observation
from tests.conftest import World
from tests.measurement.test_imports import GOOD, check


@pytest.fixture
def channel(world: World) -> Channel:
    return services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="instagram", handle="@acme"
    )


def totals(world: World) -> dict[tuple[str, date], tuple[Decimal, int]]:
    return {
        (t.metric, t.day): (t.total, t.figures)
        for t in DailyTotal.objects.filter(workspace=world.workspace)
    }


def aggregate(world: World) -> dict[tuple[str, date], tuple[Decimal, int]]:
    return {
        (row["metric"], row["day"]): (row["total"], row["figures"])
        for row in Observation.objects.filter(workspace=world.workspace)
        .values("metric", "day")
        .annotate(total=Sum("value"), figures=Count("id"))
    }


Months = dict[tuple[int | None, str, date], tuple[Decimal, int]]


def months(workspace_id: int) -> Months:
    return {
        (m.channel_id, m.metric, m.month): (m.total, m.figures)
        for m in ChannelMonth.objects.filter(workspace_id=workspace_id)
    }


def by_month(workspace_id: int) -> Months:
    """Each channel's figures per metric and calendar month, added up row by row."""
    out: Months = {}
    for o in Observation.objects.filter(workspace_id=workspace_id):
        key = (o.channel_id, o.metric, o.day.replace(day=1))
        total, count = out.get(key, (Decimal(0), 0))
        out[key] = (total + o.value, count + 1)
    return out


def test_totals_follow_an_import_a_correction_and_a_rollback(
    world: World, channel: Channel
) -> None:
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="linkedin", handle="acme"
    )
    first = services.import_commit(actor=world.lead, record=check(world, GOOD)[0])
    assert totals(world) == aggregate(world)
    assert totals(world)[("impressions", date(2026, 3, 2))] == (Decimal("19100.5"), 1)

    services.observation_set(
        actor=world.lead,
        workspace=world.workspace,
        metric="impressions",
        day=date(2026, 3, 1),
        value=Decimal(750),
    )  # a figure without a channel, on a day that has one from Instagram
    assert totals(world)[("impressions", date(2026, 3, 1))] == (Decimal(19000), 2)

    changed = GOOD.replace("18250", "18300")
    second = services.import_commit(actor=world.lead, record=check(world, changed, "b.csv")[0])
    assert totals(world)[("impressions", date(2026, 3, 1))] == (Decimal(19050), 2)
    assert totals(world) == aggregate(world)
    assert months(world.workspace.pk) == by_month(world.workspace.pk) != {}

    services.import_rollback(actor=world.lead, record=second)
    assert totals(world)[("impressions", date(2026, 3, 1))] == (Decimal(19000), 2)
    assert totals(world) == aggregate(world)
    assert months(world.workspace.pk) == by_month(world.workspace.pk)
    services.import_rollback(actor=world.lead, record=first)
    assert totals(world) == aggregate(world)
    assert months(world.workspace.pk) == by_month(world.workspace.pk)
    assert ("leads", date(2026, 3, 1)) not in totals(world)


def test_a_refresh_of_everything_rebuilds_lost_totals(world: World, channel: Channel) -> None:
    services.import_commit(actor=world.lead, record=check(world, GOOD)[0])
    DailyTotal.objects.filter(workspace=world.workspace).delete()
    ChannelMonth.objects.filter(workspace=world.workspace).delete()
    services.daily_totals_refresh(workspace=world.workspace)
    assert totals(world) == aggregate(world) != {}
    assert months(world.workspace.pk) == by_month(world.workspace.pk) != {}


def test_the_demos_totals_equal_its_figures(db: None) -> None:
    workspace = build_demo()
    stored = {
        (t.metric, t.day): (t.total, t.figures)
        for t in DailyTotal.objects.filter(workspace=workspace)
    }
    summed = {
        (row["metric"], row["day"]): (row["total"], row["figures"])
        for row in Observation.objects.filter(workspace=workspace)
        .values("metric", "day")
        .annotate(total=Sum("value"), figures=Count("id"))
    }
    assert len(stored) > 1000
    assert stored == summed
    assert months(workspace.pk) == by_month(workspace.pk)


def test_the_shell_command_rebuilds_them(world: World, channel: Channel) -> None:
    services.import_commit(actor=world.lead, record=check(world, GOOD)[0])
    DailyTotal.objects.all().delete()
    ChannelMonth.objects.all().delete()
    out = StringIO()
    call_command("converge_daily_totals", stdout=out)
    assert totals(world) == aggregate(world) != {}
    assert months(world.workspace.pk) == by_month(world.workspace.pk) != {}
    assert f"{world.workspace.slug}: daily totals rebuilt" in out.getvalue()
