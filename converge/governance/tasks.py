"""Background work of governance: the daily reminders and keeping meetings scheduled ahead."""

from __future__ import annotations

from django_tasks import task

from converge.governance import services


@task()
def send_reminders() -> int:
    """E-mail the owners of actions due soon or overdue; each reminder goes out once."""
    return services.reminders_send()


@task()
def schedule_meetings() -> int:
    """Materialise every live committee's next meetings (idempotent)."""
    return services.meetings_materialise_all()
