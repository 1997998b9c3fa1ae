"""Budget & ROI pages, under /w/<slug>/budget/: the budget and spend (``budget``), the value
model, ROI and scenarios (``value``), and the review of communication activities (``review``)."""

from django.urls import include, path

urlpatterns = [
    path("", include("converge.finance.budget.urls")),
    path("", include("converge.finance.value.urls")),
    path("", include("converge.finance.review.urls")),
]
