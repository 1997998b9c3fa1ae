"""URLs of the budget pages, under /w/<slug>/budget/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
