"""Training: sessions make their attendees complete the training; completions per department
in percent of its members; the best-practice log is searchable, case-insensitively, with the
same result on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from converge.core.models import Membership
from converge.operating import selectors, services
from tests.conftest import World
from tests.factories import DepartmentFactory


def m(world: World, user) -> Membership:  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user, workspace=world.workspace)


def test_completions_per_department_are_a_share_of_its_members(world: World) -> None:
    ws, lead = world.workspace, world.lead
    marketing = DepartmentFactory(workspace=ws, name="Marketing", slug="marketing")
    marketing.members.add(m(world, world.lead), m(world, world.owner), m(world, world.guest))
    world.department.members.add(m(world, world.executive))  # two in Customer Service
    onboarding = services.training_save(
        actor=lead, workspace=ws, title="Onboarding", kind="onboarding"
    )
    policy = services.training_save(actor=lead, workspace=ws, title="Policy", kind="policy")
    services.training_session_add(
        actor=lead,
        training=onboarding,
        day=date(2026, 2, 1),
        trainer=m(world, world.lead),
        attendees=[m(world, world.member), m(world, world.lead)],
    )
    services.training_session_add(  # attending again changes nothing
        actor=lead, training=onboarding, day=date(2026, 3, 1), attendees=[m(world, world.member)]
    )
    services.training_completion_record(
        actor=lead, training=policy, membership=m(world, world.owner), completed_on=date(2026, 3, 3)
    )
    catalogue = list(selectors.trainings(ws))
    assert [(t.title, t.session_count, t.completion_count) for t in catalogue] == [
        ("Onboarding", 2, 2),
        ("Policy", 0, 1),
    ]
    table = {
        row.department.name: [(c.done, c.members, c.percent) for c in row.cells]
        for row in selectors.completion_table(ws, catalogue)
    }
    assert table == {
        "Customer Service": [(1, 2, 50), (0, 2, 0)],
        "Marketing": [(1, 3, 33), (1, 3, 33)],
    }
    first = onboarding.completions.get(membership=m(world, world.member))
    assert first.completed_on == date(2026, 2, 1)


def test_an_empty_department_has_no_percentage(world: World) -> None:
    DepartmentFactory(workspace=world.workspace, name="Legal", slug="legal")
    services.training_save(actor=world.lead, workspace=world.workspace, title="T", kind="other")
    rows = selectors.completion_table(world.workspace, list(selectors.trainings(world.workspace)))
    legal = next(r for r in rows if r.department.name == "Legal")
    assert legal.cells[0].percent is None


@pytest.fixture
def log(world: World) -> None:
    for title, text, tags in (
        ("Threads: worth a test?", "Competitors post little.", "threads, new platform"),
        ("Reels beat carousels", "Three times the reach on INSTAGRAM.", "instagram, video"),
        ("Åre weekend", "Ärlig feedback från deltagarna.", "events, åre"),
    ):
        services.practice_save(
            actor=world.lead,
            workspace=world.workspace,
            day=date(2026, 1, 8),
            title=title,
            kind="lesson",
            text=text,
            tags=tags,
        )


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", {"Threads: worth a test?", "Reels beat carousels", "Åre weekend"}),
        ("instagram", {"Reels beat carousels"}),
        ("Instagram VIDEO", {"Reels beat carousels"}),
        ("NEW PLATFORM", {"Threads: worth a test?"}),
        ("åre", {"Åre weekend"}),
        ("ÄRLIG", {"Åre weekend"}),
        ("tiktok", set()),
    ],
)
def test_the_best_practice_log_is_searched_case_insensitively(
    world: World, log: None, query: str, titles: set[str]
) -> None:
    found = {e.title for e in selectors.practices(world.workspace, query)}
    assert found == titles


def test_the_search_box_on_the_page_finds_entries(world: World, log: None, signed_in) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(world.member).get("/w/acme/governance/practices/", {"q": "REELS"})
    body = page.content.decode()
    assert "Reels beat carousels" in body and "Threads: worth a test?" not in body
    assert "1 entry matches" in body


def test_tags_are_tidied(world: World) -> None:
    entry = services.practice_save(
        actor=world.lead,
        workspace=world.workspace,
        day=date(2026, 1, 8),
        title="X",
        kind="other",
        tags=" a, b ,, a ",
    )
    assert entry.tags == "a, b" and entry.tag_list == ["a", "b"]
