"""The demo workspace: Nordvik Outdoor AB, idempotent and deterministic."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from converge.core.models import AuditEntry, Department, Grant, Membership, User, Workspace
from converge.core.policy import can
from converge.measurement.models import Channel, Import, Observation, Post


def _state() -> tuple[object, ...]:
    return (
        sorted(Workspace.objects.values_list("slug", "name")),
        sorted(Membership.objects.values_list("user__email", "role")),
        sorted(Department.objects.values_list("slug", "kind", "head__user__email", "aims")),
        sorted(
            Department.members.through.objects.values_list(
                "department__slug", "membership__user__email"
            )
        ),
        sorted(Grant.objects.values_list("department__slug", "capability")),
        AuditEntry.objects.count(),
        sorted(Channel.objects.values_list("platform", "handle")),
        Observation.objects.aggregate(n=Count("id"), total=Sum("value")),
        sorted(Import.objects.values_list("file_name", "sha256", "status", "new")),
        sorted(Post.objects.values_list("channel__handle", "external_id", "source_line")),
    )


def test_the_demo_refuses_to_run_with_debug_off(db: None) -> None:
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("converge_demo")
    assert not Workspace.objects.exists()


def test_the_demo_is_idempotent_and_deterministic(db: None) -> None:
    call_command("converge_demo", force=True)
    first = _state()
    call_command("converge_demo", force=True)
    assert _state() == first


def test_the_demo_tells_a_coherent_story(db: None) -> None:
    call_command("converge_demo", force=True)
    workspace = Workspace.objects.get(slug="nordvik")
    assert workspace.name == "Nordvik Outdoor AB"
    assert 9 <= workspace.departments.count() <= 11
    assert 14 <= workspace.memberships.count() <= 16
    lead = User.objects.get(email="lead@nordvik.example")
    assert lead.check_password("nordvik-demo")
    assert workspace.memberships.get(user=lead).role == "lead"
    assert workspace.memberships.get(user__email="cmo@nordvik.example").role == "executive"
    assert workspace.memberships.get(user__email="cfo@nordvik.example").role == "executive"
    for department in workspace.departments.all():
        assert department.head is not None and department.aim_list, department.name
    service = User.objects.get(email="agent@nordvik.example")
    assert can(service, "work_cases", workspace)
    assert can(User.objects.get(email="pr@nordvik.example"), "manage_influencers", workspace)
    legal = User.objects.get(email="legal@nordvik.example")
    assert not can(legal, "approve_content", workspace)  # the browser test grants it


def test_the_demo_repairs_a_changed_role(db: None) -> None:
    call_command("converge_demo", force=True)
    Membership.objects.filter(user__email="legal@nordvik.example").update(role="guest")
    call_command("converge_demo", force=True)
    assert Membership.objects.get(user__email="legal@nordvik.example").role == "member"
