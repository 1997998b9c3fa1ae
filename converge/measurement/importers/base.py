"""What every importer returns: plain, validated rows with the line they came from. Pure
Python, no Django; the import service turns them into observations and posts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class ParsedObservation:
    """One metric's value for one day (calendar day as the file states it)."""

    day: date
    metric: str  # a key of converge.measurement.catalogue.BY_KEY
    value: Decimal
    line: int  # 1-based line (or row) number in the file, for drill-down
    channel: str | None = None  # a handle, when the file names the channel per row


@dataclass(frozen=True)
class ParsedPost:
    external_id: str  # always text: X ids exceed 2**53
    published_at: datetime  # timezone-aware
    text: str
    kind: str  # post | video | reel | story | carousel | image | link | other
    link: str
    metrics: dict[str, Decimal]  # catalogue keys → values (lifetime totals at export time)
    line: int


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str | None
    message: str


@dataclass
class ParseResult:
    format: str  # e.g. "x_tweet_activity", "meta_posts"
    platform: str  # facebook | instagram | x | linkedin | youtube | tiktok | other
    handle: str = ""  # the account, when the file names it
    observations: list[ParsedObservation] = field(default_factory=list)
    posts: list[ParsedPost] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


class Importer(Protocol):
    key: str
    platform: str
    description: str  # what the format looks like, shown when nothing matches

    def sniff(self, head: bytes, filename: str) -> bool:
        """Does this file look like this format? ``head`` is the first 64 KiB."""
        ...

    def parse(self, data: bytes, filename: str) -> ParseResult: ...


class FormatError(Exception):
    """The file as a whole cannot be read in this format (wrong encoding, missing columns…)."""
