"""People, workspaces, memberships, departments, grants, invitations, API tokens and the audit log.

Every domain row belongs to a workspace. Objects are addressed in URLs by slug or UUID.
Writes go through ``converge.core.services``; reads with joins through ``selectors``.
"""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Signs in with e-mail and password; may belong to several workspaces."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["full_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ("full_name", "email")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name or self.email).split(" ")[0]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Currency(models.TextChoices):
    SEK = "SEK", _("Swedish krona (SEK)")
    EUR = "EUR", _("Euro (EUR)")
    NOK = "NOK", _("Norwegian krone (NOK)")
    DKK = "DKK", _("Danish krone (DKK)")
    USD = "USD", _("US dollar (USD)")
    GBP = "GBP", _("Pound sterling (GBP)")
    CHF = "CHF", _("Swiss franc (CHF)")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SWEDISH = "sv", _("Swedish")


class Workspace(models.Model):
    """One organisation."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm", validators=[validate_time_zone]
    )
    currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.SEK
    )
    default_language = models.CharField(
        _("default language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    LEAD = "lead", _("Lead")
    MEMBER = "member", _("Member")
    EXECUTIVE = "executive", _("Executive")
    GUEST = "guest", _("Guest")


class Membership(models.Model):
    """A person's place in a workspace, with one role."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="membership_unique_person")
        ]
        ordering = ("user__full_name", "user__email")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class DepartmentKind(models.TextChoices):
    MARKETING = "marketing", _("Marketing")
    CUSTOMER_SERVICE = "customer_service", _("Customer Service")
    SALES = "sales", _("Sales")
    PR = "pr", _("PR & Communications")
    LEGAL = "legal", _("Legal")
    HR = "hr", _("HR")
    IT = "it", _("IT")
    FINANCE = "finance", _("Finance")
    PRODUCT = "product", _("Product/R&D")
    SUPPLY_CHAIN = "supply_chain", _("Supply Chain")
    EXECUTIVE = "executive", _("Executive")
    OTHER = "other", _("Other")


class Department(models.Model):
    """A stakeholder department, with its strategic aims and challenges."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    head = models.ForeignKey(
        Membership,
        verbose_name=_("head"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
    )
    members = models.ManyToManyField(
        Membership, verbose_name=_("members"), blank=True, related_name="departments"
    )
    aims = models.TextField(_("strategic aims"), blank=True, help_text=_("One aim per line."))
    challenges = models.TextField(
        _("challenges"), blank=True, help_text=_("One challenge per line.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="department_unique_slug"),
            models.UniqueConstraint(fields=["workspace", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def aim_list(self) -> list[str]:
        return [line.strip() for line in self.aims.splitlines() if line.strip()]

    @property
    def challenge_list(self) -> list[str]:
        return [line.strip() for line in self.challenges.splitlines() if line.strip()]


class Capability(models.TextChoices):
    """The fixed catalogue of capabilities a lead may extend to a department."""

    WORK_CASES = "work_cases", _("Work customer-care cases")
    MANAGE_INFLUENCERS = "manage_influencers", _("Manage influencers")
    APPROVE_CONTENT = "approve_content", _("Approve content")
    SUBMIT_IDEAS = "submit_ideas", _("Submit ideas")
    SHARE_WINS = "share_wins", _("Share wins")
    VIEW_DASHBOARDS = "view_dashboards", _("View dashboards")
    VIEW_BUDGET = "view_budget", _("View budget")
    EDIT_STRATEGY = "edit_strategy", _("Edit strategy")


class Grant(models.Model):
    """A capability extended to every member of a department."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="grants")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="grants")
    capability = models.CharField(_("capability"), max_length=32, choices=Capability.choices)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "capability"], name="grant_unique_capability"
            )
        ]
        ordering = ("department__name", "capability")

    def __str__(self) -> str:
        return f"{self.department}: {self.get_capability_display()}"


class Invitation(models.Model):
    """An invitation by e-mail to join a workspace with a role; its token is stored hashed."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class ApiToken(models.Model):
    """A personal API token, scoped to one workspace, stored as a SHA-256 hash."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEntry(models.Model):
    """Who changed what, when, from which value to which."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ("-at", "-id")
        indexes = [models.Index(fields=["workspace", "-at"], name="audit_workspace_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"
