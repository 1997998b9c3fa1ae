"""The operating rhythm: committees with a cadence (an RFC 5545 recurrence rule in the
workspace's time zone), the meetings generated from it, their agenda packs, attendance and
minutes; decisions and action items; calendar feeds; quarterly reviews with their adaptations.

A committee's cadence is kept as local wall-clock time (``starts_on`` + ``start_time`` in the
workspace's zone) and an RRULE string, so that a 09:00 meeting stays at 09:00 across the
daylight-saving changes. A meeting's natural key is its committee and ``occurrence``: the start
the rule gave it (an aware datetime), which stays when the meeting is moved."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from converge.core.models import Department, Membership, Workspace
from converge.strategy.models import Initiative, Kpi, SocialObjective


class Committee(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    chair = models.ForeignKey(
        Membership,
        verbose_name=_("chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_committees",
    )
    starts_on = models.DateField(_("first meeting on or after"))
    start_time = models.TimeField(_("start time"))
    rrule = models.CharField(_("recurrence rule"), max_length=300)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="committee_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A person on a committee, optionally representing a department."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="seats")
    membership = models.ForeignKey(
        Membership, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("represents"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("membership__user__full_name",)
        constraints = [
            models.UniqueConstraint(fields=["committee", "membership"], name="committee_seat")
        ]

    def __str__(self) -> str:
        return f"{self.committee}: {self.membership.user}"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    HELD = "held", _("Held")


class Meeting(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    occurrence = models.DateTimeField(_("planned start"))
    starts_at = models.DateTimeField(_("start"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), default=60)
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    pack = models.JSONField(_("agenda pack as held"), null=True, blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ("starts_at",)
        constraints = [
            models.UniqueConstraint(fields=["committee", "occurrence"], name="meeting_occurrence")
        ]
        indexes = [models.Index(fields=["workspace", "starts_at"], name="meeting_ws_start")]

    def __str__(self) -> str:
        return f"{self.committee} {self.occurrence:%Y-%m-%d}"

    @property
    def moved(self) -> bool:
        return self.starts_at != self.occurrence


class AgendaItem(models.Model):
    """The chair's edits of a meeting's agenda: the position of an item of the live pack (by
    its key), its removal, or a free item the chair added (key ``free:…``)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    key = models.CharField(max_length=80)
    position = models.IntegerField(default=0)
    title = models.CharField(_("title"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ("position", "id")
        constraints = [models.UniqueConstraint(fields=["meeting", "key"], name="agenda_item_key")]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.key}"


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    presence = models.CharField(_("attendance"), max_length=10, choices=Presence.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.membership.user} {self.presence}"


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DECIDED = "decided", _("Decided")


class Decision(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_on = models.DateField(_("date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    objectives = models.ManyToManyField(
        SocialObjective, verbose_name=_("objectives"), blank=True, related_name="+"
    )
    kpis = models.ManyToManyField(Kpi, verbose_name=_("KPIs"), blank=True, related_name="+")
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Membership,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_actions",
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ("due_on", "title")

    def __str__(self) -> str:
        return self.title


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


class ReminderSent(models.Model):
    """One reminder e-mail that went out: each (action, kind, due date) once."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_to = models.EmailField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "kind", "due_on"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.kind} → {self.sent_to}"


class CalendarFeed(models.Model):
    """A person's secret calendar address: their own feed (no committee) or one committee's.
    Rotating the token makes the old address answer 404."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "committee"],
                name="calendar_feed_one_per_committee",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.committee or 'all'}"


class Review(models.Model):
    """A quarterly review: performance per stakeholder department and the adaptations agreed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")]
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("committee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviews",
    )
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quarterly review")
        verbose_name_plural = _("quarterly reviews")
        ordering = ("-year", "-quarter", "-held_on")
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "year", "quarter", "committee"],
                name="review_unique_quarter",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year} Q{self.quarter}"


class AdaptationKind(models.TextChoices):
    START = "start", pgettext_lazy("adaptation", "Start")
    STOP = "stop", pgettext_lazy("adaptation", "Stop")
    CHANGE = "change", pgettext_lazy("adaptation", "Change")


class Adaptation(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="adaptations")
    kind = models.CharField(_("kind"), max_length=8, choices=AdaptationKind.choices)
    text = models.TextField(_("what we agreed"))
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    objectives = models.ManyToManyField(
        SocialObjective, verbose_name=_("objectives"), blank=True, related_name="+"
    )
    kpis = models.ManyToManyField(Kpi, verbose_name=_("KPIs"), blank=True, related_name="+")
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("kind", "created_at", "id")

    def __str__(self) -> str:
        return self.text[:80]
