"""Build a little of every operating-model object through the services, for tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from converge.core.models import Membership
from converge.operating import services
from tests.conftest import World


def build_operating(world: World, marker: str = "") -> dict[str, str]:
    """One of everything in world.workspace; returns the URL parameters that address them."""
    lead, ws = world.lead, world.workspace
    member = Membership.objects.get(user=world.member, workspace=ws)
    executive = Membership.objects.get(user=world.executive, workspace=ws)
    services.operating_model_save(
        actor=lead, workspace=ws, kind="hub_and_spoke", priorities=marker or "Be quick"
    )
    team_member = services.team_member_save(
        actor=lead, workspace=ws, membership=member, role=marker or "Community", time_share=50
    )
    activity = services.raci_activity_save(
        actor=lead, workspace=ws, name=marker or "Crisis response"
    )
    services.raci_assign(
        actor=lead,
        activity=activity,
        role="pays",
        department=world.department,
        pay_share=Decimal(100),
    )
    sponsor = services.executive_save(
        actor=lead,
        workspace=ws,
        membership=executive,
        title="CMO",
        is_sponsor=True,
        engaged_in=marker,
    )
    services.touchpoint_add(
        actor=lead, executive=sponsor, day=date(2026, 3, 1), kind="briefing", notes=marker
    )
    version = services.policy_create(
        actor=lead,
        workspace=ws,
        title=marker or "Social media policy",
        kind="policy",
        body=f"# Policy\n\n{marker or 'Be kind.'}\n",
    )
    training = services.training_save(
        actor=lead,
        workspace=ws,
        title=marker or "Onboarding",
        kind="onboarding",
        description=marker,
    )
    services.training_session_add(
        actor=lead, training=training, day=date(2026, 2, 1), attendees=[member], notes=marker
    )
    entry = services.practice_save(
        actor=lead,
        workspace=ws,
        day=date(2026, 2, 5),
        title=marker or "Threads",
        kind="platform",
        text=marker,
    )
    return {
        "team_member": str(team_member.uuid),
        "activity": str(activity.uuid),
        "executive": str(sponsor.uuid),
        "document": str(version.document.uuid),
        "version": str(version.number),
        "training": str(training.uuid),
        "entry": str(entry.uuid),
    }
