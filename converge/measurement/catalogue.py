"""The built-in metric catalogue: pure data, no Django. Keys are stable identifiers used by
importers, KPIs and the API; names come in English and Swedish.

Aggregation over time:
* ``sum``   — add the days (impressions, clicks, spend);
* ``mean``  — average of the days (rarely right; kept for scores reported per day);
* ``last``  — the last value in the period (followers);
* ``ratio`` — sum of the numerator metric ÷ sum of the denominator metric, never a mean of
  daily ratios (engagement rate = Σ engagements ÷ Σ reach).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language


@dataclass(frozen=True)
class MetricDef:
    key: str
    name_en: str
    name_sv: str
    unit: str  # count | percent | money | duration
    aggregation: str  # sum | mean | last | ratio
    amec: str  # output | outtake | outcome | impact
    definition: str
    source: str
    numerator: str | None = None
    denominator: str | None = None
    scale: int = 1  # 100 for ratios shown as percent
    own: bool = False  # defined by the workspace, not built in

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_sv if (get_language() or "en").startswith("sv") else self.name_en


AMEC = "AMEC Integrated Evaluation Framework"
DOMAIN = "Converge DOMAIN.md §5"

BUILT_IN: tuple[MetricDef, ...] = (
    MetricDef(
        "impressions",
        "Impressions",
        "Visningar",
        "count",
        "sum",
        "output",
        "Times content was shown, including repeat views by the same person.",
        DOMAIN,
    ),
    MetricDef(
        "reach",
        "Reach",
        "Räckvidd",
        "count",
        "sum",
        "output",
        "Unique people who saw content in the period (as reported by the platform per day).",
        DOMAIN,
    ),
    MetricDef(
        "engagements",
        "Engagements",
        "Engagemang",
        "count",
        "sum",
        "outtake",
        "Interactions with content: reactions, comments, shares, saves and clicks as the platform counts them.",
        DOMAIN,
    ),
    MetricDef(
        "engagement_rate_reach",
        "Engagement rate by reach",
        "Engagemangsgrad per räckvidd",
        "percent",
        "ratio",
        "outtake",
        "Engagements ÷ reach.",
        DOMAIN,
        "engagements",
        "reach",
        100,
    ),
    MetricDef(
        "engagement_rate_impressions",
        "Engagement rate by impressions",
        "Engagemangsgrad per visning",
        "percent",
        "ratio",
        "outtake",
        "Engagements ÷ impressions.",
        DOMAIN,
        "engagements",
        "impressions",
        100,
    ),
    MetricDef(
        "engagement_rate_followers",
        "Engagement rate by followers",
        "Engagemangsgrad per följare",
        "percent",
        "ratio",
        "outtake",
        "Engagements ÷ followers.",
        DOMAIN,
        "engagements",
        "followers",
        100,
    ),
    MetricDef(
        "followers",
        "Followers",
        "Följare",
        "count",
        "last",
        "output",
        "Followers at the end of the day.",
        DOMAIN,
    ),
    MetricDef(
        "net_follower_growth",
        "Net follower growth",
        "Nettotillväxt av följare",
        "count",
        "sum",
        "output",
        "New followers minus lost followers.",
        DOMAIN,
    ),
    MetricDef(
        "new_followers",
        "New followers",
        "Nya följare",
        "count",
        "sum",
        "output",
        "People who started following in the period, without subtracting those who left "
        "(gross follows; as in Meta's Follows chart and X's New follows).",
        "Meta Business Suite Follows chart; X account analytics; TikTok Studio",
    ),
    MetricDef(
        "link_clicks",
        "Link clicks",
        "Länkklick",
        "count",
        "sum",
        "outtake",
        "Clicks on links in content.",
        DOMAIN,
    ),
    MetricDef(
        "ctr",
        "Click-through rate",
        "Klickfrekvens",
        "percent",
        "ratio",
        "outtake",
        "Link clicks ÷ impressions.",
        DOMAIN,
        "link_clicks",
        "impressions",
        100,
    ),
    MetricDef(
        "video_views",
        "Video views",
        "Videovisningar",
        "count",
        "sum",
        "output",
        "Video plays as the platform counts them (thresholds differ by platform).",
        DOMAIN,
    ),
    MetricDef(
        "comments",
        "Comments",
        "Kommentarer",
        "count",
        "sum",
        "outtake",
        "Comments and replies on content.",
        DOMAIN,
    ),
    MetricDef(
        "shares",
        "Shares",
        "Delningar",
        "count",
        "sum",
        "outtake",
        "Shares, reposts and retweets.",
        DOMAIN,
    ),
    MetricDef(
        "likes",
        "Likes",
        "Gilla-markeringar",
        "count",
        "sum",
        "outtake",
        "Likes and reactions.",
        DOMAIN,
    ),
    MetricDef(
        "posts",
        "Posts published",
        "Publicerade inlägg",
        "count",
        "sum",
        "output",
        "Posts published on the channel.",
        DOMAIN,
    ),
    MetricDef(
        "conversation_rate",
        "Conversation rate",
        "Konversationsgrad",
        "count",
        "ratio",
        "outtake",
        "Comments per post (Kaushik).",
        "Avinash Kaushik, Occam's Razor",
        "comments",
        "posts",
    ),
    MetricDef(
        "amplification_rate",
        "Amplification rate",
        "Förstärkningsgrad",
        "count",
        "ratio",
        "outtake",
        "Shares per post (Kaushik).",
        "Avinash Kaushik, Occam's Razor",
        "shares",
        "posts",
    ),
    MetricDef(
        "applause_rate",
        "Applause rate",
        "Applådgrad",
        "count",
        "ratio",
        "outtake",
        "Likes per post (Kaushik).",
        "Avinash Kaushik, Occam's Razor",
        "likes",
        "posts",
    ),
    MetricDef(
        "mentions",
        "Mentions",
        "Omnämnanden",
        "count",
        "sum",
        "outtake",
        "Times the brand was mentioned.",
        DOMAIN,
    ),
    MetricDef(
        "competitor_mentions",
        "Competitor mentions",
        "Omnämnanden av konkurrenter",
        "count",
        "sum",
        "outtake",
        "Mentions of the competitors tracked.",
        DOMAIN,
    ),
    MetricDef(
        "share_of_voice",
        "Share of voice",
        "Andel av rösterna",
        "percent",
        "ratio",
        "outtake",
        "Brand mentions ÷ (brand + competitor mentions).",
        DOMAIN,
        "mentions",
        "all_mentions",
        100,
    ),
    MetricDef(
        "all_mentions",
        "Mentions, brand and competitors",
        "Omnämnanden, varumärke och konkurrenter",
        "count",
        "sum",
        "outtake",
        "Brand mentions plus competitor mentions.",
        DOMAIN,
    ),
    MetricDef(
        "positive_mentions",
        "Positive mentions",
        "Positiva omnämnanden",
        "count",
        "sum",
        "outtake",
        "Mentions classified positive.",
        DOMAIN,
    ),
    MetricDef(
        "negative_mentions",
        "Negative mentions",
        "Negativa omnämnanden",
        "count",
        "sum",
        "outtake",
        "Mentions classified negative.",
        DOMAIN,
    ),
    MetricDef(
        "net_sentiment",
        "Net sentiment",
        "Nettosentiment",
        "percent",
        "ratio",
        "outtake",
        "(Positive − negative) ÷ (positive + negative) mentions.",
        DOMAIN,
        "sentiment_balance",
        "sentiment_total",
        100,
    ),
    MetricDef(
        "sentiment_balance",
        "Positive minus negative mentions",
        "Positiva minus negativa omnämnanden",
        "count",
        "sum",
        "outtake",
        "Positive mentions minus negative mentions.",
        DOMAIN,
    ),
    MetricDef(
        "sentiment_total",
        "Positive plus negative mentions",
        "Positiva plus negativa omnämnanden",
        "count",
        "sum",
        "outtake",
        "Positive mentions plus negative mentions.",
        DOMAIN,
    ),
    MetricDef(
        "inbound_messages",
        "Inbound messages needing a reply",
        "Inkommande meddelanden som kräver svar",
        "count",
        "sum",
        "outtake",
        "Messages and comments that need an answer.",
        DOMAIN,
    ),
    MetricDef(
        "responses",
        "Messages answered",
        "Besvarade meddelanden",
        "count",
        "sum",
        "output",
        "Inbound messages that got an answer.",
        DOMAIN,
    ),
    MetricDef(
        "response_rate",
        "Response rate",
        "Svarsfrekvens",
        "percent",
        "ratio",
        "outcome",
        "Messages answered ÷ inbound messages needing a reply.",
        DOMAIN,
        "responses",
        "inbound_messages",
        100,
    ),
    MetricDef(
        "median_first_response_time",
        "Median first response time",
        "Median för första svarstid",
        "duration",
        "mean",
        "outcome",
        "Median minutes to the first answer, per day (the period shows the mean of daily medians).",
        DOMAIN,
    ),
    MetricDef(
        "leads", "Leads", "Leads", "count", "sum", "outcome", "Leads attributed to social.", DOMAIN
    ),
    MetricDef(
        "conversions",
        "Conversions",
        "Konverteringar",
        "count",
        "sum",
        "outcome",
        "Purchases or sign-ups attributed to social.",
        DOMAIN,
    ),
    MetricDef(
        "attributed_revenue",
        "Attributed revenue",
        "Tillskriven intäkt",
        "money",
        "sum",
        "impact",
        "Revenue attributed to social by the web analytics or CRM.",
        DOMAIN,
    ),
    MetricDef(
        "cost_savings",
        "Cost savings",
        "Kostnadsbesparingar",
        "money",
        "sum",
        "impact",
        "Costs avoided, e.g. cases solved on social instead of by phone.",
        DOMAIN,
    ),
    MetricDef(
        "spend",
        "Spend",
        "Kostnad",
        "money",
        "sum",
        "output",
        "Money spent (paid social, tools, production).",
        DOMAIN,
    ),
    MetricDef(
        "results",
        "Results",
        "Resultat",
        "count",
        "sum",
        "outcome",
        "The outcome a campaign paid for (leads, purchases…).",
        DOMAIN,
    ),
    MetricDef(
        "cost_per_result",
        "Cost per result",
        "Kostnad per resultat",
        "money",
        "ratio",
        "outcome",
        "Spend ÷ results.",
        DOMAIN,
        "spend",
        "results",
    ),
    MetricDef(
        "profile_visits",
        "Profile visits",
        "Profilbesök",
        "count",
        "sum",
        "outtake",
        "Visits to the account's profile or page.",
        DOMAIN,
    ),
    MetricDef(
        "saves",
        "Saves",
        "Sparade",
        "count",
        "sum",
        "outtake",
        "Times content was saved or bookmarked.",
        DOMAIN,
    ),
    MetricDef(
        "watch_time_minutes",
        "Watch time (minutes)",
        "Visningstid (minuter)",
        "duration",
        "sum",
        "outtake",
        "Minutes of video watched.",
        DOMAIN,
    ),
)

BY_KEY: dict[str, MetricDef] = {m.key: m for m in BUILT_IN}

UNITS = ("count", "percent", "money", "duration")
AGGREGATIONS = ("sum", "mean", "last", "ratio")
AMEC_STAGES = ("output", "outtake", "outcome", "impact")


def derived_value(
    metric: MetricDef, numerator_total: Decimal | None, denominator_total: Decimal | None
) -> Decimal | None:
    """A derived (ratio) metric's value over a period: the numerator's total ÷ the
    denominator's total, times the metric's scale (100 for percentages) — a ratio of sums,
    never a mean of daily ratios. ``None`` when either total is missing or the denominator is
    zero: there is no rate without a base."""
    if metric.aggregation != "ratio":
        raise ValueError(f"{metric.key} is not a derived metric.")
    if numerator_total is None or denominator_total is None or denominator_total == 0:
        return None
    return numerator_total * metric.scale / denominator_total


def reference_cycle(
    index: Mapping[str, MetricDef], key: str, numerator: str, denominator: str
) -> list[str] | None:
    """If ``key`` were defined as ``numerator`` ÷ ``denominator``, would a metric come to
    depend on itself? Returns the chain (``["a", "b", "a"]``) or ``None``. Keys missing from
    ``index`` end a chain."""

    def parts(name: str) -> tuple[str, ...]:
        if name == key:
            return (numerator, denominator)
        metric = index.get(name)
        if metric is None or metric.aggregation != "ratio":
            return ()
        return tuple(k for k in (metric.numerator, metric.denominator) if k)

    def walk(name: str, path: list[str]) -> list[str] | None:
        for part in parts(name):
            if part == key:
                return [*path, part]
            if part in path:
                continue
            found = walk(part, [*path, part])
            if found:
                return found
        return None

    return walk(key, [key])
