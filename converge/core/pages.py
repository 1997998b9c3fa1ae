"""What every app's pages do the same way: read a posted form, name a workspace URL, save a
form through a service (its error shown next to the field), or post a small form from a detail
page and go back. One copy, so every page behaves alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from converge.core.errors import ConvergeError
from converge.core.forms import show_error

if TYPE_CHECKING:
    from converge.core.views import WorkspaceRequest


def posted(request: WorkspaceRequest) -> Any:
    """The POST data to bind a form to, or None for a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


def url_for(request: WorkspaceRequest, name: str, *args: Any) -> str:
    """``name`` reversed inside the request's workspace."""
    return reverse(name, args=[request.workspace.slug, *args])


def form_page(
    request: WorkspaceRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    template: str,
    title: str,
    done: Callable[[Any], str],
    cancel: str,
    saved: str,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Validate, call the service, show its error beside the field, or redirect."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, saved)
            return redirect(done(obj))
    return render(
        request, template, {"form": form, "title": title, "cancel": cancel, **(extra or {})}
    )


def inline_post(
    request: WorkspaceRequest,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    *,
    saved: str,
    back: str,
    invalid: str | None = None,
) -> HttpResponse:
    """A small form posted from a detail page: call the service, say how it went, go back.
    ``invalid`` is the message for input that does not validate; by default each field's
    errors are listed."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
            messages.success(request, saved)
        except ConvergeError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(
            request,
            invalid
            or "; ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(str(m) for m in e)}"
                for f, e in form.errors.items()
            ),
        )
    return redirect(back)
