"""The "why" decomposition: the channels' parts add up exactly to the change, for sums and for
ratios (rate and mix effects), on cases computed by hand; and the change in plain words."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from converge.measurement.catalogue import BY_KEY
from converge.measurement.why import (
    Contributor,
    Parts,
    Words,
    decompose,
    explain,
    period_total,
)

D = Decimal
RATE = BY_KEY["engagement_rate_reach"]  # Σ engagements ÷ Σ reach × 100
CLICKS = BY_KEY["link_clicks"]
NAMES = {"li": "LinkedIn", "ig": "Instagram", "fb": "Facebook"}


def test_a_sums_change_is_the_sum_of_each_channels_change() -> None:
    before = {"li": Parts(D(100)), "ig": Parts(D(300))}
    after = {"li": Parts(D(150)), "ig": Parts(D(260)), "fb": Parts(D(90))}
    why = decompose(CLICKS, before, after)
    assert (why.before, why.after, why.change) == (D(400), D(500), D(100))
    parts = {c.channel: (c.before, c.after, c.effect, c.share) for c in why.channels}
    assert parts == {
        "fb": (None, D(90), D(90), D("90.0")),
        "li": (D(100), D(150), D(50), D("50.0")),
        "ig": (D(300), D(260), D(-40), D("-40.0")),
    }
    assert sum(c.effect for c in why.channels) == why.change
    assert [c.channel for c in why.channels] == ["fb", "li", "ig"]
    assert why.lead() is not None and why.lead().channel == "fb"  # type: ignore[union-attr]


def test_a_ratios_change_is_split_into_rate_and_mix_effects_that_add_up_exactly() -> None:
    # Before: LinkedIn 30 of 1,000 reached (3 %), Instagram 20 of 1,000 (2 %): 2.5 %.
    # After:  LinkedIn 10 of 1,000 (1 %), Instagram 60 of 3,000 (2 %): 70 of 4,000 = 1.75 %.
    # Weights: LinkedIn 0.5 → 0.25, Instagram 0.5 → 0.75; mean rate of both periods 2.125.
    # LinkedIn: rate (1 − 3) × (0.5 + 0.25)/2 = −0.75; mix (0.25 − 0.5) × (2 − 2.125) = 0.03125.
    # Instagram: rate (2 − 2) × 0.625 = 0;            mix (0.75 − 0.5) × (2 − 2.125) = −0.03125.
    before = {"li": Parts(D(30), D(1000)), "ig": Parts(D(20), D(1000))}
    after = {"li": Parts(D(10), D(1000)), "ig": Parts(D(60), D(3000))}
    why = decompose(RATE, before, after)
    assert (why.before, why.after, why.change) == (D("2.5"), D("1.75"), D("-0.75"))
    li, ig = why.channels
    assert (li.channel, li.rate_effect, li.mix_effect) == ("li", D("-0.75"), D("0.03125"))
    assert (ig.channel, ig.rate_effect, ig.mix_effect) == ("ig", D(0), D("-0.03125"))
    assert (li.before, li.after, li.weight_before, li.weight_after) == (
        D(3),
        D(1),
        D(50),
        D(25),
    )
    assert li.share == D("95.8") and ig.share == D("4.2")
    assert sum(c.rate_effect + c.mix_effect for c in why.channels) == why.change


def test_a_channel_that_is_new_in_the_current_period_is_all_mix() -> None:
    # Before: only Instagram, 20 of 1,000 (2 %). After: Instagram 20 of 1,000, Facebook 10 of
    # 1,000 (1 %): 30 of 2,000 = 1.5 %. Facebook's weight 0 → 0.5 at a rate of 1 % against a
    # mean of (2 + 1.5)/2 = 1.75: mix 0.5 × (1 − 1.75) = −0.375; Instagram's weight 1 → 0.5 at
    # 2 %: mix −0.5 × (2 − 1.75) = −0.125; no rate effects. −0.375 − 0.125 = −0.5.
    why = decompose(
        RATE,
        {"ig": Parts(D(20), D(1000))},
        {
            "ig": Parts(D(20), D(1000)),
            "fb": Parts(D(10), D(1000)),
        },
    )
    effects = {c.channel: (c.rate_effect, c.mix_effect) for c in why.channels}
    assert effects == {"fb": (D(0), D("-0.375")), "ig": (D(0), D("-0.125"))}
    assert why.change == D("-0.5")


def test_rounded_parts_of_a_ratio_still_add_up_to_the_rounded_change() -> None:
    # Thirds and sevenths never end in decimals: the parts are rounded so their sum is exact.
    before = {"a": Parts(D(1), D(3)), "b": Parts(D(2), D(7)), "c": Parts(D(5), D(11))}
    after = {"a": Parts(D(2), D(3)), "b": Parts(D(1), D(7)), "c": Parts(D(4), D(13))}
    why = decompose(RATE, before, after)
    assert why.change is not None
    assert sum(c.rate_effect + c.mix_effect for c in why.channels) == why.change
    exact = period_total(RATE, after.values()) - period_total(RATE, before.values())  # type: ignore[operator]
    assert abs(Fraction(why.change) - exact) <= Fraction(1, 10**6)
    assert why.before == D("38.095238")  # 8 ÷ 21 × 100, rounded to six places


def test_a_mean_of_the_days_is_split_like_a_ratio_of_the_sum_over_the_days() -> None:
    # Response time: Facebook 10 days averaging 100 min, X 10 days at 200 → 150 min.
    # Then Facebook 20 days at 40, X 10 days at 100 → (800 + 1,000) ÷ 30 = 60 min.
    metric = BY_KEY["median_first_response_time"]
    before = {"fb": Parts(D(1000), D(10)), "x": Parts(D(2000), D(10))}
    after = {"fb": Parts(D(800), D(20)), "x": Parts(D(1000), D(10))}
    why = decompose(metric, before, after)
    assert (why.before, why.after) == (D(150), D(60))
    assert sum(c.effect for c in why.channels) == D(-90)
    # Facebook: rate (40 − 100) × (0.5 + 2/3)/2 = −35; mix (2/3 − 1/2) × (70 − 105) = −35/6.
    fb = next(c for c in why.channels if c.channel == "fb")
    assert fb.rate_effect == D("-35.000000")
    assert fb.mix_effect == D("-5.833333")


def test_nothing_to_compare_without_a_base() -> None:
    why = decompose(RATE, {"ig": Parts(D(5), D(0))}, {"ig": Parts(D(5), D(100))})
    assert why.before is None and why.change is None and not why.channels
    assert "not enough figures" in explain(
        why, name="Engagement rate", channel_names={}, words=Words()
    )


def test_the_change_of_a_ratio_in_plain_english() -> None:
    before = {"li": Parts(D(30), D(1000)), "ig": Parts(D(20), D(1000))}
    after = {"li": Parts(D(10), D(1000)), "ig": Parts(D(60), D(3000))}
    text = explain(
        decompose(RATE, before, after),
        name="Engagement rate by reach",
        channel_names=NAMES,
        words=Words(),
        base_name="Reach",
    )
    assert text == (
        "Engagement rate by reach fell by 0.75 points, from 2.50% to 1.75%. "
        "96% of the fall came from LinkedIn, where the rate itself went from 3.00% to 1.00%."
    )


def test_a_shift_of_weight_is_told_as_mix() -> None:
    # Both rates stay (LinkedIn 3 %, Instagram 1 %); Instagram grows from half the reach to 80 %
    # of it: 2 % → 1.4 %, mean 1.7. Mix: LinkedIn (0.2 − 0.5) × (3 − 1.7) = −0.39 (65 % of the
    # fall: a high-rate channel lost weight), Instagram (0.8 − 0.5) × (1 − 1.7) = −0.21.
    before = {"li": Parts(D(30), D(1000)), "ig": Parts(D(10), D(1000))}
    after = {"li": Parts(D(30), D(1000)), "ig": Parts(D(40), D(4000))}
    text = explain(
        decompose(RATE, before, after),
        name="Engagement rate by reach",
        channel_names=NAMES,
        words=Words(),
        base_name="Reach",
    )
    assert text.startswith("Engagement rate by reach fell by 0.60 points, from 2.00% to 1.40%.")
    assert text.endswith(
        "65% of the fall came from LinkedIn, whose share of the reach went from 50% to 20%."
    )


def test_the_change_of_a_sum_in_plain_english_with_its_top_posts() -> None:
    before = {"li": Parts(D(100)), "ig": Parts(D(300))}
    after = {"li": Parts(D(150)), "ig": Parts(D(260)), "fb": Parts(D(90))}
    posts = [
        Contributor("Spring boots are here", "Facebook", D(60), D(40), D(60)),
        Contributor("", "LinkedIn", D(1500), D(30), None),
    ]
    text = explain(
        decompose(CLICKS, before, after),
        name="Link clicks",
        channel_names=NAMES,
        words=Words(),
        posts=posts,
        posts_name="Link clicks",
    )
    assert text == (
        "Link clicks rose by 100, from 400 to 500. 90% of the rise came from Facebook (90). "
        "The 2 posts of the period with the most link clicks: “Spring boots are here” on "
        "Facebook (60); a post without text on LinkedIn (1,500)."
    )


def test_no_change_is_said_plainly() -> None:
    why = decompose(CLICKS, {"li": Parts(D(5))}, {"li": Parts(D(5))})
    assert explain(why, name="Link clicks", channel_names=NAMES, words=Words()) == (
        "Link clicks did not change: 5 in both periods."
    )


def test_a_channel_that_moved_more_than_the_whole_is_told_with_the_others_offsetting() -> None:
    # 400 → 500: LinkedIn +300 (300 % of the rise), Instagram −200.
    why = decompose(
        CLICKS,
        {"li": Parts(D(100)), "ig": Parts(D(300))},
        {"li": Parts(D(400)), "ig": Parts(D(100))},
    )
    assert explain(why, name="Link clicks", channel_names=NAMES, words=Words()) == (
        "Link clicks rose by 100, from 400 to 500. 300% of the rise came from LinkedIn (300). "
        "The other channels together moved the other way."
    )
