"""Maturity pages. Everyone in the workspace reads results and snapshots; leads and owners
(``manage_maturity``) start and finish runs and turn gaps into plans; invited respondents
answer on their own page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from converge.core.errors import ConvergeError
from converge.core.pages import url_for
from converge.core.views import WorkspaceRequest, workspace_view
from converge.maturity import benchmarks, charts, definition, selectors, services
from converge.maturity.forms import AnswersForm, RespondentsForm
from converge.maturity.models import AnswerValue, Assessment
from converge.maturity.results import Results, text
from converge.reports.pdf import html_to_pdf

MANAGE = services.MANAGE


def _answer_label(value: str | None) -> str:
    return str(AnswerValue(value).label) if value in AnswerValue.values else ""


def _localised(row: dict[str, Any]) -> dict[str, Any]:
    combined = row.get("combined")
    evidence = row.get("evidence")
    return {
        **row,
        "evidence": {**evidence, "found": text(evidence.get("found") or "")} if evidence else None,
        "combined": {**combined, "label": _answer_label(combined["value"])} if combined else None,
        "answers": [{**a, "label": _answer_label(a["value"])} for a in row.get("answers", [])],
        "t_title": text(row["title"]),
        "t_why": text(row["why"]),
        "t_next": text(row["next"]),
    }


def _results_context(request: WorkspaceRequest, results: Results) -> dict[str, Any]:
    stages = charts.stage_labels()
    rows = [_localised(r) for r in results["criteria"]]
    by_id = {r["id"]: r for r in rows}
    reached = results["stage"]
    ladder = [
        {
            "number": n,
            "name": stages[n],
            "reached": n <= reached,
            "current": n == reached,
            "next": n == results["next_stage"],
            "gated": n in results["gated"],
            "met": sum(1 for r in rows if r["stage"] == n and r["met"]),
            "total": sum(1 for r in rows if r["stage"] == n),
        }
        for n in range(6, 0, -1)
    ]
    labels = charts.factor_labels()
    return {
        "results": results,
        "stage_name": stages[reached],
        "next_name": stages[results["next_stage"]] if results["next_stage"] else "",
        "ladder": ladder,
        "factors": [(labels.get(k, k), v) for k, v in results["factors"].items()],
        "factor_spec": charts.factors_spec(results["factors"]),
        "gaps": [by_id[i] for i in results["missing"] if i in by_id],
        "stages": [(stages[n], [r for r in rows if r["stage"] == n]) for n in range(1, 7)],
        "benchmarks": benchmarks.sentences(results),
        "can_manage": MANAGE in request.allowed,
    }


@workspace_view()
def home(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    current = selectors.open_assessment(ws) or selectors.last_finished(ws)
    history = selectors.history(ws)
    context: dict[str, Any] = {
        "assessment": current,
        "runs": [
            (run, charts.stage_labels()[int(run.snapshot.get("stage", 0))] if run.finished else "")
            for run in selectors.assessments(ws)
        ],
        "history_spec": charts.history_spec(history) if history else None,
        "can_manage": MANAGE in request.allowed,
        "start_form": RespondentsForm(workspace=ws),
        "has_open": selectors.open_assessment(ws) is not None,
    }
    if current is not None:
        context.update(_results_context(request, selectors.results(current)))
    return render(request, "maturity/home.html", context)


@workspace_view()
def model_page(request: WorkspaceRequest) -> HttpResponse:
    model = definition.current()
    stages = charts.stage_labels()
    labels = charts.factor_labels()
    return render(
        request,
        "maturity/model.html",
        {
            "version": model.version,
            "stages": [
                (stages[n], [(c, [labels[f] for f in c.factors]) for c in model.of_stage(n)])
                for n in range(1, 7)
            ],
        },
    )


@workspace_view(MANAGE)
@require_POST
def start(request: WorkspaceRequest) -> HttpResponse:
    form = RespondentsForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        messages.error(request, _("Choose members of this workspace."))
        return redirect(url_for(request, "maturity"))
    chosen = list(form.cleaned_data["respondents"])
    try:
        assessment = services.assessment_start(
            actor=request.user, workspace=request.workspace, respondents=chosen or None
        )
    except ConvergeError as exc:
        messages.error(request, exc.message)
        return redirect(url_for(request, "maturity"))
    messages.success(request, _("Assessment started: the evidence has been evaluated."))
    return redirect(url_for(request, "maturity_assessment", assessment.uuid))


@workspace_view()
def detail(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    respondent = selectors.respondent_for(run, request.membership)
    context = {
        "assessment": run,
        "respondents": selectors.respondents(run),
        "respondent": respondent,
        "respondents_form": RespondentsForm(
            workspace=request.workspace,
            initial={"respondents": [r.membership for r in run.respondents.all()]},
        ),
        **_results_context(request, selectors.results(run)),
    }
    return render(request, "maturity/assessment.html", context)


@workspace_view()
def answer(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    respondent = selectors.respondent_for(run, request.membership)
    if respondent is None or run.finished:
        raise Http404("Not a respondent of an open assessment.")
    criteria = [c for c in definition.current().criteria if c.self_assessed]
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        current=selectors.my_answers(respondent),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.answers_set(actor=request.user, assessment=run, answers=form.answers())
        except ConvergeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(url_for(request, "maturity_assessment", run.uuid))
    stages = charts.stage_labels()
    return render(
        request,
        "maturity/answer.html",
        {"assessment": run, "form": form, "stage_names": stages},
    )


@workspace_view(MANAGE)
@require_POST
def respondents(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    form = RespondentsForm(request.POST, workspace=request.workspace)
    if form.is_valid():
        try:
            services.respondents_set(
                actor=request.user, assessment=run, respondents=form.cleaned_data["respondents"]
            )
            messages.success(request, _("Respondents saved."))
        except ConvergeError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose members of this workspace."))
    return redirect(url_for(request, "maturity_assessment", run.uuid))


@workspace_view(MANAGE)
@require_POST
def refresh(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    try:
        services.assessment_refresh(actor=request.user, assessment=run)
        messages.success(request, _("The evidence has been evaluated again."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(url_for(request, "maturity_assessment", run.uuid))


@workspace_view(MANAGE)
@require_POST
def finish(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    try:
        services.assessment_finish(actor=request.user, assessment=run)
        messages.success(request, _("Assessment finished and saved as a snapshot."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(url_for(request, "maturity_assessment", run.uuid))


@workspace_view()
def pdf(request: WorkspaceRequest, assessment: str) -> HttpResponse:
    run = selectors.get_assessment(request.workspace, assessment)
    html = render_to_string(
        "maturity/pdf.html",
        {
            "assessment": run,
            "workspace": request.workspace,
            **_results_context(request, selectors.results(run)),
        },
        request=request,
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    filename = f"{request.workspace.slug}-maturity-{run.finished_on or run.started_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _gap(request: WorkspaceRequest, criterion: str, make: Any, done: str) -> HttpResponse:
    if criterion not in definition.current().by_id():
        raise Http404("No such criterion.")
    back = request.POST.get("next") or ""
    if not back.startswith(f"/w/{request.workspace.slug}/maturity/"):
        back = url_for(request, "maturity")
    run_uuid = request.POST.get("assessment") or ""
    run: Assessment | None = None
    if run_uuid:
        run = selectors.get_assessment(request.workspace, run_uuid)
    try:
        make(run)
        messages.success(request, done)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(back)


@workspace_view(MANAGE)
@require_POST
def gap_initiative(request: WorkspaceRequest, criterion: str) -> HttpResponse:
    return _gap(
        request,
        criterion,
        lambda run: services.gap_to_initiative(
            actor=request.user, workspace=request.workspace, criterion=criterion, assessment=run
        ),
        _("The gap is on the roadmap as a planned initiative."),
    )


@workspace_view(MANAGE)
@require_POST
def gap_action(request: WorkspaceRequest, criterion: str) -> HttpResponse:
    return _gap(
        request,
        criterion,
        lambda run: services.gap_to_action(
            actor=request.user, workspace=request.workspace, criterion=criterion, assessment=run
        ),
        _("The gap is an action item, due in 30 days."),
    )
