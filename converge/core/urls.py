"""Workspace URLs, all under /w/<slug>/."""

from django.urls import include, path

from converge.core import views

urlpatterns = [
    path("", views.workspace_home, name="workspace_home"),
    path("settings/", views.workspace_settings, name="workspace_settings"),
    path("delete/", views.workspace_delete, name="workspace_delete"),
    path("members/", views.member_list, name="member_list"),
    path("members/<uuid:member>/", views.member_detail, name="member_detail"),
    path("members/<uuid:member>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<uuid:invitation>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_create, name="department_create"),
    path("departments/<slug:department>/", views.department_detail, name="department_detail"),
    path("departments/<slug:department>/edit/", views.department_edit, name="department_edit"),
    path(
        "departments/<slug:department>/delete/",
        views.department_delete,
        name="department_delete",
    ),
    path("grants/", views.grant_matrix, name="grant_matrix"),
    path("audit/", views.audit_log, name="audit_log"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<uuid:token>/revoke/", views.token_revoke, name="token_revoke"),
    path("strategy/", include("converge.strategy.urls")),
    path("measurement/", include("converge.measurement.urls")),
    path("governance/", include("converge.governance.urls")),
    path("governance/", include("converge.operating.urls")),
    path("maturity/", include("converge.maturity.urls")),
    path("budget/", include("converge.finance.urls")),
    path("reports/", include("converge.reports.urls")),
] + [
    path(f"{area}/", views.area_pending, {"area": area}, name=f"area_{area}")
    for area in views.AREAS
    if area not in {"strategy", "measurement"}
]
