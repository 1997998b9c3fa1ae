"""Departments: the stakeholders, with their aims, people and grants."""

from __future__ import annotations

from converge.core.models import AuditEntry, Department, Membership, User
from tests.conftest import World, membership


def test_a_lead_adds_a_department_with_its_head_aims_and_people(world: World, signed_in) -> None:
    head = membership(world.member, world.workspace)
    response = signed_in(world.lead).post(
        "/w/acme/departments/new/",
        {
            "name": "PR & Communications",
            "kind": "pr",
            "head": head.pk,
            "members": [head.pk],
            "aims": "Earn coverage in top outdoor media\nBe crisis-ready",
            "challenges": "Influencers are handled ad hoc",
        },
    )
    department = Department.objects.get(name="PR & Communications")
    assert response.url == f"/w/acme/departments/{department.slug}/"
    assert department.slug == "pr-communications"
    assert department.aim_list == ["Earn coverage in top outdoor media", "Be crisis-ready"]
    page = signed_in(world.member).get(response.url).content.decode()
    assert "Be crisis-ready" in page and "Mia Member" in page
    entry = AuditEntry.objects.get(action="department.create")
    assert entry.changes["name"] == [None, "PR & Communications"]


def test_a_duplicate_name_is_refused_beside_the_name_and_nothing_is_saved(
    world: World, signed_in
) -> None:
    response = signed_in(world.lead).post(
        "/w/acme/departments/new/", {"name": "customer service", "kind": "other"}
    )
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["name"][0]
    assert Department.objects.filter(workspace=world.workspace).count() == 1


def test_a_missing_kind_is_refused_beside_the_kind(world: World, signed_in) -> None:
    response = signed_in(world.lead).post("/w/acme/departments/new/", {"name": "Legal"})
    assert response.context["form"].errors["kind"]
    assert not Department.objects.filter(name="Legal").exists()


def test_deleting_a_department_with_members_asks_for_confirmation(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    url = "/w/acme/departments/customer-service/delete/"
    page = client.get(url).content.decode()
    assert "1 member" in page
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Confirm" in response.context["form"].errors["confirm"][0]
    assert Department.objects.filter(pk=world.department.pk).exists()
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert not Department.objects.filter(pk=world.department.pk).exists()
    assert User.objects.filter(pk=world.member.pk).exists()
    assert Membership.objects.filter(user=world.member, workspace=world.workspace).exists()


def test_a_member_sees_departments_but_cannot_change_them(world: World, signed_in) -> None:
    client = signed_in(world.member)
    assert client.get("/w/acme/departments/customer-service/").status_code == 200
    assert client.get("/w/acme/departments/customer-service/edit/").status_code == 403
    response = client.post("/w/acme/departments/customer-service/delete/", {"confirm": "on"})
    assert response.status_code == 403
    assert Department.objects.filter(pk=world.department.pk).exists()


def test_renaming_a_department_moves_its_address_and_records_old_and_new(
    world: World, signed_in
) -> None:
    response = signed_in(world.lead).post(
        "/w/acme/departments/customer-service/edit/",
        {"name": "Customer Care", "kind": "customer_service", "members": []},
    )
    assert response.url == "/w/acme/departments/customer-care/"
    entry = AuditEntry.objects.get(action="department.update")
    assert entry.changes["name"] == ["Customer Service", "Customer Care"]
    assert entry.changes["members"] == [["Mia Member"], []]


def test_the_grants_screen_saves_the_whole_matrix(world: World, signed_in) -> None:
    client = signed_in(world.lead)
    uuid = world.department.uuid
    response = client.post(
        "/w/acme/grants/", {f"grant-{uuid}-work_cases": "on", f"grant-{uuid}-share_wins": "on"}
    )
    assert response.status_code == 302
    assert sorted(world.department.grants.values_list("capability", flat=True)) == [
        "share_wins",
        "work_cases",
    ]
    home = signed_in(world.member).get("/w/acme/").content.decode()
    assert "Work customer-care cases" in home and "Customer Service" in home


def test_a_member_cannot_change_grants(world: World, signed_in) -> None:
    uuid = world.department.uuid
    response = signed_in(world.member).post("/w/acme/grants/", {f"grant-{uuid}-work_cases": "on"})
    assert response.status_code == 403
    assert not world.department.grants.exists()
