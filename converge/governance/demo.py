"""The demo's operating rhythm for Nordvik Outdoor AB: the weekly steering committee (seed
001), the monthly stakeholder coordination committee and the quarterly review board (seed
000), and the monthly education and best-practice session (seed 004) — with members from the
demo's departments, past meetings with attendance, minutes, decisions and actions (some done,
some overdue), and one quarterly review with what to start, stop and change.

Dates are relative to today, so the demo stays current; for a given day the result is the same
however often it runs. Written through the services, skipping what exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from converge.core.models import Department, Membership, User, Workspace
from converge.governance import services
from converge.governance.models import Committee, Meeting, Review
from converge.strategy.models import Initiative, Kpi, SocialObjective


@dataclass(frozen=True)
class Spec:
    name: str
    purpose: str
    chair: str
    members: tuple[tuple[str, str | None], ...]  # (e-mail local part, department name)
    rrule: str
    start_time: time
    minutes: int
    location: str
    history_days: int  # how far back its past meetings go


CORE = (
    ("lead", "Marketing"),
    ("community", "Marketing"),
    ("marketing", "Marketing"),
    ("service", "Customer Service"),
    ("sales", "Sales"),
    ("pr", "PR & Communications"),
    ("legal", "Legal"),
)

COMMITTEES: tuple[Spec, ...] = (
    Spec(
        "Social media steering committee",
        "Compulsory weekly meeting of the departments that touch social: agree common "
        "objectives, assign goals and KPIs, keep the customer experience consistent.",
        "lead",
        CORE,
        "FREQ=WEEKLY;BYDAY=MO",
        time(9, 0),
        45,
        "Stockholm HQ, room Kebnekaise / Teams",
        35,
    ),
    Spec(
        "Stakeholder coordination committee",
        "Monthly with every stakeholder department: their aims, the metrics for their "
        "objectives, content ideas, wins, and the permissions extended to their teams.",
        "lead",
        (
            *CORE,
            ("hr", "HR"),
            ("it", "IT"),
            ("cfo", "Finance"),
            ("product", "Product & Development"),
        ),
        "FREQ=MONTHLY;BYDAY=1TU",
        time(14, 0),
        90,
        "Stockholm HQ, room Sarek / Teams",
        100,
    ),
    Spec(
        "Quarterly review board",
        "Formal quarterly review: analyse performance with the stakeholders and agree how to "
        "adapt — what to start, stop and change.",
        "cmo",
        (
            ("cmo", "Executive Management"),
            ("ceo", "Executive Management"),
            ("cfo", "Finance"),
            ("lead", "Marketing"),
            ("service", "Customer Service"),
            ("sales", "Sales"),
            ("pr", "PR & Communications"),
        ),
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH",
        time(13, 0),
        120,
        "Stockholm HQ, board room",
        200,
    ),
    Spec(
        "Education and best-practice session",
        "Once a month: what is new on the platforms, practices that worked, lessons learned.",
        "community",
        (
            ("community", "Marketing"),
            ("lead", "Marketing"),
            ("agent", "Customer Service"),
            ("marketing", "Marketing"),
            ("hr", "HR"),
            ("product", "Product & Development"),
            ("agency", None),
        ),
        "FREQ=MONTHLY;BYDAY=2WE",
        time(15, 0),
        60,
        "Teams",
        70,
    ),
)

MINUTES = {
    "Social media steering committee": (
        "## Notes\n\n"
        "- Complaint volume on Facebook up after the boot recall; the care desk kept the "
        "first-response median under an hour.\n"
        "- Legal asked for a shared approval queue for campaign posts.\n"
        "- Sales wants LinkedIn leads tagged in the CRM from the first touch.\n"
    ),
    "Stakeholder coordination committee": (
        "## Round of the departments\n\n"
        "- **Customer Service**: social cases rising, phone calls down.\n"
        "- **PR**: two creator collaborations signed.\n"
        "- **HR**: wants employer-brand content before the summer hiring.\n"
    ),
    "Quarterly review board": (
        "## Review\n\nPerformance walked through per department. Agreed adaptations are "
        "recorded in the quarterly review.\n"
    ),
    "Education and best-practice session": (
        "## Shared this month\n\n"
        "- Threads: early test, no business case yet.\n"
        "- Sizing videos: a Danish peer cut returns 18%.\n"
        "- Lesson: answer publicly first, then take it to a private message.\n"
    ),
}

DECISIONS = {
    "Social media steering committee": [
        ("Legal reviews every paid campaign before it is published.", "legal", "decided"),
        ("Pilot a shared approval queue with Marketing and Legal.", "marketing", "pending"),
    ],
    "Stakeholder coordination committee": [
        ("Extend the complaint workflow to the Customer Service team.", "service", "decided"),
        ("Move 10% of the print budget to paid social next quarter.", "cfo", "pending"),
    ],
    "Quarterly review board": [
        ("Report social's return to the executive team every quarter.", "lead", "decided"),
    ],
    "Education and best-practice session": [],
}

# (committee, title, owner, days after the meeting it is due, done?)
ACTIONS = {
    "Social media steering committee": [
        ("Draft the approval-queue process with Legal", "marketing", 10, True),
        ("Tag LinkedIn leads in the CRM from the first touch", "sales", 14, False),
        ("Publish the recall Q&A in the help centre", "service", 3, False),
    ],
    "Stakeholder coordination committee": [
        ("Collect content ideas from every department", "community", 21, True),
        ("Propose the employer-brand content series", "hr", 60, False),
    ],
    "Quarterly review board": [
        ("Prepare the ROI one-pager for the board", "lead", 20, False),
    ],
    "Education and best-practice session": [
        ("Share the sizing-video case study with Product", "product", 7, True),
    ],
}


def build_governance_demo(workspace: Workspace, actor: User) -> None:
    if Committee.objects.filter(workspace=workspace).exists():
        return
    now = timezone.now()
    today = timezone.localdate()
    person = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }
    dept = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    for spec in COMMITTEES:
        members = [person[p] for p, _d in spec.members if p in person]
        committee = services.committee_save(
            actor=actor,
            workspace=workspace,
            name=spec.name,
            purpose=spec.purpose,
            chair=person[spec.chair],
            members=members,
            rrule=spec.rrule,
            starts_on=date(today.year - 1, 1, 1),
            start_time=spec.start_time,
            duration_minutes=spec.minutes,
            location=spec.location,
        )
        for local, dept_name in spec.members:
            if local in person:
                services.committee_seat_set(
                    actor=actor,
                    committee=committee,
                    membership=person[local],
                    department=dept.get(dept_name) if dept_name else None,
                )
        services.meetings_materialise(
            committee=committee, since=now - timedelta(days=spec.history_days), count=12
        )
        _history(committee, spec, person, now, today)
    _review(workspace, actor, today)


def _history(
    committee: Committee,
    spec: Spec,
    person: dict[str, Membership],
    now: datetime,
    today: date,
) -> None:
    chair = person[spec.chair].user
    past = list(
        Meeting.objects.filter(committee=committee, starts_at__lt=now).order_by("occurrence")
    )
    for index, meeting in enumerate(past):
        latest = index == len(past) - 1
        if spec.rrule.startswith("FREQ=WEEKLY") and index == 1:
            services.meeting_cancel(actor=chair, meeting=meeting)  # a bank holiday
            continue
        day = timezone.localtime(meeting.starts_at).date()
        services.attendance_record(
            actor=chair,
            meeting=meeting,
            presence={
                s.membership: ("apologies" if n % 4 == 3 else "present")
                for n, s in enumerate(committee.seats.select_related("membership__user"))
            },
        )
        if index == 0 and spec.name.startswith("Social media steering"):
            services.action_create(  # long overdue by now
                actor=chair,
                workspace=committee.workspace,
                meeting=meeting,
                title="Write the crisis-response checklist for weekend shifts",
                owner=person.get("pr"),
                due_on=day + timedelta(days=5),
            )
        if latest:
            services.minutes_save(actor=chair, meeting=meeting, minutes=MINUTES[spec.name])
            for text, owner, status in DECISIONS[spec.name]:
                services.decision_save(
                    actor=chair,
                    workspace=committee.workspace,
                    meeting=meeting,
                    text=text,
                    owner=person.get(owner),
                    status=status,
                    decided_on=day if status == "decided" else None,
                    kpis=_kpis_for(committee.workspace, text),
                    initiatives=_initiatives_for(committee.workspace, text),
                )
            for title, owner, days, done in ACTIONS[spec.name]:
                item = services.action_create(
                    actor=chair,
                    workspace=committee.workspace,
                    meeting=meeting,
                    title=title,
                    owner=person.get(owner),
                    due_on=day + timedelta(days=days),
                )
                if done:
                    services.action_update(actor=chair, item=item, status="done")
        else:
            services.minutes_save(
                actor=chair,
                meeting=meeting,
                minutes="Agenda pack reviewed; actions followed up; no new decisions.",
            )
        services.meeting_hold(actor=chair, meeting=meeting, today=day)


def _kpis_for(workspace: Workspace, text: str) -> list[Kpi]:
    names = {
        "complaint": ["Median first response time", "Response rate on public complaints"],
        "Legal": ["Campaigns reviewed by Legal before publication"],
        "return": ["Quarterly ROI reports delivered"],
    }
    wanted = [n for key, found in names.items() if key in text for n in found]
    return list(Kpi.objects.filter(workspace=workspace, name__in=wanted))


def _initiatives_for(workspace: Workspace, text: str) -> list[Initiative]:
    if "paid social" in text or "print budget" in text:
        return list(Initiative.objects.filter(workspace=workspace, title__startswith="Center of"))
    return []


def _review(workspace: Workspace, actor: User, today: date) -> None:
    quarter = (today.month - 1) // 3 + 1
    year, quarter = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
    if Review.objects.filter(workspace=workspace, year=year, quarter=quarter).exists():
        return
    board = Committee.objects.filter(workspace=workspace, name="Quarterly review board").first()
    end_month = quarter * 3
    held_on = date(year + (end_month == 12), end_month % 12 + 1, 10)
    review = services.review_save(
        actor=actor,
        workspace=workspace,
        year=year,
        quarter=quarter,
        committee=board,
        held_on=min(held_on, today),
        summary=(
            "Customer Service and PR are ahead; LinkedIn leads for Sales lag and the "
            "employer-brand goal still has no objective."
        ),
    )
    objectives = {o.statement: o for o in SocialObjective.objects.filter(workspace=workspace)}
    kpis = {k.name: k for k in Kpi.objects.filter(workspace=workspace)}
    initiatives = {i.title: i for i in Initiative.objects.filter(workspace=workspace)}
    dept = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    for kind, text, department, objs, kpi_names, inits in [
        (
            "start",
            "Start weekly sizing videos for the hiking-boot range.",
            "Product & Development",
            ["Cut fit-related boot returns with sizing advice on social"],
            ["Views of sizing videos"],
            [],
        ),
        (
            "start",
            "Start an employee-advocacy pilot with store staff before the summer hiring.",
            "HR",
            [],
            [],
            ["Employee advocacy pilot"],
        ),
        (
            "stop",
            "Stop organic giveaway posts on Facebook: reach without engagement.",
            "Marketing",
            [],
            ["Engagement rate by reach"],
            [],
        ),
        (
            "change",
            "Change LinkedIn from company posts to sales-led posts with lead forms.",
            "Sales",
            ["Generate 300 qualified B2B leads a year from LinkedIn"],
            ["Qualified B2B leads from LinkedIn"],
            ["LinkedIn for B2B sales"],
        ),
    ]:
        services.adaptation_add(
            actor=actor,
            review=review,
            kind=kind,
            text=text,
            department=dept.get(department),
            objectives=[objectives[o] for o in objs if o in objectives],
            kpis=[kpis[k] for k in kpi_names if k in kpis],
            initiatives=[initiatives[i] for i in inits if i in initiatives],
        )
