"""Scoring on hand-built models: gated stages, progress, success factors, combined answers."""

from __future__ import annotations

from converge.maturity.scoring import Item, combine, score

FACTORS = ("goals", "people")
# Two criteria per stage; the second of each also serves "people".
ITEMS = [
    item
    for stage in range(1, 7)
    for item in (
        Item(f"s{stage}a", stage, ("goals",), priority=2),
        Item(f"s{stage}b", stage, ("goals", "people"), priority=1),
    )
]


def met_up_to(
    stage: int, *, except_: tuple[str, ...] = (), extra: tuple[str, ...] = ()
) -> dict[str, bool]:
    met = {i.id: i.stage <= stage for i in ITEMS}
    met.update({i: False for i in except_})
    met.update({i: True for i in extra})
    return met


def test_nothing_met_is_not_even_planning() -> None:
    result = score(ITEMS, {}, FACTORS)
    assert result.stage == 0
    assert result.next_stage == 1
    assert result.progress == 0
    assert result.factors == {"goals": 0, "people": 0}


def test_every_stage_is_reached_when_its_criteria_and_the_earlier_ones_are_met() -> None:
    for stage in range(1, 7):
        result = score(ITEMS, met_up_to(stage), FACTORS)
        assert result.stage == stage
        assert result.next_stage == (stage + 1 if stage < 6 else None)


def test_all_met_but_one_stays_one_stage_below() -> None:
    for stage in range(1, 7):
        result = score(ITEMS, met_up_to(stage, except_=(f"s{stage}a",)), FACTORS)
        assert result.stage == stage - 1
        assert result.progress == 50
        assert result.missing == (f"s{stage}a",)


def test_a_later_stage_met_while_an_earlier_is_not_is_gated() -> None:
    met = met_up_to(5, except_=("s3b",))
    result = score(ITEMS, met, FACTORS)
    assert result.stage == 2
    assert result.complete_stages == (1, 2, 4, 5)
    assert result.gated == (4, 5)
    assert result.missing == ("s3b",)


def test_progress_counts_only_the_next_stage() -> None:
    result = score(ITEMS, met_up_to(2, extra=("s3b", "s5a", "s5b")), FACTORS)
    assert result.stage == 2
    assert result.progress == 50


def test_converged_has_no_next_stage_and_full_progress() -> None:
    result = score(ITEMS, met_up_to(6), FACTORS)
    assert (result.stage, result.next_stage, result.progress, result.missing) == (6, None, 100, ())
    assert result.factors == {"goals": 100, "people": 100}


def test_missing_criteria_come_in_priority_order() -> None:
    result = score(ITEMS, met_up_to(3), FACTORS)
    assert result.missing == ("s4b", "s4a")  # s4b has priority 1


def test_factor_scores_are_the_share_of_their_criteria_met() -> None:
    result = score(ITEMS, met_up_to(3), FACTORS)
    assert result.factors == {"goals": 50, "people": 50}
    result = score(ITEMS, {"s1b": True}, FACTORS)
    assert result.factors == {"goals": 8, "people": 16}  # 1/12 and 1/6, rounded down


def test_a_factor_no_criterion_serves_has_no_score() -> None:
    assert score(ITEMS, {}, ("goals", "technology")).factors["technology"] is None


def test_unknown_ids_in_the_answers_are_ignored() -> None:
    assert score(ITEMS, {"nonsense": True}, FACTORS).stage == 0


def test_a_combined_answer_is_met_only_when_everyone_says_yes() -> None:
    assert combine(["yes", "yes", "yes"]).met
    assert not combine(["yes", "partly"]).met
    assert not combine(["yes", "no", "yes"]).met


def test_partly_counts_as_not_met() -> None:
    combined = combine(["partly"])
    assert combined.value == "partly"
    assert not combined.met


def test_no_answers_are_not_met_and_do_not_disagree() -> None:
    combined = combine([])
    assert combined.value is None
    assert not combined.met
    assert not combined.disagree


def test_respondents_disagree_when_they_give_different_answers() -> None:
    combined = combine(["yes", "partly", "no", "yes"])
    assert combined.disagree
    assert combined.value == "no"
    assert combined.counts == {"yes": 2, "partly": 1, "no": 1}
    assert not combine(["no", "no"]).disagree
