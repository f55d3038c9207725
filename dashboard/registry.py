"""The registry of dashboard figures (metrics) and the providers that compute them.

A provider is a plain function ``provider(ctx) -> Iterable[Contribution]``: it runs a constant number of
grouped SQL queries (GROUP BY the path of the unit a row belongs to, e.g. ``org__path``) and yields one
``Contribution`` per (unit path, breakdown key). ``figures.refresh`` rolls the contributions up to every
ancestor by path prefix, so one query per metric gives the figure of every node of the tree (city →
district → township → grassroots), and ancestors are exact sums of their parts.

Providers read the other apps through their ``selectors`` modules only (never their models; the layers
test enforces it): each app offers grouped reads whose rows carry ``path`` and the counts. Register a
provider with the ``metric`` decorator in a module listed in ``PROVIDER_MODULES`` (see README "Dashboard
figures: how to add a provider")::

    @metric("mutual_aid.amount_paid", label=_("Amount paid"), kind=Kind.MONEY, section=_("Mutual aid"))
    def amount_paid(ctx):
        for row in mutual_aid.selectors.paid_amounts_by_org(year=ctx.year):
            yield Contribution(row["path"], row["total"])
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import import_module

from django.db import models
from django.utils.translation import gettext_lazy as _

from union_portal.rounding import round_half_up

# Modules whose import registers providers. The dashboard reads the other apps (never the reverse), so
# the providers of mutual aid, competitions, awards and funds live next to these, in this package.
PROVIDER_MODULES = [
    "dashboard.providers.membership",
    "dashboard.providers.mutual_aid",
    "dashboard.providers.competitions",
    "dashboard.providers.awards",
    "dashboard.providers.funds",
    "dashboard.providers.assistance_files",
    "dashboard.providers.assistance_campaigns",
    "dashboard.providers.labour_cases",
    "dashboard.providers.labour_contracts",
    "dashboard.providers.labour_congress",
]

FOUR_PLACES = Decimal("0.0001")

# The parts of a rate in words (Metric.parts), shown under the figure: "32 家 / 40 家".
ENTERPRISE_PARTS = _("%(numerator)s of %(denominator)s enterprises")
PEOPLE_PARTS = _("%(numerator)s of %(denominator)s people")
UNIT_PARTS = _("%(numerator)s of %(denominator)s unions")


class Kind(models.TextChoices):
    COUNT = "count", _("Count")
    MONEY = "money", _("Amount (yuan)")
    PERCENT = "percent", _("Percentage")
    AVERAGE = "average", _("Average")


@dataclass(frozen=True)
class FigureContext:
    """What a provider may depend on: the period computed (a calendar year) and today's date."""

    year: int
    today: dt.date

    @property
    def period(self) -> str:
        return str(self.year)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class Contribution:
    """Part of a figure attributed to the unit at ``path`` (and so to each of its ancestors).

    Counts and sums give ``numerator`` only; rates and averages give both parts (``denominator`` may be
    given alone, with numerator 0, when a second query supplies it)."""

    path: str
    numerator: Decimal | int
    denominator: Decimal | int | None = None
    key: str = ""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    kind: str
    provider: Callable[[FigureContext], Iterable[Contribution]]
    section: str = ""
    unit: str = ""
    description: str = ""
    breakdown: str = ""  # label of the breakdown key ("Industry"); "" when the metric has only totals
    headline: bool = False  # shown as a number card on the dashboard
    lower_is_better: bool = False
    order: int = 100
    key_labels: dict = field(default_factory=dict)  # stable key -> display label
    # The parts of a rate or average in words, where they help the reader: "%(numerator)s of %(denominator)s
    # enterprises" (32 家 / 40 家); "" shows the figure alone.
    parts: str = ""

    def value(self, numerator: Decimal, denominator: Decimal | None) -> Decimal | None:
        """The figure from its parts; None when a rate or average has nothing to divide by."""
        if self.kind in (Kind.COUNT, Kind.MONEY):
            return Decimal(numerator)
        if not denominator:
            return None
        ratio = Decimal(numerator) / Decimal(denominator)
        if self.kind == Kind.PERCENT:
            ratio *= 100
        return round_half_up(ratio, FOUR_PLACES)

    def key_label(self, key: str) -> str:
        return str(self.key_labels.get(key, key))


_REGISTRY: dict[str, Metric] = {}
_loaded = False


def metric(key: str, **options) -> Callable:
    """Decorator registering ``provider`` under ``key`` (unique, dotted: ``<area>.<figure>``)."""

    def decorator(provider: Callable[[FigureContext], Iterable[Contribution]]):
        if key in _REGISTRY and _REGISTRY[key].provider is not provider:
            raise ValueError(f"dashboard metric {key!r} registered twice")
        _REGISTRY[key] = Metric(key=key, provider=provider, **options)
        return provider

    return decorator


def _load() -> None:
    global _loaded
    if not _loaded:
        for name in PROVIDER_MODULES:
            import_module(name)
        _loaded = True


def all_metrics() -> list[Metric]:
    _load()
    return sorted(_REGISTRY.values(), key=lambda m: (m.order, m.key))


def get_metric(key: str) -> Metric | None:
    _load()
    return _REGISTRY.get(key)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, f"{m.section} · {m.label}") for m in all_metrics() if not m.breakdown]
