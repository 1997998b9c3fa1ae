"""Measurement pages: channels, the metric catalogue, imports with preview, commit, rollback."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability, Department, Workspace
from converge.core.pages import url_for
from converge.core.policy import NotPermitted
from converge.core.views import WorkspaceRequest, workspace_view
from converge.measurement import charts, explorer, progress_text, selectors, services
from converge.measurement.catalogue import BUILT_IN, MetricDef
from converge.measurement.forms import (
    AnnotationForm,
    ChannelForm,
    FigureForm,
    MappingForm,
    MetricForm,
    UploadForm,
)
from converge.measurement.importers import business
from converge.measurement.links import kpi_rows_url
from converge.measurement.models import Channel, Import, ImportStatus
from converge.measurement.periods import Periods, last_year, period_form_shown, periods_from

EDIT = Capability.EDIT_STRATEGY


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
            "dashboard_url": url_for(request, "measurement_dashboard"),
        },
    )


@dataclass(frozen=True)
class Board:
    groups: list[selectors.BoardGroup]
    department: Department | None
    departments: list[Department]
    periods: Periods

    def query(self, **extra: str) -> str:
        """The dashboard's own query string (department and periods), for its links."""
        params = dict(parse_qsl(self.periods.own_query))
        if self.department:
            params["department"] = self.department.slug
        return urlencode(params | extra)


def _board(request: WorkspaceRequest) -> Board:
    """The dashboard for the department asked for (404 for an unknown one): every KPI as it
    stood at the end of the period (by default the last 365 days), its value at the end of
    the period before, and its line over the period."""
    ws = request.workspace
    departments = list(Department.objects.filter(workspace=ws).order_by("name"))
    wanted = request.GET.get("department", "")
    department = next((d for d in departments if d.slug == wanted), None)
    if wanted and department is None:
        raise Http404("No such department.")
    today = timezone.localdate()
    periods = periods_from(request, last_year(today))
    groups = selectors.kpi_board(
        ws,
        periods.current.end,
        department,
        history_from=periods.current.start,
        compare_to=periods.previous.end,
    )
    return Board(groups, department, departments, periods)


@workspace_view()
def dashboard(request: WorkspaceRequest) -> HttpResponse:
    """Every KPI grouped by the business goal it serves: status, current value, the way to
    the target, and a sparkline of its history; for one department with ``?department=``."""
    board = _board(request)
    period = board.periods.current
    uuids = selectors.channel_uuids(request.workspace)
    groups = []
    for group in board.groups:
        rows = []
        for row in group.rows:
            p = row.found.progress
            change = row.found.change
            rows.append(
                {
                    "kpi": row.kpi,
                    "progress": p,
                    "status": progress_text.STATUS_LABELS[p.status],
                    "current": progress_text.number(p.current),
                    "rows_url": kpi_rows_url(
                        request.workspace.slug, row.kpi, p, row.found.channels, uuids
                    ),
                    "before": progress_text.number(row.found.before),
                    "change": progress_text.signed(change),
                    "better": progress_text.better(row.kpi.direction, change),
                    "percent": progress_text.number(p.percent_to_target, 1),
                    "spark": charts.sparkline(
                        [x.value for x in p.history if period.start <= x.day <= period.end]
                    ),
                }
            )
        groups.append({"group": group, "rows": rows})
    return render(
        request,
        "measurement/dashboard.html",
        {
            "groups": groups,
            "departments": board.departments,
            "department": board.department,
            "periods": board.periods,
            "form": period_form_shown(board.periods),
            "query": board.query(),
            "periods_query": board.periods.own_query,
        },
    )


def _channel_board(
    request: WorkspaceRequest, channel: str
) -> tuple[Channel, Periods, list[selectors.ChannelFigure]]:
    ws = request.workspace
    found = Channel.objects.filter(workspace=ws, uuid=channel).select_related("department").first()
    if found is None:
        raise Http404("No such channel.")
    periods = periods_from(request)
    return found, periods, selectors.channel_board(ws, found, periods.current, periods.previous)


@workspace_view()
def channel_dashboard_export(request: WorkspaceRequest, channel: str, fmt: str) -> HttpResponse:
    """A channel's dashboard table (same periods) as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    found, periods, figures = _channel_board(request, channel)
    table = exports.Table(
        columns=[
            _("Metric"),
            _("Metric key"),
            _("Unit"),
            str(periods.current),
            str(periods.previous),
            pgettext("difference between periods", "Change"),
        ],
        rows=[
            (
                explorer.metric_name(f.metric),
                f.metric.key,
                f.metric.unit,
                f.after,
                f.before,
                f.change,
            )
            for f in figures
        ],
        title=str(found),
    )
    return exports.response(table, fmt, f"channel-{found.platform}-{found.uuid}")


@workspace_view()
def channel_dashboard(request: WorkspaceRequest, channel: str) -> HttpResponse:
    """One channel: every metric it has figures for, this period against the one before,
    each figure linked to its rows and each metric to the explorer."""
    found, periods, figures = _channel_board(request, channel)
    return render(
        request,
        "measurement/channel_dashboard.html",
        {
            "channel": found,
            "figures": figures,
            "periods": periods,
            "form": period_form_shown(periods),
            "q_after": periods.query(channel=str(found.uuid)),
            "q_before": periods.query(current=False, channel=str(found.uuid)),
            "q_metric": periods.query(vs=periods.chosen_vs),
            "own_query": periods.own_query,
        },
    )


@workspace_view()
def dashboard_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    """The dashboard's table (same department filter) as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    board = _board(request)
    department = board.department
    table = exports.Table(
        columns=[
            _("Business goal"),
            _("KPI"),
            _("Metric key"),
            _("Status"),
            _("Current value"),
            _("Value at the end of the period before (%(day)s)")
            % {"day": board.periods.previous.end.isoformat()},
            pgettext("difference between periods", "Change"),
            _("Unit"),
            _("Baseline"),
            _("Target"),
            _("Target date"),
            _("Of the way to the target (%)"),
            _("Last updated"),
        ],
        rows=[
            (
                group.title,
                row.kpi.name,
                row.kpi.metric_key,
                str(progress_text.STATUS_LABELS[row.found.progress.status]),
                row.found.progress.current,
                row.found.before,
                row.found.change,
                row.kpi.unit,
                row.kpi.baseline_value,
                row.kpi.target_value,
                row.kpi.target_date,
                row.found.progress.percent_to_target,
                row.found.progress.last_updated,
            )
            for group in board.groups
            for row in group.rows
        ],
        title=_("KPI dashboard"),
    )
    name = f"kpi-dashboard-{department.slug}" if department else "kpi-dashboard"
    return exports.response(table, fmt, name)


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
            return redirect(url_for(request, "measurement"))
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Edit channel") if instance else _("New channel"),
            "cancel": url_for(request, "measurement"),
        },
    )


def _options(request: WorkspaceRequest) -> list[tuple[str, str]]:
    return [
        (key, f"{name} ({key})")
        for key, name in selectors.metric_choices(
            request.workspace, translation.get_language(), derived=True
        )
    ]


@workspace_view()
def catalogue(request: WorkspaceRequest) -> HttpResponse:
    """The built-in metrics and the workspace's own, with the form to add one."""
    ws = request.workspace
    can_edit = EDIT in request.allowed
    form = MetricForm(request.POST if request.method == "POST" else None, metrics=_options(request))
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(EDIT)
        if form.is_valid():
            try:
                metric = services.metric_create(
                    actor=request.user, workspace=ws, **form.cleaned_data
                )
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Metric “%(key)s” added.") % {"key": metric.key})
                return redirect(url_for(request, "measurement_metrics"))
    swedish = translation.get_language() == "sv"
    rows = [{"metric": m, "name": m.name_sv if swedish else m.name_en} for m in BUILT_IN]
    own = [
        {"metric": m, "name": m.name_sv if swedish else m.name_en}
        for m in selectors.workspace_metrics(ws, archived=True)
    ]
    return render(
        request,
        "measurement/catalogue.html",
        {"rows": rows, "own": own, "form": form, "can_edit": can_edit},
    )


@workspace_view(EDIT)
def metric_edit(request: WorkspaceRequest, metric: str) -> HttpResponse:
    instance = selectors.workspace_metric(request.workspace, metric)
    if instance is None:
        raise Http404("No such metric.")
    initial = {f: getattr(instance, f) for f in services.METRIC_FIELDS}
    form = MetricForm(
        request.POST if request.method == "POST" else None,
        metrics=[o for o in _options(request) if o[0] != instance.key],
        adding=False,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.metric_update(actor=request.user, metric=instance, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Metric “%(key)s” saved.") % {"key": instance.key})
            return redirect(url_for(request, "measurement_metrics"))
    return render(request, "measurement/metric_form.html", {"form": form, "metric": instance})


@workspace_view(EDIT)
@require_POST
def metric_archive(request: WorkspaceRequest, metric: str) -> HttpResponse:
    instance = selectors.workspace_metric(request.workspace, metric)
    if instance is None:
        raise Http404("No such metric.")
    restore = request.POST.get("restore") == "1"
    try:
        services.metric_archive(actor=request.user, metric=instance, archived=not restore)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Metric “%(key)s” restored.") % {"key": instance.key}
            if restore
            else _("Metric “%(key)s” archived.") % {"key": instance.key},
        )
    return redirect(url_for(request, "measurement_metrics"))


# --- Annotations ----------------------------------------------------------------------------


@workspace_view()
def annotation_list(request: WorkspaceRequest) -> HttpResponse:
    """Dated notes for the charts: the list, and the form to add one."""
    ws = request.workspace
    can_edit = EDIT in request.allowed
    form = AnnotationForm(
        request.POST if request.method == "POST" else None,
        workspace=ws,
        initial={"day": timezone.localdate()},
    )
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(EDIT)
        if form.is_valid():
            try:
                services.annotation_save(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Annotation added."))
                return redirect(url_for(request, "measurement_annotations"))
    return render(
        request,
        "measurement/annotations.html",
        {"annotations": selectors.annotations_in(ws).reverse(), "form": form, "can_edit": can_edit},
    )


@workspace_view(EDIT)
def annotation_edit(request: WorkspaceRequest, annotation: str) -> HttpResponse:
    ws = request.workspace
    instance = selectors.annotation(ws, annotation)
    if instance is None:
        raise Http404("No such annotation.")
    form = AnnotationForm(
        request.POST if request.method == "POST" else None,
        workspace=ws,
        initial={f: getattr(instance, f) for f in services.ANNOTATION_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.annotation_save(
                actor=request.user, workspace=ws, annotation=instance, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Annotation saved."))
            return redirect(url_for(request, "measurement_annotations"))
    return render(
        request,
        "strategy/form.html",
        {
            "form": form,
            "title": _("Edit annotation"),
            "cancel": url_for(request, "measurement_annotations"),
        },
    )


@workspace_view(EDIT)
@require_POST
def annotation_delete(request: WorkspaceRequest, annotation: str) -> HttpResponse:
    instance = selectors.annotation(request.workspace, annotation)
    if instance is None:
        raise Http404("No such annotation.")
    services.annotation_delete(actor=request.user, annotation=instance)
    messages.success(request, _("Annotation “%(title)s” deleted.") % {"title": instance.title})
    return redirect(url_for(request, "measurement_annotations"))


@workspace_view()
def import_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    can_edit = EDIT in request.allowed
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        workspace=ws,
    )
    map_url = None
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(EDIT)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = services.import_start(
                    actor=request.user,
                    workspace=ws,
                    data=upload,
                    filename=upload.name,
                    channel=form.cleaned_data["channel"],
                )
            except ConvergeError as exc:
                show_error(form, exc)
                if "expected" in exc.details:
                    upload.seek(0)
                    token = services.unmapped_keep(
                        actor=request.user, workspace=ws, data=upload.read(), filename=upload.name
                    )
                    map_url = token and url_for(request, "measurement_mapping_new", token)
            else:
                return redirect(url_for(request, "measurement_import", record.uuid))
    return render(
        request,
        "measurement/import_list.html",
        {
            "form": form,
            "imports": Import.objects.filter(workspace=ws)
            .select_related("channel", "created_by")
            .order_by("-created_at"),
            "can_edit": can_edit,
            "map_url": map_url,
            "mappings": selectors.column_mappings(ws),
        },
    )


@workspace_view(EDIT)
def mapping_new(request: WorkspaceRequest, upload: str) -> HttpResponse:
    """Map the columns of a CSV that matched no format; saving checks the file with it."""
    ws = request.workspace
    kept = selectors.unmapped_file(ws, upload)
    if kept is None:
        raise Http404("No such file.")
    filename, data = kept
    table = business.preview(data)
    form = MappingForm(
        request.POST if request.method == "POST" else None,
        header=table.header,
        initial={"name": filename.rsplit(".", 1)[0][:100]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _mapping, record = services.mapping_create_and_check(
                actor=request.user, workspace=ws, token=str(upload), **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The mapping is saved and the file was checked with it."))
            return redirect(url_for(request, "measurement_import", record.uuid))
    return render(
        request,
        "measurement/mapping.html",
        {"form": form, "table": table, "filename": filename},
    )


@workspace_view(EDIT)
@require_POST
def mapping_delete(request: WorkspaceRequest, mapping: str) -> HttpResponse:
    instance = selectors.column_mapping(request.workspace, mapping)
    if instance is None:
        raise Http404("No such mapping.")
    services.mapping_delete(actor=request.user, mapping=instance)
    messages.success(request, _("The mapping “%(name)s” is deleted.") % {"name": instance.name})
    return redirect(url_for(request, "measurement_imports"))


@workspace_view()
def import_detail(request: WorkspaceRequest, imp: str) -> HttpResponse:
    record = (
        Import.objects.filter(workspace=request.workspace, uuid=imp)
        .select_related("channel", "created_by")
        .first()
    )
    if record is None:
        raise Http404("No such import.")
    running = record.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)
    context = {
        "record": record,
        "running": running,
        "progress": selectors.import_progress(record) if running else None,
    }
    if request.GET.get("progress"):
        response = render(request, "measurement/_import_progress.html", context)
        if not running:
            response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "measurement/import_detail.html",
        {
            **context,
            "outcomes": [services.RowOutcome(**o) for o in record.preview],
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
        if record.status == ImportStatus.COMMITTED:
            messages.success(
                request,
                _("Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged.")
                % {"new": record.new, "changed": record.changed, "unchanged": record.unchanged},
            )
    return redirect(url_for(request, "measurement_import", imp))


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
    return redirect(url_for(request, "measurement_import", imp))


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
        metric=metric if metric in selectors.metric_index(ws) else "",
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
        metrics=selectors.metric_choices(ws, translation.get_language()),
    )
    if request.method == "POST":
        if not can_edit:
            raise NotPermitted(EDIT)
        if form.is_valid():
            try:
                services.observation_set(actor=request.user, workspace=ws, **form.cleaned_data)
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(request, _("Figure saved."))
                return redirect(url_for(request, "measurement_figures"))
    names = _metric_names(request.workspace)
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


def _metric_names(workspace: Workspace) -> dict[str, str]:
    """Every metric's name in the active language: built-in and the workspace's own."""
    swedish = translation.get_language() == "sv"
    return {
        key: m.name_sv if swedish else m.name_en
        for key, m in selectors.metric_index(workspace).items()
    }


@workspace_view()
def figures_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    """The figures that the page shows (same filter), all of them, as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    where, _query = _figure_filter(request)
    rows = selectors.observations(request.workspace, where)
    names = _metric_names(request.workspace)
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
    names = _metric_names(request.workspace)
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
    fmt = exports.format_or_404(fmt)
    channel = _post_channel(request)
    rows = selectors.posts(request.workspace, channel)
    keys = selectors.post_metric_keys(rows)
    names = _metric_names(request.workspace)

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


# --- The metric explorer and its drill-down -----------------------------------------------


def _metric_or_404(workspace: Workspace, key: str) -> MetricDef:
    metric = selectors.metric_index(workspace).get(key)
    if metric is None:
        raise Http404("No such metric.")
    return metric


@workspace_view()
def metric_detail(request: WorkspaceRequest, key: str) -> HttpResponse:
    """A metric over a period against the one before: the value, per channel, day by day,
    and why it changed; every number links to the rows behind it."""
    ws = request.workspace
    index = selectors.metric_index(ws)
    metric = index.get(key)
    if metric is None:
        raise Http404("No such metric.")
    periods = periods_from(request)
    data = explorer.build(ws, metric, periods.current, periods.previous, index)
    return render(
        request,
        "measurement/metric_detail.html",
        {
            "metric": metric,
            "x": data,
            "periods": periods,
            "form": period_form_shown(periods),
            "q_after": periods.query(),
            "q_before": periods.query(current=False),
            "q_change": periods.query(vs=True),
            "places": 2 if metric.aggregation in ("ratio", "mean") else 0,
        },
    )


@workspace_view()
def metric_export(request: WorkspaceRequest, key: str, fmt: str) -> HttpResponse:
    """The explorer's per-channel table with the parts of the change, as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    ws = request.workspace
    index = selectors.metric_index(ws)
    metric = index.get(key)
    if metric is None:
        raise Http404("No such metric.")
    periods = periods_from(request)
    data = explorer.build(ws, metric, periods.current, periods.previous, index)
    filename = (
        f"{ws.slug}-{metric.key}-{periods.current.start:%Y-%m-%d}-{periods.current.end:%Y-%m-%d}"
    )
    return exports.response(explorer.table(data), fmt, filename)


@dataclass(frozen=True)
class DrillRequest:
    metric: MetricDef
    periods: Periods
    vs: bool
    channel: selectors.ChannelRef | None
    target: Any  # the channel id, or selectors.ANY_CHANNEL


def _drill_request(request: WorkspaceRequest, key: str) -> DrillRequest:
    metric = _metric_or_404(request.workspace, key)
    periods = periods_from(request)
    wanted = request.GET.get("channel", "")
    channel = selectors.channel_ref(request.workspace, wanted) if wanted else None
    if wanted and channel is None:
        raise Http404("No such channel.")
    target = channel.id if channel is not None else selectors.ANY_CHANNEL
    return DrillRequest(metric, periods, periods.chosen_vs, channel, target)


@workspace_view()
def metric_rows(request: WorkspaceRequest, key: str) -> HttpResponse:
    """The rows behind one figure of the explorer, with their totals and the formula: the
    figure of a period, or (with ``vs_from``/``vs_to``) a change between two periods."""
    ws = request.workspace
    ask = _drill_request(request, key)
    current = explorer.drill(ws, ask.metric, ask.periods.current, ask.target)
    before = explorer.drill(ws, ask.metric, ask.periods.previous, ask.target) if ask.vs else None
    rows = current.rows | before.rows if before is not None else current.rows
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    names = _metric_names(ws)
    query = request.GET.copy()
    query.pop("page", None)
    change = None
    if before is not None and current.figure is not None and before.figure is not None:
        change = current.figure - before.figure
    formula = current.formula
    if before is not None:
        formula = explorer.formula(
            ask.metric,
            ask.periods.current,
            sorted(set(current.channels) | set(before.channels)),
            vs=ask.periods.previous,
        )
    part = None
    if before is not None and ask.channel is not None:
        part = explorer.channel_part(
            ws, ask.metric, ask.periods.current, ask.periods.previous, ask.channel.id
        )
    return render(
        request,
        "measurement/metric_rows.html",
        {
            "part": part,
            "metric": ask.metric,
            "name": explorer.metric_name(ask.metric),
            "channel": ask.channel,
            "drills": [d for d in (current, before) if d is not None],
            "current": current,
            "before": before,
            "change": change,
            "formula": formula,
            "page": page,
            "names": names,
            "query": query.urlencode(),
            "back": ask.periods.own_query,
            "places": 2 if ask.metric.aggregation in ("ratio", "mean") else 0,
        },
    )


@workspace_view()
def metric_rows_export(request: WorkspaceRequest, key: str, fmt: str) -> HttpResponse:
    """Every row behind the figure, as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    ws = request.workspace
    ask = _drill_request(request, key)
    current = explorer.drill(ws, ask.metric, ask.periods.current, ask.target)
    parts = [(ask.periods.current, current.rows)]
    if ask.vs:
        before = explorer.drill(ws, ask.metric, ask.periods.previous, ask.target)
        parts.append((ask.periods.previous, before.rows))
    names = _metric_names(ws)
    table = exports.Table(
        columns=[
            _("Period"),
            _("Date"),
            _("Platform"),
            _("Channel"),
            _("Metric key"),
            _("Metric"),
            _("Value"),
            _("Import file"),
            _("Line"),
        ],
        rows=(
            (
                str(period),
                o.day,
                o.channel.get_platform_display() if o.channel else "",
                o.channel.handle if o.channel else "",
                o.metric,
                names.get(o.metric, o.metric),
                o.value,
                o.source_import.file_name if o.source_import else _("entered by hand or generated"),
                o.source_line,
            )
            for period, rows in parts
            for o in rows.iterator(chunk_size=5000)
        ),
        title=ask.metric.key,
    )
    period = ask.periods.current
    filename = f"{ws.slug}-{ask.metric.key}-rows-{period.start}-{period.end}"
    return exports.response(table, fmt, filename)


@dataclass(frozen=True)
class PostDrill:
    metric: MetricDef
    periods: Periods
    channel: selectors.ChannelRef | None
    campaign: str | None
    post: str | None
    rows: Any  # QuerySet[Post], each with its ``figure`` (and ``base``)


def _post_drill(request: WorkspaceRequest, key: str) -> PostDrill:
    ws = request.workspace
    metric = _metric_or_404(ws, key)
    periods = periods_from(request)
    wanted = request.GET.get("channel", "")
    channel = selectors.channel_ref(ws, wanted) if wanted and wanted != "none" else None
    if wanted and channel is None:
        raise Http404("No such channel.")
    campaign = request.GET.get("campaign")
    post = request.GET.get("post")
    rows = selectors.post_rows(
        ws,
        metric,
        periods.current,
        channel=channel.id if channel else None,
        campaign=campaign,
        post=post,
    )
    return PostDrill(metric, periods, channel, campaign, post, rows)


@workspace_view()
def metric_post_rows(request: WorkspaceRequest, key: str) -> HttpResponse:
    """The posts behind a post figure of the explorer (all of the period's, one channel's,
    one campaign's or one post), with their total and where each came from."""
    ask = _post_drill(request, key)
    metric = ask.metric
    total, count = selectors.post_row_totals(ask.rows)
    key_name = selectors.metric_components(metric)[0]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measurement/metric_posts.html",
        {
            "metric": metric,
            "name": explorer.metric_name(metric),
            "key_name": key_name,
            "base_name": metric.denominator if metric.aggregation == "ratio" else "",
            "channel": ask.channel,
            "campaign": ask.campaign,
            "post": ask.post,
            "total": total,
            "count": count,
            "formula": _("Σ %(metric)s of the posts published over %(period)s.")
            % {"metric": key_name, "period": ask.periods.current},
            "page": Paginator(ask.rows, 50).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "back": ask.periods.own_query,
        },
    )


@workspace_view()
def metric_post_rows_export(request: WorkspaceRequest, key: str, fmt: str) -> HttpResponse:
    """The posts behind a post figure, as CSV or XLSX."""
    fmt = exports.format_or_404(fmt)
    ask = _post_drill(request, key)
    components = selectors.metric_components(ask.metric)
    ratio = ask.metric.aggregation == "ratio"
    table = exports.Table(
        columns=[
            _("Published"),
            _("Platform"),
            _("Channel"),
            _("Post id"),
            _("Text"),
            _("Campaign"),
            components[0],
            *([components[-1]] if ratio else []),
            _("Import file"),
            _("Line"),
        ],
        rows=(
            (
                p.published_at,
                p.channel.get_platform_display(),
                p.channel.handle,
                p.external_id,
                p.text,
                p.campaign,
                p.figure,
                *([p.base] if ratio else []),
                p.source_import.file_name if p.source_import else _("entered by hand or generated"),
                p.source_line,
            )
            for p in ask.rows.iterator(chunk_size=2000)
        ),
        title=ask.metric.key,
    )
    period = ask.periods.current
    filename = f"{request.workspace.slug}-{ask.metric.key}-posts-{period.start}-{period.end}"
    return exports.response(table, fmt, filename)
