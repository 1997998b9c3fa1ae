"""The versioned REST API at /api/v1/. One router per domain; every endpoint asks the policy
and calls the same services as the pages. Errors are ``{"message": ..., "details": ...}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from converge.api.core import router as core_router
from converge.api.finance import router as finance_router
from converge.api.governance import router as governance_router
from converge.api.maturity import router as maturity_router
from converge.api.measurement import router as measurement_router
from converge.api.operating import router as operating_router
from converge.api.reports import router as reports_router
from converge.api.strategy import router as strategy_router
from converge.core import services
from converge.core.errors import ConvergeError
from converge.core.models import ApiToken
from converge.core.policy import NotPermitted


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: a personal token scoped to one workspace."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = services.api_token_authenticate(token)
        if api_token is not None:
            request.user = api_token.user
        return api_token


api = NinjaAPI(
    title="Converge API",
    version="1",
    description=(
        "The Converge REST API. Authenticate with a personal token created under "
        "Workspace → API tokens (or `python manage.py converge_token EMAIL --workspace SLUG`), "
        "sent as `Authorization: Bearer <token>`. A token reaches only its own workspace."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, message: str, details: Any = None) -> HttpResponse:
    return api.create_response(request, {"message": message, "details": details}, status=status)


@api.exception_handler(ConvergeError)
def on_converge_error(request: HttpRequest, exc: ConvergeError) -> HttpResponse:
    return _error(request, exc.status, exc.message, exc.details or None)


@api.exception_handler(NotPermitted)
def on_not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return _error(
        request,
        403,
        _("Your role and your departments' grants do not allow this."),
        {"action": exc.action},
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Not found."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, _("A valid API token is required: send 'Authorization: Bearer <token>'.")
    )


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _error(request, 422, _("The request is not valid."), exc.errors)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


api.add_router("/", core_router)
api.add_router("/", strategy_router)
api.add_router("/", measurement_router)
api.add_router("/", governance_router)
api.add_router("/", operating_router)
api.add_router("/", maturity_router)
api.add_router("/", finance_router)
api.add_router("/", reports_router)
