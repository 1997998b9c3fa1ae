"""The main menu offers Budget & ROI and Reports only to people who may see the money."""

from converge.core.models import Grant
from tests.conftest import World


def test_a_member_without_the_budget_grant_is_not_offered_budget_or_reports(
    world: World, signed_in
) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(world.member).get("/w/acme/").content.decode()
    assert "/w/acme/budget/" not in page
    assert "/w/acme/reports/" not in page


def test_an_executive_and_a_granted_department_are_offered_both(world: World, signed_in) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(world.executive).get("/w/acme/").content.decode()
    assert "/w/acme/budget/" in page and "/w/acme/reports/" in page
    Grant.objects.create(
        workspace=world.workspace, department=world.department, capability="view_budget"
    )
    page = signed_in(world.member).get("/w/acme/").content.decode()
    assert "/w/acme/budget/" in page and "/w/acme/reports/" in page
