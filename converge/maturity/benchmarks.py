"""Benchmark sentences: the workspace's results set against the survey figures in DOMAIN.md
§2–§3 (Altimeter, State of Social Business 2013; Li & Solis, The Seven Success Factors of
Social Business Strategy, 2013), each with its citation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

STATE_2013 = gettext_lazy("Altimeter, State of Social Business 2013")
SEVEN_FACTORS = gettext_lazy(
    "Li & Solis, The Seven Success Factors of Social Business Strategy, 2013"
)


@dataclass(frozen=True)
class Benchmark:
    text: str
    source: str


def sentences(results: dict[str, Any]) -> list[Benchmark]:
    met = {row["id"]: row["met"] for row in results.get("criteria", [])}
    stage = int(results.get("stage", 0))
    out: list[Benchmark] = []

    def add(criterion: str, yes: str, no: str, source: Any) -> None:
        if criterion in met:
            out.append(Benchmark(yes if met[criterion] else no, str(source)))

    if stage >= 6:
        stage_text = _("Only 3% of companies are Converged — you are one of them.")
    elif stage == 5:
        stage_text = _("Only 17% of companies are at the strategic end — you are among them.")
    elif stage == 4:
        stage_text = _(
            "26% of companies have Formalized their social business, as you have; only about "
            "one in five has gone further."
        )
    elif stage == 3:
        stage_text = _("26% of companies are at Engagement — as you are.")
    elif stage == 2:
        stage_text = _("80% of companies are at Presence or beyond — so are you.")
    else:
        stage_text = _("80% of companies are at Presence or beyond — you are not there yet.")
    out.append(Benchmark(stage_text, str(STATE_2013)))
    add(
        "strategic-roadmap",
        _("Only 12% of companies have a social plan beyond next year — you do."),
        _("Only 12% of companies have a social plan beyond next year — you do not yet."),
        SEVEN_FACTORS,
    )
    add(
        "strategic-chain",
        _("34% say their social strategy is connected to business outcomes — yours is."),
        _("34% say their social strategy is connected to business outcomes — yours is not yet."),
        SEVEN_FACTORS,
    )
    add(
        "strategic-departments",
        _("28% have a holistic approach across departments — you do."),
        _("28% have a holistic approach across departments — you do not yet."),
        SEVEN_FACTORS,
    )
    add(
        "formalized-policy",
        _(
            "Only 18% say employees understand the policy well — at least 80% of yours "
            "acknowledged it."
        ),
        _(
            "Only 18% say employees understand the policy well — fewer than 80% of yours have "
            "acknowledged it."
        ),
        STATE_2013,
    )
    add(
        "formalized-education",
        _("22% give no training at all — you train every month."),
        _("22% give no training at all — your training is not yet monthly."),
        STATE_2013,
    )
    add(
        "engagement-team",
        _("78% have a dedicated social team — so do you."),
        _("78% have a dedicated social team — you do not yet."),
        STATE_2013,
    )
    add(
        "strategic-executives",
        _("About half say top executives are informed, engaged and aligned — yours are engaged."),
        _(
            "About half say top executives are informed, engaged and aligned — yours were not "
            "engaged in the last 90 days."
        ),
        SEVEN_FACTORS,
    )
    return out
