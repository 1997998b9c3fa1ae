"""Thin views: parse input, ask the policy, call a service or a selector, render."""

from __future__ import annotations

import functools
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from converge.core import selectors, services
from converge.core.errors import ConvergeError
from converge.core.forms import (
    AuditFilterForm,
    DepartmentDeleteForm,
    DepartmentForm,
    InvitationAcceptForm,
    InviteForm,
    MemberDepartmentsForm,
    ProfileForm,
    RoleForm,
    SignupForm,
    TokenForm,
    WorkspaceDeleteForm,
    WorkspaceForm,
    show_error,
)
from converge.core.models import Capability, Membership, User, Workspace
from converge.core.policy import (
    Action,
    capability_sources,
    get_workspace_for_user,
)


class WorkspaceRequest(HttpRequest):
    """A request inside a workspace the signed-in person belongs to."""

    user: User
    workspace: Workspace
    membership: Membership
    allowed: frozenset[str]


WorkspaceView = Callable[..., HttpResponseBase]


def workspace_view(action: str = Action.VIEW_WORKSPACE) -> Callable[[WorkspaceView], WorkspaceView]:
    """Resolve ``/w/<slug>/``: 404 for outsiders, the not-permitted page for insiders without
    ``action``; sets ``request.workspace``, ``request.membership`` and ``request.allowed``."""

    def decorator(view: WorkspaceView) -> WorkspaceView:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponseBase:
            access = get_workspace_for_user(
                request.user, slug, action, known=getattr(request, "path_workspace", None)
            )
            wreq = cast(WorkspaceRequest, request)
            wreq.workspace = access.workspace
            wreq.membership = access.membership
            wreq.allowed = access.allowed
            if request.session.get("workspace") != access.workspace.slug:
                request.session["workspace"] = access.workspace.slug
            return view(wreq, *args, **kwargs)

        return wrapper

    return decorator


# --- Public -------------------------------------------------------------------------------


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def home(request: HttpRequest) -> HttpResponse:
    """The root: the last workspace used, or the list of one's workspaces, or sign in."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = request.user
    workspaces = selectors.workspaces_for_user(user)
    last = request.session.get("workspace")
    if last and workspaces.filter(slug=last).exists():
        return redirect("workspace_home", slug=last)
    if workspaces.count() == 1:
        first = workspaces.first()
        assert first is not None
        return redirect("workspace_home", slug=first.slug)
    return redirect("workspace_list")


def signup(request: HttpRequest) -> HttpResponse:
    if not settings.CONVERGE_ALLOW_SIGNUP:
        raise Http404("Sign-up is closed.")
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome to Converge. Create your workspace to begin."))
            return redirect("workspace_create")
    return render(request, "registration/signup.html", {"form": form})


def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: accept as the signed-in person, or create the invited account."""
    invitation = services.invitation_by_token(token)
    user = request.user if request.user.is_authenticated else None
    problem = services.invitation_problem(invitation, user)
    if problem or invitation is None:
        return render(
            request,
            "core/invitation_problem.html",
            {"problem": problem},
            status=410 if invitation else 404,
        )
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    form = (
        InvitationAcceptForm(request.POST if request.method == "POST" else None)
        if user is None and not account_exists
        else None
    )
    if request.method == "POST":
        try:
            if user is not None:
                membership = services.invitation_accept(token=token, user=user)
            elif form is not None and form.is_valid():
                membership = services.invitation_accept(
                    token=token,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                membership = None
        except ConvergeError as exc:
            if form is not None:
                show_error(form, exc)
            else:
                messages.error(request, exc.message)
            membership = None
        if membership is not None:
            messages.success(
                request,
                _("Welcome to %(workspace)s.") % {"workspace": membership.workspace.name},
            )
            return redirect("workspace_home", slug=membership.workspace.slug)
    return render(
        request,
        "core/invitation_accept.html",
        {"invitation": invitation, "form": form, "account_exists": account_exists, "me": user},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"full_name": user.full_name, "title": user.title},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(actor=user, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile")
    return render(
        request,
        "registration/profile.html",
        {"form": form, "memberships": selectors.memberships_for_user(user)},
    )


# --- Workspaces ---------------------------------------------------------------------------


@login_required
def workspace_list(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    return render(
        request,
        "core/workspace_list.html",
        {"memberships": selectors.memberships_for_user(user)},
    )


@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    form = WorkspaceForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": "Europe/Stockholm", "currency": "SEK", "default_language": "en"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            workspace = services.workspace_create(actor=user, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Workspace created. You are its owner."))
            return redirect("workspace_home", slug=workspace.slug)
    return render(request, "core/workspace_form.html", {"form": form, "creating": True})


@workspace_view()
def workspace_home(request: WorkspaceRequest) -> HttpResponse:
    sources = capability_sources(request.membership)
    my_capabilities = [
        (cap, [str(_("your role")) if s == "role" else s for s in sources[cap.value]])
        for cap in Capability
        if cap.value in sources
    ]
    return render(
        request,
        "core/workspace_home.html",
        {
            "departments": selectors.departments_of(request.workspace),
            "member_count": request.workspace.memberships.count(),
            "my_capabilities": my_capabilities,
            "my_departments": request.membership.departments.order_by("name"),
        },
    )


@workspace_view(Action.EDIT_WORKSPACE)
def workspace_settings(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = WorkspaceForm(
        request.POST if request.method == "POST" else None,
        editing=True,
        initial={
            "name": ws.name,
            "time_zone": ws.time_zone,
            "currency": ws.currency,
            "default_language": ws.default_language,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_update(actor=request.user, workspace=ws, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Workspace settings saved."))
            return redirect("workspace_settings", slug=ws.slug)
    return render(request, "core/workspace_form.html", {"form": form, "creating": False})


@workspace_view(Action.DELETE_WORKSPACE)
def workspace_delete(request: WorkspaceRequest) -> HttpResponse:
    form = WorkspaceDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.workspace_delete(
                actor=request.user,
                workspace=request.workspace,
                confirm_slug=form.cleaned_data["confirm_slug"],
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            request.session.pop("workspace", None)
            messages.success(request, _("The workspace was deleted."))
            return redirect("workspace_list")
    return render(request, "core/workspace_delete.html", {"form": form})


# --- Members ------------------------------------------------------------------------------


@workspace_view()
def member_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    can_manage = Action.MANAGE_MEMBERS in request.allowed
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        workspace=ws,
        actor_role=request.membership.role,
    )
    if request.method == "POST":
        if not can_manage:
            return not_permitted(request)
        if form.is_valid():
            try:
                issued = services.invitation_issue(
                    actor=request.user,
                    workspace=ws,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    department=form.cleaned_data["department"],
                    accept_url_for=lambda token: request.build_absolute_uri(
                        reverse("invitation_open", args=[token])
                    ),
                )
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": issued.invitation.email},
                )
                return redirect("member_list", slug=ws.slug)
    return render(
        request,
        "core/member_list.html",
        {
            "members": selectors.members_of(ws),
            "invitations": selectors.pending_invitations(ws) if can_manage else [],
            "form": form,
            "can_manage": can_manage,
        },
    )


@workspace_view()
def member_detail(request: WorkspaceRequest, member: str) -> HttpResponse:
    ws = request.workspace
    membership = selectors.get_membership(ws, member)
    can_manage = Action.MANAGE_MEMBERS in request.allowed
    can_departments = Action.MANAGE_DEPARTMENTS in request.allowed
    role_form = RoleForm(
        request.POST if request.POST.get("form") == "role" else None,
        initial={"role": membership.role},
    )
    dept_form = MemberDepartmentsForm(
        request.POST if request.POST.get("form") == "departments" else None,
        workspace=ws,
        initial={"departments": list(membership.departments.all())},
    )
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "role" and can_manage and role_form.is_valid():
                services.membership_set_role(
                    actor=request.user, membership=membership, role=role_form.cleaned_data["role"]
                )
                messages.success(request, _("Role changed."))
                return redirect("member_detail", slug=ws.slug, member=membership.uuid)
            if which == "departments" and can_departments and dept_form.is_valid():
                services.membership_set_departments(
                    actor=request.user,
                    membership=membership,
                    departments=dept_form.cleaned_data["departments"],
                )
                messages.success(request, _("Departments saved."))
                return redirect("member_detail", slug=ws.slug, member=membership.uuid)
            if which not in {"role", "departments"} or not (can_manage or can_departments):
                return not_permitted(request)
        except ConvergeError as exc:
            show_error(role_form if which == "role" else dept_form, exc)
    sources = capability_sources(membership)
    capabilities = [
        (cap, [str(_("role")) if s == "role" else s for s in sources[cap.value]])
        for cap in Capability
        if cap.value in sources
    ]
    return render(
        request,
        "core/member_detail.html",
        {
            "member": membership,
            "role_form": role_form,
            "dept_form": dept_form,
            "can_manage": can_manage,
            "can_departments": can_departments,
            "capabilities": capabilities,
        },
    )


@workspace_view(Action.MANAGE_MEMBERS)
def member_remove(request: WorkspaceRequest, member: str) -> HttpResponse:
    membership = selectors.get_membership(request.workspace, member)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except ConvergeError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("%(name)s was removed from the workspace.") % {"name": membership.user},
            )
            if membership.user_id == request.user.pk:
                return redirect("workspace_list")
            return redirect("member_list", slug=request.workspace.slug)
    return render(request, "core/member_remove.html", {"member": membership, "error": error})


@workspace_view(Action.MANAGE_MEMBERS)
@require_POST
def invitation_revoke(request: WorkspaceRequest, invitation: str) -> HttpResponse:
    inv = selectors.get_invitation(request.workspace, invitation)
    try:
        services.invitation_revoke(actor=request.user, invitation=inv)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("member_list", slug=request.workspace.slug)


# --- Departments --------------------------------------------------------------------------


@workspace_view()
def department_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "core/department_list.html",
        {
            "departments": selectors.departments_of(request.workspace),
            "can_manage": Action.MANAGE_DEPARTMENTS in request.allowed,
        },
    )


def _department_initial(department: Any) -> dict[str, Any]:
    return {
        "name": department.name,
        "kind": department.kind,
        "head": department.head,
        "members": list(department.members.all()),
        "aims": department.aims,
        "challenges": department.challenges,
    }


@workspace_view(Action.MANAGE_DEPARTMENTS)
def department_create(request: WorkspaceRequest) -> HttpResponse:
    form = DepartmentForm(
        request.POST if request.method == "POST" else None, workspace=request.workspace
    )
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(
                actor=request.user, workspace=request.workspace, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Department created."))
            return redirect(
                "department_detail", slug=request.workspace.slug, department=department.slug
            )
    return render(request, "core/department_form.html", {"form": form, "department": None})


@workspace_view()
def department_detail(request: WorkspaceRequest, department: str) -> HttpResponse:
    from converge.strategy.selectors import objectives_serving

    dept = selectors.get_department(request.workspace, department)
    granted = {g.capability for g in dept.grants.all()}
    return render(
        request,
        "core/department_detail.html",
        {
            "department": dept,
            "objectives": objectives_serving(dept),
            "granted": [c for c in Capability if c.value in granted],
            "can_manage": Action.MANAGE_DEPARTMENTS in request.allowed,
            "can_grant": Action.MANAGE_GRANTS in request.allowed,
        },
    )


@workspace_view(Action.MANAGE_DEPARTMENTS)
def department_edit(request: WorkspaceRequest, department: str) -> HttpResponse:
    dept = selectors.get_department(request.workspace, department)
    form = DepartmentForm(
        request.POST if request.method == "POST" else None,
        workspace=request.workspace,
        initial=_department_initial(dept),
    )
    if request.method == "POST" and form.is_valid():
        try:
            dept = services.department_update(
                actor=request.user, department=dept, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Department saved."))
            return redirect("department_detail", slug=request.workspace.slug, department=dept.slug)
    return render(request, "core/department_form.html", {"form": form, "department": dept})


@workspace_view(Action.MANAGE_DEPARTMENTS)
def department_delete(request: WorkspaceRequest, department: str) -> HttpResponse:
    dept = selectors.get_department(request.workspace, department)
    form = DepartmentDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_delete(
                actor=request.user, department=dept, confirmed=form.cleaned_data["confirm"]
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Department deleted. Its people are still members."))
            return redirect("department_list", slug=request.workspace.slug)
    return render(
        request,
        "core/department_delete.html",
        {"department": dept, "form": form, "member_count": dept.members.count()},
    )


# --- Grants -------------------------------------------------------------------------------


@workspace_view()
def grant_matrix(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    can_manage = Action.MANAGE_GRANTS in request.allowed
    rows = selectors.grant_matrix(ws)
    error = None
    if request.method == "POST":
        if not can_manage:
            return not_permitted(request)
        matrix = {
            row.department: {
                cap.value
                for cap in Capability
                if request.POST.get(f"grant-{row.department.uuid}-{cap.value}") == "on"
            }
            for row in rows
        }
        try:
            services.grants_replace(actor=request.user, workspace=ws, matrix=matrix)
        except ConvergeError as exc:
            error = exc.message
        else:
            messages.success(request, _("Grants saved. They take effect at once."))
            return redirect("grant_matrix", slug=ws.slug)
    return render(
        request,
        "core/grant_matrix.html",
        {
            "rows": rows,
            "capabilities": list(Capability),
            "can_manage": can_manage,
            "error": error,
        },
    )


# --- Audit log ----------------------------------------------------------------------------


@workspace_view(Action.VIEW_AUDIT)
def audit_log(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = AuditFilterForm(
        request.GET or None,
        actors=selectors.audit_actors(ws),
        object_types=selectors.audit_object_types(ws),
    )
    filters = selectors.AuditFilter()
    if form.is_bound and form.is_valid():
        filters = selectors.AuditFilter(
            actor=form.cleaned_data["actor"],
            object_type=form.cleaned_data["object_type"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
    page = Paginator(selectors.audit_entries(ws, filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


# --- API tokens ---------------------------------------------------------------------------


@workspace_view(Action.USE_API)
def token_list(request: WorkspaceRequest) -> HttpResponse:
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                actor=request.user, workspace=request.workspace, name=form.cleaned_data["name"]
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            secret = issued.secret
            form = TokenForm()
    return render(
        request,
        "core/token_list.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.tokens_for(request.user, request.workspace),
        },
    )


@workspace_view(Action.USE_API)
@require_POST
def token_revoke(request: WorkspaceRequest, token: str) -> HttpResponse:
    api_token = selectors.get_token(request.workspace, token)
    if api_token.user_id != request.user.pk and Action.MANAGE_MEMBERS not in request.allowed:
        raise Http404("No such token.")
    services.api_token_revoke(actor=request.user, token=api_token)
    messages.success(request, _("Token revoked. It no longer works."))
    return redirect("token_list", slug=request.workspace.slug)


# --- Areas still to come ------------------------------------------------------------------

AREAS: dict[str, tuple[Any, Any]] = {
    "collaboration": (
        gettext_lazy("Collaboration"),
        gettext_lazy(
            "The content calendar and approvals, ideas and wins from every department, pilots "
            "and influencers."
        ),
    ),
}


@workspace_view()
def area_pending(request: WorkspaceRequest, area: str) -> HttpResponse:
    if area not in AREAS:
        raise Http404("No such area.")
    title, description = AREAS[area]
    return render(
        request,
        "core/area_pending.html",
        {"area": area, "title": title, "description": description},
    )


@functools.cache
def _vega_bundle() -> str:
    import vl_convert

    return str(vl_convert.javascript_bundle())  # type: ignore[call-arg]


@require_GET
def vega_bundle(request: HttpRequest) -> HttpResponse:
    """Vega, Vega-Lite and Vega-Embed as one offline script (no CDN), built by vl-convert."""
    response = HttpResponse(_vega_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def not_permitted(request: HttpRequest) -> HttpResponse:
    return render(request, "core/not_permitted.html", status=403)
