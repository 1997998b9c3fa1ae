"""Background work of the operating model: policy reminders."""

from __future__ import annotations

from django_tasks import task

from converge.operating import services


@task()
def send_policy_reminders(after_days: int | None = None, base_url: str = "") -> int:
    """E-mail, once per person and version, everyone who has not acknowledged a policy."""
    return services.policy_reminders_send(after_days=after_days, base_url=base_url)
