"""URLs of the review of current communication activities, under /w/<slug>/budget/review/."""

from django.urls import path

from converge.finance.review import views

urlpatterns = [
    path("review/", views.review, name="finance_review"),
    path("review/export.<str:fmt>", views.review_export, name="finance_review_export"),
    path("review/new/", views.activity_edit, name="finance_activity_new"),
    path("review/<uuid:comm_activity>/edit/", views.activity_edit, name="finance_activity_edit"),
    path(
        "review/<uuid:comm_activity>/review/",
        views.activity_review,
        name="finance_activity_review",
    ),
    path(
        "review/<uuid:comm_activity>/delete/",
        views.activity_delete,
        name="finance_activity_delete",
    ),
]
