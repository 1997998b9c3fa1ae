"""URLs of the review pages, under /w/<slug>/budget/."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
