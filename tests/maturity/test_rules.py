"""Every evidence rule, true and false on fixtures built from real rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from converge.core.models import Grant, Membership, Role
from converge.maturity import definition
from converge.maturity.rules import RULES, Evidence
from tests.conftest import World
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory

TODAY = date(2026, 6, 15)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def member(world: World) -> Membership:
    return Membership.objects.get(user=world.member, workspace=world.workspace)


def params_of(rule: str) -> dict[str, Any]:
    return next(dict(c.params) for c in definition.current().criteria if c.rule == rule)


# --- Builders: each makes the rule true (its "false" twin is the bare world or a near miss) ---


def goal(world: World, title: str = "Cut cost") -> Any:
    from converge.strategy.models import BusinessGoal

    return BusinessGoal.objects.create(
        workspace=world.workspace, title=title, horizon=date(2028, 1, 1)
    )


def objective(world: World, goals: list[Any], statement: str = "Answer fast") -> Any:
    from converge.strategy.models import SocialObjective

    o = SocialObjective.objects.create(
        workspace=world.workspace, statement=statement, start=TODAY, end=date(2027, 1, 1)
    )
    o.goals.set(goals)
    return o


def kpi(world: World, obj: Any, name: str = "Response time", target: bool = True) -> Any:
    from converge.strategy.models import Kpi

    return Kpi.objects.create(
        workspace=world.workspace,
        objective=obj,
        name=name,
        metric_key=name.lower().replace(" ", "_"),
        baseline_value=Decimal(10) if target else None,
        target_value=Decimal(20) if target else None,
        baseline_date=date(2026, 1, 1),
        target_date=date(2026, 12, 31),
        direction="increase",
    )


def chain(world: World) -> None:
    kpi(world, objective(world, [goal(world)]))


def broken_chain(world: World) -> None:
    objective(world, [goal(world)])  # an objective without a KPI


def vision(world: World) -> None:
    from converge.strategy.models import Vision

    Vision.objects.create(workspace=world.workspace, statement="People talk with us")


def empty_vision(world: World) -> None:
    from converge.strategy.models import Vision

    Vision.objects.create(workspace=world.workspace, statement="   ")


def roadmap(years: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.strategy.models import Initiative

        Initiative.objects.create(
            workspace=world.workspace,
            title="Care desk",
            start=TODAY,
            end=TODAY.replace(year=TODAY.year + years),
        )

    return build


def departments_served(n: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        o = objective(world, [goal(world)])
        o.departments.set(
            [
                DepartmentFactory(workspace=world.workspace, name=f"D{i}", slug=f"d{i}")
                for i in range(n)
            ]
        )

    return build


def competitor(world: World) -> None:
    from converge.strategy.models import Competitor

    Competitor.objects.create(workspace=world.workspace, name="Rival")


def archived_competitor(world: World) -> None:
    from converge.strategy.models import Competitor

    Competitor.objects.create(workspace=world.workspace, name="Rival", archived_at=at(TODAY))


def audience(world: World) -> None:
    from converge.strategy.models import Audience

    Audience.objects.create(workspace=world.workspace, name="Families", kind="customers")


def message(world: World) -> None:
    from converge.strategy.models import Message

    Message.objects.create(workspace=world.workspace, title="Gear that lasts")


def channel(world: World) -> Any:
    from converge.measurement.models import Channel

    return Channel.objects.create(workspace=world.workspace, platform="x", handle="@acme")


def imported(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.measurement.models import Import

        Import.objects.create(
            workspace=world.workspace,
            file_name="f.csv",
            size=1,
            format="csv",
            status="committed",
            committed_at=at(TODAY - timedelta(days=days_ago)),
        )

    return build


def kpis_targets(with_target: int, without: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        o = objective(world, [goal(world)])
        for i in range(with_target):
            kpi(world, o, f"K{i}")
        for i in range(without):
            kpi(world, o, f"N{i}", target=False)

    return build


def measured_objective(world: World) -> None:
    chain(world)


def kpi_values(on_track: bool) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.strategy.models import KpiValue

        k = kpi(world, objective(world, [goal(world)]))
        KpiValue.objects.create(
            workspace=world.workspace, kpi=k, day=TODAY, value=Decimal(25 if on_track else 10)
        )

    return build


def annotation(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.measurement.models import Annotation

        Annotation.objects.create(
            workspace=world.workspace, day=TODAY - timedelta(days=days_ago), title="Launch"
        )

    return build


def reviewed(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.strategy.models import ObjectiveReview

        ObjectiveReview.objects.create(
            workspace=world.workspace,
            objective=objective(world, [goal(world)]),
            reviewed_on=TODAY - timedelta(days=days_ago),
        )

    return build


def second_department(world: World) -> None:
    d = DepartmentFactory(workspace=world.workspace, name="Marketing", slug="marketing")
    d.members.add(member(world))


def grant(world: World) -> None:
    Grant.objects.create(
        workspace=world.workspace, department=world.department, capability="share_wins"
    )


def no_executive(world: World) -> None:
    Membership.objects.filter(workspace=world.workspace, role=Role.EXECUTIVE).update(
        role=Role.MEMBER
    )
    MembershipFactory(workspace=world.other_workspace, user=UserFactory(), role=Role.EXECUTIVE)


def sponsor(is_sponsor: bool) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import Executive

        Executive.objects.create(
            workspace=world.workspace,
            membership=Membership.objects.get(user=world.executive, workspace=world.workspace),
            title="CMO",
            is_sponsor=is_sponsor,
        )

    return build


def raci(deciders: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import RaciActivity, RaciAssignment

        for n, name in enumerate(["Crisis", "Content", "Tools"]):
            activity = RaciActivity.objects.create(workspace=world.workspace, name=name)
            for i in range(deciders if n == 2 else 1):
                RaciAssignment.objects.create(
                    workspace=world.workspace,
                    activity=activity,
                    membership=Membership.objects.filter(workspace=world.workspace)[i],
                    role="decides",
                )

    return build


def policy(acknowledged: int, asked: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import Acknowledgement, PolicyDocument, PolicyVersion

        doc = PolicyDocument.objects.create(
            workspace=world.workspace, title="Policy", kind="policy"
        )
        old = PolicyVersion.objects.create(
            workspace=world.workspace,
            document=doc,
            number=1,
            body="v1",
            published_at=at(date(2025, 1, 1)),
        )
        current = PolicyVersion.objects.create(
            workspace=world.workspace,
            document=doc,
            number=2,
            body="v2",
            published_at=at(date(2026, 1, 1)),
        )
        people = list(Membership.objects.filter(workspace=world.workspace))[:asked]
        for n, person in enumerate(people):
            Acknowledgement.objects.create(
                workspace=world.workspace,
                version=current,
                membership=person,
                requested_at=at(date(2026, 1, 1)),
                acknowledged_at=at(date(2026, 1, 2)) if n < acknowledged else None,
            )
            Acknowledgement.objects.create(  # everyone acknowledged the old version: no matter
                workspace=world.workspace,
                version=old,
                membership=person,
                requested_at=at(date(2025, 1, 1)),
                acknowledged_at=at(date(2025, 1, 2)),
            )

    return build


def sessions(days: list[date]) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import Training, TrainingSession

        training = Training.objects.create(
            workspace=world.workspace, title="Basics", kind="onboarding"
        )
        for day in days:
            TrainingSession.objects.create(workspace=world.workspace, training=training, day=day)

    return build


def team(n: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import TeamMember

        for person in list(Membership.objects.filter(workspace=world.workspace))[:n]:
            TeamMember.objects.create(
                workspace=world.workspace, membership=person, role="Community", time_share=50
            )

    return build


def operating_model(world: World) -> None:
    from converge.operating.models import OperatingModel

    OperatingModel.objects.create(workspace=world.workspace, kind="hub_and_spoke")


def touchpoint(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import Executive, Touchpoint

        executive = Executive.objects.create(
            workspace=world.workspace,
            membership=Membership.objects.get(user=world.executive, workspace=world.workspace),
            title="CMO",
        )
        Touchpoint.objects.create(
            workspace=world.workspace,
            executive=executive,
            day=TODAY - timedelta(days=days_ago),
            kind="briefing",
        )

    return build


def practice(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.operating.models import PracticeEntry

        PracticeEntry.objects.create(
            workspace=world.workspace,
            day=TODAY - timedelta(days=days_ago),
            title="Reels",
            kind="win",
        )

    return build


def committee(world: World) -> Any:
    from converge.governance.models import Committee

    return Committee.objects.get_or_create(
        workspace=world.workspace,
        name="Steering",
        defaults=dict(
            starts_on=date(2025, 1, 1),
            start_time=time(9),
            rrule="FREQ=MONTHLY",
        ),
    )[0]


def meeting(days_ago: int, status: str = "held") -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.governance.models import Meeting

        when = at(TODAY - timedelta(days=days_ago))
        Meeting.objects.create(
            workspace=world.workspace,
            committee=committee(world),
            occurrence=when,
            starts_at=when,
            status=status,
        )

    return build


def review(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.governance.models import Review

        Review.objects.create(
            workspace=world.workspace,
            year=2026,
            quarter=1,
            held_on=TODAY - timedelta(days=days_ago),
        )

    return build


def actions(closed: int, open_: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.governance.models import ActionItem

        for i in range(closed + open_):
            ActionItem.objects.create(
                workspace=world.workspace,
                title=f"A{i}",
                due_on=TODAY - timedelta(days=1),
                status="done" if i < closed else "open",
            )
        ActionItem.objects.create(  # not due yet: does not count
            workspace=world.workspace, title="Later", due_on=TODAY + timedelta(days=9)
        )

    return build


def decision(days_ago: int) -> Callable[[World], None]:
    def build(world: World) -> None:
        from converge.governance.models import Decision

        Decision.objects.create(
            workspace=world.workspace, text="Go", decided_on=TODAY - timedelta(days=days_ago)
        )

    return build


def funded_roadmap(funded: int, unfunded: int) -> Callable[[World], None]:
    """Initiatives running this year; ``funded`` of them get a share of this year's budget.
    A finished one and one funded only by last year's budget do not count as funded."""

    def build(world: World) -> None:
        from converge.finance.models import Allocation, BudgetLine
        from converge.strategy.models import Initiative

        line = BudgetLine.objects.create(
            workspace=world.workspace, year=TODAY.year, category="staff", name="Team", planned=1
        )
        old = BudgetLine.objects.create(
            workspace=world.workspace, year=TODAY.year - 1, category="staff", name="Old", planned=1
        )
        end = date(TODAY.year + 1, 12, 31)
        for i in range(funded + unfunded):
            initiative = Initiative.objects.create(
                workspace=world.workspace, title=f"I{i}", start=date(TODAY.year, 1, 1), end=end
            )
            chosen = line if i < funded else old
            Allocation.objects.create(
                workspace=world.workspace,
                line=chosen,
                kind="initiative",
                initiative=initiative,
                share=Decimal(10),
            )
        Initiative.objects.create(
            workspace=world.workspace,
            title="Done",
            start=date(TODAY.year, 1, 1),
            end=end,
            status="done",
        )

    return build


def nothing(world: World) -> None:
    return None


def roi_meeting(
    days_ago: int, *, executive: bool = True, roi: bool = True
) -> Callable[[World], None]:
    """A meeting held ``days_ago`` whose pack as held had the quarter's ROI (or only the
    budget), with the executive present or sending apologies."""

    def build(world: World) -> None:
        from converge.governance.models import Attendance, Meeting

        when = at(TODAY - timedelta(days=days_ago))
        pack = [
            {"key": "budget:2026", "section": "budget", "title": "Budget", "detail": "", "ref": ""}
        ]
        if roi:
            pack.append(
                {"key": "roi:2026-Q2", "section": "budget", "title": "ROI", "detail": "", "ref": ""}
            )
        meeting = Meeting.objects.create(
            workspace=world.workspace, committee=committee(world), occurrence=when,
            starts_at=when, status="held", pack=pack,
        )  # fmt: skip
        Attendance.objects.create(
            meeting=meeting,
            membership=Membership.objects.get(user=world.executive, workspace=world.workspace),
            presence="present" if executive else "apologies",
        )

    return build


def many(*builders: Callable[[World], Any]) -> Callable[[World], None]:
    def build(world: World) -> None:
        for b in builders:
            b(world)

    return build


CASES: dict[str, tuple[Callable[[World], Any], Callable[[World], Any]]] = {
    "vision_defined": (vision, empty_vision),
    "goals_defined": (lambda w: goal(w), nothing),
    "goals_have_objectives_and_kpis": (chain, broken_chain),
    "roadmap_reaches_years": (roadmap(3), roadmap(2)),
    "departments_served": (departments_served(5), departments_served(4)),
    "competitors_tracked": (competitor, archived_competitor),
    "audiences_defined": (audience, nothing),
    "messages_defined": (message, nothing),
    "channels_exist": (lambda w: channel(w), nothing),
    "recent_import": (imported(3), imported(45)),
    "kpis_with_targets": (kpis_targets(4, 1), kpis_targets(3, 1)),
    "objectives_measured": (measured_objective, broken_chain),
    "kpis_on_track": (kpi_values(True), kpi_values(False)),
    "annotations_recent": (annotation(10), annotation(200)),
    "objectives_reviewed": (reviewed(30), reviewed(120)),
    "departments_with_members": (second_department, nothing),
    "grants_extended": (grant, nothing),
    "executive_member": (nothing, no_executive),
    "sponsor_named": (sponsor(True), sponsor(False)),
    "raci_one_decider": (raci(1), raci(2)),
    "policy_acknowledged": (policy(4, 5), policy(3, 5)),
    "education_monthly": (
        sessions([date(2026, 4, 28), date(2026, 5, 3), date(2026, 6, 1)]),
        sessions([date(2026, 3, 28), date(2026, 4, 3), date(2026, 6, 1)]),
    ),
    "dedicated_team": (team(2), team(1)),
    "operating_model_chosen": (operating_model, nothing),
    "executives_engaged": (touchpoint(20), touchpoint(100)),
    "best_practices_shared": (practice(20), practice(100)),
    "committee_meets": (meeting(30), many(meeting(100), meeting(5, status="scheduled"))),
    "quarterly_review": (review(100), review(130)),
    "actions_closed": (actions(7, 3), actions(6, 4)),
    "decisions_recorded": (decision(100), decision(200)),
    "roadmap_funded": (funded_roadmap(4, 1), funded_roadmap(3, 1)),
    "roi_reported": (
        roi_meeting(40),
        many(roi_meeting(100), roi_meeting(10, executive=False), roi_meeting(5, roi=False)),
    ),
}


def test_every_rule_has_a_true_and_a_false_case() -> None:
    assert set(CASES) == set(RULES)


def evaluate(world: World, rule: str) -> Evidence:
    return RULES[rule](world.workspace, params_of(rule), TODAY)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_rule_is_met_on_its_true_fixture(world: World, rule: str) -> None:
    CASES[rule][0](world)
    evidence = evaluate(world, rule)
    assert evidence.met, evidence.found
    assert evidence.found
    assert evidence.url is None or evidence.url.startswith("/w/acme/")


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_rule_is_not_met_on_its_false_fixture(world: World, rule: str) -> None:
    CASES[rule][1](world)
    evidence = evaluate(world, rule)
    assert not evidence.met, evidence.found
    assert evidence.found
    assert evidence.create_url and evidence.create_url.startswith("/w/acme/")


def test_rules_never_read_another_workspace(world: World) -> None:
    from converge.strategy.models import BusinessGoal

    BusinessGoal.objects.create(workspace=world.other_workspace, title="Theirs", horizon=TODAY)
    assert not evaluate(world, "goals_defined").met


def test_a_policy_below_the_share_names_the_counts(world: World) -> None:
    policy(3, 5)(world)
    assert evaluate(world, "policy_acknowledged").found == ("3 of 5 people acknowledged Policy v2.")


def test_the_education_rule_names_the_months_without_a_session(world: World) -> None:
    sessions([date(2026, 6, 1)])(world)
    assert evaluate(world, "education_monthly").found == "No session in: 2026-04, 2026-05."


def test_the_funding_rule_names_the_initiatives_without_money(world: World) -> None:
    funded_roadmap(3, 1)(world)
    assert evaluate(world, "roadmap_funded").found == (
        "3 of 4 current initiatives are funded in the budget. Not funded: I3."
    )


def test_the_roi_rule_says_when_the_return_was_shown_without_an_executive(world: World) -> None:
    roi_meeting(10, executive=False)(world)
    assert evaluate(world, "roi_reported").found == (
        "The return was on the agenda of Steering on 2026-06-05, but no executive was present."
    )
