"""The matrix, training and policy pages read in a fixed number of queries, however many
activities, departments, trainings and people there are."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from converge.operating import services
from tests.conftest import World, membership
from tests.factories import DepartmentFactory
from tests.operating.builders import build_operating

PAGES = ("raci/", "training/", "policies/", "practices/", "executives/", "model/")


def count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(world: World, n: int) -> None:
    lead, ws = world.lead, world.workspace
    for i in range(n):
        dept = DepartmentFactory(workspace=ws, name=f"Dept {n}-{i}", slug=f"dept-{n}-{i}")
        dept.members.add(membership(world.member, ws))
        activity = services.raci_activity_save(actor=lead, workspace=ws, name=f"Activity {n}-{i}")
        services.raci_assign(actor=lead, activity=activity, role="decides", department=dept)
        training = services.training_save(
            actor=lead, workspace=ws, title=f"Training {n}-{i}", kind="other"
        )
        services.training_session_add(
            actor=lead,
            training=training,
            day=date(2026, 1, 1),
            attendees=[membership(world.member, ws)],
        )
        services.practice_save(
            actor=lead, workspace=ws, day=date(2026, 1, 1), title=f"Entry {n}-{i}", kind="other"
        )


def test_the_pages_take_as_many_queries_for_many_rows_as_for_few(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    build_operating(world)
    client = signed_in(world.lead)
    grow(world, 1)
    client.get("/w/acme/governance/model/")  # the first visit remembers the workspace
    few = {page: count(client, f"/w/acme/governance/{page}") for page in PAGES}
    grow(world, 5)
    many = {page: count(client, f"/w/acme/governance/{page}") for page in PAGES}
    assert many == few
