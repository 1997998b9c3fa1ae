"""The demo's social strategy for Nordvik Outdoor AB: complete and realistic, with a few
deliberate gaps so the alignment check has something true to show:

* the goal "Strengthen the employer brand" has no social objective yet;
* the objective "Turn product feedback into the 2028 range" has no KPI yet;
* the KPI "Share of voice in Nordic outdoor media" has no target yet;
* no objective serves IT or HR (the employer-brand goal still waits for one);
* the audience "Investors and analysts" has no platform evidence and no message;
* the initiative "Employee advocacy pilot" is linked to no goal or objective;
* the objective "Turn product feedback into the 2028 range" has not been reviewed.

Dates are relative to the current year, so the demo stays current; for a given day the result
is the same however often it runs. Written through the services, skipping what exists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from converge.core.models import Department, Membership, User, Workspace
from converge.strategy import services
from converge.strategy.models import (
    Audience,
    BusinessGoal,
    CaseStudy,
    Competitor,
    Initiative,
    Kpi,
    Message,
    ObjectiveReview,
    PlatformPresence,
    SocialObjective,
    Tactic,
    Vision,
)

D = Decimal


def build_strategy_demo(workspace: Workspace, actor: User) -> None:
    y = timezone.localdate().year
    dept = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    person = {
        m.user.email.split("@")[0]: m
        for m in Membership.objects.filter(workspace=workspace).select_related("user")
    }

    def d(year_offset: int, month: int, day: int) -> date:
        return date(y + year_offset, month, day)

    if not Vision.objects.filter(workspace=workspace).exists():
        services.vision_set(
            actor=actor,
            workspace=workspace,
            statement=(
                "Nordvik is the outdoor brand people talk with, not at: every customer, "
                "employee and partner can reach us where they already are, and what they tell "
                "us shapes our gear, our service and our business."
            ),
            value_employees="Pride in a brand people recommend; a voice in product and service.",
            value_customers="Answers within the hour, advice from people who hike, gear that lasts.",
            value_shareholders="Lower cost to serve, higher online share, and a brand that earns trust.",
            sponsor=person["cmo"],
            sponsor_route="champion",
            sponsor_since=d(-1, 9, 1),
        )

    goals_spec = [
        (
            "Grow online revenue to 40% of sales",
            "Online share of revenue",
            ["Marketing", "Sales"],
            d(2, 12, 31),
            1,
            "Business plan, p. 4",
        ),
        (
            "Cut the cost to serve by 15%",
            "Cost per customer case (SEK)",
            ["Customer Service", "Finance"],
            d(1, 12, 31),
            1,
            "Business plan, p. 7",
        ),
        (
            "Become the most recommended Nordic outdoor brand",
            "Net Promoter Score",
            ["Marketing", "PR & Communications"],
            d(2, 12, 31),
            2,
            "Marketing strategy, p. 2",
        ),
        (
            "Win 40 new B2B accounts a year",
            "New B2B accounts",
            ["Sales"],
            d(1, 12, 31),
            2,
            "Sales plan",
        ),
        (
            "Halve the return rate on hiking boots",
            "Return rate, boots (%)",
            ["Product & Development"],
            d(2, 6, 30),
            3,
            "Product review, autumn",
        ),
        (
            "Strengthen the employer brand",
            "Applicants per seasonal position",
            ["HR"],
            d(2, 12, 31),
            3,
            "HR plan",
        ),
    ]
    goals: dict[str, BusinessGoal] = {}
    for title, metric, depts, horizon, priority, source in goals_spec:
        goal = BusinessGoal.objects.filter(workspace=workspace, title=title).first()
        if goal is None:
            goal = services.goal_save(
                actor=actor,
                workspace=workspace,
                title=title,
                business_metric=metric,
                horizon=horizon,
                priority=priority,
                source=source,
                departments=[dept[n] for n in depts],
            )
        goals[title] = goal

    G = goals
    objectives_spec = [
        (
            "Drive 12% of online revenue from social by the end of next year",
            ["Grow online revenue to 40% of sales"],
            ["Marketing"],
            "medium",
            "Social drove 6% last year; paid social doubles.",
            "monthly",
        ),
        (
            "Answer 90% of public complaints on social within one hour",
            ["Cut the cost to serve by 15%"],
            ["Customer Service"],
            "high",
            "A staffed care desk already answers e-mail within two hours.",
            "monthly",
        ),
        (
            "Move 20% of simple support cases from phone to social and self-service",
            ["Cut the cost to serve by 15%"],
            ["Customer Service", "Finance"],
            "medium",
            "Telia and Clas Ohlson moved 15–25% within two years.",
            "quarterly",
        ),
        (
            "Raise positive mentions to two thirds of all brand mentions",
            ["Become the most recommended Nordic outdoor brand"],
            ["PR & Communications", "Marketing"],
            "medium",
            "Net sentiment is 48% today; crisis plans cut the dips.",
            "quarterly",
        ),
        (
            "Earn coverage in 20 Nordic outdoor media a quarter through creators",
            ["Become the most recommended Nordic outdoor brand"],
            ["PR & Communications"],
            "medium",
            "Two creator collaborations a month, agreed with contracts.",
            "quarterly",
        ),
        (
            "Generate 300 qualified B2B leads a year from LinkedIn",
            ["Win 40 new B2B accounts a year"],
            ["Sales"],
            "low",
            "LinkedIn is new to the team; a stretch for the first year.",
            "quarterly",
        ),
        (
            "Turn product feedback into the 2028 range",
            ["Halve the return rate on hiking boots"],
            ["Product & Development"],
            "medium",
            "Comments are collected but not yet tagged.",
            "quarterly",
        ),
        (
            "Cut fit-related boot returns with sizing advice on social",
            ["Halve the return rate on hiking boots"],
            ["Product & Development", "Customer Service"],
            "medium",
            "Sizing videos cut returns 18% at a Danish peer.",
            "quarterly",
        ),
        (
            "Grow the Nordvik community to 120,000 engaged followers",
            [
                "Become the most recommended Nordic outdoor brand",
                "Grow online revenue to 40% of sales",
            ],
            ["Marketing"],
            "high",
            "Growth has been 2,000 a month without paid support.",
            "monthly",
        ),
        (
            "Keep every campaign compliant: zero upheld complaints",
            ["Become the most recommended Nordic outdoor brand"],
            ["Legal", "Marketing"],
            "high",
            "Legal reviews content before publication from now on.",
            "quarterly",
        ),
        (
            "Report social's return to the executive team every quarter",
            ["Grow online revenue to 40% of sales", "Cut the cost to serve by 15%"],
            ["Executive Management", "Finance"],
            "high",
            "The numbers exist; the habit does not.",
            "quarterly",
        ),
    ]
    objectives: dict[str, SocialObjective] = {}
    for statement, goal_titles, depts, realism, why, cadence in objectives_spec:
        obj = SocialObjective.objects.filter(workspace=workspace, statement=statement).first()
        if obj is None:
            obj = services.objective_save(
                actor=actor,
                workspace=workspace,
                statement=statement,
                goals=[G[t] for t in goal_titles],
                departments=[dept[n] for n in depts],
                start=d(0, 1, 1),
                end=d(1, 12, 31),
                realism=realism,
                realism_rationale=why,
                review_cadence=cadence,
            )
        objectives[statement] = obj
        if cadence == "monthly" and not ObjectiveReview.objects.filter(objective=obj).exists():
            services.objective_review(
                actor=actor,
                objective=obj,
                reviewed_on=timezone.localdate().replace(day=1),
                note="Monthly stakeholder coordination meeting.",
            )
        elif not ObjectiveReview.objects.filter(objective=obj).exists() and statement.startswith(
            ("Move", "Raise", "Earn", "Generate", "Cut fit", "Keep", "Report")
        ):
            review_day = timezone.localdate().replace(day=1)
            services.objective_review(
                actor=actor,
                objective=obj,
                reviewed_on=review_day.replace(month=((review_day.month - 1) // 3) * 3 + 1),
                note="Quarterly review board.",
            )

    O = list(objectives.values())
    kpi_spec = [
        # objective index, name, metric, unit, direction, baseline, target, owner, amec
        (
            0,
            "Revenue attributed to social",
            "attributed_revenue",
            "SEK",
            "increase",
            "9600000",
            "21000000",
            "marketing",
            "impact",
        ),
        (
            0,
            "Conversions from social",
            "conversions",
            "",
            "increase",
            "11800",
            "24000",
            "marketing",
            "outcome",
        ),
        (
            0,
            "Link clicks to the web shop",
            "link_clicks",
            "",
            "increase",
            "310000",
            "520000",
            "community",
            "outtake",
        ),
        (
            1,
            "Median first response time",
            "median_first_response_time",
            "min",
            "decrease",
            "185",
            "45",
            "service",
            "outcome",
        ),
        (
            1,
            "Response rate on public complaints",
            "response_rate",
            "%",
            "increase",
            "71",
            "95",
            "service",
            "output",
        ),
        (
            2,
            "Support cases solved on social",
            "cases_solved_social",
            "cases/month",
            "increase",
            "900",
            "2600",
            "service",
            "outcome",
        ),
        (
            2,
            "Cost per support case",
            "cost_per_case",
            "SEK",
            "decrease",
            "68",
            "52",
            "cfo",
            "impact",
        ),
        (3, "Net sentiment", "net_sentiment", "%", "increase", "48", "66", "pr", "outtake"),
        (
            3,
            "Share of voice in Nordic outdoor media",
            "share_of_voice",
            "%",
            "increase",
            "14",
            None,
            "pr",
            "outtake",
        ),
        (
            4,
            "Earned media articles per quarter",
            "earned_articles",
            "",
            "increase",
            "7",
            "20",
            "pr",
            "outcome",
        ),
        (
            4,
            "Creator posts with disclosure",
            "creator_posts",
            "",
            "increase",
            "6",
            "24",
            "pr",
            "output",
        ),
        (
            5,
            "Qualified B2B leads from LinkedIn",
            "leads",
            "",
            "increase",
            "40",
            "300",
            "sales",
            "outcome",
        ),
        (
            5,
            "LinkedIn engagement rate by impressions",
            "engagement_rate_impressions",
            "%",
            "increase",
            "2.1",
            "3.5",
            "sales",
            "outtake",
        ),
        (
            7,
            "Fit-related boot returns",
            "return_rate_boots",
            "%",
            "decrease",
            "21",
            "12",
            "product",
            "impact",
        ),
        (
            7,
            "Views of sizing videos",
            "video_views",
            "",
            "increase",
            "40000",
            "400000",
            "community",
            "output",
        ),
        (
            8,
            "Engaged followers",
            "followers",
            "",
            "increase",
            "74000",
            "120000",
            "community",
            "output",
        ),
        (
            8,
            "Engagement rate by reach",
            "engagement_rate_reach",
            "%",
            "increase",
            "3.2",
            "4.5",
            "community",
            "outtake",
        ),
        (
            8,
            "Amplification rate",
            "amplification_rate",
            "%",
            "increase",
            "0.6",
            "1.0",
            "community",
            "outtake",
        ),
        (
            8,
            "Net follower growth per month",
            "net_follower_growth",
            "",
            "increase",
            "1900",
            "3000",
            "community",
            "output",
        ),
        (
            9,
            "Upheld complaints to the Consumer Agency",
            "upheld_complaints",
            "",
            "band",
            "0",
            None,
            "legal",
            "impact",
        ),
        (
            9,
            "Campaigns reviewed by Legal before publication",
            "campaigns_reviewed",
            "%",
            "increase",
            "35",
            "100",
            "legal",
            "output",
        ),
        (
            10,
            "Quarterly ROI reports delivered",
            "roi_reports",
            "",
            "increase",
            "0",
            "4",
            "lead",
            "output",
        ),
        (10, "Return on social spend", "roi", "%", "increase", "40", "120", "cfo", "impact"),
        (
            1,
            "Customer satisfaction after a social case",
            "csat",
            "%",
            "increase",
            "78",
            "85",
            "service",
            "outcome",
        ),
        (
            2,
            "Calls to the support line",
            "support_calls",
            "calls/month",
            "decrease",
            "14200",
            "11400",
            "service",
            "outcome",
        ),
    ]
    for idx, name, metric, unit, direction, base, target, owner, amec in kpi_spec:
        objective = O[idx]
        if Kpi.objects.filter(objective=objective, name=name).exists():
            continue
        band = direction == "band"
        if target is None and not band:
            _kpi_without_target(
                actor,
                workspace,
                objective,
                name,
                metric,
                unit,
                D(base),
                d(-1, 12, 31),
                person[owner],
                amec,
            )
            continue
        services.kpi_save(
            actor=actor,
            workspace=workspace,
            objective=objective,
            name=name,
            metric_key=metric,
            unit=unit,
            direction=direction,
            baseline_value=D(base),
            baseline_date=d(-1, 12, 31),
            target_value=None if band or target is None else D(target),
            target_date=d(1, 12, 31),
            band_low=D(0) if band else None,
            band_high=D(0) if band else None,
            owner=person[owner],
            review_cadence="monthly",
            amec_stage=amec,
        )

    audiences_spec = [
        (
            "Outdoor families",
            "customers",
            420000,
            1,
            "Parents 30–45 with children, weekend hikers and campers.",
            [
                ("facebook", "71", "percent"),
                ("instagram", "58", "percent"),
                ("youtube", "44", "percent"),
            ],
        ),
        (
            "Young adventurers",
            "customers",
            260000,
            1,
            "18–29, city-based, trail running, climbing and van life.",
            [
                ("instagram", "86", "percent"),
                ("tiktok", "62", "percent"),
                ("youtube", "69", "percent"),
            ],
        ),
        (
            "Clubs, schools and guide companies",
            "clients",
            3800,
            2,
            "Buyers of team and group gear; decisions by committee.",
            [("linkedin", "47", "percent"), ("facebook", "63", "percent")],
        ),
        (
            "Outdoor and lifestyle journalists",
            "journalists",
            240,
            2,
            "Nordic outdoor magazines, travel desks, podcasts.",
            [("x", "52", "percent"), ("instagram", "64", "percent"), ("linkedin", "58", "percent")],
        ),
        (
            "Employees and seasonal staff",
            "employees",
            640,
            2,
            "Store staff, warehouse, head office; many under 30.",
            [("instagram", "77", "percent"), ("linkedin", "41", "percent")],
        ),
        (
            "Investors and analysts",
            "investors",
            60,
            3,
            "Owners, the board's advisers and retail analysts.",
            [],
        ),
    ]
    audiences: dict[str, Audience] = {}
    for name, kind, size, priority, demo_text, presence in audiences_spec:
        aud = Audience.objects.filter(workspace=workspace, name=name).first()
        if aud is None:
            aud = services.audience_save(
                actor=actor,
                workspace=workspace,
                name=name,
                kind=kind,
                size=size,
                priority=priority,
                demographics=demo_text,
            )
        audiences[name] = aud
        for platform, figure, unit in presence:
            if not PlatformPresence.objects.filter(audience=aud, platform=platform).exists():
                services.presence_save(
                    actor=actor,
                    audience=aud,
                    platform=platform,
                    figure=D(figure),
                    unit=unit,
                    source="Internetstiftelsen, Svenskarna och internet",
                    figure_date=d(-1, 10, 15),
                    source_url="https://svenskarnaochinternet.se/",
                )

    A = audiences
    messages_spec = [
        (
            "Gear that lasts, and we help it last longer",
            "Repair, reuse and care advice with every product.",
            ["Outdoor families", "Young adventurers"],
            ["instagram", "facebook", "youtube"],
            "Warm, practical",
            "marketing",
        ),
        (
            "We answer within the hour",
            "Ask us anything about your order or your gear, where you already are.",
            ["Outdoor families", "Young adventurers"],
            ["facebook", "instagram", "x"],
            "Helpful, human",
            "service",
        ),
        (
            "Equip your whole group, one contact",
            "Group pricing, sizing days and one contact for clubs and schools.",
            ["Clubs, schools and guide companies"],
            ["linkedin", "facebook"],
            "Professional",
            "sales",
        ),
        (
            "Stories from the trail",
            "Creators and staff on real trips with Nordvik gear.",
            ["Young adventurers", "Outdoor and lifestyle journalists"],
            ["instagram", "tiktok", "youtube"],
            "Inspiring",
            "pr",
        ),
        (
            "Work where the outdoors is the office",
            "Seasonal jobs and careers at Nordvik.",
            ["Employees and seasonal staff", "Young adventurers"],
            ["instagram", "linkedin", "tiktok"],
            "Friendly",
            "hr",
        ),
    ]
    for title, text, auds, channels, tone, owner in messages_spec:
        if not Message.objects.filter(workspace=workspace, title=title).exists():
            services.message_save(
                actor=actor,
                workspace=workspace,
                title=title,
                text=text,
                audiences=[A[n] for n in auds],
                channels=channels,
                tone=tone,
                owner=person[owner],
            )

    tactics_spec = [
        (0, "instagram", "Shoppable posts for each new collection", "3 a week", 1, "6"),
        (0, "facebook", "Paid social for seasonal campaigns", "4 campaigns a year", 1, "4"),
        (1, "facebook", "Staffed social care desk, 08–20 on weekdays", "Daily", 3, "60"),
        (1, "instagram", "Direct-message triage with saved replies", "Daily", 2, "20"),
        (5, "linkedin", "Case stories from clubs and schools", "2 a month", 1, "3"),
        (7, "youtube", "Boot sizing and fit videos", "1 a month", 1, "4"),
        (8, "tiktok", "Trail tips from staff", "2 a week", 2, "5"),
    ]
    for idx, channel, activity, freq, people, hours in tactics_spec:
        if not Tactic.objects.filter(objective=O[idx], activity=activity).exists():
            services.tactic_save(
                actor=actor,
                objective=O[idx],
                channel=channel,
                activity=activity,
                frequency=freq,
                people=people,
                hours_per_week=D(hours),
            )

    initiatives_spec = [
        (
            "Social care desk",
            0,
            2,
            0,
            12,
            ["Cut the cost to serve by 15%"],
            [1, 2],
            "Customer Service",
            "active",
            1,
            "1450000",
            3,
        ),
        (
            "Social media policy and training for all staff",
            0,
            3,
            0,
            9,
            [],
            [9],
            "HR",
            "active",
            1,
            "180000",
            4,
        ),
        (
            "Center of Excellence for social",
            0,
            9,
            1,
            6,
            ["Grow online revenue to 40% of sales"],
            [10],
            "Marketing",
            "planned",
            1,
            "900000",
            4,
        ),
        (
            "Creator programme with contracts",
            0,
            4,
            1,
            12,
            ["Become the most recommended Nordic outdoor brand"],
            [4],
            "PR & Communications",
            "planned",
            2,
            "600000",
            3,
        ),
        (
            "LinkedIn for B2B sales",
            1,
            1,
            1,
            12,
            ["Win 40 new B2B accounts a year"],
            [5],
            "Sales",
            "planned",
            2,
            "250000",
            3,
        ),
        (
            "Social listening into product development",
            1,
            3,
            2,
            6,
            ["Halve the return rate on hiking boots"],
            [6, 7],
            "Product & Development",
            "planned",
            2,
            "400000",
            5,
        ),
        (
            "Social in every customer touchpoint",
            2,
            1,
            3,
            12,
            ["Grow online revenue to 40% of sales", "Cut the cost to serve by 15%"],
            [],
            "Executive Management",
            "planned",
            1,
            "2200000",
            6,
        ),
        ("Employee advocacy pilot", 1, 2, 1, 10, [], [], "HR", "planned", 3, "120000", 4),
    ]
    for (
        title,
        sy,
        sm,
        ey,
        em,
        goal_titles,
        obj_idx,
        dept_name,
        status,
        priority,
        cost,
        stage,
    ) in initiatives_spec:
        if not Initiative.objects.filter(workspace=workspace, title=title).exists():
            end_month_day = 31 if em in (1, 3, 5, 7, 8, 10, 12) else 30
            services.initiative_save(
                actor=actor,
                workspace=workspace,
                title=title,
                start=d(sy, sm, 1),
                end=d(ey, em, end_month_day),
                goals=[G[t] for t in goal_titles],
                objectives=[O[i] for i in obj_idx],
                department=dept[dept_name],
                status=status,
                priority=priority,
                estimated_cost=D(cost),
                maturity_stage=stage,
            )

    competitors_spec = [
        (
            "Fjällräven",
            "https://www.fjallraven.com",
            ["instagram", "youtube", "facebook"],
            [
                (
                    -1,
                    3,
                    12,
                    "press",
                    "Arctic Fox campaign covered by 30+ Nordic media after creator launch.",
                ),
                (-1, 9, 2, "awareness", "Classic trek livestream reached 1.2 million views."),
            ],
        ),
        (
            "Haglöfs",
            "https://www.haglofs.com",
            ["instagram", "tiktok", "linkedin"],
            [
                (-1, 5, 20, "speaking", "Head of social spoke at Social Media Week Stockholm."),
                (0, 2, 7, "prospects", "Recruited 40 retail partners through a LinkedIn series."),
            ],
        ),
        (
            "Naturkompaniet",
            "https://www.naturkompaniet.se",
            ["facebook", "instagram"],
            [
                (
                    -1,
                    11,
                    5,
                    "awareness",
                    "Repair-café events promoted on Facebook tripled attendance.",
                )
            ],
        ),
    ]
    for name, site, channels, observations in competitors_spec:
        comp = Competitor.objects.filter(workspace=workspace, name=name).first()
        if comp is None:
            comp = services.competitor_save(
                actor=actor, workspace=workspace, name=name, website=site, channels=channels
            )
            for oy, om, od, kind, text in observations:
                services.observation_add(
                    actor=actor,
                    competitor=comp,
                    observed_on=d(oy, om, od),
                    kind=kind,
                    description=text,
                )

    cases_spec = [
        (
            "Care on social cut cost per case by a fifth",
            "A Nordic telecom operator moved simple cases to a staffed social desk.",
            "Cost per case −21%; CSAT +6 points within 18 months.",
            "Customer service benchmark study",
        ),
        (
            "Sizing videos cut returns",
            "A Danish footwear retailer published fit advice on YouTube and Instagram.",
            "Fit-related returns −18% in one season.",
            "Retail industry conference talk",
        ),
    ]
    for title, summary, figures, source in cases_spec:
        if not CaseStudy.objects.filter(workspace=workspace, title=title).exists():
            services.case_study_save(
                actor=actor,
                workspace=workspace,
                title=title,
                summary=summary,
                figures=figures,
                source=source,
            )


def _kpi_without_target(
    actor: User,
    workspace: Workspace,
    objective: SocialObjective,
    name: str,
    metric: str,
    unit: str,
    baseline: Decimal,
    baseline_date: date,
    owner: Membership,
    amec: str,
) -> Kpi:
    """A KPI whose target is not set yet (a deliberate gap). The service would refuse it, as
    it should for a person; the demo writes it directly, with its audit entry."""
    from converge.core import audit

    kpi = Kpi.objects.create(
        workspace=workspace,
        objective=objective,
        name=name,
        metric_key=metric,
        unit=unit,
        direction="increase",
        baseline_value=baseline,
        baseline_date=baseline_date,
        owner=owner,
        amec_stage=amec,
    )
    audit.record(workspace=workspace, actor=actor, action="kpi.create", obj=kpi)
    services.alignment_record(workspace=workspace)
    return kpi


# How each demo KPI reads the generated figures (``measurement.demo_data.KPI_SCOPES``): the
# period "year" is the 12-month window, "end" the last value (of the past week), "month" the
# 30-day window.
SCOPE_WINDOWS = {"year": "year", "end": "week", "month": "month"}


def connect_kpis_to_figures(workspace: Workspace, actor: User) -> int:
    """Give each demo KPI whose metric is in the catalogue its window and channels, as the
    figures were generated for it (a platform means the demo's main channel there — LinkedIn
    is the company page, not the "Nordvik Pro" showcase). Idempotent: returns how many KPIs
    changed. Written directly with an audit entry, because one of them deliberately lacks the
    target that the service would ask for."""
    from converge.core import audit
    from converge.measurement.demo import CHANNELS
    from converge.measurement.demo_data import KPI_SCOPES
    from converge.measurement.models import Channel

    main = {(spec[0], spec[1]) for spec in CHANNELS}
    channels = [
        c for c in Channel.objects.filter(workspace=workspace) if (c.platform, c.handle) in main
    ]
    changed = 0
    for kpi in Kpi.objects.filter(
        workspace=workspace, metric_key__in=list(KPI_SCOPES)
    ).prefetch_related("channels"):
        scope = KPI_SCOPES[kpi.metric_key]
        window = SCOPE_WINDOWS[scope.period]
        chosen = (
            []
            if scope.platforms is None
            else [c for c in channels if c.platform in scope.platforms]
        )
        had = sorted(str(c) for c in kpi.channels.all())
        want = sorted(str(c) for c in chosen)
        if kpi.window == window and had == want:
            continue
        before = kpi.window
        kpi.window = window
        kpi.save(update_fields=["window"])
        kpi.channels.set(chosen)
        audit.record(
            workspace=workspace,
            actor=actor,
            action="kpi.update",
            obj=kpi,
            changes=audit.diff(
                {"window": before, "channels": had}, {"window": window, "channels": want}
            ),
        )
        changed += 1
    return changed
