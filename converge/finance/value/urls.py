"""URLs of the value pages, under /w/<slug>/budget/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
