"""The operating-model pages: every member reads them and acknowledges what applies to them;
leads and owners edit; outsiders get 404. Plain form posts, no JavaScript needed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from converge.core.models import AuditEntry, Membership
from converge.operating import selectors, services
from converge.operating.models import (
    Executive,
    OperatingModel,
    PracticeEntry,
    RaciAssignment,
    TeamMember,
    Touchpoint,
    Training,
)
from tests.conftest import World
from tests.operating.builders import build_operating

BASE = "/w/acme/governance"
PAGES = ["model/", "raci/", "executives/", "policies/", "training/", "practices/"]


@pytest.fixture
def built(world: World) -> dict[str, str]:
    return build_operating(world)


def m(world: World, user) -> Membership:  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user, workspace=world.workspace)


@pytest.mark.parametrize("who", ["owner", "lead", "member", "executive", "guest"])
def test_every_member_sees_every_page(
    world: World, built: dict[str, str], signed_in, who: str
) -> None:  # type: ignore[no-untyped-def]
    client: Client = signed_in(getattr(world, who))
    for page in [
        *PAGES,
        f"policies/{built['document']}/",
        f"policies/{built['document']}/versions/1/",
        f"policies/{built['document']}/diff/",
        f"training/{built['training']}/",
    ]:
        assert client.get(f"{BASE}/{page}").status_code == 200, page


def test_an_outsider_gets_404_for_a_policy(world: World, built: dict[str, str], signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.outsider)
    assert client.get(f"{BASE}/policies/{built['document']}/").status_code == 404
    assert client.post(f"{BASE}/policies/{built['document']}/acknowledge/").status_code == 404
    assert client.get(f"{BASE}/raci/").status_code == 404


def test_a_document_of_another_workspace_is_404_inside_this_one(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    from converge.core.models import Role
    from tests.factories import MembershipFactory

    MembershipFactory(workspace=world.other_workspace, user=world.lead, role=Role.LEAD)
    client = signed_in(world.lead)
    assert client.get(f"/w/rival/governance/policies/{built['document']}/").status_code == 404
    assert client.get(f"/w/rival/governance/training/{built['training']}/").status_code == 404


def test_a_member_may_not_edit_anything(world: World, built: dict[str, str], signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.member)
    before = AuditEntry.objects.count()
    for url, data in [
        ("model/", {"kind": "organic"}),
        ("raci/", {}),
        ("raci/activities/", {"name": "X"}),
        ("executives/", {"title": "X"}),
        (f"executives/{built['executive']}/touchpoints/", {"day": "2026-01-01", "kind": "other"}),
        ("policies/new/", {"title": "X"}),
        (f"policies/{built['document']}/publish/", {"body": "X"}),
        (f"policies/{built['document']}/ask/", {}),
        ("training/", {"title": "X", "kind": "other"}),
        (f"training/{built['training']}/sessions/", {"day": "2026-01-01"}),
        ("practices/", {"title": "X"}),
        (f"practices/{built['entry']}/remove/", {}),
        (f"model/team/{built['team_member']}/remove/", {}),
    ]:
        assert client.post(f"{BASE}/{url}", data).status_code == 403, url
    assert AuditEntry.objects.count() == before


def test_a_lead_chooses_the_model_and_the_team_size_is_checked(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    response = client.post(
        f"{BASE}/model/",
        {"kind": "dedicated_team", "priorities": "1. **Speed**\n<script>x()</script>"},
    )
    assert response.status_code == 302
    assert OperatingModel.objects.get(workspace=world.workspace).kind == "dedicated_team"
    client.post(
        f"{BASE}/model/team/",
        {"membership": m(world, world.lead).pk, "role": "Lead", "time_share": 100},
    )
    page = client.get(f"{BASE}/model/").content.decode()
    assert "<strong>Speed</strong>" in page and "<script>x()" not in page
    assert 'data-testid="team-warning"' in page  # one person: outside two to four
    client.post(
        f"{BASE}/model/team/",
        {"membership": m(world, world.member).pk, "role": "Community", "time_share": 50},
    )
    assert 'data-testid="team-warning"' not in client.get(f"{BASE}/model/").content.decode()


@pytest.mark.parametrize("share", ["0", "101", "abc"])
def test_a_share_of_time_outside_1_to_100_is_refused(world: World, signed_in, share: str) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    client.post(
        f"{BASE}/model/team/",
        {"membership": m(world, world.member).pk, "role": "Community", "time_share": share},
    )
    assert not TeamMember.objects.exists()


def test_the_raci_grid_is_saved_by_a_plain_post(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    activity = services.raci_activity_save(
        actor=world.lead, workspace=world.workspace, name="Crisis response"
    )
    key = f"{activity.uuid}-d-{world.department.slug}"
    client = signed_in(world.lead)
    response = client.post(
        f"{BASE}/raci/",
        {f"raci-{key}-decides": "on", f"raci-{key}-pays": "on", f"share-{key}": "60"},
    )
    assert response.status_code == 302
    rows = RaciAssignment.objects.filter(activity=activity)
    assert sorted(rows.values_list("role", "pay_share")) == [
        ("decides", None),
        ("pays", Decimal("60.00")),
    ]
    page = client.get(f"{BASE}/raci/").content.decode()
    assert "Crisis response: nobody executes." in page
    assert "Crisis response: the shares of the bill add up to 60%, not 100%." in page


def test_a_share_without_paying_shows_an_error_and_saves_nothing(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    activity = services.raci_activity_save(
        actor=world.lead, workspace=world.workspace, name="Crisis response"
    )
    key = f"{activity.uuid}-d-{world.department.slug}"
    response = signed_in(world.lead).post(
        f"{BASE}/raci/", {f"raci-{key}-decides": "on", f"share-{key}": "50"}
    )
    assert response.status_code == 200
    assert "Nothing was saved." in response.content.decode()
    assert not RaciAssignment.objects.exists()


def test_the_raci_downloads_as_csv_and_xlsx(world: World, built: dict[str, str], signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.member)
    csv = client.get(f"{BASE}/raci/raci.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Activity,Party,Kind,Decides")
    assert lines[1] == "Crisis response,Customer Service,department,,,x,,,100"
    xlsx = client.get(f"{BASE}/raci/raci.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"{BASE}/raci/raci.pdf").status_code == 404


def test_a_member_acknowledges_from_the_waiting_list(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.member)
    page = client.get(f"{BASE}/policies/").content.decode()
    assert "Social media policy" in page and "Acknowledge" in page
    response = client.post(f"{BASE}/policies/{built['document']}/acknowledge/", {"next": "list"})
    assert response.url == f"{BASE}/policies/"
    page = client.get(f"{BASE}/policies/").content.decode()
    assert "you have acknowledged everything asked of you" in page
    detail = signed_in(world.lead).get(f"{BASE}/policies/{built['document']}/").content.decode()
    assert 'data-testid="ack-percent">20 %' in detail


def test_a_lead_publishes_a_new_version_from_the_form(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    url = f"{BASE}/policies/{built['document']}/publish/"
    assert "Be kind." in client.get(url).content.decode()  # the current text to start from
    response = client.post(
        url, {"body": "# Policy\n\nBe kind, always.\n", "applies_to_everyone": "on"}
    )
    assert response.status_code == 302
    same = client.post(url, {"body": "# Policy\n\nBe kind, always.\n", "applies_to_everyone": "on"})
    assert "The text is the same as version 2" in same.content.decode()


def test_a_lead_records_an_executive_a_touchpoint_a_training_session_and_a_log_entry(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.lead)
    client.post(
        f"{BASE}/executives/",
        {"membership": m(world, world.owner).pk, "title": "CEO", "is_sponsor": "on"},
    )
    sponsors = Executive.objects.filter(workspace=world.workspace, is_sponsor=True)
    assert [e.membership.user for e in sponsors] == [world.owner]  # the old sponsor stepped down
    client.post(
        f"{BASE}/executives/{built['executive']}/touchpoints/",
        {"day": "2026-04-01", "kind": "pilot", "notes": "Pilot shown"},
    )
    assert Touchpoint.objects.filter(notes="Pilot shown", kind="pilot").exists()
    client.post(
        f"{BASE}/training/{built['training']}/sessions/",
        {"day": "2026-04-02", "attendees": [m(world, world.guest).pk]},
    )
    training = Training.objects.get(uuid=built["training"])
    assert training.completions.count() == 2
    client.post(
        f"{BASE}/practices/",
        {"day": "2026-04-03", "title": "Bluesky", "kind": "platform", "tags": "bluesky"},
    )
    assert PracticeEntry.objects.filter(title="Bluesky").exists()
    assert [e.title for e in selectors.practices(world.workspace, "BLUESKY")] == ["Bluesky"]


def test_the_lead_asks_newcomers_from_the_policy_page(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(workspace=world.workspace, user=UserFactory(), role="member")
    client = signed_in(world.lead)
    page = client.get(f"{BASE}/policies/{built['document']}/").content.decode()
    assert "1 person it applies to joined after it was published" in page
    response = client.post(f"{BASE}/policies/{built['document']}/ask/", follow=True)
    assert "1 person asked to acknowledge it." in response.content.decode()
    assert 'data-testid="newcomers"' not in response.content.decode()


def test_a_lead_renames_a_document_without_a_new_version(
    world: World, built: dict[str, str], signed_in
) -> None:  # type: ignore[no-untyped-def]
    from converge.operating.models import PolicyDocument

    client = signed_in(world.lead)
    url = f"{BASE}/policies/{built['document']}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Employee social media policy", "kind": "policy"})
    assert response.status_code == 302
    doc = PolicyDocument.objects.get(uuid=built["document"])
    assert doc.title == "Employee social media policy" and doc.versions.count() == 1
    assert signed_in(world.member).post(url, {"title": "X", "kind": "policy"}).status_code == 403
