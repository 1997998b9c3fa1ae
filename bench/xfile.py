"""A generated legacy X tweet-activity export: the real 40-column layout of
``tweet_activity_metrics_<handle>_<from>_<to>_en.csv`` (as in shared/data), newest first,
19-digit ids, metrics written as ``"8.0"``, promoted columns ``"-"``, tweet texts with commas,
quotes, line breaks, emoji and Swedish letters. Deterministic for a given row count."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements",
    "engagement rate", "retweets", "replies", "likes", "user profile clicks", "url clicks",
    "hashtag clicks", "detail expands", "permalink clicks", "app opens", "app installs",
    "follows", "email tweet", "dial phone", "media views", "media engagements",
    "promoted impressions", "promoted engagements", "promoted engagement rate",
    "promoted retweets", "promoted replies", "promoted likes", "promoted user profile clicks",
    "promoted url clicks", "promoted hashtag clicks", "promoted detail expands",
    "promoted permalink clicks", "promoted app opens", "promoted app installs",
    "promoted follows", "promoted email tweet", "promoted dial phone", "promoted media views",
    "promoted media engagements",
]  # fmt: skip
WORDS = [
    "our",
    "new",
    "service",
    "launches",
    "today,",
    "read",
    "more",
    "on",
    "the",
    "blog;",
    "customers",
    "in",
    "Malmö",
    "and",
    "Göteborg",
    "asked",
    "for",
    "it",
    '"loud',
    "and",
    'clear"',
    "—",
    "thank",
    "you",
    "🙌",
    "#nordvik",
    "@partner",
    "stream",
    "replay",
    "at",
    "18:00",
    "survey",
    "results",
    "inside:",
    "62%",
    "prefer",
    "chat",
    "over",
    "phone,",
    "see",
    "the",
    "thread",
    "👇",
    "kundtjänst",
    "öppnar",
    "kl",
    "08",
    "we",
    "are",
    "hiring",
    "engineers",
    "in",
    "Stockholm",
    "apply",
    "by",
    "Friday",
]
SNOWFLAKE_EPOCH_MS = 1288834974657


def generate(path: Path, rows: int, handle: str = "nordvik", seed: int = 7) -> Path:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    moment = datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    step = timedelta(seconds=max(1, int(3 * 365 * 86400 / max(rows, 1))))
    with path.open("w", newline="", encoding="utf-8") as handle_out:
        out = csv.writer(handle_out, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(HEADER)
        for n in range(rows):
            moment -= step
            ms = int(moment.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS
            tweet_id = str((ms << 22) + n % 4096)
            words = rng.choices(WORDS, k=rng.randint(6, 28))
            if n % 50 == 0:
                words.insert(rng.randint(0, len(words)), "\n")
            text = " ".join(words)
            impressions = rng.randint(50, 40000)
            likes, replies, shares = (
                rng.randint(0, impressions // 40),
                rng.randint(0, 30),
                rng.randint(0, 60),
            )
            clicks = rng.randint(0, impressions // 60)
            engagements = likes + replies + shares + clicks + rng.randint(0, 20)
            media = rng.randint(0, impressions // 5) if n % 3 == 0 else 0
            out.writerow(
                [
                    tweet_id,
                    f"https://twitter.com/{handle}/status/{tweet_id}",
                    text,
                    moment.strftime("%Y-%m-%d %H:%M +0000"),
                    f"{impressions}.0",
                    f"{engagements}.0",
                    repr(engagements / impressions),
                    f"{shares}.0",
                    f"{replies}.0",
                    f"{likes}.0",
                    f"{rng.randint(0, 25)}.0",
                    f"{clicks}.0",
                    "0.0",
                    f"{rng.randint(0, 40)}.0",
                    "0.0",
                    "0",
                    "0",
                    "0",
                    "0",
                    "0",
                    str(media),
                    str(media // 10),
                    *(["-"] * 18),
                ]
            )
    return path


if __name__ == "__main__":
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]))
