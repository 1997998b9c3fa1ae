"""The social strategy, tied to the business plan: business goals → social objectives → KPIs;
audiences and where they are; messages, tactics, competitors and evidence; the vision and its
sponsor; a roadmap of initiatives; and the history of the alignment score.

Anything with dependants is archived, never deleted (``archived_at``)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Membership, User, Workspace


class Priority(models.IntegerChoices):
    HIGH = 1, _("High")
    MEDIUM = 2, _("Medium")
    LOW = 3, _("Low")


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X/Twitter"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"
    OTHER = "other", _("Other")


class Cadence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


CADENCE_DAYS: dict[str, int] = {"weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366}


class StrategyObject(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        abstract = True


class BusinessGoal(StrategyObject):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    business_metric = models.CharField(
        _("business metric"),
        max_length=200,
        help_text=_("What shows it in the business: online revenue, churn, cost to serve…"),
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("owner departments"), blank=True, related_name="business_goals"
    )
    horizon = models.DateField(_("horizon"), help_text=_("The date by which it should be reached."))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    source = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("E.g. “Business plan 2027, p. 4”.")
    )
    attachment = models.FileField(_("attachment"), upload_to="strategy/goals/", blank=True)

    class Meta:
        verbose_name = _("business goal")
        verbose_name_plural = _("business goals")
        ordering = ("priority", "title")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="goal_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class Realism(models.TextChoices):
    HIGH = "high", _("Realistic")
    MEDIUM = "medium", _("Stretching")
    LOW = "low", _("Unlikely")


class SocialObjective(StrategyObject):
    statement = models.CharField(_("statement"), max_length=300)
    goals = models.ManyToManyField(
        BusinessGoal, verbose_name=_("business goals"), related_name="objectives"
    )
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments served"), related_name="objectives"
    )
    realism = models.CharField(
        _("achievable"), max_length=8, choices=Realism.choices, default=Realism.MEDIUM
    )
    realism_rationale = models.TextField(_("why this is realistic"), blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    review_cadence = models.CharField(
        _("review cadence"), max_length=12, choices=Cadence.choices, default=Cadence.QUARTERLY
    )

    class Meta:
        verbose_name = _("social objective")
        verbose_name_plural = _("social objectives")
        ordering = ("start", "statement")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "statement"], name="objective_unique")
        ]

    def __str__(self) -> str:
        return self.statement


class ObjectiveReview(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(SocialObjective, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ("-reviewed_on", "-id")

    def __str__(self) -> str:
        return f"{self.objective} — {self.reviewed_on}"


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    BAND = "band", _("Stay within a band")


class KpiWindow(models.TextChoices):
    """The trailing period a KPI's value is measured over, ending on the as-of date."""

    DAY = "day", _("Day")
    WEEK = "week", _("Week (7 days)")
    MONTH = "month", _("Month (30 days)")
    QUARTER = "quarter", _("Quarter (91 days)")
    YEAR = "year", _("Year (12 months)")


class AmecStage(models.TextChoices):
    OUTPUT = "output", _("Output")
    OUTTAKE = "outtake", _("Out-take")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Organisational impact")


class Kpi(StrategyObject):
    objective = models.ForeignKey(
        SocialObjective, verbose_name=_("objective"), on_delete=models.PROTECT, related_name="kpis"
    )
    name = models.CharField(_("name"), max_length=200)
    metric_key = models.SlugField(
        _("metric"), max_length=64, help_text=_("E.g. engagement_rate, leads, response_time.")
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    target_value = models.DecimalField(
        _("target"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=8, choices=Direction.choices, default=Direction.INCREASE
    )
    band_low = models.DecimalField(
        _("band from"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    band_high = models.DecimalField(
        _("band to"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_kpis",
    )
    review_cadence = models.CharField(
        _("review cadence"), max_length=12, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    amec_stage = models.CharField(
        _("AMEC stage"), max_length=8, choices=AmecStage.choices, default=AmecStage.OUTCOME
    )
    # How the KPI is computed from the measurement figures when its metric is in the catalogue:
    # over which trailing window (blank: the default for the metric's aggregation) and from
    # which channels (none chosen: every channel and the figures without a channel).
    window = models.CharField(
        _("measured over"), max_length=8, choices=KpiWindow.choices, blank=True
    )
    channels = models.ManyToManyField(
        "measurement.Channel", verbose_name=_("channels"), blank=True, related_name="kpis"
    )

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ("objective__start", "name")
        constraints = [
            models.UniqueConstraint(fields=["objective", "name"], name="kpi_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class KpiValue(models.Model):
    """A manually entered value. A KPI whose metric is in the measurement catalogue is computed
    from the figures; its manual values stay, and count whenever there are no figures."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    day = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ("kpi", "day")
        constraints = [models.UniqueConstraint(fields=["kpi", "day"], name="kpi_value_unique_day")]

    def __str__(self) -> str:
        return f"{self.kpi} {self.day}: {self.value}"


class AudienceKind(models.TextChoices):
    CUSTOMERS = "customers", _("Customers")
    CLIENTS = "clients", _("Clients")
    SUPPLIERS = "suppliers", _("Suppliers")
    PARTNERS = "partners", _("Partners")
    EMPLOYEES = "employees", _("Employees")
    JOURNALISTS = "journalists", _("Journalists")
    PEERS = "peers", _("Peers")
    INVESTORS = "investors", _("Investors")
    OTHER = "other", _("Other")


class Audience(StrategyObject):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=16, choices=AudienceKind.choices)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    demographics = models.TextField(_("demographics"), blank=True)

    class Meta:
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        ordering = ("priority", "name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="audience_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class PresenceUnit(models.TextChoices):
    PERCENT = "percent", _("percent of the audience")
    USERS = "users", _("users")


class PlatformPresence(models.Model):
    """Evidence of where an audience is: a figure with its source and date."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    audience = models.ForeignKey(Audience, on_delete=models.CASCADE, related_name="presence")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    figure = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)
    unit = models.CharField(
        _("unit"), max_length=8, choices=PresenceUnit.choices, default=PresenceUnit.PERCENT
    )
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source URL"), blank=True)
    figure_date = models.DateField(_("date of the figure"))

    class Meta:
        ordering = ("audience", "-figure")
        constraints = [
            models.UniqueConstraint(fields=["audience", "platform"], name="presence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.audience} on {self.platform}: {self.figure} {self.unit}"


class Message(StrategyObject):
    title = models.CharField(_("message"), max_length=200)
    text = models.TextField(_("what we say"), blank=True)
    tone = models.CharField(_("tone"), max_length=100, blank=True)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("audiences"), related_name="messages"
    )
    channels = models.JSONField(_("channels"), default=list)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ("title",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="message_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class Tactic(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    objective = models.ForeignKey(SocialObjective, on_delete=models.CASCADE, related_name="tactics")
    channel = models.CharField(_("channel"), max_length=16, choices=Platform.choices)
    activity = models.CharField(_("activity"), max_length=300)
    frequency = models.CharField(_("frequency"), max_length=100, blank=True)
    people = models.PositiveSmallIntegerField(_("people"), default=1)
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=6, decimal_places=1, default=0
    )

    class Meta:
        ordering = ("objective", "channel", "activity")

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.activity}"


class Competitor(StrategyObject):
    name = models.CharField(_("name"), max_length=200)
    website = models.URLField(_("website"), blank=True)
    channels = models.JSONField(_("channels"), default=list)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="competitor_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class GainKind(models.TextChoices):
    PRESS = "press", _("Press coverage")
    AWARENESS = "awareness", _("Awareness")
    PROSPECTS = "prospects", _("Prospects")
    SPEAKING = "speaking", _("Speaking slots")
    OTHER = "other", _("Other")


class CompetitorObservation(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    competitor = models.ForeignKey(
        Competitor, on_delete=models.CASCADE, related_name="observations"
    )
    observed_on = models.DateField(_("observed on"))
    kind = models.CharField(_("what they gained"), max_length=12, choices=GainKind.choices)
    description = models.TextField(_("description"))
    source_url = models.URLField(_("source URL"), blank=True)

    class Meta:
        ordering = ("-observed_on",)

    def __str__(self) -> str:
        return f"{self.competitor} {self.observed_on}: {self.kind}"


class CaseStudy(StrategyObject):
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    figures = models.TextField(_("figures"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source URL"), blank=True)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class SponsorRoute(models.TextChoices):
    STRATEGIST = "strategist", _("Internal strategist")
    CHAMPION = "champion", _("Internal champion who won a sponsor")
    AGENCY = "agency", _("Outside agency or consultancy")


class Vision(models.Model):
    """The long-term vision and its executive sponsor: one per workspace."""

    workspace = models.OneToOneField(Workspace, on_delete=models.CASCADE, related_name="vision")
    statement = models.TextField(_("vision"))
    value_employees = models.TextField(_("value for employees"), blank=True)
    value_customers = models.TextField(_("value for customers"), blank=True)
    value_shareholders = models.TextField(_("value for shareholders"), blank=True)
    sponsor = models.ForeignKey(
        Membership,
        verbose_name=_("executive sponsor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sponsor_route = models.CharField(
        _("how sponsorship was established"),
        max_length=12,
        choices=SponsorRoute.choices,
        blank=True,
    )
    sponsor_since = models.DateField(_("sponsor since"), null=True, blank=True)

    def __str__(self) -> str:
        return self.statement[:80]


class InitiativeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("In progress")
    DONE = "done", _("Done")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


class MaturityStage(models.IntegerChoices):
    PLANNING = 1, _("Planning")
    PRESENCE = 2, _("Presence")
    ENGAGEMENT = 3, _("Engagement")
    FORMALIZED = 4, _("Formalized")
    STRATEGIC = 5, _("Strategic")
    CONVERGED = 6, _("Converged")


class Initiative(StrategyObject):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goals = models.ManyToManyField(
        BusinessGoal, verbose_name=_("goals"), blank=True, related_name="initiatives"
    )
    objectives = models.ManyToManyField(
        SocialObjective, verbose_name=_("objectives"), blank=True, related_name="initiatives"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("owner department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PLANNED,
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    maturity_stage = models.PositiveSmallIntegerField(
        _("maturity stage it helps reach"), choices=MaturityStage.choices, null=True, blank=True
    )

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ("start", "title")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="initiative_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class AlignmentSnapshot(models.Model):
    """The alignment score on a day (the last computation of that day)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    passed = models.PositiveIntegerField()
    total = models.PositiveIntegerField()
    gaps = models.JSONField(default=list)

    class Meta:
        ordering = ("day",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "day"], name="alignment_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.passed}/{self.total}"
