"""Maturity pages, under /w/<slug>/maturity/."""

from django.urls import path

from converge.maturity import views

urlpatterns = [
    path("", views.home, name="maturity"),
    path("model/", views.model_page, name="maturity_model"),
    path("start/", views.start, name="maturity_start"),
    path("<uuid:assessment>/", views.detail, name="maturity_assessment"),
    path("<uuid:assessment>/answer/", views.answer, name="maturity_answer"),
    path("<uuid:assessment>/respondents/", views.respondents, name="maturity_respondents"),
    path("<uuid:assessment>/refresh/", views.refresh, name="maturity_refresh"),
    path("<uuid:assessment>/finish/", views.finish, name="maturity_finish"),
    path("<uuid:assessment>/pdf/", views.pdf, name="maturity_pdf"),
    path("gaps/<slug:criterion>/initiative/", views.gap_initiative, name="maturity_gap_initiative"),
    path("gaps/<slug:criterion>/action/", views.gap_action, name="maturity_gap_action"),
]
