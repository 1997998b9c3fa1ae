"""Reads of the operating model, RACI, executives, policies and training, with their joins and
counts done in SQL."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, Model, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from converge.core.models import Department, Membership, Workspace
from converge.operating import raci
from converge.operating.models import (
    TEAM_MODELS,
    TEAM_SIZE,
    Acknowledgement,
    Executive,
    OperatingModel,
    PolicyDocument,
    PolicyVersion,
    PracticeEntry,
    RaciActivity,
    RaciAssignment,
    RaciRole,
    TeamMember,
    Touchpoint,
    Training,
    TrainingCompletion,
    TrainingSession,
)

T = TypeVar("T", bound=Model)


def get(model: type[T], workspace: Workspace, uuid: Any) -> T:
    """One object of the workspace by UUID, or 404 (the same for another workspace's)."""
    found = model._default_manager.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise Http404("Not found.")
    return found


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


# --- Operating model ------------------------------------------------------------------------


def operating_model(workspace: Workspace) -> OperatingModel | None:
    return OperatingModel.objects.filter(workspace=workspace).first()


def team(workspace: Workspace) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(workspace=workspace).select_related("membership__user")


def team_size_warning(model: OperatingModel | None, size: int) -> bool:
    """A dedicated team (or hub) should be two to four people (seed 001)."""
    if model is None or model.kind not in TEAM_MODELS:
        return False
    return not TEAM_SIZE[0] <= size <= TEAM_SIZE[1]


# --- RACI -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    key: str  # "d-<slug>" or "m-<uuid>"
    name: str
    department: Department | None = None
    membership: Membership | None = None


@dataclass
class MatrixRow:
    activity: RaciActivity
    cells: list[dict[str, Decimal | bool | None]] = field(default_factory=list)
    gaps: list[raci.Gap] = field(default_factory=list)


@dataclass
class Matrix:
    parties: list[Party]
    rows: list[MatrixRow]
    gaps: list[raci.Gap]


def raci_matrix(workspace: Workspace) -> Matrix:
    """Activities × parties (every department, then the people who hold a role), each cell
    ``{role: True or the share}``, with the gaps the rules find."""
    activities = list(RaciActivity.objects.filter(workspace=workspace))
    assignments = list(
        RaciAssignment.objects.filter(workspace=workspace).select_related(
            "department", "membership__user"
        )
    )
    parties = [
        Party(f"d-{d.slug}", d.name, department=d)
        for d in Department.objects.filter(workspace=workspace).order_by("name")
    ]
    people = {a.membership.pk: a.membership for a in assignments if a.membership is not None}
    parties += [
        Party(f"m-{m.uuid}", str(m.user), membership=m)
        for m in sorted(people.values(), key=lambda m: str(m.user))
    ]
    index = {p.key: i for i, p in enumerate(parties)}

    def key(a: RaciAssignment) -> str:
        return f"d-{a.department.slug}" if a.department else f"m-{a.membership.uuid}"  # type: ignore[union-attr]

    cells = [raci.Cell(str(a.activity_id), key(a), a.role, a.pay_share) for a in assignments]
    rows: list[MatrixRow] = []
    names = {p.key: p.name for p in parties}
    all_gaps: list[raci.Gap] = []
    for activity in activities:
        row = MatrixRow(activity, [{} for _p in parties])
        for a in assignments:
            if a.activity_id == activity.pk:
                row.cells[index[key(a)]][a.role] = a.pay_share if a.role == RaciRole.PAYS else True
        found = raci.check_activity(str(activity.pk), cells)
        row.gaps = [
            raci.Gap(activity.name, g.kind, tuple(names.get(p, p) for p in g.parties), g.total)
            for g in found
        ]
        all_gaps += row.gaps
        rows.append(row)
    return Matrix(parties, rows, all_gaps)


def raci_table_rows(matrix: Matrix) -> list[list[Any]]:
    """The matrix as rows for a download: one line per activity and party with a role."""
    out: list[list[Any]] = []
    for row in matrix.rows:
        for party, cell in zip(matrix.parties, row.cells, strict=True):
            if not cell:
                continue
            share = cell.get(RaciRole.PAYS)
            out.append(
                [
                    row.activity.name,
                    party.name,
                    "department" if party.department else "person",
                    *["x" if r in cell else "" for r in raci.ROLES],
                    share if isinstance(share, Decimal) else None,
                ]
            )
    return out


# --- Executives -----------------------------------------------------------------------------


def executives(workspace: Workspace) -> QuerySet[Executive]:
    return (
        Executive.objects.filter(workspace=workspace)
        .select_related("membership__user")
        .prefetch_related(
            Prefetch("touchpoints", queryset=Touchpoint.objects.select_related("recorded_by"))
        )
    )


# --- Policies -------------------------------------------------------------------------------


def _latest_version() -> Subquery:
    return Subquery(
        PolicyVersion.objects.filter(document=OuterRef("pk"))
        .order_by("-number")
        .values("number")[:1]
    )


def documents(workspace: Workspace) -> QuerySet[PolicyDocument]:
    return (
        PolicyDocument.objects.filter(workspace=workspace)
        .select_related("channel")
        .annotate(current_number=_latest_version())
    )


def versions(document: PolicyDocument) -> QuerySet[PolicyVersion]:
    return (
        document.versions.select_related("published_by")
        .prefetch_related("departments")
        .annotate(
            asked=Count("acknowledgements"),
            done=Count(
                "acknowledgements", filter=Q(acknowledgements__acknowledged_at__isnull=False)
            ),
        )
        .order_by("-number")
    )


def version(document: PolicyDocument, number: int) -> PolicyVersion:
    found = versions(document).filter(number=number).first()
    if found is None:
        raise Http404("No such version.")
    return found


@dataclass(frozen=True)
class DepartmentStatus:
    name: str
    slug: str | None
    asked: int
    done: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.asked)


@dataclass
class AckStatus:
    asked: int
    done: int
    departments: list[DepartmentStatus]
    people: list[Acknowledgement]

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.asked)


def ack_status(version: PolicyVersion) -> AckStatus:
    """Who was asked to acknowledge ``version`` and who did: in total, per department (a
    person in two departments counts in both; people in none under no department), per person."""
    acks = Acknowledgement.objects.filter(version=version)
    totals = acks.aggregate(
        asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    per_department = (
        acks.values("membership__departments__name", "membership__departments__slug")
        .annotate(asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False)))
        .order_by("membership__departments__name")
    )
    return AckStatus(
        asked=totals["asked"],
        done=totals["done"],
        departments=[
            DepartmentStatus(
                row["membership__departments__name"] or "",
                row["membership__departments__slug"],
                row["asked"],
                row["done"],
            )
            for row in per_department
        ],
        people=list(
            acks.select_related("membership__user", "reminder").prefetch_related(
                "membership__departments"
            )
        ),
    )


def waiting_for(membership: Membership) -> QuerySet[Acknowledgement]:
    """The current versions the person has been asked to acknowledge and has not."""
    latest = PolicyVersion.objects.filter(document=OuterRef("version__document")).order_by(
        "-number"
    )
    return (
        Acknowledgement.objects.filter(membership=membership, acknowledged_at__isnull=True)
        .filter(version=Subquery(latest.values("pk")[:1]))
        .select_related("version__document")
        .order_by("version__published_at")
    )


def my_acknowledgement(
    version: PolicyVersion | None, membership: Membership
) -> Acknowledgement | None:
    if version is None:
        return None
    return Acknowledgement.objects.filter(version=version, membership=membership).first()


# --- Training -------------------------------------------------------------------------------


def trainings(workspace: Workspace) -> QuerySet[Training]:
    return (
        Training.objects.filter(workspace=workspace)
        .select_related("policy", "channel")
        .annotate(
            session_count=Count("sessions", distinct=True),
            completion_count=Count("completions", distinct=True),
        )
    )


def sessions(training: Training) -> QuerySet[TrainingSession]:
    return training.sessions.select_related("trainer__user").prefetch_related("attendees__user")


def completions(training: Training) -> QuerySet[TrainingCompletion]:
    return (
        training.completions.select_related("membership__user")
        .prefetch_related("membership__departments")
        .order_by("membership__user__full_name")
    )


@dataclass(frozen=True)
class CompletionCell:
    done: int
    members: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.members)


@dataclass
class CompletionRow:
    department: Department
    members: int
    cells: list[CompletionCell]


def completion_table(workspace: Workspace, training_list: list[Training]) -> list[CompletionRow]:
    """For each department and training: how many of its members completed it, and the
    percent of the department (two queries)."""
    departments = list(
        Department.objects.filter(workspace=workspace).annotate(n=Count("members")).order_by("name")
    )
    done: dict[tuple[int, int], int] = {
        (row["training_id"], row["membership__departments"]): row["n"]
        for row in TrainingCompletion.objects.filter(
            workspace=workspace, membership__departments__isnull=False
        )
        .values("training_id", "membership__departments")
        .annotate(n=Count("membership", distinct=True))
    }
    return [
        CompletionRow(
            d,
            d.n,
            [CompletionCell(done.get((t.pk, d.pk), 0), d.n) for t in training_list],
        )
        for d in departments
    ]


def member_completions(membership: Membership) -> QuerySet[TrainingCompletion]:
    return TrainingCompletion.objects.filter(membership=membership).select_related("training")


# --- Best-practice log ----------------------------------------------------------------------


def practices(workspace: Workspace, query: str = "") -> QuerySet[PracticeEntry]:
    """The log, newest first; ``query`` words must all appear in the title, text or tags
    (case-insensitive, the same on SQLite and PostgreSQL)."""
    entries = PracticeEntry.objects.filter(workspace=workspace).select_related("shared_by__user")
    for word in query.casefold().split():
        entries = entries.filter(search_text__contains=word)
    return entries
