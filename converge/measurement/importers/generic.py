"""The generic long CSV: one row per day, metric, channel and value.

    day,metric,channel,value
    2026-03-01,leads,,42
    2026-03-01,impressions,@nordvik,18250

``channel`` may be empty (a business figure) or a channel's handle. Days are ISO dates
(YYYY-MM-DD); values use a point or a comma as decimal mark, with spaces as thousands
separators allowed (“1 234,5”). A metric repeated for the same day and channel is reported by
the import planning, which knows the channels' handles; a day in the future is reported here."""

from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from converge.measurement.importers import tabular
from converge.measurement.importers.base import (
    FormatError,
    ParsedObservation,
    ParseResult,
    RowProblem,
)
from converge.measurement.importers.tabular import (
    Described,
    cells_problem,
    day_problem,
    future_problem,
    guess_delimiter,
    latest_day,
    looks_like_header,
    not_a_number,
    pasted_problem,
    records,
)

REQUIRED = ("day", "metric", "value")
ALIASES = {
    "date": "day",
    "dag": "day",
    "datum": "day",
    "mått": "metric",
    "kanal": "channel",
    "värde": "value",
}


def decode(data: bytes) -> str:
    """As the platform importers decode, but a non-UTF file is taken as Windows-1252: a
    generic CSV is typed by people here, not re-saved from a platform export."""
    return tabular.decode(data, fallback="cp1252")


def parse_decimal(raw: str) -> Decimal:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+,\d+", text):  # 1.234,5
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", text):  # 1234,5
        text = text.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", text):  # 1,234.5
        text = text.replace(",", "")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(raw)
    return value


def _header(row: list[str]) -> list[str]:
    names = [c.strip().lower() for c in row]
    return [ALIASES.get(n, n) for n in names]


class GenericLongCsv:
    key = "generic_long_csv"
    platform = "other"
    description = Described(
        gettext_noop("Generic long CSV: columns day, metric, channel (optional), value")
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        try:
            first = decode(head).splitlines()[0]
        except (IndexError, UnicodeDecodeError):
            return False
        delimiter = guess_delimiter(first)
        names = _header(next(csv.reader([first], delimiter=delimiter)))
        return all(n in names for n in REQUIRED)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        text = decode(data)
        first = text.splitlines()[0] if text else ""
        delimiter = guess_delimiter(first)
        rows = records(text, result.problems, delimiter)
        found = next((r for _n, r in rows if any(c.strip() for c in r)), None)
        if found is None:
            raise FormatError(_("The file is empty."))
        header = _header(found)
        missing = [n for n in REQUIRED if n not in header]
        if missing:
            raise FormatError(
                _("The generic CSV needs the columns day, metric and value; missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )
        where = {name: header.index(name) for name in header}
        latest = latest_day()
        for line, row in rows:
            if not any(cell.strip() for cell in row) or _header(row) == header:
                continue
            if len(row) != len(header) and looks_like_header(row, delimiter):
                result.problems.append(pasted_problem(line, row))
                break
            if len(row) < len(header):
                result.problems.append(cells_problem(line, len(row), len(header)))
                continue
            raw_day = row[where["day"]].strip()
            try:
                day = date.fromisoformat(raw_day)
            except ValueError:
                result.problems.append(day_problem(line, "day", raw_day, "YYYY-MM-DD"))
                continue
            metric = row[where["metric"]].strip()
            if not metric:
                result.problems.append(RowProblem(line, "metric", _("The metric is empty.")))
                continue
            raw_value = row[where["value"]]
            try:
                value = parse_decimal(raw_value)
            except (InvalidOperation, ValueError):
                result.problems.append(not_a_number(line, "value", raw_value))
                continue
            channel = row[where["channel"]].strip() if "channel" in where else ""
            if day > latest:
                result.problems.append(future_problem(line, "day", day))
                continue
            result.observations.append(
                ParsedObservation(
                    day=day, metric=metric, value=value, line=line, channel=channel or None
                )
            )
        return result


IMPORTERS = [GenericLongCsv()]
