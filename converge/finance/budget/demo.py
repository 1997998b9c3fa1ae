"""Demo data: Nordvik's social media budget for 2024–2029 in SEK (part of the Nordvik demo;
deterministic and idempotent).

The budget grows year on year (about 1.9 M → 2.4 M → 2.9 M → 3.3 M → 3.5 M → 3.8 M SEK;
2027–2029 planned only, the years the demo's business case asks the board for):
tools, the paid-social war chest per platform, staff (the Social Media Lead, a Community
Manager, half of a Customer Care agent), training, an agency and content production. Each line
is allocated to the demo strategy's objectives and initiatives and to the measurement demo's
channels, looked up by their statements, titles and handles (skipped when absent). Spend is
booked month by month up to the end of the previous month, with fixed seasonal patterns, so
2024, 2025 and this year to date have actuals."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from converge.core.models import User, Workspace
from converge.finance.allocation import split_evenly
from converge.finance.budget import imports, services
from converge.finance.models import Allocation, BudgetLine, SpendEntry
from converge.measurement.models import Channel
from converge.strategy.models import Initiative, SocialObjective

YEARS = (2024, 2025, 2026, 2027, 2028, 2029)
K = Decimal(1000)

# Objectives of converge/strategy/demo.py, by statement.
REVENUE = "Drive 12% of online revenue from social by the end of next year"
COMMUNITY = "Grow the Nordvik community to 120,000 engaged followers"
COMPLAINTS = "Answer 90% of public complaints on social within one hour"
CASES = "Move 20% of simple support cases from phone to social and self-service"
MENTIONS = "Raise positive mentions to two thirds of all brand mentions"
COVERAGE = "Earn coverage in 20 Nordic outdoor media a quarter through creators"
B2B = "Generate 300 qualified B2B leads a year from LinkedIn"
PRODUCT = "Turn product feedback into the 2028 range"
RETURNS = "Cut fit-related boot returns with sizing advice on social"
REPORT = "Report social's return to the executive team every quarter"

# Channels of converge/measurement/demo.py, by (platform, handle).
INSTAGRAM = ("instagram", "@nordvikoutdoor")
FACEBOOK = ("facebook", "Nordvik Outdoor")
LINKEDIN = ("linkedin", "Nordvik Outdoor AB")
X = ("x", "@nordvik")
YOUTUBE = ("youtube", "@NordvikOutdoor")
TIKTOK = ("tiktok", "@nordvik.outdoor")

# A year's spend as twelfths of the plan (they add up to 12): campaigns in spring and autumn,
# a quiet summer.
SEASONAL = (
    "0.80",
    "0.90",
    "1.10",
    "1.20",
    "1.10",
    "0.90",
    "0.60",
    "0.70",
    "1.10",
    "1.20",
    "1.30",
    "1.10",
)
EVEN = ("1",) * 12


@dataclass(frozen=True)
class Spec:
    code: str
    name: str
    category: str
    planned: tuple[int, ...]  # thousands of SEK for each of YEARS; 0 = none
    supplier: str
    pattern: tuple[str, ...] = EVEN
    run_rate: str = "1"  # actual ÷ planned over a whole year
    platform: str = ""
    fte: str | None = None
    objectives: tuple[tuple[str, str | None], ...] = ()
    initiatives: tuple[tuple[str, str | None], ...] = ()
    channels: tuple[tuple[tuple[str, str], str | None], ...] = ()
    note: str = ""


SPECS: tuple[Spec, ...] = (
    Spec(
        "SUITE",
        "Social media management suite",
        "tools",
        (90, 96, 102, 108, 120, 130),
        "Kanalverket Suite AB",
        note="Publishing, inbox and reports for every channel; seats for Customer Service.",
        objectives=((REPORT, None), (COMPLAINTS, None)),
        channels=(
            (INSTAGRAM, None),
            (FACEBOOK, None),
            (LINKEDIN, None),
            (X, None),
            (YOUTUBE, None),
            (TIKTOK, None),
        ),
    ),
    Spec(
        "LISTEN",
        "Social listening tool",
        "tools",
        (48, 60, 84, 108, 120, 130),
        "Lyssna Insights AB",
        objectives=((MENTIONS, "50"), (PRODUCT, "50")),
        initiatives=(("Social listening into product development", "100"),),
    ),
    Spec(
        "PS-IG",
        "Paid social: Instagram",
        "paid_social",
        (200, 260, 360, 440, 470, 500),
        "Meta Platforms Ireland Ltd",
        SEASONAL,
        "1.04",
        platform="instagram",
        objectives=((REVENUE, "70"), (COMMUNITY, "30")),
        channels=((INSTAGRAM, "100"),),
    ),
    Spec(
        "PS-FB",
        "Paid social: Facebook",
        "paid_social",
        (160, 170, 180, 180, 190, 200),
        "Meta Platforms Ireland Ltd",
        SEASONAL,
        "0.97",
        platform="facebook",
        objectives=((REVENUE, "80"), (COMMUNITY, "20")),
        channels=((FACEBOOK, "100"),),
    ),
    Spec(
        "PS-LI",
        "Paid social: LinkedIn",
        "paid_social",
        (50, 90, 140, 200, 210, 220),
        "LinkedIn Ireland Unlimited",
        SEASONAL,
        "1.02",
        platform="linkedin",
        objectives=((B2B, "100"),),
        initiatives=(("LinkedIn for B2B sales", "100"),),
        channels=((LINKEDIN, "100"),),
    ),
    Spec(
        "PS-TT",
        "Paid social: TikTok",
        "paid_social",
        (30, 80, 130, 190, 200, 210),
        "TikTok Technology Ltd",
        SEASONAL,
        "1.08",
        platform="tiktok",
        objectives=((COMMUNITY, "100"),),
        channels=((TIKTOK, "100"),),
    ),
    Spec(
        "STAFF-LEAD",
        "Social Media Lead",
        "staff",
        (620, 650, 680, 710, 760, 810),
        "Payroll",
        fte="1.0",
        note="Salary with social security fees.",
        objectives=((REPORT, "40"), (REVENUE, "30"), (COMMUNITY, "30")),
        initiatives=(("Center of Excellence for social", "100"),),
    ),
    Spec(
        "STAFF-CM",
        "Community Manager",
        "staff",
        (420, 440, 460, 480, 510, 550),
        "Payroll",
        fte="1.0",
        objectives=((COMMUNITY, "50"), (COMPLAINTS, "50")),
        channels=((INSTAGRAM, "40"), (FACEBOOK, "40"), (TIKTOK, "20")),
    ),
    Spec(
        "STAFF-CARE",
        "Customer Care agent (half time on social)",
        "staff",
        (0, 230, 240, 250, 270, 290),
        "Payroll",
        fte="0.5",
        note="Half of a Customer Care agent's salary, paid from the social budget.",
        objectives=((COMPLAINTS, "60"), (CASES, "40")),
        initiatives=(("Social care desk", "100"),),
        channels=((FACEBOOK, "70"), (INSTAGRAM, "30")),
    ),
    Spec(
        "TRAIN",
        "Training",
        "training",
        (40, 60, 80, 90, 100, 110),
        "Social Akademin",
        ("0", "0", "3", "0", "0", "0", "0", "0", "3", "3", "3", "0"),
        "0.92",
        note="Policy training for new joiners and the monthly best-practice session.",
        initiatives=(("Social media policy and training for all staff", "100"),),
    ),
    Spec(
        "AGENCY",
        "Creative agency",
        "consultants",
        (120, 140, 200, 240, 260, 280),
        "Byrån Fjäll & Co",
        SEASONAL,
        "1.10",
        objectives=((COVERAGE, "60"), (REVENUE, "40")),
        initiatives=(("Creator programme with contracts", "100"),),
    ),
    Spec(
        "CONTENT",
        "Content production",
        "content",
        (100, 140, 220, 300, 320, 340),
        "Nordljus Produktion AB",
        SEASONAL,
        "0.95",
        objectives=((REVENUE, "40"), (COMMUNITY, "40"), (RETURNS, "20")),
        channels=((INSTAGRAM, "50"), (YOUTUBE, "25"), (TIKTOK, "25")),
    ),
)


def _committed(spec: Spec, year: int, planned: Decimal, today: date) -> Decimal:
    """Past years: all of it. This year: contracts (tools, staff) in full, half of the rest.
    Later years: nothing yet."""
    if year < today.year:
        return planned
    if year == today.year:
        return planned if spec.category in ("tools", "staff") else (planned / 2).quantize(K)
    return Decimal(0)


def _targets(workspace: Workspace) -> dict[str, dict[Any, Any]]:
    return {
        "objective": {o.statement: o for o in SocialObjective.objects.filter(workspace=workspace)},
        "initiative": {i.title: i for i in Initiative.objects.filter(workspace=workspace)},
        "channel": {(c.platform, c.handle): c for c in Channel.objects.filter(workspace=workspace)},
    }


def _allocate(actor: User, line: BudgetLine, spec: Spec, found: dict[str, dict[Any, Any]]) -> None:
    have = set(Allocation.objects.filter(line=line).values_list("kind", flat=True))
    for kind, wanted in (
        ("objective", spec.objectives),
        ("initiative", spec.initiatives),
        ("channel", spec.channels),
    ):
        if not wanted or kind in have:
            continue
        targets = [found[kind].get(key) for key, _share in wanted]
        if any(t is None for t in targets):
            continue  # the strategy or measurement demo lacks one of them: leave unallocated
        shares = [Decimal(s) if s is not None else None for _key, s in wanted]
        if all(s is None for s in shares):
            values: list[Decimal | None] = list(split_evenly(len(targets)))
        else:
            values = shares
        services.allocations_set(
            actor=actor, line=line, kind=kind, shares=dict(zip(targets, values, strict=True))
        )


def _months(year: int, today: date) -> list[int]:
    """The months of ``year`` that ended before this month."""
    if year < today.year:
        return list(range(1, 13))
    if year == today.year:
        return list(range(1, today.month))
    return []


def _spend(
    workspace: Workspace, actor: User, line: BudgetLine, spec: Spec, today: date
) -> list[SpendEntry]:
    yearly = (line.planned * Decimal(spec.run_rate)).quantize(Decimal("1"), ROUND_HALF_UP)
    weights = [Decimal(w) for w in spec.pattern]
    rows = []
    for month in _months(line.year, today):
        weight = weights[month - 1]
        if not weight:
            continue
        # each month the share of the year so far less what earlier months had, in whole
        # kronor, so that a whole year adds up to exactly the yearly amount
        before = sum(weights[: month - 1], Decimal(0))
        upto = (yearly * (before + weight) / 12).quantize(Decimal("1"), ROUND_HALF_UP)
        amount = upto - (yearly * before / 12).quantize(Decimal("1"), ROUND_HALF_UP)
        day = date(line.year, month, min(25, monthrange(line.year, month)[1]))
        reference = f"NV-{spec.code}-{line.year}{month:02d}"
        rows.append(
            SpendEntry(
                workspace=workspace,
                line=line,
                day=day,
                amount=amount,
                supplier=spec.supplier,
                reference=reference,
                note="Salaries and fees" if spec.category == "staff" else "",
                key=imports.reference_key(reference),
                entered_by=actor,
            )
        )
    return rows


@transaction.atomic
def build_demo(workspace: Workspace, actor: User) -> None:
    """Lines, allocations and spend; running it again adds nothing."""
    today = timezone.localdate()
    found = _targets(workspace)
    existing = {
        (line.year, line.name): line for line in BudgetLine.objects.filter(workspace=workspace)
    }
    new_spend: list[SpendEntry] = []
    for spec in SPECS:
        for year, thousands in zip(YEARS, spec.planned, strict=True):
            if not thousands:
                continue
            planned = Decimal(thousands) * K
            line = existing.get((year, spec.name))
            if line is None:
                line = services.line_save(
                    actor=actor,
                    workspace=workspace,
                    year=year,
                    category=spec.category,
                    name=spec.name,
                    planned=planned,
                    committed=_committed(spec, year, planned, today),
                    platform=spec.platform,
                    fte=Decimal(spec.fte) if spec.fte else None,
                    note=spec.note,
                )
            _allocate(actor, line, spec, found)
            new_spend.extend(_spend(workspace, actor, line, spec, today))
    have = set(
        SpendEntry.objects.filter(
            workspace=workspace, key__in=[e.key for e in new_spend]
        ).values_list("key", flat=True)
    )
    SpendEntry.objects.bulk_create([e for e in new_spend if e.key not in have])
