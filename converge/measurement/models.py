"""Channels, the workspace's own metrics, imports, daily observations and posts.

Natural keys make re-imports idempotent: an observation is one (channel, metric, day); a post is
one (channel, external id). Every imported row remembers the import and the line it came from,
so every figure can be traced back to its file."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, User, Workspace
from converge.core.schema import AppendOrderIndex, RowIdField
from converge.strategy.models import Platform


class Channel(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=100)
    url = models.URLField(_("URL"), blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("owning department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_to = models.DateField(_("active to"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ("platform", "handle")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "handle"], name="channel_unique_handle"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.handle}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    PREVIEWED = "previewed", _("Checked, not imported")
    COMMITTED = "committed", _("Imported")
    REJECTED = "rejected", _("Rejected")
    COMMITTING = "committing", _("Being imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")
    FAILED = "failed", _("Failed")


class Import(models.Model):
    """One file brought in: who, when, which file (name and SHA-256), the format found, the
    counts, and — through its rows — what it wrote."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="imports",
    )
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    format = models.CharField(_("format"), max_length=40)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    new = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    problems = models.JSONField(default=list, blank=True)
    # What the preview shows: the first rows of each kind (new, changed, rejected…), so that a
    # preview of a million-row file is a page, not a million rows.
    preview = models.JSONField(default=list, blank=True)
    # Progress of the background work on this file, in bytes read of ``size``.
    progress = models.PositiveBigIntegerField(default=0)
    failure = models.TextField(blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.file_name


class Observation(models.Model):
    """A metric's value on one calendar day (in the workspace's time zone) for one channel,
    or for no channel (business figures such as leads from the CRM)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    metric = models.CharField(max_length=64, db_index=True)
    day = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    source_import = models.ForeignKey(
        Import, on_delete=models.SET_NULL, null=True, blank=True, related_name="observations"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    previous_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    previous_import = models.ForeignKey(
        Import, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("day",)
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "channel", "metric", "day"],
                name="observation_unique_day",
                nulls_distinct=False,
            )
        ]
        # A metric's figures over a range of days, for every channel or some: on PostgreSQL the
        # index also carries the channel and the value, so dashboards and the "why" read the
        # index alone (an index-only scan) instead of visiting every row's page.
        indexes = [
            models.Index(
                fields=["workspace", "metric", "day"],
                include=["channel", "value"],
                name="obs_ws_metric_day_cover",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.value}"


class DailyTotal(models.Model):
    """Every channel's figures of one metric on one day, added up and counted: what KPIs that
    read every channel start from. Derived data, never entered: the services that write
    observations recompute the totals of the metrics and days they touched
    (``services.daily_totals_refresh``), and ``manage.py converge_daily_totals`` rebuilds them
    all. A dashboard then reads one row per metric and day instead of one per channel, metric
    and day; the drill-down still goes to the observations themselves."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    metric = models.CharField(max_length=64)
    day = models.DateField()
    total = models.DecimalField(max_digits=24, decimal_places=4)
    figures = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "metric", "day"], name="dailytotal_unique_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.day}: {self.total} ({self.figures})"


class ChannelMonth(models.Model):
    """One channel's figures of one metric in one calendar month, added up and counted (the
    figures without a channel have a row of their own). Derived data like ``DailyTotal`` and
    kept by the same service (``services.daily_totals_refresh``): the "why" of a KPI over a
    year reads twelve rows per channel instead of 365, and only the days at either end of a
    period that do not make a whole month from the observations themselves."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    metric = models.CharField(max_length=64)
    month = models.DateField()  # the month's first day
    total = models.DecimalField(max_digits=24, decimal_places=4)
    figures = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # On PostgreSQL the index carries the figures: the "why" reads it alone.
            models.UniqueConstraint(
                fields=["workspace", "metric", "month", "channel"],
                include=["total", "figures"],
                name="channelmonth_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} ({self.channel_id}): {self.total}"


class Post(models.Model):
    """One published post with its metrics as exported (lifetime totals at export time)."""

    # Posts arrive a million at a time, and PostgreSQL checks every foreign key of every row
    # at commit, one lookup per key and row (about 1.5 s per 200,000 rows and key here). So
    # the database does not check these keys: the import service sets them from objects it
    # has just read in the same transaction, and Django does their on_delete (CASCADE and
    # SET_NULL are Django's work, not the database's, in any case). The unique key
    # (channel, external id) serves lookups by channel, so the channel needs no index of its own;
    # every index is paid on every row loaded, so posts keep only the unique key and the index
    # on the import they came from (an import's rows, its rollback), a BRIN index on
    # PostgreSQL. The key is SQLite's plain rowid (``RowIdField``) and PostgreSQL hands out
    # keys a thousand at a time (migration 0010): both bookkeepings cost per row.
    id = RowIdField(primary_key=True)  # nothing refers to a post by its key
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, related_name="posts", db_index=False, db_constraint=False
    )
    external_id = models.CharField(_("id"), max_length=64)
    published_at = models.DateTimeField(_("published"))
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("type"), max_length=16, blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    campaign = models.CharField(_("campaign"), max_length=100, blank=True)
    metrics = models.JSONField(_("metrics"), default=dict)
    # XXH3-128 of the post's stored content (time, text, type, link, metrics; ``staging.digest``):
    # a re-import compares digests instead of reading every post back.
    digest = models.CharField(max_length=32, blank=True)
    source_import = models.ForeignKey(
        Import,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
        db_constraint=False,
        db_index=False,  # AppendOrderIndex below
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    previous = models.JSONField(null=True, blank=True)
    previous_import = models.ForeignKey(
        Import,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,  # read only by a rollback's check, which may scan
    )

    class Meta:
        ordering = ("-published_at",)
        constraints = [
            models.UniqueConstraint(fields=["channel", "external_id"], name="post_unique_id")
        ]
        indexes = [AppendOrderIndex(fields=["source_import"], name="post_source_import")]

    def __str__(self) -> str:
        return f"{self.channel} {self.external_id}"


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    MONEY = "money", _("Money")
    DURATION = "duration", _("Duration")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of the days")
    MEAN = "mean", _("Mean of the days")
    LAST = "last", _("Last value")
    RATIO = "ratio", _("Ratio of two metrics (derived)")


class AmecStage(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTTAKE = "outtake", _("Outtake")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")


class WorkspaceMetric(models.Model):
    """A metric the workspace defines itself, beside the built-in catalogue. A derived metric
    aggregates as ``ratio``: the numerator's total ÷ the denominator's total, both keys of
    other metrics (built in or the workspace's own). The key never changes once created,
    because observations refer to it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(_("key"), max_length=64)
    name_en = models.CharField(_("name in English"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    aggregation = models.CharField(_("over time"), max_length=10, choices=Aggregation.choices)
    amec = models.CharField(_("AMEC stage"), max_length=10, choices=AmecStage.choices)
    numerator = models.CharField(_("numerator"), max_length=64, blank=True)
    denominator = models.CharField(_("denominator"), max_length=64, blank=True)
    definition = models.TextField(_("definition"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("workspace metric")
        verbose_name_plural = _("workspace metrics")
        ordering = ("key",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="workspace_metric_unique_key")
        ]

    def __str__(self) -> str:
        return self.key


class MappingKind(models.TextChoices):
    LEADS = "leads", _("CRM leads")
    DEALS = "deals", _("CRM deals")
    TICKETS = "tickets", _("Support tickets")


class DateOrder(models.TextChoices):
    YMD = "ymd", _("Year first (2026-03-31)")
    DMY = "dmy", _("Day first (31/03/2026)")
    MDY = "mdy", _("Month first (03/31/2026)")


class ColumnMapping(models.Model):
    """How to read one business system's CSV export (CRM leads or deals, support tickets),
    saved once per workspace and used whenever a file with the same header comes in. Columns
    are named as in the file's header; with duplicate names the first column is meant."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind of file"), max_length=10, choices=MappingKind.choices)
    header = models.JSONField(_("columns"), default=list)
    # The header compared case- and space-insensitively, as one string: what a file must have.
    signature = models.CharField(max_length=64)
    date_column = models.CharField(_("date column"), max_length=200)
    date_order = models.CharField(
        _("date format"), max_length=3, choices=DateOrder.choices, default=DateOrder.YMD
    )
    amount_column = models.CharField(_("amount column"), max_length=200, blank=True)
    status_column = models.CharField(_("status column"), max_length=200, blank=True)
    status_value = models.CharField(_("status value that counts"), max_length=100, blank=True)
    response_column = models.CharField(_("first response column"), max_length=200, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "signature"], name="column_mapping_unique_header"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AnnotationKind(models.TextChoices):
    CAMPAIGN = "campaign", _("Campaign")
    OUTAGE = "outage", _("Outage")
    CRISIS = "crisis", _("Crisis")
    OTHER = "other", _("Other")


class Annotation(models.Model):
    """A dated note shown on every chart that covers its day(s): a campaign launch, an outage,
    a crisis. For one channel, or (no channel) for the whole workspace."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    end_day = models.DateField(_("last day"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=AnnotationKind.choices, default=AnnotationKind.OTHER
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annotations",
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("annotation")
        verbose_name_plural = _("annotations")
        ordering = ("-day", "title")
        indexes = [models.Index(fields=["workspace", "day"], name="annotation_ws_day")]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.title}"
