"""Operating-model pages (model, RACI, sponsor, policies, training), under /w/<slug>/governance/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
