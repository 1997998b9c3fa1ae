"""Evaluating a run into results: evidence (stored at the start) and the respondents' answers
combined, scored with ``scoring``. The same JSON-ready shape is shown for an open run and frozen
as the snapshot of a finished one, so a snapshot renders the same years later (criteria carry
their titles and next steps in both languages)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import translation
from django.utils.translation import get_language

from converge.core.models import Workspace
from converge.maturity import scoring
from converge.maturity.definition import FACTORS, LANGUAGES, Criterion, MaturityModel
from converge.maturity.rules import RULES

Results = dict[str, Any]


def evaluate_evidence(
    workspace: Workspace, model: MaturityModel, today: date
) -> dict[str, dict[str, Any]]:
    """Every evidence rule, with what was found in each language (a snapshot is read in
    either language long after the data changed)."""
    found: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for c in model.criteria:
                if c.rule is None:
                    continue
                evidence = RULES[c.rule](workspace, c.params, today)
                row = found.setdefault(c.id, {**evidence.as_dict(), "found": {}})
                row["found"][language] = evidence.found
    return found


def build(
    *,
    model: MaturityModel,
    evidence: Mapping[str, Mapping[str, Any]],
    answers: Mapping[str, list[dict[str, Any]]],
    links: Mapping[str, list[dict[str, Any]]],
    as_of: date,
) -> Results:
    """``answers``: criterion id → [{"name", "value", "note"}]; ``links``: criterion id →
    [{"kind", "title", "url", "status"}]."""
    rows: list[dict[str, Any]] = []
    met: dict[str, bool] = {}
    for c in model.criteria:
        row = _row(c)
        if c.rule is not None:
            found = dict(evidence.get(c.id) or {"met": False, "found": "", "url": None})
            row["evidence"] = found
            met[c.id] = bool(found.get("met"))
        else:
            given = answers.get(c.id, [])
            combined = scoring.combine(a["value"] for a in given)
            row["answers"] = given
            row["combined"] = {
                "value": combined.value,
                "disagree": combined.disagree,
                "counts": dict(combined.counts),
            }
            met[c.id] = combined.met
        row["met"] = met[c.id]
        row["links"] = list(links.get(c.id, []))
        rows.append(row)
    score = scoring.score(
        [scoring.Item(c.id, c.stage, c.factors, c.priority) for c in model.criteria], met, FACTORS
    )
    return {
        "model_version": model.version,
        "as_of": as_of.isoformat(),
        "stage": score.stage,
        "next_stage": score.next_stage,
        "progress": score.progress,
        "complete_stages": list(score.complete_stages),
        "gated": list(score.gated),
        "factors": dict(score.factors),
        "missing": list(score.missing),
        "criteria": rows,
    }


def _row(c: Criterion) -> dict[str, Any]:
    return {
        "id": c.id,
        "stage": c.stage,
        "factors": list(c.factors),
        "priority": c.priority,
        "kind": "rule" if c.rule else "self",
        "source": c.source,
        "title": dict(c.titles),
        "why": dict(c.whys),
        "next": dict(c.nexts),
    }


def text(texts: Mapping[str, str] | str) -> str:
    """A text in the current language (plain strings, as in older snapshots, as they are)."""
    if isinstance(texts, str):
        return texts
    return texts.get((get_language() or "en")[:2]) or texts.get("en", "")
