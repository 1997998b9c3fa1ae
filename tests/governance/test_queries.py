"""The agenda pack and the governance pages read in a fixed number of queries, however many
items, decisions and actions there are."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from converge.governance import services
from converge.governance.models import Meeting
from tests.conftest import World
from tests.governance.builders import build_governance, member_of

pytestmark = pytest.mark.django_db


def _grow(world: World, meeting: Meeting, n: int) -> None:
    owner = member_of(world, world.member)
    for i in range(n):
        services.action_create(
            actor=world.lead, workspace=world.workspace, meeting=meeting, title=f"A{i}",
            owner=owner, due_on=date(2026, 3, 5),
        )  # fmt: skip
        services.decision_save(
            actor=world.lead, workspace=world.workspace, meeting=meeting, text=f"D{i}"
        )
        services.agenda_add(actor=world.lead, meeting=meeting, title=f"F{i}")


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_meeting_page_and_home_do_not_grow_with_their_items(world: World, signed_in) -> None:
    from tests.strategy.builders import build_strategy

    build_strategy(world)
    ids = build_governance(world)
    meeting = Meeting.objects.get(uuid=ids["meeting"])
    client = signed_in(world.lead)
    urls = [
        f"/w/acme/governance/meetings/{meeting.uuid}/",
        "/w/acme/governance/",
        "/w/acme/governance/actions/mine/",
        "/w/acme/governance/decisions/",
    ]
    _grow(world, meeting, 2)
    for url in urls:  # the first visit also remembers the workspace in the session
        client.get(url)
    before = [_count(client, url) for url in urls]
    _grow(world, meeting, 8)
    after = [_count(client, url) for url in urls]
    assert after == before
    assert before[0] <= 45
