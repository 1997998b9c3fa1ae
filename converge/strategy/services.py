"""Every write of the strategy. Leads and owners edit (``edit_strategy``); each write is one
transaction with an audit entry, and refreshes today's alignment snapshot."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.core.files import File
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, Membership, User, Workspace
from converge.core.policy import NotPermitted, can
from converge.measurement.models import Channel
from converge.strategy import rules
from converge.strategy.models import (
    AlignmentSnapshot,
    Audience,
    BusinessGoal,
    CaseStudy,
    Competitor,
    CompetitorObservation,
    Initiative,
    Kpi,
    KpiValue,
    KpiWindow,
    Message,
    ObjectiveReview,
    Platform,
    PlatformPresence,
    SocialObjective,
    Tactic,
    Vision,
)

M = TypeVar("M", bound=models.Model)

KPI_PROBLEM_TEXT = {
    "missing_baseline": gettext_lazy("Enter a baseline value."),
    "missing_target": gettext_lazy("Enter a target value."),
    "missing_dates": gettext_lazy("Enter both the baseline date and the target date."),
    "target_date_not_after_baseline": gettext_lazy(
        "The target date must come after the baseline date."
    ),
    "target_not_in_direction": gettext_lazy(
        "The target must lie in the KPI's direction from the baseline."
    ),
    "band_invalid": gettext_lazy("Enter a band whose lower bound is not above its upper bound."),
}
KPI_PROBLEM_FIELD = {
    "missing_baseline": "baseline_value",
    "missing_target": "target_value",
    "missing_dates": "target_date",
    "target_date_not_after_baseline": "target_date",
    "target_not_in_direction": "target_value",
    "band_invalid": "band_high",
}


def require_editor(actor: User, workspace: Workspace) -> None:
    if not can(actor, Capability.EDIT_STRATEGY, workspace):
        raise NotPermitted(Capability.EDIT_STRATEGY)


def _same_workspace(workspace: Workspace, objects: Iterable[Any], field: str) -> list[Any]:
    items = list(objects)
    if any(getattr(o, "workspace_id", None) != workspace.pk for o in items):
        raise ConvergeError(_("Choose items of this workspace."), field=field)
    return items


def _save(
    *,
    actor: User,
    obj: M,
    values: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    kind: str,
) -> M:
    """Save and audit (``audit.save_audited``), then record the alignment it may change."""
    obj = audit.save_audited(actor=actor, obj=obj, values=values, m2m=m2m, kind=kind)
    alignment_record(workspace=obj.workspace)  # type: ignore[attr-defined]
    return obj


def _archive(*, actor: User, obj: Any, kind: str, archived: bool = True) -> Any:
    require_editor(actor, obj.workspace)
    before = obj.archived_at
    obj.archived_at = timezone.now() if archived else None
    obj.save(update_fields=["archived_at"])
    audit.record(
        workspace=obj.workspace,
        actor=actor,
        action=f"{kind}.{'archive' if archived else 'restore'}",
        obj=obj,
        changes={"archived_at": [audit._plain(before), audit._plain(obj.archived_at)]},
    )
    alignment_record(workspace=obj.workspace)
    return obj


def _required(value: str, field: str, message: str) -> str:
    if not str(value or "").strip():
        raise ConvergeError(message, field=field)
    return str(value).strip()


# --- Business goals -----------------------------------------------------------------------


@transaction.atomic
def goal_save(
    *,
    actor: User,
    workspace: Workspace,
    goal: BusinessGoal | None = None,
    title: str,
    business_metric: str,
    horizon: date,
    priority: int = 2,
    description: str = "",
    departments: Iterable[Department] = (),
    source: str = "",
    attachment: File[Any] | None = None,
    remove_attachment: bool = False,
) -> BusinessGoal:
    """Create (``goal=None``) or change a business goal, optionally with a source document."""
    require_editor(actor, workspace)
    title = _required(title, "title", _("Enter a title."))
    metric = _required(
        business_metric, "business_metric", _("Name the business metric that shows it.")
    )
    if horizon is None:
        raise ConvergeError(_("Enter the horizon date."), field="horizon")
    depts = _same_workspace(workspace, departments, "departments")
    values: dict[str, Any] = {
        "title": title,
        "business_metric": metric,
        "horizon": horizon,
        "priority": priority,
        "description": description.strip(),
        "source": source.strip(),
    }
    if attachment is not None:
        check_attachment(attachment)
        values["attachment"] = attachment
    elif remove_attachment:
        values["attachment"] = None
    return _save(
        actor=actor,
        obj=goal or BusinessGoal(workspace=workspace),
        values=values,
        m2m={"departments": depts},
        kind="goal",
    )


ATTACHMENT_TYPES = (
    ".pdf",
    ".docx",
    ".xlsx",
    ".pptx",
    ".odt",
    ".ods",
    ".odp",
    ".png",
    ".jpg",
    ".jpeg",
    ".txt",
    ".md",
)
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def check_attachment(upload: File[Any]) -> None:
    """Documents and images only, at most 20 MB."""
    name = (upload.name or "").lower()
    if not name.endswith(ATTACHMENT_TYPES):
        raise ConvergeError(
            _("Attach a document or an image (%(types)s).")
            % {"types": ", ".join(ATTACHMENT_TYPES)},
            field="attachment",
        )
    if upload.size is not None and upload.size > ATTACHMENT_MAX_BYTES:
        raise ConvergeError(_("The file is larger than 20 MB."), field="attachment")


def goal_archive(*, actor: User, goal: BusinessGoal, archived: bool = True) -> BusinessGoal:
    return _archive(actor=actor, obj=goal, kind="goal", archived=archived)


# --- Objectives ---------------------------------------------------------------------------


@transaction.atomic
def objective_save(
    *,
    actor: User,
    workspace: Workspace,
    objective: SocialObjective | None = None,
    statement: str,
    goals: Iterable[BusinessGoal],
    departments: Iterable[Department],
    start: date,
    end: date,
    realism: str = "medium",
    realism_rationale: str = "",
    review_cadence: str = "quarterly",
) -> SocialObjective:
    require_editor(actor, workspace)
    statement = _required(statement, "statement", _("Write the objective's statement."))
    goal_list = _same_workspace(workspace, goals, "goals")
    dept_list = _same_workspace(workspace, departments, "departments")
    if not goal_list:
        raise ConvergeError(_("Choose at least one business goal it serves."), field="goals")
    if not dept_list:
        raise ConvergeError(_("Choose at least one department it serves."), field="departments")
    if start is None or end is None:
        raise ConvergeError(_("Enter the start and the end."), field="end")
    if end <= start:
        raise ConvergeError(_("The end must come after the start."), field="end")
    return _save(
        actor=actor,
        obj=objective or SocialObjective(workspace=workspace),
        values={
            "statement": statement,
            "start": start,
            "end": end,
            "realism": realism,
            "realism_rationale": realism_rationale.strip(),
            "review_cadence": review_cadence,
        },
        m2m={"goals": goal_list, "departments": dept_list},
        kind="objective",
    )


def objective_archive(
    *, actor: User, objective: SocialObjective, archived: bool = True
) -> SocialObjective:
    return _archive(actor=actor, obj=objective, kind="objective", archived=archived)


@transaction.atomic
def objective_review(
    *, actor: User, objective: SocialObjective, reviewed_on: date, note: str = ""
) -> ObjectiveReview:
    """Record that an objective was reviewed (e.g. at the monthly coordination meeting)."""
    require_editor(actor, objective.workspace)
    if reviewed_on > timezone.localdate():
        raise ConvergeError(_("A review cannot be dated in the future."), field="reviewed_on")
    review = ObjectiveReview.objects.create(
        workspace=objective.workspace,
        objective=objective,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        note=note.strip(),
    )
    audit.record(
        workspace=objective.workspace,
        actor=actor,
        action="objective.review",
        obj=objective,
        changes={"reviewed_on": [None, reviewed_on.isoformat()]},
    )
    alignment_record(workspace=objective.workspace)
    return review


# --- KPIs ---------------------------------------------------------------------------------


def validate_kpi(figures: rules.KpiFigures) -> None:
    """Raise the first problem with a KPI's figures, beside the field that causes it."""
    problems = rules.kpi_problems(figures)
    if problems:
        first = problems[0]
        raise ConvergeError(
            str(KPI_PROBLEM_TEXT[first]),
            field=KPI_PROBLEM_FIELD[first],
            details={"problems": problems},
        )


@transaction.atomic
def kpi_save(
    *,
    actor: User,
    workspace: Workspace,
    kpi: Kpi | None = None,
    objective: SocialObjective,
    name: str,
    metric_key: str,
    direction: str,
    baseline_value: Decimal | None,
    baseline_date: date | None,
    target_value: Decimal | None,
    target_date: date | None,
    band_low: Decimal | None = None,
    band_high: Decimal | None = None,
    unit: str = "",
    owner: Membership | None = None,
    review_cadence: str = "monthly",
    amec_stage: str = "outcome",
    window: str = "",
    channels: Iterable[Channel] = (),
) -> Kpi:
    """Create (``kpi=None``) or change a KPI. ``window`` and ``channels`` say how it is
    computed from the measurement figures when its metric is in the catalogue: a blank window
    becomes the default for the metric's aggregation; no channels means every channel."""
    from converge.measurement.progress import default_window
    from converge.measurement.selectors import metric_index

    require_editor(actor, workspace)
    name = _required(name, "name", _("Name the KPI."))
    metric_key = _required(metric_key, "metric_key", _("Enter the metric's key."))
    _same_workspace(workspace, [objective], "objective")
    if owner is not None:
        _same_workspace(workspace, [owner], "owner")
    channel_list = _same_workspace(workspace, channels, "channels")
    if window and window not in KpiWindow.values:
        raise ConvergeError(_("Choose a window the KPI is measured over."), field="window")
    if not window:
        metric = metric_index(workspace).get(metric_key)
        window = default_window(metric.aggregation) if metric is not None else ""
    validate_kpi(
        rules.KpiFigures(
            direction=direction,
            baseline_value=baseline_value,
            baseline_date=baseline_date,
            target_value=target_value,
            target_date=target_date,
            band_low=band_low,
            band_high=band_high,
        )
    )
    return _save(
        actor=actor,
        obj=kpi or Kpi(workspace=workspace),
        values={
            "objective": objective,
            "name": name,
            "metric_key": metric_key,
            "unit": unit.strip(),
            "direction": direction,
            "baseline_value": baseline_value,
            "baseline_date": baseline_date,
            "target_value": target_value,
            "target_date": target_date,
            "band_low": band_low,
            "band_high": band_high,
            "owner": owner,
            "review_cadence": review_cadence,
            "amec_stage": amec_stage,
            "window": window,
        },
        m2m={"channels": channel_list},
        kind="kpi",
    )


def kpi_archive(*, actor: User, kpi: Kpi, archived: bool = True) -> Kpi:
    return _archive(actor=actor, obj=kpi, kind="kpi", archived=archived)


@transaction.atomic
def kpi_value_set(*, actor: User, kpi: Kpi, day: date, value: Decimal, note: str = "") -> KpiValue:
    """Enter (or correct) the KPI's value on a day, by hand."""
    require_editor(actor, kpi.workspace)
    if day > timezone.localdate():
        raise ConvergeError(_("A value cannot be dated in the future."), field="day")
    existing = KpiValue.objects.filter(kpi=kpi, day=day).first()
    old = existing.value if existing else None
    row, _created = KpiValue.objects.update_or_create(
        kpi=kpi,
        day=day,
        defaults={"workspace": kpi.workspace, "value": value, "note": note, "entered_by": actor},
    )
    audit.record(
        workspace=kpi.workspace,
        actor=actor,
        action="kpi.value",
        obj=kpi,
        changes={day.isoformat(): [audit._plain(old), audit._plain(value)]},
    )
    return row


# --- Audiences and evidence ---------------------------------------------------------------


@transaction.atomic
def audience_save(
    *,
    actor: User,
    workspace: Workspace,
    audience: Audience | None = None,
    name: str,
    kind: str,
    size: int | None = None,
    priority: int = 2,
    demographics: str = "",
) -> Audience:
    require_editor(actor, workspace)
    return _save(
        actor=actor,
        obj=audience or Audience(workspace=workspace),
        values={
            "name": _required(name, "name", _("Name the audience.")),
            "kind": kind,
            "size": size,
            "priority": priority,
            "demographics": demographics.strip(),
        },
        kind="audience",
    )


def audience_archive(*, actor: User, audience: Audience, archived: bool = True) -> Audience:
    return _archive(actor=actor, obj=audience, kind="audience", archived=archived)


@transaction.atomic
def presence_save(
    *,
    actor: User,
    audience: Audience,
    platform: str,
    figure: Decimal,
    unit: str,
    source: str,
    figure_date: date,
    source_url: str = "",
) -> PlatformPresence:
    """Record (or replace) the evidence of an audience's presence on a platform."""
    require_editor(actor, audience.workspace)
    if platform not in Platform.values:
        raise ConvergeError(_("Choose a platform."), field="platform")
    if unit == "percent" and not (Decimal(0) <= figure <= Decimal(100)):
        raise ConvergeError(_("A share must lie between 0 and 100 percent."), field="figure")
    if figure < 0:
        raise ConvergeError(_("A figure cannot be negative."), field="figure")
    source = _required(source, "source", _("Name the source of the figure."))
    row, _created = PlatformPresence.objects.update_or_create(
        audience=audience,
        platform=platform,
        defaults={
            "workspace": audience.workspace,
            "figure": figure,
            "unit": unit,
            "source": source,
            "source_url": source_url.strip(),
            "figure_date": figure_date,
        },
    )
    audit.record(
        workspace=audience.workspace,
        actor=actor,
        action="audience.evidence",
        obj=audience,
        changes={platform: [None, f"{figure} {unit} ({source}, {figure_date})"]},
    )
    alignment_record(workspace=audience.workspace)
    return row


@transaction.atomic
def presence_remove(*, actor: User, presence: PlatformPresence) -> None:
    require_editor(actor, presence.workspace)
    audit.record(
        workspace=presence.workspace,
        actor=actor,
        action="audience.evidence_remove",
        obj=presence.audience,
        changes={presence.platform: [f"{presence.figure} {presence.unit}", None]},
    )
    presence.delete()
    alignment_record(workspace=presence.workspace)


# --- Messages and tactics -----------------------------------------------------------------


def _check_channels(channels: Iterable[str]) -> list[str]:
    chosen = sorted(set(channels))
    unknown = [c for c in chosen if c not in Platform.values]
    if unknown:
        raise ConvergeError(
            _("Unknown channel: %(names)s.") % {"names": ", ".join(unknown)}, field="channels"
        )
    return chosen


@transaction.atomic
def message_save(
    *,
    actor: User,
    workspace: Workspace,
    message: Message | None = None,
    title: str,
    audiences: Iterable[Audience],
    channels: Iterable[str],
    text: str = "",
    tone: str = "",
    owner: Membership | None = None,
) -> Message:
    require_editor(actor, workspace)
    audience_list = _same_workspace(workspace, audiences, "audiences")
    if not audience_list:
        raise ConvergeError(_("Choose at least one audience."), field="audiences")
    chosen = _check_channels(channels)
    if not chosen:
        raise ConvergeError(_("Choose at least one channel."), field="channels")
    if owner is not None:
        _same_workspace(workspace, [owner], "owner")
    return _save(
        actor=actor,
        obj=message or Message(workspace=workspace),
        values={
            "title": _required(title, "title", _("Name the message.")),
            "text": text.strip(),
            "tone": tone.strip(),
            "owner": owner,
            "channels": chosen,
        },
        m2m={"audiences": audience_list},
        kind="message",
    )


def message_archive(*, actor: User, message: Message, archived: bool = True) -> Message:
    return _archive(actor=actor, obj=message, kind="message", archived=archived)


@transaction.atomic
def tactic_save(
    *,
    actor: User,
    objective: SocialObjective,
    tactic: Tactic | None = None,
    channel: str,
    activity: str,
    frequency: str = "",
    people: int = 1,
    hours_per_week: Decimal = Decimal(0),
) -> Tactic:
    require_editor(actor, objective.workspace)
    _check_channels([channel])
    if people < 0 or hours_per_week < 0:
        raise ConvergeError(_("Resources cannot be negative."), field="hours_per_week")
    return _save(
        actor=actor,
        obj=tactic or Tactic(workspace=objective.workspace, objective=objective),
        values={
            "channel": channel,
            "activity": _required(activity, "activity", _("Describe the activity.")),
            "frequency": frequency.strip(),
            "people": people,
            "hours_per_week": hours_per_week,
        },
        kind="tactic",
    )


@transaction.atomic
def tactic_remove(*, actor: User, tactic: Tactic) -> None:
    require_editor(actor, tactic.workspace)
    audit.record(
        workspace=tactic.workspace,
        actor=actor,
        action="tactic.remove",
        obj=tactic,
        object_repr=tactic.activity,
        changes={"activity": [tactic.activity, None]},
    )
    tactic.delete()


# --- Competitors and evidence -------------------------------------------------------------


@transaction.atomic
def competitor_save(
    *,
    actor: User,
    workspace: Workspace,
    competitor: Competitor | None = None,
    name: str,
    channels: Iterable[str] = (),
    website: str = "",
    notes: str = "",
) -> Competitor:
    require_editor(actor, workspace)
    return _save(
        actor=actor,
        obj=competitor or Competitor(workspace=workspace),
        values={
            "name": _required(name, "name", _("Name the competitor.")),
            "channels": _check_channels(channels),
            "website": website.strip(),
            "notes": notes.strip(),
        },
        kind="competitor",
    )


@transaction.atomic
def observation_add(
    *,
    actor: User,
    competitor: Competitor,
    observed_on: date,
    kind: str,
    description: str,
    source_url: str = "",
) -> CompetitorObservation:
    require_editor(actor, competitor.workspace)
    row = CompetitorObservation.objects.create(
        workspace=competitor.workspace,
        competitor=competitor,
        observed_on=observed_on,
        kind=kind,
        description=_required(description, "description", _("Describe what they gained.")),
        source_url=source_url.strip(),
    )
    audit.record(
        workspace=competitor.workspace,
        actor=actor,
        action="competitor.observation",
        obj=competitor,
        changes={observed_on.isoformat(): [None, f"{kind}: {row.description[:120]}"]},
    )
    return row


@transaction.atomic
def case_study_save(
    *,
    actor: User,
    workspace: Workspace,
    case: CaseStudy | None = None,
    title: str,
    summary: str,
    source: str,
    figures: str = "",
    source_url: str = "",
) -> CaseStudy:
    require_editor(actor, workspace)
    return _save(
        actor=actor,
        obj=case or CaseStudy(workspace=workspace),
        values={
            "title": _required(title, "title", _("Enter a title.")),
            "summary": _required(summary, "summary", _("Summarise the case.")),
            "source": _required(source, "source", _("Name the source.")),
            "figures": figures.strip(),
            "source_url": source_url.strip(),
        },
        kind="case_study",
    )


# --- Vision and sponsor -------------------------------------------------------------------


@transaction.atomic
def vision_set(
    *,
    actor: User,
    workspace: Workspace,
    statement: str,
    value_employees: str = "",
    value_customers: str = "",
    value_shareholders: str = "",
    sponsor: Membership | None = None,
    sponsor_route: str = "",
    sponsor_since: date | None = None,
) -> Vision:
    require_editor(actor, workspace)
    if sponsor is not None:
        _same_workspace(workspace, [sponsor], "sponsor")
        if not sponsor_route:
            raise ConvergeError(
                _("Say how the sponsorship was established."), field="sponsor_route"
            )
    vision = Vision.objects.filter(workspace=workspace).first() or Vision(workspace=workspace)
    return _save(
        actor=actor,
        obj=vision,
        values={
            "statement": _required(statement, "statement", _("Write the vision.")),
            "value_employees": value_employees.strip(),
            "value_customers": value_customers.strip(),
            "value_shareholders": value_shareholders.strip(),
            "sponsor": sponsor,
            "sponsor_route": sponsor_route if sponsor else "",
            "sponsor_since": sponsor_since if sponsor else None,
        },
        kind="vision",
    )


# --- Roadmap ------------------------------------------------------------------------------


@transaction.atomic
def initiative_save(
    *,
    actor: User,
    workspace: Workspace,
    initiative: Initiative | None = None,
    title: str,
    start: date,
    end: date,
    goals: Iterable[BusinessGoal] = (),
    objectives: Iterable[SocialObjective] = (),
    department: Department | None = None,
    status: str = "planned",
    priority: int = 2,
    estimated_cost: Decimal | None = None,
    maturity_stage: int | None = None,
    description: str = "",
) -> Initiative:
    require_editor(actor, workspace)
    if start is None or end is None:
        raise ConvergeError(_("Enter the start and the end."), field="end")
    if end < start:
        raise ConvergeError(_("The end must not come before the start."), field="end")
    if estimated_cost is not None and estimated_cost < 0:
        raise ConvergeError(_("A cost cannot be negative."), field="estimated_cost")
    if department is not None:
        _same_workspace(workspace, [department], "department")
    return _save(
        actor=actor,
        obj=initiative or Initiative(workspace=workspace),
        values={
            "title": _required(title, "title", _("Enter a title.")),
            "description": description.strip(),
            "start": start,
            "end": end,
            "department": department,
            "status": status,
            "priority": priority,
            "estimated_cost": estimated_cost,
            "maturity_stage": maturity_stage,
        },
        m2m={
            "goals": _same_workspace(workspace, goals, "goals"),
            "objectives": _same_workspace(workspace, objectives, "objectives"),
        },
        kind="initiative",
    )


def initiative_archive(*, actor: User, initiative: Initiative, archived: bool = True) -> Initiative:
    return _archive(actor=actor, obj=initiative, kind="initiative", archived=archived)


# --- Alignment history --------------------------------------------------------------------


def alignment_record(*, workspace: Workspace) -> AlignmentSnapshot:
    """Compute the alignment now and keep it as today's point of the score's history."""
    from converge.strategy.selectors import alignment_report

    report = alignment_report(workspace)
    snapshot, _created = AlignmentSnapshot.objects.update_or_create(
        workspace=workspace,
        day=timezone.localdate(),
        defaults={
            "passed": report.passed,
            "total": report.total,
            "gaps": [[g.rule, g.kind, g.ref] for g in report.gaps],
        },
    )
    return snapshot
