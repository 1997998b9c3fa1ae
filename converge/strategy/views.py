"""Strategy pages. Everyone in the workspace reads; leads and owners (``edit_strategy``) edit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.pages import form_page, inline_post, posted, url_for
from converge.core.policy import NotPermitted
from converge.core.views import WorkspaceRequest, workspace_view
from converge.measurement import charts as measurement_charts
from converge.measurement import explorer, progress_text
from converge.measurement import selectors as measurement
from converge.measurement.links import kpi_rows_url
from converge.measurement.periods import Periods, period_form_shown, periods_from
from converge.measurement.selectors import Period
from converge.reports.pdf import html_to_pdf
from converge.strategy import charts, selectors, services, yaml_io
from converge.strategy.alignment_text import describe_gap, fix_url
from converge.strategy.forms import (
    AudienceForm,
    CaseStudyForm,
    CompetitorForm,
    GoalForm,
    InitiativeForm,
    KpiForm,
    KpiValueForm,
    MessageForm,
    ObjectiveForm,
    ObservationForm,
    PresenceForm,
    ReviewForm,
    TacticForm,
    VisionForm,
)
from converge.strategy.models import (
    Audience,
    BusinessGoal,
    Competitor,
    Initiative,
    Kpi,
    Message,
    Platform,
    PlatformPresence,
    SocialObjective,
    Tactic,
)
from converge.strategy.onepage import build as build_onepage

EDIT = Capability.EDIT_STRATEGY

FORM = "strategy/form.html"


# --- Overview: the alignment check ---------------------------------------------------------


@workspace_view()
def overview(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    report = selectors.alignment_report(ws)
    gaps = [{"gap": g, "text": describe_gap(g), "url": fix_url(ws.slug, g)} for g in report.gaps]
    history = list(selectors.alignment_history(ws))
    return render(
        request,
        "strategy/overview.html",
        {
            "report": report,
            "gaps": gaps,
            "history_spec": charts.alignment_history_spec(history) if history else None,
            "counts": {
                "goals": selectors.goals(ws).count(),
                "objectives": selectors.objectives(ws).count(),
                "kpis": selectors.kpis(ws).count(),
                "audiences": selectors.audiences(ws).count(),
                "messages": selectors.messages(ws).count(),
                "initiatives": selectors.initiatives(ws).count(),
            },
            "vision": selectors.vision(ws),
            "can_edit": EDIT in request.allowed,
        },
    )


# --- Goals ---------------------------------------------------------------------------------


@workspace_view()
def goal_list(request: WorkspaceRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "strategy/goal_list.html",
        {
            "goals": selectors.goals(request.workspace, archived=archived),
            "archived": archived,
            "can_edit": EDIT in request.allowed,
            "objectives": selectors.objectives(request.workspace),
        },
    )


@workspace_view(EDIT)
def goal_edit(request: WorkspaceRequest, goal: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(BusinessGoal, ws, goal) if goal else None
    initial = {}
    if isinstance(instance, BusinessGoal):
        initial = {
            "title": instance.title,
            "description": instance.description,
            "business_metric": instance.business_metric,
            "departments": list(instance.departments.all()),
            "horizon": instance.horizon,
            "priority": instance.priority,
            "source": instance.source,
        }
    form = GoalForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        workspace=ws,
        initial=initial,
    )
    if not (isinstance(instance, BusinessGoal) and instance.attachment):
        del form.fields["remove_attachment"]
    return form_page(
        request,
        form,
        lambda data: services.goal_save(actor=request.user, workspace=ws, goal=instance, **data),
        template=FORM,
        title=_("Edit business goal") if instance else _("New business goal"),
        done=lambda obj: url_for(request, "strategy_goals") + f"#goal-{obj.uuid}",
        cancel=url_for(request, "strategy_goals"),
        saved=_("Business goal saved."),
    )


# --- Objectives ----------------------------------------------------------------------------


@workspace_view()
def objective_detail(request: WorkspaceRequest, objective: str) -> HttpResponse:
    ws = request.workspace
    obj = (
        selectors.objectives(ws).filter(uuid=objective).first()
        or selectors.objectives(ws, archived=True).filter(uuid=objective).first()
    )
    if obj is None:
        raise Http404("No such objective.")
    return render(
        request,
        "strategy/objective_detail.html",
        {
            "objective": obj,
            "tactics": Tactic.objects.filter(objective=obj).order_by("channel", "activity"),
            "reviews": obj.reviews.select_related("reviewed_by")[:10],
            "review_form": ReviewForm(initial={"reviewed_on": timezone.localdate()}),
            "tactic_form": TacticForm(),
            "can_edit": EDIT in request.allowed,
        },
    )


@workspace_view(EDIT)
def objective_edit(request: WorkspaceRequest, objective: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(SocialObjective, ws, objective) if objective else None
    initial: dict[str, Any] = {}
    if isinstance(instance, SocialObjective):
        initial = {
            "statement": instance.statement,
            "goals": list(instance.goals.all()),
            "departments": list(instance.departments.all()),
            "start": instance.start,
            "end": instance.end,
            "realism": instance.realism,
            "realism_rationale": instance.realism_rationale,
            "review_cadence": instance.review_cadence,
        }
    elif request.GET.get("goal"):
        initial = {"goals": BusinessGoal.objects.filter(workspace=ws, uuid=request.GET["goal"])}
    form = ObjectiveForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.objective_save(
            actor=request.user,
            workspace=ws,
            objective=instance,
            **data,
        ),
        template=FORM,
        title=_("Edit social objective") if instance else _("New social objective"),
        done=lambda obj: url_for(request, "strategy_objective", obj.uuid),
        cancel=url_for(request, "strategy_goals"),
        saved=_("Social objective saved."),
    )


@workspace_view(EDIT)
@require_POST
def objective_review(request: WorkspaceRequest, objective: str) -> HttpResponse:
    obj = selectors.get(SocialObjective, request.workspace, objective)
    return inline_post(
        request,
        ReviewForm(request.POST),
        lambda data: services.objective_review(actor=request.user, objective=obj, **data),
        saved=_("Review recorded."),
        back=url_for(request, "strategy_objective", objective),
        invalid=_("Enter the date of the review."),
    )


@workspace_view(EDIT)
@require_POST
def tactic_add(request: WorkspaceRequest, objective: str) -> HttpResponse:
    obj = selectors.get(SocialObjective, request.workspace, objective)
    return inline_post(
        request,
        TacticForm(request.POST),
        lambda data: services.tactic_save(actor=request.user, objective=obj, **data),
        saved=_("Tactic added."),
        back=url_for(request, "strategy_objective", objective),
    )


@workspace_view(EDIT)
@require_POST
def tactic_remove(request: WorkspaceRequest, tactic: str) -> HttpResponse:
    row = selectors.get(Tactic, request.workspace, tactic)
    assert isinstance(row, Tactic)
    objective = row.objective.uuid
    services.tactic_remove(actor=request.user, tactic=row)
    messages.success(request, _("Tactic removed."))
    return redirect(url_for(request, "strategy_objective", objective))


# --- KPIs ----------------------------------------------------------------------------------


@workspace_view()
def kpi_list(request: WorkspaceRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    kpis = list(selectors.kpis(request.workspace, archived=archived))
    found = measurement.kpi_progress(request.workspace, kpis, timezone.localdate(), history_years=0)
    return render(
        request,
        "strategy/kpi_list.html",
        {
            "rows": [
                {
                    "kpi": k,
                    "progress": found[k.pk].progress,
                    "status": progress_text.STATUS_LABELS[found[k.pk].progress.status],
                }
                for k in kpis
            ],
            "archived": archived,
            "can_edit": EDIT in request.allowed,
        },
    )


def _kpi_comparison(
    request: WorkspaceRequest, found: measurement.KpiProgress, index: Any
) -> tuple[Periods, explorer.Explorer | None]:
    """The KPI over a period against the one before (by default its own window and the
    window before that), over its own channels, and why it changed by channel."""
    agg = found.progress.aggregate
    periods = periods_from(request, Period(agg.start, agg.end) if agg else None)
    if found.metric is None:
        return periods, None
    return periods, explorer.build(
        request.workspace,
        found.metric,
        periods.current,
        periods.previous,
        index,
        channels=found.channels,
        detail=False,  # posts, campaigns and the daily series: on the explorer's page
    )


@workspace_view()
def kpi_comparison_export(request: WorkspaceRequest, kpi: str, fmt: str) -> HttpResponse:
    """The KPI page's table — the KPI by channel in both periods and each channel's part of
    the change — as CSV or XLSX."""
    exports.format_or_404(fmt)
    ws = request.workspace
    obj = selectors.get(Kpi, ws, kpi)
    assert isinstance(obj, Kpi)
    index = measurement.metric_index(ws)
    found = measurement.kpi_progress(ws, [obj], timezone.localdate(), history_years=0, index=index)
    _periods, comparison = _kpi_comparison(request, found[obj.pk], index)
    if comparison is None:
        raise Http404("This KPI's metric has no figures to compare.")
    return exports.response(explorer.table(comparison), fmt, f"kpi-{obj.uuid}")


@workspace_view()
def kpi_values_export(request: WorkspaceRequest, kpi: str, fmt: str) -> HttpResponse:
    """Every value entered by hand for the KPI, newest first, as CSV or XLSX."""
    exports.format_or_404(fmt)
    obj = selectors.get(Kpi, request.workspace, kpi)
    assert isinstance(obj, Kpi)
    table = exports.Table(
        columns=[_("Date"), _("Value"), _("Note"), _("Entered by")],
        rows=[
            (v.day, v.value, v.note, str(v.entered_by or ""))
            for v in obj.values.select_related("entered_by").order_by("-day")
        ],
        title=obj.name,
    )
    return exports.response(table, fmt, f"kpi-{obj.uuid}-values")


@workspace_view()
def kpi_detail(request: WorkspaceRequest, kpi: str) -> HttpResponse:
    ws = request.workspace
    obj = selectors.get(Kpi, ws, kpi, "objective", "owner__user")
    assert isinstance(obj, Kpi)
    today = timezone.localdate()
    index = measurement.metric_index(ws)
    kpi_channels = list(obj.channels.all())
    # Every value entered by hand, read once: the progress counts them, the page lists them.
    entered = list(obj.values.select_related("entered_by").order_by("-day"))
    found = measurement.kpi_progress(
        ws,
        [obj],
        today,
        index=index,
        known_channels={obj.pk: {c.pk for c in kpi_channels}},
        known_values={obj.pk: [(v.day, v.value) for v in entered]},
    )[obj.pk]
    p = found.progress
    chart_end = max(d for d in (obj.target_date, today) if d is not None)
    notes = list(measurement.annotations_in(ws, found.history_from, chart_end, found.channels))
    manual = entered[:50]
    # The KPI over a period against the one before (by default its own window and the window
    # before that), over its own channels, and why it changed.
    periods, comparison = _kpi_comparison(request, found, index)
    one_channel = f"&channel={kpi_channels[0].uuid}" if len(kpi_channels) == 1 else ""
    band = None
    if obj.direction == "band" and obj.band_low is not None and obj.band_high is not None:
        band = (obj.band_low, obj.band_high)
    spec = None
    if p.history or p.current is not None:
        spec = measurement_charts.kpi_spec(
            progress=p,
            baseline=obj.baseline_value,
            target=obj.target_value if obj.direction != "band" else None,
            target_date=obj.target_date,
            band=band,
            annotations=notes,
            manual=[(v.day, v.value) for v in manual],
            title=f"{obj.name} ({obj.unit})" if obj.unit else obj.name,
        )
    return render(
        request,
        "strategy/kpi_detail.html",
        {
            "kpi": obj,
            "rows_url": kpi_rows_url(
                ws.slug, obj, p, found.channels, {c.pk: c.uuid for c in kpi_channels}
            ),
            "x": comparison,
            "metric": found.metric,
            "periods": periods,
            "period_form": period_form_shown(periods),
            "q_after": periods.query(),
            "q_before": periods.query(current=False),
            "q_change": periods.query(vs=True),
            "scope": one_channel,
            "linked": len(kpi_channels) <= 1,
            "explorer_query": periods.query(vs=True),
            "values": manual,
            "value_form": KpiValueForm(initial={"day": today}),
            "can_edit": EDIT in request.allowed,
            "progress": p,
            "found": found,
            "metric_name": progress_text.metric_name(index, obj.metric_key)
            if found.metric
            else None,
            "window_label": progress_text.WINDOW_LABELS.get(found.window, found.window),
            "status_label": progress_text.STATUS_LABELS[p.status],
            "status_text": progress_text.describe_status(p),
            "formula": progress_text.describe(p.aggregate, index) if p.aggregate else None,
            "projections": [
                progress_text.describe_projection(x) for x in (p.linear, p.seasonal) if x
            ],
            "current": progress_text.number(p.current),
            "percent": progress_text.number(p.percent_to_target, 1),
            "required": progress_text.number(p.required_per_day, 4),
            "kpi_channels": kpi_channels,
            "annotations": notes,
            "chart_spec": spec,
        },
    )


@workspace_view(EDIT)
def kpi_edit(request: WorkspaceRequest, kpi: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(Kpi, ws, kpi) if kpi else None
    initial: dict[str, Any] = {}
    if isinstance(instance, Kpi):
        initial = {
            f: getattr(instance, f)
            for f in (
                "objective",
                "name",
                "metric_key",
                "unit",
                "direction",
                "baseline_value",
                "baseline_date",
                "target_value",
                "target_date",
                "band_low",
                "band_high",
                "owner",
                "review_cadence",
                "amec_stage",
                "window",
            )
        }
        initial["channels"] = list(instance.channels.all())
    elif request.GET.get("objective"):
        initial = {
            "objective": SocialObjective.objects.filter(
                workspace=ws, uuid=request.GET["objective"]
            ).first()
        }
    form = KpiForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.kpi_save(actor=request.user, workspace=ws, kpi=instance, **data),
        template=FORM,
        title=_("Edit KPI") if instance else _("New KPI"),
        done=lambda obj: url_for(request, "strategy_kpi", obj.uuid),
        cancel=url_for(request, "strategy_kpis"),
        saved=_("KPI saved."),
    )


@workspace_view(EDIT)
@require_POST
def kpi_value(request: WorkspaceRequest, kpi: str) -> HttpResponse:
    obj = selectors.get(Kpi, request.workspace, kpi)
    return inline_post(
        request,
        KpiValueForm(request.POST),
        lambda data: services.kpi_value_set(actor=request.user, kpi=obj, **data),
        saved=_("Value saved."),
        back=url_for(request, "strategy_kpi", kpi),
        invalid=_("Enter a date and a number."),
    )


# --- Audiences -----------------------------------------------------------------------------


@workspace_view()
def audience_list(request: WorkspaceRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    return render(
        request,
        "strategy/audience_list.html",
        {
            "audiences": selectors.audiences(request.workspace, archived=archived),
            "archived": archived,
            "can_edit": EDIT in request.allowed,
            "presence_form": PresenceForm(initial={"figure_date": timezone.localdate()}),
        },
    )


@workspace_view(EDIT)
def audience_edit(request: WorkspaceRequest, audience: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(Audience, ws, audience) if audience else None
    initial: dict[str, Any] = {}
    if isinstance(instance, Audience):
        initial = {
            f: getattr(instance, f) for f in ("name", "kind", "size", "priority", "demographics")
        }
    form = AudienceForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.audience_save(
            actor=request.user,
            workspace=ws,
            audience=instance,
            **data,
        ),
        template=FORM,
        title=_("Edit audience") if instance else _("New audience"),
        done=lambda obj: url_for(request, "strategy_audiences") + f"#audience-{obj.uuid}",
        cancel=url_for(request, "strategy_audiences"),
        saved=_("Audience saved."),
    )


@workspace_view(EDIT)
def presence_add(request: WorkspaceRequest, audience: str) -> HttpResponse:
    obj = selectors.get(Audience, request.workspace, audience)
    form = PresenceForm(posted(request), initial={"figure_date": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.presence_save(actor=request.user, audience=obj, **data),
        template=FORM,
        title=_("Where %(audience)s is: add evidence") % {"audience": obj},
        done=lambda _row: url_for(request, "strategy_audiences") + f"#audience-{audience}",
        cancel=url_for(request, "strategy_audiences"),
        saved=_("Evidence saved."),
    )


@workspace_view(EDIT)
@require_POST
def presence_remove(request: WorkspaceRequest, audience: str, platform: str) -> HttpResponse:
    row = PlatformPresence.objects.filter(
        workspace=request.workspace, audience__uuid=audience, platform=platform
    ).first()
    if row is not None:
        services.presence_remove(actor=request.user, presence=row)
        messages.success(request, _("Evidence removed."))
    return redirect(url_for(request, "strategy_audiences") + f"#audience-{audience}")


# --- Messages: what we say to whom ---------------------------------------------------------


@workspace_view()
def message_matrix(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    msgs = list(selectors.messages(ws))
    auds = list(selectors.audiences(ws))
    rows = []
    for a in auds:
        cells = []
        for m in msgs:
            reaches = any(x.pk == a.pk for x in m.audiences.all())
            cells.append(m.channels if reaches else None)
        rows.append({"audience": a, "cells": cells, "reached": any(c for c in cells)})
    return render(
        request,
        "strategy/message_matrix.html",
        {
            "messages_list": msgs,
            "rows": rows,
            "unreached": [r["audience"] for r in rows if not r["reached"]],
            "archived_messages": selectors.messages(ws, archived=True),
            "platform_labels": dict(Platform.choices),
            "can_edit": EDIT in request.allowed,
        },
    )


@workspace_view(EDIT)
def message_edit(request: WorkspaceRequest, message: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(Message, ws, message) if message else None
    initial: dict[str, Any] = {}
    if isinstance(instance, Message):
        initial = {
            "title": instance.title,
            "text": instance.text,
            "audiences": list(instance.audiences.all()),
            "channels": instance.channels,
            "tone": instance.tone,
            "owner": instance.owner,
        }
    form = MessageForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.message_save(
            actor=request.user,
            workspace=ws,
            message=instance,
            **data,
        ),
        template=FORM,
        title=_("Edit message") if instance else _("New message"),
        done=lambda _obj: url_for(request, "strategy_messages"),
        cancel=url_for(request, "strategy_messages"),
        saved=_("Message saved."),
    )


# --- Vision and roadmap --------------------------------------------------------------------


@workspace_view()
def vision_page(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    current = selectors.vision(ws)
    can_edit = EDIT in request.allowed
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            f: getattr(current, f)
            for f in (
                "statement",
                "value_employees",
                "value_customers",
                "value_shareholders",
                "sponsor",
                "sponsor_route",
                "sponsor_since",
            )
        }
    form = VisionForm(posted(request) if can_edit else None, workspace=ws, initial=initial)
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(EDIT)
        if form.is_valid():
            try:
                services.vision_set(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Vision saved."))
                return redirect(url_for(request, "strategy_vision"))
    return render(
        request, "strategy/vision.html", {"vision": current, "form": form, "can_edit": can_edit}
    )


@workspace_view()
def roadmap(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    items = list(selectors.initiatives(ws))
    today = timezone.localdate()
    return render(
        request,
        "strategy/roadmap.html",
        {
            "initiatives": items,
            "timeline_spec": charts.roadmap_spec(items, today) if items else None,
            "reaches": max((i.end for i in items), default=None),
            "three_years": date(today.year + 3, today.month, min(today.day, 28)),
            "can_edit": EDIT in request.allowed,
        },
    )


@workspace_view(EDIT)
def initiative_edit(request: WorkspaceRequest, initiative: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get(Initiative, ws, initiative) if initiative else None
    initial: dict[str, Any] = {}
    if isinstance(instance, Initiative):
        initial = {
            f: getattr(instance, f)
            for f in (
                "title",
                "description",
                "department",
                "start",
                "end",
                "status",
                "priority",
                "estimated_cost",
                "maturity_stage",
            )
        }
        initial["goals"] = list(instance.goals.all())
        initial["objectives"] = list(instance.objectives.all())
    form = InitiativeForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.initiative_save(
            actor=request.user,
            workspace=ws,
            initiative=instance,
            **data,
        ),
        template=FORM,
        title=_("Edit initiative") if instance else _("New initiative"),
        done=lambda _obj: url_for(request, "strategy_roadmap"),
        cancel=url_for(request, "strategy_roadmap"),
        saved=_("Initiative saved."),
    )


# --- Archive and restore -------------------------------------------------------------------

ARCHIVABLE: dict[str, tuple[type[Any], Callable[..., Any], str]] = {
    "goal": (BusinessGoal, services.goal_archive, "strategy_goals"),
    "objective": (SocialObjective, services.objective_archive, "strategy_goals"),
    "kpi": (Kpi, services.kpi_archive, "strategy_kpis"),
    "audience": (Audience, services.audience_archive, "strategy_audiences"),
    "message": (Message, services.message_archive, "strategy_messages"),
    "initiative": (Initiative, services.initiative_archive, "strategy_roadmap"),
}


@workspace_view(EDIT)
@require_POST
def archive(request: WorkspaceRequest, kind: str, uuid: str) -> HttpResponse:
    if kind not in ARCHIVABLE:
        raise Http404("No such kind.")
    model, service, back = ARCHIVABLE[kind]
    obj: Any = selectors.get(model, request.workspace, uuid)
    restore = request.POST.get("restore") == "1"
    service(**{"actor": request.user, kind: obj, "archived": not restore})
    messages.success(
        request,
        (_("“%(name)s” restored.") if restore else _("“%(name)s” archived. It can be restored."))
        % {"name": obj},
    )
    return redirect(url_for(request, back))


# --- Strategy on a page --------------------------------------------------------------------


@workspace_view()
def onepage(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "strategy/onepage.html", {"page": build_onepage(request.workspace)})


@workspace_view()
def onepage_pdf(request: WorkspaceRequest) -> HttpResponse:
    html = render_to_string(
        "strategy/onepage.html",
        {"page": build_onepage(request.workspace), "for_pdf": True},
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    filename = f"{request.workspace.slug}-strategy-on-a-page-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# --- Competitors and evidence --------------------------------------------------------------


@workspace_view()
def competitors(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "strategy/competitors.html",
        {
            "competitors": selectors.competitors(request.workspace),
            "case_studies": selectors.case_studies(request.workspace),
            "can_edit": EDIT in request.allowed,
        },
    )


@workspace_view(EDIT)
def competitor_new(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return form_page(
        request,
        CompetitorForm(posted(request)),
        lambda data: services.competitor_save(actor=request.user, workspace=ws, **data),
        template=FORM,
        title=_("New competitor"),
        done=lambda _obj: url_for(request, "strategy_competitors"),
        cancel=url_for(request, "strategy_competitors"),
        saved=_("Competitor saved."),
    )


@workspace_view(EDIT)
def observation_new(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    initial: dict[str, Any] = {"observed_on": timezone.localdate()}
    if request.GET.get("competitor"):
        initial["competitor"] = Competitor.objects.filter(
            workspace=ws, uuid=request.GET["competitor"]
        ).first()
    return form_page(
        request,
        ObservationForm(posted(request), workspace=ws, initial=initial),
        lambda data: services.observation_add(actor=request.user, **data),
        template=FORM,
        title=_("What a competitor gained through social"),
        done=lambda _obj: url_for(request, "strategy_competitors"),
        cancel=url_for(request, "strategy_competitors"),
        saved=_("Observation saved."),
    )


@workspace_view(EDIT)
def case_study_new(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return form_page(
        request,
        CaseStudyForm(posted(request)),
        lambda data: services.case_study_save(actor=request.user, workspace=ws, **data),
        template=FORM,
        title=_("New case study"),
        done=lambda _obj: url_for(request, "strategy_competitors") + "#case-studies",
        cancel=url_for(request, "strategy_competitors"),
        saved=_("Case study saved."),
    )


# --- YAML export and import ----------------------------------------------------------------


@workspace_view()
def yaml_export(request: WorkspaceRequest) -> HttpResponse:
    response = HttpResponse(
        yaml_io.strategy_export(request.workspace), content_type="application/yaml; charset=utf-8"
    )
    filename = f"{request.workspace.slug}-strategy-{timezone.localdate():%Y-%m-%d}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@workspace_view(EDIT)
def yaml_import(request: WorkspaceRequest) -> HttpResponse:
    """Upload (or paste) a strategy document; check it first, then import it all or nothing."""
    text = ""
    result = None
    problems: list[dict[str, Any]] = []
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("document")
        if upload is not None:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                error = _("The file is not UTF-8 text.")
        else:
            text = request.POST.get("text", "")
        if text and not error:
            dry_run = request.POST.get("confirm") != "1"
            try:
                result = yaml_io.strategy_import(
                    actor=request.user, workspace=request.workspace, text=text, dry_run=dry_run
                )
            except ConvergeError as exc:
                error = exc.message
                problems = list(exc.details.get("problems", []))
            else:
                if not dry_run:
                    messages.success(request, _("The strategy document was imported."))
                    return redirect(url_for(request, "strategy"))
        elif not error:
            error = _("Choose a YAML file to import.")
    return render(
        request,
        "strategy/import.html",
        {"text": text, "result": result, "problems": problems, "error": error},
    )


@workspace_view()
def goal_attachment(request: WorkspaceRequest, goal: str) -> FileResponse:
    """The goal's attached source document, for people who may read the strategy."""
    obj = selectors.get(BusinessGoal, request.workspace, goal)
    if not obj.attachment:
        raise Http404("No attachment.")
    return FileResponse(
        obj.attachment.open("rb"),
        as_attachment=True,
        filename=obj.attachment.name.rsplit("/", 1)[-1],
    )
