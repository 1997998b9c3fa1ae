"""Operating-model pages: the model and its team, the RACI, executives, policies and playbooks,
training and the best-practice log. Everyone in the workspace reads and acknowledges; leads and
owners (``manage_operating_model``) edit."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Membership
from converge.core.pages import inline_post, posted, url_for
from converge.core.policy import Action
from converge.core.views import WorkspaceRequest, not_permitted, workspace_view
from converge.measurement.models import Channel
from converge.operating import documents, raci, selectors, services
from converge.operating.forms import (
    ActivityForm,
    CompletionForm,
    DocumentForm,
    ExecutiveForm,
    OperatingModelForm,
    PolicyForm,
    PracticeForm,
    PublishForm,
    RaciPersonForm,
    SessionForm,
    TeamMemberForm,
    TouchpointForm,
    TrainingForm,
)
from converge.operating.gaps import describe_gap
from converge.operating.models import (
    Executive,
    PolicyDocument,
    PracticeEntry,
    RaciActivity,
    RaciRole,
    TeamMember,
    Training,
)

MANAGE = Action.MANAGE_OPERATING_MODEL

# The short forms in the RACI grid's cells (a first letter is ambiguous in Swedish).
ROLE_LETTERS = {
    "decides": pgettext_lazy("RACI abbreviation of Decides", "D"),
    "executes": pgettext_lazy("RACI abbreviation of Executes", "E"),
    "pays": pgettext_lazy("RACI abbreviation of Pays", "P"),
    "consulted": pgettext_lazy("RACI abbreviation of Consulted", "C"),
    "informed": pgettext_lazy("RACI abbreviation of Informed", "I"),
}


def _can(request: WorkspaceRequest) -> bool:
    return MANAGE in request.allowed


def _channels(form: forms.Form, request: WorkspaceRequest) -> None:
    if "channel" in form.fields:
        form.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            workspace=request.workspace
        )


# --- Operating model ------------------------------------------------------------------------


@workspace_view()
def operating_model(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    model = selectors.operating_model(ws)
    initial: dict[str, Any] = {}
    if model is not None:
        initial = {
            f: getattr(model, f)
            for f in ("kind", "summary", "priorities", "guidelines", "processes", "roles")
        }
    form = OperatingModelForm(posted(request), initial=initial)
    if request.method == "POST":
        if not _can(request):
            return not_permitted(request)
        if form.is_valid():
            try:
                services.operating_model_save(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Operating model saved."))
                return redirect(url_for(request, "operating_model"))
    team = list(selectors.team(ws))
    mandate = [
        (label, documents.render_markdown(getattr(model, name)) if model else "")
        for name, label in (
            ("priorities", _("Priorities")),
            ("guidelines", _("Guidelines")),
            ("processes", _("Processes")),
            ("roles", _("Roles")),
        )
    ]
    return render(
        request,
        "operating/model.html",
        {
            "model": model,
            "mandate": mandate,
            "team": team,
            "team_warning": selectors.team_size_warning(model, len(team)),
            "form": form,
            "team_form": TeamMemberForm(workspace=ws),
            "can_edit": _can(request),
            "editing": request.method == "POST" or request.GET.get("edit") == "1" or model is None,
        },
    )


@workspace_view(MANAGE)
@require_POST
def team_add(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return inline_post(
        request,
        TeamMemberForm(request.POST, workspace=ws),
        lambda data: services.team_member_save(actor=request.user, workspace=ws, **data),
        saved=_("Team member saved."),
        back=url_for(request, "operating_model") + "#team",
    )


@workspace_view(MANAGE)
@require_POST
def team_remove(request: WorkspaceRequest, team_member: str) -> HttpResponse:
    row = selectors.get(TeamMember, request.workspace, team_member)
    services.team_member_remove(actor=request.user, team_member=row)
    messages.success(request, _("Removed from the team."))
    return redirect(url_for(request, "operating_model") + "#team")


# --- RACI -----------------------------------------------------------------------------------


def _matrix_cells(
    request: WorkspaceRequest, matrix: selectors.Matrix
) -> tuple[list[services.CellInput], list[str]]:
    """Read the posted grid: ``raci-<activity>-<party>-<role>`` boxes and
    ``share-<activity>-<party>`` percentages."""
    cells: list[services.CellInput] = []
    errors: list[str] = []
    for row in matrix.rows:
        a = row.activity
        for party in matrix.parties:
            prefix = f"{a.uuid}-{party.key}"
            share_text = request.POST.get(f"share-{prefix}", "").strip().replace(",", ".")
            share: Decimal | None = None
            if share_text:
                try:
                    share = Decimal(share_text.rstrip("%").strip())
                except InvalidOperation:
                    errors.append(
                        _("%(activity)s, %(party)s: the share of the bill is not a number.")
                        % {"activity": a.name, "party": party.name}
                    )
                    continue
            for role in raci.ROLES:
                if request.POST.get(f"raci-{prefix}-{role}") != "on":
                    continue
                cells.append(
                    services.CellInput(
                        a,
                        role,
                        party.department,
                        party.membership,
                        share if role == RaciRole.PAYS else None,
                    )
                )
            if share is not None and request.POST.get(f"raci-{prefix}-pays") != "on":
                errors.append(
                    _("%(activity)s, %(party)s: tick “Pays” to give a share of the bill.")
                    % {"activity": a.name, "party": party.name}
                )
    return cells, errors


@workspace_view()
def raci_matrix(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    matrix = selectors.raci_matrix(ws)
    errors: list[str] = []
    if request.method == "POST":
        if not _can(request):
            return not_permitted(request)
        cells, errors = _matrix_cells(request, matrix)
        if not errors:
            try:
                services.raci_replace(actor=request.user, workspace=ws, cells=cells)
            except ConvergeError as exc:
                errors.append(exc.message)
            else:
                messages.success(request, _("RACI saved."))
                return redirect(url_for(request, "raci_matrix"))
    return render(
        request,
        "operating/raci.html",
        {
            "matrix": matrix,
            "roles": [(r, RaciRole(r).label, ROLE_LETTERS[r]) for r in raci.ROLES],
            "gaps": [describe_gap(g) for g in matrix.gaps],
            "errors": errors,
            "posted": request.POST if errors else None,
            "can_edit": _can(request),
            "activity_form": ActivityForm(),
            "person_form": RaciPersonForm(workspace=ws),
        },
    )


@workspace_view(MANAGE)
@require_POST
def raci_activity_add(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return inline_post(
        request,
        ActivityForm(request.POST),
        lambda data: services.raci_activity_save(actor=request.user, workspace=ws, **data),
        saved=_("Activity added."),
        back=url_for(request, "raci_matrix"),
    )


@workspace_view(MANAGE)
@require_POST
def raci_defaults(request: WorkspaceRequest) -> HttpResponse:
    added = services.raci_defaults_add(actor=request.user, workspace=request.workspace)
    messages.success(request, _("%(count)s activities added.") % {"count": len(added)})
    return redirect(url_for(request, "raci_matrix"))


@workspace_view(MANAGE)
@require_POST
def raci_activity_remove(request: WorkspaceRequest, activity: str) -> HttpResponse:
    row = selectors.get(RaciActivity, request.workspace, activity)
    services.raci_activity_remove(actor=request.user, activity=row)
    messages.success(request, _("Activity removed."))
    return redirect(url_for(request, "raci_matrix"))


@workspace_view(MANAGE)
@require_POST
def raci_person_add(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return inline_post(
        request,
        RaciPersonForm(request.POST, workspace=ws),
        lambda data: services.raci_assign(
            actor=request.user,
            activity=data["activity"],
            role=data["role"],
            membership=data["membership"],
            pay_share=data["pay_share"],
        ),
        saved=_("RACI saved."),
        back=url_for(request, "raci_matrix"),
    )


@workspace_view()
def raci_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    exports.format_or_404(fmt)
    matrix = selectors.raci_matrix(request.workspace)
    table = exports.Table(
        columns=[
            _("Activity"),
            _("Party"),
            _("Kind"),
            *[str(RaciRole(r).label) for r in raci.ROLES],
            _("Share of the bill (%)"),
        ],
        rows=selectors.raci_table_rows(matrix),
        title="RACI",
    )
    return exports.response(table, fmt, f"raci-{request.workspace.slug}")


# --- Executives -----------------------------------------------------------------------------


@workspace_view()
def executive_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = ExecutiveForm(posted(request), workspace=ws)
    if request.method == "POST":
        if not _can(request):
            return not_permitted(request)
        if form.is_valid():
            try:
                services.executive_save(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Executive saved."))
                return redirect(url_for(request, "executive_list"))
    from converge.strategy.models import Vision

    return render(
        request,
        "operating/executives.html",
        {
            "rows": [
                (
                    e,
                    TouchpointForm(
                        initial={"day": timezone.localdate()}, auto_id=f"tp-{e.uuid}-%s"
                    ),
                )
                for e in selectors.executives(ws)
            ],
            "vision": Vision.objects.filter(workspace=ws).select_related("sponsor__user").first(),
            "form": form,
            "can_edit": _can(request),
        },
    )


@workspace_view(MANAGE)
@require_POST
def touchpoint_add(request: WorkspaceRequest, executive: str) -> HttpResponse:
    row = selectors.get(Executive, request.workspace, executive)
    return inline_post(
        request,
        TouchpointForm(request.POST),
        lambda data: services.touchpoint_add(actor=request.user, executive=row, **data),
        saved=_("Touchpoint recorded."),
        back=url_for(request, "executive_list") + f"#exec-{row.uuid}",
    )


@workspace_view(MANAGE)
@require_POST
def executive_remove(request: WorkspaceRequest, executive: str) -> HttpResponse:
    row = selectors.get(Executive, request.workspace, executive)
    services.executive_remove(actor=request.user, executive=row)
    messages.success(request, _("Executive removed."))
    return redirect(url_for(request, "executive_list"))


# --- Policies and playbooks -----------------------------------------------------------------


@workspace_view()
def policy_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    docs = list(selectors.documents(ws))
    return render(
        request,
        "operating/policy_list.html",
        {
            "documents": docs,
            "waiting": selectors.waiting_for(request.membership),
            "can_edit": _can(request),
        },
    )


@workspace_view(MANAGE)
def policy_new(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = PolicyForm(posted(request), workspace=ws)
    _channels(form, request)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_create(actor=request.user, workspace=ws, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, _("Published. Everyone it applies to is asked to acknowledge it.")
            )
            return redirect(url_for(request, "policy_detail", version.document.uuid))
    return render(
        request,
        "operating/form.html",
        {
            "form": form,
            "title": _("New policy or playbook"),
            "cancel": url_for(request, "policy_list"),
        },
    )


def _document(request: WorkspaceRequest, document: str) -> PolicyDocument:
    return selectors.get(PolicyDocument, request.workspace, document)


@workspace_view()
def policy_detail(request: WorkspaceRequest, document: str) -> HttpResponse:
    doc = _document(request, document)
    history = list(selectors.versions(doc))
    current = history[0] if history else None
    return render(
        request,
        "operating/policy_detail.html",
        {
            "document": doc,
            "version": current,
            "current": current,
            "html": documents.render_markdown(current.body) if current else "",
            "history": history,
            "status": selectors.ack_status(current) if current else None,
            "mine": selectors.my_acknowledgement(current, request.membership),
            "can_edit": _can(request),
            "newcomers": services.not_yet_asked(current) if current and _can(request) else [],
        },
    )


@workspace_view(MANAGE)
def policy_edit(request: WorkspaceRequest, document: str) -> HttpResponse:
    doc = _document(request, document)
    form = DocumentForm(
        posted(request), initial={"title": doc.title, "kind": doc.kind, "channel": doc.channel}
    )
    _channels(form, request)
    if request.method == "POST" and form.is_valid():
        try:
            services.policy_update(actor=request.user, document=doc, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(url_for(request, "policy_detail", doc.uuid))
    return render(
        request,
        "operating/form.html",
        {
            "form": form,
            "title": _("Rename or reclassify “%(title)s”") % {"title": doc.title},
            "cancel": url_for(request, "policy_detail", doc.uuid),
            "button": _("Save"),
        },
    )


@workspace_view(MANAGE)
@require_POST
def policy_ask(request: WorkspaceRequest, document: str) -> HttpResponse:
    doc = _document(request, document)
    asked = services.policy_ask_newcomers(actor=request.user, document=doc)
    messages.success(
        request,
        ngettext(
            "%(count)s person asked to acknowledge it.",
            "%(count)s people asked to acknowledge it.",
            asked,
        )
        % {"count": asked},
    )
    return redirect(url_for(request, "policy_detail", doc.uuid))


@workspace_view()
def policy_version(request: WorkspaceRequest, document: str, version: int) -> HttpResponse:
    doc = _document(request, document)
    history = list(selectors.versions(doc))
    shown = selectors.version(doc, version)
    return render(
        request,
        "operating/policy_detail.html",
        {
            "document": doc,
            "version": shown,
            "current": history[0] if history else None,
            "html": documents.render_markdown(shown.body),
            "history": history,
            "status": selectors.ack_status(shown),
            "mine": selectors.my_acknowledgement(shown, request.membership),
            "can_edit": _can(request),
        },
    )


@workspace_view(MANAGE)
def policy_publish(request: WorkspaceRequest, document: str) -> HttpResponse:
    ws = request.workspace
    doc = _document(request, document)
    current = services.current_version(doc)
    initial: dict[str, Any] = {"applies_to_everyone": True}
    if current is not None:
        initial = {
            "body": current.body,
            "applies_to_everyone": current.applies_to_everyone,
            "departments": list(current.departments.all()),
        }
    form = PublishForm(posted(request), workspace=ws, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.policy_publish(actor=request.user, document=doc, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Version %(number)s published. Everyone it applies to is asked to "
                    "acknowledge it."
                )
                % {"number": version.number},
            )
            return redirect(url_for(request, "policy_detail", doc.uuid))
    return render(
        request,
        "operating/form.html",
        {
            "form": form,
            "title": _("Publish a new version of “%(title)s”") % {"title": doc.title},
            "cancel": url_for(request, "policy_detail", doc.uuid),
        },
    )


@workspace_view()
@require_POST
def policy_acknowledge(request: WorkspaceRequest, document: str) -> HttpResponse:
    doc = _document(request, document)
    try:
        services.policy_acknowledge(actor=request.user, document=doc)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: your acknowledgement is recorded."))
    back = request.POST.get("next", "")
    if back == "list":
        return redirect(url_for(request, "policy_list"))
    return redirect(url_for(request, "policy_detail", doc.uuid))


@workspace_view()
def policy_diff(request: WorkspaceRequest, document: str) -> HttpResponse:
    doc = _document(request, document)
    history = list(selectors.versions(doc))
    numbers = [v.number for v in history]

    def pick(name: str, default: int | None) -> int | None:
        try:
            value = int(request.GET.get(name, ""))
        except ValueError:
            return default
        return value if value in numbers else default

    new = pick("to", numbers[0] if numbers else None)
    old = pick("from", numbers[1] if len(numbers) > 1 else new)
    by_number = {v.number: v for v in history}
    old_v = by_number.get(old) if old else None
    new_v = by_number.get(new) if new else None
    rows = documents.side_by_side(old_v.body, new_v.body) if old_v and new_v else []
    text = (
        documents.unified(old_v.body, new_v.body, f"v{old_v.number}", f"v{new_v.number}")
        if old_v and new_v
        else ""
    )
    return render(
        request,
        "operating/policy_diff.html",
        {
            "document": doc,
            "history": history,
            "old": old_v,
            "new": new_v,
            "rows": rows,
            "unified": text,
            "view": "unified" if request.GET.get("view") == "unified" else "side",
            "changed": sum(1 for r in rows if r.kind != "equal"),
        },
    )


# --- Training -------------------------------------------------------------------------------


def _training_form(request: WorkspaceRequest, data: Any = None) -> TrainingForm:
    form = TrainingForm(data, workspace=request.workspace)
    _channels(form, request)
    return form


@workspace_view()
def training_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = _training_form(request, posted(request))
    if request.method == "POST":
        if not _can(request):
            return not_permitted(request)
        if form.is_valid():
            try:
                training = services.training_save(
                    actor=request.user, workspace=ws, **form.cleaned_data
                )
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Training added."))
                return redirect(url_for(request, "training_detail", training.uuid))
    catalogue = list(selectors.trainings(ws))
    return render(
        request,
        "operating/training_list.html",
        {
            "trainings": catalogue,
            "table": selectors.completion_table(ws, catalogue),
            "mine": {c.training_id for c in selectors.member_completions(request.membership)},
            "form": form,
            "can_edit": _can(request),
        },
    )


@workspace_view()
def training_detail(request: WorkspaceRequest, training: str) -> HttpResponse:
    ws = request.workspace
    obj = selectors.get(Training, ws, training)
    done = list(selectors.completions(obj))
    return render(
        request,
        "operating/training_detail.html",
        {
            "training": obj,
            "sessions": selectors.sessions(obj),
            "completions": done,
            "not_done": Membership.objects.filter(workspace=ws)
            .exclude(pk__in=[c.membership_id for c in done])
            .select_related("user"),
            "session_form": SessionForm(workspace=ws, initial={"day": timezone.localdate()}),
            "completion_form": CompletionForm(
                workspace=ws, initial={"completed_on": timezone.localdate()}
            ),
            "can_edit": _can(request),
        },
    )


@workspace_view(MANAGE)
@require_POST
def session_add(request: WorkspaceRequest, training: str) -> HttpResponse:
    obj = selectors.get(Training, request.workspace, training)
    return inline_post(
        request,
        SessionForm(request.POST, workspace=request.workspace),
        lambda data: services.training_session_add(actor=request.user, training=obj, **data),
        saved=_("Session recorded; its attendees have completed the training."),
        back=url_for(request, "training_detail", obj.uuid),
    )


@workspace_view(MANAGE)
@require_POST
def completion_add(request: WorkspaceRequest, training: str) -> HttpResponse:
    obj = selectors.get(Training, request.workspace, training)
    return inline_post(
        request,
        CompletionForm(request.POST, workspace=request.workspace),
        lambda data: services.training_completion_record(actor=request.user, training=obj, **data),
        saved=_("Completion recorded."),
        back=url_for(request, "training_detail", obj.uuid),
    )


# --- Best-practice log ----------------------------------------------------------------------


@workspace_view()
def practice_log(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = PracticeForm(posted(request), workspace=ws, initial={"day": timezone.localdate()})
    if request.method == "POST":
        if not _can(request):
            return not_permitted(request)
        if form.is_valid():
            try:
                services.practice_save(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Entry added to the log."))
                return redirect(url_for(request, "practice_log"))
    query = request.GET.get("q", "").strip()[:200]
    return render(
        request,
        "operating/practices.html",
        {
            "entries": selectors.practices(ws, query),
            "query": query,
            "form": form,
            "can_edit": _can(request),
        },
    )


@workspace_view(MANAGE)
@require_POST
def practice_remove(request: WorkspaceRequest, entry: str) -> HttpResponse:
    row = selectors.get(PracticeEntry, request.workspace, entry)
    services.practice_remove(actor=request.user, entry=row)
    messages.success(request, _("Entry removed."))
    return redirect(url_for(request, "practice_log"))
