"""Policies and playbooks: versioned documents; publishing asks the people it applies to;
acknowledgements per person and per department; a diff between any two versions; and one
reminder e-mail per person and version, however often the reminders run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from converge.core.errors import ConvergeError
from converge.core.models import Membership
from converge.core.policy import NotPermitted
from converge.operating import documents, selectors, services
from converge.operating.models import Acknowledgement, PolicyReminder
from tests.conftest import World
from tests.factories import DepartmentFactory

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _locmem(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def me(world: World, user) -> Membership:  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user, workspace=world.workspace)


def publish_policy(world: World, body: str = "# Policy\n\nBe kind.\n", **kw):  # type: ignore[no-untyped-def]
    return services.policy_create(
        actor=world.lead,
        workspace=world.workspace,
        title="Social media policy",
        kind="policy",
        body=body,
        now=T0,
        **kw,
    )


def test_publishing_asks_everyone_in_the_workspace(world: World) -> None:
    version = publish_policy(world)
    assert version.number == 1
    asked = set(version.acknowledgements.values_list("membership__user__email", flat=True))
    assert asked == {
        "owner@acme.example",
        "lead@acme.example",
        "member@acme.example",
        "exec@acme.example",
        "guest@acme.example",
    }
    assert [a.version for a in selectors.waiting_for(me(world, world.member))] == [version]


def test_a_version_for_chosen_departments_asks_only_their_members(world: World) -> None:
    version = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    assert list(version.acknowledgements.values_list("membership__user__email", flat=True)) == [
        "member@acme.example"
    ]
    assert not selectors.waiting_for(me(world, world.lead)).exists()


def test_a_version_for_no_department_and_not_everyone_is_refused(world: World) -> None:
    with pytest.raises(ConvergeError) as error:
        publish_policy(world, applies_to_everyone=False)
    assert error.value.field == "departments"


def test_a_new_version_numbers_on_and_must_change_the_text(world: World) -> None:
    v1 = publish_policy(world)
    with pytest.raises(ConvergeError):
        services.policy_publish(actor=world.lead, document=v1.document, body=v1.body)
    v2 = services.policy_publish(
        actor=world.lead, document=v1.document, body=v1.body + "\nAsk PR first.\n"
    )
    assert v2.number == 2
    assert [v.number for v in selectors.versions(v1.document)] == [2, 1]


def test_a_member_acknowledges_and_the_status_counts_per_person_and_department(
    world: World,
) -> None:
    version = publish_policy(world)
    services.policy_acknowledge(actor=world.member, document=version.document)
    services.policy_acknowledge(actor=world.member, document=version.document)  # twice: once
    services.policy_acknowledge(actor=world.lead, document=version.document)
    status = selectors.ack_status(version)
    assert (status.asked, status.done, status.percent) == (5, 2, 40)
    by_department = {d.name: (d.done, d.asked, d.percent) for d in status.departments}
    assert by_department == {"": (1, 4, 25), "Customer Service": (1, 1, 100)}
    done = {a.membership.user.email for a in status.people if a.acknowledged_at}
    assert done == {"member@acme.example", "lead@acme.example"}
    assert not selectors.waiting_for(me(world, world.member)).exists()


def test_a_new_version_asks_again_and_only_the_current_one_waits(world: World) -> None:
    v1 = publish_policy(world)
    services.policy_acknowledge(actor=world.member, document=v1.document)
    v2 = services.policy_publish(actor=world.lead, document=v1.document, body="# Policy v2\n")
    waiting = list(selectors.waiting_for(me(world, world.lead)))
    assert [a.version for a in waiting] == [v2]
    assert [a.version for a in selectors.waiting_for(me(world, world.member))] == [v2]


def test_someone_not_asked_cannot_acknowledge(world: World) -> None:
    version = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    with pytest.raises(ConvergeError):
        services.policy_acknowledge(actor=world.lead, document=version.document)


def test_a_member_may_not_publish(world: World) -> None:
    v1 = publish_policy(world)
    with pytest.raises(NotPermitted):
        services.policy_publish(actor=world.member, document=v1.document, body="other")


def test_the_diff_aligns_changed_lines_side_by_side() -> None:
    rows = documents.side_by_side("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("equal", "a", "a"),
        ("replace", "b", "B"),
        ("equal", "c", "c"),
        ("insert", "", "d"),
    ]
    assert [(r.left_no, r.right_no) for r in rows] == [(1, 1), (2, 2), (3, 3), (None, 4)]
    text = documents.unified("a\nb\n", "a\nc\n", "v1", "v2")
    assert text.splitlines()[:2] == ["--- v1", "+++ v2"]
    assert "-b" in text.splitlines() and "+c" in text.splitlines()


def test_markdown_is_rendered_and_sanitised() -> None:
    html = documents.render_markdown(
        "# Title\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)">'
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_the_diff_page_escapes_the_text(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    v1 = publish_policy(world, body="Be kind.\n")
    services.policy_publish(
        actor=world.lead, document=v1.document, body="Be kind.\n<script>alert(1)</script>\n"
    )
    client = signed_in(world.member)
    url = f"/w/acme/governance/policies/{v1.document.uuid}/diff/"
    for view in ("side", "unified"):
        page = client.get(url, {"from": 1, "to": 2, "view": view}).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_reminders_are_sent_exactly_once_per_person_and_version(world: World) -> None:
    version = publish_policy(world)
    services.policy_acknowledge(actor=world.lead, document=version.document)
    with time_machine.travel(T0 + timedelta(days=3)):
        assert services.policy_reminders_send(after_days=7) == 0  # too early
    with time_machine.travel(T0 + timedelta(days=8)):
        assert services.policy_reminders_send(after_days=7) == 4
        assert services.policy_reminders_send(after_days=7) == 0
        call_command("converge_policy_reminders", "--days", "7")
    assert len(mail.outbox) == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "exec@acme.example",
        "guest@acme.example",
        "member@acme.example",
        "owner@acme.example",
    ]
    assert "Social media policy" in mail.outbox[0].subject
    assert PolicyReminder.objects.count() == 4
    reminder = PolicyReminder.objects.get(to="member@acme.example")
    sent = next(m for m in mail.outbox if m.to == ["member@acme.example"])
    assert reminder.subject == sent.subject
    assert "You have not acknowledged it yet" in sent.body
    assert reminder.acknowledgement.version == version


def test_a_new_version_is_reminded_again(world: World) -> None:
    v1 = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    with time_machine.travel(T0 + timedelta(days=8)):
        assert services.policy_reminders_send(after_days=7) == 1
        services.policy_publish(
            actor=world.lead,
            document=v1.document,
            body="# New\n",
            applies_to_everyone=False,
            departments=[world.department],
        )
    with time_machine.travel(T0 + timedelta(days=20)):
        assert services.policy_reminders_send(after_days=7) == 1
        assert services.policy_reminders_send(after_days=7) == 0
    assert [m.to for m in mail.outbox] == [["member@acme.example"]] * 2
    assert "version 2" in mail.outbox[1].subject


def test_a_superseded_version_is_not_reminded(world: World) -> None:
    v1 = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    services.policy_publish(
        actor=world.lead,
        document=v1.document,
        body="# New\n",
        applies_to_everyone=False,
        departments=[world.department],
        now=T0,
    )
    with time_machine.travel(T0 + timedelta(days=8)):
        assert services.policy_reminders_send(after_days=7) == 1
    assert Acknowledgement.objects.filter(version=v1, reminder__isnull=True).count() == 1


def test_the_reminder_task_sends_them_too(world: World) -> None:
    from converge.operating.tasks import send_policy_reminders

    publish_policy(world, applies_to_everyone=False, departments=[world.department])
    with time_machine.travel(T0 + timedelta(days=8)):
        send_policy_reminders.enqueue(after_days=7)
    assert len(mail.outbox) == 1


def test_a_person_in_two_departments_counts_in_both(world: World) -> None:
    other = DepartmentFactory(workspace=world.workspace, name="Sales", slug="sales")
    other.members.add(me(world, world.member))
    version = publish_policy(
        world, applies_to_everyone=False, departments=[world.department, other]
    )
    assert version.acknowledgements.count() == 1
    services.policy_acknowledge(actor=world.member, document=version.document)
    status = selectors.ack_status(version)
    assert {(d.name, d.percent) for d in status.departments} == {
        ("Customer Service", 100),
        ("Sales", 100),
    }


def test_people_who_join_later_are_asked_when_the_lead_says_so(world: World) -> None:
    from tests.factories import MembershipFactory, UserFactory

    version = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    newcomer = MembershipFactory(workspace=world.workspace, user=UserFactory(), role="member")
    world.department.members.add(newcomer)
    assert services.not_yet_asked(version) == [newcomer]
    assert services.policy_ask_newcomers(actor=world.lead, document=version.document) == 1
    assert services.policy_ask_newcomers(actor=world.lead, document=version.document) == 0
    assert [a.version for a in selectors.waiting_for(newcomer)] == [version]
    with pytest.raises(NotPermitted):
        services.policy_ask_newcomers(actor=world.member, document=version.document)


def test_the_reminder_speaks_the_workspaces_language_and_links_to_the_document(
    world: World,
) -> None:
    world.workspace.default_language = "sv"
    world.workspace.save()
    version = publish_policy(world, applies_to_everyone=False, departments=[world.department])
    with time_machine.travel(T0 + timedelta(days=8)):
        call_command(
            "converge_policy_reminders", "--days", "7", "--base-url", "https://converge.example"
        )
    [sent] = mail.outbox
    assert sent.subject == "Vänligen bekräfta: Social media policy (version 1)"
    assert f"https://converge.example/w/acme/governance/policies/{version.document.uuid}/" in (
        sent.body
    )
    assert "Du har inte bekräftat den ännu." in sent.body
