"""The policy: the whole role × action matrix, and department grants on top of it."""

from __future__ import annotations

import pytest

from converge.core import services
from converge.core.models import Capability, Role
from converge.core.policy import Action, can
from tests.conftest import World, membership
from tests.factories import MembershipFactory, UserFactory

# Written out by hand, so that a change to the policy must be made twice to pass.
O, L, M, E, G = Role.OWNER, Role.LEAD, Role.MEMBER, Role.EXECUTIVE, Role.GUEST
EXPECTED: dict[str, set[str]] = {
    Action.VIEW_WORKSPACE: {O, L, M, E, G},
    Action.USE_API: {O, L, M, E, G},
    Action.EDIT_WORKSPACE: {O, L},
    Action.DELETE_WORKSPACE: {O},
    Action.MANAGE_MEMBERS: {O, L},
    Action.MANAGE_OWNERS: {O},
    Action.MANAGE_DEPARTMENTS: {O, L},
    Action.MANAGE_GRANTS: {O, L},
    Action.VIEW_AUDIT: {O, L},
    Action.MANAGE_GOVERNANCE: {O, L},
    Action.MANAGE_OPERATING_MODEL: {O, L},
    Action.MANAGE_MATURITY: {O, L},
    Action.MANAGE_BUDGET: {O, L},
    Capability.WORK_CASES: {O, L},
    Capability.MANAGE_INFLUENCERS: {O, L},
    Capability.APPROVE_CONTENT: {O, L},
    Capability.SUBMIT_IDEAS: {O, L},
    Capability.SHARE_WINS: {O, L},
    Capability.VIEW_DASHBOARDS: {O, L, E, G},
    Capability.VIEW_BUDGET: {O, L, E},
    Capability.EDIT_STRATEGY: {O, L},
}
ALL = [(role, action) for action in EXPECTED for role in Role.values]


def test_the_matrix_covers_every_action_and_capability() -> None:
    assert set(EXPECTED) == {a.value for a in Action} | set(Capability.values)


@pytest.mark.parametrize(("role", "action"), ALL)
def test_each_role_may_do_exactly_what_the_matrix_says_without_grants(
    db: None, role: str, action: str
) -> None:
    person = MembershipFactory(role=role)
    assert can(person.user, action, person.workspace) is (role in EXPECTED[action])


@pytest.mark.parametrize("capability", Capability.values)
@pytest.mark.parametrize("role", [M, E, G])
def test_a_grant_to_a_department_extends_the_capability_to_its_members(
    world: World, role: str, capability: str
) -> None:
    person = UserFactory()
    m = MembershipFactory(workspace=world.workspace, user=person, role=role)
    world.department.members.add(m)
    services.grants_set(actor=world.lead, department=world.department, capabilities=[capability])
    assert can(person, capability, world.workspace)
    # ...but a grant never lifts a workspace action such as managing members.
    assert not can(person, Action.MANAGE_MEMBERS, world.workspace)


def test_a_grant_reaches_only_the_departments_members(world: World) -> None:
    services.grants_set(
        actor=world.lead, department=world.department, capabilities=[Capability.WORK_CASES]
    )
    assert can(world.member, Capability.WORK_CASES, world.workspace)
    assert not can(world.guest, Capability.WORK_CASES, world.workspace)


def test_removing_a_grant_takes_effect_at_once(world: World) -> None:
    services.grants_set(
        actor=world.lead, department=world.department, capabilities=[Capability.WORK_CASES]
    )
    assert can(world.member, Capability.WORK_CASES, world.workspace)
    services.grants_set(actor=world.lead, department=world.department, capabilities=[])
    assert not can(world.member, Capability.WORK_CASES, world.workspace)


def test_a_role_change_takes_effect_at_once(world: World) -> None:
    assert not can(world.member, Action.MANAGE_DEPARTMENTS, world.workspace)
    services.membership_set_role(
        actor=world.owner, membership=membership(world.member, world.workspace), role=Role.LEAD
    )
    assert can(world.member, Action.MANAGE_DEPARTMENTS, world.workspace)
    services.membership_set_role(
        actor=world.owner, membership=membership(world.member, world.workspace), role=Role.GUEST
    )
    assert not can(world.member, Action.MANAGE_DEPARTMENTS, world.workspace)


def test_an_outsider_may_do_nothing_in_another_workspace(world: World) -> None:
    for action in EXPECTED:
        assert not can(world.outsider, action, world.workspace)


def test_an_object_is_judged_by_its_workspace(world: World) -> None:
    assert can(world.lead, Action.MANAGE_DEPARTMENTS, world.department)
    assert not can(world.outsider, Action.VIEW_WORKSPACE, world.department)


def test_an_unknown_action_is_a_programming_error(world: World) -> None:
    with pytest.raises(ValueError, match="unknown action"):
        can(world.lead, "launch_rockets", world.workspace)


def test_a_deactivated_account_may_do_nothing(world: World) -> None:
    world.owner.is_active = False
    world.owner.save()
    assert not can(world.owner, Action.VIEW_WORKSPACE, world.workspace)
