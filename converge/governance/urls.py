"""Governance pages (the operating rhythm), under /w/<slug>/governance/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
