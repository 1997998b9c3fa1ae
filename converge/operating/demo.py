"""The demo's organisation for Nordvik Outdoor AB: a hub and spoke with a Center of Excellence
of three, a RACI with one deliberate gap (nobody decides on tool purchases), the employee social
media policy in two versions with partial acknowledgements, two channel playbooks, trainings with
sessions and completions, a year of the monthly best-practice log, and the CMO as sponsor with
touchpoints.

Dates are relative to today, so the demo stays current; written through the services, skipping
what exists, so running it again changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from converge.core.models import Department, Membership, User, Workspace
from converge.measurement.models import Channel
from converge.operating import services
from converge.operating.models import (
    Acknowledgement,
    Executive,
    OperatingModel,
    PolicyDocument,
    PracticeEntry,
    RaciActivity,
    TeamMember,
    Training,
)

D = Decimal

MANDATE = {
    "summary": (
        "A Center of Excellence of three people in Marketing is the hub; every stakeholder "
        "department is a spoke with a named contact. The steering committee meets weekly."
    ),
    "priorities": (
        "1. Tie every social objective to a business goal and a KPI.\n"
        "2. Answer complaints on social within the hour, with Customer Service.\n"
        "3. Bring Sales, HR and Product into social by 2028."
    ),
    "guidelines": (
        "- The **employee social media policy** applies to everyone.\n"
        "- Each channel has a playbook: tone, hours, escalation.\n"
        "- Paid social follows the yearly plan; no campaign budgets decided alone."
    ),
    "processes": (
        "- Content calendar and approval by Marketing and, for claims, Legal.\n"
        "- Crisis escalation through PR within 30 minutes.\n"
        "- Monthly coordination with every department; quarterly review."
    ),
    "roles": (
        "- **Social Media Lead**: strategy, budget, reporting to the sponsor.\n"
        "- **Community Manager**: channels, community, customer-care hand-over.\n"
        "- **Brand & Campaign Manager** (40%): campaigns and paid social.\n"
        "- **Spokes**: one contact per department."
    ),
}

# (activity, {department: roles}, {department: share}) — roles as letters D E P C I.
RACI: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = (
    (
        "Opening a new channel",
        {"Marketing": "DEP", "Legal": "C", "IT": "C", "Executive Management": "I"},
        {"Marketing": "100"},
    ),
    (
        "Crisis response",
        {"PR & Communications": "DE", "Customer Service": "E", "Legal": "C", "Marketing": "IP"},
        {"Marketing": "100"},
    ),
    (
        "Paid-social budget",
        {"Marketing": "DEP", "Finance": "C", "Sales": "PI", "Executive Management": "I"},
        {"Marketing": "70", "Sales": "30"},
    ),
    (
        "Content approval",
        {"Marketing": "DEP", "Legal": "C", "PR & Communications": "C"},
        {"Marketing": "100"},
    ),
    (
        "Policy changes",
        {"Legal": "D", "HR": "EP", "Marketing": "E", "Executive Management": "I"},
        {"HR": "100"},
    ),
    # The deliberate gap: Finance decides, but IT and Marketing have agreed on only 90% of
    # the bill between them.
    (
        "Tool purchases",
        {"IT": "EP", "Marketing": "P", "Finance": "D"},
        {"IT": "50", "Marketing": "40"},
    ),
    (
        "Influencer agreements",
        {"PR & Communications": "DE", "Legal": "C", "Marketing": "P", "Finance": "I"},
        {"Marketing": "100"},
    ),
    (
        "Customer-care on social",
        {"Customer Service": "DEP", "Marketing": "C", "Product & Development": "I"},
        {"Customer Service": "100"},
    ),
)
LETTERS = {"D": "decides", "E": "executes", "P": "pays", "C": "consulted", "I": "informed"}

POLICY_V1 = """# Social media at Nordvik

Everyone at Nordvik may talk about our work on social media. This policy says how.

## Be yourself, and say that you work here
- Say that you work at Nordvik when you talk about our products.
- Speak for yourself: “my view”, not “Nordvik thinks”.

## Keep confidential things confidential
- No unreleased products, prices, campaigns or figures.
- No customer's name or case, ever.

## When something goes wrong
- Do not answer complaints yourself: send them to Customer Service.
- If a post about Nordvik is spreading fast, tell PR at once.
"""

POLICY_V2 = """# Social media at Nordvik

Everyone at Nordvik may talk about our work on social media. This policy says how.

## Be yourself, and say that you work here
- Say that you work at Nordvik when you talk about our products.
- Speak for yourself: “my view”, not “Nordvik thinks”.
- Gifts and free gear from brands we work with must be disclosed (#ad, #sponsored).

## Keep confidential things confidential
- No unreleased products, prices, campaigns or figures.
- No customer's name or case, ever.
- No photos from the warehouse or the design studio without asking.

## When something goes wrong
- Do not answer complaints yourself: tag @nordvik-care in Teams or forward the link to Customer Service.
- If a post about Nordvik is spreading fast, tell PR at once: pr@nordvik.example, +46 8 123 45 00.

## Training
New employees take the onboarding training on social media in their first month.
"""

INSTAGRAM = """# Instagram playbook

**Tone**: warm, outdoorsy, practical. First names. Emoji sparingly.

**Hours**: comments answered 08–20 every day; complaints handed to Customer Service within the hour.

**Content mix**: 40% customers' own pictures (ask first), 30% tips and routes, 20% product, 10% behind the scenes.

**Escalation**: safety complaints → PR and Product at once.
"""

LINKEDIN = """# LinkedIn playbook

**Who posts**: the company page by the Social Media Lead; Sales and HR share from their own profiles.

**Content**: B2B cases with clubs and schools, open positions, the repair-and-reuse programme.

**Leads**: every inquiry goes into the CRM with the source “LinkedIn”.
"""

PRACTICES: tuple[tuple[int, str, str, str, str, str], ...] = (
    # (months ago, title, kind, text, tags, shared by)
    (
        11,
        "Threads: worth a test account?",
        "platform",
        "Threads grew fast in the Nordics; competitors have accounts but post little. "
        "Agreed to reserve the handle and test for three months.",
        "threads, new platform",
        "community",
    ),
    (
        10,
        "Answer complaints in public, solve them in private",
        "practice",
        "One public reply within the hour, then move to direct messages. "
        "Complaint threads were 40% shorter.",
        "customer care, complaints, facebook",
        "service",
    ),
    (
        9,
        "Reels outperform carousels for routes",
        "lesson",
        "Our hiking-route Reels reached three times the accounts of carousels with the same "
        "content.",
        "instagram, reels, video",
        "marketing",
    ),
    (
        8,
        "BeReal for employer branding",
        "platform",
        "HR saw other retailers use BeReal for behind-the-scenes. Not for us yet: our "
        "audience is not there.",
        "bereal, employer brand, new platform",
        "hr",
    ),
    (
        7,
        "Disclosure on influencer posts",
        "lesson",
        "Two influencer posts lacked #ad. Legal's checklist now goes with every agreement.",
        "influencers, legal, disclosure",
        "legal",
    ),
    (
        6,
        "LinkedIn employee advocacy: start small",
        "practice",
        "Five salespeople sharing one post a week doubled the page's reach in a month.",
        "linkedin, employee advocacy, sales",
        "sales",
    ),
    (
        5,
        "TikTok search is the new Google for under-25s",
        "platform",
        "Young customers search TikTok for 'best rain jacket'. We should answer there.",
        "tiktok, search, new platform",
        "community",
    ),
    (
        4,
        "Crisis drill: the recalled headlamp",
        "lesson",
        "The drill showed PR could not reach the night shift. Added an on-call number.",
        "crisis, pr, drill",
        "pr",
    ),
    (
        3,
        "Ask product questions in Stories polls",
        "practice",
        "Stories polls on colours got 4,000 answers; Product used them for the autumn range.",
        "instagram, product, feedback",
        "product",
    ),
    (
        1,
        "Åre trail-running weekend: what worked",
        "lesson",
        "Live posts from the event and a shared hashtag; user pictures tripled. Ärlig feedback "
        "från deltagarna: mer om utrustningen.",
        "events, åre, ugc",
        "lead",
    ),
)


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _months_ago(today: date, months: int) -> date:
    """The first Thursday of the month ``months`` before today's (the session's day)."""
    year, month = today.year, today.month - months
    while month < 1:
        month += 12
        year -= 1
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7)


def build_operating_demo(workspace: Workspace, actor: User) -> None:
    today = timezone.localdate()
    dept = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    person = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }

    if not OperatingModel.objects.filter(workspace=workspace).exists():
        services.operating_model_save(
            actor=actor, workspace=workspace, kind="hub_and_spoke", **MANDATE
        )
    if not TeamMember.objects.filter(workspace=workspace).exists():
        for key, role, share in (
            ("lead", "Social Media Lead, head of the Center of Excellence", 100),
            ("community", "Community Manager", 100),
            ("marketing", "Campaigns and paid social", 40),
        ):
            services.team_member_save(
                actor=actor,
                workspace=workspace,
                membership=person[key],
                role=role,
                time_share=share,
            )

    if not RaciActivity.objects.filter(workspace=workspace).exists():
        services.raci_defaults_add(actor=actor, workspace=workspace)
        activities = {a.name: a for a in RaciActivity.objects.filter(workspace=workspace)}
        cells = [
            services.CellInput(
                activities[name],
                LETTERS[letter],
                department=dept[department],
                pay_share=D(shares[department]) if letter == "P" else None,
            )
            for name, roles, shares in RACI
            for department, letters in roles.items()
            for letter in letters
        ]
        cells.append(
            services.CellInput(activities["Crisis response"], "informed", membership=person["ceo"])
        )
        services.raci_replace(actor=actor, workspace=workspace, cells=cells)

    if not Executive.objects.filter(workspace=workspace).exists():
        executives = {
            "cmo": services.executive_save(
                actor=actor,
                workspace=workspace,
                membership=person["cmo"],
                title="Chief Marketing Officer",
                is_sponsor=True,
                engaged_in="Chairs the quarterly review; presents social results to the board.",
                since=date(today.year - 1, 9, 1),
            ),
            "ceo": services.executive_save(
                actor=actor,
                workspace=workspace,
                membership=person["ceo"],
                title="Chief Executive Officer",
                engaged_in="Posts on LinkedIn monthly; answered customers live after the recall.",
                since=date(today.year, 1, 15),
            ),
            "cfo": services.executive_save(
                actor=actor,
                workspace=workspace,
                membership=person["cfo"],
                title="Chief Financial Officer",
                engaged_in="Owns the value model of social; reviews the paid-social budget.",
            ),
        }
        for key, days_ago, kind, notes in (
            ("cmo", 150, "briefing", "Briefed on the alignment of social objectives and goals."),
            ("cmo", 90, "review", "Chaired the quarterly review; agreed to stop the blog."),
            ("ceo", 60, "pilot", "Pilot presented: complaint handling on Instagram, −35% cost."),
            ("cfo", 45, "briefing", "Walked through the value model and its assumptions."),
            ("cmo", 20, "pilot", "LinkedIn employee-advocacy pilot presented to the board."),
        ):
            services.touchpoint_add(
                actor=actor,
                executive=executives[key],
                day=today - timedelta(days=days_ago),
                kind=kind,
                notes=notes,
            )

    channels: dict[str, Channel] = {}
    for channel in Channel.objects.filter(workspace=workspace).order_by("created_at", "pk"):
        channels.setdefault(channel.platform, channel)
    policy_title = "Social media policy for employees"
    if not PolicyDocument.objects.filter(workspace=workspace, title=policy_title).exists():
        v1 = services.policy_create(
            actor=actor,
            workspace=workspace,
            title=policy_title,
            kind="policy",
            body=POLICY_V1,
            change_note="First version, agreed with Legal and HR.",
            now=_at(today - timedelta(days=300)),
        )
        for ack in Acknowledgement.objects.filter(version=v1).select_related("membership__user"):
            services.policy_acknowledge(
                actor=ack.membership.user,
                document=v1.document,
                now=_at(today - timedelta(days=290), 10),
            )
        v2 = services.policy_publish(
            actor=actor,
            document=v1.document,
            body=POLICY_V2,
            change_note="Disclosure of gifts, photos, the PR on-call number, training.",
            now=_at(today - timedelta(days=14)),
        )
        # 13 of the 15 people acknowledged the new version within two weeks; two have not yet.
        for n, key in enumerate(
            (
                "lead",
                "community",
                "legal",
                "hr",
                "pr",
                "service",
                "cmo",
                "marketing",
                "it",
                "sales",
                "agent",
                "product",
                "cfo",
            )
        ):
            services.policy_acknowledge(
                actor=person[key].user,
                document=v2.document,
                now=_at(today - timedelta(days=13 - n), 11),
            )
    for title, platform, body, departments in (
        ("Instagram playbook", "instagram", INSTAGRAM, ("Marketing", "Customer Service")),
        ("LinkedIn playbook", "linkedin", LINKEDIN, ("Sales", "HR", "Marketing")),
    ):
        if PolicyDocument.objects.filter(workspace=workspace, title=title).exists():
            continue
        version = services.policy_create(
            actor=actor,
            workspace=workspace,
            title=title,
            kind="playbook",
            channel=channels.get(platform),
            body=body,
            applies_to_everyone=False,
            departments=[dept[d] for d in departments],
            now=_at(today - timedelta(days=60)),
        )
        for ack in Acknowledgement.objects.filter(version=version).select_related(
            "membership__user"
        )[:2]:
            services.policy_acknowledge(
                actor=ack.membership.user,
                document=version.document,
                now=_at(today - timedelta(days=55), 10),
            )

    if not Training.objects.filter(workspace=workspace).exists():
        policy = PolicyDocument.objects.get(workspace=workspace, title=policy_title)
        trainings = {
            "onboarding": services.training_save(
                actor=actor,
                workspace=workspace,
                title="Social media at Nordvik: onboarding",
                kind="onboarding",
                description="For new employees in their first month: the policy, our channels, "
                "who to ask.",
                policy=policy,
            ),
            "policy": services.training_save(
                actor=actor,
                workspace=workspace,
                title="The social media policy in practice",
                kind="policy",
                description="Cases from real posts: what is fine, what is not, and why.",
                policy=policy,
            ),
            "instagram": services.training_save(
                actor=actor,
                workspace=workspace,
                title="Customer care on Instagram",
                kind="channel",
                description="Answering, escalating and closing cases on Instagram.",
                channel=channels.get("instagram"),
            ),
            "linkedin": services.training_save(
                actor=actor,
                workspace=workspace,
                title="LinkedIn for B2B sales",
                kind="channel",
                description="Profiles, sharing and logging leads in the CRM.",
                channel=channels.get("linkedin"),
            ),
        }
        trainings["monthly"] = services.training_save(
            actor=actor,
            workspace=workspace,
            title="Monthly education and best-practice session",
            kind="other",
            description="What the hub learned this month: new platforms, practices that worked, "
            "lessons from mistakes. Open to every department.",
        )
        # The monthly session, on the first of each of the last three months (this one too).
        month_starts, first = [], today.replace(day=1)
        for _n in range(3):
            month_starts.append(first)
            first = (first - timedelta(days=1)).replace(day=1)
        for start in month_starts:
            services.training_session_add(
                actor=actor,
                training=trainings["monthly"],
                day=start,
                trainer=person["lead"],
                attendees=[person[a] for a in ("community", "service", "sales", "marketing")],
            )
        for key, days_ago, trainer, attendees in (
            ("onboarding", 200, "lead", ("agent", "product", "hr")),
            ("policy", 250, "legal", ("lead", "community", "marketing", "service", "pr", "cmo")),
            ("policy", 30, "legal", ("agent", "sales", "it")),
            ("instagram", 120, "community", ("service", "agent")),
            ("linkedin", 40, "lead", ("sales",)),
        ):
            services.training_session_add(
                actor=actor,
                training=trainings[key],
                day=today - timedelta(days=days_ago),
                trainer=person[trainer],
                attendees=[person[a] for a in attendees],
            )
        services.training_completion_record(
            actor=actor,
            training=trainings["linkedin"],
            membership=person["hr"],
            completed_on=today - timedelta(days=25),
        )

    if not PracticeEntry.objects.filter(workspace=workspace).exists():
        for months, title, kind, text, tags, shared_by in PRACTICES:
            services.practice_save(
                actor=actor,
                workspace=workspace,
                day=_months_ago(today, months),
                title=title,
                kind=kind,
                text=text,
                tags=tags,
                shared_by=person[shared_by],
            )
