"""Members and roles: owners are protected, people are never deleted with a membership."""

from __future__ import annotations

import pytest

from converge.core import services
from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry, Membership, Role, User
from converge.core.policy import NotPermitted
from tests.conftest import World, membership


def test_the_last_owner_cannot_be_demoted(world: World) -> None:
    with pytest.raises(ConvergeError, match="last owner"):
        services.membership_set_role(
            actor=world.owner, membership=membership(world.owner, world.workspace), role=Role.LEAD
        )
    assert membership(world.owner, world.workspace).role == Role.OWNER


def test_the_last_owner_cannot_be_removed(world: World) -> None:
    with pytest.raises(ConvergeError, match="last owner"):
        services.membership_remove(
            actor=world.owner, membership=membership(world.owner, world.workspace)
        )
    assert Membership.objects.filter(user=world.owner, workspace=world.workspace).exists()


def test_an_owner_can_step_down_once_there_is_another_owner(world: World) -> None:
    services.membership_set_role(
        actor=world.owner, membership=membership(world.lead, world.workspace), role=Role.OWNER
    )
    services.membership_set_role(
        actor=world.owner, membership=membership(world.owner, world.workspace), role=Role.LEAD
    )
    assert membership(world.owner, world.workspace).role == Role.LEAD


def test_a_lead_cannot_make_or_unmake_owners(world: World) -> None:
    with pytest.raises(ConvergeError, match="owner"):
        services.membership_set_role(
            actor=world.lead, membership=membership(world.member, world.workspace), role=Role.OWNER
        )
    with pytest.raises(ConvergeError, match="owner"):
        services.membership_remove(
            actor=world.lead, membership=membership(world.owner, world.workspace)
        )


def test_a_member_cannot_change_roles(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.membership_set_role(
            actor=world.member, membership=membership(world.guest, world.workspace), role=Role.LEAD
        )


def test_removing_a_member_keeps_the_person_and_their_other_workspaces(world: World) -> None:
    Membership.objects.create(workspace=world.other_workspace, user=world.member, role=Role.GUEST)
    services.membership_remove(
        actor=world.lead, membership=membership(world.member, world.workspace)
    )
    assert User.objects.filter(pk=world.member.pk).exists()
    assert not Membership.objects.filter(user=world.member, workspace=world.workspace).exists()
    assert Membership.objects.filter(user=world.member, workspace=world.other_workspace).exists()
    assert not world.department.members.exists()
    entry = AuditEntry.objects.get(action="membership.remove")
    assert entry.actor == world.lead and entry.changes == {"role": ["member", None]}


def test_a_role_change_through_the_page_shows_on_the_next_request(world: World, signed_in) -> None:
    target = membership(world.member, world.workspace)
    client = signed_in(world.member)
    assert client.get("/w/acme/departments/new/").status_code == 403
    lead_client = signed_in(world.lead)
    response = lead_client.post(f"/w/acme/members/{target.uuid}/", {"form": "role", "role": "lead"})
    assert response.status_code == 302
    client = signed_in(world.member)
    assert client.get("/w/acme/departments/new/").status_code == 200


def test_demoting_the_last_owner_on_the_page_shows_why_beside_the_role(
    world: World, signed_in
) -> None:
    target = membership(world.owner, world.workspace)
    response = signed_in(world.owner).post(
        f"/w/acme/members/{target.uuid}/", {"form": "role", "role": "member"}
    )
    assert response.status_code == 200
    assert "last owner" in response.content.decode()
    assert response.context["role_form"].errors["role"]
    assert membership(world.owner, world.workspace).role == Role.OWNER


def test_a_person_in_two_workspaces_switches_between_them(world: World, signed_in) -> None:
    Membership.objects.create(workspace=world.other_workspace, user=world.lead, role=Role.MEMBER)
    client = signed_in(world.lead)
    page = client.get("/w/acme/").content.decode()
    assert "/w/rival/" in page and "Rival Gear" in page
    assert client.get("/w/rival/").status_code == 200
    assert client.get("/").url == "/w/rival/"
