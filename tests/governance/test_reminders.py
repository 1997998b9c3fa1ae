"""Reminders for actions due soon or overdue: each goes out exactly once."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from converge.governance import services
from converge.governance.models import ReminderSent
from converge.governance.tasks import send_reminders
from tests.conftest import World
from tests.governance.builders import STOCKHOLM, member_of, weekly_committee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _locmem(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _actions(world: World) -> None:
    committee = weekly_committee(world)
    meeting = committee.meetings.order_by("occurrence").first()
    member, lead = member_of(world, world.member), member_of(world, world.lead)
    for title, owner, due in [
        ("Overdue report", member, date(2026, 3, 1)),
        ("Due tomorrow", lead, date(2026, 3, 11)),
        ("Due next month", member, date(2026, 4, 15)),
    ]:
        services.action_create(
            actor=world.lead, workspace=world.workspace, meeting=meeting, title=title,
            owner=owner, due_on=due,
        )  # fmt: skip
    done = services.action_create(
        actor=world.lead, workspace=world.workspace, meeting=meeting, title="Closed",
        owner=member, due_on=date(2026, 3, 2),
    )  # fmt: skip
    services.action_update(actor=world.member, item=done, status="done")


@time_machine.travel(datetime(2026, 3, 10, 7, 0, tzinfo=STOCKHOLM))
def test_running_the_reminders_twice_sends_each_once(world: World) -> None:
    _actions(world)
    assert services.reminders_send() == 2
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("lead@acme.example", "[Acme Outdoor] Due soon: Due tomorrow"),
        ("member@acme.example", "[Acme Outdoor] Overdue: Overdue report"),
    ]
    assert "/w/acme/governance/actions/mine/" in mail.outbox[0].body
    assert services.reminders_send() == 0
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_a_due_soon_reminder_is_followed_by_one_overdue_reminder(world: World) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 7, 0, tzinfo=STOCKHOLM)):
        _actions(world)
        services.reminders_send()
    with time_machine.travel(datetime(2026, 3, 12, 7, 0, tzinfo=STOCKHOLM)):
        assert services.reminders_send() == 1  # "Due tomorrow" is now overdue
        assert services.reminders_send() == 0
    assert mail.outbox[-1].subject == "[Acme Outdoor] Overdue: Due tomorrow"


@time_machine.travel(datetime(2026, 3, 10, 7, 0, tzinfo=STOCKHOLM))
def test_the_command_and_the_task_share_the_once_only_record(world: World) -> None:
    _actions(world)
    call_command("converge_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2
    send_reminders.enqueue()
    call_command("converge_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == 2


@time_machine.travel(datetime(2026, 3, 10, 7, 0, tzinfo=STOCKHOLM))
def test_a_swedish_workspace_gets_its_reminders_in_swedish(world: World) -> None:
    world.workspace.default_language = "sv"
    world.workspace.save()
    _actions(world)
    services.reminders_send()
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[0].startswith("[Acme Outdoor] Försenad")
