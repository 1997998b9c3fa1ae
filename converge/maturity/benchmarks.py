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
        stage_text = _("Only %(p1)s of companies are Converged — you are one of them.") % {
            "p1": "3%"
        }
    elif stage == 5:
        stage_text = _(
            "Only %(p1)s of companies are at the strategic end — you are among them."
        ) % {"p1": "17%"}
    elif stage == 4:
        stage_text = _(
            "%(p1)s of companies have Formalized their social business, as you have; only about "
            "one in five has gone further."
        ) % {"p1": "26%"}
    elif stage == 3:
        stage_text = _("%(p1)s of companies are at Engagement — as you are.") % {"p1": "26%"}
    elif stage == 2:
        stage_text = _("%(p1)s of companies are at Presence or beyond — so are you.") % {
            "p1": "80%"
        }
    else:
        stage_text = _("%(p1)s of companies are at Presence or beyond — you are not there yet.") % {
            "p1": "80%"
        }
    out.append(Benchmark(stage_text, str(STATE_2013)))
    add(
        "strategic-roadmap",
        _("Only %(p1)s of companies have a social plan beyond next year — you do.") % {"p1": "12%"},
        _("Only %(p1)s of companies have a social plan beyond next year — you do not yet.")
        % {"p1": "12%"},
        SEVEN_FACTORS,
    )
    add(
        "strategic-chain",
        _("%(p1)s say their social strategy is connected to business outcomes — yours is.")
        % {"p1": "34%"},
        _("%(p1)s say their social strategy is connected to business outcomes — yours is not yet.")
        % {"p1": "34%"},
        SEVEN_FACTORS,
    )
    add(
        "strategic-departments",
        _("%(p1)s have a holistic approach across departments — you do.") % {"p1": "28%"},
        _("%(p1)s have a holistic approach across departments — you do not yet.") % {"p1": "28%"},
        SEVEN_FACTORS,
    )
    add(
        "formalized-policy",
        _(
            "Only %(p1)s say employees understand the policy well — at least %(p2)s of yours "
            "acknowledged it."
        )
        % {"p1": "18%", "p2": "80%"},
        _(
            "Only %(p1)s say employees understand the policy well — fewer than %(p2)s of "
            "yours have acknowledged it."
        )
        % {"p1": "18%", "p2": "80%"},
        STATE_2013,
    )
    add(
        "formalized-education",
        _("%(p1)s give no training at all — you train every month.") % {"p1": "22%"},
        _("%(p1)s give no training at all — your training is not yet monthly.") % {"p1": "22%"},
        STATE_2013,
    )
    add(
        "engagement-team",
        _("%(p1)s have a dedicated social team — so do you.") % {"p1": "78%"},
        _("%(p1)s have a dedicated social team — you do not yet.") % {"p1": "78%"},
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
