"""The demo workspace: Nordvik Outdoor AB, a fictional Swedish outdoor-gear retailer.

Built through the same services as the pages, idempotently: running it again changes nothing
and writes no audit entries. Every later capability extends ``build_demo``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from converge.core import services
from converge.core.models import (
    Capability,
    Department,
    DepartmentKind,
    Grant,
    Membership,
    Role,
    User,
    Workspace,
)

DEMO_SLUG = "nordvik"
DEMO_PASSWORD = "nordvik-demo"


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    title: str
    role: str


PEOPLE: tuple[Person, ...] = (
    Person("it@nordvik.example", "Mikael Ek", "IT Manager", Role.OWNER),
    Person("lead@nordvik.example", "Sara Lindqvist", "Social Media Lead", Role.LEAD),
    Person("community@nordvik.example", "Lina Åberg", "Community Manager", Role.LEAD),
    Person("cmo@nordvik.example", "Johan Berg", "Chief Marketing Officer", Role.EXECUTIVE),
    Person("cfo@nordvik.example", "Eva Holm", "Chief Financial Officer", Role.EXECUTIVE),
    Person("ceo@nordvik.example", "Anders Nyström", "Chief Executive Officer", Role.EXECUTIVE),
    Person("marketing@nordvik.example", "Karin Wallin", "Brand & Campaign Manager", Role.MEMBER),
    Person("service@nordvik.example", "Maria Sandberg", "Customer Service Manager", Role.MEMBER),
    Person("agent@nordvik.example", "Oskar Lund", "Customer Care Agent", Role.MEMBER),
    Person("pr@nordvik.example", "Emma Strand", "Head of PR & Communications", Role.MEMBER),
    Person("legal@nordvik.example", "Erik Dahl", "Legal Counsel", Role.MEMBER),
    Person("sales@nordvik.example", "Sofia Björk", "Head of B2B Sales", Role.MEMBER),
    Person("hr@nordvik.example", "Henrik Lind", "HR Manager", Role.MEMBER),
    Person("product@nordvik.example", "Ida Forsberg", "Product Manager, Outerwear", Role.MEMBER),
    Person("agency@nordvik.example", "Anna Kraft", "Consultant, Fjällbyrån AB", Role.GUEST),
)


@dataclass(frozen=True)
class Dept:
    name: str
    kind: str
    head: str
    members: tuple[str, ...]
    aims: tuple[str, ...]
    challenges: tuple[str, ...]
    capabilities: tuple[str, ...]


C = Capability
DEPARTMENTS: tuple[Dept, ...] = (
    Dept(
        "Marketing",
        DepartmentKind.MARKETING,
        "cmo@nordvik.example",
        ("lead@nordvik.example", "community@nordvik.example", "marketing@nordvik.example"),
        (
            "Grow online revenue from 31% to 40% of total sales by 2028",
            "Make Nordvik the most recommended Nordic outdoor brand among 25–40-year-olds",
            "Launch the repair-and-reuse programme “Nordvik Forever” in spring 2027",
        ),
        (
            "Campaign results are reported per channel, never against business goals",
            "Paid-social budget is decided campaign by campaign, without a yearly plan",
        ),
        (C.APPROVE_CONTENT, C.SUBMIT_IDEAS, C.SHARE_WINS, C.VIEW_DASHBOARDS, C.EDIT_STRATEGY),
    ),
    Dept(
        "Customer Service",
        DepartmentKind.CUSTOMER_SERVICE,
        "service@nordvik.example",
        ("service@nordvik.example", "agent@nordvik.example"),
        (
            "Cut the cost to serve by 15% by moving simple cases to self-service and social",
            "Answer every public complaint on social within one hour in opening hours",
            "Raise customer satisfaction (CSAT) after a support case from 78% to 85%",
        ),
        (
            "Complaints on Instagram and Facebook reach the team days late, by forwarded e-mail",
            "Peak season (November–December) doubles the volume of cases",
        ),
        (C.WORK_CASES, C.SUBMIT_IDEAS, C.SHARE_WINS, C.VIEW_DASHBOARDS),
    ),
    Dept(
        "Sales",
        DepartmentKind.SALES,
        "sales@nordvik.example",
        ("sales@nordvik.example",),
        (
            "Win 40 new B2B accounts (clubs, schools, guide companies) in 2027",
            "Shorten the B2B sales cycle from 90 to 60 days",
        ),
        ("Leads from LinkedIn are not tracked in the CRM, so social gets no credit",),
        (C.SUBMIT_IDEAS, C.SHARE_WINS, C.VIEW_DASHBOARDS),
    ),
    Dept(
        "PR & Communications",
        DepartmentKind.PR,
        "pr@nordvik.example",
        ("pr@nordvik.example",),
        (
            "Earn coverage in the top 20 Nordic outdoor and lifestyle media each quarter",
            "Be ready for a product-safety crisis with a tested response plan",
        ),
        ("Influencer collaborations are agreed ad hoc, without contracts or disclosure checks",),
        (C.MANAGE_INFLUENCERS, C.APPROVE_CONTENT, C.SHARE_WINS, C.VIEW_DASHBOARDS),
    ),
    Dept(
        "Legal",
        DepartmentKind.LEGAL,
        "legal@nordvik.example",
        ("legal@nordvik.example",),
        (
            "Keep every campaign and influencer post compliant with marketing law and GDPR",
            "Keep the employee social media policy current and acknowledged",
        ),
        ("Legal sees content only after it is published",),
        (C.VIEW_DASHBOARDS,),
    ),
    Dept(
        "HR",
        DepartmentKind.HR,
        "hr@nordvik.example",
        ("hr@nordvik.example",),
        (
            "Fill 60 seasonal store positions before each peak season",
            "Be a top-3 employer brand in Nordic retail by 2028",
        ),
        ("Employees share work content without guidance on what is fine to post",),
        (C.SUBMIT_IDEAS, C.SHARE_WINS),
    ),
    Dept(
        "IT",
        DepartmentKind.IT,
        "it@nordvik.example",
        ("it@nordvik.example",),
        (
            "One approved set of social tools with single sign-on",
            "Connect the support tool and the CRM to the social data",
        ),
        ("Teams buy social tools on their own cards",),
        (C.VIEW_DASHBOARDS,),
    ),
    Dept(
        "Finance",
        DepartmentKind.FINANCE,
        "cfo@nordvik.example",
        ("cfo@nordvik.example",),
        (
            "Every budget line tied to a measurable business result",
            "Keep marketing spend at or under 6% of revenue",
        ),
        ("Social spend is spread over four cost centres and hard to see as one",),
        (C.VIEW_BUDGET, C.VIEW_DASHBOARDS),
    ),
    Dept(
        "Product & Development",
        DepartmentKind.PRODUCT,
        "product@nordvik.example",
        ("product@nordvik.example",),
        (
            "Bring customer feedback into the autumn 2027 outerwear range",
            "Halve the return rate on hiking boots (fit problems)",
        ),
        ("Product reviews and social comments never reach the designers",),
        (C.SUBMIT_IDEAS, C.VIEW_DASHBOARDS),
    ),
    Dept(
        "Executive Management",
        DepartmentKind.EXECUTIVE,
        "ceo@nordvik.example",
        ("ceo@nordvik.example", "cmo@nordvik.example", "cfo@nordvik.example"),
        (
            "Grow revenue 8% a year to SEK 1.2 billion by 2029",
            "Become the Nordic outdoor brand customers trust most",
        ),
        ("The board asks what social media returns, and nobody can answer in money",),
        (C.VIEW_DASHBOARDS, C.VIEW_BUDGET),
    ),
)


def _ensure_user(person: Person) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        return User.objects.create_user(
            email=person.email, password=DEMO_PASSWORD, full_name=person.name, title=person.title
        )
    changed = False
    if (user.full_name, user.title) != (person.name, person.title):
        user.full_name, user.title = person.name, person.title
        changed = True
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        changed = True
    if changed:
        user.save()
    return user


@transaction.atomic
def build_demo() -> Workspace:
    """Create or bring back the demo workspace. Deterministic and idempotent."""
    users = {p.email: _ensure_user(p) for p in PEOPLE}
    owner = users[PEOPLE[0].email]
    workspace = Workspace.objects.filter(slug=DEMO_SLUG).first()
    if workspace is None:
        workspace = services.workspace_create(
            actor=owner,
            name="Nordvik Outdoor AB",
            slug=DEMO_SLUG,
            time_zone="Europe/Stockholm",
            currency="SEK",
            default_language="en",
        )
    elif not Membership.objects.filter(workspace=workspace, user=owner).exists():
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)

    memberships: dict[str, Membership] = {}
    for person in PEOPLE:
        user = users[person.email]
        membership = Membership.objects.filter(workspace=workspace, user=user).first()
        if membership is None:
            membership = services.membership_add(
                actor=owner, workspace=workspace, user=user, role=person.role
            )
        elif membership.role != person.role:
            membership = services.membership_set_role(
                actor=owner, membership=membership, role=person.role
            )
        memberships[person.email] = membership

    for spec in DEPARTMENTS:
        head = memberships[spec.head]
        members = [memberships[e] for e in spec.members]
        aims, challenges = "\n".join(spec.aims), "\n".join(spec.challenges)
        department = Department.objects.filter(workspace=workspace, name=spec.name).first()
        if department is None:
            department = services.department_create(
                actor=owner,
                workspace=workspace,
                name=spec.name,
                kind=spec.kind,
                head=head,
                members=members,
                aims=aims,
                challenges=challenges,
            )
        else:
            services.department_update(
                actor=owner,
                department=department,
                name=spec.name,
                kind=spec.kind,
                head=head,
                members=members,
                aims=aims,
                challenges=challenges,
            )
        current = set(
            Grant.objects.filter(department=department).values_list("capability", flat=True)
        )
        if current != set(spec.capabilities):
            services.grants_set(
                actor=owner,
                department=department,
                capabilities=list(spec.capabilities),
            )
    from converge.strategy.demo import build_strategy_demo

    build_strategy_demo(workspace, users["lead@nordvik.example"])

    from converge.measurement.demo import build_measurement_demo

    build_measurement_demo(workspace, users["lead@nordvik.example"])

    from converge.strategy.demo import connect_kpis_to_figures

    connect_kpis_to_figures(workspace, users["lead@nordvik.example"])

    from converge.governance.demo import build_governance_demo

    build_governance_demo(workspace, users["lead@nordvik.example"])
    from converge.operating.demo import build_operating_demo

    build_operating_demo(workspace, users["lead@nordvik.example"])
    from converge.finance.demo import build_finance_demo

    build_finance_demo(workspace, users["lead@nordvik.example"])
    from converge.maturity.demo import build_maturity_demo

    build_maturity_demo(workspace, users["lead@nordvik.example"])
    return workspace
