"""The whole social strategy of a workspace as one YAML document, out and back in.

``strategy_export`` writes the document; ``strategy_import`` makes a workspace's strategy equal
to one. Between them sits a pure step, ``strategy_validate``, that checks a parsed document
against the workspace's departments and people and either returns it as typed values or lists
every problem with its path in the document (``objectives[2].kpis[0].target.date``).

The document (``converge_strategy: 1``)::

    converge_strategy: 1
    vision: {statement, values: {employees, customers, shareholders}, sponsor, route, since}
    goals: [{key, title, description, business_metric, horizon, priority, source,
             departments: [slug], archived}]
    objectives: [{key, statement, goals: [goal key], departments: [slug], start, end, realism,
                  rationale, cadence, archived, reviews: [{on, note}],
                  tactics: [{channel, activity, frequency, people, hours_per_week}],
                  kpis: [{key, name, metric, unit, direction, baseline: {value, date},
                          target: {value, date}, band: {low, high}, owner, cadence, amec_stage,
                          window, channels: ["platform:handle"], archived,
                          values: [{day, value, note}]}]}]
    audiences: [{key, name, kind, size, priority, demographics, archived,
                 evidence: [{platform, figure, unit, source, url, date}]}]
    messages: [{key, title, text, tone, owner, audiences: [audience key], channels, archived}]
    competitors: [{key, name, website, channels, notes, archived,
                   observations: [{on, kind, description, url}]}]
    case_studies: [{key, title, summary, figures, source, url, archived}]
    initiatives: [{key, title, description, goals: [goal key], objectives: [objective key],
                   department, start, end, status, priority, estimated_cost, maturity_stage,
                   archived}]

Keys are slugs derived from titles and only tie the document together; an import matches
objects by title (statement, name). People are named by e-mail address, departments by slug,
decimals are exact strings and dates ISO strings.

An import writes nothing unless the whole document is valid, and then writes everything in one
transaction through the services: it creates what is missing, updates what differs, archives
live objects the document leaves out (never deletes) and skips what is already equal, so a
second import of the same file writes nothing at all. Rows without an archive flag (reviews,
KPI values, tactics, evidence, observations) are added or corrected, never removed. Goal
attachments are files and stay out of the document.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any, Protocol, TypeVar

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from converge.core.errors import ConvergeError
from converge.core.models import Department, Membership, User, Workspace
from converge.measurement.models import Channel
from converge.strategy import rules, services
from converge.strategy.models import (
    AmecStage,
    Audience,
    AudienceKind,
    BusinessGoal,
    Cadence,
    CaseStudy,
    Competitor,
    CompetitorObservation,
    Direction,
    GainKind,
    Initiative,
    InitiativeStatus,
    Kpi,
    KpiValue,
    KpiWindow,
    MaturityStage,
    Message,
    Platform,
    PlatformPresence,
    PresenceUnit,
    Priority,
    Realism,
    SocialObjective,
    SponsorRoute,
    Tactic,
    Vision,
)

FORMAT_VERSION = 1
VERSION_KEY = "converge_strategy"

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)

PRIORITIES: dict[str, int] = {p.name.lower(): int(p.value) for p in Priority}
MATURITY_STAGES: dict[str, int] = {s.name.lower(): int(s.value) for s in MaturityStage}
_PRIORITY_NAMES = {v: k for k, v in PRIORITIES.items()}
_STAGE_NAMES = {v: k for k, v in MATURITY_STAGES.items()}


def _values(choices: type[models.TextChoices]) -> dict[str, str]:
    return {str(v): str(v) for v in choices.values}


PLATFORMS = _values(Platform)
CADENCES = _values(Cadence)
REALISMS = _values(Realism)
DIRECTIONS = _values(Direction)
KPI_WINDOWS = _values(KpiWindow)
AMEC_STAGES = _values(AmecStage)
AUDIENCE_KINDS = _values(AudienceKind)
PRESENCE_UNITS = _values(PresenceUnit)
GAIN_KINDS = _values(GainKind)
SPONSOR_ROUTES = _values(SponsorRoute)
INITIATIVE_STATUSES = _values(InitiativeStatus)

# Where each problem that ``rules.kpi_problems`` names shows in a KPI's part of the document.
_KPI_PROBLEM_PATH = {
    "missing_baseline": "baseline.value",
    "missing_target": "target.value",
    "target_date_not_after_baseline": "target.date",
    "target_not_in_direction": "target.value",
    "band_invalid": "band",
}


# --- The typed document -------------------------------------------------------------------


@dataclass(frozen=True)
class VisionDoc:
    statement: str
    value_employees: str
    value_customers: str
    value_shareholders: str
    sponsor: str | None  # e-mail, lower case
    sponsor_route: str
    sponsor_since: date | None


@dataclass(frozen=True)
class GoalDoc:
    path: str
    key: str
    title: str
    description: str
    business_metric: str
    horizon: date
    priority: int
    source: str
    departments: list[str]
    archived: bool


@dataclass(frozen=True)
class ReviewDoc:
    path: str
    on: date
    note: str


@dataclass(frozen=True)
class TacticDoc:
    path: str
    channel: str
    activity: str
    frequency: str
    people: int
    hours_per_week: Decimal


@dataclass(frozen=True)
class KpiValueDoc:
    path: str
    day: date
    value: Decimal
    note: str


@dataclass(frozen=True)
class KpiDoc:
    path: str
    key: str
    name: str
    metric_key: str
    unit: str
    direction: str
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    band_low: Decimal | None
    band_high: Decimal | None
    owner: str | None
    review_cadence: str
    amec_stage: str
    window: str
    channels: list[str]  # "platform:handle"
    archived: bool
    values: list[KpiValueDoc]


@dataclass(frozen=True)
class ObjectiveDoc:
    path: str
    key: str
    statement: str
    goals: list[str]
    departments: list[str]
    start: date
    end: date
    realism: str
    realism_rationale: str
    review_cadence: str
    archived: bool
    reviews: list[ReviewDoc]
    tactics: list[TacticDoc]
    kpis: list[KpiDoc]


@dataclass(frozen=True)
class EvidenceDoc:
    path: str
    platform: str
    figure: Decimal
    unit: str
    source: str
    source_url: str
    figure_date: date


@dataclass(frozen=True)
class AudienceDoc:
    path: str
    key: str
    name: str
    kind: str
    size: int | None
    priority: int
    demographics: str
    archived: bool
    evidence: list[EvidenceDoc]


@dataclass(frozen=True)
class MessageDoc:
    path: str
    key: str
    title: str
    text: str
    tone: str
    owner: str | None
    audiences: list[str]
    channels: list[str]
    archived: bool


@dataclass(frozen=True)
class ObservationDoc:
    path: str
    observed_on: date
    kind: str
    description: str
    source_url: str


@dataclass(frozen=True)
class CompetitorDoc:
    path: str
    key: str
    name: str
    website: str
    channels: list[str]
    notes: str
    archived: bool
    observations: list[ObservationDoc]


@dataclass(frozen=True)
class CaseStudyDoc:
    path: str
    key: str
    title: str
    summary: str
    figures: str
    source: str
    source_url: str
    archived: bool


@dataclass(frozen=True)
class InitiativeDoc:
    path: str
    key: str
    title: str
    description: str
    goals: list[str]
    objectives: list[str]
    department: str | None
    start: date
    end: date
    status: str
    priority: int
    estimated_cost: Decimal | None
    maturity_stage: int | None
    archived: bool


@dataclass(frozen=True)
class StrategyDoc:
    vision: VisionDoc | None
    goals: list[GoalDoc]
    objectives: list[ObjectiveDoc]
    audiences: list[AudienceDoc]
    messages: list[MessageDoc]
    competitors: list[CompetitorDoc]
    case_studies: list[CaseStudyDoc]
    initiatives: list[InitiativeDoc]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a document: where (its path, or its line) and what."""

    path: str
    message: str
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "message": self.message}
        if self.line is not None:
            data["line"] = self.line
        return data

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class Validation:
    """The outcome of ``strategy_validate``: the document, or (never both) its problems."""

    document: StrategyDoc | None
    problems: list[Problem]


@dataclass
class KindCounts:
    created: int = 0
    updated: int = 0
    archived: int = 0
    restored: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.archived + self.restored


KINDS = (
    "vision",
    "goals",
    "objectives",
    "reviews",
    "tactics",
    "kpis",
    "kpi_values",
    "audiences",
    "evidence",
    "messages",
    "competitors",
    "observations",
    "case_studies",
    "initiatives",
)


@dataclass
class ImportResult:
    """What an import created, updated, archived and restored, per kind of object."""

    counts: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in KINDS})
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return any(c.total for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {
            kind: {
                "created": c.created,
                "updated": c.updated,
                "archived": c.archived,
                "restored": c.restored,
            }
            for kind, c in self.counts.items()
        }


# --- YAML text ----------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """The safe loader, except that dates stay text (so a bad one is reported with its path
    instead of stopping the parse), only true/false are booleans (as in YAML 1.2, so a
    hand-written ``on:`` or ``tone: No`` stays text) and a key repeated in one mapping is an
    error."""


_BOOL = "tag:yaml.org,2002:bool"
_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _timestamp_as_text(loader: _Loader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node)


def _mapping_without_repeats(loader: _Loader, node: yaml.Node) -> dict[Any, Any]:
    assert isinstance(node, yaml.MappingNode)
    seen: set[tuple[str, str]] = set()
    for key_node, _value in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            marker = (key_node.tag, key_node.value)
            if marker in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    _("the key “%(key)s” appears twice in one mapping") % {"key": key_node.value},
                    key_node.start_mark,
                )
            seen.add(marker)
    return loader.construct_mapping(node, deep=True)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping_without_repeats)


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing text of several lines as literal blocks and never aliasing."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_text(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _dump(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
    )


def strategy_parse(text: str) -> tuple[Any, list[Problem]]:
    """The YAML text as plain data, or the syntax error with its line."""
    try:
        return yaml.load(text, Loader=_Loader), []  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        what = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        message = _("YAML syntax error on line %(line)s, column %(column)s: %(problem)s") % {
            "line": line,
            "column": column,
            "problem": what,
        }
        return None, [Problem("", message, line)]
    except yaml.YAMLError as exc:
        return None, [Problem("", _("YAML syntax error: %(problem)s") % {"problem": exc})]


# --- Validation (pure: no database) -------------------------------------------------------


def _join(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part}]"
    return f"{path}.{part}" if path else part


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _kind_of(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


def _max_length(model: type[models.Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _decimal_shape(model: type[models.Model], name: str) -> tuple[int, int]:
    f = model._meta.get_field(name)
    assert isinstance(f, models.DecimalField)
    return int(f.max_digits or 0), int(f.decimal_places or 0)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = URLValidator()
_NO_DAY = date.min


class _Checker:
    """Reads values out of the parsed document, noting every problem with its path."""

    def __init__(
        self,
        *,
        departments: Collection[str],
        people: Collection[str],
        today: date,
        accounts: Collection[str] = (),
    ):
        self.accounts = set(accounts)  # the workspace's channels, as "platform:handle"
        self.departments = set(departments)
        self.people = {p.lower() for p in people}
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def required(self, path: str) -> None:
        self.problem(path, _("this field is required"))

    # Structure

    def mapping(self, value: Any, path: str, fields: Sequence[str]) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(
                path, _("expected a mapping, found %(found)s") % {"found": _kind_of(value)}
            )
            return None
        for key in value:
            if key not in fields:
                self.problem(
                    _join(path, str(key)),
                    _("unknown field; expected one of: %(fields)s") % {"fields": ", ".join(fields)},
                )
        return value

    def entries(
        self, m: Mapping[str, Any], key: str, path: str, *, required: bool = False
    ) -> list[tuple[str, Any]]:
        p = _join(path, key)
        value = m.get(key)
        if value is None:
            if required and key not in m:
                self.required(p)
            return []
        if not isinstance(value, list):
            self.problem(p, _("expected a list, found %(found)s") % {"found": _kind_of(value)})
            return []
        return [(_join(p, i), item) for i, item in enumerate(value)]

    # Scalars

    def text(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        limit: int | None = None,
        strip: bool = True,
    ) -> str:
        p = _join(path, key)
        value = m.get(key)
        if value is None:
            value = ""
        elif not isinstance(value, str):
            self.problem(p, _("expected text, found %(found)s") % {"found": _kind_of(value)})
            return ""
        if strip:
            value = value.strip()
        if required and not value:
            self.required(p)
        elif limit is not None and len(value) > limit:
            self.problem(
                p,
                _("too long: %(length)d characters, at most %(limit)d")
                % {"length": len(value), "limit": limit},
            )
        return value

    def url(self, m: Mapping[str, Any], key: str, path: str, *, limit: int | None) -> str:
        value = self.text(m, key, path, limit=limit)
        if value:
            try:
                _URL(value)
            except ValidationError:
                self.problem(
                    _join(path, key), _("not a URL (“%(value)s”)") % {"value": _shown(value)}
                )
        return value

    def day(self, m: Mapping[str, Any], key: str, path: str, *, required: bool) -> date | None:
        p = _join(path, key)
        value = m.get(key)
        if value is None or value == "":
            if required:
                self.required(p)
            return None
        if isinstance(value, str) and _ISO_DAY.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.problem(p, _("not a date (“%(value)s”)") % {"value": _shown(value)})
        return None

    def required_day(self, m: Mapping[str, Any], key: str, path: str) -> date:
        return self.day(m, key, path, required=True) or _NO_DAY

    def decimal(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        *,
        shape: tuple[int, int],
        required: bool = False,
    ) -> Decimal | None:
        p = _join(path, key)
        value = m.get(key)
        if value is None or value == "":
            if required:
                self.required(p)
            return None
        number: Decimal | None = None
        if isinstance(value, int | float | str) and not isinstance(value, bool):
            try:
                number = Decimal(str(value).strip())
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            self.problem(p, _("not a number (“%(value)s”)") % {"value": _shown(value)})
            return None
        digits, places = shape
        try:
            exact = number.quantize(Decimal(1).scaleb(-places))
        except InvalidOperation:
            exact = None
        if exact is None or len(exact.as_tuple().digits) > digits:
            self.problem(
                p,
                _("too large: at most %(digits)d digits before the decimal point")
                % {"digits": digits - places},
            )
            return None
        if exact != number:
            self.problem(
                p,
                ngettext(
                    "at most %(places)d decimal place (“%(value)s”)",
                    "at most %(places)d decimal places (“%(value)s”)",
                    places,
                )
                % {"places": places, "value": _shown(value)},
            )
            return None
        return exact

    def whole(
        self, m: Mapping[str, Any], key: str, path: str, *, default: int | None, high: int
    ) -> int | None:
        p = _join(path, key)
        value = m.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(p, _("not a whole number (“%(value)s”)") % {"value": _shown(value)})
            return default
        if value < 0:
            self.problem(p, _("must not be negative"))
        elif value > high:
            self.problem(p, _("too large: at most %(high)d") % {"high": high})
        return value

    def choice(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        choices: Mapping[str, _T],
        default: _T,
        *,
        required: bool = False,
    ) -> _T:
        p = _join(path, key)
        value = m.get(key)
        if value is None or value == "":
            if required:
                self.required(p)
            return default
        if isinstance(value, str) and value in choices:
            return choices[value]
        self.problem(
            p,
            _("unknown value “%(value)s”; expected one of: %(choices)s")
            % {"value": _shown(value), "choices": ", ".join(choices)},
        )
        return default

    def flag(self, m: Mapping[str, Any], key: str, path: str) -> bool:
        value = m.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(
                _join(path, key),
                _("expected true or false, found “%(value)s”") % {"value": _shown(value)},
            )
            return False
        return value

    def texts(self, m: Mapping[str, Any], key: str, path: str) -> list[tuple[str, str]]:
        """A list of short strings, each with its path; anything else is a problem."""
        found: list[tuple[str, str]] = []
        for p, item in self.entries(m, key, path):
            if isinstance(item, str) and item.strip():
                found.append((p, item.strip()))
            else:
                self.problem(p, _("expected text, found %(found)s") % {"found": _kind_of(item)})
        return found

    # References

    def person(self, m: Mapping[str, Any], key: str, path: str) -> str | None:
        email = self.text(m, key, path).lower()
        if not email:
            return None
        if email not in self.people:
            self.problem(
                _join(path, key),
                _("“%(email)s” is not a member of this workspace") % {"email": _shown(email)},
            )
        return email

    def department(self, slug: str, path: str) -> str:
        if slug not in self.departments:
            self.problem(path, _("unknown department “%(slug)s”") % {"slug": _shown(slug)})
        return slug

    def departments_of(self, m: Mapping[str, Any], key: str, path: str) -> list[str]:
        return _distinct(self.department(slug, p) for p, slug in self.texts(m, key, path))

    def channels(self, m: Mapping[str, Any], key: str, path: str) -> list[str]:
        chosen: set[str] = set()
        for p, name in self.texts(m, key, path):
            if name in PLATFORMS:
                chosen.add(name)
            else:
                self.problem(
                    p,
                    _("unknown value “%(value)s”; expected one of: %(choices)s")
                    % {"value": _shown(name), "choices": ", ".join(PLATFORMS)},
                )
        return sorted(chosen)

    def references(
        self,
        m: Mapping[str, Any],
        key: str,
        path: str,
        known: Collection[str] | None,
        what: str,
    ) -> list[str]:
        """Keys of other items; ``known=None`` when that section could not be read whole
        (its own problems are reported; guessing here would only add noise)."""
        found: list[str] = []
        for p, ref in self.texts(m, key, path):
            if known is None or ref in known:
                found.append(ref)
            else:
                self.problem(p, what % {"key": _shown(ref)})
        return _distinct(found)

    def once(self, seen: dict[Any, str], value: Any, path: str, shown: str) -> None:
        """Note that ``value`` is at ``path``; a second sighting is a problem."""
        if value in seen:
            self.problem(
                path,
                _("“%(value)s” appears twice (also at %(other)s)")
                % {"value": _shown(shown), "other": seen[value]},
            )
        else:
            seen[value] = path


def _distinct(items: Iterable[_T]) -> list[_T]:
    return list(dict.fromkeys(items))


TOP_FIELDS = (
    VERSION_KEY,
    "vision",
    "goals",
    "objectives",
    "audiences",
    "messages",
    "competitors",
    "case_studies",
    "initiatives",
)


def strategy_validate(
    data: Any,
    *,
    departments: Collection[str],
    people: Collection[str],
    today: date,
    channels: Collection[str] = (),
) -> Validation:
    """Check a parsed document against the workspace's department slugs, its people's e-mail
    addresses and its measurement channels ("platform:handle"), with ``today`` for what may not
    lie in the future. Pure: touches no database."""
    c = _Checker(departments=departments, people=people, today=today, accounts=channels)
    if not isinstance(data, dict):
        c.problem(
            "",
            _("expected a strategy document (a mapping), found %(found)s")
            % {"found": _kind_of(data)},
        )
        return Validation(None, c.problems)
    version = data.get(VERSION_KEY)
    if type(version) is not int or version != FORMAT_VERSION:
        if version is None:
            message = _(
                "this is not a Converge strategy document: “%(key)s: %(version)s” is missing"
            ) % {"key": VERSION_KEY, "version": FORMAT_VERSION}
        else:
            message = _(
                "unknown version “%(found)s” of the strategy document; "
                "this Converge reads version %(version)s"
            ) % {"found": _shown(version), "version": FORMAT_VERSION}
        return Validation(None, [Problem(VERSION_KEY, message)])
    c.mapping(data, "", TOP_FIELDS)
    for section in TOP_FIELDS[2:]:
        if section not in data:
            c.required(section)

    vision = _vision(c, data["vision"], "vision") if data.get("vision") is not None else None
    goals = _section(c, data, "goals", _goal)
    goal_keys = _known_keys(data, "goals", goals)
    objectives = _section(c, data, "objectives", partial(_objective, goal_keys=goal_keys))
    audiences = _section(c, data, "audiences", _audience)
    audience_keys = _known_keys(data, "audiences", audiences)
    messages = _section(c, data, "messages", partial(_message, audience_keys=audience_keys))
    competitors = _section(c, data, "competitors", _competitor)
    case_studies = _section(c, data, "case_studies", _case_study)
    initiatives = _section(
        c,
        data,
        "initiatives",
        partial(
            _initiative,
            goal_keys=goal_keys,
            objective_keys=_known_keys(data, "objectives", objectives),
        ),
    )
    if c.problems:
        return Validation(None, c.problems)
    return Validation(
        StrategyDoc(
            vision=vision,
            goals=goals,
            objectives=objectives,
            audiences=audiences,
            messages=messages,
            competitors=competitors,
            case_studies=case_studies,
            initiatives=initiatives,
        ),
        [],
    )


class _Keyed(Protocol):
    @property
    def key(self) -> str: ...


_D = TypeVar("_D", bound=_Keyed)


def _section(
    c: _Checker,
    data: Mapping[str, Any],
    name: str,
    read: Callable[[_Checker, Any, str], _D | None],
) -> list[_D]:
    """Read every item of a top-level list; keys and titles must each be unique."""
    items: list[_D] = []
    keys: dict[Any, str] = {}
    titles: dict[Any, str] = {}
    for path, raw in c.entries(data, name, ""):
        item = read(c, raw, path)
        if item is None:
            continue
        key, title_field = item.key, _TITLE_FIELD[name]
        if key:
            c.once(keys, key, _join(path, "key"), key)
        title = getattr(item, title_field)
        if title:
            c.once(titles, title, _join(path, title_field), title)
        items.append(item)
    return items


def _known_keys(data: Mapping[str, Any], name: str, items: Sequence[_Keyed]) -> set[str] | None:
    """The keys of a section that was read whole, else None."""
    raw = data.get(name)
    if raw is None:
        return set() if name in data else None
    if not isinstance(raw, list) or len(items) != len(raw) or not all(i.key for i in items):
        return None
    return {i.key for i in items}


_TITLE_FIELD = {
    "goals": "title",
    "objectives": "statement",
    "audiences": "name",
    "messages": "title",
    "competitors": "name",
    "case_studies": "title",
    "initiatives": "title",
}


def _vision(c: _Checker, raw: Any, path: str) -> VisionDoc | None:
    m = c.mapping(raw, path, ("statement", "values", "sponsor", "route", "since"))
    if m is None:
        return None
    values: Mapping[str, Any] = {}
    if m.get("values") is not None:
        values = (
            c.mapping(
                m["values"], _join(path, "values"), ("employees", "customers", "shareholders")
            )
            or {}
        )
    values_path = _join(path, "values")
    sponsor = c.person(m, "sponsor", path)
    route = c.choice(m, "route", path, SPONSOR_ROUTES, "")
    since = c.day(m, "since", path, required=False)
    if sponsor and not route:
        c.problem(_join(path, "route"), _("Say how the sponsorship was established."))
    if not sponsor:
        for name, given in (("route", route), ("since", since)):
            if given:
                c.problem(_join(path, name), _("only applies when there is a sponsor"))
    return VisionDoc(
        statement=c.text(m, "statement", path, required=True),
        value_employees=c.text(values, "employees", values_path),
        value_customers=c.text(values, "customers", values_path),
        value_shareholders=c.text(values, "shareholders", values_path),
        sponsor=sponsor,
        sponsor_route=route,
        sponsor_since=since,
    )


GOAL_FIELDS = (
    "key",
    "title",
    "description",
    "business_metric",
    "horizon",
    "priority",
    "source",
    "departments",
    "archived",
)


def _goal(c: _Checker, raw: Any, path: str) -> GoalDoc | None:
    m = c.mapping(raw, path, GOAL_FIELDS)
    if m is None:
        return None
    return GoalDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        title=c.text(m, "title", path, required=True, limit=_max_length(BusinessGoal, "title")),
        description=c.text(m, "description", path),
        business_metric=c.text(
            m,
            "business_metric",
            path,
            required=True,
            limit=_max_length(BusinessGoal, "business_metric"),
        ),
        horizon=c.required_day(m, "horizon", path),
        priority=c.choice(m, "priority", path, PRIORITIES, int(Priority.MEDIUM)),
        source=c.text(m, "source", path, limit=_max_length(BusinessGoal, "source")),
        departments=c.departments_of(m, "departments", path),
        archived=c.flag(m, "archived", path),
    )


OBJECTIVE_FIELDS = (
    "key",
    "statement",
    "goals",
    "departments",
    "start",
    "end",
    "realism",
    "rationale",
    "cadence",
    "archived",
    "reviews",
    "tactics",
    "kpis",
)


def _objective(
    c: _Checker, raw: Any, path: str, *, goal_keys: Collection[str] | None
) -> ObjectiveDoc | None:
    m = c.mapping(raw, path, OBJECTIVE_FIELDS)
    if m is None:
        return None
    goals = c.references(m, "goals", path, goal_keys, _("unknown goal “%(key)s”"))
    departments = c.departments_of(m, "departments", path)
    if not m.get("goals"):
        c.problem(_join(path, "goals"), _("Choose at least one business goal it serves."))
    if not m.get("departments"):
        c.problem(_join(path, "departments"), _("Choose at least one department it serves."))
    start = c.day(m, "start", path, required=True)
    end = c.day(m, "end", path, required=True)
    if start and end and end <= start:
        c.problem(_join(path, "end"), _("The end must come after the start."))

    reviews: list[ReviewDoc] = []
    for p, item in c.entries(m, "reviews", path):
        r = c.mapping(item, p, ("on", "note"))
        if r is not None:
            on = c.required_day(r, "on", p)
            if on > c.today:
                c.problem(_join(p, "on"), _("A review cannot be dated in the future."))
            reviews.append(ReviewDoc(path=p, on=on, note=c.text(r, "note", p)))

    tactics: list[TacticDoc] = []
    seen_tactics: dict[Any, str] = {}
    for p, item in c.entries(m, "tactics", path):
        tactic = _tactic(c, item, p)
        if tactic is not None:
            c.once(
                seen_tactics,
                (tactic.channel, tactic.activity),
                _join(p, "activity"),
                f"{tactic.channel}: {tactic.activity}",
            )
            tactics.append(tactic)

    kpis: list[KpiDoc] = []
    kpi_keys: dict[Any, str] = {}
    kpi_names: dict[Any, str] = {}
    for p, item in c.entries(m, "kpis", path):
        kpi = _kpi(c, item, p)
        if kpi is not None:
            if kpi.key:
                c.once(kpi_keys, kpi.key, _join(p, "key"), kpi.key)
            if kpi.name:
                c.once(kpi_names, kpi.name, _join(p, "name"), kpi.name)
            kpis.append(kpi)

    return ObjectiveDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        statement=c.text(
            m, "statement", path, required=True, limit=_max_length(SocialObjective, "statement")
        ),
        goals=goals,
        departments=departments,
        start=start or _NO_DAY,
        end=end or _NO_DAY,
        realism=c.choice(m, "realism", path, REALISMS, str(Realism.MEDIUM)),
        realism_rationale=c.text(m, "rationale", path),
        review_cadence=c.choice(m, "cadence", path, CADENCES, str(Cadence.QUARTERLY)),
        archived=c.flag(m, "archived", path),
        reviews=reviews,
        tactics=tactics,
        kpis=kpis,
    )


TACTIC_FIELDS = ("channel", "activity", "frequency", "people", "hours_per_week")


def _tactic(c: _Checker, raw: Any, path: str) -> TacticDoc | None:
    m = c.mapping(raw, path, TACTIC_FIELDS)
    if m is None:
        return None
    hours = c.decimal(m, "hours_per_week", path, shape=_decimal_shape(Tactic, "hours_per_week"))
    if hours is not None and hours < 0:
        c.problem(_join(path, "hours_per_week"), _("Resources cannot be negative."))
    return TacticDoc(
        path=path,
        channel=c.choice(m, "channel", path, PLATFORMS, "", required=True),
        activity=c.text(m, "activity", path, required=True, limit=_max_length(Tactic, "activity")),
        frequency=c.text(m, "frequency", path, limit=_max_length(Tactic, "frequency")),
        people=c.whole(m, "people", path, default=1, high=32767) or 0,
        hours_per_week=hours or Decimal("0.0"),
    )


KPI_FIELDS = (
    "key",
    "name",
    "metric",
    "unit",
    "direction",
    "baseline",
    "target",
    "band",
    "owner",
    "cadence",
    "amec_stage",
    "window",
    "channels",
    "archived",
    "values",
)


def _kpi(c: _Checker, raw: Any, path: str) -> KpiDoc | None:
    m = c.mapping(raw, path, KPI_FIELDS)
    if m is None:
        return None
    before = len(c.problems)
    shape = _decimal_shape(Kpi, "baseline_value")
    direction = c.choice(m, "direction", path, DIRECTIONS, str(Direction.INCREASE))

    def pair(name: str, fields: tuple[str, str]) -> Mapping[str, Any]:
        p = _join(path, name)
        if m.get(name) is None:
            return {}
        return c.mapping(m[name], p, fields) or {}

    baseline = pair("baseline", ("value", "date"))
    target = pair("target", ("value", "date"))
    band = pair("band", ("low", "high"))
    bp, tp, np_ = _join(path, "baseline"), _join(path, "target"), _join(path, "band")
    figures = rules.KpiFigures(
        direction=direction,
        baseline_value=c.decimal(baseline, "value", bp, shape=shape),
        baseline_date=c.day(baseline, "date", bp, required=False),
        target_value=c.decimal(target, "value", tp, shape=shape),
        target_date=c.day(target, "date", tp, required=False),
        band_low=c.decimal(band, "low", np_, shape=shape),
        band_high=c.decimal(band, "high", np_, shape=shape),
    )
    if len(c.problems) == before:  # the rules only make sense of figures that parsed
        for code in rules.kpi_problems(figures):
            where = _KPI_PROBLEM_PATH.get(code)
            if where is None:  # missing_dates
                where = "baseline.date" if figures.baseline_date is None else "target.date"
            c.problem(_join(path, where), str(services.KPI_PROBLEM_TEXT[code]))

    values: list[KpiValueDoc] = []
    days: dict[Any, str] = {}
    value_shape = _decimal_shape(KpiValue, "value")
    for p, item in c.entries(m, "values", path):
        v = c.mapping(item, p, ("day", "value", "note"))
        if v is None:
            continue
        day = c.required_day(v, "day", p)
        if day > c.today:
            c.problem(_join(p, "day"), _("A value cannot be dated in the future."))
        if day != _NO_DAY:
            c.once(days, day, _join(p, "day"), day.isoformat())
        values.append(
            KpiValueDoc(
                path=p,
                day=day,
                value=c.decimal(v, "value", p, shape=value_shape, required=True) or Decimal(0),
                note=c.text(v, "note", p, strip=False, limit=_max_length(KpiValue, "note")),
            )
        )

    return KpiDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        name=c.text(m, "name", path, required=True, limit=_max_length(Kpi, "name")),
        metric_key=c.text(m, "metric", path, required=True, limit=_max_length(Kpi, "metric_key")),
        unit=c.text(m, "unit", path, limit=_max_length(Kpi, "unit")),
        direction=direction,
        baseline_value=figures.baseline_value,
        baseline_date=figures.baseline_date,
        target_value=figures.target_value,
        target_date=figures.target_date,
        band_low=figures.band_low,
        band_high=figures.band_high,
        owner=c.person(m, "owner", path),
        review_cadence=c.choice(m, "cadence", path, CADENCES, str(Cadence.MONTHLY)),
        amec_stage=c.choice(m, "amec_stage", path, AMEC_STAGES, str(AmecStage.OUTCOME)),
        window=c.choice(m, "window", path, KPI_WINDOWS, ""),
        channels=c.references(
            m, "channels", path, c.accounts, _("unknown channel “%(key)s” (platform:handle)")
        ),
        archived=c.flag(m, "archived", path),
        values=values,
    )


AUDIENCE_FIELDS = (
    "key",
    "name",
    "kind",
    "size",
    "priority",
    "demographics",
    "archived",
    "evidence",
)
EVIDENCE_FIELDS = ("platform", "figure", "unit", "source", "url", "date")


def _audience(c: _Checker, raw: Any, path: str) -> AudienceDoc | None:
    m = c.mapping(raw, path, AUDIENCE_FIELDS)
    if m is None:
        return None
    evidence: list[EvidenceDoc] = []
    platforms: dict[Any, str] = {}
    for p, item in c.entries(m, "evidence", path):
        e = c.mapping(item, p, EVIDENCE_FIELDS)
        if e is None:
            continue
        platform = c.choice(e, "platform", p, PLATFORMS, "", required=True)
        if platform:
            c.once(platforms, platform, _join(p, "platform"), platform)
        unit = c.choice(e, "unit", p, PRESENCE_UNITS, str(PresenceUnit.PERCENT))
        figure = c.decimal(
            e, "figure", p, shape=_decimal_shape(PlatformPresence, "figure"), required=True
        )
        if figure is not None and figure < 0:
            c.problem(_join(p, "figure"), _("A figure cannot be negative."))
        elif figure is not None and unit == PresenceUnit.PERCENT and figure > 100:
            c.problem(_join(p, "figure"), _("A share must lie between 0 and 100 percent."))
        evidence.append(
            EvidenceDoc(
                path=p,
                platform=platform,
                figure=figure or Decimal(0),
                unit=unit,
                source=c.text(
                    e, "source", p, required=True, limit=_max_length(PlatformPresence, "source")
                ),
                source_url=c.url(e, "url", p, limit=_max_length(PlatformPresence, "source_url")),
                figure_date=c.required_day(e, "date", p),
            )
        )
    return AudienceDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        name=c.text(m, "name", path, required=True, limit=_max_length(Audience, "name")),
        kind=c.choice(m, "kind", path, AUDIENCE_KINDS, "", required=True),
        size=c.whole(m, "size", path, default=None, high=2147483647),
        priority=c.choice(m, "priority", path, PRIORITIES, int(Priority.MEDIUM)),
        demographics=c.text(m, "demographics", path),
        archived=c.flag(m, "archived", path),
        evidence=evidence,
    )


MESSAGE_FIELDS = ("key", "title", "text", "tone", "owner", "audiences", "channels", "archived")


def _message(
    c: _Checker, raw: Any, path: str, *, audience_keys: Collection[str] | None
) -> MessageDoc | None:
    m = c.mapping(raw, path, MESSAGE_FIELDS)
    if m is None:
        return None
    audiences = c.references(m, "audiences", path, audience_keys, _("unknown audience “%(key)s”"))
    channels = c.channels(m, "channels", path)
    if not m.get("audiences"):
        c.problem(_join(path, "audiences"), _("Choose at least one audience."))
    if not m.get("channels"):
        c.problem(_join(path, "channels"), _("Choose at least one channel."))
    return MessageDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        title=c.text(m, "title", path, required=True, limit=_max_length(Message, "title")),
        text=c.text(m, "text", path),
        tone=c.text(m, "tone", path, limit=_max_length(Message, "tone")),
        owner=c.person(m, "owner", path),
        audiences=audiences,
        channels=channels,
        archived=c.flag(m, "archived", path),
    )


COMPETITOR_FIELDS = ("key", "name", "website", "channels", "notes", "archived", "observations")


def _competitor(c: _Checker, raw: Any, path: str) -> CompetitorDoc | None:
    m = c.mapping(raw, path, COMPETITOR_FIELDS)
    if m is None:
        return None
    observations: list[ObservationDoc] = []
    for p, item in c.entries(m, "observations", path):
        o = c.mapping(item, p, ("on", "kind", "description", "url"))
        if o is None:
            continue
        observations.append(
            ObservationDoc(
                path=p,
                observed_on=c.required_day(o, "on", p),
                kind=c.choice(o, "kind", p, GAIN_KINDS, "", required=True),
                description=c.text(o, "description", p, required=True),
                source_url=c.url(
                    o, "url", p, limit=_max_length(CompetitorObservation, "source_url")
                ),
            )
        )
    return CompetitorDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        name=c.text(m, "name", path, required=True, limit=_max_length(Competitor, "name")),
        website=c.url(m, "website", path, limit=_max_length(Competitor, "website")),
        channels=c.channels(m, "channels", path),
        notes=c.text(m, "notes", path),
        archived=c.flag(m, "archived", path),
        observations=observations,
    )


CASE_STUDY_FIELDS = ("key", "title", "summary", "figures", "source", "url", "archived")


def _case_study(c: _Checker, raw: Any, path: str) -> CaseStudyDoc | None:
    m = c.mapping(raw, path, CASE_STUDY_FIELDS)
    if m is None:
        return None
    return CaseStudyDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        title=c.text(m, "title", path, required=True, limit=_max_length(CaseStudy, "title")),
        summary=c.text(m, "summary", path, required=True),
        figures=c.text(m, "figures", path),
        source=c.text(m, "source", path, required=True, limit=_max_length(CaseStudy, "source")),
        source_url=c.url(m, "url", path, limit=_max_length(CaseStudy, "source_url")),
        archived=c.flag(m, "archived", path),
    )


INITIATIVE_FIELDS = (
    "key",
    "title",
    "description",
    "goals",
    "objectives",
    "department",
    "start",
    "end",
    "status",
    "priority",
    "estimated_cost",
    "maturity_stage",
    "archived",
)


def _initiative(
    c: _Checker,
    raw: Any,
    path: str,
    *,
    goal_keys: Collection[str] | None,
    objective_keys: Collection[str] | None,
) -> InitiativeDoc | None:
    m = c.mapping(raw, path, INITIATIVE_FIELDS)
    if m is None:
        return None
    start = c.day(m, "start", path, required=True)
    end = c.day(m, "end", path, required=True)
    if start and end and end < start:
        c.problem(_join(path, "end"), _("The end must not come before the start."))
    cost = c.decimal(m, "estimated_cost", path, shape=_decimal_shape(Initiative, "estimated_cost"))
    if cost is not None and cost < 0:
        c.problem(_join(path, "estimated_cost"), _("A cost cannot be negative."))
    department = c.text(m, "department", path)
    return InitiativeDoc(
        path=path,
        key=c.text(m, "key", path, required=True),
        title=c.text(m, "title", path, required=True, limit=_max_length(Initiative, "title")),
        description=c.text(m, "description", path),
        goals=c.references(m, "goals", path, goal_keys, _("unknown goal “%(key)s”")),
        objectives=c.references(
            m, "objectives", path, objective_keys, _("unknown objective “%(key)s”")
        ),
        department=c.department(department, _join(path, "department")) if department else None,
        start=start or _NO_DAY,
        end=end or _NO_DAY,
        status=c.choice(m, "status", path, INITIATIVE_STATUSES, str(InitiativeStatus.PLANNED)),
        priority=c.choice(m, "priority", path, PRIORITIES, int(Priority.MEDIUM)),
        estimated_cost=cost,
        maturity_stage=c.choice(m, "maturity_stage", path, MATURITY_STAGES, None),
        archived=c.flag(m, "archived", path),
    )


# --- Export -------------------------------------------------------------------------------


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _email(membership: Membership | None) -> str | None:
    return membership.user.email if membership is not None else None


def _keys(objects: Sequence[_M], label: Callable[[_M], str], fallback: str) -> dict[int, str]:
    """A unique slug per object, derived from its label, in the order given."""
    used: set[str] = set()
    keys: dict[int, str] = {}
    for obj in objects:
        base = slugify(label(obj))[:60].strip("-") or fallback
        key, n = base, 1
        while key in used:
            n += 1
            key = f"{base}-{n}"
        used.add(key)
        keys[obj.pk] = key
    return keys


def strategy_document(workspace: Workspace) -> dict[str, Any]:
    """The workspace's strategy as plain data, in a stable order (see the module docstring)."""
    vision = Vision.objects.filter(workspace=workspace).select_related("sponsor__user").first()
    goals = sorted(
        BusinessGoal.objects.filter(workspace=workspace).prefetch_related("departments"),
        key=lambda g: (g.priority, g.title),
    )
    goal_keys = _keys(goals, lambda g: g.title, "goal")
    objectives = sorted(
        SocialObjective.objects.filter(workspace=workspace).prefetch_related(
            "goals",
            "departments",
            "reviews",
            "tactics",
            models.Prefetch(
                "kpis",
                queryset=Kpi.objects.select_related("owner__user").prefetch_related(
                    "values", "channels"
                ),
            ),
        ),
        key=lambda o: (o.start, o.statement),
    )
    objective_keys = _keys(objectives, lambda o: o.statement, "objective")
    audiences = sorted(
        Audience.objects.filter(workspace=workspace).prefetch_related("presence"),
        key=lambda a: (a.priority, a.name),
    )
    audience_keys = _keys(audiences, lambda a: a.name, "audience")
    messages = sorted(
        Message.objects.filter(workspace=workspace)
        .select_related("owner__user")
        .prefetch_related("audiences"),
        key=lambda m: m.title,
    )
    competitors = sorted(
        Competitor.objects.filter(workspace=workspace).prefetch_related("observations"),
        key=lambda c: c.name,
    )
    cases = sorted(
        CaseStudy.objects.filter(workspace=workspace),
        key=lambda c: (c.title, c.summary, c.figures, c.source, c.source_url),
    )
    initiatives = sorted(
        Initiative.objects.filter(workspace=workspace)
        .select_related("department")
        .prefetch_related("goals", "objectives"),
        key=lambda i: (i.start, i.title),
    )

    def objective(o: SocialObjective) -> dict[str, Any]:
        kpis = sorted(o.kpis.all(), key=lambda k: k.name)
        kpi_keys = _keys(kpis, lambda k: k.name, "kpi")
        return {
            "key": objective_keys[o.pk],
            "statement": o.statement,
            "goals": sorted(goal_keys[g.pk] for g in o.goals.all()),
            "departments": sorted(d.slug for d in o.departments.all()),
            "start": _iso(o.start),
            "end": _iso(o.end),
            "realism": o.realism,
            "rationale": o.realism_rationale,
            "cadence": o.review_cadence,
            "archived": o.archived_at is not None,
            "reviews": [
                {"on": _iso(r.reviewed_on), "note": r.note}
                for r in sorted(o.reviews.all(), key=lambda r: (r.reviewed_on, r.note))
            ],
            "tactics": [
                {
                    "channel": t.channel,
                    "activity": t.activity,
                    "frequency": t.frequency,
                    "people": t.people,
                    "hours_per_week": _number(t.hours_per_week),
                }
                for t in sorted(
                    o.tactics.all(),
                    key=lambda t: (t.channel, t.activity, t.frequency, t.people, t.hours_per_week),
                )
            ],
            "kpis": [
                {
                    "key": kpi_keys[k.pk],
                    "name": k.name,
                    "metric": k.metric_key,
                    "unit": k.unit,
                    "direction": k.direction,
                    "baseline": {"value": _number(k.baseline_value), "date": _iso(k.baseline_date)},
                    "target": {"value": _number(k.target_value), "date": _iso(k.target_date)},
                    "band": {"low": _number(k.band_low), "high": _number(k.band_high)},
                    "owner": _email(k.owner),
                    "cadence": k.review_cadence,
                    "amec_stage": k.amec_stage,
                    "window": k.window,
                    "channels": sorted(_account(c) for c in k.channels.all()),
                    "archived": k.archived_at is not None,
                    "values": [
                        {"day": _iso(v.day), "value": _number(v.value), "note": v.note}
                        for v in sorted(k.values.all(), key=lambda v: v.day)
                    ],
                }
                for k in kpis
            ],
        }

    return {
        VERSION_KEY: FORMAT_VERSION,
        "vision": None
        if vision is None
        else {
            "statement": vision.statement,
            "values": {
                "employees": vision.value_employees,
                "customers": vision.value_customers,
                "shareholders": vision.value_shareholders,
            },
            "sponsor": _email(vision.sponsor),
            "route": vision.sponsor_route or None,
            "since": _iso(vision.sponsor_since),
        },
        "goals": [
            {
                "key": goal_keys[g.pk],
                "title": g.title,
                "description": g.description,
                "business_metric": g.business_metric,
                "horizon": _iso(g.horizon),
                "priority": _PRIORITY_NAMES[g.priority],
                "source": g.source,
                "departments": sorted(d.slug for d in g.departments.all()),
                "archived": g.archived_at is not None,
            }
            for g in goals
        ],
        "objectives": [objective(o) for o in objectives],
        "audiences": [
            {
                "key": audience_keys[a.pk],
                "name": a.name,
                "kind": a.kind,
                "size": a.size,
                "priority": _PRIORITY_NAMES[a.priority],
                "demographics": a.demographics,
                "archived": a.archived_at is not None,
                "evidence": [
                    {
                        "platform": e.platform,
                        "figure": _number(e.figure),
                        "unit": e.unit,
                        "source": e.source,
                        "url": e.source_url,
                        "date": _iso(e.figure_date),
                    }
                    for e in sorted(a.presence.all(), key=lambda e: e.platform)
                ],
            }
            for a in audiences
        ],
        "messages": [
            {
                "key": key,
                "title": m.title,
                "text": m.text,
                "tone": m.tone,
                "owner": _email(m.owner),
                "audiences": sorted(audience_keys[a.pk] for a in m.audiences.all()),
                "channels": list(m.channels),
                "archived": m.archived_at is not None,
            }
            for m, key in zip(
                messages, _keys(messages, lambda m: m.title, "message").values(), strict=True
            )
        ],
        "competitors": [
            {
                "key": key,
                "name": c.name,
                "website": c.website,
                "channels": list(c.channels),
                "notes": c.notes,
                "archived": c.archived_at is not None,
                "observations": [
                    {
                        "on": _iso(o.observed_on),
                        "kind": o.kind,
                        "description": o.description,
                        "url": o.source_url,
                    }
                    for o in sorted(
                        c.observations.all(),
                        key=lambda o: (o.observed_on, o.kind, o.description, o.source_url),
                    )
                ],
            }
            for c, key in zip(
                competitors,
                _keys(competitors, lambda c: c.name, "competitor").values(),
                strict=True,
            )
        ],
        "case_studies": [
            {
                "key": key,
                "title": c.title,
                "summary": c.summary,
                "figures": c.figures,
                "source": c.source,
                "url": c.source_url,
                "archived": c.archived_at is not None,
            }
            for c, key in zip(cases, _keys(cases, lambda c: c.title, "case").values(), strict=True)
        ],
        "initiatives": [
            {
                "key": key,
                "title": i.title,
                "description": i.description,
                "goals": sorted(goal_keys[g.pk] for g in i.goals.all()),
                "objectives": sorted(objective_keys[o.pk] for o in i.objectives.all()),
                "department": i.department.slug if i.department else None,
                "start": _iso(i.start),
                "end": _iso(i.end),
                "status": i.status,
                "priority": _PRIORITY_NAMES[i.priority],
                "estimated_cost": _number(i.estimated_cost),
                "maturity_stage": _STAGE_NAMES.get(i.maturity_stage) if i.maturity_stage else None,
                "archived": i.archived_at is not None,
            }
            for i, key in zip(
                initiatives,
                _keys(initiatives, lambda i: i.title, "initiative").values(),
                strict=True,
            )
        ],
    }


def _account(channel: Channel) -> str:
    """A channel as the document names it: ``platform:handle``."""
    return f"{channel.platform}:{channel.handle}"


def strategy_export(workspace: Workspace) -> str:
    """The workspace's whole strategy as one YAML document."""
    return _dump(strategy_document(workspace))


# --- Import -------------------------------------------------------------------------------


def _problems_error(problems: Sequence[Problem]) -> ConvergeError:
    if len(problems) == 1 and problems[0].path == VERSION_KEY:
        message = problems[0].message
    else:
        message = ngettext(
            "The document has %(count)d problem; nothing was imported.",
            "The document has %(count)d problems; nothing was imported.",
            len(problems),
        ) % {"count": len(problems)}
    return ConvergeError(message, details={"problems": [p.as_dict() for p in problems]}, status=422)


def strategy_check(*, workspace: Workspace, text: str) -> StrategyDoc:
    """Parse and validate ``text`` for ``workspace``; raise every problem at once (422)."""
    data, problems = strategy_parse(text)
    if problems:
        raise _problems_error(problems)
    people = Membership.objects.filter(workspace=workspace).values_list("user__email", flat=True)
    validation = strategy_validate(
        data,
        departments=set(
            Department.objects.filter(workspace=workspace).values_list("slug", flat=True)
        ),
        people={e.lower() for e in people},
        today=timezone.localdate(),
        channels={_account(c) for c in Channel.objects.filter(workspace=workspace)},
    )
    if validation.document is None:
        raise _problems_error(validation.problems)
    return validation.document


def strategy_import(
    *, actor: User, workspace: Workspace, text: str, dry_run: bool = False
) -> ImportResult:
    """Make the workspace's strategy equal to the document ``text``.

    Nothing is written unless the whole document is valid (else ``ConvergeError``, status 422,
    with ``details["problems"]``); then everything is written in one transaction through the
    services. ``dry_run`` counts what would change and rolls it all back."""
    services.require_editor(actor, workspace)
    document = strategy_check(workspace=workspace, text=text)
    with transaction.atomic():
        result = _Writer(actor=actor, workspace=workspace).write(document)
        result.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
    return result


@contextmanager
def _at(path: str) -> Iterator[None]:
    """A rule a service still finds broken is reported at the object's path (and rolls back)."""
    try:
        yield
    except ConvergeError as exc:
        raise _problems_error([Problem(path, exc.message)]) from exc


def _differs(obj: models.Model, values: Mapping[str, Any]) -> bool:
    """Whether saving ``values`` would change ``obj`` (related objects compared by key)."""
    for name, value in values.items():
        f = obj._meta.get_field(name)
        if f.many_to_many:
            if {o.pk for o in getattr(obj, name).all()} != {o.pk for o in value}:
                return True
        elif f.is_relation:
            if getattr(obj, f"{name}_id") != (value.pk if value is not None else None):
                return True
        elif getattr(obj, name) != value:
            return True
    return False


class _Writer:
    """Writes a valid document through the services, skipping everything already equal."""

    def __init__(self, *, actor: User, workspace: Workspace) -> None:
        self.actor = actor
        self.workspace = workspace
        self.result = ImportResult()
        self.departments = {d.slug: d for d in Department.objects.filter(workspace=workspace)}
        self.people = {
            m.user.email.lower(): m
            for m in Membership.objects.filter(workspace=workspace).select_related("user")
        }
        self.channels = {_account(c): c for c in Channel.objects.filter(workspace=workspace)}

    def write(self, doc: StrategyDoc) -> ImportResult:
        goals = self._goals(doc.goals)
        objectives = self._objectives(doc.objectives, goals)
        audiences = self._audiences(doc.audiences)
        self._messages(doc.messages, audiences)
        self._competitors(doc.competitors)
        self._case_studies(doc.case_studies)
        self._initiatives(doc.initiatives, goals, objectives)
        if doc.vision is not None:
            self._vision(doc.vision)
        return self.result

    # Helpers

    def _person(self, email: str | None) -> Membership | None:
        return self.people[email] if email else None

    def _save(
        self,
        kind: str,
        path: str,
        obj: _M | None,
        values: Mapping[str, Any],
        save: Callable[..., _M],
    ) -> _M:
        if obj is not None and not _differs(obj, values):
            return obj
        with _at(path):
            saved = save(**values)
        counts = self.result.counts[kind]
        if obj is None:
            counts.created += 1
        else:
            counts.updated += 1
        return saved

    def _archive(self, kind: str, path: str, obj: Any, archived: bool) -> None:
        if archived == (obj.archived_at is not None):
            return
        with _at(path):
            ARCHIVE[kind](actor=self.actor, obj=obj, archived=archived)
        counts = self.result.counts[kind]
        if archived:
            counts.archived += 1
        else:
            counts.restored += 1

    def _archive_rest(self, kind: str, leftovers: Iterable[Any]) -> None:
        """Archive the live objects that the document does not contain."""
        for obj in leftovers:
            if obj.archived_at is None:
                ARCHIVE[kind](actor=self.actor, obj=obj, archived=True)
                self.result.counts[kind].archived += 1

    # Kinds

    def _goals(self, docs: Sequence[GoalDoc]) -> dict[str, BusinessGoal]:
        existing = {
            g.title: g
            for g in BusinessGoal.objects.filter(workspace=self.workspace).prefetch_related(
                "departments"
            )
        }
        by_key: dict[str, BusinessGoal] = {}
        for d in docs:
            obj = existing.pop(d.title, None)
            goal = self._save(
                "goals",
                d.path,
                obj,
                {
                    "title": d.title,
                    "business_metric": d.business_metric,
                    "horizon": d.horizon,
                    "priority": d.priority,
                    "description": d.description,
                    "departments": [self.departments[s] for s in d.departments],
                    "source": d.source,
                },
                partial(services.goal_save, actor=self.actor, workspace=self.workspace, goal=obj),
            )
            self._archive("goals", d.path, goal, d.archived)
            by_key[d.key] = goal
        self._archive_rest("goals", existing.values())
        return by_key

    def _objectives(
        self, docs: Sequence[ObjectiveDoc], goals: Mapping[str, BusinessGoal]
    ) -> dict[str, SocialObjective]:
        existing = {
            o.statement: o
            for o in SocialObjective.objects.filter(workspace=self.workspace).prefetch_related(
                "goals", "departments", "reviews", "tactics"
            )
        }
        kpis = {
            (k.objective_id, k.name): k
            for k in Kpi.objects.filter(workspace=self.workspace).prefetch_related(
                "values", "channels"
            )
        }
        by_key: dict[str, SocialObjective] = {}
        for d in docs:
            obj = existing.pop(d.statement, None)
            objective = self._save(
                "objectives",
                d.path,
                obj,
                {
                    "statement": d.statement,
                    "goals": [goals[k] for k in d.goals],
                    "departments": [self.departments[s] for s in d.departments],
                    "start": d.start,
                    "end": d.end,
                    "realism": d.realism,
                    "realism_rationale": d.realism_rationale,
                    "review_cadence": d.review_cadence,
                },
                partial(
                    services.objective_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    objective=obj,
                ),
            )
            self._archive("objectives", d.path, objective, d.archived)
            self._reviews(objective, d.reviews, known=obj is not None)
            self._tactics(objective, d.tactics, known=obj is not None)
            for k in d.kpis:
                self._kpi(objective, k, kpis.pop((objective.pk, k.name), None))
            by_key[d.key] = objective
        self._archive_rest("objectives", existing.values())
        self._archive_rest("kpis", kpis.values())
        return by_key

    def _reviews(self, objective: SocialObjective, docs: Sequence[ReviewDoc], known: bool) -> None:
        have = Counter((r.reviewed_on, r.note) for r in objective.reviews.all()) if known else {}
        want = Counter((r.on, r.note) for r in docs)
        paths = {(r.on, r.note): r.path for r in docs}
        for (on, note), count in want.items():
            for _n in range(count - have.get((on, note), 0)):
                with _at(paths[(on, note)]):
                    services.objective_review(
                        actor=self.actor, objective=objective, reviewed_on=on, note=note
                    )
                self.result.counts["reviews"].created += 1

    def _tactics(self, objective: SocialObjective, docs: Sequence[TacticDoc], known: bool) -> None:
        existing: dict[tuple[str, str], Tactic] = {}
        if known:
            for t in sorted(objective.tactics.all(), key=lambda t: t.pk):
                existing.setdefault((t.channel, t.activity), t)
        for d in docs:
            obj = existing.get((d.channel, d.activity))
            self._save(
                "tactics",
                d.path,
                obj,
                {
                    "channel": d.channel,
                    "activity": d.activity,
                    "frequency": d.frequency,
                    "people": d.people,
                    "hours_per_week": d.hours_per_week,
                },
                partial(services.tactic_save, actor=self.actor, objective=objective, tactic=obj),
            )

    def _kpi(self, objective: SocialObjective, d: KpiDoc, obj: Kpi | None) -> None:
        kpi = self._save(
            "kpis",
            d.path,
            obj,
            {
                "objective": objective,
                "name": d.name,
                "metric_key": d.metric_key,
                "direction": d.direction,
                "baseline_value": d.baseline_value,
                "baseline_date": d.baseline_date,
                "target_value": d.target_value,
                "target_date": d.target_date,
                "band_low": d.band_low,
                "band_high": d.band_high,
                "unit": d.unit,
                "owner": self._person(d.owner),
                "review_cadence": d.review_cadence,
                "amec_stage": d.amec_stage,
                # No window in the document: the one the KPI has (a new one gets the
                # metric's default), so that importing the same document twice changes nothing.
                "window": d.window or (obj.window if obj is not None else ""),
                "channels": [self.channels[a] for a in d.channels],
            },
            partial(services.kpi_save, actor=self.actor, workspace=self.workspace, kpi=obj),
        )
        self._archive("kpis", d.path, kpi, d.archived)
        have = {v.day: v for v in kpi.values.all()} if obj is not None else {}
        for v in d.values:
            row = have.get(v.day)
            if row is not None and row.value == v.value and row.note == v.note:
                continue
            with _at(v.path):
                services.kpi_value_set(
                    actor=self.actor, kpi=kpi, day=v.day, value=v.value, note=v.note
                )
            counts = self.result.counts["kpi_values"]
            if row is None:
                counts.created += 1
            else:
                counts.updated += 1

    def _audiences(self, docs: Sequence[AudienceDoc]) -> dict[str, Audience]:
        existing = {
            a.name: a
            for a in Audience.objects.filter(workspace=self.workspace).prefetch_related("presence")
        }
        by_key: dict[str, Audience] = {}
        for d in docs:
            obj = existing.pop(d.name, None)
            audience = self._save(
                "audiences",
                d.path,
                obj,
                {
                    "name": d.name,
                    "kind": d.kind,
                    "size": d.size,
                    "priority": d.priority,
                    "demographics": d.demographics,
                },
                partial(
                    services.audience_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    audience=obj,
                ),
            )
            self._archive("audiences", d.path, audience, d.archived)
            have = {p.platform: p for p in audience.presence.all()} if obj is not None else {}
            for e in d.evidence:
                values: dict[str, Any] = {
                    "figure": e.figure,
                    "unit": e.unit,
                    "source": e.source,
                    "figure_date": e.figure_date,
                    "source_url": e.source_url,
                }
                row = have.get(e.platform)
                if row is not None and not _differs(row, values):
                    continue
                with _at(e.path):
                    services.presence_save(
                        actor=self.actor, audience=audience, platform=e.platform, **values
                    )
                counts = self.result.counts["evidence"]
                if row is None:
                    counts.created += 1
                else:
                    counts.updated += 1
            by_key[d.key] = audience
        self._archive_rest("audiences", existing.values())
        return by_key

    def _messages(self, docs: Sequence[MessageDoc], audiences: Mapping[str, Audience]) -> None:
        existing = {
            m.title: m
            for m in Message.objects.filter(workspace=self.workspace).prefetch_related("audiences")
        }
        for d in docs:
            obj = existing.pop(d.title, None)
            message = self._save(
                "messages",
                d.path,
                obj,
                {
                    "title": d.title,
                    "audiences": [audiences[k] for k in d.audiences],
                    "channels": d.channels,
                    "text": d.text,
                    "tone": d.tone,
                    "owner": self._person(d.owner),
                },
                partial(
                    services.message_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    message=obj,
                ),
            )
            self._archive("messages", d.path, message, d.archived)
        self._archive_rest("messages", existing.values())

    def _competitors(self, docs: Sequence[CompetitorDoc]) -> None:
        existing = {
            c.name: c
            for c in Competitor.objects.filter(workspace=self.workspace).prefetch_related(
                "observations"
            )
        }
        for d in docs:
            obj = existing.pop(d.name, None)
            competitor = self._save(
                "competitors",
                d.path,
                obj,
                {"name": d.name, "channels": d.channels, "website": d.website, "notes": d.notes},
                partial(
                    services.competitor_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    competitor=obj,
                ),
            )
            self._archive("competitors", d.path, competitor, d.archived)
            have: Counter[tuple[date, str, str, str]] = Counter()
            if obj is not None:
                have.update(
                    (o.observed_on, o.kind, o.description, o.source_url)
                    for o in competitor.observations.all()
                )
            for o in d.observations:
                marker = (o.observed_on, o.kind, o.description, o.source_url)
                if have[marker] > 0:
                    have[marker] -= 1
                    continue
                with _at(o.path):
                    services.observation_add(
                        actor=self.actor,
                        competitor=competitor,
                        observed_on=o.observed_on,
                        kind=o.kind,
                        description=o.description,
                        source_url=o.source_url,
                    )
                self.result.counts["observations"].created += 1
        self._archive_rest("competitors", existing.values())

    def _case_studies(self, docs: Sequence[CaseStudyDoc]) -> None:
        existing: dict[str, CaseStudy] = {}
        duplicates: list[CaseStudy] = []
        for case in CaseStudy.objects.filter(workspace=self.workspace).order_by("pk"):
            if case.title in existing:
                duplicates.append(case)
            else:
                existing[case.title] = case
        for d in docs:
            obj = existing.pop(d.title, None)
            case = self._save(
                "case_studies",
                d.path,
                obj,
                {
                    "title": d.title,
                    "summary": d.summary,
                    "source": d.source,
                    "figures": d.figures,
                    "source_url": d.source_url,
                },
                partial(
                    services.case_study_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    case=obj,
                ),
            )
            self._archive("case_studies", d.path, case, d.archived)
        self._archive_rest("case_studies", [*existing.values(), *duplicates])

    def _initiatives(
        self,
        docs: Sequence[InitiativeDoc],
        goals: Mapping[str, BusinessGoal],
        objectives: Mapping[str, SocialObjective],
    ) -> None:
        existing = {
            i.title: i
            for i in Initiative.objects.filter(workspace=self.workspace).prefetch_related(
                "goals", "objectives"
            )
        }
        for d in docs:
            obj = existing.pop(d.title, None)
            initiative = self._save(
                "initiatives",
                d.path,
                obj,
                {
                    "title": d.title,
                    "start": d.start,
                    "end": d.end,
                    "goals": [goals[k] for k in d.goals],
                    "objectives": [objectives[k] for k in d.objectives],
                    "department": self.departments[d.department] if d.department else None,
                    "status": d.status,
                    "priority": d.priority,
                    "estimated_cost": d.estimated_cost,
                    "maturity_stage": d.maturity_stage,
                    "description": d.description,
                },
                partial(
                    services.initiative_save,
                    actor=self.actor,
                    workspace=self.workspace,
                    initiative=obj,
                ),
            )
            self._archive("initiatives", d.path, initiative, d.archived)
        self._archive_rest("initiatives", existing.values())

    def _vision(self, d: VisionDoc) -> None:
        self._save(
            "vision",
            "vision",
            Vision.objects.filter(workspace=self.workspace).first(),
            {
                "statement": d.statement,
                "value_employees": d.value_employees,
                "value_customers": d.value_customers,
                "value_shareholders": d.value_shareholders,
                "sponsor": self._person(d.sponsor),
                "sponsor_route": d.sponsor_route,
                "sponsor_since": d.sponsor_since,
            },
            partial(services.vision_set, actor=self.actor, workspace=self.workspace),
        )


def _archive_with(archive: Callable[..., Any], name: str) -> Callable[..., Any]:
    def run(*, actor: User, obj: Any, archived: bool) -> Any:
        return archive(actor=actor, archived=archived, **{name: obj})

    return run


def _archive_plain(kind: str) -> Callable[..., Any]:
    """Competitors and case studies have no public archive service yet; the services' shared
    ``_archive`` (policy check, audit entry, alignment refresh) does the same for them."""

    def run(*, actor: User, obj: Any, archived: bool) -> Any:
        return services._archive(actor=actor, obj=obj, kind=kind, archived=archived)

    return run


ARCHIVE: dict[str, Callable[..., Any]] = {
    "goals": _archive_with(services.goal_archive, "goal"),
    "objectives": _archive_with(services.objective_archive, "objective"),
    "kpis": _archive_with(services.kpi_archive, "kpi"),
    "audiences": _archive_with(services.audience_archive, "audience"),
    "messages": _archive_with(services.message_archive, "message"),
    "initiatives": _archive_with(services.initiative_archive, "initiative"),
    "competitors": _archive_plain("competitor"),
    "case_studies": _archive_plain("case_study"),
}
