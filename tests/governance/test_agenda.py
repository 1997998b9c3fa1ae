"""The agenda pack: assembled from live data, edited by the chair, frozen when held."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from converge.core.errors import ConvergeError
from converge.governance import selectors, services
from converge.governance.models import Meeting
from converge.strategy import services as strategy
from converge.strategy.models import Kpi
from tests.conftest import World
from tests.governance.builders import STOCKHOLM, member_of, weekly_committee
from tests.strategy.builders import build_strategy

pytestmark = pytest.mark.django_db


def _meetings(world: World) -> tuple[Meeting, Meeting]:
    """The steering committee's meetings of 2 and 9 March 2026."""
    committee = weekly_committee(world)
    services.meetings_materialise(
        committee=committee, since=datetime(2026, 3, 1, tzinfo=STOCKHOLM), count=3
    )
    first, second = Meeting.objects.filter(committee=committee).order_by("occurrence")[:2]
    return first, second


def _value(world: World, kpi: Kpi, day: date, value: str) -> None:
    strategy.kpi_value_set(actor=world.lead, kpi=kpi, day=day, value=Decimal(value))


def test_a_kpi_that_went_off_track_since_the_last_meeting_is_on_the_agenda(world: World) -> None:
    ids = build_strategy(world)
    kpi = Kpi.objects.get(uuid=ids["kpi"])  # response time, 240 → 60 minutes by end of 2027
    _value(world, kpi, date(2026, 2, 1), "150")
    first, second = _meetings(world)
    before = selectors.agenda_pack(first, today=date(2026, 3, 2))
    assert not [e for e in before.items if e.section == "kpis"]
    _value(world, kpi, date(2026, 3, 6), "420")  # the week went badly
    pack = selectors.agenda_pack(second, today=date(2026, 3, 9))
    (entry,) = [e for e in pack.items if e.section == "kpis"]
    assert entry.key == f"kpi:{kpi.uuid}"
    assert entry.title == "Median first response time"
    assert "Off track" in entry.detail and "2026-03-02" in entry.detail


def test_overdue_and_due_actions_pending_decisions_and_roadmap_dates_are_on_the_agenda(
    world: World,
) -> None:
    first, second = _meetings(world)
    owner = member_of(world, world.member)
    for title, due in [
        ("Overdue playbook", date(2026, 3, 5)),
        ("Due this week", date(2026, 3, 12)),
        ("Later", date(2026, 4, 30)),
    ]:
        services.action_create(
            actor=world.lead, workspace=world.workspace, meeting=first, title=title,
            owner=owner, due_on=due,
        )  # fmt: skip
    services.decision_save(
        actor=world.lead, workspace=world.workspace, meeting=first, text="Pick a listening tool"
    )
    services.decision_save(
        actor=world.lead,
        workspace=world.workspace,
        meeting=first,
        text="Already decided",
        status="decided",
    )
    strategy.initiative_save(
        actor=world.lead,
        workspace=world.workspace,
        title="TikTok pilot",
        start=date(2026, 3, 13),
        end=date(2026, 6, 30),
    )
    strategy.initiative_save(
        actor=world.lead,
        workspace=world.workspace,
        title="Far away",
        start=date(2026, 9, 1),
        end=date(2026, 12, 31),
    )
    pack = selectors.agenda_pack(second, today=date(2026, 3, 9))
    by_section: dict[str, list[str]] = {}
    for entry in pack.items:
        by_section.setdefault(entry.section, []).append(entry.title)
    assert by_section == {
        "actions": ["Overdue playbook", "Due this week"],
        "decisions": ["Pick a listening tool"],
        "roadmap": ["TikTok pilot"],
    }
    overdue = pack.items[0]
    assert "overdue since 2026-03-05" in overdue.detail and "Mia Member" in overdue.detail
    assert pack.sections == ["actions", "decisions", "roadmap"]  # no KPI section: nothing to say


def test_the_chair_adds_reorders_and_removes_items(world: World) -> None:
    first, second = _meetings(world)
    owner = member_of(world, world.member)
    services.action_create(
        actor=world.lead, workspace=world.workspace, meeting=first, title="A",
        owner=owner, due_on=date(2026, 3, 5),
    )  # fmt: skip
    services.decision_save(actor=world.lead, workspace=world.workspace, meeting=first, text="B")
    services.agenda_add(actor=world.lead, meeting=second, title="C")

    def titles() -> list[str]:
        return [e.title for e in selectors.agenda_pack(second, today=date(2026, 3, 9)).items]

    assert titles() == ["A", "B", "C"]
    key_c = selectors.agenda_pack(second, today=date(2026, 3, 9)).items[2].key
    services.agenda_move(actor=world.lead, meeting=second, key=key_c, up=True)
    services.agenda_move(actor=world.lead, meeting=second, key=key_c, up=True)
    assert titles() == ["C", "A", "B"]
    services.agenda_move(actor=world.lead, meeting=second, key=key_c, up=True)  # already first
    assert titles() == ["C", "A", "B"]
    key_a = selectors.agenda_pack(second, today=date(2026, 3, 9)).items[1].key
    services.agenda_remove(actor=world.lead, meeting=second, key=key_a)
    assert titles() == ["C", "B"]
    services.agenda_remove(actor=world.lead, meeting=second, key=key_c)
    assert titles() == ["B"]
    services.agenda_restore(actor=world.lead, meeting=second, key=key_a)
    assert titles() == ["A", "B"]
    services.agenda_remove(actor=world.lead, meeting=second, key=key_a)
    # A new item of live data joins at the end, after the chair's order.
    services.decision_save(actor=world.lead, workspace=world.workspace, meeting=first, text="D")
    assert titles() == ["B", "D"]


def test_the_pack_is_frozen_when_the_meeting_is_held(world: World) -> None:
    first, second = _meetings(world)
    services.decision_save(actor=world.lead, workspace=world.workspace, meeting=first, text="Q")
    services.meeting_hold(actor=world.lead, meeting=second, today=date(2026, 3, 9))
    services.decision_save(actor=world.lead, workspace=world.workspace, meeting=first, text="R")
    second.refresh_from_db()
    pack = selectors.agenda_pack(second)
    assert pack.frozen
    assert [e.title for e in pack.items] == ["Q"]
    with pytest.raises(ConvergeError):
        services.agenda_add(actor=world.lead, meeting=second, title="late")


def test_attendance_is_recorded_per_member(world: World) -> None:
    first, _second = _meetings(world)
    lead, member = member_of(world, world.lead), member_of(world, world.member)
    services.attendance_record(
        actor=world.lead, meeting=first, presence={lead: "present", member: "apologies"}
    )
    assert dict(first.attendance.values_list("membership__user__email", "presence")) == {
        "lead@acme.example": "present",
        "member@acme.example": "apologies",
    }
