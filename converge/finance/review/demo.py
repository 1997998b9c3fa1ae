"""Demo data: Nordvik's current communication activities, last year and this year, and the
lead's review of this year's proposal (part of the Nordvik demo; deterministic and idempotent).

Every activity counts its results in leads, so their costs per result compare. Social —
organic and paid — costs about 1,800 SEK a lead this year; the printed catalogue costs about
20,000 and local radio about 16,000, so the lead stops both and moves their budget to social
(and takes them into the business case); the newsletter is a little costlier than social, and
the lead keeps it. Then the business case "Social business <next year>–<+2>" is built."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from converge.core.models import Department, User, Workspace
from converge.finance.models import CommActivity
from converge.finance.review import services

D = Decimal

# name, kind, department, evidence, (cost, leads) last year, (cost, leads) this year
ACTIVITIES = (
    (
        "Printed catalogue",
        "print",
        "Marketing",
        "Printer's invoices; catalogue codes entered at checkout and in the CRM",
        ("1150000", "55"),
        ("1200000", "60"),
    ),
    (
        "Customer newsletter",
        "newsletter",
        "Marketing",
        "Newsletter tool's click report; CRM lead source 'newsletter'",
        ("170000", "80"),
        ("180000", "90"),
    ),
    (
        "Trade fairs and outdoor events",
        "events",
        "Sales",
        "Event budgets; leads scanned at the stand, CRM",
        ("620000", "120"),
        ("650000", "130"),
    ),
    (
        "Local radio spots",
        "radio",
        "Marketing",
        "Media agency's invoices; campaign code in the web shop",
        ("300000", "18"),
        ("320000", "20"),
    ),
    (
        "Outdoor posters",
        "outdoor",
        "Marketing",
        "Media agency's invoices; QR code scans that became leads",
        ("380000", "9"),
        ("400000", "10"),
    ),
    (
        "Organic social (content and community)",
        "social",
        "Marketing",
        "Share of the social team's time and content budget; CRM lead source 'social'",
        ("380000", "190"),
        ("420000", "260"),
    ),
    (
        "Paid social",
        "social",
        "Marketing",
        "Ads managers' spend reports; leads from lead forms",
        ("240000", "95"),
        ("300000", "140"),
    ),
)

# The lead's review of this year: name → (decision, amount to move, into the business case).
REVIEWS = {
    "Printed catalogue": ("stop", "1200000", True),
    "Local radio spots": ("stop", "320000", True),
    "Customer newsletter": ("keep", "0", False),
}


def build_demo(workspace: Workspace, actor: User) -> None:
    y = timezone.localdate().year
    dept = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    for name, kind, department, evidence, last, this in ACTIVITIES:
        for year, (cost, leads) in ((y - 1, last), (y, this)):
            existing = CommActivity.objects.filter(
                workspace=workspace, year=year, name=name
            ).first()
            if existing is None:
                existing = services.activity_save(
                    actor=actor,
                    workspace=workspace,
                    name=name,
                    kind=kind,
                    year=year,
                    cost=D(cost),
                    results=D(leads),
                    result_unit="leads",
                    evidence=evidence,
                    department=dept.get(department),
                )
            review = REVIEWS.get(name) if year == y else None
            if review and existing.reviewed_at is None:
                decision, amount, in_case = review
                services.activity_review(
                    actor=actor,
                    activity=existing,
                    proposal=decision,
                    move_to_social=D(amount),
                    in_business_case=in_case,
                )
    from converge.reports.demo import build_demo as build_reports_demo

    build_reports_demo(workspace, actor)
