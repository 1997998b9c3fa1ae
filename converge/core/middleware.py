"""Request logging, the workspace's language and time zone, and the not-permitted page."""

from __future__ import annotations

import logging
import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from converge.core.models import Workspace
from converge.core.policy import NotPermitted

request_log = logging.getLogger("converge.request")


class RequestLogMiddleware:
    """One structured log line a request: method, path, status, duration, user."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        request_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


class WorkspaceLocaleMiddleware:
    """Inside ``/w/<slug>/``: the workspace's time zone, and its default language unless the
    person chose a language with the switcher. Also turns ``NotPermitted`` into a 403 page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parts = request.path_info.split("/")
        workspace = None
        if len(parts) > 2 and parts[1] == "w" and parts[2] not in {"", "new"}:
            workspace = Workspace.objects.filter(slug=parts[2]).first()
            # The workspace view's policy check reuses it (one query less per page).
            request.path_workspace = workspace  # type: ignore[attr-defined]
        language = translation.get_language()
        if workspace is not None:
            timezone.activate(zoneinfo.ZoneInfo(workspace.time_zone))
            if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                translation.activate(workspace.default_language)
                request.LANGUAGE_CODE = workspace.default_language
        try:
            return self.get_response(request)
        finally:
            # Leave the thread as it was found: a workspace's language must not leak into
            # whatever this thread does next.
            timezone.deactivate()
            if language:
                translation.activate(language)
            else:
                translation.deactivate()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotPermitted):
            return render(request, "core/not_permitted.html", status=403)
        return None
