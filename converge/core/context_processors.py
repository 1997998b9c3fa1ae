"""What every page's layout needs: the current workspace, the switcher and the permissions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from converge.core import selectors
from converge.core.models import User


def converge(request: HttpRequest) -> dict[str, Any]:
    workspace = getattr(request, "workspace", None)
    allowed: frozenset[str] = getattr(request, "allowed", frozenset())
    context: dict[str, Any] = {
        "workspace": workspace,
        "membership": getattr(request, "membership", None),
        "perm": {action: True for action in allowed},
    }
    if request.user.is_authenticated and isinstance(request.user, User):
        context["my_workspaces"] = selectors.workspaces_for_user(request.user)
    return context
