"""Reports pages, under /w/<slug>/reports/."""

from django.urls import path

from converge.reports import views

urlpatterns = [
    path("", views.home, name="reports_home"),
    path("cases/new/", views.case_edit, name="reports_case_new"),
    path("cases/<uuid:business_case>/", views.case_detail, name="reports_case"),
    path("cases/<uuid:business_case>/edit/", views.case_edit, name="reports_case_edit"),
    path("cases/<uuid:business_case>/delete/", views.case_delete, name="reports_case_delete"),
    path("cases/<uuid:business_case>/case.pdf", views.case_pdf, name="reports_case_pdf"),
    path("cases/<uuid:business_case>/case.pptx", views.case_pptx, name="reports_case_pptx"),
]
