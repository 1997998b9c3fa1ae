"""The Django admin, for superusers only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from converge.core.models import (
    ApiToken,
    AuditEntry,
    Department,
    Grant,
    Invitation,
    Membership,
    User,
    Workspace,
)


def _superuser_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]
admin.site.site_header = "Converge administration"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_superuser", "date_joined")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("full_name", "title")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("email", "full_name", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ("is_active", "is_superuser")


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin[Workspace]):
    list_display = ("name", "slug", "time_zone", "currency", "default_language", "created_at")
    search_fields = ("name", "slug")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ("user", "workspace", "role", "joined_at")
    list_filter = ("role", "workspace")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin[Department]):
    list_display = ("name", "workspace", "kind")
    list_filter = ("workspace", "kind")


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin[Grant]):
    list_display = ("department", "capability", "workspace", "granted_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ("email", "workspace", "role", "expires_at", "accepted_at", "revoked_at")
    exclude = ("token_hash",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "prefix", "user", "workspace", "created_at", "revoked_at")
    exclude = ("key_hash",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ("at", "workspace", "actor", "action", "object_type", "object_repr")
    list_filter = ("workspace", "object_type")
