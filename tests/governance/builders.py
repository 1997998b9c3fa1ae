"""A small operating rhythm built through the services, for tests."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from converge.core.models import Membership
from converge.governance import services
from converge.governance.models import Committee, Meeting
from tests.conftest import World

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def member_of(world: World, user) -> Membership:  # type: ignore[no-untyped-def]
    return Membership.objects.get(user=user, workspace=world.workspace)


def weekly_committee(
    world: World, *, name: str = "Steering committee", purpose: str = ""
) -> Committee:
    """Mondays at 09:00 from 2 March 2026, chaired by the lead, the member representing
    their department."""
    lead = member_of(world, world.lead)
    member = member_of(world, world.member)
    return services.committee_save(
        actor=world.lead,
        workspace=world.workspace,
        name=name,
        purpose=purpose,
        chair=lead,
        members=[lead, member],
        rrule="FREQ=WEEKLY;BYDAY=MO",
        starts_on=date(2026, 3, 2),
        start_time=time(9, 0),
        duration_minutes=60,
        location="Room Kebnekaise",
    )


def build_governance(world: World, marker: str = "") -> dict[str, str]:
    """One of everything, addressed by URL; ``marker`` goes into texts an outsider must not
    see. Returns the URL parameters."""
    committee = weekly_committee(world, purpose=marker)
    services.meetings_materialise(
        committee=committee, since=datetime(2026, 3, 1, tzinfo=STOCKHOLM), count=4
    )
    meeting = Meeting.objects.filter(committee=committee).order_by("occurrence").first()
    assert meeting is not None
    decision = services.decision_save(
        actor=world.lead, workspace=world.workspace, meeting=meeting, text=f"Decided {marker}"
    )
    item = services.action_create(
        actor=world.lead,
        workspace=world.workspace,
        meeting=meeting,
        title=f"Do it {marker}",
        owner=member_of(world, world.member),
        due_on=date(2026, 3, 20),
    )
    review = services.review_save(
        actor=world.lead,
        workspace=world.workspace,
        year=2026,
        quarter=1,
        held_on=date(2026, 3, 30),
        summary=marker,
    )
    adaptation = services.adaptation_add(
        actor=world.lead, review=review, kind="start", text=f"Start {marker}"
    )
    feed = services.feed_for(membership=member_of(world, world.lead))
    return {
        "committee": str(committee.uuid),
        "meeting": str(meeting.uuid),
        "decision": str(decision.uuid),
        "item": str(item.uuid),
        "review": str(review.uuid),
        "adaptation": str(adaptation.uuid),
        "feed": str(feed.uuid),
        "feed_token": feed.token,
    }
