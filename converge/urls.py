"""Converge's URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from converge.api.api import api
from converge.core import views
from converge.governance import views as governance_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("assets/vega.js", views.vega_bundle, name="vega_bundle"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/profile/", views.profile, name="profile"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("invitations/<str:token>/", views.invitation_open, name="invitation_open"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("calendar/<str:token>.ics", governance_views.calendar_feed, name="calendar_feed"),
    path("w/", views.workspace_list, name="workspace_list"),
    path("w/new/", views.workspace_create, name="workspace_create"),
    path("w/<slug:slug>/", include("converge.core.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
