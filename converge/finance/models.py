"""Money: the multi-year budget and its spend, the value model that turns outcomes into money,
cut-and-move scenarios, and the review of current communication activities.

Money is ``Decimal`` in the workspace's currency (``Workspace.currency``); no row carries a
currency of its own. A budget line's *actual* is never stored: it is the sum of its spend
entries, so every actual traces to the rows behind it. A line's cost is split over objectives,
initiatives and channels by ``Allocation`` rows whose shares, per line and dimension, add up to
exactly 100 (checked by ``converge.finance.allocation``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, User, Workspace
from converge.measurement.models import Channel
from converge.strategy.models import Initiative, Platform, SocialObjective


class Category(models.TextChoices):
    TOOLS = "tools", _("Tools and software")
    PAID_SOCIAL = "paid_social", _("Paid social")
    STAFF = "staff", _("Staff")
    TRAINING = "training", _("Training")
    CONSULTANTS = "consultants", _("Consultants and agencies")
    CONTENT = "content", _("Content production")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    """One line of one year's budget: planned, committed, and (from spend) actual."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    name = models.CharField(_("name"), max_length=200)
    platform = models.CharField(
        _("platform"),
        max_length=16,
        choices=Platform.choices,
        blank=True,
        help_text=_("For paid social: the platform this part of the war chest is for."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("paid by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    planned = models.DecimalField(_("planned"), max_digits=14, decimal_places=2)
    committed = models.DecimalField(_("committed"), default=0, max_digits=14, decimal_places=2)
    fte = models.DecimalField(
        _("full-time equivalents"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For staff: people or portions of salaries, e.g. 0.5."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ("year", "category", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "name"], name="budget_line_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.name}"


class AllocationKind(models.TextChoices):
    OBJECTIVE = "objective", _("Objective")
    INITIATIVE = "initiative", _("Initiative")
    CHANNEL = "channel", _("Channel")


class Allocation(models.Model):
    """A share of a budget line's cost that funds one objective, initiative or channel. Per
    line and kind the shares add up to 100; a line without allocations of a kind is
    unallocated on that dimension."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="allocations")
    kind = models.CharField(_("funds"), max_length=12, choices=AllocationKind.choices)
    objective = models.ForeignKey(
        SocialObjective, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    share = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ("kind", "-share")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(share__gt=0) & models.Q(share__lte=100),
                name="allocation_share_range",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind="objective",
                        objective__isnull=False,
                        initiative__isnull=True,
                        channel__isnull=True,
                    )
                    | models.Q(
                        kind="initiative",
                        objective__isnull=True,
                        initiative__isnull=False,
                        channel__isnull=True,
                    )
                    | models.Q(
                        kind="channel",
                        objective__isnull=True,
                        initiative__isnull=True,
                        channel__isnull=False,
                    )
                ),
                name="allocation_one_target",
            ),
            models.UniqueConstraint(
                fields=["line", "objective"], name="allocation_unique_objective"
            ),
            models.UniqueConstraint(
                fields=["line", "initiative"], name="allocation_unique_initiative"
            ),
            models.UniqueConstraint(fields=["line", "channel"], name="allocation_unique_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.line}: {self.share}% to {self.objective or self.initiative or self.channel}"


class SpendImport(models.Model):
    """One CSV of spend, checked then committed as a whole (or not at all)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    rows_added = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.filename


class SpendEntry(models.Model):
    """Money actually spent on a budget line. ``key`` is the natural key that makes a
    re-import change nothing: the supplier's reference when there is one, otherwise a digest
    of the row's fields and its occurrence in the file."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="spend"
    )
    day = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    key = models.CharField(max_length=64)
    source = models.ForeignKey(
        SpendImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("spend entry")
        verbose_name_plural = _("spend")
        ordering = ("-day", "-created_at")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="spend_natural_key")
        ]
        indexes = [models.Index(fields=["workspace", "day"], name="spend_ws_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.amount} {self.supplier}".strip()


class ValueKind(models.TextChoices):
    LEAD = "lead", _("Value per lead")
    CONVERSION = "conversion", _("Value per conversion")
    REVENUE = "revenue", _("Attributed revenue")
    CASE_SAVING = "case_saving", _("Cost saved per case solved on social")
    RETENTION = "retention", _("Value of a retained customer")
    EARNED_MEDIA = "earned_media", _("Earned media value")
    OTHER = "other", _("Other")


class Hardness(models.TextChoices):
    """Barcelona Principles: only hard value (revenue, savings) is ever counted as return."""

    REVENUE = "revenue", _("Hard value: revenue")
    SAVING = "saving", _("Hard value: cost saving")
    SOFT = "soft", _("Soft value (never counted in ROI)")


class ValueAssumption(models.Model):
    """How one outcome becomes money: each unit of ``metric_key`` is worth ``unit_value``.
    Owned, sourced and dated, because the CFO will ask."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ValueKind.choices)
    hardness = models.CharField(_("hard or soft"), max_length=8, choices=Hardness.choices)
    metric_key = models.CharField(
        _("metric"), max_length=64, help_text=_("The metric whose every unit is worth the value.")
    )
    unit_value = models.DecimalField(_("value per unit"), max_digits=14, decimal_places=4)
    owner = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(_("source"), max_length=300)
    as_of = models.DateField(_("dated"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("value assumption")
        verbose_name_plural = _("value model")
        ordering = ("hardness", "name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="value_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A what-if on one year's budget: lines cut by a percentage, money moved between lines."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-year", "name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="scenario_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    CUT = "cut", _("Cut a line by a percentage")
    MOVE = "move", _("Move money to another line")


class ScenarioChange(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("change"), max_length=8, choices=ChangeKind.choices)
    line = models.ForeignKey(
        BudgetLine, verbose_name=_("line"), on_delete=models.CASCADE, related_name="+"
    )
    to_line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("to line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    percent = models.DecimalField(
        _("percent"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    amount = models.DecimalField(
        _("amount"), null=True, blank=True, max_digits=14, decimal_places=2
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return f"{self.scenario}: {self.get_kind_display()} {self.line}"


class ActivityKind(models.TextChoices):
    SOCIAL = "social", _("Social media")
    NEWSLETTER = "newsletter", _("Newsletter")
    PRINT = "print", _("Print")
    EVENTS = "events", _("Events")
    RADIO = "radio", _("Radio")
    TV = "tv", _("TV")
    OUTDOOR = "outdoor", _("Outdoor advertising")
    WEB = "web", _("Web and search")
    DIRECT_MAIL = "direct_mail", _("Direct mail")
    OTHER = "other", _("Other")


class Proposal(models.TextChoices):
    UNDECIDED = "", _("Not reviewed")
    KEEP = "keep", _("Keep")
    REDUCE = "reduce", _("Reduce")
    STOP = "stop", _("Stop")


class CommActivity(models.Model):
    """A communication activity that exists today, social or not, with what it costs a year
    and what it produces. The review ranks them by cost per result and proposes which to stop
    and how much budget to move to social."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("activity"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ActivityKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2)
    results = models.DecimalField(_("results"), max_digits=14, decimal_places=2)
    result_unit = models.CharField(_("result"), max_length=100, help_text=_("e.g. leads"))
    evidence = models.CharField(_("where the figures come from"), max_length=300, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposal = models.CharField(
        _("proposal"), max_length=8, choices=Proposal.choices, blank=True, default=""
    )
    move_to_social = models.DecimalField(
        _("move to social"), default=0, max_digits=14, decimal_places=2
    )
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    in_business_case = models.BooleanField(_("take into the business case"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("communication activity")
        verbose_name_plural = _("communication activities")
        ordering = ("-year", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "name"], name="activity_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
