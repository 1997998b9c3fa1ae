"""The maturity model file: the shipped one is valid; every kind of mistake stops start-up
with a message naming the offending entry."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from converge.maturity import definition
from converge.maturity.definition import FACTORS, STAGES, load, parse
from converge.maturity.rules import RULES

RAW: dict[str, Any] = yaml.safe_load(definition.PATH.read_text(encoding="utf-8"))


def broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(RAW)
    change(data)
    return data


def test_the_shipped_model_is_valid_and_versioned() -> None:
    model = load()
    assert model.version >= 1
    for stage in range(1, 7):
        assert 5 <= len(model.of_stage(stage)) <= 10
    assert {f for c in model.criteria for f in c.factors} == set(FACTORS)
    assert all(c.rule in RULES for c in model.criteria if not c.self_assessed)


def test_the_app_loaded_the_model_at_start_up() -> None:
    assert definition.current().version == RAW["version"]


def test_every_rule_in_the_registry_is_used_by_the_model() -> None:
    assert set(RULES) == {c.rule for c in load().criteria if c.rule}


def test_an_unknown_rule_is_refused() -> None:
    data = broken(lambda d: d["criteria"][0].update(rule="telepathy"))
    with pytest.raises(ImproperlyConfigured, match=r"planning-listening.*unknown rule 'telepathy'"):
        parse(data, RULES)


def test_a_duplicate_id_is_refused() -> None:
    data = broken(lambda d: d["criteria"][1].update(id=d["criteria"][0]["id"]))
    with pytest.raises(ImproperlyConfigured, match="'planning-listening': duplicate id"):
        parse(data, RULES)


def test_a_bad_stage_is_refused() -> None:
    data = broken(lambda d: d["criteria"][2].update(stage="enlightened"))
    with pytest.raises(
        ImproperlyConfigured, match=r"planning-competitors.*bad stage 'enlightened'"
    ):
        parse(data, RULES)


def test_a_bad_success_factor_is_refused() -> None:
    data = broken(lambda d: d["criteria"][3].update(factors=["luck"]))
    with pytest.raises(
        ImproperlyConfigured, match=r"planning-audiences.*bad success factor 'luck'"
    ):
        parse(data, RULES)


def test_a_criterion_with_both_a_rule_and_self_assessment_is_refused() -> None:
    data = broken(lambda d: d["criteria"][0].update(self_assessed=True))
    with pytest.raises(ImproperlyConfigured, match="either a rule or self_assessed"):
        parse(data, RULES)


def test_a_missing_translation_is_refused() -> None:
    data = broken(lambda d: d["criteria"][0]["title"].pop("sv"))
    with pytest.raises(ImproperlyConfigured, match="'planning-listening': 'title' needs a text"):
        parse(data, RULES)


def test_a_missing_version_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="version"):
        parse(broken(lambda d: d.pop("version")), RULES)


def test_a_stage_without_criteria_is_refused() -> None:
    data = broken(
        lambda d: d.update(criteria=[c for c in d["criteria"] if c["stage"] != "converged"])
    )
    with pytest.raises(ImproperlyConfigured, match="'converged': has no criteria"):
        parse(data, RULES)


def test_a_file_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match="not valid YAML"):
        load(path)


def test_the_stages_are_the_six_of_altimeter() -> None:
    assert STAGES == ("planning", "presence", "engagement", "formalized", "strategic", "converged")
