"""The maturity model as data: ``model.yaml`` read and validated into frozen dataclasses.

``load`` refuses a model with an unknown rule, a duplicate id, a bad stage or a bad success
factor, raising ``ImproperlyConfigured`` with a message naming the offending entry; the app's
``ready()`` calls it at start-up, so a broken model stops Converge from starting."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

PATH = Path(__file__).resolve().parent / "model.yaml"
STAGES = ("planning", "presence", "engagement", "formalized", "strategic", "converged")
FACTORS = (
    "business_goals",
    "long_term_vision",
    "executive_support",
    "roadmap",
    "governance",
    "staff_resources",
    "technology",
)
LANGUAGES = ("en", "sv")


def _text(texts: Mapping[str, str]) -> str:
    language = (get_language() or "en")[:2]
    return texts.get(language) or texts["en"]


@dataclass(frozen=True)
class Criterion:
    id: str
    stage: int  # 1 = Planning … 6 = Converged
    factors: tuple[str, ...]
    priority: int
    source: str
    titles: Mapping[str, str]
    whys: Mapping[str, str]
    nexts: Mapping[str, str]
    rule: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def self_assessed(self) -> bool:
        return self.rule is None

    @property
    def title(self) -> str:
        return _text(self.titles)

    @property
    def why(self) -> str:
        return _text(self.whys)

    @property
    def next_step(self) -> str:
        return _text(self.nexts)


@dataclass(frozen=True)
class MaturityModel:
    version: int
    criteria: tuple[Criterion, ...]

    def by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    def of_stage(self, stage: int) -> list[Criterion]:
        return [c for c in self.criteria if c.stage == stage]


def _fail(entry: str, message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Maturity model: {entry}: {message}")


def _texts(raw: Any, entry: str, key: str) -> dict[str, str]:
    if not isinstance(raw, dict) or any(not str(raw.get(lang) or "").strip() for lang in LANGUAGES):
        raise _fail(entry, f"{key!r} needs a text for each of {', '.join(LANGUAGES)}")
    return {lang: str(raw[lang]).strip() for lang in LANGUAGES}


def parse(data: Any, rule_names: Collection[str]) -> MaturityModel:
    """The model from already-read YAML data, checked against the known rule names."""
    if not isinstance(data, dict):
        raise _fail("file", "expected a mapping with version and criteria")
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise _fail("version", "expected a positive whole number")
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not raw_criteria:
        raise _fail("criteria", "expected a non-empty list")
    seen: set[str] = set()
    criteria: list[Criterion] = []
    for index, raw in enumerate(raw_criteria):
        if not isinstance(raw, dict) or not str(raw.get("id") or "").strip():
            raise _fail(f"criterion #{index + 1}", "has no id")
        cid = str(raw["id"]).strip()
        entry = f"criterion {cid!r}"
        if cid in seen:
            raise _fail(entry, "duplicate id")
        seen.add(cid)
        stage = raw.get("stage")
        if stage not in STAGES:
            raise _fail(entry, f"bad stage {stage!r}; expected one of {', '.join(STAGES)}")
        factors = raw.get("factors")
        if not isinstance(factors, list) or not factors:
            raise _fail(entry, "needs at least one success factor")
        for factor in factors:
            if factor not in FACTORS:
                raise _fail(
                    entry, f"bad success factor {factor!r}; expected one of {', '.join(FACTORS)}"
                )
        rule = raw.get("rule")
        self_assessed = raw.get("self_assessed") is True
        if bool(rule) == self_assessed:
            raise _fail(entry, "needs either a rule or self_assessed: true (not both)")
        if rule and rule not in rule_names:
            raise _fail(entry, f"unknown rule {rule!r}")
        params = raw.get("params") or {}
        if not isinstance(params, dict):
            raise _fail(entry, "params must be a mapping")
        if not str(raw.get("source") or "").strip():
            raise _fail(entry, "needs a source")
        priority = raw.get("priority", 2)
        if priority not in (1, 2, 3):
            raise _fail(entry, "priority must be 1, 2 or 3")
        criteria.append(
            Criterion(
                id=cid,
                stage=STAGES.index(stage) + 1,
                factors=tuple(factors),
                priority=priority,
                source=str(raw["source"]).strip(),
                titles=_texts(raw.get("title"), entry, "title"),
                whys=_texts(raw.get("why"), entry, "why"),
                nexts=_texts(raw.get("next"), entry, "next"),
                rule=rule or None,
                params=params,
            )
        )
    for number, stage in enumerate(STAGES, start=1):
        if not any(c.stage == number for c in criteria):
            raise _fail(f"stage {stage!r}", "has no criteria")
    return MaturityModel(version=version, criteria=tuple(criteria))


def load(path: Path = PATH, rule_names: Collection[str] | None = None) -> MaturityModel:
    from converge.maturity.rules import RULES

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail("file", f"not valid YAML: {exc}") from exc
    return parse(data, RULES.keys() if rule_names is None else rule_names)


_current: MaturityModel | None = None


def current() -> MaturityModel:
    """The model loaded at start-up (loaded now if start-up has not run, as in scripts)."""
    global _current
    if _current is None:
        _current = load()
    return _current


def set_current(model: MaturityModel) -> None:
    global _current
    _current = model
