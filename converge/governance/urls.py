"""Governance pages (the operating rhythm), under /w/<slug>/governance/.

The operating model's pages (``converge.operating``) share this prefix; the paths here are
the home page and committees/, meetings/, decisions/, actions/, calendar/, reviews/."""

from django.urls import path

from converge.governance import views

urlpatterns = [
    path("", views.home, name="governance"),
    path("committees/", views.committee_list, name="governance_committees"),
    path("committees/new/", views.committee_edit, name="governance_committee_new"),
    path("committees/<uuid:committee>/", views.committee_detail, name="governance_committee"),
    path(
        "committees/<uuid:committee>/edit/",
        views.committee_edit,
        name="governance_committee_edit",
    ),
    path(
        "committees/<uuid:committee>/members/",
        views.committee_seat,
        name="governance_committee_seat",
    ),
    path(
        "committees/<uuid:committee>/members/<uuid:member>/remove/",
        views.committee_unseat,
        name="governance_committee_unseat",
    ),
    path(
        "committees/<uuid:committee>/schedule/",
        views.committee_schedule,
        name="governance_committee_schedule",
    ),
    path(
        "committees/<uuid:committee>/archive/",
        views.committee_archive,
        name="governance_committee_archive",
    ),
    path("meetings/<uuid:meeting>/", views.meeting_detail, name="governance_meeting"),
    path(
        "meetings/<uuid:meeting>/move/",
        views.meeting_reschedule,
        name="governance_meeting_move",
    ),
    path(
        "meetings/<uuid:meeting>/cancel/",
        views.meeting_cancel,
        name="governance_meeting_cancel",
    ),
    path("meetings/<uuid:meeting>/hold/", views.meeting_hold, name="governance_meeting_hold"),
    path("meetings/<uuid:meeting>/agenda/", views.agenda_add, name="governance_agenda_add"),
    path(
        "meetings/<uuid:meeting>/agenda/change/",
        views.agenda_change,
        name="governance_agenda_change",
    ),
    path(
        "meetings/<uuid:meeting>/attendance/",
        views.meeting_attendance,
        name="governance_attendance",
    ),
    path("meetings/<uuid:meeting>/minutes/", views.meeting_minutes, name="governance_minutes"),
    path(
        "meetings/<uuid:meeting>/decisions/",
        views.decision_add,
        name="governance_decision_add",
    ),
    path("meetings/<uuid:meeting>/actions/", views.action_add, name="governance_action_add"),
    path("decisions/", views.decision_list, name="governance_decisions"),
    path(
        "decisions/<uuid:decision>/edit/",
        views.decision_edit,
        name="governance_decision_edit",
    ),
    path("actions/", views.action_list, name="governance_actions"),
    path("actions/mine/", views.my_actions, name="governance_my_actions"),
    path(
        "actions/<uuid:item>/status/",
        views.action_status,
        name="governance_action_status",
    ),
    path("calendar/", views.calendar_page, name="governance_calendar"),
    path(
        "calendar/<uuid:feed>/rotate/",
        views.calendar_rotate,
        name="governance_calendar_rotate",
    ),
    path("reviews/", views.review_list, name="governance_reviews"),
    path("reviews/new/", views.review_edit, name="governance_review_new"),
    path("reviews/<uuid:review>/edit/", views.review_edit, name="governance_review_edit"),
    path("reviews/<uuid:review>/", views.review_detail, name="governance_review"),
    path(
        "reviews/<uuid:review>/adaptations/",
        views.adaptation_add,
        name="governance_adaptation_add",
    ),
    path(
        "reviews/<uuid:review>/adaptations/<uuid:adaptation>/remove/",
        views.adaptation_remove,
        name="governance_adaptation_remove",
    ),
]
