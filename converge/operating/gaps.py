"""RACI gaps in words, for people."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from converge.operating.raci import Gap


def _names(parties: tuple[str, ...]) -> str:
    return ", ".join(parties)


def describe_gap(gap: Gap) -> str:
    values = {"activity": gap.activity, "parties": _names(gap.parties)}
    if gap.kind == "no_decider":
        return _("%(activity)s: nobody decides.") % values
    if gap.kind == "several_deciders":
        return _("%(activity)s: more than one decides (%(parties)s); exactly one should.") % values
    if gap.kind == "no_executor":
        return _("%(activity)s: nobody executes.") % values
    if gap.kind == "no_payer":
        return _("%(activity)s: nobody pays.") % values
    if gap.kind == "share_missing":
        return _("%(activity)s: %(parties)s pay without a share of the bill.") % values
    if gap.kind == "shares_not_100":
        return _("%(activity)s: the shares of the bill add up to %(total)s%%, not 100%%.") % {
            **values,
            "total": f"{(gap.total or Decimal(0)).normalize():f}",
        }
    return f"{gap.activity}: {gap.kind}"
