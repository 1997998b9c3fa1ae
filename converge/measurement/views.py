"""Measurement pages: channels, the metric catalogue, imports with preview, commit, rollback."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.views import WorkspaceRequest, workspace_view
from converge.measurement import selectors, services
from converge.measurement.catalogue import BUILT_IN, BY_KEY
from converge.measurement.forms import ChannelForm, FigureForm, UploadForm
from converge.measurement.models import Channel, Import, ImportStatus

EDIT = Capability.EDIT_STRATEGY


def _url(request: WorkspaceRequest, name: str, *args: Any) -> str:
    return reverse(name, args=[request.workspace.slug, *args])


@workspace_view()
def overview(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return render(
        request,
        "measurement/overview.html",
        {
            "channels": Channel.objects.filter(workspace=ws)
            .select_related("department")
            .annotate(post_count=Count("posts")),
            "imports": Import.objects.filter(workspace=ws)
            .select_related("channel", "created_by")
            .order_by("-created_at")[:10],
            "can_edit": EDIT in request.allowed,
        },
    )


@workspace_view(EDIT)
def channel_edit(request: WorkspaceRequest, channel: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = Channel.objects.filter(workspace=ws, uuid=channel).first() if channel else None
    if channel and instance is None:
        raise Http404("No such channel.")
    initial = {}
    if instance is not None:
        initial = {
            f: getattr(instance, f)
            for f in ("platform", "handle", "url", "department", "active_from", "active_to")
        }
    form = ChannelForm(
        request.POST if request.method == "POST" else None, workspace=ws, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.channel_save(
                actor=request.user, workspace=ws, channel=instance, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Channel saved."))
            return redirect(_url(request, "measurement"))
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Edit channel") if instance else _("New channel"),
            "cancel": _url(request, "measurement"),
        },
    )


@workspace_view()
def catalogue(request: WorkspaceRequest) -> HttpResponse:
    swedish = translation.get_language() == "sv"
    rows = [{"metric": m, "name": m.name_sv if swedish else m.name_en} for m in BUILT_IN]
    return render(request, "measurement/catalogue.html", {"rows": rows})


@workspace_view()
def import_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    can_edit = EDIT in request.allowed
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        workspace=ws,
    )
    if request.method == "POST":
        if not can_edit:
            from converge.core.policy import NotPermitted

            raise NotPermitted(EDIT)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record, _plan = services.import_check(
                    actor=request.user,
                    workspace=ws,
                    data=upload.read(),
                    filename=upload.name,
                    channel=form.cleaned_data["channel"],
                )
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                return redirect(_url(request, "measurement_import", record.uuid))
    return render(
        request,
        "measurement/import_list.html",
        {
            "form": form,
            "imports": Import.objects.filter(workspace=ws)
            .select_related("channel", "created_by")
            .order_by("-created_at"),
            "can_edit": can_edit,
        },
    )


@workspace_view()
def import_detail(request: WorkspaceRequest, imp: str) -> HttpResponse:
    record = (
        Import.objects.filter(workspace=request.workspace, uuid=imp)
        .select_related("channel", "created_by")
        .first()
    )
    if record is None:
        raise Http404("No such import.")
    outcomes: list[services.RowOutcome] = []
    if record.status in (ImportStatus.PREVIEWED, ImportStatus.REJECTED):
        try:
            plan = services.plan_import(
                workspace=request.workspace,
                data=services._stored_file(record),
                filename=record.file_name,
                channel=record.channel,
            )
            outcomes = [o for o in plan.outcomes if o.kind != "unchanged"][:300]
        except ConvergeError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "measurement/import_detail.html",
        {
            "record": record,
            "outcomes": outcomes,
            "can_edit": EDIT in request.allowed,
            "observation_count": record.observations.count(),
            "post_count": record.posts.count(),
        },
    )


@workspace_view(EDIT)
@require_POST
def import_commit(request: WorkspaceRequest, imp: str) -> HttpResponse:
    record = Import.objects.filter(workspace=request.workspace, uuid=imp).first()
    if record is None:
        raise Http404("No such import.")
    try:
        record = services.import_commit(actor=request.user, record=record)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.")
            % {"new": record.new, "changed": record.changed, "unchanged": record.unchanged},
        )
    return redirect(_url(request, "measurement_import", imp))


@workspace_view(EDIT)
@require_POST
def import_rollback(request: WorkspaceRequest, imp: str) -> HttpResponse:
    record = Import.objects.filter(workspace=request.workspace, uuid=imp).first()
    if record is None:
        raise Http404("No such import.")
    try:
        services.import_rollback(actor=request.user, record=record)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The import was rolled back."))
    return redirect(_url(request, "measurement_import", imp))


def _metric_choices() -> list[tuple[str, str]]:
    swedish = translation.get_language() == "sv"
    return [
        (m.key, m.name_sv if swedish else m.name_en) for m in BUILT_IN if m.aggregation != "ratio"
    ]


def _figure_filter(request: WorkspaceRequest) -> tuple[selectors.ObservationFilter, str]:
    """The figures' filter from the query string, and the query string to keep in links."""
    ws = request.workspace
    wanted = request.GET.get("channel", "")
    channel = None
    if wanted and wanted != "none":
        try:
            channel = Channel.objects.filter(workspace=ws, uuid=wanted).first()
        except ValidationError:
            channel = None
    metric = request.GET.get("metric", "")
    source = request.GET.get("source", "")
    where = selectors.ObservationFilter(
        channel=channel,
        business=wanted == "none",
        metric=metric if metric in BY_KEY else "",
        source=source if source in ("import", "other") else "",
    )
    query = urlencode(
        {
            k: v
            for k, v in (
                ("channel", str(channel.uuid) if channel else ("none" if where.business else "")),
                ("metric", where.metric),
                ("source", where.source),
            )
            if v
        }
    )
    return where, query


@workspace_view()
def figures(request: WorkspaceRequest) -> HttpResponse:
    """Every stored figure (imported, entered by hand or generated), filtered and paged, with
    downloads; and the form to enter a business figure that arrived by mail."""
    ws = request.workspace
    can_edit = EDIT in request.allowed
    form = FigureForm(
        request.POST if request.method == "POST" else None,
        workspace=ws,
        metrics=_metric_choices(),
    )
    if request.method == "POST":
        if not can_edit:
            from converge.core.policy import NotPermitted

            raise NotPermitted(EDIT)
        if form.is_valid():
            try:
                services.observation_set(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Figure saved."))
                return redirect(_url(request, "measurement_figures"))
    names = _metric_names()
    where, query = _figure_filter(request)
    page = Paginator(selectors.observations(ws, where), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "measurement/figures.html",
        {
            "form": form,
            "page": page,
            "names": names,
            "can_edit": can_edit,
            "where": where,
            "query": query,
            "channels": Channel.objects.filter(workspace=ws),
            "metric_choices": sorted(names.items(), key=lambda kv: kv[1]),
        },
    )


def _metric_names() -> dict[str, str]:
    swedish = translation.get_language() == "sv"
    return {m.key: m.name_sv if swedish else m.name_en for m in BUILT_IN}


def _fmt_or_404(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404("No such format.")
    return fmt


@workspace_view()
def figures_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    """The figures that the page shows (same filter), all of them, as CSV or XLSX."""
    fmt = _fmt_or_404(fmt)
    where, _query = _figure_filter(request)
    rows = selectors.observations(request.workspace, where)
    names = _metric_names()
    table = exports.Table(
        columns=[
            _("Date"),
            _("Metric key"),
            _("Metric"),
            _("Platform"),
            _("Channel"),
            _("Value"),
            _("Import file"),
            _("Line"),
        ],
        rows=(
            (
                o.day,
                o.metric,
                names.get(o.metric, o.metric),
                o.channel.get_platform_display() if o.channel else "",
                o.channel.handle if o.channel else "",
                o.value,
                o.source_import.file_name if o.source_import else "",
                o.source_line,
            )
            for o in rows.iterator(chunk_size=5000)
        ),
        title=_("Figures"),
    )
    filename = f"{request.workspace.slug}-figures-{timezone.localdate():%Y-%m-%d}"
    return exports.response(table, fmt, filename)


def _post_channel(request: WorkspaceRequest) -> Channel | None:
    wanted = request.GET.get("channel", "")
    if not wanted:
        return None
    try:
        return Channel.objects.filter(workspace=request.workspace, uuid=wanted).first()
    except ValidationError:
        return None


@workspace_view()
def post_list(request: WorkspaceRequest) -> HttpResponse:
    """Posts as imported, newest first, per channel or all, with the import and line of each."""
    ws = request.workspace
    channel = _post_channel(request)
    rows = selectors.posts(ws, channel)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    names = _metric_names()
    order = {key: i for i, key in enumerate(names)}
    shown = [
        (
            post,
            [
                (names.get(k, k), v)
                for k, v in sorted(post.metrics.items(), key=lambda kv: order.get(kv[0], 999))
            ],
        )
        for post in page
    ]
    return render(
        request,
        "measurement/post_list.html",
        {
            "page": page,
            "rows": shown,
            "channel": channel,
            "channels": Channel.objects.filter(workspace=ws).annotate(post_count=Count("posts")),
            "query": urlencode({"channel": str(channel.uuid)}) if channel else "",
        },
    )


@workspace_view()
def posts_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    fmt = _fmt_or_404(fmt)
    channel = _post_channel(request)
    rows = selectors.posts(request.workspace, channel)
    keys = selectors.post_metric_keys(rows)
    names = _metric_names()

    def number(value: object) -> Decimal | None:
        try:
            return Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:
            return None

    table = exports.Table(
        columns=[
            _("Published"),
            _("Platform"),
            _("Channel"),
            _("Post id"),
            _("Type"),
            _("Text"),
            _("Link"),
            _("Campaign"),
            *[names.get(k, k) for k in keys],
            _("Import file"),
            _("Line"),
        ],
        rows=(
            (
                p.published_at,
                p.channel.get_platform_display(),
                p.channel.handle,
                p.external_id,
                p.kind,
                p.text,
                p.link,
                p.campaign,
                *[number(p.metrics.get(k)) for k in keys],
                p.source_import.file_name if p.source_import else "",
                p.source_line,
            )
            for p in rows.iterator(chunk_size=2000)
        ),
        title=_("Posts"),
    )
    filename = f"{request.workspace.slug}-posts-{timezone.localdate():%Y-%m-%d}"
    return exports.response(table, fmt, filename)
