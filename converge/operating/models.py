"""The organisation around social: the operating model and its team, the RACI of governance
activities, the executive sponsor and engaged executives, versioned policies and playbooks with
acknowledgements, trainings and the best-practice log.

Leads and owners manage all of it (``manage_operating_model``); every member reads it and
acknowledges the policies that apply to them."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Membership, User, Workspace


class OperatingObject(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


# --- Operating model ------------------------------------------------------------------------


class ModelKind(models.TextChoices):
    """Owyang's organisation models (Altimeter, 2010) and the two of seed 001."""

    STEERING_COMMITTEE = "steering_committee", _("Steering committee")
    DEDICATED_TEAM = "dedicated_team", _("Dedicated team")
    COMBINATION = "combination", _("Steering committee and dedicated team")
    HUB_AND_SPOKE = "hub_and_spoke", _("Hub and spoke, with a Center of Excellence")
    MULTIPLE_HUB_AND_SPOKE = "multiple_hub_and_spoke", _("Multiple hub and spoke (dandelion)")
    HOLISTIC = "holistic", _("Holistic (honeycomb)")
    CENTRALIZED = "centralized", _("Centralised")
    ORGANIC = "organic", _("Organic (decentralised)")


# Models in which a dedicated team (or hub) carries social, and should be two to four people.
TEAM_MODELS = frozenset(
    {
        ModelKind.DEDICATED_TEAM,
        ModelKind.COMBINATION,
        ModelKind.HUB_AND_SPOKE,
        ModelKind.MULTIPLE_HUB_AND_SPOKE,
        ModelKind.CENTRALIZED,
    }
)
TEAM_SIZE = (2, 4)


class OperatingModel(models.Model):
    """The chosen model and the hub's mandate: one per workspace."""

    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="operating_model"
    )
    kind = models.CharField(
        _("operating model"), max_length=32, choices=ModelKind.choices, default=ModelKind.ORGANIC
    )
    summary = models.TextField(_("summary"), blank=True)
    priorities = models.TextField(_("priorities"), blank=True)
    guidelines = models.TextField(_("guidelines"), blank=True)
    processes = models.TextField(_("processes"), blank=True)
    roles = models.TextField(_("roles"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("operating model")
        verbose_name_plural = _("operating models")

    def __str__(self) -> str:
        return str(self.get_kind_display())


class TeamMember(OperatingObject):
    """A member of the dedicated team (or the hub), with a role and a share of their time."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role in the team"), max_length=120)
    time_share = models.PositiveSmallIntegerField(_("share of time (%)"))

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ("-time_share", "membership__user__full_name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "membership"], name="team_member_once"),
            models.CheckConstraint(
                condition=Q(time_share__gte=1, time_share__lte=100), name="team_member_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.user} ({self.role})"


# --- RACI -----------------------------------------------------------------------------------


class RaciRole(models.TextChoices):
    DECIDES = "decides", _("Decides")
    EXECUTES = "executes", _("Executes")
    PAYS = "pays", _("Pays")
    CONSULTED = "consulted", _("Consulted")
    INFORMED = "informed", _("Informed")


class RaciActivity(OperatingObject):
    """A governance activity: opening a new channel, crisis response, …"""

    name = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("governance activity")
        verbose_name_plural = _("governance activities")
        ordering = ("position", "name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="raci_activity_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RaciAssignment(OperatingObject):
    """One role of one party (a department or a person) in one activity."""

    activity = models.ForeignKey(RaciActivity, on_delete=models.CASCADE, related_name="assignments")
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    role = models.CharField(_("role"), max_length=16, choices=RaciRole.choices)
    pay_share = models.DecimalField(
        _("share of the bill (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("RACI assignment")
        verbose_name_plural = _("RACI assignments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(membership__isnull=True))
                | (Q(department__isnull=True) & Q(membership__isnull=False)),
                name="raci_one_party",
            ),
            models.UniqueConstraint(
                fields=["activity", "department", "role"],
                condition=Q(department__isnull=False),
                name="raci_department_role_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "membership", "role"],
                condition=Q(membership__isnull=False),
                name="raci_person_role_once",
            ),
        ]

    def __str__(self) -> str:
        party = self.department or (self.membership.user if self.membership else "?")
        return f"{self.activity}: {party} {self.get_role_display()}"


# --- Executive engagement -------------------------------------------------------------------


class Executive(OperatingObject):
    """The executive sponsor or an executive engaged hands-on."""

    membership = models.ForeignKey(
        Membership, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    is_sponsor = models.BooleanField(_("executive sponsor"), default=False)
    title = models.CharField(_("role or title"), max_length=200)
    engaged_in = models.TextField(_("engaged in"), blank=True)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("executive")
        verbose_name_plural = _("executives")
        ordering = ("-is_sponsor", "membership__user__full_name")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "membership"], name="executive_once"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(is_sponsor=True), name="executive_one_sponsor"
            ),
        ]

    def __str__(self) -> str:
        return str(self.membership.user)


class TouchpointKind(models.TextChoices):
    BRIEFING = "briefing", _("Briefing")
    REVIEW = "review", _("Review attended")
    PILOT = "pilot", _("Pilot presented")
    OTHER = "other", _("Other")


class Touchpoint(OperatingObject):
    executive = models.ForeignKey(Executive, on_delete=models.CASCADE, related_name="touchpoints")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=TouchpointKind.choices)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        ordering = ("-day", "-id")

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"


# --- Policies and playbooks -----------------------------------------------------------------


class DocumentKind(models.TextChoices):
    POLICY = "policy", _("Social media policy")
    PLAYBOOK = "playbook", _("Channel playbook")
    GUIDELINE = "guideline", _("Guideline")


class PolicyDocument(OperatingObject):
    """A policy, playbook or guideline; its text lives in its versions."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    channel = models.ForeignKey(
        "measurement.Channel",
        verbose_name=_("channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("policy or playbook")
        verbose_name_plural = _("policies and playbooks")
        ordering = ("kind", "title")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="policy_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class PolicyVersion(OperatingObject):
    """One published text of a document. Publishing asks the people it applies to."""

    document = models.ForeignKey(PolicyDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("text (Markdown)"))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    applies_to_everyone = models.BooleanField(_("applies to everyone"), default=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("applies to departments"), blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ("document", "-number")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="policy_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class Acknowledgement(OperatingObject):
    """A person asked to acknowledge a version, and when they did."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ("membership__user__full_name",)
        constraints = [models.UniqueConstraint(fields=["version", "membership"], name="ack_once")]

    def __str__(self) -> str:
        return f"{self.version}: {self.membership.user}"


class PolicyReminder(models.Model):
    """The one reminder e-mail sent for an acknowledgement: what, to whom, when."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    acknowledgement = models.OneToOneField(
        Acknowledgement, on_delete=models.CASCADE, related_name="reminder"
    )
    sent_at = models.DateTimeField()
    to = models.EmailField()
    subject = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("policy reminder")
        verbose_name_plural = _("policy reminders")
        ordering = ("-sent_at",)

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d} {self.to}"


# --- Training and education -----------------------------------------------------------------


class TrainingKind(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding for new employees")
    CHANNEL = "channel", _("Channel")
    POLICY = "policy", _("Policy")
    OTHER = "other", _("Other")


class Training(OperatingObject):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=TrainingKind.choices)
    description = models.TextField(_("description"), blank=True)
    policy = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("policy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainings",
    )
    channel = models.ForeignKey(
        "measurement.Channel",
        verbose_name=_("channel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ("kind", "title")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "title"], name="training_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(OperatingObject):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    day = models.DateField(_("date"))
    trainer = models.ForeignKey(
        Membership,
        verbose_name=_("trainer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    attendees = models.ManyToManyField(
        Membership, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ("-day", "-id")

    def __str__(self) -> str:
        return f"{self.training} {self.day}"


class TrainingCompletion(OperatingObject):
    """A person has completed a training (by attending a session, or recorded by hand)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="completions")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField(_("completed"))
    session = models.ForeignKey(
        TrainingSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ("-completed_on",)
        constraints = [
            models.UniqueConstraint(fields=["training", "membership"], name="completion_once")
        ]

    def __str__(self) -> str:
        return f"{self.training}: {self.membership.user}"


class PracticeKind(models.TextChoices):
    PLATFORM = "platform", _("New platform seen")
    PRACTICE = "practice", _("Practice")
    LESSON = "lesson", _("Lesson")
    OTHER = "other", _("Other")


class PracticeEntry(OperatingObject):
    """What was shared at the monthly best-practice session."""

    day = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=PracticeKind.choices)
    text = models.TextField(_("what was shared"), blank=True)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    shared_by = models.ForeignKey(
        Membership,
        verbose_name=_("shared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Title, text and tags case-folded, so one search works the same on SQLite and PostgreSQL.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("best-practice entry")
        verbose_name_plural = _("best-practice entries")
        ordering = ("-day", "-id")

    def __str__(self) -> str:
        return self.title

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]
