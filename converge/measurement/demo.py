"""The demo's channels: where Nordvik Outdoor AB is on social, and which department owns each.
(Three years of daily figures and sample imports follow with the rest of Measurement.)"""

from __future__ import annotations

from datetime import date

from converge.core.models import Department, User, Workspace
from converge.measurement import services
from converge.measurement.models import Channel

CHANNELS = (
    (
        "instagram",
        "@nordvikoutdoor",
        "https://www.instagram.com/nordvikoutdoor",
        "Marketing",
        date(2016, 4, 1),
    ),
    (
        "facebook",
        "Nordvik Outdoor",
        "https://www.facebook.com/nordvikoutdoor",
        "Customer Service",
        date(2012, 9, 1),
    ),
    (
        "linkedin",
        "Nordvik Outdoor AB",
        "https://www.linkedin.com/company/nordvik-outdoor",
        "Sales",
        date(2017, 1, 15),
    ),
    ("x", "@nordvik", "https://x.com/nordvik", "PR & Communications", date(2013, 3, 1)),
    (
        "youtube",
        "@NordvikOutdoor",
        "https://www.youtube.com/@NordvikOutdoor",
        "Marketing",
        date(2018, 6, 1),
    ),
    (
        "tiktok",
        "@nordvik.outdoor",
        "https://www.tiktok.com/@nordvik.outdoor",
        "Marketing",
        date(2022, 5, 1),
    ),
)


def build_measurement_demo(workspace: Workspace, actor: User) -> None:
    departments = {d.name: d for d in Department.objects.filter(workspace=workspace)}
    for platform, handle, url, department, since in CHANNELS:
        if not Channel.objects.filter(
            workspace=workspace, platform=platform, handle=handle
        ).exists():
            services.channel_save(
                actor=actor,
                workspace=workspace,
                platform=platform,
                handle=handle,
                url=url,
                department=departments.get(department),
                active_from=since,
            )
